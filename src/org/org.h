/* Organisations: brands (a manufacturer's or importer's headquarters) and
 * dealers (business sites holding one or more brands).
 *
 * Every function checks access with the one policy (auth/policy.h) and
 * records an audit entry for each write in the write's transaction.
 * Documents are new jansson references (*out) owned by the caller. */
#ifndef FC_ORG_ORG_H
#define FC_ORG_ORG_H
#include <jansson.h>
#include "app.h"
#include "auth/policy.h"

fc_err fc_brands_list(fc_ctx *c, int limit, const char *cursor, json_t **out) FC_MUST_CHECK;
/* {slug, name} -> brand. Admin only. */
fc_err fc_brands_create(fc_ctx *c, json_t *doc, json_t **out) FC_MUST_CHECK;
/* FC_OK when a brand with this id exists. */
fc_err fc_brand_exists(fc_ctx *c, const char *brand_id) FC_MUST_CHECK;

fc_err fc_dealers_list(fc_ctx *c, int limit, const char *cursor, json_t **out) FC_MUST_CHECK;
/* {slug, name, timezone, locale, brand_ids} -> dealer. Admin only. */
fc_err fc_dealers_create(fc_ctx *c, json_t *doc, json_t **out) FC_MUST_CHECK;
fc_err fc_dealers_get(fc_ctx *c, const char *id, json_t **out) FC_MUST_CHECK;
/* Applies {name, timezone, locale, brand_ids}; if_match ("\"v3\"" or NULL)
 * makes it conditional (FC_EPRECOND when stale). */
fc_err fc_dealers_patch(fc_ctx *c, const char *id, const char *if_match, json_t *doc, json_t **out) FC_MUST_CHECK;

/* The tenant description of a dealer for policy checks, from the arena.
 * FC_ENOTFOUND (with a message in c->err) when the dealer does not exist. */
fc_err fc_dealer_tenant(fc_ctx *c, const char *dealer_id, fc_tenant *out) FC_MUST_CHECK;

/* A dealer by id without an access check, for callers that decided access
 * already (a booking's manage token). */
fc_err fc_dealer_load(fc_ctx *c, const char *id, json_t **out) FC_MUST_CHECK;

/* A dealer by its slug, for public pages: no access check (the profile is
 * public). FC_ENOTFOUND when there is none. */
fc_err fc_dealer_by_slug(fc_ctx *c, const char *slug, json_t **out) FC_MUST_CHECK;

/* The brand the dealer holds whose name is `name` (any case), or *brand_id
 * NULL; for matching a lead's make to a franchise. */
fc_err fc_dealer_brand_named(fc_ctx *c, const char *dealer_id, const char *name, const char **brand_id) FC_MUST_CHECK;

/* The ETag of a dealer document ("\"v<version>\""), in the arena. */
const char *fc_dealer_etag(fc_ctx *c, json_t *dealer);

#endif
