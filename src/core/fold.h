/* Folding text for search and matching.
 *
 * SQLite 3.40's FTS5 trigram tokenizer cannot remove diacritics and LIKE folds
 * ASCII only, so the store indexes a folded copy of names, plates and notes and
 * folds every query the same way. Folding is Unicode's compatibility caseless
 * form from libunistring (no hand-made tables), then combining marks dropped:
 * "Émilie" -> "emilie", "MÜLLER" -> "muller", "Straße" -> "strasse", "ﬁ" -> "fi".
 *
 * Letters Unicode does not decompose into a base letter plus a mark stay as
 * they are (lower-cased): "Øre" -> "øre", "Łódź" -> "łodz", "Æ" -> "æ".
 * Folding is language-independent (no Turkish dotless-i rule): "İ" -> "i".
 * Non-Latin scripts are kept ("李小龙" stays), but every combining mark goes,
 * including the vowel signs of Indic scripts and the kana voicing marks
 * ("ガ" -> "カ"); query and index fold alike, so such text still matches, only
 * less precisely.
 *
 * Both functions are pure and thread-safe. */
#ifndef FC_CORE_FOLD_H
#define FC_CORE_FOLD_H
#include <stddef.h>

/* Longest input accepted, in bytes. */
#define FC_FOLD_MAX_INPUT ((size_t)64 * 1024)

/* Folds s (borrowed, NUL-terminated UTF-8) for search and matching:
 * compatibility decomposition (NFKD), full case folding, combining marks,
 * control characters and default-ignorable code points (soft hyphen,
 * zero-width space, ...) removed; every run of white space becomes one space
 * and the ends are trimmed.
 * Returns a malloc'd NUL-terminated string (taken: the caller frees it), ""
 * for input that folds to nothing, or NULL when s is NULL, is not valid
 * UTF-8, is longer than FC_FOLD_MAX_INPUT bytes, or memory runs out. */
char *fc_fold(const char *s);

/* Same as fc_fold, then keeps only letters and digits (drops spaces, dashes,
 * dots, slashes, ...): the key for plates, VINs and phone fragments, so
 * "GH-123-X" -> "gh123x" and "B-FC 1234" -> "bfc1234". Same ownership and
 * failures as fc_fold. */
char *fc_fold_compact(const char *s);

#endif
