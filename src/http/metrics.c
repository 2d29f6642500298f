#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/metrics.h"

/* Status codes get their own counter; others are counted as their class. */
static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409,
                               412, 413, 415, 422, 429, 500, 503};
enum { NSTATUS = sizeof statuses / sizeof statuses[0], NOTHER = 5 /* 1xx..5xx */ };
enum { NSLOT = NSTATUS + NOTHER };

static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1, 0.25, 0.5, 1, 2.5, 5};
enum { NBUCKET = sizeof bounds / sizeof bounds[0] };

/* Rows: routes, then "unmatched", then "static". HEAD on a GET route counts as GET. */
struct fc_metrics {
  const fc_router *rt;
  int rows;
  atomic_ullong *counts;            /* rows * NSLOT */
  atomic_ullong buckets[NBUCKET + 1]; /* last is +Inf */
  atomic_ullong total;
  _Atomic double sum; /* updated with compare-exchange */
};

fc_metrics *fc_metrics_new(const fc_router *rt) {
  fc_metrics *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->rt = rt;
  m->rows = fc_router_count(rt) + 2;
  m->counts = calloc((size_t)m->rows * NSLOT, sizeof *m->counts);
  if (!m->counts) {
    free(m);
    return NULL;
  }
  return m;
}

void fc_metrics_free(fc_metrics *m) {
  if (!m) return;
  free(m->counts);
  free(m);
}

static int slot_of(int status) {
  for (int i = 0; i < NSTATUS; i++)
    if (statuses[i] == status) return i;
  int cls = status / 100;
  if (cls < 1 || cls > 5) cls = 5;
  return NSTATUS + cls - 1;
}

void fc_metrics_observe(fc_metrics *m, int route_index, const char *method, int status, double seconds) {
  int row = route_index >= 0 ? route_index : route_index == -1 ? m->rows - 2 : m->rows - 1;
  if (row >= m->rows) return;
  atomic_fetch_add(&m->counts[(size_t)row * NSLOT + (size_t)slot_of(status)], 1);
  int b = 0;
  while (b < NBUCKET && seconds > bounds[b]) b++;
  atomic_fetch_add(&m->buckets[b], 1);
  atomic_fetch_add(&m->total, 1);
  double old = atomic_load(&m->sum);
  while (!atomic_compare_exchange_weak(&m->sum, &old, old + seconds)) {
  }
}

typedef struct buf {
  fc_arena *a;
  char *p;
  size_t len, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (b->p && b->len + (size_t)n < b->cap) {
      b->len += (size_t)n;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 16384;
    while (cap < b->len + (size_t)n + 1) cap *= 2;
    char *np = fc_arena_alloc(b->a, cap);
    if (!np) return;
    if (b->p) memcpy(np, b->p, b->len);
    b->p = np;
    b->cap = cap;
  }
}

char *fc_metrics_render(fc_metrics *m, fc_arena *a, int open_connections) {
  buf b = {a, NULL, 0, 0};
  put(&b, "# HELP forecourt_http_requests_total HTTP requests by route, method and status.\n"
          "# TYPE forecourt_http_requests_total counter\n");
  for (int row = 0; row < m->rows; row++) {
    const fc_route *r = fc_router_at(m->rt, row);
    const char *route = r ? r->pattern : row == m->rows - 2 ? "unmatched" : "static";
    const char *method = r ? r->method : "any";
    for (int s = 0; s < NSLOT; s++) {
      unsigned long long n = atomic_load(&m->counts[(size_t)row * NSLOT + (size_t)s]);
      if (!n) continue;
      if (s < NSTATUS)
        put(&b, "forecourt_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n", route,
            method, statuses[s], n);
      else
        put(&b, "forecourt_http_requests_total{route=\"%s\",method=\"%s\",status=\"%dxx\"} %llu\n", route,
            method, s - NSTATUS + 1, n);
    }
  }
  put(&b, "# HELP forecourt_http_request_duration_seconds Time from request to response.\n"
          "# TYPE forecourt_http_request_duration_seconds histogram\n");
  unsigned long long cum = 0;
  for (int i = 0; i < NBUCKET; i++) {
    cum += atomic_load(&m->buckets[i]);
    put(&b, "forecourt_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[i], cum);
  }
  cum += atomic_load(&m->buckets[NBUCKET]);
  put(&b, "forecourt_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
  put(&b, "forecourt_http_request_duration_seconds_sum %.6f\n", atomic_load(&m->sum));
  put(&b, "forecourt_http_request_duration_seconds_count %llu\n", atomic_load(&m->total));
  put(&b, "# HELP forecourt_http_connections_open Client connections currently open.\n"
          "# TYPE forecourt_http_connections_open gauge\n"
          "forecourt_http_connections_open %d\n", open_connections);
  return b.p ? b.p : fc_arena_strdup(a, "");
}
