#include <string.h>
#include "auth/audit.h"
#include "auth/policy.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "org/org.h"

fc_err fc_audit_record(fc_ctx *c, const char *dealer_id, const char *action, const char *entity,
                       const char *entity_id, json_t *before, json_t *after) {
  char id[FC_ID_LEN + 1];
  fc_id_new(id);
  const fc_principal *who = c->who;
  const char *kind = !who || !strcmp(who->id, "system") ? "system" : who->role == FC_ROLE_API_KEY ? "api_key" : "user";
  char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  /* An installation-wide entry has dealer_id '' (not NULL): dealer_id leads
   * the table's primary key (migration 0009), and the list reads '' as null. */
  const char *dealer = dealer_id ? dealer_id : "";
  fc_err err = fc_db_exec(c->db,
                          "INSERT INTO audit (id, at, actor_id, actor_kind, dealer_id, action, entity, "
                          "entity_id, before_json, after_json, request_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                          "sisssssssss", id, fc_time_now_ms(), who ? who->id : NULL, kind, dealer, action,
                          entity, entity_id, b, a, c->request_id);
  free(b);
  free(a);
  return err;
}

static json_t *parse_or_null(const char *s) {
  if (!s) return json_null();
  json_t *j = json_loads(s, 0, NULL);
  return j ? j : json_null();
}

static json_t *audit_row(fc_ctx *c, fc_stmt *st) {
  char at[40];
  fc_time_format(fc_col_int(st, 1), at, sizeof at);
  json_t *o = json_pack("{ssss}", "id", fc_col_text(st, 0), "at", at);
  if (!o) return NULL;
  json_object_set_new(o, "actor_id", fc_json_str_or_null(fc_col_text(st, 2)));
  json_object_set_new(o, "actor_kind", json_string(fc_col_text(st, 3)));
  const char *dealer = fc_col_text(st, 4);
  json_object_set_new(o, "dealer_id", fc_json_str_or_null(dealer && *dealer ? dealer : NULL));
  json_object_set_new(o, "action", json_string(fc_col_text(st, 5)));
  json_object_set_new(o, "entity", json_string(fc_col_text(st, 6)));
  json_object_set_new(o, "entity_id", json_string(fc_col_text(st, 7)));
  json_object_set_new(o, "before", parse_or_null(fc_col_text(st, 8)));
  json_object_set_new(o, "after", parse_or_null(fc_col_text(st, 9)));
  json_object_set_new(o, "request_id", fc_json_str_or_null(fc_col_text(st, 10)));
  return o;
}

fc_err fc_audit_list(fc_ctx *c, const char *dealer_id, int limit, const char *cursor, json_t **out) {
  *out = NULL;
  fc_scope scope = fc_policy_scope(c->who);
  if (dealer_id) {
    fc_tenant t;
    fc_err err = fc_dealer_tenant(c, dealer_id, &t);
    if (err) return err;
    err = fc_policy_check(c->who, FC_ACT_READ, FC_RES_AUDIT, &t);
    if (err) return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such dealer" : "you may not read this audit trail");
  } else if (scope.kind == FC_SCOPE_DEALER) {
    fc_tenant t = {.dealer_id = scope.id};
    fc_err err = fc_policy_check(c->who, FC_ACT_READ, FC_RES_AUDIT, &t);
    if (err) return fc_fail(&c->err, FC_EFORBIDDEN, "you may not read the audit trail");
    dealer_id = scope.id;
  } else if (scope.kind != FC_SCOPE_ALL) {
    return fc_fail(&c->err, FC_EFORBIDDEN, "you may not read the audit trail");
  }
  /* Newest first: the cursor is the last id seen, and ids sort by time. */
  const char *cur = cursor ? cursor : "~";
  fc_stmt *st = NULL;
  fc_err err = dealer_id
      ? fc_db_query(c->db, &st,
                    "SELECT id, at, actor_id, actor_kind, dealer_id, action, entity, entity_id, before_json, "
                    "after_json, request_id FROM audit WHERE dealer_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                    "ssi", dealer_id, cur, (int64_t)limit + 1)
      : fc_db_query(c->db, &st,
                    "SELECT id, at, actor_id, actor_kind, dealer_id, action, entity, entity_id, before_json, "
                    "after_json, request_id FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
                    "si", cur, (int64_t)limit + 1);
  if (err) return err;
  return fc_list_page(c, st, limit, audit_row, out);
}
