/* The one timeline: events of a customer, written by every capability.
 * An event is {type, channel, at, actor, payload}; nothing else is the history. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "auth/audit.h"
#include "auth/policy.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "customers/customers.h"

enum { MAX_PAYLOAD = 64 * 1024 };

static const char *const event_channels[] = {"web", "phone", "email", "walk_in", "workshop", "telematics", "network", NULL};

int fc_event_channel_valid(const char *channel) {
  if (!channel) return 0;
  for (int i = 0; event_channels[i]; i++)
    if (strcmp(channel, event_channels[i]) == 0) return 1;
  return 0;
}

/* lower-case letters, digits, '_' and '.', starting with a letter: "booking.created" */
static int type_valid(const char *t) {
  size_t n = t ? strlen(t) : 0;
  if (n < 1 || n > 64 || t[0] < 'a' || t[0] > 'z') return 0;
  for (size_t i = 0; i < n; i++)
    if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '_' || t[i] == '.')) return 0;
  return 1;
}

static const char *actor_kind(const fc_principal *who) {
  if (!who || strcmp(who->id, "system") == 0) return "system";
  return who->role == FC_ROLE_API_KEY ? "api_key" : "user";
}

fc_err fc_timeline_add(fc_ctx *c, const char *dealer_id, const char *customer_id, const char *type,
                       const char *channel, int64_t at_ms, json_t *payload, const char **id_out) {
  char id[FC_ID_LEN + 1];
  fc_id_new(id);
  int64_t now = fc_time_now_ms();
  char *p = payload ? json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  fc_err err = fc_db_exec(c->db,
                          "INSERT INTO events (dealer_id, id, customer_id, type, channel, at, actor_id, actor_kind, "
                          "payload_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "sssssisssi", dealer_id, id, customer_id, type, channel, at_ms ? at_ms : now,
                          c->who ? c->who->id : NULL, actor_kind(c->who), p ? p : "{}", now);
  free(p);
  if (!err && id_out) *id_out = fc_arena_strdup(c->arena, id);
  return err;
}

static json_t *event_row(fc_ctx *c, fc_stmt *st) {
  char at[40];
  fc_time_format(fc_col_int(st, 5), at, sizeof at);
  json_t *payload = json_loads(fc_col_text(st, 8) ? fc_col_text(st, 8) : "{}", 0, NULL);
  json_t *o = json_pack("{ssssssssssss}", "id", fc_col_text(st, 0), "dealer_id", fc_col_text(st, 1), "customer_id",
                        fc_col_text(st, 2), "type", fc_col_text(st, 3), "channel", fc_col_text(st, 4), "at", at);
  if (!o) {
    json_decref(payload);
    return NULL;
  }
  json_object_set_new(o, "actor", json_pack("{soss}", "id", fc_json_str_or_null(fc_col_text(st, 6)), "kind",
                                            fc_col_text(st, 7)));
  json_object_set_new(o, "payload", payload ? payload : json_object());
  /* The page helper uses "id" for its cursor; the timeline pages by (at, id). */
  json_object_set_new(o, "_cursor", json_string(fc_arena_printf(c->arena, "%lld_%s", (long long)fc_col_int(st, 5),
                                                                fc_col_text(st, 0))));
  return o;
}

fc_err fc_timeline_list(fc_ctx *c, const char *customer_id, int limit, const char *cursor, json_t **out) {
  *out = NULL;
  const char *dealer_id;
  fc_err err = fc_customer_access(c, customer_id, 0, &dealer_id);
  if (err) return err;
  /* Newest first by the time the event happened; the cursor is "<at ms>_<id>". */
  long long at = INT64_MAX;
  const char *after_id = "~";
  if (cursor) {
    char *end = NULL;
    at = strtoll(cursor, &end, 10);
    if (!end || *end != '_' || !fc_id_valid(end + 1) || at < 0)
      return fc_fail(&c->err, FC_EBADREQ, "cursor is not one this server gave");
    after_id = end + 1;
  }
  fc_stmt *st = NULL;
  err = fc_db_query(c->db, &st,
                    "SELECT id, dealer_id, customer_id, type, channel, at, actor_id, actor_kind, payload_json "
                    "FROM events WHERE customer_id = ? AND (at < ? OR (at = ? AND id < ?)) "
                    "ORDER BY at DESC, id DESC LIMIT ?",
                    "siisi", customer_id, (int64_t)at, (int64_t)at, after_id, (int64_t)limit + 1);
  if (err) return err;
  err = fc_list_page(c, st, limit, event_row, out);
  if (err) return err;
  json_t *items = json_object_get(*out, "items");
  size_t n = json_array_size(items);
  if (n && !json_is_null(json_object_get(*out, "next_cursor")))
    json_object_set(*out, "next_cursor", json_object_get(json_array_get(items, n - 1), "_cursor"));
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) json_object_del(it, "_cursor");
  return FC_OK;
}

typedef struct post_job {
  fc_ctx *c;
  const char *dealer_id, *customer_id, *type, *channel;
  int64_t at;
  json_t *payload;
  const char *id;
} post_job;

static fc_err post_tx(fc_db *db, void *arg) {
  post_job *j = arg;
  fc_err err = fc_timeline_add(j->c, j->dealer_id, j->customer_id, j->type, j->channel, j->at, j->payload, &j->id);
  if (err) return err;
  /* The audit says that an event was added; the event itself is the record. */
  json_t *after = json_pack("{ssssssss}", "id", j->id, "customer_id", j->customer_id, "type", j->type, "channel",
                            j->channel);
  err = fc_audit_record(j->c, j->dealer_id, "event.create", "event", j->id, NULL, after);
  json_decref(after);
  return err;
}

fc_err fc_timeline_post(fc_ctx *c, const char *customer_id, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"type", "channel", "at", "payload", NULL};
  post_job j = {.c = c, .customer_id = customer_id};
  fc_err err = fc_customer_access(c, customer_id, 1, &j.dealer_id);
  if (err) return err;
  const char *at = NULL;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = fc_json_str_req(doc, "type", 64, &j.type, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "channel", 16, &j.channel, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "at", 40, &at, &c->err)) == FC_EBADREQ) return err;
  j.payload = json_object_get(doc, "payload");
  if (j.payload && !json_is_null(j.payload) && !json_is_object(j.payload))
    return fc_fail(&c->err, FC_EBADREQ, "payload must be an object");
  if (json_is_null(j.payload)) j.payload = NULL;
  if (j.type && !type_valid(j.type)) fc_fail_field(&c->err, "type", "use lower-case words joined by . or _");
  if (j.channel && !fc_event_channel_valid(j.channel))
    fc_fail_field(&c->err, "channel", "must be web, phone, email, walk_in, workshop, telematics or network");
  if (at && fc_time_parse(at, &j.at) != 0) fc_fail_field(&c->err, "at", "must be an RFC 3339 time with offset");
  if (j.payload) {
    char *s = json_dumps(j.payload, JSON_COMPACT);
    if (!s || strlen(s) > MAX_PAYLOAD) fc_fail_field(&c->err, "payload", "is larger than 64 KiB");
    free(s);
  }
  if (c->err.code) return c->err.code;
  if ((err = fc_db_tx(c->db, post_tx, &j))) return err;
  fc_stmt *st = NULL;
  if ((err = fc_db_query(c->db, &st,
                         "SELECT id, dealer_id, customer_id, type, channel, at, actor_id, actor_kind, payload_json "
                         "FROM events WHERE dealer_id = ? AND id = ?",
                         "ss", j.dealer_id, j.id)))
    return err;
  if (fc_stmt_step(st) == 1) *out = event_row(c, st);
  fc_stmt_done(st);
  if (*out) json_object_del(*out, "_cursor");
  return *out ? FC_OK : FC_EDB;
}

fc_err fc_timeline_of_type(fc_ctx *c, const char *customer_id, const char *prefix, int limit, json_t **out) {
  *out = NULL;
  const char *dealer_id;
  fc_err err = fc_customer_access(c, customer_id, 0, &dealer_id);
  if (err) return err;
  size_t n = strlen(prefix);
  fc_stmt *st = NULL;
  /* A prefix match by substr, not LIKE: '_' in a type is a character, not a wildcard. */
  err = fc_db_query(c->db, &st,
                    "SELECT id, dealer_id, customer_id, type, channel, at, actor_id, actor_kind, payload_json "
                    "FROM events WHERE customer_id = ? AND substr(type, 1, CAST(? AS INTEGER)) = ? ORDER BY at DESC, id DESC LIMIT ?",
                    "sisi", customer_id, (int64_t)n, prefix, (int64_t)limit);
  if (err) return err;
  json_t *a = json_array();
  int rc;
  while ((rc = fc_stmt_step(st)) == 1) {
    json_t *e = event_row(c, st);
    if (e) {
      json_object_del(e, "_cursor");
      json_array_append_new(a, e);
    }
  }
  fc_stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return FC_EDB;
  }
  *out = a;
  return FC_OK;
}
