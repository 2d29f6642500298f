/* Phone numbers to E.164, through libphonenumber, from several threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/phone.h"

static void e164_is(const char *in, const char *region, const char *want) {
  char out[FC_PHONE_MAX];
  int rc = fc_phone_e164(in, region, out);
  if (rc != 0) fail_msg("\"%s\" (%s) was refused", in, region ? region : "NULL");
  assert_string_equal(out, want);
}

static void refused(const char *in, const char *region) {
  char out[FC_PHONE_MAX];
  memcpy(out, "garbage", 8);
  if (fc_phone_e164(in, region, out) != -1)
    fail_msg("\"%s\" (%s) was accepted as %s", in ? in : "NULL", region ? region : "NULL", out);
  assert_string_equal(out, "");
}

static void normalises(void **state) {
  e164_is("+49 151 2345678", NULL, "+491512345678");
  e164_is("+49 151 2345678", "", "+491512345678");
  e164_is("06 12 34 56 78", "NL", "+31612345678");
  e164_is("06-12345678", "nl", "+31612345678"); /* region in either case */
  e164_is("0470 12 34 56", "BE", "+32470123456");
  e164_is("(514) 555-0123", "CA", "+15145550123");    /* fictional, yet possible */
  e164_is("0032 2 123 45 67", "NL", "+3221234567");   /* international prefix of NL */
  e164_is("+33 6 12 34 56 78", "NL", "+33612345678"); /* explicit country wins */
  e164_is("+31612345678", "BE", "+31612345678");
  e164_is("1-800-FLOWERS", "US", "+18003569377");          /* vanity letters are digits */
  e164_is("Tel: +49 151 2345678", NULL, "+491512345678");  /* leading text skipped */
  e164_is("(514) 555-0123 ext. 45", "CA", "+15145550123"); /* extension dropped */
}

static void refuses(void **state) {
  refused("12", "NL");
  refused("12", NULL);
  refused("hello", "NL");
  refused("", "NL");
  refused(NULL, "NL");
  refused("06 12 34 56 78", NULL);     /* national number without a region */
  refused("555-0123", "US");           /* local only: no area code */
  refused("06 12 34 56 78 abc", "NL"); /* trailing letters read as vanity digits: too long */
  refused("06 12 34 56 78", "NLD");    /* region of the wrong shape */
  refused("06 12 34 56 78", "N1");
  refused("+49 151 2345678 1234567890", NULL); /* too long */
  refused("\xff\xfe", "NL");
  char big[201];
  memset(big, '1', 200);
  big[200] = 0;
  refused(big, "NL");
  memcpy(big, "+3161234567 ", 12); /* valid start, 65 bytes in all */
  memset(big + 12, ' ', 53);
  big[65] = 0;
  refused(big, "NL");
}

static void regions(void **state) {
  char r[3];
  fc_phone_region("+31612345678", r);
  assert_string_equal(r, "NL");
  fc_phone_region("+15145550123", r);
  assert_string_equal(r, "CA");
  fc_phone_region("+32470123456", r);
  assert_string_equal(r, "BE");
  fc_phone_region("+3161234567", r); /* possible, not valid: its code has one region */
  assert_string_equal(r, "NL");
  fc_phone_region("+447700900123", r); /* fictional UK range: +44 is shared with GG, IM, JE */
  assert_string_equal(r, "");
  fc_phone_region("+80012345678", r); /* international freephone: no region */
  assert_string_equal(r, "");
  fc_phone_region("hello", r);
  assert_string_equal(r, "");
  fc_phone_region(NULL, r);
  assert_string_equal(r, "");
}

enum { THREADS = 4, ROUNDS = 300 };

static const struct {
  const char *in, *region, *want;
} cases[] = {
    {"+49 151 2345678", NULL, "+491512345678"},
    {"06 12 34 56 78", "NL", "+31612345678"},
    {"0470 12 34 56", "BE", "+32470123456"},
    {"(514) 555-0123", "CA", "+15145550123"},
    {"0032 2 123 45 67", "NL", "+3221234567"},
    {"+33 6 12 34 56 78", "NL", "+33612345678"},
    {"hello", "NL", NULL},
    {"12", NULL, NULL},
};

static void *worker(void *arg) {
  size_t start = (size_t)(uintptr_t)arg;
  size_t ncases = sizeof cases / sizeof cases[0];
  for (int i = 0; i < ROUNDS; i++) {
    size_t c = (start + (size_t)i) % ncases;
    char out[FC_PHONE_MAX];
    int rc = fc_phone_e164(cases[c].in, cases[c].region, out);
    if (cases[c].want ? (rc != 0 || strcmp(out, cases[c].want) != 0) : rc != -1) return (void *)1;
    char r[3];
    if (rc == 0) fc_phone_region(out, r);
  }
  return NULL;
}

static void threads(void **state) {
  pthread_t t[THREADS];
  for (size_t i = 0; i < THREADS; i++)
    assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i), 0);
  for (size_t i = 0; i < THREADS; i++) {
    void *res = (void *)1;
    assert_int_equal(pthread_join(t[i], &res), 0);
    assert_null(res);
  }
}

int main(void) {
  /* threads runs first, so the threads race to create the library's singleton. */
  const struct CMUnitTest tests[] = {cmocka_unit_test(threads), cmocka_unit_test(normalises),
                                     cmocka_unit_test(refuses), cmocka_unit_test(regions)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
