/* VIN decoding: normalisation, syntax, the check digit (position 9) and the
 * model year (position 10). The manufacturer and country tables live in
 * wmi.c.
 *
 * Design: one pass over the input normalises it into a 17-character buffer
 * while counting its full length and noting bad characters, so inputs of any
 * size cost O(n) time and no memory. Everything after that works on the
 * normalised 17 characters only, and only when their syntax is valid: a VIN
 * with a wrong length or alphabet reports just "length" / "alphabet".
 *
 * The check digit is mandatory only in North America (49 CFR 565, first
 * character 1-5); ISO 3779 leaves position 9 to the manufacturer elsewhere,
 * so a mismatch there is "n/a", never a reason to reject a VIN. */
#include <string.h>

#include "vehicles/vin.h"

enum {
  VIN_LEN = 17,
  YEAR_FIRST = 1980, /* the first year of the first 30-year cycle */
  YEAR_CYCLE = 30,
  YEAR_LAST = YEAR_FIRST + YEAR_CYCLE * FC_VIN_MAX_YEARS - 1 /* 2099 */
};

/* 1 for the characters a VIN may contain: 0-9 and A-Z without I, O, Q. */
static int vin_char(char c) {
  if (c >= '0' && c <= '9') return 1;
  return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q';
}

static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_alnum_ascii(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

/* Transliteration of 49 CFR 565.15 / ISO 3779 for a valid VIN character. */
static int char_value(char c) {
  static const char values[] = "12345678-12345-7-923456789"; /* A..Z, '-' unused */
  if (c >= '0' && c <= '9') return c - '0';
  return values[c - 'A'] - '0';
}

/* The check character position 9 should hold, for a syntactically valid VIN. */
static char check_char(const char *vin) {
  static const int weights[VIN_LEN] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
  int sum = 0;
  for (int i = 0; i < VIN_LEN; i++)
    sum += char_value(vin[i]) * weights[i];
  sum %= 11;
  return sum == 10 ? 'X' : (char)('0' + sum);
}

/* The year of code c in the first cycle (1980-2009), 0 when c is no year code. */
static int year_base(char c) {
  static const char codes[] = "ABCDEFGHJKLMNPRSTVWXY123456789";
  if (!c) return 0;
  const char *p = strchr(codes, c);
  return p ? YEAR_FIRST + (int)(p - codes) : 0;
}

static int north_american(const char *vin) { return vin[0] >= '1' && vin[0] <= '5'; }

static void add_error(fc_vin_info *out, const char *code) {
  if (out->n_errors < FC_VIN_MAX_ERRORS) out->errors[out->n_errors++] = code;
}

/* Fills the model-year candidates and model_year; returns 0 when position 10
 * is no year code. In North America position 7 tells the cycle for passenger
 * vehicles (digit: 1980-2009, letter: 2010-2039); that year goes first, the
 * others follow in case the vehicle is not a passenger vehicle. */
static int model_years(const char *vin, int max_year, fc_vin_info *out) {
  int base = year_base(vin[9]);
  if (!base) return 0;
  int limit = max_year > YEAR_LAST ? YEAR_LAST : max_year;
  int preferred = 0;
  if (north_american(vin)) preferred = vin[6] >= '0' && vin[6] <= '9' ? base : base + YEAR_CYCLE;
  if (preferred > limit) preferred = 0;
  if (preferred) out->model_years[out->n_model_years++] = preferred;
  out->model_year = preferred;
  for (int k = FC_VIN_MAX_YEARS - 1; k >= 0; k--) {
    int y = base + k * YEAR_CYCLE;
    if (y <= limit && y != preferred && out->n_model_years < FC_VIN_MAX_YEARS)
      out->model_years[out->n_model_years++] = y;
  }
  if (out->n_model_years == 1) out->model_year = out->model_years[0];
  return 1;
}

const char *fc_vin_check_name(fc_vin_check c) {
  switch (c) {
  case FC_VIN_CHECK_OK:
    return "ok";
  case FC_VIN_CHECK_BAD:
    return "bad";
  case FC_VIN_CHECK_NA:
    break;
  }
  return "n/a";
}

int fc_vin_syntax_ok(const char *s) {
  if (!s) return 0;
  for (int i = 0; i < VIN_LEN; i++)
    if (!vin_char(s[i])) return 0; /* also stops at a NUL */
  return s[VIN_LEN] == 0;
}

void fc_vin_decode(const char *input, int max_year, fc_vin_info *out) {
  if (!out) return;
  *out = (fc_vin_info){.check = FC_VIN_CHECK_NA};
  if (!input) input = "";

  size_t start = 0, end = strlen(input);
  while (start < end && is_blank(input[start]))
    start++;
  while (end > start && is_blank(input[end - 1]))
    end--;

  char buf[VIN_LEN + 1] = {0};
  size_t n = 0;
  int alphabet_ok = 1, alnum = 1;
  for (size_t i = start; i < end; i++) {
    char c = input[i];
    if (c == ' ' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (!vin_char(c)) alphabet_ok = 0;
    if (!is_alnum_ascii(c)) alnum = 0;
    if (n < VIN_LEN) buf[n] = c;
    n++;
  }
  if (n >= 1 && n <= VIN_LEN && alnum)
    for (size_t i = 0; i <= n; i++)
      out->vin[i] = buf[i];

  if (n != VIN_LEN) add_error(out, "length");
  if (!alphabet_ok) add_error(out, "alphabet");
  if (n != VIN_LEN || !alphabet_ok) return;

  const char *vin = out->vin;
  for (int i = 0; i < 3; i++)
    out->wmi[i] = vin[i];
  out->manufacturer = fc_vin_manufacturer(vin);
  out->country = fc_vin_country(vin);
  out->region = fc_vin_region(vin);

  int valid = 1;
  if (vin[8] == check_char(vin)) {
    out->check = FC_VIN_CHECK_OK;
  } else if (north_american(vin)) {
    out->check = FC_VIN_CHECK_BAD;
    add_error(out, "check_digit");
    valid = 0;
  }
  if (!model_years(vin, max_year, out)) {
    add_error(out, "model_year_code");
    if (north_american(vin)) valid = 0;
  }
  out->valid = valid;
}
