/* The free slots of a workshop, computed by a pure function.
 *
 * Plain data in, slots out: no database, no allocation the caller sees, no
 * I/O beyond core/tz.h (local <-> UTC in the workshop's IANA zone). Thread-
 * safe; every pointer passed in is borrowed for the duration of the call.
 *
 * The rules (the same for fc_av_compute and fc_av_fits):
 *
 * - Days are local dates in the workshop's zone, from the request's from date
 *   for req->days days. A day on a closure date, or whose weekday has no
 *   opening interval, has no slots.
 * - An opening interval [start_min, end_min) of a local day becomes the
 *   instants of start_min and end_min local that day (end_min 1440 is the
 *   next day's 00:00), so an 08:00 opening is 08:00 local on both sides of a
 *   daylight-saving change. Candidate starts are the interval's first instant
 *   plus k * slot_step_min of elapsed time; a slot of duration_min must end
 *   within the same interval (no slot runs over a lunch break). On the rare
 *   day when the clock changes inside an interval, slots follow elapsed time.
 * - A slot needs one resource whose skills include every bit of req->skills
 *   (multi-service visits are done back to back by one resource having all
 *   the skills) and that no busy entry on that resource overlaps
 *   ([start, end) intervals; touching ends do not overlap). Of the suitable
 *   free resources the first in the workshop's resource order is given: the
 *   caller orders resources by preference. Busy entries are appointments and
 *   unexpired holds; an entry whose resource is -1 (not assigned to a
 *   resource) blocks no resource but counts in the day's booked minutes.
 * - Day capacity: the day's capacity is the sum over all resources of the
 *   day's open minutes; the day's booked minutes are the minutes of busy
 *   entries (on any resource, or none) that fall within that day's opening
 *   intervals. A slot is offered only while booked + duration_min <= limit,
 *   where limit = capacity for staff (phone, walk-in; req->online = 0) and
 *   floor((1 - reserved_share) * capacity) online: the reserved share of each
 *   day stays for phone and walk-in customers.
 * - Timing for customers (req->staff = 0): a slot starts no earlier than
 *   now + lead_time_min, and its local date is no later than the local date
 *   of now plus horizon_days (a customer sees whole days up to the horizon).
 *   For staff bookings (req->staff = 1) lead time and horizon do not apply,
 *   a slot only must not start before now, and fc_av_fits accepts any start
 *   inside an opening interval, off the slot grid too (a walk-in starts now).
 *
 * Cost: O(days * intervals * (steps * suitable resources + busy) + busy log busy),
 * with one allocation per call only above FC_AV_STACK_BUSY busy entries. */
#ifndef FC_BOOKING_AVAILABILITY_H
#define FC_BOOKING_AVAILABILITY_H
#include <stdint.h>

enum {
  FC_AV_MAX_INTERVALS = 4,  /* opening intervals per weekday */
  FC_AV_MAX_SKILLS = 16,    /* skill bits a request or resource may use */
  FC_AV_MAX_RESOURCES = 64, /* resources per workshop */
  FC_AV_MAX_DAYS = 366,     /* days per request */
  FC_AV_MAX_BUSY = 100000,  /* busy entries per call */
  FC_AV_STACK_BUSY = 256    /* up to this many busy entries, no allocation */
};

/* Minutes of the local day, 0 <= start_min < end_min <= 1440. */
typedef struct fc_av_interval {
  int start_min, end_min;
} fc_av_interval;

typedef struct fc_av_resource {
  const char *id;  /* the caller's id, not read here */
  unsigned skills; /* bit i = skill i of the caller's skill list (i < FC_AV_MAX_SKILLS) */
} fc_av_resource;

/* An appointment or a hold. start_ms <= end_ms; resource is an index into
 * the workshop's resources, or -1 for none (see the rules above). */
typedef struct fc_av_busy {
  int64_t start_ms, end_ms;
  int resource;
} fc_av_busy;

typedef struct fc_av_workshop {
  const char *timezone; /* IANA name, e.g. "Europe/Amsterdam" */
  /* Opening intervals per weekday, 0 = Monday; per day in ascending order and
   * not overlapping (touching is fine). */
  fc_av_interval hours[7][FC_AV_MAX_INTERVALS];
  int nhours[7];
  const char *const *closures; /* local dates "YYYY-MM-DD" */
  int nclosures;
  const fc_av_resource *resources;
  int nresources;        /* 0..FC_AV_MAX_RESOURCES */
  int slot_step_min;     /* 1..1440 */
  int lead_time_min;     /* >= 0 */
  int horizon_days;      /* >= 0: 0 = today only */
  double reserved_share; /* 0..0.9: share of each day's capacity kept for phone and walk-in */
} fc_av_workshop;

typedef struct fc_av_request {
  int duration_min;           /* 1..1440: all services back to back */
  unsigned skills;            /* every skill the services need; one resource must have them all */
  int from_y, from_m, from_d; /* first local date */
  int days;                   /* 1..FC_AV_MAX_DAYS */
  int64_t now_ms;
  int online; /* 1: the reserved share is kept back; 0: phone or walk-in may use it */
  int staff;  /* 1: staff booking: no lead time or horizon, off-grid starts allowed in fc_av_fits */
} fc_av_request;

typedef struct fc_av_slot {
  int64_t start_ms, end_ms;
  int resource; /* index into the workshop's resources */
} fc_av_slot;

/* Writes up to max free slots into out (chronological, one per start time,
 * each on the first free suitable resource) and returns how many, or -1 on
 * bad input (anything outside the ranges documented above, an unknown zone,
 * a malformed closure date, a busy entry with end < start or a resource out
 * of range) or when memory runs out. out may be NULL when max is 0. */
int fc_av_compute(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy, const fc_av_request *req,
                  fc_av_slot *out, int max);

/* 1 if a booking of req->duration_min starting at start_ms is possible under
 * the same rules (for customers start_ms must be on the slot grid), and sets
 * *resource_out (may be NULL) to the resource fc_av_compute would give; 0 if
 * not; -1 on bad input. req's from date and days are not used: any day is
 * checked. So a start fc_av_compute returned fits, with the same resource,
 * as long as busy and now are the same. */
int fc_av_fits(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy, const fc_av_request *req,
               int64_t start_ms, int *resource_out);

#endif
