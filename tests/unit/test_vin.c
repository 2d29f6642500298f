/* The VIN decoder: the shared table of public VINs, normalisation, syntax,
 * check digits, model years, the WMI table and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka needs the headers above first. */
#include <cmocka.h>

#include "vehicles/vin.h"

#ifndef FC_SOURCE_DIR
#define FC_SOURCE_DIR "/work/main"
#endif

enum { MAX_YEAR = 2027 };

static int has_error(const fc_vin_info *v, const char *code) {
  for (int i = 0; i < v->n_errors; i++)
    if (strcmp(v->errors[i], code) == 0) return 1;
  return 0;
}

static int has_year(const fc_vin_info *v, int year) {
  for (int i = 0; i < v->n_model_years; i++)
    if (v->model_years[i] == year) return 1;
  return 0;
}

/* Every error is one of the four documented codes and appears once. */
static void assert_errors_known(const fc_vin_info *v) {
  static const char *const known[] = {"length", "alphabet", "check_digit", "model_year_code"};
  assert_true(v->n_errors >= 0 && v->n_errors <= FC_VIN_MAX_ERRORS);
  for (int i = 0; i < v->n_errors; i++) {
    int found = 0;
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
      found += strcmp(v->errors[i], known[k]) == 0;
    assert_int_equal(found, 1);
    for (int j = 0; j < i; j++)
      assert_string_not_equal(v->errors[i], v->errors[j]);
  }
}

/* Opens vins.tsv: $FC_SHARED_DATA (the data folder, or the file itself), then
 * the shared folder next to the source tree, then the usual absolute path. */
static FILE *open_table(char *path, size_t cap) {
  const char *env = getenv("FC_SHARED_DATA");
  if (env && env[0]) {
    size_t n = strlen(env);
    if (n > 4 && strcmp(env + n - 4, ".tsv") == 0)
      snprintf(path, cap, "%s", env);
    else
      snprintf(path, cap, "%s/vins.tsv", env);
    return fopen(path, "r");
  }
  snprintf(path, cap, "%s", FC_SOURCE_DIR "/../shared/data/vins.tsv");
  FILE *f = fopen(path, "r");
  if (f) return f;
  snprintf(path, cap, "%s", "/work/shared/data/vins.tsv");
  return fopen(path, "r");
}

/* Splits line at tabs into at most cap fields (in place); returns the count. */
static int split_tabs(char *line, char **fields, int cap) {
  int n = 0;
  char *p = line;
  while (n < cap) {
    fields[n++] = p;
    char *tab = strchr(p, '\t');
    if (!tab) break;
    *tab = 0;
    p = tab + 1;
  }
  return n;
}

static void shared_table(void **state) {
  char path[1024];
  FILE *f = open_table(path, sizeof path);
  if (!f) fail_msg("cannot read %s", path);
  char line[1024];
  int rows = 0, malformed = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (line[0] == '#' || line[0] == 0) continue;
    char *fields[5] = {0};
    if (split_tabs(line, fields, 5) < 4) {
      print_error("%s: malformed row %s\n", path, line);
      malformed++;
      continue;
    }
    const char *vin = fields[0], *check = fields[1], *maker = fields[2], *year = fields[3];
    fc_vin_info v;
    fc_vin_decode(vin, MAX_YEAR, &v);
    print_message("%s check=%s maker=%s years=%d..\n", vin, fc_vin_check_name(v.check),
                  v.manufacturer ? v.manufacturer : "(null)", v.n_model_years ? v.model_years[0] : 0);
    assert_string_equal(v.vin, vin);
    assert_string_equal(fc_vin_check_name(v.check), check);
    assert_int_equal(v.valid, strcmp(check, "bad") != 0);
    assert_int_equal(has_error(&v, "check_digit"), strcmp(check, "bad") == 0);
    assert_non_null(v.manufacturer);
    assert_string_equal(v.manufacturer, maker);
    assert_non_null(v.region);
    if (strcmp(year, "-") != 0) {
      long y = strtol(year, NULL, 10);
      assert_true(y >= 1980 && y <= MAX_YEAR);
      assert_true(has_year(&v, (int)y));
    }
    assert_true(v.model_year == 0 || has_year(&v, v.model_year));
    assert_errors_known(&v);
    rows++;
  }
  fclose(f);
  assert_int_equal(malformed, 0);
  if (rows < 10) fail_msg("%s: only %d rows", path, rows);
}

static void normalisation(void **state) {
  fc_vin_info v;
  fc_vin_decode("wvw zzz1kz 6w612305", MAX_YEAR, &v);
  assert_string_equal(v.vin, "WVWZZZ1KZ6W612305");
  assert_int_equal(v.valid, 1);
  assert_int_equal(v.n_errors, 0);
  assert_int_equal(v.check, FC_VIN_CHECK_NA);
  assert_string_equal(v.wmi, "WVW");
  assert_string_equal(v.manufacturer, "Volkswagen");
  assert_string_equal(v.country, "Germany");
  assert_string_equal(v.region, "Europe");
  assert_int_equal(v.n_model_years, 1); /* '6': 2006; 2036 is after max_year */
  assert_int_equal(v.model_years[0], 2006);
  assert_int_equal(v.model_year, 2006);

  fc_vin_decode("  1xp-td40x-6jd456115 \t\r\n", MAX_YEAR, &v);
  assert_string_equal(v.vin, "1XPTD40X6JD456115");
  assert_int_equal(v.valid, 1);
  assert_int_equal(v.check, FC_VIN_CHECK_OK);

  fc_vin_decode("--W0L-000 051-T2123456--", MAX_YEAR, &v);
  assert_string_equal(v.vin, "W0L000051T2123456");
  assert_string_equal(v.manufacturer, "Opel");
  assert_int_equal(v.valid, 1);

  /* Only spaces and dashes are dropped inside: a tab is a bad character. */
  fc_vin_decode("WVWZZZ1KZ6\tW612305", MAX_YEAR, &v);
  assert_int_equal(v.valid, 0);
  assert_true(has_error(&v, "alphabet"));
  assert_string_equal(v.vin, "");
}

static void alphabet(void **state) {
  static const char *const bad[] = {"1XPTD40X6JD45611I", "1XPTD40X6JD45611O", "1XPTD40X6JD45611Q",
                                    "iXPTD40X6JD456115", "1XPTD40X6JD4561q5", "1XPTD40X6JD4561.5",
                                    "1XPTD40X6JD4561_5", "1XPTD40X6JD4561/5"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    fc_vin_info v;
    fc_vin_decode(bad[i], MAX_YEAR, &v);
    assert_int_equal(v.valid, 0);
    assert_int_equal(v.n_errors, 1);
    assert_string_equal(v.errors[0], "alphabet");
    assert_int_equal(v.check, FC_VIN_CHECK_NA);
    assert_string_equal(v.wmi, "");
    assert_null(v.manufacturer);
    assert_int_equal(v.n_model_years, 0);
  }
  fc_vin_info v;
  fc_vin_decode("1xptd40x6jd45611o", MAX_YEAR, &v);
  assert_string_equal(v.vin, "1XPTD40X6JD45611O"); /* normalised, shown, but not valid */
  assert_int_equal(fc_vin_syntax_ok(v.vin), 0);
  fc_vin_decode("1XPTD40X6JD4561.5", MAX_YEAR, &v);
  assert_string_equal(v.vin, ""); /* not alphanumeric: unusable */

  assert_int_equal(fc_vin_syntax_ok("1XPTD40X6JD456115"), 1);
  assert_int_equal(fc_vin_syntax_ok("1xptd40x6jd456115"), 0); /* not normalised */
  assert_int_equal(fc_vin_syntax_ok("1XPTD40X6JD45611"), 0);
  assert_int_equal(fc_vin_syntax_ok("1XPTD40X6JD4561155"), 0);
  assert_int_equal(fc_vin_syntax_ok("1XPTD40X6JD45611O"), 0);
  assert_int_equal(fc_vin_syntax_ok(""), 0);
  assert_int_equal(fc_vin_syntax_ok(NULL), 0);
}

static void length(void **state) {
  fc_vin_info v;
  fc_vin_decode("1XPTD40X6JD45611", MAX_YEAR, &v); /* 16 */
  assert_int_equal(v.valid, 0);
  assert_int_equal(v.n_errors, 1);
  assert_string_equal(v.errors[0], "length");
  assert_string_equal(v.vin, "1XPTD40X6JD45611");
  assert_string_equal(v.wmi, "");
  assert_null(v.region);

  fc_vin_decode("1XPTD40X6JD4561155", MAX_YEAR, &v); /* 18 */
  assert_int_equal(v.valid, 0);
  assert_string_equal(v.errors[0], "length");
  assert_string_equal(v.vin, "");

  fc_vin_decode("1XPTD40X6JD45611I5", MAX_YEAR, &v); /* both problems */
  assert_int_equal(v.n_errors, 2);
  assert_string_equal(v.errors[0], "length");
  assert_string_equal(v.errors[1], "alphabet");
}

static void check_digits(void **state) {
  fc_vin_info v;
  fc_vin_decode("1XPTD40X6JD456115", MAX_YEAR, &v); /* the corrected Peterbilt VIN */
  assert_int_equal(v.check, FC_VIN_CHECK_OK);
  assert_int_equal(v.valid, 1);
  assert_int_equal(v.n_errors, 0);
  assert_string_equal(v.manufacturer, "Peterbilt");
  assert_string_equal(v.country, "United States");
  assert_string_equal(v.region, "North America");

  fc_vin_decode("1XPTD40X0JD456115", MAX_YEAR, &v);
  assert_int_equal(v.check, FC_VIN_CHECK_BAD);
  assert_int_equal(v.valid, 0);
  assert_int_equal(v.n_errors, 1);
  assert_string_equal(v.errors[0], "check_digit");
  assert_string_equal(v.manufacturer, "Peterbilt"); /* still decoded */

  /* 'X' as the check character (remainder 10). */
  fc_vin_decode("1M8GDM9AXKP042788", MAX_YEAR, &v);
  assert_int_equal(v.check, FC_VIN_CHECK_OK);
  fc_vin_decode("1M8GDM9A0KP042788", MAX_YEAR, &v);
  assert_int_equal(v.check, FC_VIN_CHECK_BAD);

  /* Outside North America a matching digit is ok, a mismatch is n/a. */
  fc_vin_decode("WDBEA30D3HA391172", MAX_YEAR, &v);
  assert_int_equal(v.check, FC_VIN_CHECK_OK);
  fc_vin_decode("WDBEA30D4HA391172", MAX_YEAR, &v);
  assert_int_equal(v.check, FC_VIN_CHECK_NA);
  assert_int_equal(v.valid, 1);
  assert_int_equal(v.n_errors, 0);

  assert_string_equal(fc_vin_check_name(FC_VIN_CHECK_OK), "ok");
  assert_string_equal(fc_vin_check_name(FC_VIN_CHECK_BAD), "bad");
  assert_string_equal(fc_vin_check_name(FC_VIN_CHECK_NA), "n/a");
  assert_string_equal(fc_vin_check_name((fc_vin_check)42), "n/a");
}

/* Puts the check character that makes vin (17 chars, writable) pass into
 * position 9, using the decoder itself on a North-American VIN. */
static void fix_check(char *vin) {
  static const char cands[] = "0123456789X";
  for (size_t i = 0; cands[i]; i++) {
    vin[8] = cands[i];
    fc_vin_info v;
    fc_vin_decode(vin, MAX_YEAR, &v);
    if (v.check == FC_VIN_CHECK_OK) return;
  }
  fail_msg("no check character fits %s", vin);
}

static void model_years(void **state) {
  fc_vin_info v;
  /* European: every candidate of the cycle, newest first. */
  fc_vin_decode("WVWZZZ1KZKW612305", MAX_YEAR, &v);
  assert_int_equal(v.n_model_years, 2);
  assert_int_equal(v.model_years[0], 2019);
  assert_int_equal(v.model_years[1], 1989);
  assert_int_equal(v.model_year, 0); /* cannot be told */
  fc_vin_decode("WVWZZZ1KZKW612305", 2018, &v);
  assert_int_equal(v.n_model_years, 1);
  assert_int_equal(v.model_years[0], 1989);
  assert_int_equal(v.model_year, 1989); /* the only candidate */
  fc_vin_decode("WVWZZZ1KZKW612305", 1979, &v);
  assert_int_equal(v.n_model_years, 0);
  assert_int_equal(v.model_year, 0);
  assert_int_equal(v.n_errors, 0);
  fc_vin_decode("WVWZZZ1KZKW612305", 2100000000, &v); /* clamped to 2099 */
  assert_int_equal(v.n_model_years, 4);
  assert_int_equal(v.model_years[0], 2079);
  assert_int_equal(v.model_years[3], 1989);
  fc_vin_decode("WVWZZZ1KZAW612305", 2100000000, &v);
  assert_int_equal(v.n_model_years, 4);
  assert_int_equal(v.model_years[0], 2070);
  assert_int_equal(v.model_years[3], 1980);
  fc_vin_decode("WVWZZZ1KZKW612305", -2100000000, &v);
  assert_int_equal(v.n_model_years, 0);

  /* Each code once: A-H, J-N, P, R-T, V-Y, 1-9 are 1980..2009 in order. */
  static const char codes[] = "ABCDEFGHJKLMNPRSTVWXY123456789";
  char vin[] = "WVWZZZ1KZ6W612305";
  for (int i = 0; codes[i]; i++) {
    vin[9] = codes[i];
    fc_vin_decode(vin, 2009, &v);
    assert_int_equal(v.n_model_years, 1);
    assert_int_equal(v.model_years[0], 1980 + i);
  }

  /* Not year codes: an error, no candidates, still valid in Europe. */
  static const char not_codes[] = "UZ0";
  for (int i = 0; not_codes[i]; i++) {
    vin[9] = not_codes[i];
    fc_vin_decode(vin, MAX_YEAR, &v);
    assert_int_equal(v.n_model_years, 0);
    assert_true(has_error(&v, "model_year_code"));
    assert_int_equal(v.valid, 1);
  }
  /* ... but not in North America, where position 10 is mandatory. */
  char na[] = "1VWBP7A37UC046870";
  fix_check(na);
  fc_vin_decode(na, MAX_YEAR, &v);
  assert_int_equal(v.check, FC_VIN_CHECK_OK);
  assert_int_equal(v.n_model_years, 0);
  assert_int_equal(v.model_year, 0);
  assert_int_equal(v.n_errors, 1);
  assert_string_equal(v.errors[0], "model_year_code");
  assert_int_equal(v.valid, 0);

  /* North America: position 7 picks the cycle and goes first. */
  fc_vin_decode("1VWBP7A37DC046870", MAX_YEAR, &v); /* 'A': 2010-2039 */
  assert_int_equal(v.n_model_years, 2);
  assert_int_equal(v.model_years[0], 2013);
  assert_int_equal(v.model_years[1], 1983);
  assert_int_equal(v.model_year, 2013);
  fc_vin_decode("1XPTD40X6JD456115", MAX_YEAR, &v); /* '0': 1980-2009 */
  assert_int_equal(v.n_model_years, 2);
  assert_int_equal(v.model_years[0], 1988);
  assert_int_equal(v.model_years[1], 2018);
  assert_int_equal(v.model_year, 1988);
  fc_vin_decode("1XPTD40X6JD456115", 2000, &v);
  assert_int_equal(v.n_model_years, 1);
  assert_int_equal(v.model_years[0], 1988);
  char late[] = "1VWBP7A37TC046870"; /* letter at 7, 'T': 2026 (then 1996) */
  fix_check(late);
  fc_vin_decode(late, 2025, &v); /* 2026 is not possible yet */
  assert_int_equal(v.n_model_years, 1);
  assert_int_equal(v.model_years[0], 1996);
  fc_vin_decode(late, 2027, &v);
  assert_int_equal(v.n_model_years, 2);
  assert_int_equal(v.model_years[0], 2026);
  assert_int_equal(v.model_years[1], 1996);
  assert_int_equal(v.model_year, 2026);
}

static void wmi_table(void **state) {
  const char *code = NULL, *name = NULL, *prev = NULL;
  size_t n3 = 0, n2 = 0;
  for (size_t i = 0; fc_vin_wmi_at(i, &code, &name); i++) {
    size_t len = strlen(code);
    assert_true(len == 3 || len == 2);
    assert_true(name && name[0]);
    for (size_t k = 0; k < len; k++) {
      char c = code[k];
      assert_true((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
      assert_true(c != 'I' && c != 'O' && c != 'Q');
    }
    if (len == 3) {
      assert_int_equal(n2, 0); /* 3-character entries come first */
      n3++;
    } else {
      n2++;
    }
    if (prev && strlen(prev) == len) assert_true(strcmp(prev, code) < 0); /* sorted, no duplicates */
    prev = code;
    assert_string_equal(fc_vin_manufacturer(code), name);
  }
  print_message("%zu WMI entries, %zu two-character prefixes\n", n3, n2);
  assert_true(n3 >= 250);
  assert_true(n2 >= 1);
  assert_int_equal(fc_vin_wmi_at(n3 + n2, &code, &name), 0);

  static const char *const expect[][2] = {
      {"WVW", "Volkswagen"},     {"WBA", "BMW"},
      {"WDB", "Mercedes-Benz"},  {"WDD", "Mercedes-Benz"},
      {"W1K", "Mercedes-Benz"},  {"W0L", "Opel"},
      {"VF1", "Renault"},        {"VF3", "Peugeot"},
      {"VF7", "Citro\xc3\xabn"}, {"ZFA", "Fiat"},
      {"SAL", "Land Rover"},     {"YV1", "Volvo"},
      {"TMB", "\xc5\xa0koda"},   {"VSS", "SEAT"},
      {"JN1", "Nissan"},         {"JTD", "Toyota"},
      {"JTZ", "Toyota"},         {"JTH", "Lexus"},
      {"KMH", "Hyundai"},        {"KNA", "Kia"},
      {"1FA", "Ford"},           {"1FT", "Ford"},
      {"1G1", "Chevrolet"},      {"1GC", "Chevrolet"},
      {"2G4", "Buick"},          {"1M8", "Motor Coach Industries"},
      {"1XP", "Peterbilt"},      {"1VW", "Volkswagen"},
      {"5YJ", "Tesla"},          {"LRW", "Tesla"},
      {"SAJ", "Jaguar"},         {"ZAR", "Alfa Romeo"},
      {"ZFF", "Ferrari"},        {"1FU", "Freightliner"},
      {"1F9", "Ford"},           {"JT", "Toyota"},
  };
  for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
    const char *got = fc_vin_manufacturer(expect[i][0]);
    if (!got || strcmp(got, expect[i][1]) != 0)
      fail_msg("%s: expected %s, got %s", expect[i][0], expect[i][1], got ? got : "(null)");
  }
  assert_null(fc_vin_manufacturer("WZZ"));
  assert_null(fc_vin_manufacturer("J"));
  assert_null(fc_vin_manufacturer(""));
  assert_null(fc_vin_manufacturer(NULL));
}

static void countries(void **state) {
  static const char *const expect[][3] = {
      {"WV", "Germany", "Europe"},
      {"VF", "France", "Europe"},
      {"VR", "France", "Europe"},
      {"ZA", "Italy", "Europe"},
      {"ZR", "Italy", "Europe"},
      {"SA", "United Kingdom", "Europe"},
      {"SM", "United Kingdom", "Europe"},
      {"JN", "Japan", "Asia"},
      {"J1", "Japan", "Asia"},
      {"KL", "South Korea", "Asia"},
      {"KR", "South Korea", "Asia"},
      {"1X", "United States", "North America"},
      {"4T", "United States", "North America"},
      {"5Y", "United States", "North America"},
      {"2G", "Canada", "North America"},
      {"3A", "Mexico", "North America"},
      {"3W", "Mexico", "North America"},
      {"LR", "China", "Asia"},
      {"YS", "Sweden", "Europe"},
      {"YW", "Sweden", "Europe"},
      {"TM", "Czech Republic", "Europe"},
      {"TJ", "Czech Republic", "Europe"},
      {"VS", "Spain", "Europe"},
      {"XL", "Netherlands", "Europe"},
      {"XM", "Netherlands", "Europe"},
      {"TR", "Hungary", "Europe"},
      {"U5", "Slovakia", "Europe"},
      {"UU", "Romania", "Europe"},
      {"AA", "South Africa", "Africa"},
      {"MA", "India", "Asia"},
      {"NM", "Turkey", "Asia"},
      {"6G", "Australia", "Oceania"},
      {"7S", "United States", "North America"},
      {"9B", "Brazil", "South America"},
      {"8A", "Argentina", "South America"},
      {"SN", "Germany", "Europe"},
      {"X3", "Russia", "Europe"},
      {"W0", "Germany", "Europe"},
  };
  for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
    const char *c = fc_vin_country(expect[i][0]), *r = fc_vin_region(expect[i][0]);
    if (!c || strcmp(c, expect[i][1]) != 0 || !r || strcmp(r, expect[i][2]) != 0)
      fail_msg("%s: expected %s/%s, got %s/%s", expect[i][0], expect[i][1], expect[i][2], c ? c : "(null)",
               r ? r : "(null)");
  }
  assert_null(fc_vin_country("3X")); /* outside every listed range */
  assert_string_equal(fc_vin_region("3X"), "North America");
  assert_null(fc_vin_country("0A"));
  assert_null(fc_vin_region("0A"));
  assert_null(fc_vin_region("OA"));
  assert_null(fc_vin_country("W"));
  assert_string_equal(fc_vin_region("W"), "Europe");
  assert_null(fc_vin_country(NULL));
  assert_null(fc_vin_region(NULL));
  assert_null(fc_vin_region(""));
}

static void unknown_wmi(void **state) {
  fc_vin_info v;
  fc_vin_decode("WZZ12345678901234", MAX_YEAR, &v);
  assert_int_equal(v.valid, 1);
  assert_string_equal(v.wmi, "WZZ");
  assert_null(v.manufacturer);
  assert_string_equal(v.country, "Germany");
  assert_string_equal(v.region, "Europe");

  fc_vin_decode("LXX12345678901234", MAX_YEAR, &v);
  assert_null(v.manufacturer);
  assert_string_equal(v.country, "China");
  assert_string_equal(v.region, "Asia");

  fc_vin_decode("0AB12345678901234", MAX_YEAR, &v); /* '0' is no region */
  assert_int_equal(v.valid, 1);
  assert_null(v.manufacturer);
  assert_null(v.country);
  assert_null(v.region);

  fc_vin_decode("JTZ12345678901234", MAX_YEAR, &v); /* 2-character fallback */
  assert_string_equal(v.manufacturer, "Toyota");
  assert_string_equal(v.country, "Japan");
}

static void expect_unusable(const char *input, const char *first_error) {
  fc_vin_info v;
  memset(&v, 0x5a, sizeof v); /* decode must overwrite everything */
  fc_vin_decode(input, MAX_YEAR, &v);
  assert_int_equal(v.valid, 0);
  assert_true(v.n_errors >= 1);
  assert_string_equal(v.errors[0], first_error);
  assert_errors_known(&v);
  assert_true(strlen(v.vin) <= 17);
  assert_string_equal(v.wmi, "");
  assert_null(v.manufacturer);
  assert_null(v.country);
  assert_null(v.region);
  assert_int_equal(v.n_model_years, 0);
  assert_int_equal(v.model_year, 0);
  assert_int_equal(v.check, FC_VIN_CHECK_NA);
}

static void hostile(void **state) {
  expect_unusable(NULL, "length");
  expect_unusable("", "length");
  expect_unusable("   \t\n ", "length");
  expect_unusable("- - -", "length");
  expect_unusable("1XPTD40X6JD456\x01"
                  "115",
                  "length"); /* 18 with the control byte */
  expect_unusable("1XPTD40X6JD45\x01"
                  "115",
                  "alphabet");                            /* 17 with the control byte */
  expect_unusable("1XPTD40X6JD4561\xc3\xa9", "alphabet"); /* UTF-8 'é': 17 bytes */
  expect_unusable("1XPTD40X6JD456\xff\xfe\x80", "alphabet");
  expect_unusable("1XPTD40X6JD45611\x7f", "alphabet");

  enum { BIG = 10 * 1024 };
  char *big = malloc(BIG + 1);
  assert_non_null(big);
  memset(big, 'A', BIG);
  big[BIG] = 0;
  expect_unusable(big, "length");
  for (size_t i = 0; i < BIG; i++)
    big[i] = (char)(1 + (i * 131u + 7u) % 255u); /* every byte but NUL */
  expect_unusable(big, "length");
  memset(big, ' ', BIG);
  memcpy(big + BIG / 2, "1XPTD40X6JD456115", 17); /* blanks around are fine */
  fc_vin_info v;
  fc_vin_decode(big, MAX_YEAR, &v);
  assert_int_equal(v.valid, 1);
  assert_string_equal(v.vin, "1XPTD40X6JD456115");
  free(big);

  /* Every single byte in every position of a valid VIN. */
  char vin[] = "1XPTD40X6JD456115";
  for (int pos = 0; pos < 17; pos++) {
    for (int b = 1; b < 256; b++) {
      char copy[18];
      memcpy(copy, vin, sizeof copy);
      copy[pos] = (char)b;
      fc_vin_decode(copy, MAX_YEAR, &v);
      assert_errors_known(&v);
      assert_true(v.n_model_years >= 0 && v.n_model_years <= FC_VIN_MAX_YEARS);
      assert_true(v.model_year == 0 || has_year(&v, v.model_year));
      if (v.valid) assert_int_equal(fc_vin_syntax_ok(v.vin), 1);
    }
  }
  fc_vin_decode("1XPTD40X6JD456115", MAX_YEAR, NULL); /* no crash */
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(shared_table), cmocka_unit_test(normalisation),
                                     cmocka_unit_test(alphabet),     cmocka_unit_test(length),
                                     cmocka_unit_test(check_digits), cmocka_unit_test(model_years),
                                     cmocka_unit_test(wmi_table),    cmocka_unit_test(countries),
                                     cmocka_unit_test(unknown_wmi),  cmocka_unit_test(hostile)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
