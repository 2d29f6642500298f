#include <string.h>
#include "app.h"
#include "store/store.h"

int fc_ctx_init(fc_ctx *c, fc_req *r) {
  memset(c, 0, sizeof *c);
  c->app = fc_req_app(r);
  c->who = fc_req_principal(r);
  c->request_id = fc_req_id(r);
  c->arena = fc_req_arena(r);
  if (fc_store_db(c->app->store, &c->db) != FC_OK) {
    fc_reply_error(r, FC_EDB, NULL);
    return -1;
  }
  return 0;
}

int fc_ctx_use_replica(fc_ctx *c) {
  fc_db *db = NULL;
  if (!c->app->replica) return 0;
  if (fc_store_db(c->app->replica, &db) != FC_OK) return -1;
  c->db = db;
  return 0;
}

void fc_ctx_reply_error(fc_ctx *c, fc_req *r, fc_err code) {
  if (!c->err.code) c->err.code = code;
  fc_reply_fc_error(r, &c->err);
}

fc_err fc_list_page(fc_ctx *c, fc_stmt *st, int limit, json_t *(*row)(fc_ctx *c, fc_stmt *st), json_t **out) {
  *out = NULL;
  json_t *items = json_array();
  int n = 0, rc;
  int more = 0;
  while ((rc = fc_stmt_step(st)) == 1) {
    if (n == limit) {
      more = 1;
      break;
    }
    json_t *it = row(c, st);
    if (!it) {
      rc = -1;
      break;
    }
    json_array_append_new(items, it);
    n++;
  }
  fc_stmt_done(st);
  if (rc < 0) {
    json_decref(items);
    return FC_EDB;
  }
  json_t *last = n ? json_object_get(json_array_get(items, (size_t)n - 1), "id") : NULL;
  *out = json_pack("{sosO}", "items", items, "next_cursor", more && last ? last : json_null());
  return *out ? FC_OK : FC_ENOMEM;
}

void fc_ctx_reply(fc_ctx *c, fc_req *r, fc_err err, json_t *out, int status) {
  if (err) {
    json_decref(out);
    fc_ctx_reply_error(c, r, err);
  } else {
    fc_reply_json(r, status, out);
  }
}
