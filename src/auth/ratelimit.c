#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "auth/ratelimit.h"

typedef struct entry {
  uint64_t key; /* 0 = empty */
  int failures;
  int64_t window_start;
} entry;

struct fc_ratelimit {
  pthread_mutex_t lock;
  int slots;
  int64_t window_ms;
  entry *e;
};

enum { PROBES = 16 };

static uint64_t hash_key(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h ? h : 1;
}

fc_ratelimit *fc_ratelimit_new(int slots, int64_t window_ms) {
  fc_ratelimit *rl = calloc(1, sizeof *rl);
  if (!rl) return NULL;
  rl->e = calloc((size_t)slots, sizeof *rl->e);
  if (!rl->e) {
    free(rl);
    return NULL;
  }
  rl->slots = slots;
  rl->window_ms = window_ms;
  pthread_mutex_init(&rl->lock, NULL);
  return rl;
}

void fc_ratelimit_free(fc_ratelimit *rl) {
  if (!rl) return;
  pthread_mutex_destroy(&rl->lock);
  free(rl->e);
  free(rl);
}

/* The entry for key, or NULL; with create, a fresh or reused one. Lock held. */
static entry *find(fc_ratelimit *rl, uint64_t k, int64_t now, int create) {
  entry *oldest = NULL;
  for (int i = 0; i < PROBES; i++) {
    entry *e = &rl->e[(k + (uint64_t)i) % (uint64_t)rl->slots];
    if (e->key == k) {
      if (now - e->window_start >= rl->window_ms) { /* window over: start again */
        e->failures = 0;
        e->window_start = now;
      }
      return e;
    }
    /* Victim: an empty slot if any, else the oldest window. */
    if (!oldest || (oldest->key != 0 && (e->key == 0 || e->window_start < oldest->window_start)))
      oldest = e;
  }
  if (!create) return NULL;
  oldest->key = k;
  oldest->failures = 0;
  oldest->window_start = now;
  return oldest;
}

int fc_ratelimit_blocked(fc_ratelimit *rl, const char *key, int limit, int64_t now_ms, int *retry_after_s) {
  pthread_mutex_lock(&rl->lock);
  entry *e = find(rl, hash_key(key), now_ms, 0);
  int blocked = e && e->failures >= limit;
  if (blocked && retry_after_s) {
    int64_t left = e->window_start + rl->window_ms - now_ms;
    *retry_after_s = (int)((left + 999) / 1000);
    if (*retry_after_s < 1) *retry_after_s = 1;
  }
  pthread_mutex_unlock(&rl->lock);
  return blocked;
}

void fc_ratelimit_fail(fc_ratelimit *rl, const char *key, int64_t now_ms) {
  pthread_mutex_lock(&rl->lock);
  entry *e = find(rl, hash_key(key), now_ms, 1);
  e->failures++;
  pthread_mutex_unlock(&rl->lock);
}

void fc_ratelimit_reset(fc_ratelimit *rl, const char *key) {
  pthread_mutex_lock(&rl->lock);
  entry *e = find(rl, hash_key(key), 0, 0);
  if (e) e->failures = 0;
  pthread_mutex_unlock(&rl->lock);
}
