/* One error type for the whole program, and a place to say what went wrong.
 *
 * Every fallible function returns fc_err. A service that rejects input also
 * fills an fc_error with a message and, for validation, the offending fields;
 * the HTTP layer maps both to a status and the JSON error body in one place
 * (http/response.c). */
#ifndef FC_CORE_ERR_H
#define FC_CORE_ERR_H
#include <jansson.h>

typedef enum fc_err {
  FC_OK = 0,
  FC_ENOMEM,     /* allocation failed */
  FC_EBADREQ,    /* malformed request: 400 */
  FC_EUNAUTH,    /* no or bad credentials: 401 */
  FC_EFORBIDDEN, /* visible but not allowed: 403 */
  FC_ENOTFOUND,  /* absent or invisible to the caller: 404 */
  FC_ECONFLICT,  /* unique key taken, state clash: 409 */
  FC_EPRECOND,   /* stale If-Match: 412 */
  FC_ETOOBIG,    /* over a size cap: 413 */
  FC_EINVAL,     /* well-formed but invalid: 422 */
  FC_ERATE,      /* rate limited: 429 */
  FC_EDB,        /* database failure: 500 */
  FC_EINTERNAL   /* anything else that is our fault: 500 */
} fc_err;

#define FC_MUST_CHECK __attribute__((warn_unused_result))

/* What a service says about a failure, for the caller to show. */
typedef struct fc_error {
  fc_err code;
  char message[200];
  json_t *fields; /* owned; field name -> message, or NULL */
  json_t *extra;  /* owned; more members of the error object (e.g. existing_id), or NULL */
} fc_error;

/* Records code and a printf-style message in e (which may be NULL) and
 * returns code, so a service can write `return fc_fail(e, FC_ENOTFOUND, ...)`. */
fc_err fc_fail(fc_error *e, fc_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds a field problem and sets the code to FC_EINVAL. Returns FC_EINVAL. */
fc_err fc_fail_field(fc_error *e, const char *field, const char *msg);

/* Releases what e holds and resets it. */
void fc_error_clear(fc_error *e);

/* A stable short name for code, e.g. "not_found". */
const char *fc_err_name(fc_err code);

#endif
