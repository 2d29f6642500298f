/* Text folding: the cases search and matching depend on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/fold.h"

static void folds_to(const char *in, const char *want) {
  char *got = fc_fold(in);
  assert_non_null(got);
  assert_string_equal(got, want);
  /* Folding is idempotent: a folded query matches a folded index. */
  char *again = fc_fold(got);
  assert_non_null(again);
  assert_string_equal(again, got);
  free(again);
  free(got);
}

static void compacts_to(const char *in, const char *want) {
  char *got = fc_fold_compact(in);
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void accents_and_case(void **state) {
  folds_to("Émilie Dubois", "emilie dubois");
  folds_to("MÜLLER", "muller");
  folds_to("Müller", "muller");
  folds_to("muller", "muller");
  folds_to("Lefèvre", "lefevre");
  folds_to("Ångström", "angstrom");
  folds_to("Çelik", "celik");
  folds_to("E\xcc\x81milie", "emilie"); /* already decomposed: E + U+0301 */
  folds_to("İstanbul", "istanbul");     /* language-independent: dotted capital I -> i */
}

static void special_letters(void **state) {
  folds_to("Straße", "strasse");
  folds_to("STRASSE", "strasse");
  folds_to("\xef\xac\x81le", "file"); /* U+FB01 ligature fi */
  folds_to("ＡＢＣ１２３", "abc123"); /* full-width forms */
  /* Letters Unicode does not decompose keep their identity, only lower-cased. */
  folds_to("Øre", "øre");
  folds_to("Łódź", "łodz");
  folds_to("Ærø", "ærø");
}

static void other_scripts(void **state) {
  folds_to("李小龙", "李小龙");
  folds_to("ΣΊΣΥΦΟΣ", "σισυφοσ"); /* full folding maps final sigma too */
  folds_to("Москва", "москва");
}

static void white_space_and_invisibles(void **state) {
  folds_to("  a \t b  ", "a b");
  folds_to("a\xc2\xa0\xe2\x80\x83"
           "b",
           "a b");                      /* no-break space, em space */
  folds_to("Mül\xc2\xadler", "muller"); /* soft hyphen */
  folds_to("a\x01"
           "b\xe2\x80\x8b"
           "c",
           "abc");                 /* control, zero-width space */
  folds_to("a \xcc\x81 b", "a b"); /* a stray mark does not split a space run */
  folds_to(" \t\n ", "");
  folds_to("", "");
}

static void compact(void **state) {
  compacts_to("GH-123-X", "gh123x");
  compacts_to("gh 123x", "gh123x");
  compacts_to("B-FC 1234", "bfc1234");
  compacts_to("WVW/ZZZ.1JZ 3W 386752", "wvwzzz1jz3w386752");
  compacts_to("Émilie-Dubois", "emiliedubois");
  compacts_to("+49 (0)151 234-5678", "4901512345678");
  compacts_to("--", "");
}

static void refused(void **state) {
  assert_null(fc_fold(NULL));
  assert_null(fc_fold_compact(NULL));
  assert_null(fc_fold("\xff\xfe"));
  assert_null(fc_fold("abc\xc3"));          /* truncated sequence */
  assert_null(fc_fold("\xed\xa0\x80"));     /* UTF-16 surrogate */
  assert_null(fc_fold_compact("\xc0\xaf")); /* overlong '/' */

  const size_t big_len = (size_t)100 * 1024;
  char *big = malloc(big_len + 1);
  assert_non_null(big);
  memset(big, 'a', big_len);
  big[big_len] = 0;
  assert_null(fc_fold(big));
  assert_null(fc_fold_compact(big));
  /* Exactly at the cap is accepted, one byte over is not. */
  big[FC_FOLD_MAX_INPUT] = 0;
  char *ok = fc_fold(big);
  assert_non_null(ok);
  assert_int_equal(strlen(ok), FC_FOLD_MAX_INPUT);
  free(ok);
  big[FC_FOLD_MAX_INPUT] = 'a';
  big[FC_FOLD_MAX_INPUT + 1] = 0;
  assert_null(fc_fold(big));

  /* The worst expansion: U+FDFA (3 bytes) decomposes into 18 letters. */
  size_t n = 0;
  while (n + 3 <= FC_FOLD_MAX_INPUT) {
    memcpy(big + n, "\xef\xb7\xba", 3);
    n += 3;
  }
  big[n] = 0;
  ok = fc_fold(big);
  assert_non_null(ok);
  assert_true(strlen(ok) > 10 * n);
  free(ok);
  free(big);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(accents_and_case), cmocka_unit_test(special_letters),
      cmocka_unit_test(other_scripts),    cmocka_unit_test(white_space_and_invisibles),
      cmocka_unit_test(compact),          cmocka_unit_test(refused)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
