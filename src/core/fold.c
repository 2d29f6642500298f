/* Text folding on libunistring.
 *
 * One pass of u8_casefold with UNINORM_NFKD gives Unicode's compatibility
 * caseless form, NFKD(toCasefold(NFKD(toCasefold(NFD(X))))), which already
 * holds the decomposition ("é" -> "e" + U+0301, "ﬁ" -> "fi", "ß" -> "ss").
 * A second pass over its code points drops what must not take part in
 * matching and collapses white space. Everything allocated here is released
 * before return except the result. libunistring keeps no mutable state for
 * these calls (language NULL: no locale lookup), so this is thread-safe. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "core/fold.h"

/* 1 if uc takes no part in matching: combining marks, control characters
 * other than white space, and code points meant to be invisible. */
static int ignorable(ucs4_t uc) {
  if (uc_is_general_category(uc, UC_CATEGORY_M)) return 1;
  if (uc_is_general_category(uc, UC_CATEGORY_Cc) && !uc_is_property_white_space(uc)) return 1;
  return uc_is_property_default_ignorable_code_point(uc);
}

static char *fold(const char *s, int compact) {
  uint8_t *folded = NULL;
  char *out = NULL;
  size_t n, len = 0, o = 0;
  int pending_space = 0;

  if (!s) goto out;
  n = strnlen(s, FC_FOLD_MAX_INPUT + 1);
  if (n > FC_FOLD_MAX_INPUT) goto out;
  if (u8_check((const uint8_t *)s, n) != NULL) goto out;
  if (n == 0) {
    out = calloc(1, 1);
    goto out;
  }
  folded = u8_casefold((const uint8_t *)s, n, NULL, UNINORM_NFKD, NULL, &len);
  if (!folded) goto out;
  /* The second pass only drops or shortens, so len + 1 bytes suffice. */
  out = malloc(len + 1);
  if (!out) goto out;
  for (size_t i = 0; i < len;) {
    ucs4_t uc;
    int k = u8_mbtouc(&uc, folded + i, len - i);
    const uint8_t *p = folded + i;
    i += (size_t)k;
    if (uc_is_property_white_space(uc)) {
      pending_space = 1;
      continue;
    }
    if (ignorable(uc)) continue;
    if (compact) {
      if (!uc_is_general_category(uc, UC_CATEGORY_L) && !uc_is_general_category(uc, UC_CATEGORY_N)) continue;
    } else if (pending_space && o > 0) {
      out[o++] = ' ';
    }
    pending_space = 0;
    memcpy(out + o, p, (size_t)k);
    o += (size_t)k;
  }
  out[o] = 0;
out:
  free(folded);
  return out;
}

char *fc_fold(const char *s) { return fold(s, 0); }

char *fc_fold_compact(const char *s) { return fold(s, 1); }
