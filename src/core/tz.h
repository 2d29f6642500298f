/* Local wall time <-> UTC instants in IANA zones, through libical.
 *
 * libical 3.0.16 reads the system's zone data (/usr/share/zoneinfo) into a
 * VTIMEZONE and expands its rules lazily into a per-zone table of changes the
 * first time a year is asked for; two threads triggering that expansion race.
 * So this module keeps its own expanded copy of each zone: built once, under a
 * lock, covering every year up to the one asked for, then only read. A later
 * request beyond the covered years builds a fresh, wider copy and publishes it
 * atomically; older copies are kept (never freed) so a reader holding one is
 * never left with freed memory. The process-wide TZ variable is never used.
 *
 * The cache is process-wide (the zone data is immutable configuration of the
 * machine): up to FC_TZ_MAX_ZONES zones. All functions are thread-safe; after
 * fc_tz_prepare (or the first conversion) a zone's conversions take no lock.
 *
 * Other code must not call libical's zone functions (icaltimezone_get_builtin_*,
 * conversions on builtin zones) from worker threads: libical does not lock
 * its builtin zone list either. Years outside FC_TZ_MIN_YEAR..FC_TZ_MAX_YEAR
 * are refused (-1). */
#ifndef FC_CORE_TZ_H
#define FC_CORE_TZ_H
#include <stddef.h>
#include <stdint.h>

enum { FC_TZ_MIN_YEAR = 1971, FC_TZ_MAX_YEAR = 2200, FC_TZ_MAX_ZONES = 256, FC_TZ_NAME_MAX = 63 };

/* Loads zone (borrowed IANA name, e.g. "Europe/Amsterdam"; "UTC" too) and
 * expands its changes over from_year..to_year once, under the lock. Call at
 * start-up or when a dealer's zone is configured, before workers use it.
 * Returns 0, or -1 for an unknown or malformed zone name, a bad year range,
 * out of memory, or a full cache. */
int fc_tz_prepare(const char *zone, int from_year, int to_year);

/* The UTC instant (ms since the epoch) of local date y-m-d at minute-of-day
 * minute (0..1439) in zone. A local time that does not exist (spring-forward
 * gap) gives the instant just after the gap (02:30 -> the instant of 03:00
 * local); an ambiguous one (fall-back) gives the first occurrence (the earlier
 * instant, still on summer time). Prepares the zone itself if needed. Returns
 * 0 and sets *ms, or -1 (unknown zone, invalid date or minute). */
int fc_tz_local_to_utc(const char *zone, int y, int m, int d, int minute, int64_t *ms);

typedef struct fc_local_time {
  int y, m, d, hour, minute, second;
  int wday;       /* 0 = Monday .. 6 = Sunday */
  int offset_min; /* local - UTC, minutes (e.g. +120 for CEST) */
} fc_local_time;

/* The local time in zone of the instant ms. Returns 0 and fills *out, or -1. */
int fc_tz_utc_to_local(const char *zone, int64_t ms, fc_local_time *out);

/* Writes ms (whole seconds; milliseconds dropped) as RFC 3339 with the zone's
 * offset at that instant, e.g. "2027-03-28T08:00:00+02:00" (25 characters and
 * a NUL, so cap >= 26). Returns 0, or -1 (unknown zone, cap too small). */
int fc_tz_format(const char *zone, int64_t ms, char *buf, size_t cap);

/* fc_tz_format for many instants in one zone, close together (a list of
 * slots): memo remembers a stretch of time over which the zone's offset is
 * known and the last local date written, so most calls skip the zone
 * lookup. Zero *memo before the first call and keep it with one zone. memo
 * may be NULL. */
typedef struct fc_tz_memo {
  int64_t lo, hi; /* UTC seconds with offset off */
  int off, valid;
  int64_t day;  /* the local day and offset last written, as text */
  int day_off, day_valid;
  char date[11], zone[6];
} fc_tz_memo;
int fc_tz_format_memo(const char *zone, int64_t ms, fc_tz_memo *memo, char *buf, size_t cap);

/* Zone-free date arithmetic on the proleptic Gregorian calendar, for callers
 * that walk local dates. Day number 0 is 1970-01-01. */
/* 1 if y-m-d is a valid date with y in FC_TZ_MIN_YEAR..FC_TZ_MAX_YEAR, else 0. */
int fc_tz_date_valid(int y, int m, int d);
/* The day number of a valid date (see fc_tz_date_valid). */
int64_t fc_tz_day_number(int y, int m, int d);
/* The date of day number dn; *wday 0 = Monday .. 6 = Sunday (may be NULL). */
void fc_tz_day_date(int64_t dn, int *y, int *m, int *d, int *wday);

#endif
