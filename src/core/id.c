#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include "core/id.h"
#include "core/timeutil.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void encode(const unsigned char raw[16], char out[FC_ID_LEN + 1]);

void fc_id_at(int64_t ms, char out[FC_ID_LEN + 1]) {
  unsigned char raw[16];
  uint64_t t = (uint64_t)ms;
  for (int i = 5; i >= 0; i--) {
    raw[i] = (unsigned char)(t & 0xff);
    t >>= 8;
  }
  randombytes_buf(raw + 6, 10);
  encode(raw, out);
}

/* Ids made in the same millisecond still sort in the order they were made
 * (the latest consent or reading is the one with the highest id): within a
 * millisecond the random part counts up from its first value. The state
 * belongs to the generator; the lock is held for a few instructions. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t last_ms = -1;
static unsigned char last_rand[10];

/* 128 bits -> 26 base32 digits, most significant first (the top digit holds 3 bits). */
static void encode(const unsigned char raw[16], char out[FC_ID_LEN + 1]) {
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

void fc_id_new(char out[FC_ID_LEN + 1]) {
  unsigned char raw[16];
  int64_t ms = fc_time_now_ms();
  pthread_mutex_lock(&lock);
  if (ms <= last_ms) { /* same millisecond (or the clock stepped back): count up */
    ms = last_ms;
    for (int i = 9; i >= 0 && ++last_rand[i] == 0; i--) {
    }
  } else {
    last_ms = ms;
    randombytes_buf(last_rand, sizeof last_rand);
    last_rand[0] &= 0x7f; /* room to count up without wrapping */
  }
  memcpy(raw + 6, last_rand, 10);
  pthread_mutex_unlock(&lock);
  uint64_t t = (uint64_t)ms;
  for (int i = 5; i >= 0; i--) {
    raw[i] = (unsigned char)(t & 0xff);
    t >>= 8;
  }
  encode(raw, out);
}

int fc_id_valid(const char *s) {
  if (!s || strlen(s) != FC_ID_LEN) return 0;
  for (const char *p = s; *p; p++)
    if (!strchr(alphabet, *p)) return 0;
  return 1;
}
