/* Free slots from opening hours, closures, resources and their skills, busy
 * time, lead time, horizon and the reserved share (rules in availability.h).
 *
 * Design: the busy entries assigned to a resource are copied once per call
 * and sorted by (resource, start), with a running maximum of their ends per
 * resource. Candidate slots are generated in chronological order (days
 * ascending, intervals ascending and disjoint, local -> UTC is monotonic), so
 * each resource keeps a cursor that only moves forward: "does [s, e) overlap
 * busy time on r?" is "of r's entries starting before e, does the latest end
 * exceed s?", answered in amortised O(1). Each local day costs two zone
 * conversions per opening interval and one pass over the busy entries for the
 * day's booked minutes. */
#include "booking/availability.h"

#include <stdlib.h>
#include <string.h>

#include "core/tz.h"

enum { MINUTE_MS = 60000 };

typedef struct bref {
  int64_t start, end;
  int64_t max_end; /* largest end of this resource's entries up to this one */
} bref;

/* A resource's run in the sorted entries and its forward-only cursor. */
typedef struct cursor {
  int beg, end, k;
} cursor;

/* One local day as instants. */
typedef struct day_plan {
  int n;
  int64_t open[FC_AV_MAX_INTERVALS], close[FC_AV_MAX_INTERVALS];
  int capacity_ok; /* booked + duration within the day's limit */
} day_plan;

/* 1 if s is "YYYY-MM-DD", a valid date. */
static int closure_ok(const char *s) {
  int v[3] = {0, 0, 0};
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++) {
    if (i == 4 || i == 7) continue;
    if (s[i] < '0' || s[i] > '9') return 0;
    v[i < 4 ? 0 : i < 7 ? 1 : 2] = v[i < 4 ? 0 : i < 7 ? 1 : 2] * 10 + (s[i] - '0');
  }
  return fc_tz_date_valid(v[0], v[1], v[2]);
}

static int workshop_ok(const fc_av_workshop *w) {
  if (!w || !w->timezone) return 0;
  for (int wd = 0; wd < 7; wd++) {
    if (w->nhours[wd] < 0 || w->nhours[wd] > FC_AV_MAX_INTERVALS) return 0;
    for (int i = 0; i < w->nhours[wd]; i++) {
      const fc_av_interval *iv = &w->hours[wd][i];
      if (iv->start_min < 0 || iv->end_min > 1440 || iv->start_min >= iv->end_min) return 0;
      if (i > 0 && iv->start_min < w->hours[wd][i - 1].end_min) return 0;
    }
  }
  if (w->nclosures < 0 || (w->nclosures > 0 && !w->closures)) return 0;
  for (int i = 0; i < w->nclosures; i++)
    if (!closure_ok(w->closures[i])) return 0;
  if (w->nresources < 0 || w->nresources > FC_AV_MAX_RESOURCES || (w->nresources > 0 && !w->resources))
    return 0;
  for (int r = 0; r < w->nresources; r++)
    if (w->resources[r].skills >> FC_AV_MAX_SKILLS) return 0;
  if (w->slot_step_min < 1 || w->slot_step_min > 1440) return 0;
  if (w->lead_time_min < 0 || w->lead_time_min > FC_AV_MAX_DAYS * 1440) return 0;
  if (w->horizon_days < 0 || w->horizon_days > 100 * FC_AV_MAX_DAYS) return 0;
  if (!(w->reserved_share >= 0.0 && w->reserved_share <= 0.9)) return 0; /* NaN fails too */
  return 1;
}

static int busy_ok(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy) {
  if (nbusy < 0 || nbusy > FC_AV_MAX_BUSY || (nbusy > 0 && !busy)) return 0;
  for (int i = 0; i < nbusy; i++)
    if (busy[i].end_ms < busy[i].start_ms || busy[i].resource < -1 || busy[i].resource >= w->nresources)
      return 0;
  return 1;
}

static int request_ok(const fc_av_request *req) {
  return req && req->duration_min >= 1 && req->duration_min <= 1440 && !(req->skills >> FC_AV_MAX_SKILLS);
}

static int closed_on(const fc_av_workshop *w, int y, int m, int d) {
  char date[11] = {(char)('0' + y / 1000 % 10),
                   (char)('0' + y / 100 % 10),
                   (char)('0' + y / 10 % 10),
                   (char)('0' + y % 10),
                   '-',
                   (char)('0' + m / 10),
                   (char)('0' + m % 10),
                   '-',
                   (char)('0' + d / 10),
                   (char)('0' + d % 10),
                   0};
  for (int i = 0; i < w->nclosures; i++)
    if (strcmp(w->closures[i], date) == 0) return 1;
  return 0;
}

/* The instants of day dn's opening intervals and whether the day's capacity
 * still admits the request. 0, or -1 if the zone cannot convert. */
static int plan_day(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy, const fc_av_request *req,
                    int64_t dn, day_plan *p) {
  int y, m, d, wd, ny, nm, nd;
  p->n = 0;
  p->capacity_ok = 0;
  fc_tz_day_date(dn, &y, &m, &d, &wd);
  if (w->nhours[wd] == 0 || closed_on(w, y, m, d)) return 0;
  fc_tz_day_date(dn + 1, &ny, &nm, &nd, NULL);
  if (!fc_tz_date_valid(y, m, d) || !fc_tz_date_valid(ny, nm, nd)) return -1;

  int64_t open_ms = 0;
  for (int i = 0; i < w->nhours[wd]; i++) {
    const fc_av_interval *iv = &w->hours[wd][i];
    int64_t a, b;
    if (fc_tz_local_to_utc(w->timezone, y, m, d, iv->start_min, &a) != 0) return -1;
    if (iv->end_min == 1440 ? fc_tz_local_to_utc(w->timezone, ny, nm, nd, 0, &b)
                            : fc_tz_local_to_utc(w->timezone, y, m, d, iv->end_min, &b))
      return -1;
    if (b <= a) continue; /* swallowed by a clock change */
    p->open[p->n] = a;
    p->close[p->n] = b;
    p->n++;
    open_ms += b - a;
  }

  int64_t booked_ms = 0;
  for (int j = 0; j < nbusy; j++)
    for (int i = 0; i < p->n; i++) {
      int64_t s = busy[j].start_ms > p->open[i] ? busy[j].start_ms : p->open[i];
      int64_t e = busy[j].end_ms < p->close[i] ? busy[j].end_ms : p->close[i];
      if (e > s) booked_ms += e - s;
    }
  int64_t capacity_min = open_ms / MINUTE_MS * w->nresources;
  int64_t limit_min = capacity_min;
  if (req->online) limit_min = (int64_t)((1.0 - w->reserved_share) * (double)capacity_min + 1e-9);
  p->capacity_ok = booked_ms + (int64_t)req->duration_min * MINUTE_MS <= limit_min * MINUTE_MS;
  return 0;
}

static int suits(const fc_av_workshop *w, int r, unsigned skills) {
  return (w->resources[r].skills & skills) == skills;
}

/* Day number of the local date of the instant ms, or -1 on failure. */
static int local_day(const char *zone, int64_t ms, int64_t *dn) {
  fc_local_time lt;
  if (fc_tz_utc_to_local(zone, ms, &lt) != 0) return -1;
  *dn = fc_tz_day_number(lt.y, lt.m, lt.d);
  return 0;
}

/* Earliest start and last local day a request may use. */
static int timing(const fc_av_workshop *w, const fc_av_request *req, int64_t *earliest, int64_t *last_dn) {
  int64_t today;
  if (local_day(w->timezone, req->now_ms, &today) != 0) return -1;
  if (req->staff) {
    *earliest = req->now_ms;
    *last_dn = INT64_MAX;
  } else {
    *earliest = req->now_ms + (int64_t)w->lead_time_min * MINUTE_MS;
    *last_dn = today + w->horizon_days;
  }
  return 0;
}

static int cmp_start(const void *a, const void *b) {
  const bref *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Fills sorted with busy's entries that are assigned and non-empty, grouped
 * by resource (a counting sort, keeping input order) and by start within a
 * resource (insertion sort for short runs, linear when busy comes ordered by
 * start as a store query gives it; qsort for long unordered runs). Sets the cursors
 * and each entry's running max_end. */
static void index_busy(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy, bref *sorted,
                       cursor cur[FC_AV_MAX_RESOURCES]) {
  int count[FC_AV_MAX_RESOURCES + 1] = {0};
  for (int i = 0; i < nbusy; i++)
    if (busy[i].resource >= 0 && busy[i].end_ms > busy[i].start_ms) count[busy[i].resource + 1]++;
  for (int r = 0; r < w->nresources; r++)
    count[r + 1] += count[r];
  for (int r = 0; r < w->nresources; r++)
    cur[r].beg = cur[r].k = cur[r].end = count[r];
  for (int i = 0; i < nbusy; i++)
    if (busy[i].resource >= 0 && busy[i].end_ms > busy[i].start_ms)
      sorted[cur[busy[i].resource].end++] = (bref){busy[i].start_ms, busy[i].end_ms, 0};
  for (int r = 0; r < w->nresources; r++) {
    bref *run = sorted + cur[r].beg;
    int len = cur[r].end - cur[r].beg, ordered = 1;
    for (int i = 1; i < len && ordered; i++)
      ordered = run[i - 1].start <= run[i].start;
    if (!ordered && len > 32) {
      qsort(run, (size_t)len, sizeof *run, cmp_start);
    } else if (!ordered) {
      for (int i = 1; i < len; i++) {
        bref x = run[i];
        int j = i;
        for (; j > 0 && run[j - 1].start > x.start; j--)
          run[j] = run[j - 1];
        run[j] = x;
      }
    }
    int64_t m = INT64_MIN;
    for (int i = cur[r].beg; i < cur[r].end; i++) {
      if (sorted[i].end > m) m = sorted[i].end;
      sorted[i].max_end = m;
    }
  }
}

/* 1 if [s, e) overlaps none of resource c's entries. e must not decrease
 * between calls on the same cursor. */
static int cursor_free(const bref *sorted, cursor *c, int64_t s, int64_t e) {
  while (c->k < c->end && sorted[c->k].start < e)
    c->k++;
  return c->k == c->beg || sorted[c->k - 1].max_end <= s;
}

int fc_av_compute(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy, const fc_av_request *req,
                  fc_av_slot *out, int max) {
  bref local[FC_AV_STACK_BUSY];
  bref *sorted = local;
  cursor cur[FC_AV_MAX_RESOURCES];
  int suitable[FC_AV_MAX_RESOURCES];
  int nsuitable = 0, count = -1;

  if (!workshop_ok(w) || !busy_ok(w, busy, nbusy) || !request_ok(req)) goto out;
  if (max < 0 || (max > 0 && !out)) goto out;
  if (!fc_tz_date_valid(req->from_y, req->from_m, req->from_d) || req->days < 1 || req->days > FC_AV_MAX_DAYS)
    goto out;
  int64_t earliest, last_dn;
  if (timing(w, req, &earliest, &last_dn) != 0) goto out;

  if (nbusy > FC_AV_STACK_BUSY) {
    sorted = malloc((size_t)nbusy * sizeof *sorted);
    if (!sorted) goto out;
  }
  index_busy(w, busy, nbusy, sorted, cur);
  for (int r = 0; r < w->nresources; r++)
    if (suits(w, r, req->skills)) suitable[nsuitable++] = r;

  count = 0;
  if (nsuitable == 0) goto out;
  int64_t step = (int64_t)w->slot_step_min * MINUTE_MS, dur = (int64_t)req->duration_min * MINUTE_MS;
  int64_t from_dn = fc_tz_day_number(req->from_y, req->from_m, req->from_d), last_e = INT64_MIN;
  for (int64_t dn = from_dn; dn < from_dn + req->days && dn <= last_dn && count < max; dn++) {
    day_plan p;
    if (plan_day(w, busy, nbusy, req, dn, &p) != 0) {
      count = -1;
      goto out;
    }
    if (!p.capacity_ok) continue;
    for (int i = 0; i < p.n && count < max; i++) {
      int64_t s = p.open[i];
      if (s < earliest) s += (earliest - s + step - 1) / step * step;
      for (; s + dur <= p.close[i] && count < max; s += step) {
        if (s + dur < last_e) /* never in practice: local -> UTC is monotonic */
          for (int r = 0; r < w->nresources; r++)
            cur[r].k = cur[r].beg;
        last_e = s + dur;
        for (int j = 0; j < nsuitable; j++) {
          if (!cursor_free(sorted, &cur[suitable[j]], s, s + dur)) continue;
          out[count++] = (fc_av_slot){s, s + dur, suitable[j]};
          break;
        }
      }
    }
  }

out:
  if (sorted != local) free(sorted);
  return count;
}

/* 1 if [s, e) on resource r overlaps no busy entry. */
static int resource_free(const fc_av_busy *busy, int nbusy, int r, int64_t s, int64_t e) {
  for (int i = 0; i < nbusy; i++)
    if (busy[i].resource == r && busy[i].start_ms < e && busy[i].end_ms > s &&
        busy[i].end_ms > busy[i].start_ms)
      return 0;
  return 1;
}

int fc_av_fits(const fc_av_workshop *w, const fc_av_busy *busy, int nbusy, const fc_av_request *req,
               int64_t start_ms, int *resource_out) {
  if (resource_out) *resource_out = -1;
  if (!workshop_ok(w) || !busy_ok(w, busy, nbusy) || !request_ok(req)) return -1;
  int64_t earliest, last_dn, dn;
  if (timing(w, req, &earliest, &last_dn) != 0 || local_day(w->timezone, start_ms, &dn) != 0) return -1;
  if (start_ms < earliest) return 0;
  int64_t step = (int64_t)w->slot_step_min * MINUTE_MS, dur = (int64_t)req->duration_min * MINUTE_MS;

  /* The day whose intervals hold the start: its local date, or the day before
   * when a clock change at midnight puts an interval's end past the date. */
  for (int64_t day = dn - 1; day <= dn && day <= last_dn; day++) {
    day_plan p;
    if (plan_day(w, busy, nbusy, req, day, &p) != 0) return -1;
    if (!p.capacity_ok) continue;
    for (int i = 0; i < p.n; i++) {
      if (start_ms < p.open[i] || start_ms + dur > p.close[i]) continue;
      if (!req->staff && (start_ms - p.open[i]) % step != 0) continue;
      for (int r = 0; r < w->nresources; r++) {
        if (!suits(w, r, req->skills) || !resource_free(busy, nbusy, r, start_ms, start_ms + dur)) continue;
        if (resource_out) *resource_out = r;
        return 1;
      }
      return 0;
    }
  }
  return 0;
}
