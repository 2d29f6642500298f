/* The audit trail: who changed what, when, from what to what.
 * Every business write calls fc_audit_record inside its own transaction, so
 * the change and its record commit or vanish together. */
#ifndef FC_AUTH_AUDIT_H
#define FC_AUTH_AUDIT_H
#include <jansson.h>
#include "app.h"

/* before/after are borrowed (may be NULL). dealer_id may be NULL: an
 * installation-wide entry (stored with dealer_id ''). */
fc_err fc_audit_record(fc_ctx *c, const char *dealer_id, const char *action, const char *entity,
                       const char *entity_id, json_t *before, json_t *after) FC_MUST_CHECK;

/* Entries visible to the caller, newest first; dealer_id filters (may be NULL). */
fc_err fc_audit_list(fc_ctx *c, const char *dealer_id, int limit, const char *cursor, json_t **out) FC_MUST_CHECK;

#endif
