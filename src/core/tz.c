/* Time zones through libical, safe for worker threads.
 *
 * Why a private copy per zone: libical's builtin zone keeps its expanded
 * change table in the shared icaltimezone and re-expands (frees and replaces
 * the table) whenever a later year is asked for, without a lock. Here each
 * zone is cloned from libical's VTIMEZONE into an icaltimezone this module
 * owns, expanded at once up to the covered year (plus libical's own five-year
 * margin) while holding `lock`, and then published with a release store. A
 * reader loads it with an acquire load and only calls libical functions that
 * read an already expanded zone (icaltimezone_get_utc_offset_of_utc_time on a
 * year it covers). Wider coverage means a new copy; the old one stays
 * reachable through `older` and is never freed, so there is no reclamation
 * problem and LeakSanitizer sees reachable memory only.
 *
 * Conversions are done from UTC offsets of UTC instants, which are
 * unambiguous: a local time L is tried with the offsets in force a day before
 * and a day after; a candidate is right when the offset at the candidate
 * instant is the one it was computed with. Two right candidates mean a
 * fall-back overlap (take the earlier); none means a spring-forward gap (take
 * the transition instant, found by bisection). This assumes at most one
 * transition within a day of any local time, true of every zone in use for
 * the booking years.
 *
 * Calendar arithmetic (seconds <-> year, month, day) is done here rather than
 * with gmtime_r: glibc's gmtime_r takes the process-wide tzset lock on every
 * call, which would serialise all workers converting times (timegm also keeps
 * a static guess shared between threads). The algorithm is the well-known
 * proleptic Gregorian day count (H. Hinnant, "chrono-compatible low-level
 * date algorithms"). */
#include "core/tz.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A zone expanded through last_year; z NULL means UTC (offset always 0).
 * Its offsets are also kept as a plain table: from UTC second at[i] on, the
 * offset is off[i] (off_before until at[0]); lookups are a binary search in
 * it, with no calendar arithmetic and no libical call. */
typedef struct prepared {
  icaltimezone *z;
  int last_year;
  struct prepared *older; /* superseded copies, kept alive for readers */
  int64_t *at;
  int *off;
  int n, off_before;
  int64_t until; /* the table covers UTC seconds below this */
} prepared;

typedef struct entry {
  char name[FC_TZ_NAME_MAX + 1];
  _Atomic(prepared *) cur;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry entries[FC_TZ_MAX_ZONES];
static atomic_int nentries;

/* IANA names are ASCII letters, digits, '/', '_', '-', '+', with no empty
 * component. No dots: libical opens the name as a path under the zoneinfo
 * folder, so "../" must never get through. */
static int name_ok(const char *s) {
  if (!s || !s[0] || s[0] == '/') return 0;
  for (size_t n = 0; s[n]; n++) {
    char c = s[n];
    int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
             c == '_' || c == '-' || c == '+';
    if (!ok || n >= FC_TZ_NAME_MAX) return 0;
    if (c == '/' && (s[n + 1] == '/' || s[n + 1] == 0)) return 0;
  }
  return 1;
}

/* Broken-down UTC (or local, when fed local seconds) time. */
typedef struct civil {
  int y, m, d, hh, mm, ss, wday; /* wday 0 = Monday */
} civil;

/* Seconds beyond this are refused before any arithmetic (year ~ 33,000). */
#define SECONDS_MAX ((int64_t)1000000000000)

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

static int64_t days_from_civil(int y, int m, int d) {
  int64_t yy = (int64_t)y - (m <= 2);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t dn, int *y, int *m, int *d) {
  int64_t z = dn + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* t must be within +-SECONDS_MAX. */
static civil civil_from_seconds(int64_t t) {
  civil c;
  int64_t dn = floor_div(t, 86400), sod = t - dn * 86400;
  civil_from_days(dn, &c.y, &c.m, &c.d);
  c.hh = (int)(sod / 3600);
  c.mm = (int)(sod / 60 % 60);
  c.ss = (int)(sod % 60);
  c.wday = (int)((dn % 7 + 10) % 7); /* 1970-01-01 was a Thursday */
  return c;
}

static int current_year(void) {
  int64_t now = (int64_t)time(NULL);
  if (now < -SECONDS_MAX || now > SECONDS_MAX) return 2000;
  return civil_from_seconds(now).y;
}

/* Offset (seconds, local - UTC) in force at UTC second t, asked of libical. */
static int libical_offset(icaltimezone *z, int64_t t) {
  civil c = civil_from_seconds(t);
  struct icaltimetype it = icaltime_null_time();
  it.year = c.y;
  it.month = c.m;
  it.day = c.d;
  it.hour = c.hh;
  it.minute = c.mm;
  it.second = c.ss;
  return icaltimezone_get_utc_offset_of_utc_time(z, &it, NULL);
}

/* Fills p's offset table from 1970 through last_year + 1, asking libical
 * once a day and bisecting each day whose offset changed to the second.
 * Exact as long as offsets change at most once within a day, which the
 * conversions assume anyway. Returns 0, or -1 out of memory. */
static int build_table(prepared *p) {
  int64_t end = days_from_civil(p->last_year + 2, 1, 1) * 86400;
  int cap = 16, prev = libical_offset(p->z, 0);
  p->off_before = prev;
  p->at = malloc(sizeof *p->at * (size_t)cap);
  p->off = malloc(sizeof *p->off * (size_t)cap);
  if (!p->at || !p->off) return -1;
  for (int64_t t = 86400; t < end; t += 86400) {
    int o = libical_offset(p->z, t);
    if (o == prev) continue;
    int64_t lo = t - 86400, hi = t; /* offset prev at lo, o at hi */
    while (hi - lo > 1) {
      int64_t mid = lo + (hi - lo) / 2;
      if (libical_offset(p->z, mid) == prev)
        lo = mid;
      else
        hi = mid;
    }
    if (p->n == cap) {
      cap *= 2;
      int64_t *at = realloc(p->at, sizeof *at * (size_t)cap);
      if (at) p->at = at;
      int *off = realloc(p->off, sizeof *off * (size_t)cap);
      if (off) p->off = off;
      if (!at || !off) return -1;
    }
    p->at[p->n] = hi;
    p->off[p->n++] = o;
    prev = o;
  }
  p->until = end;
  return 0;
}

/* Builds an expanded private copy of zone name through last_year. Called
 * with the lock held: libical's builtin list and its lazy loading are only
 * ever touched here. NULL if the zone is unknown or memory runs out. */
static prepared *build(const char *name, int last_year, prepared *older) {
  prepared *p = NULL;
  icaltimezone *z = NULL;
  icalcomponent *comp = NULL, *clone = NULL;
  struct icaltimetype t = icaltime_null_time();
  icaltimezone *b = icaltimezone_get_builtin_timezone(name);
  if (!b) goto fail;
  p = calloc(1, sizeof *p);
  if (!p) goto fail;
  p->older = older;
  p->last_year = last_year;
  if (b == icaltimezone_get_utc_timezone()) return p; /* "UTC", "GMT": z stays NULL */

  comp = icaltimezone_get_component(b);
  if (!comp) goto fail;
  clone = icalcomponent_new_clone(comp);
  z = icaltimezone_new();
  if (!clone || !z) goto fail;
  if (!icaltimezone_set_component(z, clone)) goto fail; /* z owns clone from here */
  clone = NULL;

  /* Asking for an offset in last_year expands the change table through
   * last_year + 5; later reads of years <= last_year + 5 never expand. */
  t.year = last_year;
  t.month = 12;
  t.day = 31;
  (void)icaltimezone_get_utc_offset_of_utc_time(z, &t, NULL);
  p->z = z;
  z = NULL;
  if (build_table(p) != 0) goto fail;
  return p;

fail:
  if (clone) icalcomponent_free(clone);
  if (z) icaltimezone_free(z, 1);
  if (p) {
    if (p->z) icaltimezone_free(p->z, 1);
    free(p->at);
    free(p->off);
  }
  free(p);
  return NULL;
}

static entry *find(const char *name, int n) {
  for (int i = 0; i < n; i++)
    if (strcmp(entries[i].name, name) == 0) return &entries[i];
  return NULL;
}

/* The prepared copy of zone name covering need_year, building or widening it
 * under the lock when needed. NULL if unknown. */
static const prepared *zone_get(const char *name, int need_year) {
  if (!name) return NULL;
  int n = atomic_load_explicit(&nentries, memory_order_acquire);
  entry *e = find(name, n);
  if (e) {
    const prepared *p = atomic_load_explicit(&e->cur, memory_order_acquire);
    if (p->last_year >= need_year) return p;
  }
  if (!name_ok(name) || need_year > FC_TZ_MAX_YEAR) return NULL;

  prepared *p = NULL;
  pthread_mutex_lock(&lock);
  n = atomic_load_explicit(&nentries, memory_order_relaxed);
  e = find(name, n);
  if (e) {
    prepared *cur = atomic_load_explicit(&e->cur, memory_order_relaxed);
    if (cur->last_year >= need_year) {
      p = cur;
    } else {
      /* Widen generously so that an advancing horizon rarely rebuilds. */
      p = build(name, need_year + 10 > FC_TZ_MAX_YEAR ? FC_TZ_MAX_YEAR : need_year + 10, cur);
      if (p) atomic_store_explicit(&e->cur, p, memory_order_release);
    }
  } else if (n < FC_TZ_MAX_ZONES) {
    int last = current_year() + 2;
    if (last < need_year) last = need_year;
    if (last > FC_TZ_MAX_YEAR) last = FC_TZ_MAX_YEAR;
    p = build(name, last, NULL);
    if (p) {
      e = &entries[n];
      memcpy(e->name, name, strlen(name) + 1); /* name_ok: at most FC_TZ_NAME_MAX characters */
      atomic_store_explicit(&e->cur, p, memory_order_relaxed);
      atomic_store_explicit(&nentries, n + 1, memory_order_release);
    }
  }
  pthread_mutex_unlock(&lock);
  return p;
}

/* Offset (seconds, local - UTC) in force at UTC second t (within the
 * prepared years). */
static int offset_at(const prepared *p, int64_t t) {
  if (!p->z) return 0;
  /* Callers ask within the prepared years; past them, libical would expand
   * the shared zone again (not thread-safe), so the last offset stands. */
  if (t >= p->until) return p->n ? p->off[p->n - 1] : p->off_before;
  int lo = 0, hi = p->n; /* the first change after t */
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (p->at[mid] <= t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo ? p->off[lo - 1] : p->off_before;
}

int fc_tz_date_valid(int y, int m, int d) {
  if (y < FC_TZ_MIN_YEAR || y > FC_TZ_MAX_YEAR || m < 1 || m > 12 || d < 1) return 0;
  return d <= icaltime_days_in_month(m, y);
}

int64_t fc_tz_day_number(int y, int m, int d) { return days_from_civil(y, m, d); }

void fc_tz_day_date(int64_t dn, int *y, int *m, int *d, int *wday) {
  civil_from_days(dn, y, m, d);
  if (wday) *wday = (int)((dn % 7 + 10) % 7);
}

int fc_tz_prepare(const char *zone, int from_year, int to_year) {
  if (from_year < FC_TZ_MIN_YEAR || to_year > FC_TZ_MAX_YEAR || from_year > to_year) return -1;
  /* Expansion always starts at the zone's first rule, so from_year only
   * needs checking; to_year + 1 covers the day-after probe on 31 December. */
  int need = to_year + 1 > FC_TZ_MAX_YEAR ? FC_TZ_MAX_YEAR : to_year + 1;
  return zone_get(zone, need) ? 0 : -1;
}

int fc_tz_local_to_utc(const char *zone, int y, int m, int d, int minute, int64_t *ms) {
  if (!ms || !fc_tz_date_valid(y, m, d) || minute < 0 || minute > 1439) return -1;
  const prepared *p = zone_get(zone, y + 1 > FC_TZ_MAX_YEAR ? FC_TZ_MAX_YEAR : y + 1);
  if (!p) return -1;
  int64_t local = fc_tz_day_number(y, m, d) * 86400 + (int64_t)minute * 60;
  int before = offset_at(p, local - 86400), after = offset_at(p, local + 86400);
  if (before == after) { /* no change within a day: the usual case */
    *ms = (local - before) * 1000;
    return 0;
  }
  int64_t t1 = local - before, t2 = local - after;
  int ok1 = offset_at(p, t1) == before, ok2 = offset_at(p, t2) == after;
  int64_t t;
  if (ok1 && ok2) {
    t = t1 < t2 ? t1 : t2;
  } else if (ok2) {
    t = t2;
  } else if (ok1 || before > after) {
    t = t1; /* neither right and the clock went back: several changes within two days, not in real data */
  } else {
    /* Gap: t2 is before the transition (still `before`), t1 after it. Find
     * the first second on the new offset. */
    int64_t lo = t2, hi = t1;
    while (hi - lo > 1) {
      int64_t mid = lo + (hi - lo) / 2;
      if (offset_at(p, mid) == before)
        lo = mid;
      else
        hi = mid;
    }
    t = hi;
  }
  *ms = t * 1000;
  return 0;
}

/* Year of UTC second t, or 0 if out of range. */
static int year_of(int64_t t) {
  if (t < -SECONDS_MAX || t > SECONDS_MAX) return 0;
  return civil_from_seconds(t).y;
}

/* The offset in force at UTC second t in zone, or -1 (unknown zone, year out
 * of range). */
static int lookup_offset(const char *zone, int64_t t, int *off) {
  int y = year_of(t);
  if (y < FC_TZ_MIN_YEAR - 1 || y > FC_TZ_MAX_YEAR) return -1;
  const prepared *p = zone_get(zone, y + 1 > FC_TZ_MAX_YEAR ? FC_TZ_MAX_YEAR : y + 1);
  if (!p) return -1;
  *off = offset_at(p, t);
  return 0;
}

int fc_tz_utc_to_local(const char *zone, int64_t ms, fc_local_time *out) {
  int off = 0;
  int64_t t = floor_div(ms, 1000);
  if (!out || lookup_offset(zone, t, &off) != 0) return -1;
  civil c = civil_from_seconds(t + off);
  out->y = c.y;
  out->m = c.m;
  out->d = c.d;
  out->hour = c.hh;
  out->minute = c.mm;
  out->second = c.ss;
  out->wday = c.wday;
  out->offset_min = off / 60;
  return 0;
}

/* Writes v (0 <= v < 10^width) as width decimal digits. */
static void put_digits(char **p, int v, int width) {
  for (int i = width - 1; i >= 0; i--, v /= 10) (*p)[i] = (char)('0' + v % 10);
  *p += width;
}

int fc_tz_format(const char *zone, int64_t ms, char *buf, size_t cap) { return fc_tz_format_memo(zone, ms, NULL, buf, cap); }

int fc_tz_format_memo(const char *zone, int64_t ms, fc_tz_memo *memo, char *buf, size_t cap) {
  fc_tz_memo none = {0};
  if (!memo) memo = &none;
  int off = 0;
  int64_t t = floor_div(ms, 1000);
  if (!buf || cap < 26) return -1;
  if (memo->valid && t >= memo->lo && t <= memo->hi) {
    off = memo->off;
  } else {
    if (lookup_offset(zone, t, &off) != 0) return -1;
    /* The same offset half a day later means none in between: offsets
     * change at most once within two days (as fc_tz_local_to_utc assumes). */
    int later = 0;
    memo->valid = lookup_offset(zone, t + 43200, &later) == 0 && later == off;
    memo->lo = t, memo->hi = t + 43200, memo->off = off;
  }
  /* RFC 3339 offsets are whole minutes; historical offsets with seconds
   * (local mean time) are truncated and the wall time follows, so the string
   * still names the same instant. */
  int off_min = off / 60;
  int64_t local = t + (int64_t)off_min * 60, dn = floor_div(local, 86400);
  int sod = (int)(local - dn * 86400);
  /* The date ("2027-03-28T") and the offset ("+02:00") change rarely in a
   * list of slots: written once per day and offset, then copied. */
  if (!memo->day_valid || memo->day != dn || memo->day_off != off_min) {
    civil c;
    civil_from_days(dn, &c.y, &c.m, &c.d);
    int a = off_min < 0 ? -off_min : off_min;
    if (c.y < 0 || c.y > 9999 || a / 60 > 99) return -1;
    char *p = memo->date;
    put_digits(&p, c.y, 4), *p++ = '-', put_digits(&p, c.m, 2), *p++ = '-', put_digits(&p, c.d, 2), *p++ = 'T';
    p = memo->zone;
    *p++ = off_min < 0 ? '-' : '+', put_digits(&p, a / 60, 2), *p++ = ':', put_digits(&p, a % 60, 2);
    memo->day = dn, memo->day_off = off_min, memo->day_valid = 1;
  }
  static const char two[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                            "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                            "8081828384858687888990919293949596979899";
  int hh = sod / 3600, mm = sod / 60 % 60, ss = sod % 60;
  memcpy(buf, memo->date, 11);
  memcpy(buf + 11, two + 2 * hh, 2), buf[13] = ':';
  memcpy(buf + 14, two + 2 * mm, 2), buf[16] = ':';
  memcpy(buf + 17, two + 2 * ss, 2);
  memcpy(buf + 19, memo->zone, 6);
  buf[25] = 0;
  return 0;
}
