/* Operations endpoints: health, metrics, the OpenAPI document. */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "core/arena.h"
#include "core/embedded.h"
#include "http/metrics.h"
#include "notify/outbox.h"
#include "ops/routes.h"

static void h_healthz(fc_req *r) {
  fc_db *db = NULL;
  fc_stmt *st = NULL;
  int ok = fc_store_db(fc_req_app(r)->store, &db) == FC_OK && fc_db_query(db, &st, "SELECT 1", "") == FC_OK &&
           fc_stmt_step(st) == 1;
  fc_stmt_done(st);
  if (ok) fc_reply_json(r, 200, json_pack("{ss}", "status", "ok"));
  else fc_reply_error_code(r, 503, "unavailable", "the database does not answer");
}

static void h_metrics(fc_req *r) {
  fc_store *s = fc_req_app(r)->store;
  char *http = fc_req_metrics_text(r);
  long long pending = 0, sent = 0, failed = 0;
  if (fc_outbox_counts(s, &pending, &sent, &failed) != FC_OK) pending = sent = failed = -1;
  char *text = fc_arena_printf(fc_req_arena(r),
                               "%s# HELP forecourt_db_connections_open Database connections held by the pool.\n"
                               "# TYPE forecourt_db_connections_open gauge\n"
                               "forecourt_db_connections_open %d\n"
                               "# HELP forecourt_db_queries_total Statements run.\n"
                               "# TYPE forecourt_db_queries_total counter\n"
                               "forecourt_db_queries_total %llu\n"
                               "# HELP forecourt_outbox_messages Messages in the outbox by status.\n"
                               "# TYPE forecourt_outbox_messages gauge\n"
                               "forecourt_outbox_messages{status=\"pending\"} %lld\n"
                               "forecourt_outbox_messages{status=\"sent\"} %lld\n"
                               "forecourt_outbox_messages{status=\"failed\"} %lld\n",
                               http ? http : "", fc_store_connections_open(s),
                               (unsigned long long)fc_store_queries_total(s), pending, sent, failed);
  if (!text) {
    fc_reply_error(r, FC_ENOMEM, NULL);
    return;
  }
  fc_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
}

static void h_openapi(fc_req *r) {
  const fc_embedded_file *f = fc_embedded_find("openapi.json");
  if (!f) {
    fc_reply_error(r, FC_ENOTFOUND, "no API description in this build");
    return;
  }
  fc_reply_raw(r, 200, "application/json; charset=utf-8", f->data, f->size);
}

const fc_route fc_ops_routes[] = {
    {"GET", "/healthz", h_healthz, FC_ROUTE_PUBLIC, "Liveness and database check"},
    {"GET", "/metrics", h_metrics, FC_ROUTE_PUBLIC, "Prometheus metrics"},
    {"GET", "/api/v1/openapi.json", h_openapi, FC_ROUTE_PUBLIC, "This API, described"},
    {0},
};
