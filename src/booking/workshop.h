/* The workshop document: opening hours, closures, resources with skills,
 * services, slot step, lead time, horizon, reserved share, and where
 * customers find the dealer. Stored whole per dealer; parsed into the plain
 * data the availability function takes. */
#ifndef FC_BOOKING_WORKSHOP_H
#define FC_BOOKING_WORKSHOP_H
#include <jansson.h>
#include "app.h"
#include "booking/availability.h"

enum { FC_WS_MAX_SERVICES = 64, FC_WS_MAX_CLOSURES = 400, FC_WS_MAX_VISIT_SERVICES = 5 };

typedef struct fc_ws_service {
  const char *code;
  json_t *name; /* {"en": "...", ...} borrowed from the document */
  int duration_min;
  const char *skill;
  unsigned skill_bit;
  double price;
} fc_ws_service;

typedef struct fc_workshop {
  json_t *doc; /* owned: every string below points into it */
  long long version;
  fc_av_workshop av;
  fc_av_resource resources[FC_AV_MAX_RESOURCES];
  const char *resource_names[FC_AV_MAX_RESOURCES];
  const char *closures[FC_WS_MAX_CLOSURES];
  const char *skills[FC_AV_MAX_SKILLS];
  int nskills;
  fc_ws_service services[FC_WS_MAX_SERVICES];
  int nservices;
} fc_workshop;

/* Checks a PUT document and fills in what was left out (resource ids,
 * defaults). doc is changed in place. FC_EBADREQ/FC_EINVAL with c->err. */
fc_err fc_workshop_normalise(fc_ctx *c, json_t *doc) FC_MUST_CHECK;

/* Parses a normalised document (taken) into w. */
fc_err fc_workshop_parse(json_t *doc, const char *timezone, fc_workshop *w) FC_MUST_CHECK;
void fc_workshop_release(fc_workshop *w);

/* Loads the dealer's workshop (timezone from the dealer). FC_ENOTFOUND when
 * the dealer has not set one up. */
fc_err fc_workshop_load(fc_ctx *c, const char *dealer_id, const char *timezone, fc_workshop *w) FC_MUST_CHECK;

/* The same from a row the caller read (workshops.version, config_json), for
 * callers that read the workshop together with something else. The parsed
 * form is cached per (dealer, version); the text is parsed only on a miss. */
fc_err fc_workshop_from_row(fc_ctx *c, const char *dealer_id, long long version, const char *config,
                            const char *timezone, fc_workshop *w) FC_MUST_CHECK;

/* GET/PUT /dealers/{id}/workshop. */
fc_err fc_workshop_get(fc_ctx *c, const char *dealer_id, json_t **out, long long *version) FC_MUST_CHECK;
fc_err fc_workshop_put(fc_ctx *c, const char *dealer_id, const char *if_match, json_t *doc, json_t **out,
                       long long *version) FC_MUST_CHECK;

/* The services a visit asks for: codes -> total duration and skills.
 * FC_EINVAL naming "services" when a code is unknown or there are none. */
fc_err fc_workshop_visit(fc_ctx *c, const fc_workshop *w, json_t *codes, int *duration_min, unsigned *skills) FC_MUST_CHECK;

/* The resource index of an id, or -1. */
int fc_workshop_resource(const fc_workshop *w, const char *id);

#endif
