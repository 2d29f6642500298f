/* Customers: one record per person or company per dealer, their consents,
 * and the one timeline every channel writes to.
 *
 * Every function checks access with the one policy (dealer data: staff of
 * the customer's dealer and administrators) and records an audit entry for
 * each write in the write's transaction. Documents are new jansson
 * references owned by the caller. */
#ifndef FC_CUSTOMERS_CUSTOMERS_H
#define FC_CUSTOMERS_CUSTOMERS_H
#include <jansson.h>
#include "app.h"

/* The dealer a call acts for: dealer_id from the request (may be NULL) or
 * the caller's own dealer. FC_EINVAL when an admin gives none, FC_ENOTFOUND
 * when the caller may not act there. *out is borrowed or from the arena. */
fc_err fc_customers_dealer(fc_ctx *c, const char *dealer_id, const char **out) FC_MUST_CHECK;

/* Creates a customer. doc: {name | first_name+last_name | company_name, email | phone, kind?,
 * vat_number?, language?, address?, contacts?, notes?, consents?, consent_source?,
 * dealer_id?, allow_duplicate?}. A match on e-mail or phone at the same dealer is
 * FC_ECONFLICT with c->err.extra {"existing_id"} unless allow_duplicate. */
fc_err fc_customers_create(fc_ctx *c, json_t *doc, json_t **out) FC_MUST_CHECK;
fc_err fc_customers_get(fc_ctx *c, const char *id, json_t **out) FC_MUST_CHECK;
/* The ETag of a customer document ("\"v<version>\"", arena). */
const char *fc_customer_etag(fc_ctx *c, json_t *doc);
/* if_match: the ETag the caller read ("\"v3\""), or NULL. */
fc_err fc_customers_patch(fc_ctx *c, const char *id, const char *if_match, json_t *doc, json_t **out) FC_MUST_CHECK;
/* Search (q may be NULL: newest first). cursor is the opaque value of next_cursor. */
fc_err fc_customers_search(fc_ctx *c, const char *dealer_id, const char *q, int limit, const char *cursor,
                           json_t **out) FC_MUST_CHECK;
/* Moves everything of from_id onto id and deletes from_id. */
fc_err fc_customers_merge(fc_ctx *c, const char *id, const char *from_id, json_t **out) FC_MUST_CHECK;
/* GDPR erasure: personal data gone, vehicles' anonymous history kept. */
fc_err fc_customers_erase(fc_ctx *c, const char *id) FC_MUST_CHECK;
/* Everything held about the person. */
fc_err fc_customers_export(fc_ctx *c, const char *id, json_t **out) FC_MUST_CHECK;
/* Records a consent change {channel, granted, source, note?}; returns the customer. */
fc_err fc_customers_consent(fc_ctx *c, const char *id, json_t *doc, json_t **out) FC_MUST_CHECK;

/* Checks the caller may act on customer id (write: 1 for changes) and gives
 * its dealer (arena). FC_ENOTFOUND for missing, erased or invisible. */
fc_err fc_customer_access(fc_ctx *c, const char *id, int write, const char **dealer_id) FC_MUST_CHECK;

/* Finds the dealer's customer whose e-mail (any case) or phone (any
 * formatting) matches; *id (arena) is NULL when none does. */
fc_err fc_customers_match(fc_ctx *c, const char *dealer_id, const char *email, const char *phone,
                          const char **id) FC_MUST_CHECK;
/* For other capabilities, inside the caller's transaction: the dealer's
 * customer whose e-mail (or, when none is given, phone) matches, or a new one (name, e-mail and/or
 * phone, language; the created event carries channel). Invalid contacts are
 * FC_EINVAL naming customer.email / customer.phone. *id is from the arena. */
fc_err fc_customers_find_or_create(fc_ctx *c, const char *dealer_id, const char *name, const char *email,
                                   const char *phone, const char *language, const char *channel, const char **id,
                                   int *created) FC_MUST_CHECK;
/* The same, keeping a person's first and last name as given (either may be NULL). */
fc_err fc_customers_find_or_create_named(fc_ctx *c, const char *dealer_id, const char *name, const char *first_name,
                                         const char *last_name, const char *email, const char *phone,
                                         const char *language, const char *channel, const char **id,
                                         int *created) FC_MUST_CHECK;
/* Events of a customer whose type starts with prefix (e.g. "journey."),
 * newest first (like the timeline), at most limit. *out: a JSON array. */
fc_err fc_timeline_of_type(fc_ctx *c, const char *customer_id, const char *prefix, int limit, json_t **out) FC_MUST_CHECK;
/* 1 when e-mail or phone is on the dealer's suppression list (the person
 * withdrew consent and was erased): import, but no marketing consent. */
int fc_customers_suppressed(fc_ctx *c, const char *dealer_id, const char *email, const char *phone);
/* Rebuilds the search document after something it contains changed (vehicles). */
fc_err fc_customers_reindex(fc_ctx *c, const char *id) FC_MUST_CHECK;

/* --- the timeline (timeline.c) */

/* The channels of an event. */
int fc_event_channel_valid(const char *channel);
/* Writes one event; call inside the caller's transaction. at_ms 0 = now.
 * payload is borrowed (NULL = {}); *id_out (may be NULL) gets the id (arena). */
fc_err fc_timeline_add(fc_ctx *c, const char *dealer_id, const char *customer_id, const char *type,
                       const char *channel, int64_t at_ms, json_t *payload, const char **id_out) FC_MUST_CHECK;
/* POST /customers/{id}/events: {type, channel, at?, payload?}. */
fc_err fc_timeline_post(fc_ctx *c, const char *customer_id, json_t *doc, json_t **out) FC_MUST_CHECK;
/* Newest first. */
fc_err fc_timeline_list(fc_ctx *c, const char *customer_id, int limit, const char *cursor, json_t **out) FC_MUST_CHECK;

#endif
