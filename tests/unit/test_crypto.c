/* Passwords, tokens, constant-time comparison, the login rate limiter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "auth/crypto.h"
#include "auth/ratelimit.h"

static int setup(void **state) { return fc_crypto_init(); }

static void passwords(void **state) {
  char h1[FC_PWHASH_MAX], h2[FC_PWHASH_MAX];
  assert_int_equal(fc_password_hash("correct horse battery", h1), FC_OK);
  assert_int_equal(fc_password_hash("correct horse battery", h2), FC_OK);
  assert_non_null(strstr(h1, "$argon2id$"));
  assert_string_not_equal(h1, h2); /* salted */
  assert_int_equal(fc_password_verify(h1, "correct horse battery"), 1);
  assert_int_equal(fc_password_verify(h1, "correct horse batterY"), 0);
  assert_int_equal(fc_password_verify(h1, ""), 0);
  assert_int_equal(fc_password_verify("not a hash", "x"), 0);
  assert_int_equal(fc_password_verify(NULL, "x"), 0);
  assert_int_equal(fc_password_hash("Jürgen Müller 李小龙", h1), FC_OK);
  assert_int_equal(fc_password_verify(h1, "Jürgen Müller 李小龙"), 1);
}

static void tokens(void **state) {
  char a[FC_TOKEN_MAX], b[FC_TOKEN_MAX];
  fc_token_new("fcs_", a);
  fc_token_new("fcs_", b);
  assert_int_equal(strncmp(a, "fcs_", 4), 0);
  assert_int_equal(strlen(a), 4 + 43); /* 256 bits in base64url without padding */
  assert_string_not_equal(a, b);
  for (const char *p = a + 4; *p; p++) assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));

  unsigned char k1[FC_SECRET_BYTES] = {1}, k2[FC_SECRET_BYTES] = {2};
  char h1[FC_TOKEN_HASH_HEX], h1again[FC_TOKEN_HASH_HEX], h2[FC_TOKEN_HASH_HEX], hb[FC_TOKEN_HASH_HEX];
  fc_token_hash(k1, a, h1);
  fc_token_hash(k1, a, h1again);
  fc_token_hash(k2, a, h2);
  fc_token_hash(k1, b, hb);
  assert_int_equal(strlen(h1), 64);
  assert_string_equal(h1, h1again);
  assert_string_not_equal(h1, h2); /* keyed */
  assert_string_not_equal(h1, hb);
  assert_null(strstr(h1, a + 4));

  char c1[FC_TOKEN_MAX], c2[FC_TOKEN_MAX];
  fc_token_derive(k1, "csrf", a, c1);
  fc_token_derive(k1, "csrf", b, c2);
  assert_string_not_equal(c1, c2);
  fc_token_derive(k1, "other", a, c2);
  assert_string_not_equal(c1, c2); /* labels separate uses */
}

static void constant_time_equal(void **state) {
  assert_int_equal(fc_secret_equal("abc", "abc"), 1);
  assert_int_equal(fc_secret_equal("abc", "abd"), 0);
  assert_int_equal(fc_secret_equal("abc", "abcd"), 0);
  assert_int_equal(fc_secret_equal("", ""), 1);
  assert_int_equal(fc_secret_equal(NULL, "a"), 0);
}

static void rate_limit(void **state) {
  fc_ratelimit *rl = fc_ratelimit_new(64, 1000);
  int retry = 0;
  for (int i = 0; i < 4; i++) fc_ratelimit_fail(rl, "account:a", 100);
  assert_int_equal(fc_ratelimit_blocked(rl, "account:a", 5, 100, &retry), 0);
  fc_ratelimit_fail(rl, "account:a", 200);
  assert_int_equal(fc_ratelimit_blocked(rl, "account:a", 5, 300, &retry), 1);
  assert_int_equal(retry, 1); /* window from t=100 ends at 1100 */
  assert_int_equal(fc_ratelimit_blocked(rl, "account:b", 5, 300, &retry), 0);
  assert_int_equal(fc_ratelimit_blocked(rl, "account:a", 5, 1200, &retry), 0); /* window over */
  fc_ratelimit_fail(rl, "account:b", 300);
  fc_ratelimit_reset(rl, "account:b");
  assert_int_equal(fc_ratelimit_blocked(rl, "account:b", 1, 300, &retry), 0);
  /* A flood of distinct keys stays within the table and evicts old entries. */
  char key[32];
  for (int i = 0; i < 10000; i++) {
    snprintf(key, sizeof key, "address:%d", i);
    fc_ratelimit_fail(rl, key, 2000 + i);
  }
  assert_int_equal(fc_ratelimit_blocked(rl, "address:9999", 1, 12000, &retry), 1);
  fc_ratelimit_free(rl);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(passwords), cmocka_unit_test(tokens),
                                     cmocka_unit_test(constant_time_equal), cmocka_unit_test(rate_limit)};
  return cmocka_run_group_tests(tests, setup, NULL);
}
