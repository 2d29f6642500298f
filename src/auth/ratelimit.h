/* Failure counting for login throttling: a fixed-size table of keys
 * ("account:<email>", "address:<ip>") with the failures in the current
 * window. Bounded memory whatever an attacker sends: when the table is full,
 * the entry with the oldest window is reused. Thread-safe. Time is passed in,
 * so tests control it. */
#ifndef FC_AUTH_RATELIMIT_H
#define FC_AUTH_RATELIMIT_H
#include <stdint.h>

typedef struct fc_ratelimit fc_ratelimit;

fc_ratelimit *fc_ratelimit_new(int slots, int64_t window_ms);
void fc_ratelimit_free(fc_ratelimit *rl);
/* 1 when key has limit or more failures in its window; *retry_after_s says for how long. */
int fc_ratelimit_blocked(fc_ratelimit *rl, const char *key, int limit, int64_t now_ms, int *retry_after_s);
void fc_ratelimit_fail(fc_ratelimit *rl, const char *key, int64_t now_ms);
void fc_ratelimit_reset(fc_ratelimit *rl, const char *key);

#endif
