/* HTTP handlers for customers, consents and the timeline. */
#include <string.h>
#include "core/jsonx.h"
#include "customers/customers.h"
#include "customers/routes.h"

static void reply_customer(fc_req *r, fc_ctx *c, fc_err err, json_t *doc, int status) {
  if (err) {
    fc_ctx_reply_error(c, r, err);
    return;
  }
  fc_reply_header(r, "ETag", fc_customer_etag(c, doc));
  fc_reply_json(r, status, doc);
}

static void h_list(fc_req *r) {
  int limit;
  fc_ctx c;
  if (fc_req_limit(r, &limit) || fc_ctx_init(&c, r)) return;
  json_t *out = NULL;
  fc_err err = fc_customers_search(&c, fc_req_query(r, "dealer_id"), fc_req_query(r, "q"), limit,
                                   fc_req_query(r, "cursor"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_create(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_customers_create(&c, doc, &out);
  reply_customer(r, &c, err, out, 201);
done:
  json_decref(doc);
}

static void h_get(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_customers_get(&c, fc_req_param(r, "id"), &out);
  reply_customer(r, &c, err, out, 200);
}

static void h_patch(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_customers_patch(&c, fc_req_param(r, "id"), fc_req_header(r, "If-Match"), doc, &out);
  reply_customer(r, &c, err, out, 200);
done:
  json_decref(doc);
}

static void h_delete(fc_req *r) {
  fc_ctx c;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_customers_erase(&c, fc_req_param(r, "id"));
  if (err) fc_ctx_reply_error(&c, r, err);
  else fc_reply_empty(r, 204);
}

static void h_export(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_customers_export(&c, fc_req_param(r, "id"), &out);
  if (err) {
    fc_ctx_reply_error(&c, r, err);
    return;
  }
  fc_reply_header(r, "Content-Disposition", "attachment; filename=\"customer-export.json\"");
  fc_reply_json(r, 200, out);
}

static void h_merge(fc_req *r) {
  static const char *const keys[] = {"from", NULL};
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  const char *from = NULL;
  fc_err err = fc_json_only(doc, keys, &c.err);
  if (!err && fc_json_str_req(doc, "from", 64, &from, &c.err)) err = c.err.code;
  if (!err) err = fc_customers_merge(&c, fc_req_param(r, "id"), from, &out);
  reply_customer(r, &c, err, out, 200);
done:
  json_decref(doc);
}

static void h_consent(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_customers_consent(&c, fc_req_param(r, "id"), doc, &out);
  reply_customer(r, &c, err, out, 201);
done:
  json_decref(doc);
}

static void h_timeline(fc_req *r) {
  int limit;
  fc_ctx c;
  if (fc_req_limit(r, &limit) || fc_ctx_init(&c, r)) return;
  json_t *out = NULL;
  fc_err err = fc_timeline_list(&c, fc_req_param(r, "id"), limit, fc_req_query(r, "cursor"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_event(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_timeline_post(&c, fc_req_param(r, "id"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

const fc_route fc_customers_routes[] = {
    {"GET", "/api/v1/customers", h_list, 0, "Search customers"},
    {"POST", "/api/v1/customers", h_create, 0, "Create a customer"},
    {"GET", "/api/v1/customers/{id}", h_get, 0, "A customer"},
    {"PATCH", "/api/v1/customers/{id}", h_patch, 0, "Change a customer"},
    {"DELETE", "/api/v1/customers/{id}", h_delete, 0, "Erase a customer's personal data (GDPR)"},
    {"GET", "/api/v1/customers/{id}/export", h_export, 0, "Everything held about a customer"},
    {"POST", "/api/v1/customers/{id}/merge", h_merge, 0, "Merge a duplicate into this customer"},
    {"POST", "/api/v1/customers/{id}/consents", h_consent, 0, "Record a consent given or withdrawn"},
    {"GET", "/api/v1/customers/{id}/timeline", h_timeline, 0, "A customer's timeline"},
    {"POST", "/api/v1/customers/{id}/events", h_event, 0, "Add an event to a customer's timeline"},
    {0},
};
