/* HTTP handlers for brands and dealers. */
#include "org/org.h"
#include "org/routes.h"

static void reply_page(fc_req *r, fc_err (*list)(fc_ctx *, int, const char *, json_t **)) {
  int limit;
  const char *cursor;
  fc_ctx c;
  if (fc_req_page(r, &limit, &cursor) || fc_ctx_init(&c, r)) return;
  json_t *out = NULL;
  fc_err err = list(&c, limit, cursor, &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_brands_list(fc_req *r) { reply_page(r, fc_brands_list); }
static void h_dealers_list(fc_req *r) { reply_page(r, fc_dealers_list); }

static void h_brands_create(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_brands_create(&c, doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

static void reply_dealer(fc_req *r, fc_ctx *c, fc_err err, json_t *dealer, int status) {
  if (err) {
    fc_ctx_reply_error(c, r, err);
    return;
  }
  fc_reply_header(r, "ETag", fc_dealer_etag(c, dealer));
  fc_reply_json(r, status, dealer);
}

static void h_dealers_create(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_dealers_create(&c, doc, &out); /* before reading out: argument order is unspecified */
  reply_dealer(r, &c, err, out, 201);
done:
  json_decref(doc);
}

static void h_dealers_get(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_dealers_get(&c, fc_req_param(r, "id"), &out);
  reply_dealer(r, &c, err, out, 200);
}

static void h_dealers_patch(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_dealers_patch(&c, fc_req_param(r, "id"), fc_req_header(r, "If-Match"), doc, &out);
  reply_dealer(r, &c, err, out, 200);
done:
  json_decref(doc);
}

const fc_route fc_org_routes[] = {
    {"GET", "/api/v1/brands", h_brands_list, 0, "List brands"},
    {"POST", "/api/v1/brands", h_brands_create, 0, "Create a brand"},
    {"GET", "/api/v1/dealers", h_dealers_list, 0, "List the dealers in scope"},
    {"POST", "/api/v1/dealers", h_dealers_create, 0, "Create a dealer"},
    {"GET", "/api/v1/dealers/{id}", h_dealers_get, 0, "A dealer"},
    {"PATCH", "/api/v1/dealers/{id}", h_dealers_patch, 0, "Change a dealer"},
    {0},
};
