/* Request counters and a latency histogram, rendered in Prometheus text format.
 * Lock-free: workers only add to atomic counters. */
#ifndef FC_HTTP_METRICS_H
#define FC_HTTP_METRICS_H
#include "core/arena.h"
#include "http/router.h"

typedef struct fc_metrics fc_metrics;

fc_metrics *fc_metrics_new(const fc_router *rt);
void fc_metrics_free(fc_metrics *m);
/* route_index: >= 0 a route, -1 unmatched, -2 static files. */
void fc_metrics_observe(fc_metrics *m, int route_index, const char *method, int status, double seconds);
/* The exposition text (arena). */
char *fc_metrics_render(fc_metrics *m, fc_arena *a, int open_connections);

/* Handlers may call this to render the serving server's metrics (server.c). */
char *fc_req_metrics_text(fc_req *r);

#endif
