/* Availability: opening hours with a lunch break, closures, skills and
 * multi-service visits, busy time, lead time, horizon, full days, the
 * reserved share, daylight-saving weeks in two zones, fc_av_fits agreeing
 * with fc_av_compute, bad input, and a timing of one week. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka needs the headers above first. */
#include <cmocka.h>

#include <math.h>
#include <time.h>

#include "booking/availability.h"
#include "core/tz.h"

enum { MAINT = 1u << 0, TIRES = 1u << 1, DIAG = 1u << 2 };
enum { BAY1 = 0, BAY2 = 1, TIREBAY = 2 }; /* maintenance+tires, maintenance, tires */
enum { MAXSLOTS = 4096 };

static const char *AMS = "Europe/Amsterdam";
static const char *MTL = "America/Montreal";

static const fc_av_resource RESOURCES[] = {
    {"bay-1", MAINT | TIRES},
    {"bay-2", MAINT},
    {"tire-bay", TIRES},
};

/* Mon-Fri 08:00-12:00 and 13:00-17:00, Saturday 08:00-12:00, Sunday closed;
 * 30-minute grid, no lead time, 60 days ahead, no reserve. */
static fc_av_workshop workshop(const char *zone) {
  fc_av_workshop w;
  memset(&w, 0, sizeof w);
  w.timezone = zone;
  for (int d = 0; d < 5; d++) {
    w.hours[d][0] = (fc_av_interval){480, 720};
    w.hours[d][1] = (fc_av_interval){780, 1020};
    w.nhours[d] = 2;
  }
  w.hours[5][0] = (fc_av_interval){480, 720};
  w.nhours[5] = 1;
  w.resources = RESOURCES;
  w.nresources = 3;
  w.slot_step_min = 30;
  w.lead_time_min = 0;
  w.horizon_days = 60;
  w.reserved_share = 0;
  return w;
}

static int64_t at(const char *zone, int y, int m, int d, int hh, int mm) {
  int64_t ms = 0;
  assert_int_equal(fc_tz_local_to_utc(zone, y, m, d, hh * 60 + mm, &ms), 0);
  return ms;
}

static fc_av_request request(int duration, unsigned skills, int y, int m, int d, int days, int64_t now) {
  fc_av_request r;
  memset(&r, 0, sizeof r);
  r.duration_min = duration;
  r.skills = skills;
  r.from_y = y;
  r.from_m = m;
  r.from_d = d;
  r.days = days;
  r.now_ms = now;
  r.online = 1;
  return r;
}

static fc_av_slot slots[MAXSLOTS];

static int compute(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy, const fc_av_request *req) {
  int n = fc_av_compute(w, busy, nbusy, req, slots, MAXSLOTS);
  assert_true(n >= 0);
  for (int i = 1; i < n; i++)
    assert_true(slots[i].start_ms > slots[i - 1].start_ms);
  for (int i = 0; i < n; i++) {
    assert_int_equal(slots[i].end_ms - slots[i].start_ms, (int64_t)req->duration_min * 60000);
    assert_true(slots[i].resource >= 0 && slots[i].resource < w->nresources);
    assert_true((w->resources[slots[i].resource].skills & req->skills) == req->skills);
  }
  return n;
}

/* Local "HH:MM" of an instant, and its local date as YYYYMMDD. */
static int local_hm(const char *zone, int64_t ms) {
  fc_local_time lt;
  assert_int_equal(fc_tz_utc_to_local(zone, ms, &lt), 0);
  return lt.hour * 100 + lt.minute;
}
static int local_date(const char *zone, int64_t ms) {
  fc_local_time lt;
  assert_int_equal(fc_tz_utc_to_local(zone, ms, &lt), 0);
  return lt.y * 10000 + lt.m * 100 + lt.d;
}

static int count_on(const char *zone, int n, int yyyymmdd) {
  int c = 0;
  for (int i = 0; i < n; i++)
    c += local_date(zone, slots[i].start_ms) == yyyymmdd;
  return c;
}

static int has_slot(int n, int64_t start) {
  for (int i = 0; i < n; i++)
    if (slots[i].start_ms == start) return 1;
  return 0;
}

/* A fixed pseudo-random sequence (reproducible test data). */
static unsigned rng_state = 1;
static int rnd(int n) {
  rng_state = rng_state * 1103515245u + 12345u;
  return (int)((rng_state >> 16) % (unsigned)n);
}

static int64_t NOW; /* 2027-04-01 00:00 UTC, before every day asked for */

static int setup(void **state) {
  (void)state;
  if (fc_tz_prepare(AMS, 2026, 2028) != 0 || fc_tz_prepare(MTL, 2026, 2028) != 0) return -1;
  NOW = at("UTC", 2027, 4, 1, 0, 0);
  return 0;
}

/* Monday 2027-04-12: 7 one-hour starts before lunch (08:00-11:00) and 7 after
 * (13:00-16:00); none at 11:30 or 12:00 (they would run into lunch). */
static void test_hours_and_lunch(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 1, NOW);
  int n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 14);
  assert_int_equal(slots[0].start_ms, at(AMS, 2027, 4, 12, 8, 0));
  assert_int_equal(slots[6].start_ms, at(AMS, 2027, 4, 12, 11, 0));
  assert_int_equal(slots[7].start_ms, at(AMS, 2027, 4, 12, 13, 0));
  assert_int_equal(slots[13].start_ms, at(AMS, 2027, 4, 12, 16, 0));
  assert_false(has_slot(n, at(AMS, 2027, 4, 12, 11, 30)));
  assert_false(has_slot(n, at(AMS, 2027, 4, 12, 12, 30)));
  for (int i = 0; i < n; i++)
    assert_int_equal(slots[i].resource, BAY1);
  /* The whole week: 5 weekdays * 14 + Saturday 7 + Sunday 0. */
  req.days = 7;
  n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 5 * 14 + 7);
  assert_int_equal(count_on(AMS, n, 20270417), 7);
  assert_int_equal(count_on(AMS, n, 20270418), 0);
  /* A 4-hour job fits only at the start of each interval. */
  req.duration_min = 240;
  req.days = 1;
  n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 2);
  assert_int_equal(local_hm(AMS, slots[0].start_ms), 800);
  assert_int_equal(local_hm(AMS, slots[1].start_ms), 1300);
  req.duration_min = 241;
  assert_int_equal(compute(&w, NULL, 0, &req), 0);
}

static void test_grid_and_interval_to_midnight(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  w.slot_step_min = 45;
  fc_av_request req = request(30, MAINT, 2027, 4, 12, 1, NOW);
  int n = compute(&w, NULL, 0, &req);
  /* 08:00 08:45 09:30 10:15 11:00 (11:45 would end 12:15) | 13:00 .. 16:00 */
  assert_int_equal(n, 10);
  assert_int_equal(local_hm(AMS, slots[4].start_ms), 1100);
  assert_int_equal(local_hm(AMS, slots[5].start_ms), 1300);
  assert_int_equal(local_hm(AMS, slots[9].start_ms), 1600);
  /* Saturday evening until midnight. */
  w = workshop(AMS);
  w.hours[5][1] = (fc_av_interval){1200, 1440};
  w.nhours[5] = 2;
  req = request(60, MAINT, 2027, 4, 17, 1, NOW);
  n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 7 + 7); /* 20:00 .. 23:00 on the 30-minute grid */
  assert_int_equal(local_hm(AMS, slots[n - 1].start_ms), 2300);
  assert_int_equal(slots[n - 1].end_ms, at(AMS, 2027, 4, 18, 0, 0));
}

static void test_closures(void **state) {
  (void)state;
  static const char *const closures[] = {"2027-04-12", "2027-12-25"};
  fc_av_workshop w = workshop(AMS);
  w.closures = closures;
  w.nclosures = 2;
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 2, NOW);
  int n = compute(&w, NULL, 0, &req);
  assert_int_equal(count_on(AMS, n, 20270412), 0);
  assert_int_equal(count_on(AMS, n, 20270413), 14);
  int r = 7;
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 12, 8, 0), &r), 0);
  assert_int_equal(r, -1);
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 13, 8, 0), &r), 1);
}

static void test_skills(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  /* Maintenance is never offered on the tires-only bay, even when it is the
   * only free one. */
  fc_av_busy busy[] = {
      {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), BAY1},
      {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), BAY2},
  };
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 1, NOW);
  assert_int_equal(compute(&w, busy, 2, &req), 0);
  /* Tires alone: first the preferred Bay 1, then the tire bay when Bay 1 is busy. */
  req.skills = TIRES;
  int n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 14);
  for (int i = 0; i < n; i++)
    assert_int_equal(slots[i].resource, BAY1);
  n = compute(&w, busy, 2, &req);
  assert_int_equal(n, 14);
  for (int i = 0; i < n; i++)
    assert_int_equal(slots[i].resource, TIREBAY);
  /* Maintenance (60) + tires (30) back to back: only Bay 1 has both. */
  req = request(90, MAINT | TIRES, 2027, 4, 12, 1, NOW);
  n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 6 + 6); /* 08:00..10:30, 13:00..15:30 */
  for (int i = 0; i < n; i++)
    assert_int_equal(slots[i].resource, BAY1);
  assert_int_equal(local_hm(AMS, slots[5].start_ms), 1030);
  /* Bay 1 busy: Bay 2 and the tire bay are free, but neither has both skills. */
  fc_av_busy bay1[] = {{at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), BAY1}};
  assert_int_equal(compute(&w, bay1, 1, &req), 0);
  /* A skill nobody has. */
  req.skills = DIAG;
  assert_int_equal(compute(&w, NULL, 0, &req), 0);
  /* No skills needed: any resource, first in order. */
  req.skills = 0;
  req.duration_min = 60;
  n = compute(&w, bay1, 1, &req);
  assert_int_equal(n, 14);
  assert_int_equal(slots[0].resource, BAY2);
}

static void test_busy_blocks(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 1, NOW);
  /* Bay 1 08:00-09:00: the 08:00 slot moves to Bay 2. */
  fc_av_busy one[] = {{at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 9, 0), BAY1}};
  int n = compute(&w, one, 1, &req);
  assert_int_equal(n, 14);
  assert_int_equal(slots[0].resource, BAY2);
  assert_int_equal(slots[1].resource, BAY2); /* 08:30-09:30 overlaps Bay 1's 08:00-09:00 */
  assert_int_equal(slots[2].resource, BAY1); /* 09:00: touching ends do not overlap */
  /* Both maintenance bays busy 08:00-09:00: first slot 09:00. */
  fc_av_busy two[] = {
      {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 9, 0), BAY2},
      {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 9, 0), BAY1},
  };
  n = compute(&w, two, 2, &req);
  assert_int_equal(n, 12);
  assert_int_equal(local_hm(AMS, slots[0].start_ms), 900);
  /* Overlapping and unsorted busy entries, one long one hiding a short one. */
  fc_av_busy messy[] = {
      {at(AMS, 2027, 4, 12, 14, 0), at(AMS, 2027, 4, 12, 14, 30), BAY1},
      {at(AMS, 2027, 4, 12, 9, 0), at(AMS, 2027, 4, 12, 15, 0), BAY1},
      {at(AMS, 2027, 4, 12, 9, 30), at(AMS, 2027, 4, 12, 10, 0), BAY1},
      {at(AMS, 2027, 4, 12, 0, 0), at(AMS, 2027, 4, 13, 0, 0), BAY2},
  };
  n = compute(&w, messy, 4, &req);
  /* Bay 1 free 08:00-09:00 and 15:00-17:00: 08:00, 15:00, 15:30, 16:00. */
  assert_int_equal(n, 4);
  assert_int_equal(local_hm(AMS, slots[0].start_ms), 800);
  assert_int_equal(local_hm(AMS, slots[1].start_ms), 1500);
  assert_int_equal(local_hm(AMS, slots[3].start_ms), 1600);
  /* A busy entry without a resource blocks nothing. */
  fc_av_busy none[] = {{at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), -1}};
  assert_int_equal(compute(&w, none, 1, &req), 14);
  /* Busy time on another day or the tire bay changes nothing. */
  fc_av_busy other[] = {
      {at(AMS, 2027, 4, 13, 8, 0), at(AMS, 2027, 4, 13, 17, 0), BAY1},
      {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), TIREBAY},
  };
  n = compute(&w, other, 2, &req);
  assert_int_equal(n, 14);
  assert_int_equal(slots[0].resource, BAY1);
}

static void test_full_day(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  fc_av_busy busy[3];
  for (int r = 0; r < 3; r++)
    busy[r] = (fc_av_busy){at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), r};
  fc_av_request req = request(30, 0, 2027, 4, 12, 2, NOW);
  int n = compute(&w, busy, 3, &req);
  assert_int_equal(count_on(AMS, n, 20270412), 0);
  assert_int_equal(count_on(AMS, n, 20270413), 16);
  req.online = 0;
  n = compute(&w, busy, 3, &req);
  assert_int_equal(count_on(AMS, n, 20270412), 0);
  /* Many small appointments filling every bay, in random order. */
  fc_av_busy many[3 * 16];
  int k = 0;
  for (int r = 0; r < 3; r++)
    for (int h = 0; h < 8; h++) {
      int hour = h < 4 ? 8 + h : 9 + h;
      many[k++] = (fc_av_busy){at(AMS, 2027, 4, 12, hour, 0), at(AMS, 2027, 4, 12, hour, 30), r};
      many[k++] = (fc_av_busy){at(AMS, 2027, 4, 12, hour, 30), at(AMS, 2027, 4, 12, hour + 1, 0), r};
    }
  rng_state = 7;
  for (int i = k - 1; i > 0; i--) {
    int j = rnd(i + 1);
    fc_av_busy t = many[i];
    many[i] = many[j];
    many[j] = t;
  }
  req.days = 1;
  assert_int_equal(compute(&w, many, k, &req), 0);
}

/* Now Monday 07:10 local with two hours' lead time: nothing before 09:10,
 * so the first start is 09:30. */
static void test_lead_time(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  w.lead_time_min = 120;
  int64_t now = at(AMS, 2027, 4, 12, 7, 10);
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 1, now);
  int n = compute(&w, NULL, 0, &req);
  assert_int_equal(local_hm(AMS, slots[0].start_ms), 930);
  assert_int_equal(n, 4 + 7);
  /* Exactly on the limit is allowed. */
  req.now_ms = at(AMS, 2027, 4, 12, 7, 30);
  assert_int_equal(compute(&w, NULL, 0, &req), 11);
  assert_int_equal(local_hm(AMS, slots[0].start_ms), 930);
  req.now_ms = at(AMS, 2027, 4, 12, 7, 31);
  assert_int_equal(compute(&w, NULL, 0, &req), 10);
  assert_int_equal(local_hm(AMS, slots[0].start_ms), 1000);
  /* Lead time running over lunch. */
  req.now_ms = at(AMS, 2027, 4, 12, 10, 0);
  n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 7);
  assert_int_equal(local_hm(AMS, slots[0].start_ms), 1300);
  /* Days in the past give nothing. */
  req = request(60, MAINT, 2027, 4, 5, 7, now);
  assert_int_equal(compute(&w, NULL, 0, &req), 0);
  /* Staff (phone, walk-in) are not held to the lead time, only to now. */
  req = request(60, MAINT, 2027, 4, 12, 1, at(AMS, 2027, 4, 12, 10, 5));
  req.staff = 1;
  assert_int_equal(compute(&w, NULL, 0, &req), 2 + 7);
  assert_int_equal(local_hm(AMS, slots[0].start_ms), 1030);
}

/* Horizon 3 days from Monday: Monday to Thursday, whole days. */
static void test_horizon(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  w.horizon_days = 3;
  int64_t now = at(AMS, 2027, 4, 12, 6, 0);
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 7, now);
  int n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 4 * 14);
  assert_int_equal(local_date(AMS, slots[n - 1].start_ms), 20270415);
  assert_int_equal(local_hm(AMS, slots[n - 1].start_ms), 1600);
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 15, 16, 0), NULL), 1);
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 16, 8, 0), NULL), 0);
  /* Starting beyond the horizon: nothing. */
  req = request(60, MAINT, 2027, 4, 16, 7, now);
  assert_int_equal(compute(&w, NULL, 0, &req), 0);
  /* Horizon 0: today only. */
  w.horizon_days = 0;
  req = request(60, MAINT, 2027, 4, 12, 7, now);
  n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 14);
  /* Staff may book beyond the horizon. */
  req.staff = 1;
  assert_int_equal(compute(&w, NULL, 0, &req), 5 * 14 + 7);
}

/* Capacity Monday: 8 open hours * 3 resources = 1440 minutes; with a 20%
 * reserve online bookings may fill 1152. */
static void test_reserved_share(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  w.reserved_share = 0.2;
  fc_av_busy busy[] = {
      {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), TIREBAY}, /* 480 (lunch excluded) */
      {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), BAY2},    /* 480 */
      {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 10, 0), BAY1},    /* 120: 1080 booked */
  };
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 2, NOW);
  int online = compute(&w, busy, 3, &req);
  /* 1080 + 60 = 1140 <= 1152: still offered online. */
  assert_int_equal(count_on(AMS, online, 20270412), 3 + 7);
  /* 20 more minutes booked: 1100 + 60 > 1152. */
  busy[2].end_ms = at(AMS, 2027, 4, 12, 10, 20);
  online = compute(&w, busy, 3, &req);
  assert_int_equal(count_on(AMS, online, 20270412), 0);
  assert_int_equal(count_on(AMS, online, 20270413), 14);
  assert_int_equal(fc_av_fits(&w, busy, 3, &req, at(AMS, 2027, 4, 12, 13, 0), NULL), 0);
  /* By phone the reserve may be used. */
  req.online = 0;
  int phone = compute(&w, busy, 3, &req);
  assert_int_equal(count_on(AMS, phone, 20270412), 2 + 7); /* 10:30, 11:00, 13:00..16:00 */
  assert_true(phone > online);
  int r = -1;
  assert_int_equal(fc_av_fits(&w, busy, 3, &req, at(AMS, 2027, 4, 12, 13, 0), &r), 1);
  assert_int_equal(r, BAY1);
  /* A shorter online job still fits the remaining 52 minutes. */
  req.online = 1;
  req.duration_min = 30;
  online = compute(&w, busy, 3, &req);
  assert_int_equal(count_on(AMS, online, 20270412), 3 + 8);
  /* Unassigned busy time counts against the day's capacity. */
  fc_av_busy unassigned[] = {{at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), -1},
                             {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), -1},
                             {at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 17, 0), -1}};
  w.reserved_share = 0;
  req.duration_min = 60;
  assert_int_equal(count_on(AMS, compute(&w, unassigned, 3, &req), 20270412), 0);
  req.online = 0;
  assert_int_equal(count_on(AMS, compute(&w, unassigned, 2, &req), 20270412), 14);
}

/* First slot of each open day of a fortnight in zone. */
static void check_dst_fortnight(const char *zone, int y, int m, int d, int64_t change_day_utc_ms,
                                int hours_before, int hours_after) {
  fc_av_workshop w = workshop(zone);
  fc_av_request req = request(60, MAINT, y, m, d, 14, at(zone, y, m, d, 0, 0) - 86400000);
  int n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 2 * (5 * 14 + 7));
  int days = 0;
  for (int i = 0; i < n; i++) {
    /* Every slot is on the local grid: 08:00, 08:30, ... */
    int hm = local_hm(zone, slots[i].start_ms);
    assert_true(hm % 100 == 0 || hm % 100 == 30);
    assert_true((hm >= 800 && hm <= 1100) || (hm >= 1300 && hm <= 1600));
    if (i == 0 || local_date(zone, slots[i].start_ms) != local_date(zone, slots[i - 1].start_ms)) {
      days++;
      assert_int_equal(hm, 800);
      fc_local_time lt;
      assert_int_equal(fc_tz_utc_to_local(zone, slots[i].start_ms, &lt), 0);
      /* 08:00 local is 08:00 - offset in UTC: the UTC hour moves by one. */
      int utc_hour = (int)((slots[i].start_ms / 3600000) % 24);
      assert_int_equal(utc_hour, slots[i].start_ms < change_day_utc_ms ? hours_before : hours_after);
    }
  }
  assert_int_equal(days, 12);
}

static void test_dst_amsterdam(void **state) {
  (void)state;
  /* Last Sunday of March 2027 (28th) and of October (31st). */
  check_dst_fortnight(AMS, 2027, 3, 22, at("UTC", 2027, 3, 28, 1, 0), 7, 6);
  check_dst_fortnight(AMS, 2027, 10, 25, at("UTC", 2027, 10, 31, 1, 0), 6, 7);
  fc_av_workshop w = workshop(AMS);
  fc_av_request req = request(60, MAINT, 2027, 3, 26, 4, at(AMS, 2027, 3, 25, 0, 0));
  int n = compute(&w, NULL, 0, &req);
  assert_int_equal(slots[0].start_ms, at("UTC", 2027, 3, 26, 7, 0));      /* Friday 08:00 CET */
  assert_int_equal(slots[n - 14].start_ms, at("UTC", 2027, 3, 29, 6, 0)); /* Monday 08:00 CEST */
}

static void test_dst_montreal(void **state) {
  (void)state;
  /* Second Sunday of March 2027 (14th), first Sunday of November (7th). */
  check_dst_fortnight(MTL, 2027, 3, 8, at("UTC", 2027, 3, 14, 7, 0), 13, 12);
  check_dst_fortnight(MTL, 2027, 11, 1, at("UTC", 2027, 11, 7, 6, 0), 12, 13);
}

/* A night interval across the spring-forward hour follows elapsed time:
 * 00:00-06:00 local on 2027-03-28 is five hours long. */
static void test_interval_across_change(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  w.hours[6][0] = (fc_av_interval){0, 360};
  w.nhours[6] = 1;
  w.slot_step_min = 60;
  fc_av_request req = request(60, MAINT, 2027, 3, 28, 1, at(AMS, 2027, 3, 27, 0, 0));
  int n = compute(&w, NULL, 0, &req);
  assert_int_equal(n, 5);
  int want[] = {0, 100, 300, 400, 500};
  for (int i = 0; i < n; i++)
    assert_int_equal(local_hm(AMS, slots[i].start_ms), want[i]);
  /* And the fall-back night is seven hours long. */
  req = request(60, MAINT, 2027, 10, 31, 1, at(AMS, 2027, 10, 30, 0, 0));
  assert_int_equal(compute(&w, NULL, 0, &req), 7);
}

/* Every 15 minutes of a fortnight: fc_av_fits says 1 exactly at the starts
 * fc_av_compute returned, with the same resource. */
static void check_agreement(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy, fc_av_request req) {
  int n = compute(w, busy, nbusy, &req);
  int64_t from = at(w->timezone, req.from_y, req.from_m, req.from_d, 0, 0);
  int found = 0;
  for (int64_t t = from - 86400000; t < from + (int64_t)(req.days + 1) * 86400000; t += (int64_t)15 * 60000) {
    int r = -2;
    int fits = fc_av_fits(w, busy, nbusy, &req, t, &r);
    int k = -1;
    for (int i = 0; i < n; i++)
      if (slots[i].start_ms == t) k = i;
    int in_range = t >= from && local_date(w->timezone, t) <
                                    local_date(w->timezone, from + (int64_t)req.days * 86400000 + 7200000);
    if (!in_range) continue;
    if (k >= 0) {
      assert_int_equal(fits, 1);
      assert_int_equal(r, slots[k].resource);
      found++;
    } else {
      assert_int_equal(fits, 0);
      assert_int_equal(r, -1);
    }
  }
  assert_int_equal(found, n);
}

static void test_fits_agrees(void **state) {
  (void)state;
  static const char *const closures[] = {"2027-03-30"};
  fc_av_workshop w = workshop(AMS);
  w.closures = closures;
  w.nclosures = 1;
  w.lead_time_min = 90;
  w.horizon_days = 9;
  w.reserved_share = 0.3;
  fc_av_busy busy[40];
  rng_state = 42;
  int nb = 0;
  for (; nb < 40; nb++) {
    int day = rnd(14), minute = 8 * 60 + 30 * (rnd(18)), len = 30 * (1 + rnd(4));
    int64_t s = at(AMS, 2027, 3, 22, 0, 0) + (int64_t)day * 86400000 + (int64_t)minute * 60000;
    busy[nb] = (fc_av_busy){s, s + (int64_t)len * 60000, rnd(4) - 1};
  }
  int64_t now = at(AMS, 2027, 3, 22, 10, 0);
  fc_av_request req = request(60, MAINT, 2027, 3, 22, 14, now);
  check_agreement(&w, busy, nb, req);
  req.online = 0;
  check_agreement(&w, busy, nb, req);
  req = request(90, MAINT | TIRES, 2027, 3, 22, 14, now);
  check_agreement(&w, busy, nb, req);
  req = request(30, TIRES, 2027, 3, 22, 14, now);
  check_agreement(&w, busy, nb, req);
  fc_av_workshop m = workshop(MTL);
  req = request(45, MAINT, 2027, 3, 8, 14, at(MTL, 2027, 3, 8, 12, 0));
  check_agreement(&m, NULL, 0, req);

  /* Off the grid: a customer cannot start at 08:10, staff (a walk-in) can. */
  req = request(60, MAINT, 2027, 4, 12, 1, at(AMS, 2027, 4, 12, 8, 10));
  int r = -1;
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 12, 8, 10), &r), 0);
  req.staff = 1;
  req.online = 0;
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 12, 8, 10), &r), 1);
  assert_int_equal(r, BAY1);
  /* but not in the past, not over lunch, not on a busy resource. */
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 12, 8, 9), &r), 0);
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 12, 11, 10), &r), 0);
  fc_av_busy b[] = {{at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 8, 30), BAY1}};
  assert_int_equal(fc_av_fits(&w, b, 1, &req, at(AMS, 2027, 4, 12, 8, 10), &r), 1);
  assert_int_equal(r, BAY2);
  /* Sunday closed, before opening, after closing. */
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 18, 9, 0), &r), 0);
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 13, 7, 30), &r), 0);
  assert_int_equal(fc_av_fits(&w, NULL, 0, &req, at(AMS, 2027, 4, 13, 16, 30), &r), 0);
}

static void test_max_and_truncation(void **state) {
  (void)state;
  fc_av_workshop w = workshop(AMS);
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 7, NOW);
  fc_av_slot few[3];
  assert_int_equal(fc_av_compute(&w, NULL, 0, &req, few, 3), 3);
  assert_int_equal(few[0].start_ms, at(AMS, 2027, 4, 12, 8, 0));
  assert_int_equal(few[2].start_ms, at(AMS, 2027, 4, 12, 9, 0));
  assert_int_equal(fc_av_compute(&w, NULL, 0, &req, NULL, 0), 0);
  /* No resources at all. */
  w.nresources = 0;
  assert_int_equal(fc_av_compute(&w, NULL, 0, &req, few, 3), 0);
  /* More busy entries than fit on the stack. */
  w = workshop(AMS);
  fc_av_busy *many = calloc(1000, sizeof *many);
  assert_non_null(many);
  for (int i = 0; i < 1000; i++) {
    int64_t s = at(AMS, 2027, 4, 19, 0, 0) + (int64_t)i * 30000; /* 00:00 to 08:20 */
    many[i] = (fc_av_busy){s, s + 30000, i % 3};
  }
  int n = compute(&w, many, 1000, &req);
  assert_int_equal(n, 5 * 14 + 7);
  req.from_d = 19;
  req.days = 1;
  n = compute(&w, many, 1000, &req);
  assert_int_equal(n, 6 + 7); /* every bay has busy seconds until 08:20: first start 08:30 */
  free(many);
}

static void test_bad_input(void **state) {
  (void)state;
  fc_av_workshop good = workshop(AMS);
  fc_av_request rq = request(60, MAINT, 2027, 4, 12, 1, NOW);
  fc_av_slot out[4];
  fc_av_busy busy[] = {{at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 9, 0), BAY1}};
  assert_int_equal(fc_av_compute(&good, busy, 1, &rq, out, 4), 4);

#define BAD_W(stmt)                                                                                          \
  do {                                                                                                       \
    fc_av_workshop w = workshop(AMS);                                                                        \
    stmt;                                                                                                    \
    assert_int_equal(fc_av_compute(&w, busy, 1, &rq, out, 4), -1);                                           \
    assert_int_equal(fc_av_fits(&w, busy, 1, &rq, at(AMS, 2027, 4, 12, 8, 0), NULL), -1);                    \
  } while (0)
  BAD_W(w.timezone = NULL);
  BAD_W(w.timezone = "Nowhere/City");
  BAD_W(w.timezone = "../../etc/passwd");
  BAD_W(w.nhours[0] = 5);
  BAD_W(w.nhours[0] = -1);
  BAD_W(w.hours[0][1].end_min = 1441);
  BAD_W(w.hours[0][0].start_min = -1);
  BAD_W(w.hours[0][0].end_min = 480);
  BAD_W(w.hours[0][1].start_min = 700); /* overlaps the morning */
  BAD_W(w.hours[0][0] = w.hours[0][1]); /* out of order */
  static const char *const bad_closures[] = {"2027-4-12"};
  static const char *const bad_date[] = {"2027-02-29"};
  BAD_W((w.closures = bad_closures, w.nclosures = 1));
  BAD_W((w.closures = bad_date, w.nclosures = 1));
  BAD_W(w.nclosures = 1);
  BAD_W(w.nresources = FC_AV_MAX_RESOURCES + 1);
  BAD_W(w.resources = NULL);
  BAD_W(w.slot_step_min = 0);
  BAD_W(w.slot_step_min = 1441);
  BAD_W(w.lead_time_min = -1);
  BAD_W(w.horizon_days = -1);
  BAD_W(w.reserved_share = 0.95);
  BAD_W(w.reserved_share = -0.1);
  BAD_W(w.reserved_share = NAN);
  static const fc_av_resource wide[] = {{"x", 1u << FC_AV_MAX_SKILLS}};
  BAD_W((w.resources = wide, w.nresources = 1));
#undef BAD_W

  fc_av_workshop w = workshop(AMS);
#define BAD_R(stmt)                                                                                          \
  do {                                                                                                       \
    fc_av_request r = request(60, MAINT, 2027, 4, 12, 1, NOW);                                               \
    stmt;                                                                                                    \
    assert_int_equal(fc_av_compute(&w, busy, 1, &r, out, 4), -1);                                            \
  } while (0)
  BAD_R(r.duration_min = 0);
  BAD_R(r.duration_min = 1441);
  BAD_R(r.days = 0);
  BAD_R(r.days = FC_AV_MAX_DAYS + 1);
  BAD_R(r.from_m = 13);
  BAD_R(r.from_d = 31);
  BAD_R(r.from_y = 1900);
  BAD_R(r.skills = 1u << FC_AV_MAX_SKILLS);
  BAD_R(r.now_ms = INT64_MAX);
#undef BAD_R
  assert_int_equal(fc_av_compute(NULL, busy, 1, &rq, out, 4), -1);
  assert_int_equal(fc_av_compute(&w, busy, 1, NULL, out, 4), -1);
  assert_int_equal(fc_av_compute(&w, busy, 1, &rq, NULL, 4), -1);
  assert_int_equal(fc_av_compute(&w, busy, 1, &rq, out, -1), -1);
  assert_int_equal(fc_av_compute(&w, NULL, 1, &rq, out, 4), -1);
  assert_int_equal(fc_av_compute(&w, busy, -1, &rq, out, 4), -1);
  fc_av_busy reversed[] = {{at(AMS, 2027, 4, 12, 9, 0), at(AMS, 2027, 4, 12, 8, 0), BAY1}};
  fc_av_busy no_such[] = {{at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 9, 0), 3}};
  fc_av_busy below[] = {{at(AMS, 2027, 4, 12, 8, 0), at(AMS, 2027, 4, 12, 9, 0), -2}};
  assert_int_equal(fc_av_compute(&w, reversed, 1, &rq, out, 4), -1);
  assert_int_equal(fc_av_compute(&w, no_such, 1, &rq, out, 4), -1);
  assert_int_equal(fc_av_compute(&w, below, 1, &rq, out, 4), -1);
  assert_int_equal(fc_av_fits(&w, no_such, 1, &rq, at(AMS, 2027, 4, 12, 8, 0), NULL), -1);
  assert_int_equal(fc_av_fits(&w, busy, 1, NULL, at(AMS, 2027, 4, 12, 8, 0), NULL), -1);
  assert_int_equal(fc_av_fits(&w, busy, 1, &rq, INT64_MAX, NULL), -1);
  /* fc_av_fits does not use the request's dates. */
  fc_av_request r = request(60, MAINT, 2027, 13, 40, 0, NOW);
  assert_int_equal(fc_av_fits(&w, busy, 1, &r, at(AMS, 2027, 4, 12, 9, 0), NULL), 1);
}

/* One week, 6 resources, 100 busy entries: the shape of the API's default
 * query. Prints the cost per call; the bound only catches a blow-up (this
 * build has sanitizers). */
static void test_speed(void **state) {
  (void)state;
  static const fc_av_resource six[] = {{"1", MAINT | TIRES}, {"2", MAINT},        {"3", MAINT},
                                       {"4", TIRES},         {"5", MAINT | DIAG}, {"6", MAINT | TIRES}};
  fc_av_workshop w = workshop(AMS);
  w.resources = six;
  w.nresources = 6;
  w.lead_time_min = 120;
  w.reserved_share = 0.2;
  fc_av_busy busy[100];
  rng_state = 1;
  for (int i = 0; i < 100; i++) {
    int64_t s = at(AMS, 2027, 4, 12 + rnd(7), 8 + rnd(9), 30 * (rnd(2)));
    busy[i] = (fc_av_busy){s, s + (int64_t)30 * 60000 * (1 + rnd(4)), rnd(6)};
  }
  fc_av_request req = request(60, MAINT, 2027, 4, 12, 7, NOW);
  int n = compute(&w, busy, 100, &req);
  assert_true(n > 50);
  struct timespec a, b;
  int calls = 2000;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < calls; i++)
    assert_int_equal(fc_av_compute(&w, busy, 100, &req, slots, MAXSLOTS), n);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double us = ((double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3) / calls;
  printf("fc_av_compute: one week, 6 resources, 100 busy, %d slots: %.1f us per call\n", n, us);
  assert_true(us < 5000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hours_and_lunch), cmocka_unit_test(test_grid_and_interval_to_midnight),
      cmocka_unit_test(test_closures),        cmocka_unit_test(test_skills),
      cmocka_unit_test(test_busy_blocks),     cmocka_unit_test(test_full_day),
      cmocka_unit_test(test_lead_time),       cmocka_unit_test(test_horizon),
      cmocka_unit_test(test_reserved_share),  cmocka_unit_test(test_dst_amsterdam),
      cmocka_unit_test(test_dst_montreal),    cmocka_unit_test(test_interval_across_change),
      cmocka_unit_test(test_fits_agrees),     cmocka_unit_test(test_max_and_truncation),
      cmocka_unit_test(test_bad_input),       cmocka_unit_test(test_speed),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
