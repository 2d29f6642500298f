/* The workshop document: validation, storage, parsing. See workshop.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/audit.h"
#include "auth/policy.h"
#include "booking/workshop.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "org/org.h"

static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "08:30" -> 510; "24:00" allowed as an end. -1 when malformed. */
static int parse_hhmm(const char *s) {
  int h, m, n = 0;
  if (!s || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || m < 0 || m > 59 || h < 0 || h > 24) return -1;
  if (h == 24 && m != 0) return -1;
  return h * 60 + m;
}

static int valid_code(const char *s, size_t max) {
  size_t n = s ? strlen(s) : 0;
  if (n < 1 || n > max) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-')) return 0;
  return 1;
}

/* Resource ids: also the upper-case ids this server generates. */
static int valid_id(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 1 || n > 40) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
          s[i] == '-'))
      return 0;
  return 1;
}

static fc_err bad(fc_ctx *c, const char *field, const char *msg) { return fc_fail_field(&c->err, field, msg); }

/* A problem with member m of entry i of a list ({"name": "is required"})
 * becomes one of the list, saying which entry: {"resources": "entry 3: name
 * is required"}. The document's own fields are the ones a client knows. */
static fc_err nested(fc_ctx *c, fc_err err, const char *list, size_t i, const char *m) {
  json_t *v = c->err.fields ? json_object_get(c->err.fields, m) : NULL;
  if (err != FC_EINVAL || !json_is_string(v)) return err;
  char msg[200];
  snprintf(msg, sizeof msg, "entry %zu: %s %s", i + 1, m, json_string_value(v));
  json_object_del(c->err.fields, m);
  return fc_fail_field(&c->err, list, msg);
}

static fc_err check_hours(fc_ctx *c, json_t *hours) {
  if (!json_is_object(hours)) return fc_fail(&c->err, FC_EBADREQ, "opening_hours must be an object of weekdays");
  const char *k;
  json_t *v;
  json_object_foreach(hours, k, v) {
    int known = 0;
    for (int d = 0; d < 7; d++) known |= strcmp(k, days[d]) == 0;
    if (!known) return fc_fail(&c->err, FC_EBADREQ, "opening_hours: unknown day '%.10s' (use mon..sun)", k);
    if (!json_is_array(v)) return fc_fail(&c->err, FC_EBADREQ, "opening_hours.%s must be a list of [from, to]", k);
    if (json_array_size(v) > FC_AV_MAX_INTERVALS) return bad(c, "opening_hours", "has more than 4 intervals on a day");
    int prev_end = 0;
    size_t i;
    json_t *iv;
    json_array_foreach(v, i, iv) {
      if (!json_is_array(iv) || json_array_size(iv) != 2 || !json_is_string(json_array_get(iv, 0)) ||
          !json_is_string(json_array_get(iv, 1)))
        return fc_fail(&c->err, FC_EBADREQ, "opening_hours.%s: each interval is [\"08:00\", \"12:00\"]", k);
      int a = parse_hhmm(json_string_value(json_array_get(iv, 0)));
      int b = parse_hhmm(json_string_value(json_array_get(iv, 1)));
      if (a < 0 || b < 0 || a >= b || a >= 1440) return bad(c, "opening_hours", "has an interval that is not from < to in HH:MM");
      if (a < prev_end) return bad(c, "opening_hours", "has intervals that overlap or are out of order");
      prev_end = b;
    }
  }
  return FC_OK;
}

static fc_err check_number(fc_ctx *c, json_t *doc, const char *key, double lo, double hi, double dflt, int integer) {
  json_t *v = json_object_get(doc, key);
  if (!v || json_is_null(v)) {
    json_object_set_new(doc, key, integer ? json_integer((json_int_t)dflt) : json_real(dflt));
    return FC_OK;
  }
  if (integer ? !json_is_integer(v) : !json_is_number(v))
    return fc_fail(&c->err, FC_EBADREQ, "%s must be a %s", key, integer ? "whole number" : "number");
  double x = json_number_value(v);
  if (x < lo || x > hi) {
    char msg[80];
    snprintf(msg, sizeof msg, "must be from %g to %g", lo, hi);
    return bad(c, key, msg);
  }
  return FC_OK;
}

fc_err fc_workshop_normalise(fc_ctx *c, json_t *doc) {
  static const char *const keys[] = {"opening_hours", "closures", "resources", "services", "slot_step_min",
                                     "lead_time_hours", "horizon_days", "reserved_share", "address", "phone",
                                     "email", NULL};
  static const char *const res_keys[] = {"id", "name", "skills", NULL};
  static const char *const svc_keys[] = {"code", "name", "duration_min", "skill", "price", NULL};
  fc_err err;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  json_t *hours = json_object_get(doc, "opening_hours");
  if (!hours) return bad(c, "opening_hours", "is required");
  if ((err = check_hours(c, hours))) return err;
  const char *s;
  if ((err = fc_json_str(doc, "address", 300, &s, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "phone", 40, &s, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "email", 254, &s, &c->err)) == FC_EBADREQ) return err;

  json_t *closures = json_object_get(doc, "closures");
  if (!closures || json_is_null(closures)) json_object_set_new(doc, "closures", closures = json_array());
  if (!json_is_array(closures)) return fc_fail(&c->err, FC_EBADREQ, "closures must be a list of dates");
  if (json_array_size(closures) > FC_WS_MAX_CLOSURES) return bad(c, "closures", "has too many dates");
  size_t i, k;
  json_t *v, *w;
  json_array_foreach(closures, i, v) {
    int y, m, d, n = 0;
    const char *t = json_string_value(v);
    if (!t) return fc_fail(&c->err, FC_EBADREQ, "closures must be a list of dates");
    if (sscanf(t, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || t[10] || !fc_tz_date_valid(y, m, d))
      return bad(c, "closures", "has a date that is not YYYY-MM-DD");
  }

  json_t *resources = json_object_get(doc, "resources");
  if (!json_is_array(resources)) return fc_fail(&c->err, FC_EBADREQ, "resources must be a list");
  if (json_array_size(resources) > FC_AV_MAX_RESOURCES) return bad(c, "resources", "has more than 64 entries");
  json_t *skills = json_array();
  json_array_foreach(resources, i, v) {
    const char *id = NULL, *name = NULL;
    json_t *sk = NULL;
    if (!json_is_object(v)) err = fc_fail(&c->err, FC_EBADREQ, "resources must be a list of objects");
    if (!err) err = fc_json_only(v, res_keys, &c->err);
    if (!err && (err = fc_json_str(v, "id", 40, &id, &c->err)) == FC_OK && id && !valid_id(id))
      err = bad(c, "resources", "ids use letters, digits, - and _");
    if (!err) err = nested(c, fc_json_str_req(v, "name", 100, &name, &c->err), "resources", i, "name");
    if (!err) err = fc_json_str_array(v, "skills", FC_AV_MAX_SKILLS, &sk, &c->err);
    if (err) break;
    if (!id) {
      char nid[FC_ID_LEN + 1];
      fc_id_new(nid);
      json_object_set_new(v, "id", json_string(nid));
    }
    if (!sk) json_object_set_new(v, "skills", sk = json_array());
    json_array_foreach(sk, k, w) {
      if (!valid_code(json_string_value(w), 32)) {
        err = bad(c, "resources", "skills are lower-case words such as maintenance or tires");
        break;
      }
      int seen = 0;
      size_t q;
      json_t *x;
      json_array_foreach(skills, q, x) seen |= json_equal(x, w);
      if (!seen) json_array_append(skills, w);
    }
    if (err) break;
  }
  if (!err && json_array_size(skills) > FC_AV_MAX_SKILLS) err = bad(c, "resources", "use at most 16 different skills");
  json_array_foreach(resources, i, v) { /* ids are unique */
    json_array_foreach(resources, k, w) {
      if (!err && k > i && json_equal(json_object_get(v, "id"), json_object_get(w, "id")))
        err = bad(c, "resources", "has the same id twice");
    }
  }
  json_decref(skills);
  if (err) return err;

  json_t *services = json_object_get(doc, "services");
  if (!json_is_array(services)) return fc_fail(&c->err, FC_EBADREQ, "services must be a list");
  if (json_array_size(services) > FC_WS_MAX_SERVICES) return bad(c, "services", "has more than 64 entries");
  json_array_foreach(services, i, v) {
    const char *code = NULL, *skill = NULL;
    if (!json_is_object(v)) return fc_fail(&c->err, FC_EBADREQ, "services must be a list of objects");
    if ((err = fc_json_only(v, svc_keys, &c->err))) return err;
    if ((err = nested(c, fc_json_str_req(v, "code", 32, &code, &c->err), "services", i, "code"))) return err;
    if ((err = nested(c, fc_json_str_req(v, "skill", 32, &skill, &c->err), "services", i, "skill"))) return err;
    if (!valid_code(code, 32)) return bad(c, "services", "codes use lower-case letters, digits, - and _");
    json_t *name = json_object_get(v, "name");
    if (!json_is_object(name) || json_object_size(name) == 0 || json_object_size(name) > 20)
      return bad(c, "services", "each has a name per language, e.g. {\"en\": \"Oil service\"}");
    const char *lang;
    json_t *nv;
    json_object_foreach(name, lang, nv) {
      if (!json_is_string(nv) || json_string_length(nv) < 1 || json_string_length(nv) > 200 || strlen(lang) > 8)
        return bad(c, "services", "names are non-empty texts per language");
    }
    json_t *dur = json_object_get(v, "duration_min");
    if (!json_is_integer(dur)) return fc_fail(&c->err, FC_EBADREQ, "services: duration_min must be a whole number");
    if (json_integer_value(dur) < 5 || json_integer_value(dur) > 600) return bad(c, "services", "durations are 5 to 600 minutes");
    json_t *price = json_object_get(v, "price");
    if (price && !json_is_null(price) && (!json_is_number(price) || json_number_value(price) < 0))
      return bad(c, "services", "prices are numbers of zero or more");
    json_array_foreach(services, k, w) {
      if (k > i && json_equal(json_object_get(v, "code"), json_object_get(w, "code"))) return bad(c, "services", "has the same code twice");
    }
  }
  if ((err = check_number(c, doc, "slot_step_min", 5, 240, 30, 1))) return err;
  if ((err = check_number(c, doc, "lead_time_hours", 0, 720, 2, 0))) return err;
  if ((err = check_number(c, doc, "horizon_days", 1, 365, 60, 1))) return err;
  if ((err = check_number(c, doc, "reserved_share", 0, 0.9, 0, 0))) return err;
  return c->err.code;
}

int fc_workshop_resource(const fc_workshop *w, const char *id) {
  for (int i = 0; id && i < w->av.nresources; i++)
    if (strcmp(w->resources[i].id, id) == 0) return i;
  return -1;
}

static int skill_index(fc_workshop *w, const char *skill) {
  for (int i = 0; i < w->nskills; i++)
    if (strcmp(w->skills[i], skill) == 0) return i;
  if (w->nskills == FC_AV_MAX_SKILLS) return -1;
  w->skills[w->nskills] = skill;
  return w->nskills++;
}

fc_err fc_workshop_parse(json_t *doc, const char *tz, fc_workshop *w) {
  memset(w, 0, sizeof *w);
  w->doc = doc;
  w->av.timezone = tz;
  json_t *hours = json_object_get(doc, "opening_hours");
  for (int d = 0; d < 7; d++) {
    size_t i;
    json_t *iv;
    json_array_foreach(json_object_get(hours, days[d]), i, iv) {
      if (i >= FC_AV_MAX_INTERVALS) break;
      w->av.hours[d][i].start_min = parse_hhmm(json_string_value(json_array_get(iv, 0)));
      w->av.hours[d][i].end_min = parse_hhmm(json_string_value(json_array_get(iv, 1)));
      w->av.nhours[d]++;
    }
  }
  size_t i, k;
  json_t *v, *s;
  json_array_foreach(json_object_get(doc, "closures"), i, v) {
    if (i < FC_WS_MAX_CLOSURES) w->closures[w->av.nclosures++] = json_string_value(v);
  }
  w->av.closures = w->closures;
  json_array_foreach(json_object_get(doc, "resources"), i, v) {
    if (i >= FC_AV_MAX_RESOURCES) break;
    fc_av_resource *r = &w->resources[w->av.nresources];
    r->id = json_string_value(json_object_get(v, "id"));
    w->resource_names[w->av.nresources++] = json_string_value(json_object_get(v, "name"));
    json_array_foreach(json_object_get(v, "skills"), k, s) {
      int bit = skill_index(w, json_string_value(s));
      if (bit >= 0) r->skills |= 1u << bit;
    }
  }
  w->av.resources = w->resources;
  json_array_foreach(json_object_get(doc, "services"), i, v) {
    if (i >= FC_WS_MAX_SERVICES) break;
    fc_ws_service *sv = &w->services[w->nservices++];
    sv->code = json_string_value(json_object_get(v, "code"));
    sv->name = json_object_get(v, "name");
    sv->duration_min = (int)json_integer_value(json_object_get(v, "duration_min"));
    sv->skill = json_string_value(json_object_get(v, "skill"));
    sv->price = json_number_value(json_object_get(v, "price"));
    int bit = skill_index(w, sv->skill);
    /* A skill no resource has (or too many skills) can never be served. */
    sv->skill_bit = bit >= 0 ? 1u << bit : 1u << (FC_AV_MAX_SKILLS - 1);
  }
  w->av.slot_step_min = (int)json_integer_value(json_object_get(doc, "slot_step_min"));
  w->av.lead_time_min = (int)(json_number_value(json_object_get(doc, "lead_time_hours")) * 60);
  w->av.horizon_days = (int)json_integer_value(json_object_get(doc, "horizon_days"));
  w->av.reserved_share = json_number_value(json_object_get(doc, "reserved_share"));
  return FC_OK;
}

void fc_workshop_release(fc_workshop *w) {
  json_decref(w->doc);
  w->doc = NULL;
}

/* Parsed workshops, shared by every thread. Parsing the stored document is
 * most of an availability request's work, and the document changes only by
 * PUT, which raises its version. So the parsed form is kept per dealer and
 * checked against the stored version on every load: instances that share a
 * database never serve a stale workshop. An entry is immutable once
 * published; a reader copies its plain arrays and takes a reference to the
 * document its strings point into, so replacing an entry never frees what a
 * reader still uses. A dealer lives in one of WS_CACHE_PROBE slots from its
 * hash on (a network of 170 dealers fits without two taking turns); when all
 * of them are taken by others, the first is replaced. */
enum { WS_CACHE_SLOTS = 1024, WS_CACHE_PROBE = 8, WS_CACHE_ID = 64 };
static struct {
  char dealer_id[WS_CACHE_ID];
  fc_workshop *w;
} ws_cache[WS_CACHE_SLOTS];
static pthread_mutex_t ws_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned ws_slot(const char *dealer_id) {
  unsigned h = 2166136261u; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)dealer_id; *p; p++) h = (h ^ *p) * 16777619u;
  return h % WS_CACHE_SLOTS;
}

/* The slot holding the dealer, else (free 1) the first free one of its
 * probe sequence, else its first slot. Under ws_cache_lock. */
static unsigned ws_find(const char *dealer_id, int free) {
  unsigned h = ws_slot(dealer_id), empty = WS_CACHE_SLOTS;
  for (unsigned k = 0; k < WS_CACHE_PROBE; k++) {
    unsigned i = (h + k) % WS_CACHE_SLOTS;
    if (ws_cache[i].w && strcmp(ws_cache[i].dealer_id, dealer_id) == 0) return i;
    if (!ws_cache[i].w && empty == WS_CACHE_SLOTS) empty = i;
  }
  return free && empty < WS_CACHE_SLOTS ? empty : h;
}

/* Copies the cached workshop of (dealer, version) into *w; 1 on a hit. */
static int ws_cache_get(const char *dealer_id, long long version, fc_workshop *w) {
  int hit = 0;
  pthread_mutex_lock(&ws_cache_lock);
  unsigned i = ws_find(dealer_id, 0);
  if (ws_cache[i].w && ws_cache[i].w->version == version && strcmp(ws_cache[i].dealer_id, dealer_id) == 0) {
    *w = *ws_cache[i].w;
    json_incref(w->doc);
    hit = 1;
  }
  pthread_mutex_unlock(&ws_cache_lock);
  if (hit) { /* the copy's own arrays, not the entry's */
    w->av.closures = w->closures;
    w->av.resources = w->resources;
  }
  return hit;
}

static void ws_cache_put(const char *dealer_id, const fc_workshop *w) {
  if (strlen(dealer_id) >= WS_CACHE_ID) return;
  fc_workshop *e = malloc(sizeof *e);
  if (!e) return;
  *e = *w;
  e->av.timezone = NULL; /* the caller's; every load sets its own */
  json_incref(e->doc);
  pthread_mutex_lock(&ws_cache_lock);
  unsigned i = ws_find(dealer_id, 1);
  fc_workshop *old = ws_cache[i].w;
  if (old && strcmp(ws_cache[i].dealer_id, dealer_id) == 0 && old->version > e->version) {
    old = e; /* a newer one is there already: keep it */
  } else {
    snprintf(ws_cache[i].dealer_id, sizeof ws_cache[i].dealer_id, "%s", dealer_id);
    ws_cache[i].w = e;
  }
  pthread_mutex_unlock(&ws_cache_lock);
  if (old) {
    json_decref(old->doc);
    free(old);
  }
}

fc_err fc_workshop_from_row(fc_ctx *c, const char *dealer_id, long long version, const char *config,
                            const char *tz, fc_workshop *w) {
  if (ws_cache_get(dealer_id, version, w)) {
    w->av.timezone = tz;
    return FC_OK;
  }
  w->doc = NULL;
  json_t *doc = config ? json_loads(config, 0, NULL) : NULL;
  if (!doc) return fc_fail(&c->err, FC_EINTERNAL, "the workshop could not be read");
  fc_err err = fc_workshop_parse(doc, tz, w);
  if (err) return err;
  w->version = version;
  ws_cache_put(dealer_id, w);
  return FC_OK;
}

fc_err fc_workshop_load(fc_ctx *c, const char *dealer_id, const char *tz, fc_workshop *w) {
  w->doc = NULL; /* filled whole below (8 KB: no memset first) */
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT version, config_json FROM workshops WHERE dealer_id = ?", "s", dealer_id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  if (rc == 1) err = fc_workshop_from_row(c, dealer_id, fc_col_int(st, 0), fc_col_text(st, 1), tz, w);
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  if (rc == 0) return fc_fail(&c->err, FC_ENOTFOUND, "this dealer takes no bookings yet");
  return err;
}

/* The dealer (for its time zone) and the policy decision for the workshop. */
static fc_err dealer_for(fc_ctx *c, const char *dealer_id, int write, json_t **dealer) {
  *dealer = NULL;
  fc_err err = write ? FC_OK : fc_dealers_get(c, dealer_id, dealer);
  if (!write) return err;
  fc_tenant t;
  if ((err = fc_dealer_tenant(c, dealer_id, &t))) return err;
  if ((err = fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_DEALER, &t)))
    return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such dealer" : "only the dealer's admin may change the workshop");
  return fc_dealers_get(c, dealer_id, dealer);
}

fc_err fc_workshop_get(fc_ctx *c, const char *dealer_id, json_t **out, long long *version) {
  *out = NULL;
  json_t *dealer = NULL;
  fc_err err = dealer_for(c, dealer_id, 0, &dealer);
  if (err) return err;
  fc_workshop w;
  err = fc_workshop_load(c, dealer_id, json_string_value(json_object_get(dealer, "timezone")), &w);
  json_decref(dealer);
  if (err) return err;
  *out = json_incref(w.doc);
  *version = w.version;
  fc_workshop_release(&w);
  return FC_OK;
}

typedef struct put_job {
  fc_ctx *c;
  const char *dealer_id;
  json_t *doc;
  long long expect, version;
} put_job;

static fc_err put_tx(fc_db *db, void *arg) {
  put_job *j = arg;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(db, &st, "SELECT config_json, version FROM workshops WHERE dealer_id = ?", "s", j->dealer_id);
  if (err) return err;
  json_t *before = NULL;
  long long version = 0;
  if (fc_stmt_step(st) == 1) {
    before = json_loads(fc_col_text(st, 0), 0, NULL);
    version = fc_col_int(st, 1);
  }
  fc_stmt_done(st);
  if (j->expect && j->expect != version) {
    json_decref(before);
    return fc_fail(&j->c->err, FC_EPRECOND, "the workshop changed since you read it (now version %lld)", version);
  }
  char *text = json_dumps(j->doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
  int64_t now = fc_time_now_ms();
  if (!text) {
    err = FC_ENOMEM;
  } else if (before) {
    err = fc_db_exec(db,
                     "UPDATE workshops SET config_json = ?, version = version + 1, updated_at = ? "
                     "WHERE dealer_id = ? AND (? = 0 OR version = ?)",
                     "sisii", text, now, j->dealer_id, (int64_t)j->expect, (int64_t)version);
    if (!err && fc_db_changes(db) != 1)
      err = fc_fail(&j->c->err, FC_EPRECOND, "the workshop changed while you were saving; read it again");
  } else {
    err = fc_db_exec(db, "INSERT INTO workshops (dealer_id, config_json, version, updated_at) VALUES (?, ?, 1, ?)", "ssi",
                     j->dealer_id, text, now);
  }
  free(text);
  j->version = version + 1;
  if (!err) err = fc_audit_record(j->c, j->dealer_id, "workshop.update", "workshop", j->dealer_id, before, j->doc);
  json_decref(before);
  return err;
}

fc_err fc_workshop_put(fc_ctx *c, const char *dealer_id, const char *if_match, json_t *doc, json_t **out,
                       long long *version) {
  *out = NULL;
  json_t *dealer = NULL;
  fc_err err = dealer_for(c, dealer_id, 1, &dealer);
  if (err) return err;
  const char *tz = fc_arena_strdup(c->arena, json_string_value(json_object_get(dealer, "timezone")));
  json_decref(dealer);
  if ((err = fc_workshop_normalise(c, doc))) return err;
  put_job j = {.c = c, .dealer_id = dealer_id, .doc = doc};
  if (if_match && (sscanf(if_match, "\"v%lld\"", &j.expect) != 1 || j.expect <= 0))
    return fc_fail(&c->err, FC_EPRECOND, "If-Match does not match the workshop's ETag");
  /* Expand the zone for the booking horizon now, not on a worker's first request. */
  int y = 1970;
  fc_local_time lt;
  if (fc_tz_utc_to_local(tz, fc_time_now_ms(), &lt) == 0) y = lt.y;
  fc_tz_prepare(tz, y - 1, y + 2);
  if ((err = fc_db_tx(c->db, put_tx, &j))) return err;
  *out = json_incref(doc);
  *version = j.version;
  return FC_OK;
}

fc_err fc_workshop_visit(fc_ctx *c, const fc_workshop *w, json_t *codes, int *duration_min, unsigned *skills) {
  *duration_min = 0;
  *skills = 0;
  if (!json_is_array(codes) || json_array_size(codes) == 0)
    return fc_fail_field(&c->err, "services", "choose at least one service");
  if (json_array_size(codes) > FC_WS_MAX_VISIT_SERVICES) return fc_fail_field(&c->err, "services", "at most 5 services a visit");
  size_t i;
  json_t *v;
  json_array_foreach(codes, i, v) {
    const char *code = json_string_value(v);
    int found = 0;
    for (int k = 0; code && k < w->nservices; k++)
      if (strcmp(w->services[k].code, code) == 0) {
        *duration_min += w->services[k].duration_min;
        *skills |= w->services[k].skill_bit;
        found = 1;
      }
    if (!found) return fc_fail_field(&c->err, "services", "names a service this workshop does not offer");
  }
  if (*duration_min > 1440) return fc_fail_field(&c->err, "services", "take longer than a day together");
  return FC_OK;
}
