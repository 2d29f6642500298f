#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/arena.h"

typedef struct block {
  struct block *next;
  size_t cap, used;
  _Alignas(16) unsigned char data[];
} block;

struct fc_arena {
  block *head;
  size_t total;
};

enum { FIRST_BLOCK = 8192, MAX_BLOCK = 1 << 20 };

fc_arena *fc_arena_new(void) { return calloc(1, sizeof(fc_arena)); }

void fc_arena_free(fc_arena *a) {
  if (!a) return;
  block *b = a->head;
  while (b) {
    block *next = b->next;
    free(b);
    b = next;
  }
  free(a);
}

void *fc_arena_alloc(fc_arena *a, size_t n) {
  if (n > SIZE_MAX / 2) return NULL;
  n = (n + 15) & ~(size_t)15;
  if (n == 0) n = 16;
  block *b = a->head;
  if (!b || b->cap - b->used < n) {
    size_t cap = b ? b->cap * 2 : FIRST_BLOCK;
    if (cap > MAX_BLOCK) cap = MAX_BLOCK;
    if (cap < n) cap = n;
    block *nb = malloc(sizeof(block) + cap);
    if (!nb) return NULL;
    nb->cap = cap;
    nb->used = 0;
    /* A huge one-off allocation goes behind the current block so the
     * current block keeps serving small requests. */
    if (b && cap == n && b->cap - b->used > 256) {
      nb->next = b->next;
      b->next = nb;
    } else {
      nb->next = b;
      a->head = nb;
    }
    b = nb;
  }
  void *p = b->data + b->used;
  b->used += n;
  a->total += n;
  memset(p, 0, n);
  return p;
}

char *fc_arena_strndup(fc_arena *a, const char *s, size_t n) {
  if (!s) return NULL;
  char *p = fc_arena_alloc(a, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *fc_arena_strdup(fc_arena *a, const char *s) {
  return s ? fc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *fc_arena_printf(fc_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *p = fc_arena_alloc(a, (size_t)n + 1);
  if (!p) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

size_t fc_arena_used(const fc_arena *a) { return a->total; }
