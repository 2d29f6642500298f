/* Service booking: public availability, holds and bookings by customers,
 * their manage link (view, move, cancel, calendar file), and the staff's
 * day board, phone and walk-in bookings and the appointment status flow.
 *
 * A slot is never given twice: every booking re-checks the slot inside a
 * write transaction that serialises bookings of the dealer (SQLite's
 * BEGIN IMMEDIATE; a row lock on the dealer's workshop on PostgreSQL). */
#ifndef FC_BOOKING_BOOKING_H
#define FC_BOOKING_BOOKING_H
#include <jansson.h>
#include "app.h"

/* --- public (no account: the dealer by slug, the booking by its manage token) */
fc_err fc_booking_profile(fc_ctx *c, const char *slug, json_t **out) FC_MUST_CHECK;
/* services: "oil,tires"; from: "YYYY-MM-DD" (NULL = today, local); days 1..31.
 * The answer is JSON text in the request's arena (len bytes). */
fc_err fc_booking_availability(fc_ctx *c, const char *slug, const char *services, const char *from, const char *days,
                               const char **out, size_t *len) FC_MUST_CHECK;
/* {services, start} -> {hold_token, start, end, expires_at}: the slot is kept for a few minutes. */
fc_err fc_booking_hold(fc_ctx *c, const char *slug, json_t *doc, json_t **out) FC_MUST_CHECK;
/* Gives a held slot back before it expires (the customer chose another time
 * or left). Releasing a hold that has expired, was booked or never existed
 * is not an error: the answer is the same, so it tells nothing. */
fc_err fc_booking_release(fc_ctx *c, const char *slug, const char *token) FC_MUST_CHECK;
/* {services, start, customer:{name,email,phone}, vehicle:{plate,vin,mileage_km}, notes, language, hold_token}
 * -> {id, reference, start, end, status, manage_token, ...}. FC_ECONFLICT with
 * c->err.extra {"alternatives": [...]} when the slot is gone. */
fc_err fc_booking_create(fc_ctx *c, const char *slug, json_t *doc, json_t **out) FC_MUST_CHECK;
fc_err fc_booking_view(fc_ctx *c, const char *token, json_t **out) FC_MUST_CHECK;
/* {start} -> the booking, moved (same UID, SEQUENCE raised). */
fc_err fc_booking_move(fc_ctx *c, const char *token, json_t *doc, json_t **out) FC_MUST_CHECK;
fc_err fc_booking_cancel(fc_ctx *c, const char *token, json_t **out) FC_MUST_CHECK;
/* The calendar file (malloc'd). */
fc_err fc_booking_ics(fc_ctx *c, const char *token, char **ics) FC_MUST_CHECK;

/* --- staff */
/* The day board: {date, timezone, resources:[{id,name,appointments:[…]}], unassigned:[…]}. */
fc_err fc_appointments_day(fc_ctx *c, const char *dealer_id, const char *date, json_t **out) FC_MUST_CHECK;
/* {dealer_id?, channel: phone|walk_in, services, start? (walk-in: now), customer_id | customer{…}, vehicle{…}, notes} */
fc_err fc_appointments_create(fc_ctx *c, json_t *doc, json_t **out) FC_MUST_CHECK;
fc_err fc_appointments_get(fc_ctx *c, const char *id, json_t **out) FC_MUST_CHECK;
/* {status?, mileage_km?, tire_set?, notes?}: booked -> checked_in -> in_progress -> ready -> collected,
 * plus no_show and cancelled; an illegal step is FC_ECONFLICT. */
fc_err fc_appointments_patch(fc_ctx *c, const char *id, json_t *doc, json_t **out) FC_MUST_CHECK;

/* Pure: may an appointment go from status `from` to `to`? */
int fc_appointment_step_ok(const char *from, const char *to);

#endif
