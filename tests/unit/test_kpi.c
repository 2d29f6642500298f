/* The KPI maths on small hand-made data sets, every answer worked out by
 * hand in the comment above its check: percentiles (linear interpolation
 * between closest ranks), shares, a dealer's figures, a network's figures
 * (medians over all leads, not averages of medians), periods of local days,
 * and workshop capacity with closures and daylight-saving days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* cmocka needs the headers above first. */
#include <cmocka.h>

#include <math.h>

#include "core/tz.h"
#include "kpi/kpi.h"

enum { MIN = 60000 }; /* one minute in ms */

static void near(double got, double want) {
  if (fabs(got - want) > 1e-9) fail_msg("got %.12f, want %.12f", got, want);
}

static double pct(const int64_t *v, size_t n, double p) {
  double q = -1;
  assert_int_equal(fc_kpi_percentile(v, n, p, &q), 0);
  return q;
}

/* --- percentiles */

static void percentile_of_nothing_or_bad_p(void **state) {
  int64_t one[] = {5};
  double q = 0;
  assert_int_equal(fc_kpi_percentile(NULL, 0, 0.5, &q), -1);
  assert_int_equal(fc_kpi_percentile(one, 0, 0.5, &q), -1);
  assert_int_equal(fc_kpi_percentile(one, 1, -0.1, &q), -1);
  assert_int_equal(fc_kpi_percentile(one, 1, 1.1, &q), -1);
  assert_int_equal(fc_kpi_percentile(one, 1, NAN, &q), -1);
}

static void percentile_by_hand(void **state) {
  /* One value: h = 0 for any p, so every percentile is that value. */
  int64_t one[] = {7 * MIN};
  near(pct(one, 1, 0.5), 7 * MIN);
  near(pct(one, 1, 0.9), 7 * MIN);

  /* 1, 2, 3, 4 minutes (n = 4).
   * median: h = 3 * 0.5 = 1.5 -> v[1] + 0.5 (v[2] - v[1]) = 2 + 0.5 * 1 = 2.5
   * p90:    h = 3 * 0.9 = 2.7 -> v[2] + 0.7 (v[3] - v[2]) = 3 + 0.7 * 1 = 3.7 */
  int64_t four[] = {1 * MIN, 2 * MIN, 3 * MIN, 4 * MIN};
  near(pct(four, 4, 0.5) / MIN, 2.5);
  near(pct(four, 4, 0.9) / MIN, 3.7);

  /* 1..10 minutes (n = 10).
   * median: h = 9 * 0.5 = 4.5 -> 5 + 0.5 * 1 = 5.5
   * p90:    h = 9 * 0.9 = 8.1 -> 9 + 0.1 * 1 = 9.1 */
  int64_t ten[10];
  for (int i = 0; i < 10; i++)
    ten[i] = (int64_t)(i + 1) * MIN;
  near(pct(ten, 10, 0.5) / MIN, 5.5);
  near(pct(ten, 10, 0.9) / MIN, 9.1);

  /* 2, 4, 4, 5, 7, 9, 30 minutes (n = 7): a long tail.
   * median: h = 6 * 0.5 = 3   -> v[3] = 5 exactly
   * p90:    h = 6 * 0.9 = 5.4 -> v[5] + 0.4 (v[6] - v[5]) = 9 + 0.4 * 21 = 17.4
   * p0 = the smallest (2), p100 = the largest (30). */
  int64_t tail[] = {2 * MIN, 4 * MIN, 4 * MIN, 5 * MIN, 7 * MIN, 9 * MIN, 30 * MIN};
  near(pct(tail, 7, 0.5) / MIN, 5);
  near(pct(tail, 7, 0.9) / MIN, 17.4);
  near(pct(tail, 7, 0.0) / MIN, 2);
  near(pct(tail, 7, 1.0) / MIN, 30);

  /* Milliseconds are kept: 30 s and 90 s -> median h = 0.5 -> 30 + 0.5 * 60 = 60 s = 1 minute. */
  int64_t secs[] = {30000, 90000};
  near(pct(secs, 2, 0.5) / MIN, 1.0);
}

static void sort_then_percentile(void **state) {
  /* 30, 10, 20 sorted is 10, 20, 30.
   * median: h = 1 -> 20;  p90: h = 1.8 -> 20 + 0.8 * 10 = 28 */
  int64_t v[] = {30 * MIN, 10 * MIN, 20 * MIN};
  fc_kpi_sort(v, 3);
  assert_true(v[0] == 10 * MIN && v[1] == 20 * MIN && v[2] == 30 * MIN);
  near(pct(v, 3, 0.5) / MIN, 20);
  near(pct(v, 3, 0.9) / MIN, 28);
  fc_kpi_sort(NULL, 0); /* nothing to do, no crash */
}

static void ratios(void **state) {
  double r = -1;
  assert_int_equal(fc_kpi_ratio(0, 0, &r), -1); /* nothing to divide by: undefined, not 0 */
  assert_int_equal(fc_kpi_ratio(3, -1, &r), -1);
  assert_int_equal(fc_kpi_ratio(0, 5, &r), 0);
  near(r, 0.0);
  assert_int_equal(fc_kpi_ratio(3, 4, &r), 0);
  near(r, 0.75);
  assert_int_equal(fc_kpi_ratio(2, 3, &r), 0);
  near(r, 2.0 / 3.0);
}

/* --- a dealer and a network */

/* Dealer A over a period, target 60 minutes.
 * 10 leads received; 6 answered after 5, 12, 30, 45, 61 and 200 minutes;
 * of the 4 unanswered, 2 are older than 60 minutes (missed), 2 are younger
 * (not decided yet). 2 leads won, 3 test drives. 8 bookings, 6 of them web.
 * 5 appointments started in the past and came or not, 1 a no-show. 1,800
 * minutes booked of 7,200 capacity. */
static fc_kpi_counts dealer_a(void) {
  fc_kpi_counts k;
  memset(&k, 0, sizeof k);
  k.leads = 10;
  k.won = 2;
  k.test_drives = 3;
  k.answered = 6;
  k.within_target = 4; /* 5, 12, 30, 45 <= 60; 61 and 200 are late */
  k.measured = 8;      /* 6 answered + 2 missed; the 2 young ones are left out */
  k.overdue_open = 2;
  k.bookings = 8;
  k.web_bookings = 6;
  k.no_shows = 1;
  k.show_base = 5;
  k.booked_ms = 1800LL * MIN;
  k.capacity_min = 7200;
  k.workshops = 1;
  return k;
}

static const int64_t A_TIMES[] = {5 * MIN, 12 * MIN, 30 * MIN, 45 * MIN, 61 * MIN, 200 * MIN};

static void dealer_figures(void **state) {
  fc_kpi_counts k = dealer_a();
  fc_kpi_figures f;
  fc_kpi_derive(&k, A_TIMES, 6, &f);
  /* median: n = 6, h = 2.5 -> 30 + 0.5 * (45 - 30) = 37.5 minutes
   * p90:    h = 4.5 -> 61 + 0.5 * (200 - 61) = 61 + 69.5 = 130.5 minutes */
  assert_true(f.has_median && f.has_p90);
  near(f.median_min, 37.5);
  near(f.p90_min, 130.5);
  /* within target: 4 of 8 measured = 0.5 (not 4 of 6 answered: missed leads count) */
  assert_true(f.has_within);
  near(f.within_target_share, 0.5);
  /* conversion: 2 won of 10 received = 0.2 */
  near(f.conversion_rate, 0.2);
  /* online share: 6 web of 8 = 0.75 (6 phone calls saved) */
  near(f.online_share, 0.75);
  /* no-show rate: 1 of 5 = 0.2 */
  near(f.no_show_rate, 0.2);
  /* utilisation: 1,800 / 7,200 = 0.25 */
  assert_true(f.has_utilisation);
  near(f.utilisation, 0.25);
}

static void empty_dealer_has_nulls(void **state) {
  /* Nothing received, nothing booked, no workshop: every share is undefined
   * (null in the API), not 0. */
  fc_kpi_counts k;
  memset(&k, 0, sizeof k);
  fc_kpi_figures f;
  fc_kpi_derive(&k, NULL, 0, &f);
  assert_false(f.has_median || f.has_p90 || f.has_within || f.has_conversion || f.has_online ||
               f.has_no_show || f.has_utilisation);
  /* A workshop closed over the whole period: capacity 0, utilisation undefined. */
  k.workshops = 1;
  fc_kpi_derive(&k, NULL, 0, &f);
  assert_false(f.has_utilisation);
  /* Leads but none answered yet and none past the target: no median, no share,
   * conversion 0 of 3 = 0. */
  k.leads = 3;
  fc_kpi_derive(&k, NULL, 0, &f);
  assert_false(f.has_median || f.has_within);
  assert_true(f.has_conversion);
  near(f.conversion_rate, 0.0);
}

static void network_figures(void **state) {
  /* Dealer B: 4 leads, answered after 1 and 3 minutes (both within its
   * target), 1 more missed; 1 won, 1 test drive; 2 bookings, 0 web; no
   * appointment in the past; no workshop (booked time, if any, is left out
   * of the network's utilisation). */
  fc_kpi_counts b;
  memset(&b, 0, sizeof b);
  b.leads = 4;
  b.won = 1;
  b.test_drives = 1;
  b.answered = 2;
  b.within_target = 2;
  b.measured = 3;
  b.bookings = 2;
  b.booked_ms = 999LL * MIN; /* must not count: B has no workshop */

  fc_kpi_counts a = dealer_a(), total;
  memset(&total, 0, sizeof total);
  fc_kpi_counts_add(&total, &a);
  fc_kpi_counts_add(&total, &b);
  assert_int_equal(total.leads, 14);
  assert_int_equal(total.workshops, 1);
  assert_int_equal(total.booked_ms, 1800LL * MIN);

  /* All the network's response times, sorted: 1, 3, 5, 12, 30, 45, 61, 200.
   * median: n = 8, h = 3.5 -> 12 + 0.5 * (30 - 12) = 21
   *   (the average of the dealers' medians would be (37.5 + 2) / 2 = 19.75: wrong)
   * p90: h = 6.3 -> 61 + 0.3 * (200 - 61) = 61 + 41.7 = 102.7 */
  int64_t all[] = {A_TIMES[0], A_TIMES[1], A_TIMES[2], A_TIMES[3], A_TIMES[4], A_TIMES[5], 1 * MIN, 3 * MIN};
  fc_kpi_sort(all, 8);
  fc_kpi_figures f;
  fc_kpi_derive(&total, all, 8, &f);
  near(f.median_min, 21);
  near(f.p90_min, 102.7);
  /* within target: (4 + 2) / (8 + 3) = 6 / 11 */
  near(f.within_target_share, 6.0 / 11.0);
  /* conversion: (2 + 1) / (10 + 4) = 3 / 14 */
  near(f.conversion_rate, 3.0 / 14.0);
  /* online share: (6 + 0) / (8 + 2) = 0.6 */
  near(f.online_share, 0.6);
  /* no-shows: 1 / 5 = 0.2 (B adds nothing to either side) */
  near(f.no_show_rate, 0.2);
  /* utilisation: only A has a workshop: 1,800 / 7,200 = 0.25 */
  near(f.utilisation, 0.25);
}

/* --- periods */

static int64_t dn(int y, int m, int d) { return fc_tz_day_number(y, m, d); }

static void periods(void **state) {
  fc_kpi_period p;
  int64_t today = dn(2027, 3, 31);
  /* Nothing given: the last 30 days including today: 2027-03-02 .. 2027-03-31
   * (March 2 + 29 days = March 31). */
  assert_null(fc_kpi_period_parse(NULL, NULL, today, &p));
  assert_true(p.first_dn == dn(2027, 3, 2) && p.last_dn == today);
  /* Only from: 30 days from it: 2027-02-01 + 29 = 2027-03-02 (February has 28 days). */
  assert_null(fc_kpi_period_parse("2027-02-01", NULL, today, &p));
  assert_true(p.first_dn == dn(2027, 2, 1) && p.last_dn == dn(2027, 3, 2));
  /* Only to: 2027-01-30 - 29 = 2027-01-01. */
  assert_null(fc_kpi_period_parse(NULL, "2027-01-30", today, &p));
  assert_true(p.first_dn == dn(2027, 1, 1) && p.last_dn == dn(2027, 1, 30));
  /* One day: from = to. */
  assert_null(fc_kpi_period_parse("2027-03-05", "2027-03-05", today, &p));
  assert_true(p.first_dn == p.last_dn);
  /* A leap year whole: 2028-01-01 .. 2028-12-31 is 366 days: allowed; one more is not. */
  assert_null(fc_kpi_period_parse("2028-01-01", "2028-12-31", today, &p));
  assert_int_equal(p.last_dn - p.first_dn + 1, 366);
  assert_non_null(fc_kpi_period_parse("2027-12-31", "2028-12-31", today, &p));
  /* from after to */
  assert_non_null(fc_kpi_period_parse("2027-03-06", "2027-03-05", today, &p));
  /* Not dates. */
  static const char *const bad[] = {"2027-02-29", "2027-13-01",  "2027-00-10", "2027-2-01",
                                    "20270301",   "2027-03-01x", "",           "2027/03/01",
                                    "1970-01-01", "+027-03-01",  "2027-03-1 ", "abcd-ef-gh"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (!fc_kpi_period_parse(bad[i], "2027-03-05", today, &p)) fail_msg("from=%s accepted", bad[i]);
    if (!fc_kpi_period_parse("2027-03-01", bad[i], today, &p)) fail_msg("to=%s accepted", bad[i]);
  }
}

/* --- capacity */

static const fc_av_resource TWO[] = {{"bay-1", 1}, {"bay-2", 1}};

/* Mon-Fri 08:00-12:00 and 13:00-17:00 (480 minutes), Saturday 08:00-12:00
 * (240), Sunday closed. */
static fc_av_workshop week_workshop(const char *zone) {
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
  w.resources = TWO;
  w.nresources = 2;
  w.slot_step_min = 30;
  return w;
}

static int64_t capacity(const fc_av_workshop *w, int y, int m, int d, int days) {
  int64_t out = -1;
  assert_int_equal(fc_kpi_capacity_min(w, y, m, d, days, &out), 0);
  return out;
}

static void capacity_of_a_week(void **state) {
  fc_av_workshop w = week_workshop("Europe/Amsterdam");
  /* 2027-03-01 is a Monday. Mon..Sun: 5 x 480 + 240 + 0 = 2,640 open minutes,
   * x 2 resources = 5,280. */
  assert_int_equal(capacity(&w, 2027, 3, 1, 7), 5280);
  /* One day, Monday: 480 x 2 = 960; Sunday alone: 0. */
  assert_int_equal(capacity(&w, 2027, 3, 1, 1), 960);
  assert_int_equal(capacity(&w, 2027, 3, 7, 1), 0);
  /* Wednesday 2027-03-03 closed: 5,280 - 960 = 4,320. */
  const char *closures[] = {"2027-03-03", "2031-01-01"};
  w.closures = closures;
  w.nclosures = 2;
  assert_int_equal(capacity(&w, 2027, 3, 1, 7), 4320);
  /* No resources: nothing to book. */
  w.nresources = 0;
  assert_int_equal(capacity(&w, 2027, 3, 1, 7), 0);
}

static void capacity_on_clock_changes(void **state) {
  /* Open all day every day, one resource. */
  static const fc_av_resource ONE[] = {{"bay", 1}};
  fc_av_workshop w;
  memset(&w, 0, sizeof w);
  w.timezone = "Europe/Amsterdam";
  for (int d = 0; d < 7; d++) {
    w.hours[d][0] = (fc_av_interval){0, 1440};
    w.nhours[d] = 1;
  }
  w.resources = ONE;
  w.nresources = 1;
  /* Sunday 2027-03-28: clocks go 02:00 -> 03:00 in Amsterdam: 23 h = 1,380 minutes. */
  assert_int_equal(capacity(&w, 2027, 3, 28, 1), 1380);
  /* Sunday 2027-10-31: clocks go 03:00 -> 02:00: 25 h = 1,500 minutes. */
  assert_int_equal(capacity(&w, 2027, 10, 31, 1), 1500);
  /* The week of March 22-28: 6 x 1,440 + 1,380 = 10,020. */
  assert_int_equal(capacity(&w, 2027, 3, 22, 7), 10020);
  /* An interval 01:00-05:00 on the spring day holds 3 hours, not 4: 180. */
  w.hours[6][0] = (fc_av_interval){60, 300};
  assert_int_equal(capacity(&w, 2027, 3, 28, 1), 180);
  /* Montreal springs forward on Sunday 2027-03-14: 01:00-05:00 is 3 hours there. */
  w.timezone = "America/Montreal";
  assert_int_equal(capacity(&w, 2027, 3, 14, 1), 180);
  /* And the same interval a week earlier is 4 hours. */
  assert_int_equal(capacity(&w, 2027, 3, 7, 1), 240);
}

static void capacity_bad_input(void **state) {
  fc_av_workshop w = week_workshop("Europe/Amsterdam");
  int64_t out = 0;
  assert_int_equal(fc_kpi_capacity_min(&w, 2027, 3, 1, 0, &out), -1);
  assert_int_equal(fc_kpi_capacity_min(&w, 2027, 3, 1, FC_KPI_MAX_DAYS + 1, &out), -1);
  assert_int_equal(fc_kpi_capacity_min(&w, 2027, 2, 29, 1, &out), -1);
  assert_int_equal(fc_kpi_capacity_min(NULL, 2027, 3, 1, 1, &out), -1);
  w.timezone = "Mars/Olympus_Mons";
  assert_int_equal(fc_kpi_capacity_min(&w, 2027, 3, 1, 1, &out), -1);
  w = week_workshop("Europe/Amsterdam");
  w.hours[0][0] = (fc_av_interval){600, 500};
  assert_int_equal(fc_kpi_capacity_min(&w, 2027, 3, 1, 1, &out), -1);
  /* 366 days is allowed: 2028 holds 52 weeks and 2 days (Sat Jan 1, Sun Dec 31):
   * 52 x 2,640 + 240 + 0 = 137,520 open minutes, x 2 = 275,040. */
  w = week_workshop("Europe/Amsterdam");
  assert_int_equal(capacity(&w, 2028, 1, 1, 366), 275040);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(percentile_of_nothing_or_bad_p),
      cmocka_unit_test(percentile_by_hand),
      cmocka_unit_test(sort_then_percentile),
      cmocka_unit_test(ratios),
      cmocka_unit_test(dealer_figures),
      cmocka_unit_test(empty_dealer_has_nulls),
      cmocka_unit_test(network_figures),
      cmocka_unit_test(periods),
      cmocka_unit_test(capacity_of_a_week),
      cmocka_unit_test(capacity_on_clock_changes),
      cmocka_unit_test(capacity_bad_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
