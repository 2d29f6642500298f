/* Shared by the files of booking/ only. */
#ifndef FC_BOOKING_INTERNAL_H
#define FC_BOOKING_INTERNAL_H
#include <jansson.h>
#include "app.h"
#include "booking/availability.h"
#include "booking/workshop.h"
#include "core/id.h"

typedef struct fc_bk_dealer_info {
  const char *id, *slug, *name, *timezone, *locale;
  const char *country; /* ISO 3166 alpha-2, or NULL */
} fc_bk_dealer_info;

/* One booking on its way into the book, from a customer or from staff. */
typedef struct fc_bk_booking {
  fc_ctx *c;
  const fc_bk_dealer_info *dealer;
  const fc_workshop *w;
  fc_av_request req; /* duration, skills, now, online/staff */
  json_t *services;  /* borrowed: the codes */
  int64_t start, end;
  const char *channel, *event_channel; /* web|phone|walk_in; the timeline's channel */
  const char *customer_id;             /* given, or found/created from the contact below */
  const char *name, *email, *phone, *language, *notes;
  const char *plate, *vin;
  long long mileage;
  int has_mileage;
  const char *hold_hash; /* the hold this booking takes over, or NULL */
  char hold_hash_buf[65];
  const char *skip_appointment; /* a move: the appointment itself is not busy */
  int move_only;                /* check the slot and pick a resource, nothing else */
  /* results */
  char id[FC_ID_LEN + 1];
  char reference[12];
  char token[80], token_hash[65];
  const char *resource_id, *resource_name, *vehicle_id;
} fc_bk_booking;

fc_err fc_bk_dealer(fc_ctx *c, const char *slug, fc_bk_dealer_info *d) FC_MUST_CHECK;
/* By id, without an access check: the caller has decided already (manage token, staff policy). */
fc_err fc_bk_dealer_by_id(fc_ctx *c, const char *dealer_id, fc_bk_dealer_info *d) FC_MUST_CHECK;
fc_err fc_bk_busy(fc_ctx *c, const fc_workshop *w, const char *dealer_id, int64_t from, int64_t to,
                  const char *skip_appointment, const char *skip_hold, fc_av_busy **out, int *n) FC_MUST_CHECK;
json_t *fc_bk_slot_doc(const char *tz, int64_t start, int64_t end);
/* 1 for a start between a year ago and two years from now: anything else is
 * no booking anyone means (and no time zone table needs to cover it). Past
 * starts inside the range are simply not free (409). */
int fc_bk_start_plausible(int64_t start_ms);
fc_err fc_bk_alternatives(fc_ctx *c, const fc_workshop *w, const char *dealer_id, const fc_av_request *base,
                          int64_t around_ms, json_t **out) FC_MUST_CHECK;
/* The body of the booking transaction (fc_db_tx callback; arg is an
 * fc_bk_booking): locks the dealer's bookings, re-checks the slot, picks the
 * resource, and unless move_only, books. */
fc_err fc_bk_tx(fc_db *db, void *arg) FC_MUST_CHECK;
/* Runs the booking transaction; on FC_ECONFLICT *alternatives may hold fresh slots. */
fc_err fc_bk_book(fc_ctx *c, fc_bk_booking *b, json_t **alternatives) FC_MUST_CHECK;
json_t *fc_bk_event_payload(const fc_bk_booking *b);
/* Staff move a booked appointment of dealer d to start (PATCH
 * /appointments/{id}): the customer's move under staff rules (reserved share,
 * no lead time or horizon, any start inside the opening hours); the customer
 * is told. FC_ECONFLICT with alternatives in c->err.extra when it does not fit. */
fc_err fc_bk_staff_move(fc_ctx *c, const fc_bk_dealer_info *d, const char *id, int64_t start) FC_MUST_CHECK;
/* Queues the customer's e-mail for an appointment (what: confirm, moved,
 * cancelled) and its reminder, in the customer's language; inside the
 * caller's transaction. token: the customer's manage token when the caller
 * has it (it is stored only hashed), so the e-mail carries the manage link
 * (under cfg.public_url); NULL for steps staff take. */
fc_err fc_bk_notify(fc_ctx *c, const fc_bk_dealer_info *d, const char *appointment_id, const char *what,
                    const char *token) FC_MUST_CHECK;
/* The calendar event of an appointment. */
fc_err fc_bk_ics(fc_ctx *c, const fc_bk_dealer_info *d, const char *appointment_id, char **ics) FC_MUST_CHECK;

#endif
