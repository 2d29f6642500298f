/* Opaque identifiers: 26 characters of Crockford base32 encoding 48 bits of
 * milliseconds and 80 random bits, so they sort by creation time (cursor
 * pagination walks them in order) and cannot be guessed. */
#ifndef FC_CORE_ID_H
#define FC_CORE_ID_H
#include <stdint.h>

#define FC_ID_LEN 26

/* Writes a new NUL-terminated id into out (FC_ID_LEN + 1 bytes). */
void fc_id_new(char out[FC_ID_LEN + 1]);
/* Same, for a given time: used by tests and bulk loaders. */
void fc_id_at(int64_t ms, char out[FC_ID_LEN + 1]);
/* 1 if s has the shape of an id (length and alphabet), else 0. */
int fc_id_valid(const char *s);

#endif
