/* The ADF parser: every shared sample with the values read from the files,
 * the deviations of real senders, and hostile documents (XXE, entity
 * expansion, DTDs, oversized, malformed, too many, too deep, incomplete),
 * each of which must fail fast with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka needs the headers above first. */
#include <cmocka.h>
#include <dirent.h>
#include <time.h>

#include "leads/adf.h"

#ifndef FC_SOURCE_DIR
#define FC_SOURCE_DIR "/work/main"
#endif

enum { FAST_MS = 50 };

/* ---- helpers -------------------------------------------------------------- */

typedef struct result {
  fc_arena *arena;
  fc_adf_doc doc;
  fc_err code;
  int rc;
  double ms;
  char err[FC_ADF_MAX_ERROR];
} result;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Parses data[0..len) twice (both entry points) into r, timing the first. */
static void parse_n(result *r, const char *data, size_t len) {
  memset(r, 0, sizeof *r);
  r->arena = fc_arena_new();
  assert_non_null(r->arena);
  double t0 = now_ms();
  r->code = fc_adf_parse_ex(data, len, r->arena, &r->doc, r->err, sizeof r->err);
  r->ms = now_ms() - t0;
  fc_adf_doc again;
  char err2[FC_ADF_MAX_ERROR];
  r->rc = fc_adf_parse(data, len, r->arena, &again, err2, sizeof err2);
  assert_int_equal(r->rc == 0, r->code == FC_OK);
  assert_string_equal(r->err, err2);
  assert_int_equal(again.nprospects, r->doc.nprospects);
}

static void parse_s(result *r, const char *s) { parse_n(r, s, strlen(s)); }

static void done(result *r) { fc_arena_free(r->arena); }

/* Asserts a failure with code whose message contains want, in under FAST_MS. */
static void expect_fail(result *r, fc_err code, const char *want) {
  if (r->rc != -1 || r->code != code || !strstr(r->err, want))
    fail_msg("expected failure %d containing \"%s\", got rc %d code %d: \"%s\"", (int)code, want, r->rc,
             (int)r->code, r->err);
  assert_null(r->doc.prospects);
  assert_int_equal(r->doc.nprospects, 0);
  if (r->ms >= FAST_MS) fail_msg("took %.1f ms (\"%s\")", r->ms, r->err);
}

static void expect_ok(result *r, int nprospects) {
  if (r->rc != 0) fail_msg("expected success, got: %s", r->err);
  assert_int_equal(r->doc.nprospects, nprospects);
  assert_string_equal(r->err, "");
}

/* Equal strings, NULL only equal to NULL. */
#define assert_str(got, want)                                                                                \
  do {                                                                                                       \
    const char *g_ = (got), *w_ = (want);                                                                    \
    if (!w_) {                                                                                               \
      if (g_) fail_msg("%s: expected NULL, got \"%s\"", #got, g_);                                           \
    } else if (!g_ || strcmp(g_, w_) != 0) {                                                                 \
      fail_msg("%s: expected \"%s\", got %s%s%s", #got, w_, g_ ? "\"" : "", g_ ? g_ : "NULL",                \
               g_ ? "\"" : "");                                                                              \
    }                                                                                                        \
  } while (0)

static const char *data_dir(char *buf, size_t cap) {
  const char *env = getenv("FC_SHARED_DATA");
  if (env && env[0])
    snprintf(buf, cap, "%s/adf", env);
  else
    snprintf(buf, cap, "%s", FC_SOURCE_DIR "/../shared/data/adf");
  return buf;
}

/* Reads a sample into a malloc'd buffer (*len bytes). */
static char *load(const char *name, size_t *len) {
  char dir[512], path[1024];
  snprintf(path, sizeof path, "%s/%s", data_dir(dir, sizeof dir), name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  assert_true(n > 0);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static void parse_sample(result *r, const char *name) {
  size_t len = 0;
  char *buf = load(name, &len);
  parse_n(r, buf, len);
  free(buf);
  if (r->rc != 0) fail_msg("%s: %s", name, r->err);
  if (r->ms >= FAST_MS) fail_msg("%s took %.1f ms", name, r->ms);
}

/* Asserts a vehicle's main values. */
static void assert_vehicle(const fc_adf_vehicle *v, const char *interest, const char *status,
                           const char *year, const char *make, const char *model) {
  assert_str(v->interest, interest);
  assert_str(v->status, status);
  assert_str(v->year, year);
  assert_str(v->make, make);
  assert_str(v->model, model);
}

static void assert_phone(const fc_adf_phone *ph, const char *number, const char *type, const char *time,
                         int preferred) {
  assert_str(ph->number, number);
  assert_str(ph->type, type);
  assert_str(ph->time, time);
  assert_int_equal(ph->preferred, preferred);
}

/* ---- the shared samples, value by value ------------------------------------ */

static void sample_a(void **state) {
  result r;
  parse_sample(&r, "a-web-eprice.xml");
  expect_ok(&r, 1);
  const fc_adf_prospect *p = &r.doc.prospects[0];
  assert_str(p->status, "new");
  assert_str(p->request_date, "2026-11-20T09:14:00-05:00");
  assert_int_equal(p->nids, 1);
  assert_str(p->ids[0], "WEB-2026-004711");
  assert_str(p->id_sources[0], "dealer-website");
  assert_int_equal(p->nvehicles, 1);
  const fc_adf_vehicle *v = &p->vehicles[0];
  assert_vehicle(v, "buy", "new", "2026", "Toyota", "RAV4");
  assert_str(v->stock, "T26-0412");
  assert_str(v->trim, "XLE Premium");
  assert_str(v->vin, NULL);
  assert_str(v->price, NULL);
  const fc_adf_contact *c = &p->customer;
  assert_str(c->first_name, "Maria");
  assert_str(c->last_name, "Lopez");
  assert_str(c->full_name, "Maria Lopez");
  assert_str(c->email, "maria.lopez@example.com");
  assert_int_equal(c->email_preferred, 1);
  assert_int_equal(c->nphones, 2);
  assert_phone(&c->phones[0], "+1-555-0100", "cellphone", "evening", 1);
  assert_phone(&c->phones[1], "+1-555-0101", "voice", "day", 0);
  assert_str(c->street, "742 Evergreen Terrace");
  assert_str(c->city, "Springfield");
  assert_str(c->region, "IL");
  assert_str(c->postal_code, "62704");
  assert_str(c->country, "US");
  assert_str(p->customer_comments, "Is this one still available? I want to buy this month.");
  /* The vendor's contact (Internet Sales) is not the customer. */
  assert_str(p->vendor_name, "Springfield Toyota");
  assert_str(p->provider_name, "Springfield Toyota Website");
  assert_str(p->provider_service, "Get ePrice");
  done(&r);
}

static void sample_b(void **state) {
  result r;
  parse_sample(&r, "b-minimal-used.xml");
  expect_ok(&r, 1);
  const fc_adf_prospect *p = &r.doc.prospects[0];
  assert_str(p->status, "new"); /* the DTD's default */
  assert_str(p->request_date, "2026-11-21T16:02:31Z");
  assert_int_equal(p->nids, 0);
  assert_int_equal(p->nvehicles, 1);
  assert_vehicle(&p->vehicles[0], "buy", "used", "2013", "Volkswagen", "Passat");
  assert_str(p->vehicles[0].vin, "1VWBP7A37DC046870");
  assert_str(p->vehicles[0].stock, "U4471");
  const fc_adf_contact *c = &p->customer;
  assert_str(c->full_name, "Sam O'Neill");
  assert_str(c->first_name, NULL);
  assert_str(c->last_name, NULL);
  assert_str(c->email, NULL);
  assert_int_equal(c->nphones, 1); /* the vendor's phone is not the customer's */
  assert_phone(&c->phones[0], "(555) 010-0199", "voice", "nopreference", 0);
  assert_str(p->customer_comments, NULL);
  assert_str(p->vendor_name, "Harbor Used Cars");
  assert_str(p->provider_name, NULL);
  done(&r);
}

static void sample_c(void **state) {
  result r;
  parse_sample(&r, "c-configurator-tradein-de.xml");
  expect_ok(&r, 1);
  const fc_adf_prospect *p = &r.doc.prospects[0];
  assert_str(p->request_date, "2026-11-22T10:45:00+01:00");
  assert_int_equal(p->nids, 1); /* the vendor's id is not the prospect's */
  assert_str(p->ids[0], "CFG-DE-88213");
  assert_str(p->id_sources[0], "oem-configurator");
  assert_int_equal(p->nvehicles, 2);
  const fc_adf_vehicle *v = &p->vehicles[0];
  assert_vehicle(v, "buy", "new", "2027", "\xC5\xA0koda", "Octavia Combi"); /* Škoda */
  assert_str(v->trim, "Style 2.0 TDI");
  assert_int_equal(v->ncolours, 2);
  assert_str(v->colours[0].exterior, "Race-Blau Metallic");
  assert_str(v->colours[0].interior, "Schwarz");
  assert_str(v->colours[0].preference, "1");
  assert_str(v->colours[1].exterior, "Moon-Wei\xC3\x9F Metallic"); /* Weiß */
  assert_str(v->colours[1].interior, NULL);
  assert_str(v->colours[1].preference, "2");
  assert_str(v->colour, "Race-Blau Metallic");
  assert_str(v->interior_colour, "Schwarz");
  assert_str(v->price, "38990");
  assert_str(v->price_currency, "EUR");
  assert_str(v->price_type, "msrp");
  const fc_adf_vehicle *t = &p->vehicles[1];
  assert_vehicle(t, "trade-in", "used", "2017", "Volkswagen", "Golf");
  assert_str(t->odometer, "148500");
  assert_str(t->odometer_units, "km");
  assert_str(t->odometer_status, "original");
  assert_str(t->comments, "Scheckheftgepflegt, Winterr\xC3\xA4"
                          "der vorhanden.");
  const fc_adf_contact *c = &p->customer;
  assert_str(c->first_name, "J\xC3\xBCrgen");
  assert_str(c->last_name, "M\xC3\xBCller");
  assert_str(c->full_name, "J\xC3\xBCrgen M\xC3\xBCller");
  assert_str(c->email, "j.mueller@example.de");
  assert_int_equal(c->email_preferred, 0);
  assert_int_equal(c->nphones, 1);
  assert_phone(&c->phones[0], "+49 170 0000000", "cellphone", "morning", 0);
  assert_str(c->street, "Hauptstra\xC3\x9F"
                        "e 12");
  assert_str(c->city, "M\xC3\xBCnchen");
  assert_str(c->region, "BY");
  assert_str(c->postal_code, "80331");
  assert_str(c->country, "DE");
  assert_str(p->customer_comments, NULL);
  assert_str(p->vendor_name, "Autohaus Beispiel GmbH");
  assert_str(p->provider_name, "Importer Konfigurator");
  assert_str(p->provider_service, "Probefahrt/Angebot");
  done(&r);
}

static void sample_d(void **state) {
  result r;
  parse_sample(&r, "d-lease-resend-fr-cdata.xml");
  expect_ok(&r, 1);
  const fc_adf_prospect *p = &r.doc.prospects[0];
  assert_str(p->status, "resend");
  assert_str(p->request_date, "2026-11-19T18:30:00+01:00");
  assert_int_equal(p->nids, 1); /* the provider's id P-77 is not the prospect's */
  assert_str(p->ids[0], "MP-FR-552901");
  assert_str(p->id_sources[0], "marketplace-fr");
  assert_int_equal(p->nvehicles, 1);
  const fc_adf_vehicle *v = &p->vehicles[0];
  assert_vehicle(v, "lease", "new", "2026", "Renault", "Sc\xC3\xA9nic E-Tech");
  assert_str(v->trim, "Iconic");
  assert_str(v->price, "41500");
  assert_str(v->price_currency, "EUR");
  assert_str(v->price_type, "quote");
  assert_str(v->finance.method, "lease");
  assert_int_equal(v->finance.namounts, 2);
  assert_str(v->finance.amounts[0].type, "monthly");
  assert_str(v->finance.amounts[0].limit, "maximum");
  assert_str(v->finance.amounts[0].currency, "EUR");
  assert_str(v->finance.amounts[0].value, "450");
  assert_str(v->finance.amounts[1].type, "downpayment");
  assert_str(v->finance.amounts[1].limit, "exact");
  assert_str(v->finance.amounts[1].value, "3000");
  const fc_adf_contact *c = &p->customer;
  assert_str(c->first_name, "\xC3\x89milie");
  assert_str(c->last_name, "Dubois");
  assert_str(c->full_name, "\xC3\x89milie Dubois");
  assert_str(c->email, "emilie.dubois@example.fr");
  assert_int_equal(c->email_preferred, 1);
  assert_int_equal(c->nphones, 1);
  assert_phone(&c->phones[0], "+33 6 00 00 00 00", "cellphone", "afternoon", 0);
  assert_str(c->street, "18, rue de la Paix");
  assert_str(c->apartment, "B\xC3\xA2t. B");
  assert_str(c->city, "Lyon");
  assert_str(c->region, NULL);
  assert_str(c->postal_code, "69002");
  assert_str(c->country, "FR");
  assert_str(p->customer_comments,
             "Leasing 36 mois / 15 000 km par an ? Reprise < 5 000 \xE2\x82\xAC possible."); /* CDATA, € */
  assert_str(p->vendor_name, "Garage Exemple Lyon");
  assert_str(p->provider_name, "Marketplace FR");
  assert_str(p->provider_service, NULL);
  done(&r);
}

static void sample_e(void **state) {
  result r;
  parse_sample(&r, "e-testdrive-email-only.xml");
  expect_ok(&r, 1);
  const fc_adf_prospect *p = &r.doc.prospects[0];
  assert_str(p->request_date, "2026-11-22T07:05:12+00:00");
  assert_int_equal(p->nvehicles, 1);
  assert_vehicle(&p->vehicles[0], "test-drive", "new", "2026", "Kia", "EV3");
  assert_str(p->customer.first_name, "Aoife");
  assert_str(p->customer.last_name, "N\xC3\xAD Bhriain");
  assert_str(p->customer.full_name, "Aoife N\xC3\xAD Bhriain");
  assert_str(p->customer.email, "aoife@example.ie");
  assert_int_equal(p->customer.nphones, 0);
  assert_str(p->vendor_name, "Dublin Kia");
  done(&r);
}

static void sample_f(void **state) {
  result r;
  parse_sample(&r, "f-nonconformant-legacy-header.xml");
  expect_ok(&r, 1);
  const fc_adf_prospect *p = &r.doc.prospects[0];
  assert_str(p->status, "new");
  assert_str(p->request_date, "2026-11-18T11:20:00-06:00");
  /* The trade-in is only mentioned in the comments: no vehicle is invented. */
  assert_int_equal(p->nvehicles, 1);
  assert_vehicle(&p->vehicles[0], "buy", "used", "2019", "Ford", "F-150");
  assert_str(p->vehicles[0].vin, "1FTEW1E50KFA00000");
  assert_str(p->customer.full_name, "Dale Whitfield");
  assert_int_equal(p->customer.nphones, 1);
  assert_phone(&p->customer.phones[0], "555-0142", "cellphone", "nopreference", 0); /* type="mobile" */
  assert_str(p->customer.email, "dale.whitfield@example.com");
  assert_str(p->customer_comments, "Trade in my 2012 Silverado? Call after 5.");
  assert_str(p->vendor_name, NULL); /* no <vendor> at all */
  assert_str(p->provider_name, NULL);
  done(&r);
}

/* Every file in the folder parses and has a test above: a new sample must
 * come with its expected values. */
static void every_sample_known(void **state) {
  static const char *const known[] = {"a-web-eprice.xml",
                                      "b-minimal-used.xml",
                                      "c-configurator-tradein-de.xml",
                                      "d-lease-resend-fr-cdata.xml",
                                      "e-testdrive-email-only.xml",
                                      "f-nonconformant-legacy-header.xml"};
  char dir[512];
  DIR *d = opendir(data_dir(dir, sizeof dir));
  if (!d) fail_msg("cannot open %s", dir);
  int seen = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    int found = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
      found |= strcmp(e->d_name, known[i]) == 0;
    if (!found) fail_msg("sample %s has no test with its expected values", e->d_name);
    result r;
    parse_sample(&r, e->d_name);
    assert_true(r.doc.nprospects >= 1);
    done(&r);
    seen++;
  }
  closedir(d);
  assert_int_equal(seen, (int)(sizeof known / sizeof known[0]));
}

/* ---- deviations of real senders ------------------------------------------- */

#define PROSPECT_E                                                                                           \
  "<prospect><vehicle interest=\"buy\" status=\"new\"><year>2026</year><make>Kia</make>"                     \
  "<model>EV3</model></vehicle><customer><contact><name part=\"full\">Ann Lee</name>"                        \
  "<email>ann@example.com</email></contact></customer></prospect>"

static void bom_and_legacy_headers(void **state) {
  static const char *const docs[] = {
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?adf version=\"1.0\"?>\n<adf>" PROSPECT_E
      "</adf>",
      "<?ADF VERSION \"1.0\"?>\n<?XML VERSION \"1.0\"?>\n<adf>" PROSPECT_E "</adf>",
      "<?ADF VERSION \"1.0\"?>\n<?xml version=\"1.0\"?>\n<adf>" PROSPECT_E "</adf>",
      "\xEF\xBB\xBF<?ADF VERSION=\"1.0\"?>\r\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<adf>" PROSPECT_E
      "</adf>",
      "<?XML VERSION \"1.0\"?>\n<?ADF VERSION \"1.0\"?>\n<adf>" PROSPECT_E "</adf>",
      "<?xml version=\"1.0\"?>\n<?ADF VERSION \"1.0\"?>\n<adf>" PROSPECT_E "</adf>",
      "<?xml version=\"1.0\"?>\n<?XML VERSION \"1.0\"?>\n<adf>" PROSPECT_E "</adf>",
      "<?adf version=\"1.0\"?>\n<?xml version=\"1.0\"?>\n<adf>" PROSPECT_E "</adf>",
      "\n\n<?xml version=\"1.0\"?>\n<adf>" PROSPECT_E "</adf>",
      "<?adf version=\"1.0\"?><adf>" PROSPECT_E "</adf>",
      "<adf>" PROSPECT_E "</adf>",
      "<ADF><PROSPECT><VEHICLE INTEREST=\"BUY\" "
      "STATUS=\"NEW\"><Year>2026</Year><Make>Kia</Make><MODEL>EV3</MODEL>"
      "</VEHICLE><Customer><Contact><Name Part=\"Full\">Ann "
      "Lee</Name><EMail>ann@example.com</EMail></Contact>"
      "</Customer></PROSPECT></ADF>",
  };
  for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
    result r;
    parse_s(&r, docs[i]);
    if (r.rc != 0) fail_msg("document %zu: %s", i, r.err);
    const fc_adf_prospect *p = &r.doc.prospects[0];
    assert_vehicle(&p->vehicles[0], "buy", "new", "2026", "Kia", "EV3");
    assert_str(p->customer.full_name, "Ann Lee");
    assert_str(p->customer.email, "ann@example.com");
    done(&r);
  }
}

/* Lines cut from the legacy prolog still count in error messages. */
static void legacy_header_keeps_line_numbers(void **state) {
  result r;
  parse_s(&r, "<?ADF VERSION \"1.0\"?>\n<?XML VERSION \"1.0\"?>\n<?xml version=\"1.0\"?>\n<adf>\n<prospect>\n"
              "</vehicle>\n</prospect></adf>");
  expect_fail(&r, FC_EINVAL, "line 6: mismatched tag");
  done(&r);
  parse_s(&r, "<?XML VERSION \"1.0\"?>\n\n<adf>\n<prospect>\n</vehicle>\n</prospect></adf>");
  expect_fail(&r, FC_EINVAL, "line 5: mismatched tag");
  done(&r);
}

static void encodings(void **state) {
  result r;
  /* ISO-8859-1 declared: í (0xED), é (0xE9), ß (0xDF). */
  parse_s(&r, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<adf><prospect><customer><contact>"
              "<name part=\"first\">Aoife</name><name part=\"last\">N\xED Bhriain</name>"
              "<email>a@example.ie</email><address><street>Stra\xDF"
              "e 1</street><city>Gen\xE8ve</city></address>"
              "</contact><comments>caf\xE9</comments></customer></prospect></adf>");
  expect_ok(&r, 1);
  assert_str(r.doc.prospects[0].customer.last_name, "N\xC3\xAD Bhriain");
  assert_str(r.doc.prospects[0].customer.street, "Stra\xC3\x9F"
                                                 "e 1");
  assert_str(r.doc.prospects[0].customer.city, "Gen\xC3\xA8ve");
  assert_str(r.doc.prospects[0].customer_comments, "caf\xC3\xA9");
  done(&r);
  /* windows-1252: € is 0x80, ’ is 0x92. */
  parse_s(&r, "<?xml version=\"1.0\" encoding=\"windows-1252\"?><adf><prospect><customer><contact>"
              "<name>Sam O\x92Neill</name><phone>555 0100</phone></contact><comments>5 000 \x80</comments>"
              "</customer></prospect></adf>");
  expect_ok(&r, 1);
  assert_str(r.doc.prospects[0].customer.full_name, "Sam O\xE2\x80\x99Neill");
  assert_str(r.doc.prospects[0].customer_comments, "5 000 \xE2\x82\xAC");
  done(&r);
  /* ISO-8859-15: € is 0xA4. */
  parse_s(&r, "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><adf><prospect><customer><contact>"
              "<name>Ann Lee</name><phone>555 0100</phone></contact><comments>\xA4</comments>"
              "</customer></prospect></adf>");
  expect_ok(&r, 1);
  assert_str(r.doc.prospects[0].customer_comments, "\xE2\x82\xAC");
  done(&r);
  /* A legacy header is the only place the encoding is named. */
  parse_s(&r, "<?XML VERSION \"1.0\" ENCODING \"ISO-8859-1\"?>\n<adf><prospect><customer><contact>"
              "<name>Ren\xE9</name><phone>555 0100</phone></contact></customer></prospect></adf>");
  expect_ok(&r, 1);
  assert_str(r.doc.prospects[0].customer.full_name, "Ren\xC3\xA9");
  done(&r);
  /* UTF-16 with a byte-order mark. */
  static const char u16[] =
      "\xFF\xFE<\0a\0d\0f\0>\0<\0p\0r\0o\0s\0p\0e\0c\0t\0>\0<\0c\0u\0s\0t\0o\0m\0e\0r\0>\0"
      "<\0c\0o\0n\0t\0a\0c\0t\0>\0<\0n\0a\0m\0e\0>\0\xC9\0v\0e\0<\0/\0n\0a\0m\0e\0>\0"
      "<\0p\0h\0o\0n\0e\0>\0"
      "5\0"
      "5\0"
      "5\0"
      "0\0"
      "1\0<\0/\0p\0h\0o\0n\0e\0>\0"
      "<\0/\0c\0o\0n\0t\0a\0c\0t\0>\0<\0/\0c\0u\0s\0t\0o\0m\0e\0r\0>\0"
      "<\0/\0p\0r\0o\0s\0p\0e\0c\0t\0>\0<\0/\0a\0d\0f\0>\0";
  parse_n(&r, u16, sizeof u16 - 1);
  expect_ok(&r, 1);
  assert_str(r.doc.prospects[0].customer.full_name, "\xC3\x89ve");
  done(&r);
  /* Declared UTF-8 but Latin-1 bytes: refused, with the line. */
  parse_s(&r, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adf><prospect><customer><contact>\n"
              "<name>Ren\xE9</name></contact></customer></prospect></adf>");
  expect_fail(&r, FC_EINVAL, "line 3: not well-formed (invalid token)");
  done(&r);
  parse_s(&r, "<?xml version=\"1.0\" encoding=\"EBCDIC-XYZ\"?><adf/>");
  expect_fail(&r, FC_EINVAL, "line 1: unknown encoding");
  done(&r);
}

static void mapped_values(void **state) {
  result r;
  parse_s(&r,
          "<adf><prospect status=\"RESEND\"><vehicle interest=\"Trade In\"><year> 2012 </year>"
          "<make>\n   Chevrolet\n  </make><model>Silverado</model><condition>Good</condition>"
          "<odometer units=\"Miles\">120000</odometer><colorcombination><exteriorcolor>Red</exteriorcolor>"
          "<preference>2</preference></colorcombination><colorcombination><exteriorcolor>Blue</exteriorcolor>"
          "<preference>1</preference></colorcombination><colorcombination><preference>3</preference>"
          "</colorcombination><option><optionname>Tow package</optionname></option>"
          "<option><optionname> </optionname></option></vehicle>"
          "<vehicle interest=\"rent\" status=\"demo\"><make>Kia</make><price type=\"internet\">1</price>"
          "<finance><method>loan</method><amount>20000</amount><balance type=\"residual\">9000</balance>"
          "</finance><condition>mint</condition></vehicle>"
          "<vehicle interest=\"testdrive\"><make>Kia</make></vehicle>"
          "<customer><contact><name part=\"first\">Ann</name><name part=\"middle\">B.</name>"
          "<name part=\"last\">Lee</name><name part=\"suffix\">Jr.</name>"
          "<phone type=\"cell\" time=\"night\" preferredcontact=\"yes\">555 0100</phone>"
          "<phone type=\"home\">555 0101</phone><phone type=\"Mobile\">555 0102</phone>"
          "<phone type=\"satellite\">555 0103</phone><phone type=\"FAX\">555 0104</phone>"
          "<address><street line=\"1\">1 Main St</street><street line=\"2\">Unit 4</street></address>"
          "</contact><timeframe><description>within a month</description>"
          "<earliestdate>2026-12-01</earliestdate></timeframe>"
          "<comments><![CDATA[  a <b>bold</b> & plain ]]></comments></customer>"
          "<unknown><deep>ignored</deep></unknown></prospect></adf>");
  expect_ok(&r, 1);
  const fc_adf_prospect *p = &r.doc.prospects[0];
  assert_str(p->status, "resend");
  assert_int_equal(p->nvehicles, 3);
  const fc_adf_vehicle *v = &p->vehicles[0];
  assert_vehicle(v, "trade-in", "used", "2012", "Chevrolet", "Silverado"); /* a trade-in defaults to used */
  assert_str(v->condition, "good");
  assert_str(v->odometer_units, "mi");
  assert_int_equal(v->ncolours, 2); /* the empty combination is dropped */
  assert_str(v->colour, "Blue");
  assert_int_equal(v->noptions, 1);
  assert_str(v->options[0], "Tow package");
  v = &p->vehicles[1];
  assert_str(v->interest, "other");
  assert_str(v->status, "other");
  assert_str(v->price_type, "other");
  assert_str(v->price_currency, NULL);
  assert_str(v->finance.method, "other");
  assert_int_equal(v->finance.namounts, 1);
  assert_str(v->finance.amounts[0].type, "total");
  assert_str(v->finance.amounts[0].limit, "maximum");
  assert_str(v->finance.balance, "9000");
  assert_str(v->finance.balance_type, "residual");
  assert_str(v->condition, "other");
  assert_str(p->vehicles[2].interest, "test-drive");
  assert_str(p->vehicles[2].status, "new");
  const fc_adf_contact *c = &p->customer;
  assert_str(c->full_name, "Ann B. Lee Jr.");
  assert_int_equal(c->nphones, 5);
  assert_phone(&c->phones[0], "555 0100", "cellphone", "other", 1);
  assert_phone(&c->phones[1], "555 0101", "voice", "nopreference", 0);
  assert_str(c->phones[2].type, "cellphone");
  assert_str(c->phones[3].type, "other");
  assert_str(c->phones[4].type, "fax");
  assert_str(c->street, "1 Main St, Unit 4");
  assert_str(p->timeframe, "within a month");
  assert_str(p->timeframe_earliest, "2026-12-01");
  assert_str(p->customer_comments, "a <b>bold</b> & plain");
  assert_str(p->vendor_name, NULL);
  done(&r);
}

static void several_prospects(void **state) {
  result r;
  parse_s(&r, "<adf>" PROSPECT_E PROSPECT_E "<prospect status=\"resend\"><customer><contact><name>Bo</name>"
              "<phone>555-0199</phone></contact></customer></prospect></adf>");
  expect_ok(&r, 3);
  assert_str(r.doc.prospects[2].customer.full_name, "Bo");
  assert_str(r.doc.prospects[2].status, "resend");
  assert_int_equal(r.doc.prospects[2].nvehicles, 0);
  assert_str(r.doc.prospects[0].customer.full_name, "Ann Lee");
  done(&r);
  /* Exactly the cap. */
  size_t cap = 100 * sizeof PROSPECT_E + 64, n = 0;
  char *doc = malloc(cap);
  assert_non_null(doc);
  n += (size_t)snprintf(doc + n, cap - n, "<adf>");
  for (int i = 0; i < FC_ADF_MAX_PROSPECTS; i++)
    n += (size_t)snprintf(doc + n, cap - n, "%s", PROSPECT_E);
  n += (size_t)snprintf(doc + n, cap - n, "</adf>");
  parse_n(&r, doc, n);
  expect_ok(&r, FC_ADF_MAX_PROSPECTS);
  assert_str(r.doc.prospects[99].customer.email, "ann@example.com");
  done(&r);
  free(doc);
}

/* ---- what a lead needs ------------------------------------------------------- */

static void missing_what_a_lead_needs(void **state) {
  static const struct {
    const char *doc, *want;
  } cases[] = {
      {"<adf></adf>", "the document has no <prospect>"},
      {"<adf><vendor/></adf>", "the document has no <prospect>"},
      {"<adf>" PROSPECT_E "<prospect><vehicle><make>Kia</make></vehicle></prospect></adf>",
       "prospect 2 has no customer contact (name and e-mail or phone)"},
      {"<adf><prospect><customer><contact><email>a@example.com</email></contact></customer></prospect></adf>",
       "prospect 1: the customer contact has no name"},
      {"<adf><prospect><customer><contact><name>Ann</name></contact></customer></prospect></adf>",
       "prospect 1: the customer contact has no e-mail or phone"},
      {"<adf><prospect><customer><contact><name>Ann</name><email>not an address</email></contact></customer>"
       "</prospect></adf>",
       "prospect 1: the customer e-mail \"not an address\" is not an e-mail address and there is no phone"},
      {"<adf><prospect><customer><contact><name>Ann</name><phone>n/a</phone></contact></customer></"
       "prospect></adf>",
       "prospect 1: the customer phone \"n/a\" has fewer than 4 digits"},
      /* The vendor's contact does not stand in for the customer's. */
      {"<adf><prospect><customer><contact><name>Ann</name></contact></customer><vendor><contact>"
       "<name>Desk</name><email>desk@example.com</email></contact></vendor></prospect></adf>",
       "prospect 1: the customer contact has no e-mail or phone"},
      {"<adf><prospect><vendor><contact><name>Desk</name><email>desk@example.com</email></contact></vendor>"
       "</prospect></adf>",
       "prospect 1 has no customer contact"},
      {"<lead>" PROSPECT_E "</lead>", "line 1: the root element is <lead>, not <adf>"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    result r;
    parse_s(&r, cases[i].doc);
    expect_fail(&r, FC_EINVAL, cases[i].want);
    done(&r);
  }
}

/* ---- hostile documents ---------------------------------------------------------- */

static void xxe(void **state) {
  static const char *const docs[] = {
      "<?xml version=\"1.0\"?>\n<!DOCTYPE adf [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<adf><prospect><customer><contact><name>&x;</name><email>a@example.com</email></contact></customer>"
      "</prospect></adf>",
      "<!DOCTYPE adf [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><adf/>",
      "<!DOCTYPE adf SYSTEM \"file:///etc/passwd\"><adf/>",
      "<!DOCTYPE adf PUBLIC \"-//x//y\" \"http://127.0.0.1:9/adf.dtd\"><adf/>",
      "<?xml version=\"1.0\"?><!DOCTYPE adf><adf>" PROSPECT_E "</adf>",
  };
  for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
    result r;
    parse_s(&r, docs[i]);
    expect_fail(&r, FC_EBADREQ, "DTDs are not accepted");
    assert_null(strstr(r.err, "root:"));
    done(&r);
  }
}

static void billion_laughs(void **state) {
  char doc[4096];
  size_t n =
      (size_t)snprintf(doc, sizeof doc, "<?xml version=\"1.0\"?>\n<!DOCTYPE adf [\n<!ENTITY lol0 \"lol\">\n");
  for (int i = 1; i < 10; i++)
    n += (size_t)snprintf(
        doc + n, sizeof doc - n,
        "<!ENTITY lol%d \"&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;\">\n", i,
        i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
  snprintf(doc + n, sizeof doc - n,
           "]>\n<adf><prospect><customer><comments>&lol9;</comments></customer></prospect></adf>");
  result r;
  parse_s(&r, doc);
  expect_fail(&r, FC_EBADREQ, "DTDs are not accepted");
  done(&r);
  /* Without a DTD an entity reference is simply undefined. */
  parse_s(&r, "<adf><prospect><customer><comments>&lol9;</comments></customer></prospect></adf>");
  expect_fail(&r, FC_EINVAL, "line 1: undefined entity");
  done(&r);
}

static void oversized(void **state) {
  size_t n = 2u << 20;
  char *doc = malloc(n);
  assert_non_null(doc);
  memset(doc, ' ', n);
  memcpy(doc, "<adf>", 5);
  memcpy(doc + n - 6, "</adf>", 6);
  result r;
  parse_n(&r, doc, n);
  expect_fail(&r, FC_ETOOBIG, "larger than 1048576 bytes");
  done(&r);
  parse_n(&r, doc, FC_ADF_MAX_BYTES + 1);
  expect_fail(&r, FC_ETOOBIG, "larger than");
  done(&r);
  /* Exactly the cap is fine: a valid document padded with a comment. */
  static const char head[] = "<adf>" PROSPECT_E "<!--";
  memcpy(doc, head, sizeof head - 1);
  memset(doc + sizeof head - 1, 'x', FC_ADF_MAX_BYTES - (sizeof head - 1));
  memcpy(doc + FC_ADF_MAX_BYTES - 9, "--></adf>", 9);
  parse_n(&r, doc, FC_ADF_MAX_BYTES);
  expect_ok(&r, 1);
  assert_true(r.ms < FAST_MS);
  done(&r);
  /* A field over the text cap. */
  n = (size_t)snprintf(doc, 64, "<adf><prospect><customer><comments>");
  memset(doc + n, 'x', FC_ADF_MAX_TEXT + 1);
  n += FC_ADF_MAX_TEXT + 1;
  n += (size_t)snprintf(doc + n, 64, "</comments></customer></prospect></adf>");
  parse_n(&r, doc, n);
  expect_fail(&r, FC_EINVAL, "line 1: the text of <comments> is longer than 4096 bytes");
  done(&r);
  /* An attribute over the same cap. */
  n = (size_t)snprintf(doc, 64, "<adf><prospect><id source=\"");
  memset(doc + n, 'x', FC_ADF_MAX_TEXT + 1);
  n += FC_ADF_MAX_TEXT + 1;
  n += (size_t)snprintf(doc + n, 64, "\">1</id></prospect></adf>");
  parse_n(&r, doc, n);
  expect_fail(&r, FC_EINVAL, "line 1: the source attribute is longer than 4096 bytes");
  done(&r);
  free(doc);
}

static void too_many(void **state) {
  size_t cap = 101 * sizeof PROSPECT_E + 64, n = 0;
  char *doc = malloc(cap);
  assert_non_null(doc);
  n += (size_t)snprintf(doc + n, cap - n, "<adf>\n");
  for (int i = 0; i <= FC_ADF_MAX_PROSPECTS; i++)
    n += (size_t)snprintf(doc + n, cap - n, "%s\n", PROSPECT_E);
  n += (size_t)snprintf(doc + n, cap - n, "</adf>");
  result r;
  parse_n(&r, doc, n);
  expect_fail(&r, FC_EINVAL, "line 102: more than 100 prospects");
  done(&r);
  free(doc);

  static const struct {
    const char *doc, *want;
  } cases[] = {
      {"<adf><prospect><vehicle/><vehicle/><vehicle/><vehicle/><vehicle/><vehicle/><vehicle/><vehicle/>"
       "<vehicle/><vehicle/><vehicle/></prospect></adf>",
       "prospect 1 has more than 10 vehicles"},
      {"<adf><prospect><customer><contact><phone>1111</phone><phone>2222</phone><phone>3333</phone>"
       "<phone>4444</phone><phone>5555</phone><phone>6666</phone></contact></customer></prospect></adf>",
       "prospect 1 has more than 5 customer phones"},
      {"<adf><prospect><id>1</id><id>2</id><id>3</id><id>4</id><id>5</id></prospect></adf>",
       "prospect 1 has more than 4 ids"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    parse_s(&r, cases[i].doc);
    expect_fail(&r, FC_EINVAL, cases[i].want);
    done(&r);
  }
}

static void deep_nesting(void **state) {
  enum { DEPTH = 100000 };
  size_t cap = DEPTH * 7 + 16;
  char *doc = malloc(cap);
  assert_non_null(doc);
  size_t n = 0;
  for (int i = 0; i < DEPTH; i++)
    memcpy(doc + n, "<adf>", 5), n += 5;
  result r;
  parse_n(&r, doc, n);
  expect_fail(&r, FC_EINVAL, "nested deeper than 32 levels");
  done(&r);
  /* Depth 32 is fine, 33 is not. */
  n = 0;
  n += (size_t)snprintf(doc + n, cap - n, "<adf><prospect><customer><contact><name>A</name><phone>5550100</phone>"
                                "</contact></customer>");
  for (int i = 2; i < 32; i++)
    n += (size_t)snprintf(doc + n, cap - n, "<x>");
  for (int i = 2; i < 32; i++)
    n += (size_t)snprintf(doc + n, cap - n, "</x>");
  n += (size_t)snprintf(doc + n, cap - n, "</prospect></adf>");
  parse_n(&r, doc, n);
  expect_ok(&r, 1);
  done(&r);
  n = 0;
  n += (size_t)snprintf(doc + n, cap - n, "<adf><prospect>");
  for (int i = 2; i < 33; i++)
    n += (size_t)snprintf(doc + n, cap - n, "<x>");
  parse_n(&r, doc, n);
  expect_fail(&r, FC_EINVAL, "line 1: elements are nested deeper than 32 levels");
  done(&r);
  free(doc);
}

static void malformed_and_not_xml(void **state) {
  static const struct {
    const char *doc;
    size_t len;
    const char *want;
  } cases[] = {
      {"<?xml version=\"1.0\"?>\n<adf>\n<prospect>\n</customer>\n</adf>", 0, "line 4: mismatched tag"},
      {"", 0, "the document is empty"},
      {"   \n\t ", 0, "the document is empty"},
      {"\xEF\xBB\xBF", 0, "the document is empty"},
      {"hello, world", 0, "line 1: syntax error"},
      {"{\"lead\": 1}", 0, "line 1: not well-formed (invalid token)"},
      {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "line 1: not well-formed"},
      {"<adf><prospect>\0</prospect></adf>", 33, "line 1: not well-formed"},
      {"<adf><prospect a=1></prospect></adf>", 0, "line 1: not well-formed"},
      {"<adf>" PROSPECT_E "</adf><adf/>", 0, "line 1: junk after document element"},
      {"<adf>\n<prospect>\n<customer>\n<contact><name>Ann", 0,
       "line 4: the document ends inside <name> (truncated?)"},
      {"<?xml version=\"1.0\"?>", 0, "line 1: no element found"},
      {"<?XML VERSION \"1.0\"?>", 0, "no element found"},
      {"<?xml version=\"1.0\"?><?xml version=\"1.0\"?><adf/>", 0, "the document has no <prospect>"},
      {"<?foo?><?xml version=\"1.0\"?><adf/>", 0, "line 1: XML or text declaration not at start of entity"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    result r;
    parse_n(&r, cases[i].doc, cases[i].len ? cases[i].len : strlen(cases[i].doc));
    expect_fail(&r, FC_EINVAL, cases[i].want);
    done(&r);
  }
  /* NULL data with no length is an empty document. */
  result r;
  parse_n(&r, NULL, 0);
  expect_fail(&r, FC_EINVAL, "the document is empty");
  done(&r);
}

/* Every prefix of a sample fails cleanly or (the whole) succeeds. */
static void truncated_samples(void **state) {
  size_t len = 0;
  char *buf = load("c-configurator-tradein-de.xml", &len);
  for (size_t n = 0; n < len; n++) {
    fc_arena *a = fc_arena_new();
    fc_adf_doc doc;
    char err[FC_ADF_MAX_ERROR];
    int rc = fc_adf_parse(buf, n, a, &doc, err, sizeof err);
    /* The last bytes are "</adf>\n": only the newline may be missing. */
    if (n < len - 1) {
      if (rc != -1) fail_msg("prefix of %zu bytes parsed", n);
      assert_true(err[0] != 0);
    }
    fc_arena_free(a);
  }
  free(buf);
}

/* A small error buffer truncates the message; a zero one is not written. */
static void error_buffer(void **state) {
  fc_arena *a = fc_arena_new();
  fc_adf_doc doc;
  char err[8];
  memset(err, 'z', sizeof err);
  assert_int_equal(fc_adf_parse("<adf>", 5, a, &doc, err, sizeof err), -1);
  assert_int_equal(strlen(err), 7);
  assert_int_equal(fc_adf_parse("<adf>", 5, a, &doc, NULL, 0), -1);
  fc_arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sample_a),
      cmocka_unit_test(sample_b),
      cmocka_unit_test(sample_c),
      cmocka_unit_test(sample_d),
      cmocka_unit_test(sample_e),
      cmocka_unit_test(sample_f),
      cmocka_unit_test(every_sample_known),
      cmocka_unit_test(bom_and_legacy_headers),
      cmocka_unit_test(legacy_header_keeps_line_numbers),
      cmocka_unit_test(encodings),
      cmocka_unit_test(mapped_values),
      cmocka_unit_test(several_prospects),
      cmocka_unit_test(missing_what_a_lead_needs),
      cmocka_unit_test(xxe),
      cmocka_unit_test(billion_laughs),
      cmocka_unit_test(oversized),
      cmocka_unit_test(too_many),
      cmocka_unit_test(deep_nesting),
      cmocka_unit_test(malformed_and_not_xml),
      cmocka_unit_test(truncated_samples),
      cmocka_unit_test(error_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
