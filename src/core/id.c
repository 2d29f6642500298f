#include <sodium.h>
#include <string.h>
#include "core/id.h"
#include "core/timeutil.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void fc_id_at(int64_t ms, char out[FC_ID_LEN + 1]) {
  unsigned char raw[16];
  uint64_t t = (uint64_t)ms;
  for (int i = 5; i >= 0; i--) {
    raw[i] = (unsigned char)(t & 0xff);
    t >>= 8;
  }
  randombytes_buf(raw + 6, 10);
  /* 128 bits -> 26 base32 digits, most significant first (the top digit holds 3 bits). */
  for (int i = FC_ID_LEN - 1; i >= 0; i--) {
    int bit = (FC_ID_LEN - 1 - i) * 5;
    unsigned v = 0;
    for (int k = 0; k < 5; k++) {
      int b = bit + k;
      if (b < 128 && (raw[15 - b / 8] >> (b % 8)) & 1) v |= 1u << k;
    }
    out[i] = alphabet[v];
  }
  out[FC_ID_LEN] = 0;
}

void fc_id_new(char out[FC_ID_LEN + 1]) { fc_id_at(fc_time_now_ms(), out); }

int fc_id_valid(const char *s) {
  if (!s || strlen(s) != FC_ID_LEN) return 0;
  for (const char *p = s; *p; p++)
    if (!strchr(alphabet, *p)) return 0;
  return 1;
}
