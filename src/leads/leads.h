/* Leads: intake from the website, partner portals (ADF XML), phone, e-mail
 * and walk-ins; matching to the dealer's customer; duplicate suppression;
 * assignment by the dealer's rules; the follow-up pipeline with response
 * times. Every lead writes to its customer's timeline, and the online
 * journey it carries becomes timeline events too, so the salesperson sees
 * what the customer already did. */
#ifndef FC_LEADS_LEADS_H
#define FC_LEADS_LEADS_H
#include <jansson.h>
#include "app.h"

/* POST /leads (JSON). *out: the lead with customer_id, matched, merged. */
fc_err fc_leads_create(fc_ctx *c, json_t *doc, json_t **out) FC_MUST_CHECK;
/* POST /leads/adf: every prospect of the document, or none. *out: {"items":[…]}. */
fc_err fc_leads_adf(fc_ctx *c, const char *dealer_id, const char *xml, size_t len, json_t **out) FC_MUST_CHECK;
/* The inbox: new and overdue first. status/assigned_to may be NULL; "me" is the caller. */
fc_err fc_leads_list(fc_ctx *c, const char *dealer_id, const char *status, const char *assigned_to, int limit,
                     const char *cursor, json_t **out) FC_MUST_CHECK;
/* A lead with its customer's whole timeline. */
fc_err fc_leads_get(fc_ctx *c, const char *id, json_t **out) FC_MUST_CHECK;
/* {status?, lost_reason?, assigned_to?}. Illegal steps are FC_ECONFLICT. */
fc_err fc_leads_patch(fc_ctx *c, const char *id, json_t *doc, json_t **out) FC_MUST_CHECK;
/* {channel, outcome?, note?}: a call or e-mail to the customer, logged on
 * the timeline; the first one is the response time. */
fc_err fc_leads_contact(fc_ctx *c, const char *id, json_t *doc, json_t **out) FC_MUST_CHECK;
/* GET/PUT /dealers/{id}/lead-settings: {response_target_min, dedupe_window_hours, rules:[{brand_id?, condition?, users:[…]}]} */
fc_err fc_lead_settings_get(fc_ctx *c, const char *dealer_id, json_t **out) FC_MUST_CHECK;
fc_err fc_lead_settings_put(fc_ctx *c, const char *dealer_id, json_t *doc, json_t **out) FC_MUST_CHECK;

/* Pure: may a lead go from status `from` to `to`? Forward along
 * new, contacted, qualified, test_drive, offer, then won; lost from any open status. */
int fc_lead_step_ok(const char *from, const char *to);

#endif
