#include <stdarg.h>
#include <stdio.h>
#include "core/err.h"

fc_err fc_fail(fc_error *e, fc_err code, const char *fmt, ...) {
  if (!e) return code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
  e->code = code;
  return code;
}

fc_err fc_fail_field(fc_error *e, const char *field, const char *msg) {
  if (!e) return FC_EINVAL;
  if (!e->fields) e->fields = json_object();
  if (e->fields && !json_object_get(e->fields, field))
    json_object_set_new(e->fields, field, json_string(msg));
  e->code = FC_EINVAL;
  if (!e->message[0]) snprintf(e->message, sizeof e->message, "the request has invalid fields");
  return FC_EINVAL;
}

void fc_error_clear(fc_error *e) {
  json_decref(e->fields);
  json_decref(e->extra);
  e->fields = NULL;
  e->extra = NULL;
  e->message[0] = 0;
  e->code = FC_OK;
}

const char *fc_err_name(fc_err code) {
  switch (code) {
  case FC_OK: return "ok";
  case FC_ENOMEM: return "internal";
  case FC_EBADREQ: return "bad_request";
  case FC_EUNAUTH: return "unauthenticated";
  case FC_EFORBIDDEN: return "forbidden";
  case FC_ENOTFOUND: return "not_found";
  case FC_ECONFLICT: return "conflict";
  case FC_EPRECOND: return "precondition_failed";
  case FC_ETOOBIG: return "payload_too_large";
  case FC_EINVAL: return "validation_failed";
  case FC_ERATE: return "rate_limited";
  case FC_EDB: return "internal";
  case FC_EINTERNAL: return "internal";
  }
  return "internal";
}
