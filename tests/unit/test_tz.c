/* Time zones: local wall time <-> UTC across daylight-saving changes in
 * Europe/Amsterdam and America/Montreal, gaps and overlaps, formatting,
 * unknown zones, and concurrent conversions after preparation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka needs the headers above first. */
#include <cmocka.h>

#include <pthread.h>
#include <time.h>

#include "core/timeutil.h"
#include "core/tz.h"

static const char *AMS = "Europe/Amsterdam";
static const char *MTL = "America/Montreal";

static int64_t utc(const char *rfc3339) {
  int64_t ms = 0;
  assert_int_equal(fc_time_parse(rfc3339, &ms), 0);
  return ms;
}

/* Asserts that local y-m-d hh:mm in zone is the instant expected (RFC 3339). */
static void check_local(const char *zone, int y, int m, int d, int hh, int mm, const char *expected) {
  int64_t ms = -1;
  assert_int_equal(fc_tz_local_to_utc(zone, y, m, d, hh * 60 + mm, &ms), 0);
  char got[40];
  fc_time_format(ms, got, sizeof got);
  if (ms != utc(expected))
    fail_msg("%s %04d-%02d-%02d %02d:%02d: got %s, want %s", zone, y, m, d, hh, mm, got, expected);
}

static void check_format(const char *zone, const char *instant, const char *expected) {
  char buf[32];
  assert_int_equal(fc_tz_format(zone, utc(instant), buf, sizeof buf), 0);
  assert_string_equal(buf, expected);
}

static void test_prepare(void **state) {
  (void)state;
  assert_int_equal(fc_tz_prepare(AMS, 2026, 2028), 0);
  assert_int_equal(fc_tz_prepare(MTL, 2026, 2028), 0);
  assert_int_equal(fc_tz_prepare("UTC", 2026, 2028), 0);
  assert_int_equal(fc_tz_prepare(AMS, 2026, 2028), 0); /* again: cached */
  assert_int_equal(fc_tz_prepare(AMS, 2028, 2026), -1);
  assert_int_equal(fc_tz_prepare(AMS, 1800, 2026), -1);
  assert_int_equal(fc_tz_prepare(AMS, 2026, 3000), -1);
}

/* Last Sunday of March 2027 is the 28th, of October the 31st. */
static void test_amsterdam(void **state) {
  (void)state;
  check_local(AMS, 2027, 3, 27, 8, 0, "2027-03-27T07:00:00Z"); /* Saturday, CET */
  check_local(AMS, 2027, 3, 29, 8, 0, "2027-03-29T06:00:00Z"); /* Monday, CEST */
  check_local(AMS, 2027, 3, 28, 1, 59, "2027-03-28T00:59:00Z");
  check_local(AMS, 2027, 3, 28, 3, 0, "2027-03-28T01:00:00Z");
  check_local(AMS, 2027, 10, 30, 8, 0, "2027-10-30T06:00:00Z"); /* Saturday, CEST */
  check_local(AMS, 2027, 11, 1, 8, 0, "2027-11-01T07:00:00Z");  /* Monday, CET */
  check_local(AMS, 2027, 10, 31, 3, 0, "2027-10-31T02:00:00Z");
  check_local(AMS, 2027, 10, 31, 1, 59, "2027-10-30T23:59:00Z");
  check_local(AMS, 2027, 1, 1, 0, 0, "2026-12-31T23:00:00Z");
  check_local(AMS, 2027, 12, 31, 23, 59, "2027-12-31T22:59:00Z");
}

/* Montreal: second Sunday of March (2027-03-14), first Sunday of November
 * (2027-11-07), at 02:00 local. */
static void test_montreal(void **state) {
  (void)state;
  check_local(MTL, 2027, 3, 13, 8, 0, "2027-03-13T13:00:00Z"); /* EST */
  check_local(MTL, 2027, 3, 15, 8, 0, "2027-03-15T12:00:00Z"); /* EDT */
  check_local(MTL, 2027, 3, 14, 8, 0, "2027-03-14T12:00:00Z");
  check_local(MTL, 2027, 11, 6, 8, 0, "2027-11-06T12:00:00Z");
  check_local(MTL, 2027, 11, 8, 8, 0, "2027-11-08T13:00:00Z");
  check_local(MTL, 2027, 11, 7, 8, 0, "2027-11-07T13:00:00Z");
  check_local(MTL, 2028, 3, 11, 8, 0, "2028-03-11T13:00:00Z"); /* 2028: change on the 12th */
  check_local(MTL, 2028, 3, 13, 8, 0, "2028-03-13T12:00:00Z");
}

static void test_gap_and_overlap(void **state) {
  (void)state;
  /* Spring forward: 02:00-03:00 does not exist; 02:30 -> the instant of 03:00. */
  check_local(AMS, 2027, 3, 28, 2, 30, "2027-03-28T01:00:00Z");
  check_local(AMS, 2027, 3, 28, 2, 0, "2027-03-28T01:00:00Z");
  check_local(AMS, 2027, 3, 28, 2, 59, "2027-03-28T01:00:00Z");
  check_local(MTL, 2027, 3, 14, 2, 30, "2027-03-14T07:00:00Z");
  /* Fall back: 02:00-03:00 (Amsterdam), 01:00-02:00 (Montreal) happen twice;
   * the first occurrence (summer time) is taken. */
  check_local(AMS, 2027, 10, 31, 2, 30, "2027-10-31T00:30:00Z");
  check_local(AMS, 2027, 10, 31, 2, 0, "2027-10-31T00:00:00Z");
  check_local(MTL, 2027, 11, 7, 1, 30, "2027-11-07T05:30:00Z");

  fc_local_time lt;
  assert_int_equal(fc_tz_utc_to_local(AMS, utc("2027-03-28T01:00:00Z"), &lt), 0);
  assert_int_equal(lt.hour, 3);
  assert_int_equal(lt.offset_min, 120);
  /* Both occurrences of 02:30 on 31 October read back as 02:30. */
  assert_int_equal(fc_tz_utc_to_local(AMS, utc("2027-10-31T00:30:00Z"), &lt), 0);
  assert_int_equal(lt.hour * 60 + lt.minute, 150);
  assert_int_equal(lt.offset_min, 120);
  assert_int_equal(fc_tz_utc_to_local(AMS, utc("2027-10-31T01:30:00Z"), &lt), 0);
  assert_int_equal(lt.hour * 60 + lt.minute, 150);
  assert_int_equal(lt.offset_min, 60);
}

static void test_utc_to_local(void **state) {
  (void)state;
  fc_local_time lt;
  assert_int_equal(fc_tz_utc_to_local(AMS, utc("2027-03-29T06:00:00Z"), &lt), 0);
  assert_int_equal(lt.y, 2027);
  assert_int_equal(lt.m, 3);
  assert_int_equal(lt.d, 29);
  assert_int_equal(lt.hour, 8);
  assert_int_equal(lt.minute, 0);
  assert_int_equal(lt.second, 0);
  assert_int_equal(lt.wday, 0); /* Monday */
  assert_int_equal(lt.offset_min, 120);
  assert_int_equal(fc_tz_utc_to_local(MTL, utc("2027-01-03T04:59:59Z"), &lt), 0);
  assert_int_equal(lt.y, 2027);
  assert_int_equal(lt.m, 1);
  assert_int_equal(lt.d, 2);
  assert_int_equal(lt.hour, 23);
  assert_int_equal(lt.second, 59);
  assert_int_equal(lt.wday, 5); /* Saturday */
  assert_int_equal(lt.offset_min, -300);
  /* Milliseconds before the epoch second round down. */
  assert_int_equal(fc_tz_utc_to_local("UTC", utc("2027-06-01T00:00:00Z") - 1, &lt), 0);
  assert_int_equal(lt.d, 31);
  assert_int_equal(lt.second, 59);
}

/* Every quarter hour of 2026-2028: local -> UTC gives the instant back, except
 * the second pass through a fall-back hour, which gives the first one. */
static void test_round_trips(void **state) {
  (void)state;
  const char *zones[] = {AMS, MTL, "Asia/Tokyo", "Australia/Sydney", "UTC"};
  for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
    int ambiguous = 0;
    for (int64_t t = utc("2026-01-01T00:00:00Z"); t < utc("2029-01-01T00:00:00Z"); t += (int64_t)15 * 60000) {
      fc_local_time lt;
      int64_t back = 0;
      assert_int_equal(fc_tz_utc_to_local(zones[z], t, &lt), 0);
      assert_int_equal(fc_tz_local_to_utc(zones[z], lt.y, lt.m, lt.d, lt.hour * 60 + lt.minute, &back), 0);
      if (back != t) {
        assert_int_equal(back, t - 3600000);
        fc_local_time first;
        assert_int_equal(fc_tz_utc_to_local(zones[z], back, &first), 0);
        assert_true(first.offset_min == lt.offset_min + 60);
        ambiguous++;
      }
      char buf[32], again[32];
      assert_int_equal(fc_tz_format(zones[z], t, buf, sizeof buf), 0);
      int64_t parsed = 0;
      assert_int_equal(fc_time_parse(buf, &parsed), 0);
      assert_int_equal(parsed, t);
      assert_int_equal(fc_tz_format(zones[z], parsed, again, sizeof again), 0);
      assert_string_equal(buf, again);
    }
    /* Three fall-backs of one hour, four quarter hours each, where DST exists. */
    if (strcmp(zones[z], "Asia/Tokyo") == 0 || strcmp(zones[z], "UTC") == 0)
      assert_int_equal(ambiguous, 0);
    else
      assert_int_equal(ambiguous, 12);
  }
}

static void test_format(void **state) {
  (void)state;
  check_format(AMS, "2027-03-28T06:00:00Z", "2027-03-28T08:00:00+02:00");
  check_format(AMS, "2027-03-27T07:00:00Z", "2027-03-27T08:00:00+01:00");
  check_format(MTL, "2027-03-15T12:00:00Z", "2027-03-15T08:00:00-04:00");
  check_format(MTL, "2027-03-13T13:00:00Z", "2027-03-13T08:00:00-05:00");
  check_format("UTC", "2027-03-13T13:00:00Z", "2027-03-13T13:00:00+00:00");
  check_format("Asia/Kolkata", "2027-03-13T13:00:00Z", "2027-03-13T18:30:00+05:30");
  check_format("America/St_Johns", "2027-07-01T12:00:00Z", "2027-07-01T09:30:00-02:30");
  check_format(AMS, "2027-03-28T06:00:00.999Z", "2027-03-28T08:00:00+02:00");
  char small[25];
  assert_int_equal(fc_tz_format(AMS, utc("2027-03-28T06:00:00Z"), small, sizeof small), -1);
  assert_int_equal(fc_tz_format(AMS, utc("2027-03-28T06:00:00Z"), NULL, 64), -1);
}

/* A memo must give exactly what fc_tz_format gives: every 7 minutes through
 * the spring and autumn changes in both zones, forwards and backwards, and
 * across midnight (the remembered date). */
static void test_format_memo(void **state) {
  (void)state;
  const char *zones[] = {AMS, MTL, "Australia/Lord_Howe", "UTC"};
  const char *starts[] = {"2027-03-26T00:00:00Z", "2027-10-29T00:00:00Z", "2027-03-12T00:00:00Z",
                          "2027-11-05T00:00:00Z", "2027-04-02T00:00:00Z"};
  for (size_t z = 0; z < sizeof zones / sizeof *zones; z++)
    for (size_t s = 0; s < sizeof starts / sizeof *starts; s++)
      for (int dir = 1; dir >= -1; dir -= 2) {
        fc_tz_memo memo = {0};
        int64_t t0 = utc(starts[s]);
        for (int k = 0; k <= 4 * 24 * 60 / 7; k++) {
          int64_t ms = dir > 0 ? t0 + (int64_t)k * 7 * 60000 : t0 + 4LL * 86400000 - (int64_t)k * 7 * 60000;
          char want[32], got[32];
          assert_int_equal(fc_tz_format(zones[z], ms, want, sizeof want), 0);
          assert_int_equal(fc_tz_format_memo(zones[z], ms, &memo, got, sizeof got), 0);
          if (strcmp(want, got) != 0) fail_msg("%s at %lld: memo gave %s, want %s", zones[z], (long long)ms, got, want);
        }
      }
  fc_tz_memo memo = {0};
  char buf[32];
  assert_int_equal(fc_tz_format_memo("No/Such_Zone", 0, &memo, buf, sizeof buf), -1);
}

/* The offset table against the C library's own reading of the zone files
 * (TZ and localtime_r: fine here, this test is single-threaded), every three
 * hours of 2015-2030 and around each change to the second. */
static void test_offsets_match_the_system(void **state) {
  (void)state;
  const char *zones[] = {AMS, MTL, "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham",
                         "America/Sao_Paulo", "Europe/Dublin"};
  const char *saved = getenv("TZ");
  char *keep = saved ? strdup(saved) : NULL;
  int64_t from = utc("2015-01-01T00:00:00Z") / 1000, to = utc("2030-12-31T00:00:00Z") / 1000;
  for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
    setenv("TZ", zones[z], 1);
    tzset();
    long last = 0;
    for (int64_t t = from; t < to; t += 3 * 3600) {
      time_t tt = (time_t)t;
      struct tm tm;
      localtime_r(&tt, &tm);
      fc_local_time lt;
      assert_int_equal(fc_tz_utc_to_local(zones[z], t * 1000, &lt), 0);
      if ((long)lt.offset_min * 60 != tm.tm_gmtoff)
        fail_msg("%s at %lld: offset %d min, the system says %ld s", zones[z], (long long)t, lt.offset_min, tm.tm_gmtoff);
      if (t > from && tm.tm_gmtoff != last) { /* a change in the last three hours: find it to the second */
        int64_t lo = t - 3 * 3600, hi = t;
        while (hi - lo > 1) {
          int64_t mid = lo + (hi - lo) / 2;
          time_t mt = (time_t)mid;
          localtime_r(&mt, &tm);
          if (tm.tm_gmtoff == last) lo = mid; else hi = mid;
        }
        assert_int_equal(fc_tz_utc_to_local(zones[z], lo * 1000, &lt), 0);
        assert_int_equal((long)lt.offset_min * 60, last);
        assert_int_equal(fc_tz_utc_to_local(zones[z], hi * 1000, &lt), 0);
        localtime_r(&(time_t){(time_t)hi}, &tm);
        assert_int_equal((long)lt.offset_min * 60, tm.tm_gmtoff);
      }
      localtime_r(&tt, &tm);
      last = tm.tm_gmtoff;
    }
  }
  if (keep) setenv("TZ", keep, 1); else unsetenv("TZ");
  free(keep);
  tzset();
}

static void test_unknown_and_bad_input(void **state) {
  (void)state;
  const char *bad[] = {"Nowhere/City",
                       "",
                       "Europe",
                       "Europe/",
                       "/Europe/Amsterdam",
                       "Europe//Amsterdam",
                       "../../etc/passwd",
                       "Europe/../Europe/Amsterdam",
                       "Europe/Amsterdam ",
                       "europe/amsterdam\n",
                       "A/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64_t ms = 0;
    fc_local_time lt;
    char buf[32];
    assert_int_equal(fc_tz_prepare(bad[i], 2026, 2027), -1);
    assert_int_equal(fc_tz_local_to_utc(bad[i], 2027, 3, 28, 480, &ms), -1);
    assert_int_equal(fc_tz_utc_to_local(bad[i], 0, &lt), -1);
    assert_int_equal(fc_tz_format(bad[i], 0, buf, sizeof buf), -1);
  }
  int64_t ms = 0;
  fc_local_time lt;
  assert_int_equal(fc_tz_prepare(NULL, 2026, 2027), -1);
  assert_int_equal(fc_tz_local_to_utc(NULL, 2027, 3, 28, 480, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2027, 13, 1, 480, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2027, 2, 29, 480, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2028, 2, 29, 480, &ms), 0);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2027, 4, 31, 480, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2027, 4, 0, 480, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2027, 4, 1, 1440, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2027, 4, 1, -1, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 1900, 4, 1, 0, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2300, 4, 1, 0, &ms), -1);
  assert_int_equal(fc_tz_local_to_utc(AMS, 2027, 4, 1, 0, NULL), -1);
  assert_int_equal(fc_tz_utc_to_local(AMS, 0, NULL), -1);
  assert_int_equal(fc_tz_utc_to_local(AMS, INT64_MAX, &lt), -1);
  assert_int_equal(fc_tz_utc_to_local(AMS, INT64_MIN, &lt), -1);
}

/* A zone asked for far beyond its prepared years is widened, not refused. */
static void test_wider_years(void **state) {
  (void)state;
  check_local(AMS, 2150, 7, 1, 8, 0, "2150-07-01T06:00:00Z");
  check_local(AMS, 2150, 1, 1, 8, 0, "2150-01-01T07:00:00Z");
  check_local(AMS, 1999, 7, 1, 8, 0, "1999-07-01T06:00:00Z");
  check_local("Australia/Sydney", 2027, 1, 15, 8, 0, "2027-01-14T21:00:00Z");
}

static void test_day_arithmetic(void **state) {
  (void)state;
  int y, m, d, wd;
  assert_int_equal(fc_tz_day_number(1971, 1, 1), 365);
  int64_t dn = fc_tz_day_number(2027, 3, 29);
  fc_tz_day_date(dn, &y, &m, &d, &wd);
  assert_int_equal(y * 10000 + m * 100 + d, 20270329);
  assert_int_equal(wd, 0);
  fc_tz_day_date(fc_tz_day_number(2100, 2, 28) + 1, &y, &m, &d, &wd);
  assert_int_equal(y * 10000 + m * 100 + d, 21000301);
  fc_tz_day_date(fc_tz_day_number(2028, 2, 28) + 1, &y, &m, &d, NULL);
  assert_int_equal(y * 10000 + m * 100 + d, 20280229);
  assert_int_equal(fc_tz_date_valid(2027, 2, 29), 0);
  assert_int_equal(fc_tz_date_valid(2028, 2, 29), 1);
  assert_int_equal(fc_tz_date_valid(2100, 2, 29), 0);
  assert_int_equal(fc_tz_date_valid(2000, 2, 29), 1);
  assert_int_equal(fc_tz_date_valid(1970, 1, 1), 0);
  /* Day numbers are consecutive across a whole year and weekdays cycle. */
  int64_t first = fc_tz_day_number(2027, 1, 1);
  for (int i = 0; i < 400; i++) {
    fc_tz_day_date(first + i, &y, &m, &d, &wd);
    assert_int_equal(fc_tz_day_number(y, m, d), first + i);
    assert_int_equal(wd, (int)((first + i + 3) % 7));
  }
}

/* Four workers convert concurrently after preparation; one of them also
 * makes the module load a new zone and widen a prepared one meanwhile. Run
 * under ThreadSanitizer too (see the report). */
typedef struct worker {
  int id;
  int failures;
} worker;

static void *convert_loop(void *arg) {
  worker *w = arg;
  static const struct {
    const char *zone;
    int y, m, d, minute;
    const char *want;
  } cases[] = {
      {"Europe/Amsterdam", 2027, 3, 27, 480, "2027-03-27T07:00:00Z"},
      {"Europe/Amsterdam", 2027, 3, 29, 480, "2027-03-29T06:00:00Z"},
      {"Europe/Amsterdam", 2027, 10, 30, 480, "2027-10-30T06:00:00Z"},
      {"Europe/Amsterdam", 2027, 11, 1, 480, "2027-11-01T07:00:00Z"},
      {"America/Montreal", 2027, 3, 13, 480, "2027-03-13T13:00:00Z"},
      {"America/Montreal", 2027, 3, 15, 480, "2027-03-15T12:00:00Z"},
      {"America/Montreal", 2027, 3, 14, 150, "2027-03-14T07:00:00Z"},
  };
  for (int i = 0; i < 3000; i++) {
    size_t k = (size_t)(i + w->id) % (sizeof cases / sizeof cases[0]);
    int64_t ms = 0, want = 0;
    if (fc_tz_local_to_utc(cases[k].zone, cases[k].y, cases[k].m, cases[k].d, cases[k].minute, &ms) != 0 ||
        fc_time_parse(cases[k].want, &want) != 0 || ms != want)
      w->failures++;
    fc_local_time lt;
    if (fc_tz_utc_to_local(cases[k].zone, ms, &lt) != 0 || lt.d != cases[k].d) w->failures++;
    char buf[32];
    if (fc_tz_format(cases[k].zone, ms, buf, sizeof buf) != 0) w->failures++;
    if (w->id == 0 && i == 100 && fc_tz_local_to_utc("Asia/Kolkata", 2027, 1, 1, 0, &ms) != 0) w->failures++;
    if (w->id == 1 && i == 200 && fc_tz_local_to_utc("America/Montreal", 2190, 1, 1, 0, &ms) != 0)
      w->failures++;
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  assert_int_equal(fc_tz_prepare(AMS, 2026, 2028), 0);
  assert_int_equal(fc_tz_prepare(MTL, 2026, 2028), 0);
  pthread_t th[4];
  worker w[4];
  for (int i = 0; i < 4; i++) {
    w[i] = (worker){.id = i};
    assert_int_equal(pthread_create(&th[i], NULL, convert_loop, &w[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(w[i].failures, 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_prepare),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_amsterdam),
      cmocka_unit_test(test_montreal),
      cmocka_unit_test(test_gap_and_overlap),
      cmocka_unit_test(test_utc_to_local),
      cmocka_unit_test(test_round_trips),
      cmocka_unit_test(test_format),
      cmocka_unit_test(test_format_memo),
      cmocka_unit_test(test_offsets_match_the_system),
      cmocka_unit_test(test_unknown_and_bad_input),
      cmocka_unit_test(test_wider_years),
      cmocka_unit_test(test_day_arithmetic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
