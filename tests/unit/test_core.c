/* Pure helpers: JSON reading, ids, times, validation, the arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "store/store.h"

static json_t *parse(const char *s, fc_err *err, fc_error *e) {
  json_t *doc = NULL;
  *err = fc_json_parse_object(s, strlen(s), &doc, e);
  return doc;
}

static void json_reading(void **state) {
  fc_error e = {0};
  fc_err err;
  json_t *doc = parse("{\"name\":\"Émilie Dubois\",\"n\":5,\"tags\":[\"a\"]}", &err, &e);
  assert_int_equal(err, FC_OK);
  const char *s = NULL;
  assert_int_equal(fc_json_str(doc, "name", 100, &s, &e), FC_OK);
  assert_string_equal(s, "Émilie Dubois");
  assert_int_equal(fc_json_str(doc, "missing", 100, &s, &e), FC_OK);
  assert_null(s);
  assert_int_equal(fc_json_str(doc, "n", 100, &s, &e), FC_EBADREQ); /* wrong type */
  fc_error_clear(&e);
  assert_int_equal(fc_json_str(doc, "name", 3, &s, &e), FC_EINVAL); /* too long */
  assert_string_equal(json_string_value(json_object_get(e.fields, "name")), "is too long");
  fc_error_clear(&e);
  assert_int_equal(fc_json_str_req(doc, "missing", 100, &s, &e), FC_EINVAL);
  fc_error_clear(&e);
  static const char *const allowed[] = {"name", "n", NULL};
  assert_int_equal(fc_json_only(doc, allowed, &e), FC_EBADREQ); /* "tags" is unknown */
  assert_non_null(strstr(e.message, "tags"));
  fc_error_clear(&e);
  long long v = 0;
  int present = 0;
  assert_int_equal(fc_json_int(doc, "n", &v, &present, &e), FC_OK);
  assert_int_equal(v, 5);
  assert_int_equal(present, 1);
  json_decref(doc);
}

static void json_hostile(void **state) {
  fc_error e = {0};
  fc_err err;
  const char *bad[] = {"", "[]", "\"x\"", "{", "{\"a\":1,\"a\":2}", "{\"a\":\"\\u0000\"}", "nul\0l"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_t *doc = parse(bad[i], &err, &e);
    assert_null(doc);
    assert_int_equal(err, FC_EBADREQ);
    assert_true(e.message[0] != 0);
    fc_error_clear(&e);
  }
  /* 100000 nested arrays: refused by the parser's depth cap, not a stack overflow. */
  static char deep[200003];
  deep[0] = '{';
  memcpy(deep + 1, "\"a\":", 4);
  memset(deep + 5, '[', 100000);
  json_t *doc = parse(deep, &err, &e);
  assert_null(doc);
  assert_int_equal(err, FC_EBADREQ);
  fc_error_clear(&e);
  doc = parse("{\"ctl\":\"a\\u0001b\"}", &err, &e);
  const char *s = NULL;
  assert_int_equal(fc_json_str(doc, "ctl", 100, &s, &e), FC_EINVAL);
  fc_error_clear(&e);
  json_decref(doc);
}

static void ids(void **state) {
  char a[FC_ID_LEN + 1], b[FC_ID_LEN + 1], c[FC_ID_LEN + 1];
  fc_id_at(1000, a);
  fc_id_at(2000, b);
  fc_id_at(2000, c);
  assert_int_equal(strlen(a), FC_ID_LEN);
  assert_true(strcmp(a, b) < 0); /* time-ordered */
  assert_string_not_equal(b, c); /* random tail */
  assert_int_equal(memcmp(b, c, 10), 0); /* same millisecond prefix */
  assert_true(fc_id_valid(a));
  assert_false(fc_id_valid("01ABC"));
  assert_false(fc_id_valid("01M8240B3H8RVXGQ9ZHKTS1E3U")); /* U is not in the alphabet */
}

static void times(void **state) {
  char buf[40];
  fc_time_format(0, buf, sizeof buf);
  assert_string_equal(buf, "1970-01-01T00:00:00Z");
  fc_time_format(1795367051123LL, buf, sizeof buf);
  assert_string_equal(buf, "2026-11-22T17:04:11.123Z");
  int64_t ms = 0;
  assert_int_equal(fc_time_parse("2026-11-22T17:04:11Z", &ms), 0);
  assert_int_equal(ms, 1795367051000LL);
  assert_int_equal(fc_time_parse("2026-11-22T18:04:11.123+01:00", &ms), 0);
  assert_int_equal(ms, 1795367051123LL);
  assert_int_equal(fc_time_parse("2027-04-06T10:00:00-04:00", &ms), 0);
  fc_time_format(ms, buf, sizeof buf);
  assert_string_equal(buf, "2027-04-06T14:00:00Z");
  assert_int_equal(fc_time_parse("2026-11-22 17:04", &ms), -1);
  assert_int_equal(fc_time_parse("2026-13-01T00:00:00Z", &ms), -1);
  assert_int_equal(fc_time_parse("2026-11-22T17:04:11", &ms), -1); /* no offset */
  assert_int_equal(fc_time_parse(NULL, &ms), -1);
}

static void validation(void **state) {
  assert_true(fc_valid_slug("garage-amstel"));
  assert_false(fc_valid_slug("-x"));
  assert_false(fc_valid_slug("Garage"));
  assert_false(fc_valid_slug(""));
  assert_true(fc_valid_locale("fr-CA"));
  assert_true(fc_valid_locale("nl"));
  assert_false(fc_valid_locale("fr_CA"));
  assert_false(fc_valid_locale("english"));
  assert_true(fc_valid_timezone("Europe/Amsterdam"));
  assert_true(fc_valid_timezone("America/Montreal"));
  assert_true(fc_valid_timezone("UTC"));
  assert_false(fc_valid_timezone("Mars/Olympus"));
  assert_false(fc_valid_timezone("../../etc/passwd"));
  assert_false(fc_valid_timezone("/etc/passwd"));
  assert_true(fc_valid_email("j@example.de"));
  assert_false(fc_valid_email("j@localhost"));
  assert_false(fc_valid_email("a b@example.de"));
  assert_false(fc_valid_email("@example.de"));
  char folded[64];
  fc_email_fold("Jurgen.MULLER@Example.DE", folded, sizeof folded);
  assert_string_equal(folded, "jurgen.muller@example.de");
}

static void arena(void **state) {
  fc_arena *a = fc_arena_new();
  assert_non_null(a);
  char *s = fc_arena_strdup(a, "李小龙");
  assert_string_equal(s, "李小龙");
  assert_null(fc_arena_strdup(a, NULL));
  for (int i = 0; i < 1000; i++) {
    unsigned char *p = fc_arena_alloc(a, 100);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    assert_int_equal(p[99], 0); /* zeroed */
    p[99] = 1;
  }
  char *big = fc_arena_alloc(a, 5 << 20); /* larger than a block */
  assert_non_null(big);
  big[(5 << 20) - 1] = 1;
  assert_string_equal(fc_arena_printf(a, "%s-%d", "v", 3), "v-3");
  assert_true(fc_arena_used(a) > (5u << 20));
  assert_null(fc_arena_alloc(a, (size_t)-1));
  fc_arena_free(a);
}

/* Names written into SQL text (the search fragment, the seeder's bulk
 * statements): plain lower-case words only. */
static void sql_identifiers(void **state) {
  (void)state;
  const char *ok[] = {"customers", "customers_fts", "phone_e164", "a", "x1234567890123456789012345678901234567"};
  const char *bad[] = {NULL, "", "1table", "Customers", "a b", "x;drop table users", "t--", "\"t\"", "t.c",
                       "x12345678901234567890123456789012345678901", "caf\xc3\xa9"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) assert_true(fc_store_identifier_ok(ok[i]));
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) assert_false(fc_store_identifier_ok(bad[i]));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(json_reading), cmocka_unit_test(json_hostile),
                                     cmocka_unit_test(ids), cmocka_unit_test(times),
                                     cmocka_unit_test(validation), cmocka_unit_test(arena),
                                     cmocka_unit_test(sql_identifiers)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
