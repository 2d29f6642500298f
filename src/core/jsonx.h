/* Helpers over jansson for reading request documents strictly.
 *
 * A request document is checked against a list of allowed fields (unknown
 * fields are a 400, so a typo never silently drops data), and each field is
 * read with its type checked. Missing optional fields read as NULL / absent. */
#ifndef FC_CORE_JSONX_H
#define FC_CORE_JSONX_H
#include <jansson.h>
#include "core/err.h"

enum { FC_JSON_MAX_STRING = 10000 };

/* Parses body (len bytes) as a JSON object. On failure returns FC_EBADREQ
 * with a message in e. *out is a new reference. */
fc_err fc_json_parse_object(const char *body, size_t len, json_t **out, fc_error *e) FC_MUST_CHECK;

/* FC_EBADREQ naming the first field of obj that is not in allowed (NULL-terminated). */
fc_err fc_json_only(json_t *obj, const char *const *allowed, fc_error *e) FC_MUST_CHECK;

/* Reads a string field. Absent or null -> *out = NULL, FC_OK. Not a string -> FC_EBADREQ.
 * A string with control characters below 0x20 other than tab/newline, or longer
 * than max characters -> FC_EINVAL on that field. *out is borrowed from obj. */
fc_err fc_json_str(json_t *obj, const char *key, size_t max, const char **out, fc_error *e) FC_MUST_CHECK;

/* Same, but absent/null/empty (after trimming nothing) is FC_EINVAL "is required". */
fc_err fc_json_str_req(json_t *obj, const char *key, size_t max, const char **out, fc_error *e) FC_MUST_CHECK;

/* Reads an array of strings (absent -> *out NULL). Each element must be a string. */
fc_err fc_json_str_array(json_t *obj, const char *key, size_t max_items, json_t **out, fc_error *e) FC_MUST_CHECK;

/* Reads a JSON integer field (absent -> *present = 0). */
fc_err fc_json_int(json_t *obj, const char *key, long long *out, int *present, fc_error *e) FC_MUST_CHECK;

/* json_string for a possibly-NULL C string: NULL becomes JSON null. */
json_t *fc_json_str_or_null(const char *s);

#endif
