/* HTTP handlers for the workshop set-up, public booking and the staff day board. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "booking/booking.h"
#include "booking/routes.h"
#include "booking/workshop.h"

static void reply_workshop(fc_req *r, fc_ctx *c, fc_err err, json_t *doc, long long version) {
  if (err) {
    fc_ctx_reply_error(c, r, err);
    return;
  }
  char etag[32];
  snprintf(etag, sizeof etag, "\"v%lld\"", version);
  fc_reply_header(r, "ETag", etag);
  fc_reply_json(r, 200, doc);
}

static void h_workshop_get(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  long long v = 0;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_workshop_get(&c, fc_req_param(r, "id"), &out, &v);
  reply_workshop(r, &c, err, out, v);
}

static void h_workshop_put(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  long long v = 0;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_workshop_put(&c, fc_req_param(r, "id"), fc_req_header(r, "If-Match"), doc, &out, &v);
  reply_workshop(r, &c, err, out, v);
done:
  json_decref(doc);
}

static void h_profile(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_booking_profile(&c, fc_req_param(r, "slug"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_availability(fc_req *r) {
  fc_ctx c;
  const char *text = NULL;
  size_t len = 0;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_booking_availability(&c, fc_req_param(r, "slug"), fc_req_query(r, "services"),
                                       fc_req_query(r, "from"), fc_req_query(r, "days"), &text, &len);
  if (err) fc_ctx_reply_error(&c, r, err);
  else fc_reply_arena(r, 200, "application/json; charset=utf-8", text, len); /* text is in the arena */
}

static void h_hold(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_booking_hold(&c, fc_req_param(r, "slug"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

static void h_release(fc_req *r) {
  fc_ctx c;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_booking_release(&c, fc_req_param(r, "slug"), fc_req_param(r, "token"));
  if (err) fc_ctx_reply_error(&c, r, err);
  else fc_reply_empty(r, 204);
}

static void h_book(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_booking_create(&c, fc_req_param(r, "slug"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

static void h_view(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_booking_view(&c, fc_req_param(r, "token"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_move(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_booking_move(&c, fc_req_param(r, "token"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 200);
done:
  json_decref(doc);
}

static void h_cancel(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_booking_cancel(&c, fc_req_param(r, "token"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_ics(fc_req *r) {
  fc_ctx c;
  char *ics = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_booking_ics(&c, fc_req_param(r, "token"), &ics);
  if (err) {
    fc_ctx_reply_error(&c, r, err);
    return;
  }
  fc_reply_header(r, "Content-Disposition", "attachment; filename=\"appointment.ics\"");
  fc_reply_raw(r, 200, "text/calendar; charset=utf-8", ics, strlen(ics));
  free(ics);
}

static void h_day(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_appointments_day(&c, fc_req_query(r, "dealer_id"), fc_req_query(r, "date"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_appt_create(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_appointments_create(&c, doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

static void h_appt_get(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_appointments_get(&c, fc_req_param(r, "id"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_appt_patch(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_appointments_patch(&c, fc_req_param(r, "id"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 200);
done:
  json_decref(doc);
}

const fc_route fc_booking_routes[] = {
    {"GET", "/api/v1/dealers/{id}/workshop", h_workshop_get, 0, "A dealer's workshop set-up"},
    {"PUT", "/api/v1/dealers/{id}/workshop", h_workshop_put, 0, "Set up a dealer's workshop"},
    {"GET", "/api/v1/public/dealers/{slug}", h_profile, FC_ROUTE_PUBLIC, "A dealer's public profile and services"},
    {"GET", "/api/v1/public/dealers/{slug}/availability", h_availability, FC_ROUTE_PUBLIC, "Free times for services"},
    {"POST", "/api/v1/public/dealers/{slug}/holds", h_hold, FC_ROUTE_PUBLIC, "Hold a time for a few minutes"},
    {"DELETE", "/api/v1/public/dealers/{slug}/holds/{token}", h_release, FC_ROUTE_PUBLIC, "Give a held time back"},
    {"POST", "/api/v1/public/dealers/{slug}/bookings", h_book, FC_ROUTE_PUBLIC, "Book a service appointment"},
    {"GET", "/api/v1/public/bookings/{token}", h_view, FC_ROUTE_PUBLIC, "The customer's booking"},
    {"PATCH", "/api/v1/public/bookings/{token}", h_move, FC_ROUTE_PUBLIC, "Move the customer's booking"},
    {"DELETE", "/api/v1/public/bookings/{token}", h_cancel, FC_ROUTE_PUBLIC, "Cancel the customer's booking"},
    {"GET", "/api/v1/public/bookings/{token}/calendar.ics", h_ics, FC_ROUTE_PUBLIC, "The booking as a calendar file"},
    {"GET", "/api/v1/appointments", h_day, 0, "The workshop day board"},
    {"POST", "/api/v1/appointments", h_appt_create, 0, "Book by phone or take a walk-in"},
    {"GET", "/api/v1/appointments/{id}", h_appt_get, 0, "An appointment"},
    {"PATCH", "/api/v1/appointments/{id}", h_appt_patch, 0, "Move an appointment along its status flow"},
    {0},
};
