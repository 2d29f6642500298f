#include <string.h>
#include "core/jsonx.h"

fc_err fc_json_parse_object(const char *body, size_t len, json_t **out, fc_error *e) {
  *out = NULL;
  if (!body || len == 0) return fc_fail(e, FC_EBADREQ, "a JSON object is required in the body");
  json_error_t je;
  /* jansson caps nesting depth (2048) and rejects \u0000 in strings by default. */
  json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
  if (!doc) return fc_fail(e, FC_EBADREQ, "malformed JSON at line %d column %d: %s", je.line, je.column, je.text);
  if (!json_is_object(doc)) {
    json_decref(doc);
    return fc_fail(e, FC_EBADREQ, "the body must be a JSON object");
  }
  *out = doc;
  return FC_OK;
}

fc_err fc_json_only(json_t *obj, const char *const *allowed, fc_error *e) {
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    int ok = 0;
    for (const char *const *a = allowed; *a; a++)
      if (strcmp(*a, key) == 0) ok = 1;
    if (!ok) {
      fc_fail(e, FC_EBADREQ, "unknown field '%.60s'", key);
      if (e) {
        if (!e->fields) e->fields = json_object();
        json_object_set_new(e->fields, key, json_string("unknown field"));
      }
      return FC_EBADREQ;
    }
  }
  return FC_OK;
}

/* Characters, not bytes: jansson has already checked the UTF-8 is valid. */
static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static int has_bad_controls(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') return 1;
  return 0;
}

fc_err fc_json_str(json_t *obj, const char *key, size_t max, const char **out, fc_error *e) {
  *out = NULL;
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) return FC_OK;
  if (!json_is_string(v)) {
    fc_fail(e, FC_EBADREQ, "field '%s' must be a string", key);
    if (e) {
      if (!e->fields) e->fields = json_object();
      json_object_set_new(e->fields, key, json_string("must be a string"));
    }
    return FC_EBADREQ;
  }
  const char *s = json_string_value(v);
  if (utf8_chars(s) > max) return fc_fail_field(e, key, "is too long");
  if (has_bad_controls(s)) return fc_fail_field(e, key, "contains control characters");
  *out = s;
  return FC_OK;
}

fc_err fc_json_str_req(json_t *obj, const char *key, size_t max, const char **out, fc_error *e) {
  fc_err err = fc_json_str(obj, key, max, out, e);
  if (err) return err;
  if (!*out || !**out) return fc_fail_field(e, key, "is required");
  return FC_OK;
}

fc_err fc_json_str_array(json_t *obj, const char *key, size_t max_items, json_t **out, fc_error *e) {
  *out = NULL;
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) return FC_OK;
  if (!json_is_array(v)) return fc_fail(e, FC_EBADREQ, "field '%s' must be an array of strings", key);
  if (json_array_size(v) > max_items) return fc_fail_field(e, key, "has too many items");
  size_t i;
  json_t *it;
  json_array_foreach(v, i, it) {
    if (!json_is_string(it)) return fc_fail(e, FC_EBADREQ, "field '%s' must be an array of strings", key);
  }
  *out = v;
  return FC_OK;
}

fc_err fc_json_int(json_t *obj, const char *key, long long *out, int *present, fc_error *e) {
  *present = 0;
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) return FC_OK;
  if (!json_is_integer(v)) {
    fc_fail(e, FC_EBADREQ, "field '%s' must be an integer", key);
    if (e) {
      if (!e->fields) e->fields = json_object();
      json_object_set_new(e->fields, key, json_string("must be an integer"));
    }
    return FC_EBADREQ;
  }
  *out = json_integer_value(v);
  *present = 1;
  return FC_OK;
}

json_t *fc_json_str_or_null(const char *s) { return s ? json_string(s) : json_null(); }
