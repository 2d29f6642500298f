/* HTTP handlers for leads and the dealer's lead settings. */
#include <string.h>
#include <strings.h>
#include "leads/adf.h"
#include "leads/leads.h"
#include "leads/routes.h"

static void h_create(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_leads_create(&c, doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

/* ADF arrives as XML; anything else is the wrong door. */
static int xml_type(const char *ct) {
  static const char *const types[] = {"application/xml", "text/xml", "application/adf+xml", NULL};
  for (int i = 0; ct && types[i]; i++) {
    size_t n = strlen(types[i]);
    if (!strncasecmp(ct, types[i], n) && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ')) return 1;
  }
  return 0;
}

static void h_adf(fc_req *r) {
  if (!xml_type(fc_req_header(r, "Content-Type"))) {
    fc_reply_error_code(r, 415, "unsupported_media_type", "send the ADF document as application/xml");
    return;
  }
  fc_ctx c;
  if (fc_ctx_init(&c, r)) return;
  size_t len = 0;
  const char *body = fc_req_body(r, &len);
  json_t *out = NULL;
  fc_err err = fc_leads_adf(&c, fc_req_query(r, "dealer_id"), body ? body : "", len, &out);
  /* A document that cannot be read as ADF is unprocessable (422); a hostile
   * one (DTD, entities) is a bad request (400). */
  fc_ctx_reply(&c, r, err, out, 201);
}

static void h_list(fc_req *r) {
  int limit;
  fc_ctx c;
  if (fc_req_limit(r, &limit) || fc_ctx_init(&c, r)) return;
  json_t *out = NULL;
  fc_err err = fc_leads_list(&c, fc_req_query(r, "dealer_id"), fc_req_query(r, "status"), fc_req_query(r, "assigned_to"),
                             limit, fc_req_query(r, "cursor"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_get(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_leads_get(&c, fc_req_param(r, "id"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_patch(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_leads_patch(&c, fc_req_param(r, "id"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 200);
done:
  json_decref(doc);
}

static void h_contact(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_leads_contact(&c, fc_req_param(r, "id"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

static void h_settings_get(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_lead_settings_get(&c, fc_req_param(r, "id"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_settings_put(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_lead_settings_put(&c, fc_req_param(r, "id"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 200);
done:
  json_decref(doc);
}

const fc_route fc_leads_routes[] = {
    {"POST", "/api/v1/leads", h_create, 0, "Take in a lead"},
    {"POST", "/api/v1/leads/adf", h_adf, 0, "Take in leads as an ADF 1.0 document"},
    {"GET", "/api/v1/leads", h_list, 0, "The lead inbox: new and overdue first"},
    {"GET", "/api/v1/leads/{id}", h_get, 0, "A lead with its customer's whole timeline"},
    {"PATCH", "/api/v1/leads/{id}", h_patch, 0, "Move a lead along the pipeline or reassign it"},
    {"POST", "/api/v1/leads/{id}/contacts", h_contact, 0, "Log a call or e-mail to the customer"},
    {"GET", "/api/v1/dealers/{id}/lead-settings", h_settings_get, 0, "A dealer's lead settings"},
    {"PUT", "/api/v1/dealers/{id}/lead-settings", h_settings_put, 0, "Set assignment rules and targets"},
    {0},
};
