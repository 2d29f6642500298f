/* forecourt seed: a synthetic dealer network at benchmark scale.
 *
 * Design. The data set is a pure function of --seed and the anchor day
 * (--today, default: today in UTC): every entity draws from its own
 * counter-based random stream (seed/internal.h), so it can be recomputed
 * wherever it is needed (an appointment names its customer's vehicle
 * without a lookup) and the rows come out the same on every run.
 *
 * Rows are written roughly as a live network would have written them:
 * customers in the order they were created, interleaved across dealers
 * (so one dealer's rows are spread over the table, as in production), each
 * followed by its vehicles, ownerships, consents and timeline; then the
 * workshop diaries day by day across the network; then leads. The search
 * document is built exactly as fc_customers_reindex builds it (core/fold.h,
 * core/phone.h), so search finds generated people as it finds real ones.
 *
 * Counts are exact: how many vehicles each customer owns, how many
 * appointments each dealer's day holds, and how many extra timeline events
 * each customer gets are drawn first and then nudged until the totals are
 * the scale's; the structural events (created, linked, consent, booking,
 * status, reading, lead) are counted before the filler is sized.
 *
 * Loading goes through the store's portable interface only (sink.c): one
 * prepared INSERT per table, big transactions. Secondary indexes (and
 * SQLite's FTS5 index with the triggers that feed it) are set aside and
 * rebuilt from their own stored definitions after the load, which sorts
 * once instead of inserting millions of keys at random places. For the load
 * itself SQLite runs with the rollback journal in memory, synchronous=OFF, a
 * large page cache and foreign keys unchecked (the generator keeps them),
 * then goes back to WAL; PostgreSQL runs with asynchronous commit and, for a
 * superuser, without firing the foreign-key triggers, then VACUUM (ANALYZE).
 * The only values outside the data's determinism are the password salts.
 * Figures and commands: docs/benchmarks.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "auth/crypto.h"
#include "core/fold.h"
#include "core/log.h"
#include "core/phone.h"
#include "core/tz.h"
#include "core/validate.h"
#include "seed/internal.h"
#include "seed/seed.h"
#include "vehicles/vin.h"

#define SEED_PASSWORD "forecourt-bench"
enum { DAY_MS = 86400000, HOUR_MS = 3600000, MINUTE_MS = 60000 };
enum { HISTORY_DAYS = 2922, DIARY_PAST_DAYS = 1096, DIARY_FUTURE_DAYS = 60, MAX_BAYS = 10, MAX_VEH = 6 };
enum { USERS_PER_DEALER = 8, MAX_INDEXES = 64, MAX_ATTEMPTS = 400 };

/* Random streams: one per kind of entity. */
enum {
  S_DEALER = 1,
  S_CREATED,
  S_CUST,
  S_CUSTID,
  S_FLAGS,
  S_NVEH,
  S_VEH,
  S_PREV,
  S_EVENTS,
  S_DAY,
  S_APPT,
  S_LEAD,
  S_ADJUST,
  S_USER,
  S_FILLER
};

typedef struct scale {
  const char *name;
  int dealers;
  int64_t customers, vehicles, events, appointments, leads;
} scale;

static const scale scales[] = {
    {"network", 170, 2000000, 2500000, 10000000, 1000000, 500000},
    {"medium", 170, 200000, 250000, 1000000, 100000, 50000},
    {"small", 17, 20000, 25000, 100000, 10000, 5000},
};

static const char *const brand_names[3] = {"Aurora", "Borealis", "Cirrus"};
static const char *const brand_models[3][3] = {
    {"Nova", "Stella", "Orbit"}, {"Fjord", "Tundra", "Aurora"}, {"Stratus", "Nimbus", "Cumulus"}};
static const struct {
  const char *role, *local;
} roles[USERS_PER_DEALER] = {{"dealer_admin", "admin"},
                             {"sales", "sales1"},
                             {"sales", "sales2"},
                             {"sales", "sales3"},
                             {"service_advisor", "service1"},
                             {"service_advisor", "service2"},
                             {"technician", "tech1"},
                             {"technician", "tech2"}};

typedef struct dealer {
  char id[FC_SEED_ID_LEN + 1], slug[80], name[160];
  const fc_seed_city *city;
  int nameset;
  double weight, rate; /* share of the network; appointments per full open day */
  int bays;
  int brands[3], nbrands;
  int64_t created;
  char users[USERS_PER_DEALER][FC_SEED_ID_LEN + 1];
  int64_t first, count; /* its customers: by_dealer[first .. first+count) */
  int64_t written;      /* its customers written so far (SQLite row ids: migration 0008) */
} dealer;

typedef struct gen {
  uint64_t seed;
  const scale *sc;
  int64_t today_dn, now, history_start;
  fc_db *db;
  fc_dialect dialect;
  int quiet, tty, rows_per_tx, cache_mb;
  char timings[200];
  /* secondary indexes dropped for the load, rebuilt after it */
  int nindexes;
  char *index_name[MAX_INDEXES], *index_sql[MAX_INDEXES];
  /* SQLite full-text tables rebuilt after the load, and the triggers set aside */
  int nfts, ntriggers;
  char *fts_name[MAX_INDEXES], *trigger_name[MAX_INDEXES], *trigger_sql[MAX_INDEXES];
  char today[16];
  char brand_ids[3][FC_SEED_ID_LEN + 1], admin_id[FC_SEED_ID_LEN + 1], hq_ids[3][FC_SEED_ID_LEN + 1];
  char pwhash[FC_PWHASH_MAX];
  dealer *d;
  int nd;
  /* customers, in order of creation (the global index g) */
  int64_t nc;
  int64_t *c_created;
  uint16_t *c_dealer;
  uint32_t *c_rank, *by_dealer, *c_vbase;
  uint8_t *c_nveh;
  uint16_t *c_filler;
  /* the diaries: appointments per dealer and day */
  int ndays;
  int64_t diary_first_dn;
  uint8_t *day_count;
  /* what the plan says will be written */
  int64_t n_prev, n_consents, n_status, n_readings, n_appts, n_leads_planned, n_filler;
  int leads_table;
  /* progress */
  int64_t total_rows;
  double t0, last_print;
  const char *phase;
  fc_seed_loader *loader;
  fc_seed_sink *k_vehicles, *k_customers, *k_dealer_vehicles, *k_ownerships, *k_consents, *k_events, *k_appts,
      *k_readings, *k_leads;
  int64_t phone_failures;
} gen;

/* --- small helpers */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *pick(fc_seed_rng *r, const fc_seed_list *l) {
  return l->items[fc_seed_below(r, (uint32_t)l->n)];
}

/* JSON string body (no quotes) of s into out. */
static void jesc(const char *s, char *out, size_t cap) {
  size_t o = 0;
  for (; s && *s && o + 7 < cap; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\')
      out[o++] = '\\', out[o++] = (char)ch;
    else if (ch < 0x20)
      o += (size_t)snprintf(out + o, cap - o, "\\u%04x", ch);
    else
      out[o++] = (char)ch;
  }
  out[o] = 0;
}

/* Appends s to a search document as doc_add in customers.c does. */
static void doc_add(char *doc, size_t cap, const char *s) {
  if (!s || !*s) return;
  size_t len = strlen(doc), n = strlen(s);
  if (len + n + 2 > cap) return;
  if (len) doc[len++] = ' ';
  memcpy(doc + len, s, n + 1);
}

static void doc_add_folded(char *doc, size_t cap, const char *s, int compact) {
  if (!s) return;
  char *f = compact ? fc_fold_compact(s) : fc_fold(s);
  doc_add(doc, cap, f);
  free(f);
}

static int64_t day_ms(int64_t dn) { return dn * (int64_t)DAY_MS; }

/* --- progress on stderr */

static void progress(gen *g, int force) {
  if (g->quiet || !g->loader) return;
  double t = now_s();
  if (!force && t - g->last_print < (g->tty ? 0.25 : 10.0)) return;
  g->last_print = t;
  int64_t done = fc_seed_loader_rows(g->loader);
  double el = t - g->t0, rate = el > 0 ? (double)done / el : 0;
  double frac = g->total_rows ? (double)done / (double)g->total_rows : 0;
  if (frac > 1) frac = 1;
  double eta = rate > 0 ? (double)(g->total_rows - done) / rate : 0;
  if (eta < 0) eta = 0;
  char bar[31];
  int fill = (int)(frac * 30);
  for (int i = 0; i < 30; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[30] = 0;
  fprintf(stderr, "%s%-13s [%s] %5.1f%%  %11lld rows  %8.0f rows/s  elapsed %dm%02ds  ETA %dm%02ds%s",
          g->tty ? "\r" : "", g->phase, bar, frac * 100, (long long)done, rate, (int)el / 60, (int)el % 60,
          (int)eta / 60, (int)eta % 60, g->tty ? "  " : "\n");
  fflush(stderr);
}

/* --- the organisation */

static int year_of(int64_t ms);

/* A dealer's name from a template: {L} a family name, {C} the city. */
static void fill(const char *tpl, const char *last, const char *city, char *out, size_t cap) {
  size_t o = 0;
  for (const char *p = tpl; *p && o + 1 < cap; p++) {
    const char *ins = !strncmp(p, "{L}", 3) ? last : !strncmp(p, "{C}", 3) ? city : NULL;
    if (ins) {
      o += (size_t)snprintf(out + o, cap - o, "%s", ins);
      if (o >= cap) o = cap - 1;
      p += 2;
    } else {
      out[o++] = *p;
    }
  }
  out[o] = 0;
}

static void make_dealers(gen *g) {
  int nd = g->sc->dealers;
  double sum = 0;
  for (int j = 0; j < nd; j++) {
    dealer *d = &g->d[j];
    fc_seed_rng r = fc_seed_rng_for(g->seed, S_DEALER, (uint64_t)j);
    /* The network's first cities in order; a second dealer in the biggest ones. */
    d->city = &fc_seed_cities[j % fc_seed_n_cities];
    if (nd < fc_seed_n_cities) /* a small network still spans the countries, Québec last */
      d->city = &fc_seed_cities[j == nd - 1 ? fc_seed_n_cities - 4 : (j * (fc_seed_n_cities - 4)) / (nd - 1)];
    d->nameset = fc_seed_nameset_for(d->city->cc, d->city->locale);
    const fc_seed_nameset *ns = &fc_seed_namesets[d->nameset];
    const char *last = pick(&r, &ns->last);
    const char *lang = ns->lang;
    static const char *const fr_fmt[] = {"Garage {L}", "{L} Automobiles", "Auto {C}", "Espace Auto {C}"};
    static const char *const nl_fmt[] = {"Autobedrijf {L}", "Garage {C}", "{L} Auto's", "Autocentrum {C}"};
    static const char *const de_fmt[] = {"Autohaus {L}", "Autohaus {C}", "{L} Automobile", "Autozentrum {C}"};
    static const char *const it_fmt[] = {"Autofficina {L}", "{L} Auto", "Concessionaria {C}",
                                         "Autocentro {C}"};
    static const char *const es_fmt[] = {"Talleres {L}", "Automóviles {C}", "{L} Motor", "Autocentro {C}"};
    static const char *const pl_fmt[] = {"Auto {L}", "{C} Motors", "Salon {L}", "Autocentrum {C}"};
    static const char *const nord_fmt[] = {"{L} Bil", "{C} Bilcenter", "Bilhuset {C}", "{L} Motor"};
    static const char *const fi_fmt[] = {"Autotalo {L}", "{C} Autokeskus", "{L} Auto", "Autoliike {L}"};
    const char *const *fmts = fr_fmt;
    if (!strcmp(lang, "nl"))
      fmts = nl_fmt;
    else if (!strcmp(lang, "de"))
      fmts = de_fmt;
    else if (!strcmp(lang, "it"))
      fmts = it_fmt;
    else if (!strcmp(lang, "es"))
      fmts = es_fmt;
    else if (!strcmp(lang, "pl"))
      fmts = pl_fmt;
    else if (!strcmp(lang, "fi"))
      fmts = fi_fmt;
    else if (!strcmp(lang, "sv") || !strcmp(lang, "da") || !strcmp(lang, "nb"))
      fmts = nord_fmt;
    static const char *const ca_fmt[] = {"{C} Motors", "Automobiles {L}", "Garage {L}", "Centre Auto {C}"};
    if (!strcmp(d->city->cc, "CA")) fmts = ca_fmt;
    char base[120];
    fill(fmts[fc_seed_below(&r, 4)], last, d->city->name, base, sizeof base);
    if (strstr(base, d->city->name))
      snprintf(d->name, sizeof d->name, "%s", base);
    else
      snprintf(d->name, sizeof d->name, "%s %s", base, d->city->name);
    char slug[80];
    fc_seed_ascii(d->name, '-', slug, sizeof slug);
    snprintf(d->slug, sizeof d->slug, "%s", slug);
    for (int k = 2, clash = 1; clash; k++) {
      clash = 0;
      for (int i = 0; i < j && !clash; i++)
        clash = !strcmp(g->d[i].slug, d->slug);
      if (clash) snprintf(d->slug, sizeof d->slug, "%.60s-%d", slug, k);
    }
    /* Sizes vary roughly log-normally: a few big groups, many small sites. */
    double u1 = fc_seed_unit(&r) + 1e-12, u2 = fc_seed_unit(&r);
    double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
    d->weight = exp(0.55 * z);
    sum += d->weight;
    /* A third hold several brands. */
    if (j % 3 == 0) {
      d->nbrands = fc_seed_chance(&r, 0.7) ? 2 : 3;
      int skip = (int)fc_seed_below(&r, 3);
      for (int b = 0, k = 0; b < 3 && k < d->nbrands; b++)
        if (d->nbrands == 3 || b != skip) d->brands[k++] = b;
    } else {
      double u = fc_seed_unit(&r);
      d->nbrands = 1;
      d->brands[0] = u < 0.45 ? 0 : u < 0.8 ? 1 : 2;
    }
    d->created = g->history_start - (int64_t)fc_seed_below(&r, 400) * DAY_MS;
    fc_seed_id(d->created, &r, d->id);
    fc_tz_prepare(d->city->tz, year_of(d->created) - 1, year_of(g->now) + 2);
  }
  for (int j = 0; j < nd; j++)
    g->d[j].weight /= sum;
}

/* --- customers: who, when, how many cars, how busy */

typedef struct cslot {
  int64_t created;
  uint32_t dealer, idx;
} cslot;

static int cslot_cmp(const void *a, const void *b) {
  const cslot *x = a, *y = b;
  if (x->created != y->created) return x->created < y->created ? -1 : 1;
  if (x->dealer != y->dealer) return x->dealer < y->dealer ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Nudges counts[0..n) (each within [lo, hi]) until they add up to target. */
static void adjust_u8(gen *g, uint8_t *v, int64_t n, int64_t target, int lo, int hi, uint64_t stream_index) {
  int64_t sum = 0;
  for (int64_t i = 0; i < n; i++)
    sum += v[i];
  fc_seed_rng r = fc_seed_rng_for(g->seed, S_ADJUST, stream_index);
  for (int64_t tries = 0; sum != target && tries < 100 * (n + 1000); tries++) {
    int64_t i = (int64_t)(fc_seed_next(&r) % (uint64_t)n);
    if (sum < target && v[i] < hi)
      v[i]++, sum++;
    else if (sum > target && v[i] > lo)
      v[i]--, sum--;
  }
}

static fc_err plan_customers(gen *g) {
  int64_t C = g->sc->customers;
  g->nc = C;
  cslot *tmp = malloc(sizeof *tmp * (size_t)C);
  g->c_created = malloc(sizeof *g->c_created * (size_t)C);
  g->c_dealer = malloc(sizeof *g->c_dealer * (size_t)C);
  g->c_rank = malloc(sizeof *g->c_rank * (size_t)C);
  g->by_dealer = malloc(sizeof *g->by_dealer * (size_t)C);
  g->c_nveh = malloc((size_t)C);
  g->c_vbase = malloc(sizeof *g->c_vbase * (size_t)(C + 1));
  g->c_filler = calloc((size_t)C, sizeof *g->c_filler);
  if (!tmp || !g->c_created || !g->c_dealer || !g->c_rank || !g->by_dealer || !g->c_nveh || !g->c_vbase ||
      !g->c_filler) {
    free(tmp);
    return FC_ENOMEM;
  }
  /* Customers per dealer by weight (largest remainder: exact total). */
  int64_t given = 0;
  double *rem = malloc(sizeof *rem * (size_t)g->nd);
  if (!rem) {
    free(tmp);
    return FC_ENOMEM;
  }
  for (int j = 0; j < g->nd; j++) {
    double want = g->d[j].weight * (double)C;
    g->d[j].count = (int64_t)floor(want);
    rem[j] = want - floor(want);
    given += g->d[j].count;
  }
  while (given < C) {
    int best = 0;
    for (int j = 1; j < g->nd; j++)
      if (rem[j] > rem[best]) best = j;
    g->d[best].count++;
    rem[best] = -1;
    given++;
  }
  free(rem);
  /* When each was created: the network grows, so recent years hold more. */
  int64_t span = g->now - HOUR_MS - g->history_start, n = 0;
  for (int j = 0; j < g->nd; j++)
    for (int64_t i = 0; i < g->d[j].count; i++, n++) {
      fc_seed_rng r = fc_seed_rng_for(g->seed, S_CREATED, (uint64_t)n);
      tmp[n].created = g->history_start + (int64_t)((double)span * pow(fc_seed_unit(&r), 1 / 1.6));
      tmp[n].dealer = (uint32_t)j;
      tmp[n].idx = (uint32_t)n;
    }
  qsort(tmp, (size_t)C, sizeof *tmp, cslot_cmp);
  int64_t at = 0;
  for (int j = 0; j < g->nd; j++) {
    g->d[j].first = at;
    at += g->d[j].count;
    g->d[j].count = 0; /* refilled below, in order of creation */
  }
  for (int64_t c = 0; c < C; c++) {
    dealer *d = &g->d[tmp[c].dealer];
    g->c_created[c] = tmp[c].created;
    g->c_dealer[c] = (uint16_t)tmp[c].dealer;
    g->c_rank[c] = (uint32_t)d->count;
    g->by_dealer[d->first + d->count++] = (uint32_t)c;
  }
  free(tmp);
  /* Cars per customer: none, one, two, three or more; then the exact total. */
  for (int64_t c = 0; c < C; c++) {
    fc_seed_rng r = fc_seed_rng_for(g->seed, S_NVEH, (uint64_t)c);
    double u = fc_seed_unit(&r);
    g->c_nveh[c] = u < 0.18 ? 0 : u < 0.68 ? 1 : u < 0.92 ? 2 : 3;
  }
  adjust_u8(g, g->c_nveh, C, g->sc->vehicles, 0, MAX_VEH, 1);
  g->c_vbase[0] = 0;
  for (int64_t c = 0; c < C; c++)
    g->c_vbase[c + 1] = g->c_vbase[c] + g->c_nveh[c];
  return FC_OK;
}

/* What a customer has, drawn from its own stream (cheap: counted before loading). */
typedef struct cflags {
  int nameset; /* the people they come from: the dealer's, or another for one in eight */
  int company, foreign, has_email, has_phone, has_address;
  int ncons;
  const char *cons_channel[4];
  int cons_granted[4];
} cflags;

static void customer_flags(gen *g, int64_t c, cflags *f) {
  fc_seed_rng r = fc_seed_rng_for(g->seed, S_FLAGS, (uint64_t)c);
  memset(f, 0, sizeof *f);
  f->company = fc_seed_chance(&r, 0.05);
  f->foreign = fc_seed_chance(&r, 0.12);
  f->nameset = g->d[g->c_dealer[c]].nameset;
  if (f->foreign) {
    int other = (int)fc_seed_below(&r, (uint32_t)fc_seed_n_namesets);
    if (strcmp(fc_seed_namesets[other].cc, g->d[g->c_dealer[c]].city->cc) != 0)
      f->nameset = other;
    else
      f->foreign = 0;
  }
  f->has_email = fc_seed_chance(&r, f->company ? 0.97 : 0.86);
  f->has_phone = fc_seed_chance(&r, 0.92);
  f->has_address = fc_seed_chance(&r, 0.7);
  if (!f->has_email && !f->has_phone) f->has_phone = 1; /* the server's rule: one way to reach them */
  static const char *const chans[4] = {"email", "sms", "phone", "post"};
  const double p[4] = {f->has_email ? 0.55 : 0, f->has_phone ? 0.22 : 0, f->has_phone ? 0.07 : 0, 0.04};
  for (int i = 0; i < 4; i++)
    if (fc_seed_chance(&r, p[i])) {
      f->cons_channel[f->ncons] = chans[i];
      f->cons_granted[f->ncons++] = fc_seed_chance(&r, 0.93);
    }
}

/* A vehicle: k-th of customer c. */
typedef struct vehicle {
  int64_t v; /* global index */
  char id[FC_SEED_ID_LEN + 1], vin[18], plate[24], own_id[FC_SEED_ID_LEN + 1],
      prev_own_id[FC_SEED_ID_LEN + 1];
  char *plate_compact;
  const char *make, *model;
  int model_year;
  int64_t since, created, mileage_t0;
  int annual_km;
  int64_t prev_owner; /* -1 none */
  int64_t prev_since;
} vehicle;

static int prev_owned(gen *g, int64_t c, int64_t v) {
  fc_seed_rng r = fc_seed_rng_for(g->seed, S_PREV, (uint64_t)v);
  return g->c_rank[c] > 0 && fc_seed_chance(&r, 0.12);
}

static int64_t mileage_at(const vehicle *v, int64_t t) {
  int64_t age = t - v->mileage_t0;
  if (age < 0) age = 0;
  return 5 + (int64_t)((double)age / (365.25 * DAY_MS) * v->annual_km);
}

static int year_of(int64_t ms) {
  int y, m, d;
  fc_tz_day_date(ms / DAY_MS, &y, &m, &d, NULL);
  return y;
}

/* Fills v; plate_compact is malloc'd (the caller frees it). */
static void vehicle_make(gen *g, int64_t c, int k, vehicle *v) {
  memset(v, 0, sizeof *v);
  v->v = (int64_t)g->c_vbase[c] + k;
  fc_seed_rng r = fc_seed_rng_for(g->seed, S_VEH, (uint64_t)v->v);
  const dealer *d = &g->d[g->c_dealer[c]];
  int64_t created = g->c_created[c];
  v->since = k == 0 ? created + MINUTE_MS + (int64_t)fc_seed_below(&r, 30 * MINUTE_MS)
                    : created + (int64_t)(fc_seed_unit(&r) * (double)(g->now - HOUR_MS - created));
  if (v->since >= g->now) v->since = g->now - MINUTE_MS;
  int total = 0;
  for (int i = 0; i < fc_seed_n_models; i++)
    total += fc_seed_models[i].weight;
  int w = (int)fc_seed_below(&r, (uint32_t)total), mi = 0;
  while (w >= fc_seed_models[mi].weight)
    w -= fc_seed_models[mi++].weight;
  const fc_seed_model *m = &fc_seed_models[mi];
  int nmodels = 0;
  while (nmodels < 6 && m->models[nmodels])
    nmodels++;
  int which = (int)fc_seed_below(&r, (uint32_t)nmodels);
  v->make = fc_vin_manufacturer(m->wmi);
  v->model = m->models[which];
  int sy = year_of(v->since);
  v->model_year = sy + 1 - (int)fc_seed_below(&r, 12);
  /* The descriptor names the model (same model, same letters) and an engine. */
  static const char vds_chars[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
  uint64_t h = fc_seed_mix((uint64_t)mi * 131 + (uint64_t)which);
  char vds[6];
  for (int i = 0; i < 4; i++)
    vds[i] = vds_chars[(h >> (6 * i)) % 33];
  vds[4] = vds_chars[fc_seed_below(&r, 33)];
  vds[5] = 0;
  fc_seed_vin(m->wmi, vds, v->model_year, (uint32_t)v->v, v->vin);
  fc_seed_plate(&r, d->city->cc, d->city, v->plate, sizeof v->plate);
  v->plate_compact = fc_fold_compact(v->plate);
  v->annual_km = 6000 + (int)fc_seed_below(&r, 24000);
  v->mileage_t0 = day_ms(fc_tz_day_number(v->model_year - 1, 9, 1));
  v->prev_owner = -1;
  if (prev_owned(g, c, v->v)) {
    fc_seed_rng pr = fc_seed_rng_for(g->seed, S_PREV, (uint64_t)v->v);
    (void)fc_seed_next(&pr); /* the draw prev_owned used */
    uint32_t rank = fc_seed_below(&pr, g->c_rank[c]);
    int64_t p = g->by_dealer[d->first + rank];
    v->prev_owner = p;
    int64_t pc = g->c_created[p];
    v->prev_since = pc + MINUTE_MS + (int64_t)(fc_seed_unit(&pr) * (double)(v->since - pc - 2 * MINUTE_MS));
    if (v->prev_since < pc + MINUTE_MS) v->prev_since = pc + MINUTE_MS;
    if (v->prev_since >= v->since) v->prev_since = v->since - 1;
    fc_seed_id(v->prev_since, &pr, v->prev_own_id);
  }
  v->created = v->prev_owner >= 0 ? v->prev_since : v->since;
  fc_seed_id(v->created, &r, v->id);
  fc_seed_id(v->since, &r, v->own_id);
}

static void customer_id(gen *g, int64_t c, char out[FC_SEED_ID_LEN + 1]) {
  fc_seed_rng r = fc_seed_rng_for(g->seed, S_CUSTID, (uint64_t)c);
  fc_seed_id(g->c_created[c], &r, out);
}

/* --- the workshop diaries */

typedef struct appt_plan {
  int64_t start, end;
  int resource; /* 0 .. bays-1 bays, bays = the inspection lane */
  const char *services[2];
  int nservices;
  const char *status, *channel;
} appt_plan;

static const struct {
  const char *code;
  int minutes, skill; /* skill 0 maintenance, 1 tires, 2 diagnosis, 3 inspection */
  int weight;
} services[] = {{"oil", 60, 0, 40},
                {"service", 120, 0, 20},
                {"tires", 30, 1, 20},
                {"diagnosis", 60, 2, 10},
                {"inspection", 45, 3, 10}};

/* Opening hours (local minutes) of a weekday, 0 = Monday; as in the workshop document. */
static int windows(int wday, int w[2][2]) {
  if (wday <= 3) return w[0][0] = 480, w[0][1] = 720, w[1][0] = 780, w[1][1] = 1050, 2;
  if (wday == 4) return w[0][0] = 480, w[0][1] = 720, w[1][0] = 780, w[1][1] = 960, 2;
  if (wday == 5) return w[0][0] = 540, w[0][1] = 720, 1;
  return 0;
}

static int closed_date(int m, int d) { return (m == 12 && (d == 25 || d == 26)) || (m == 1 && d == 1); }

/* Day-of-week demand: a Saturday morning sees a third of a weekday. */
static double day_factor(int64_t dn) {
  int y, m, d, wday;
  fc_tz_day_date(dn, &y, &m, &d, &wday);
  if (closed_date(m, d) || wday == 6) return 0;
  return wday == 5 ? 0.35 : 1.0;
}

/* Places up to n appointments into dealer j's day (index di); returns how
 * many fit. Each resource fills from the opening on, with gaps. Attempts
 * follow one fixed sequence per day (at most MAX_ATTEMPTS), so a call for n
 * places the first n that fit: the same ones a call for more places first,
 * and counts can be nudged up and down. */
static int plan_day(gen *g, int j, int di, int n, appt_plan *out) {
  const dealer *dl = &g->d[j];
  int64_t dn = g->diary_first_dn + di;
  int y, m, d, wday;
  fc_tz_day_date(dn, &y, &m, &d, &wday);
  int w[2][2], nw = windows(wday, w);
  if (!nw || closed_date(m, d) || n == 0) return 0;
  int64_t midnight = 0;
  if (fc_tz_local_to_utc(dl->city->tz, y, m, d, 0, &midnight) != 0) return 0;
  fc_seed_rng r = fc_seed_rng_for(g->seed, S_DAY, (uint64_t)j * 100000u + (uint64_t)di);
  int cursor[MAX_BAYS + 1], placed = 0;
  for (int i = 0; i <= dl->bays; i++)
    cursor[i] = w[0][0];
  for (int a = 0; a < MAX_ATTEMPTS && placed < n; a++) {
    int wsum = 0, s1 = 0;
    for (size_t i = 0; i < 5; i++)
      wsum += services[i].weight;
    int x = (int)fc_seed_below(&r, (uint32_t)wsum);
    while (x >= services[s1].weight)
      x -= services[s1++].weight;
    int minutes = services[s1].minutes, two = 0;
    if ((s1 == 0 || s1 == 1) && fc_seed_chance(&r, 0.2)) { /* a tire change with the service */
      minutes += 30;
      two = 1;
    }
    int slots = (minutes + 29) / 30, gap = (int)fc_seed_below(&r, 3);
    /* Which resources may take it: inspection only the lane, diagnosis bay 1. */
    int cand[MAX_BAYS + 1], nc = 0;
    if (services[s1].skill == 3)
      cand[nc++] = dl->bays;
    else if (services[s1].skill == 2)
      cand[nc++] = 0;
    else
      for (int i = 0; i < dl->bays; i++)
        cand[nc++] = i;
    int first = (int)fc_seed_below(&r, (uint32_t)nc), ok = 0;
    for (int t = 0; t < nc && !ok; t++) {
      int res = cand[(first + t) % nc];
      int start = cursor[res] + gap * 30;
      for (int k = 0; k < nw && !ok; k++) {
        if (start < w[k][0]) start = w[k][0];
        if (start + slots * 30 <= w[k][1]) {
          ok = 1;
          cursor[res] = start + slots * 30;
          if (out) {
            appt_plan *p = &out[placed];
            p->start = midnight + (int64_t)start * MINUTE_MS;
            p->end = p->start + (int64_t)minutes * MINUTE_MS;
            p->resource = res;
            p->services[0] = services[s1].code;
            p->nservices = 1;
            if (two) p->services[p->nservices++] = "tires";
          }
        }
      }
    }
    double u = fc_seed_unit(&r), v = fc_seed_unit(&r);
    if (!ok) continue;
    if (out) {
      appt_plan *p = &out[placed];
      p->channel = v < 0.45 ? "web" : v < 0.85 ? "phone" : "walk_in";
      if (p->end <= g->now)
        p->status = u < 0.08 ? "cancelled" : u < 0.12 ? "no_show" : "collected";
      else if (p->start <= g->now)
        p->status = "in_progress";
      else
        p->status = u < 0.05 ? "cancelled" : "booked";
    }
    placed++;
  }
  return placed;
}

static fc_err plan_diaries(gen *g) {
  g->ndays = DIARY_PAST_DAYS + DIARY_FUTURE_DAYS;
  g->diary_first_dn = g->today_dn - DIARY_PAST_DAYS;
  g->day_count = calloc((size_t)g->nd * (size_t)g->ndays, 1);
  if (!g->day_count) return FC_ENOMEM;
  double open = 0;
  for (int di = 0; di < g->ndays; di++)
    open += day_factor(g->diary_first_dn + di);
  int64_t A = g->sc->appointments;
  for (int j = 0; j < g->nd; j++) {
    dealer *d = &g->d[j];
    d->rate = (double)A * d->weight / open;
    /* Bays so that the diary runs at about half its capacity. */
    d->bays = (int)ceil(d->rate / 2.6);
    if (d->bays < 2) d->bays = 2;
    if (d->bays > MAX_BAYS) d->bays = MAX_BAYS;
    for (int di = 0; di < g->ndays; di++) {
      double lambda = d->rate * day_factor(g->diary_first_dn + di);
      if (lambda <= 0) continue;
      fc_seed_rng r = fc_seed_rng_for(g->seed, S_ADJUST, 1000000u + (uint64_t)j * 100000u + (uint64_t)di);
      double x = lambda + (fc_seed_unit(&r) - 0.5) * 2 * sqrt(lambda) + fc_seed_unit(&r);
      int n = (int)floor(x);
      g->day_count[(size_t)j * (size_t)g->ndays + (size_t)di] = (uint8_t)(n < 0 ? 0 : n > 200 ? 200 : n);
    }
  }
  /* What fits, then nudged to the exact total. */
  int64_t total = 0;
  for (int j = 0; j < g->nd; j++)
    for (int di = 0; di < g->ndays; di++) {
      uint8_t *c = &g->day_count[(size_t)j * (size_t)g->ndays + (size_t)di];
      *c = (uint8_t)plan_day(g, j, di, *c, NULL);
      total += *c;
    }
  fc_seed_rng r = fc_seed_rng_for(g->seed, S_ADJUST, 2);
  for (int64_t tries = 0; total != A && tries < 50 * (A + 1000); tries++) {
    int j = (int)fc_seed_below(&r, (uint32_t)g->nd), di = (int)fc_seed_below(&r, (uint32_t)g->ndays);
    uint8_t *c = &g->day_count[(size_t)j * (size_t)g->ndays + (size_t)di];
    if (total < A && *c < 200 && day_factor(g->diary_first_dn + di) > 0) {
      if (plan_day(g, j, di, *c + 1, NULL) == *c + 1) (*c)++, total++;
    } else if (total > A && *c > 0) {
      (*c)--, total--;
    }
  }
  g->n_appts = total;
  /* The events and readings the diaries will write. */
  appt_plan buf[256];
  g->n_status = g->n_readings = 0;
  for (int j = 0; j < g->nd; j++)
    for (int di = 0; di < g->ndays; di++) {
      int n = g->day_count[(size_t)j * (size_t)g->ndays + (size_t)di];
      if (!n) continue;
      int got = plan_day(g, j, di, n, buf);
      for (int a = 0; a < got; a++) {
        if (strcmp(buf[a].status, "booked") != 0) g->n_status++;
        if (!strcmp(buf[a].status, "collected")) g->n_readings++;
      }
    }
  return FC_OK;
}

/* --- writing the organisation */

static fc_err put_row(fc_seed_sink *k, fc_seed_row *row) { return fc_seed_sink_put(k, row); }

static fc_err write_org(gen *g) {
  static const char *const brand_cols[] = {"id", "slug", "name", "created_at"};
  static const char *const dealer_cols[] = {"id",      "slug",    "name",       "timezone",   "locale",
                                            "country", "version", "created_at", "updated_at", "seq"};
  static const char *const db_cols[] = {"dealer_id", "brand_id"};
  static const char *const user_cols[] = {"id",       "email",  "name",          "role",      "dealer_id",
                                          "brand_id", "locale", "password_hash", "created_at"};
  static const char *const ws_cols[] = {"dealer_id", "config_json", "version", "updated_at"};
  fc_seed_sink *kb, *kd, *kdb, *ku, *kw;
  fc_err err;
  if ((err = fc_seed_sink_new(g->loader, "brands", brand_cols, 4, &kb)) ||
      (err = fc_seed_sink_new(g->loader, "dealers", dealer_cols, 10, &kd)) ||
      (err = fc_seed_sink_new(g->loader, "dealer_brands", db_cols, 2, &kdb)) ||
      (err = fc_seed_sink_new(g->loader, "users", user_cols, 9, &ku)) ||
      (err = fc_seed_sink_new(g->loader, "workshops", ws_cols, 4, &kw)))
    return err;
  fc_seed_row row;
  int64_t t0 = g->history_start - 500 * (int64_t)DAY_MS;
  for (int b = 0; b < 3 && !err; b++) {
    fc_seed_rng r = fc_seed_rng_for(g->seed, S_USER, 900 + (uint64_t)b);
    fc_seed_id(t0 + b, &r, g->brand_ids[b]);
    char slug[32];
    fc_seed_ascii(brand_names[b], '-', slug, sizeof slug);
    fc_seed_row_reset(&row);
    fc_seed_row_s(&row, g->brand_ids[b]);
    fc_seed_row_s(&row, slug);
    fc_seed_row_s(&row, brand_names[b]);
    fc_seed_row_i(&row, t0 + b);
    err = put_row(kb, &row);
  }
  for (int j = 0; j < g->nd && !err; j++) {
    const dealer *d = &g->d[j];
    fc_seed_row_reset(&row);
    fc_seed_row_s(&row, d->id);
    fc_seed_row_s(&row, d->slug);
    fc_seed_row_s(&row, d->name);
    fc_seed_row_s(&row, d->city->tz);
    fc_seed_row_s(&row, d->city->locale);
    fc_seed_row_s(&row, d->city->cc);
    fc_seed_row_i(&row, 1);
    fc_seed_row_i(&row, d->created);
    fc_seed_row_i(&row, d->created);
    fc_seed_row_i(&row, j + 1);
    err = put_row(kd, &row);
    for (int b = 0; b < d->nbrands && !err; b++) {
      fc_seed_row_reset(&row);
      fc_seed_row_s(&row, d->id);
      fc_seed_row_s(&row, g->brand_ids[d->brands[b]]);
      err = put_row(kdb, &row);
    }
  }
  /* Accounts: the installation's admin, a manager per brand, eight per dealer. */
  struct {
    const char *email, *name, *role, *dealer, *brand, *locale;
    char *id;
    int64_t at;
  } u;
  char email[160], name[160];
  for (int i = -4; i < g->nd * USERS_PER_DEALER && !err; i++) {
    fc_seed_rng r = fc_seed_rng_for(g->seed, S_USER, (uint64_t)(i + 4));
    memset(&u, 0, sizeof u);
    if (i == -4) {
      u.email = "admin@network.test", u.name = "Network Admin", u.role = "admin", u.locale = "en";
      u.id = g->admin_id;
      u.at = t0;
    } else if (i < 0) {
      int b = i + 3;
      char slug[32];
      fc_seed_ascii(brand_names[b], '-', slug, sizeof slug);
      snprintf(email, sizeof email, "hq@%s.test", slug);
      snprintf(name, sizeof name, "%s HQ", brand_names[b]);
      u.email = email, u.name = name, u.role = "brand_manager", u.brand = g->brand_ids[b], u.locale = "en";
      u.id = g->hq_ids[b];
      u.at = t0 + 1;
    } else {
      dealer *d = &g->d[i / USERS_PER_DEALER];
      int k = i % USERS_PER_DEALER;
      const fc_seed_nameset *ns = &fc_seed_namesets[d->nameset];
      snprintf(email, sizeof email, "%s@%s.test", roles[k].local, d->slug);
      snprintf(name, sizeof name, "%s %s", pick(&r, &ns->first), pick(&r, &ns->last));
      u.email = email, u.name = name, u.role = roles[k].role, u.dealer = d->id, u.locale = d->city->locale;
      u.id = d->users[k];
      u.at = d->created + k;
    }
    fc_seed_id(u.at, &r, u.id);
    char folded[160];
    fc_email_fold(u.email, folded, sizeof folded);
    fc_seed_row_reset(&row);
    fc_seed_row_s(&row, u.id);
    fc_seed_row_s(&row, folded);
    fc_seed_row_s(&row, u.name);
    fc_seed_row_s(&row, u.role);
    fc_seed_row_s(&row, u.dealer);
    fc_seed_row_s(&row, u.brand);
    fc_seed_row_s(&row, u.locale);
    fc_seed_row_s(&row, g->pwhash);
    fc_seed_row_i(&row, u.at);
    err = put_row(ku, &row);
  }
  /* A workshop per dealer: the demo's document, with bays for its size. */
  int y, m, dd;
  fc_tz_day_date(g->today_dn, &y, &m, &dd, NULL);
  for (int j = 0; j < g->nd && !err; j++) {
    const dealer *d = &g->d[j];
    fc_seed_rng r = fc_seed_rng_for(g->seed, S_USER, 100000 + (uint64_t)j);
    const fc_seed_nameset *ns = &fc_seed_namesets[d->nameset];
    char res[2048] = "", phone[48], street[160], addr[300];
    size_t o = 0;
    for (int b = 0; b < d->bays; b++)
      o += (size_t)snprintf(
          res + o, sizeof res - o, "%s{\"id\": \"bay-%d\", \"name\": \"Bay %d\", \"skills\": %s}",
          b ? ", " : "", b + 1, b + 1,
          b == 0 ? "[\"maintenance\", \"tires\", \"diagnosis\"]" : "[\"maintenance\", \"tires\"]");
    snprintf(res + o, sizeof res - o,
             ", {\"id\": \"lane\", \"name\": \"Inspection lane\", \"skills\": [\"inspection\"]}");
    fc_seed_phone(&r, d->city->cc, 1, phone, sizeof phone);
    jesc(pick(&r, &ns->streets), street, sizeof street);
    char city[120];
    jesc(d->city->name, city, sizeof city);
    snprintf(addr, sizeof addr, "%s %u, %s %s", street, 1 + fc_seed_below(&r, 200), d->city->postal, city);
    char *doc = NULL;
    if (asprintf(
            &doc,
            "{\"opening_hours\": {\"mon\": [[\"08:00\",\"12:00\"],[\"13:00\",\"17:30\"]], "
            "\"tue\": [[\"08:00\",\"12:00\"],[\"13:00\",\"17:30\"]], \"wed\": "
            "[[\"08:00\",\"12:00\"],[\"13:00\",\"17:30\"]], "
            "\"thu\": [[\"08:00\",\"12:00\"],[\"13:00\",\"17:30\"]], \"fri\": "
            "[[\"08:00\",\"12:00\"],[\"13:00\",\"16:00\"]], "
            "\"sat\": [[\"09:00\",\"12:00\"]], \"sun\": []},"
            " \"closures\": [\"%d-12-25\", \"%d-12-26\", \"%d-01-01\", \"%d-12-25\", \"%d-12-26\", "
            "\"%d-01-01\"],"
            " \"resources\": [%s],"
            " \"services\": ["
            "{\"code\": \"oil\", \"name\": {\"en\": \"Oil service\", \"fr\": \"Vidange\", \"nl\": \"Olie "
            "verversen\"}, \"duration_min\": 60, \"skill\": \"maintenance\", \"price\": 149.0},"
            " {\"code\": \"service\", \"name\": {\"en\": \"Annual service\", \"fr\": \"Entretien annuel\", "
            "\"nl\": \"Jaarlijkse beurt\"}, \"duration_min\": 120, \"skill\": \"maintenance\", \"price\": "
            "289.0},"
            " {\"code\": \"tires\", \"name\": {\"en\": \"Tire change\", \"fr\": \"Changement de pneus\", "
            "\"nl\": \"Banden wisselen\"}, \"duration_min\": 30, \"skill\": \"tires\", \"price\": 45.0},"
            " {\"code\": \"diagnosis\", \"name\": {\"en\": \"Diagnosis\", \"fr\": \"Diagnostic\", \"nl\": "
            "\"Diagnose\"}, \"duration_min\": 60, \"skill\": \"diagnosis\", \"price\": 95.0},"
            " {\"code\": \"inspection\", \"name\": {\"en\": \"Inspection\", \"fr\": \"Contrôle technique\", "
            "\"nl\": \"APK-keuring\"}, \"duration_min\": 45, \"skill\": \"inspection\", \"price\": 65.0}],"
            " \"slot_step_min\": 30, \"lead_time_hours\": 2, \"horizon_days\": 60, \"reserved_share\": 0.2,"
            " \"address\": \"%s\", \"phone\": \"%s\", \"email\": \"workshop@%s.example\"}",
            y, y, y + 1, y + 1, y + 1, y + 2, res, addr, phone, d->slug) < 0)
      return FC_ENOMEM;
    fc_seed_row_reset(&row);
    fc_seed_row_s(&row, d->id);
    fc_seed_row_s(&row, doc);
    fc_seed_row_i(&row, 1);
    fc_seed_row_i(&row, d->created);
    err = put_row(kw, &row);
    free(doc);
  }
  return err;
}

/* --- customers and what hangs off them */

typedef struct filler_kind {
  const char *type, *channel;
  int weight;
} filler_kind;

static const filler_kind fillers[] = {
    {"email.sent", "email", 22},       {"email.opened", "email", 10}, {"call.logged", "phone", 16},
    {"sms.sent", "phone", 8},          {"web.visit", "web", 14},      {"configurator.saved", "web", 6},
    {"test_drive.done", "walk_in", 5}, {"quote.sent", "email", 6},    {"telematics.alert", "telematics", 5},
    {"note.added", "walk_in", 8},
};

static fc_err put_event(gen *g, fc_seed_rng *r, const char *dealer_id, const char *cust_id, const char *type,
                        const char *channel, int64_t at, const char *actor, const char *payload) {
  char id[FC_SEED_ID_LEN + 1];
  fc_seed_id(at, r, id);
  fc_seed_row row;
  fc_seed_row_reset(&row);
  fc_seed_row_s(&row, dealer_id);
  fc_seed_row_s(&row, id);
  fc_seed_row_s(&row, cust_id);
  fc_seed_row_s(&row, type);
  fc_seed_row_s(&row, channel);
  fc_seed_row_i(&row, at);
  fc_seed_row_s(&row, actor);
  fc_seed_row_s(&row, !actor ? "system" : strcmp(actor, "system") == 0 ? "system" : "user");
  fc_seed_row_s(&row, payload ? payload : "{}");
  fc_seed_row_i(&row, at);
  return fc_seed_sink_put(g->k_events, &row);
}

static void filler_payload(fc_seed_rng *r, const filler_kind *f, char *out, size_t cap) {
  static const char *const subjects[] = {"Your service is due", "Winter tires: book your change",
                                         "Your quote", "Thank you for your visit", "Recall campaign"};
  static const char *const pages[] = {"/models/nova", "/models/stratus", "/service", "/offers", "/used-cars"};
  static const char *const notes[] = {"Prefers to be called after 18:00", "Interested in an electric model",
                                      "Asked about leasing", "Wants a courtesy car next time",
                                      "Company car, invoice to employer"};
  static const char *const codes[] = {"P0420", "P0171", "U0100", "B1318", "C1201"};
  if (!strcmp(f->type, "email.sent") || !strcmp(f->type, "email.opened"))
    snprintf(out, cap, "{\"subject\":\"%s\"}", subjects[fc_seed_below(r, 5)]);
  else if (!strcmp(f->type, "call.logged"))
    snprintf(out, cap, "{\"direction\":\"%s\",\"duration_s\":%u}",
             fc_seed_chance(r, 0.6) ? "inbound" : "outbound", 20 + fc_seed_below(r, 900));
  else if (!strcmp(f->type, "web.visit"))
    snprintf(out, cap, "{\"page\":\"%s\",\"duration_s\":%u}", pages[fc_seed_below(r, 5)],
             5 + fc_seed_below(r, 600));
  else if (!strcmp(f->type, "configurator.saved"))
    snprintf(out, cap, "{\"make\":\"%s\",\"model\":\"%s\",\"trim\":\"%s\",\"price\":%u}",
             brand_names[fc_seed_below(r, 3)], brand_models[fc_seed_below(r, 3)][fc_seed_below(r, 3)],
             fc_seed_chance(r, 0.5) ? "GT" : "Comfort", 21900 + 100 * fc_seed_below(r, 300));
  else if (!strcmp(f->type, "test_drive.done"))
    snprintf(out, cap, "{\"model\":\"%s\",\"duration_min\":%u}",
             brand_models[fc_seed_below(r, 3)][fc_seed_below(r, 3)], 15 + 15 * fc_seed_below(r, 4));
  else if (!strcmp(f->type, "quote.sent"))
    snprintf(out, cap, "{\"amount\":%u.%02u}", 80 + fc_seed_below(r, 4000), fc_seed_below(r, 100));
  else if (!strcmp(f->type, "telematics.alert"))
    snprintf(out, cap, "{\"code\":\"%s\",\"severity\":\"%s\"}", codes[fc_seed_below(r, 5)],
             fc_seed_chance(r, 0.8) ? "warning" : "critical");
  else if (!strcmp(f->type, "note.added"))
    snprintf(out, cap, "{\"text\":\"%s\"}", notes[fc_seed_below(r, 5)]);
  else
    snprintf(out, cap, "{}");
}

static fc_err write_customer(gen *g, int64_t c) {
  dealer *d = &g->d[g->c_dealer[c]];
  cflags f;
  customer_flags(g, c, &f);
  fc_seed_rng r = fc_seed_rng_for(g->seed, S_CUST, (uint64_t)c);
  const fc_seed_nameset *ns = &fc_seed_namesets[f.nameset];
  int64_t created = g->c_created[c];
  char id[FC_SEED_ID_LEN + 1];
  customer_id(g, c, id);
  const char *first = pick(&r, &ns->first), *last = pick(&r, &ns->last);
  char name[200], company[200] = "", vat[32] = "", email[200] = "", efold[200] = "", phone[48] = "";
  char e164[FC_PHONE_MAX] = "", address[512] = "", contacts[800] = "";
  if (f.company) {
    const char *last2 = pick(&r, &ns->last);
    if (fc_seed_chance(&r, 0.5) && strcmp(last, last2))
      snprintf(company, sizeof company, "%s & %s %s", last, last2, ns->company_suffix);
    else
      snprintf(company, sizeof company, "%s %s", last, ns->company_suffix);
    snprintf(vat, sizeof vat, "%s%09u%02u", ns->vat_prefix, fc_seed_below(&r, 1000000000u),
             fc_seed_below(&r, 100));
    snprintf(name, sizeof name, "%s", company);
  } else {
    snprintf(name, sizeof name, "%s %s", first, last);
  }
  /* E-mail: first.last and its cousins, at a provider of their country. */
  char fa[64], la[64];
  fc_seed_ascii(first, 0, fa, sizeof fa);
  fc_seed_ascii(last, 0, la, sizeof la);
  const char *domain = pick(&r, &ns->domains);
  if (f.has_email) {
    uint32_t v = fc_seed_below(&r, 7), num = 1 + fc_seed_below(&r, 98);
    if (f.company) {
      char ca[64];
      fc_seed_ascii(company, '-', ca, sizeof ca);
      snprintf(email, sizeof email, "%s@%s", fc_seed_chance(&r, 0.5) ? "info" : "fleet", domain);
      if (fc_seed_chance(&r, 0.7)) snprintf(email, sizeof email, "contact@%.40s.example", ca);
    } else if (v == 0)
      snprintf(email, sizeof email, "%s.%s@%s", fa, la, domain);
    else if (v == 1)
      snprintf(email, sizeof email, "%s%s@%s", fa, la, domain);
    else if (v == 2)
      snprintf(email, sizeof email, "%c.%s@%s", fa[0], la, domain);
    else if (v == 3)
      snprintf(email, sizeof email, "%s_%s@%s", fa, la, domain);
    else if (v == 4)
      snprintf(email, sizeof email, "%s.%s%u@%s", fa, la, num, domain);
    else if (v == 5)
      snprintf(email, sizeof email, "%s%u@%s", la, num, domain);
    else
      snprintf(email, sizeof email, "%s.%c%u@%s", fa, la[0], 1950 + fc_seed_below(&r, 60), domain);
    if (fc_seed_chance(&r, 0.08) && email[0] >= 'a' && email[0] <= 'z') email[0] = (char)(email[0] - 32);
    fc_email_fold(email, efold, sizeof efold);
  }
  if (f.has_phone) {
    /* A local's number is of the dealer's country (a Swiss German has a Swiss number). */
    fc_seed_phone(&r, f.foreign ? ns->cc : d->city->cc, f.foreign || fc_seed_chance(&r, 0.1), phone,
                  sizeof phone);
    if (fc_phone_e164(phone, d->city->cc, e164) != 0) {
      e164[0] = 0;
      g->phone_failures++;
    }
  }
  if (f.has_address) {
    const fc_seed_nameset *home = &fc_seed_namesets[d->nameset];
    char street[160], city[160];
    jesc(pick(&r, &home->streets), street, sizeof street);
    jesc(d->city->name, city, sizeof city);
    snprintf(address, sizeof address,
             "{\"street\":\"%s %u\",\"postal_code\":\"%s\",\"city\":\"%s\",\"country\":\"%s\"}", street,
             1 + fc_seed_below(&r, 180), d->city->postal, city, d->city->cc);
  }
  if (f.company) {
    char raw[200], cn[200], ce[200];
    snprintf(raw, sizeof raw, "%s %s", first, last);
    jesc(raw, cn, sizeof cn);
    snprintf(ce, sizeof ce, "%s.%s@%s", fa, la, domain);
    snprintf(contacts, sizeof contacts, "[{\"name\":\"%s\",\"email\":\"%s\",\"role\":\"%s\"}]", cn, ce,
             fc_seed_chance(&r, 0.6) ? "fleet manager" : "director");
  }
  static const char *const notes[] = {"Prefers morning appointments", "Always asks for a courtesy car",
                                      "Speaks little English", "Pays by invoice", "Second car in the family"};
  const char *note = fc_seed_chance(&r, 0.04) ? notes[fc_seed_below(&r, 5)] : NULL;
  double cu = fc_seed_unit(&r);
  const char *created_channel = cu < 0.4 ? "walk_in" : cu < 0.6 ? "phone" : cu < 0.85 ? "web" : "network";
  const char *actor = !strcmp(created_channel, "walk_in") || !strcmp(created_channel, "phone")
                          ? d->users[1 + fc_seed_below(&r, 3)]
                          : "system";

  /* Vehicles first: the search document names their plates and VINs. */
  vehicle veh[MAX_VEH];
  int nv = g->c_nveh[c];
  fc_err err = FC_OK;
  char doc[2048] = "";
  doc_add_folded(doc, sizeof doc, name, 0);
  doc_add_folded(doc, sizeof doc, f.company ? company : NULL, 0);
  doc_add(doc, sizeof doc, efold);
  doc_add_folded(doc, sizeof doc, phone[0] ? phone : NULL, 1);
  doc_add_folded(doc, sizeof doc, e164[0] ? e164 : NULL, 1);
  for (int k = 0; k < nv; k++) {
    vehicle_make(g, c, k, &veh[k]);
    doc_add(doc, sizeof doc, veh[k].plate_compact);
    doc_add_folded(doc, sizeof doc, veh[k].vin, 1);
  }
  fc_seed_row row;
  for (int k = 0; k < nv && !err; k++) {
    const vehicle *v = &veh[k];
    char warranty[32];
    snprintf(warranty, sizeof warranty, "%d-%02u-%02u", v->model_year + 2, 1 + (unsigned)(v->v % 12),
             1 + (unsigned)(v->v % 28));
    fc_seed_row_reset(&row);
    fc_seed_row_s(&row, v->id);
    fc_seed_row_s(&row, v->vin);
    fc_seed_row_s(&row, v->plate);
    fc_seed_row_s(&row, v->plate_compact);
    fc_seed_row_s(&row, v->make);
    fc_seed_row_s(&row, v->model);
    fc_seed_row_i(&row, v->model_year);
    fc_seed_row_s(&row, warranty);
    fc_seed_row_i(&row, mileage_at(v, v->created));
    fc_seed_row_i(&row, v->created);
    fc_seed_row_i(&row, v->created);
    fc_seed_row_i(&row, v->created);
    err = fc_seed_sink_put(g->k_vehicles, &row);
  }
  if (!err) {
    fc_seed_row_reset(&row);
    /* On SQLite a customer's row id lies in its dealer's block, filled from
     * the top, (seq + 1) * 2^32 - 1, down in the order the customers were
     * created (the trigger that places them is set aside for the load). */
    if (g->dialect == FC_DIALECT_SQLITE) fc_seed_row_i(&row, (int64_t)(d - g->d + 2) * 4294967296LL - ++d->written);
    fc_seed_row_s(&row, id);
    fc_seed_row_s(&row, d->id);
    fc_seed_row_s(&row, f.company ? "company" : "person");
    fc_seed_row_s(&row, name);
    fc_seed_row_s(&row, f.company ? NULL : first);
    fc_seed_row_s(&row, f.company ? NULL : last);
    fc_seed_row_s(&row, f.company ? company : NULL);
    fc_seed_row_s(&row, f.company ? vat : NULL);
    fc_seed_row_s(&row, email[0] ? email : NULL);
    fc_seed_row_s(&row, efold[0] ? efold : NULL);
    fc_seed_row_s(&row, phone[0] ? phone : NULL);
    fc_seed_row_s(&row, e164[0] ? e164 : NULL);
    fc_seed_row_s(&row, ns->lang);
    fc_seed_row_s(&row, address[0] ? address : NULL);
    fc_seed_row_s(&row, contacts[0] ? contacts : NULL);
    fc_seed_row_s(&row, note);
    fc_seed_row_s(&row, doc);
    fc_seed_row_i(&row, created);
    fc_seed_row_i(&row, created);
    err = fc_seed_sink_put(g->k_customers, &row);
  }
  fc_seed_rng er = fc_seed_rng_for(g->seed, S_EVENTS, (uint64_t)c);
  char payload[1024];
  if (!err) err = put_event(g, &er, d->id, id, "customer.created", created_channel, created, actor, NULL);
  for (int k = 0; k < nv && !err; k++) {
    const vehicle *v = &veh[k];
    char pid[FC_SEED_ID_LEN + 1];
    fc_seed_row_reset(&row);
    fc_seed_row_s(&row, d->id);
    fc_seed_row_s(&row, v->id);
    fc_seed_row_i(&row, v->created);
    err = fc_seed_sink_put(g->k_dealer_vehicles, &row);
    if (!err && v->prev_owner >= 0) {
      customer_id(g, v->prev_owner, pid);
      fc_seed_row_reset(&row);
      fc_seed_row_s(&row, d->id);
      fc_seed_row_s(&row, v->prev_own_id);
      fc_seed_row_s(&row, v->id);
      fc_seed_row_s(&row, pid);
      fc_seed_row_i(&row, v->prev_since);
      fc_seed_row_i(&row, v->since);
      err = fc_seed_sink_put(g->k_ownerships, &row);
      snprintf(payload, sizeof payload, "{\"vehicle_id\":\"%s\",\"vin\":\"%s\",\"plate\":\"%s\"}", v->id,
               v->vin, v->plate);
      if (!err)
        err = put_event(g, &er, d->id, pid, "vehicle.linked", "network", v->prev_since, "system", payload);
    }
    if (!err) {
      fc_seed_row_reset(&row);
      fc_seed_row_s(&row, d->id);
      fc_seed_row_s(&row, v->own_id);
      fc_seed_row_s(&row, v->id);
      fc_seed_row_s(&row, id);
      fc_seed_row_i(&row, v->since);
      fc_seed_row_null(&row);
      err = fc_seed_sink_put(g->k_ownerships, &row);
    }
    snprintf(payload, sizeof payload, "{\"vehicle_id\":\"%s\",\"vin\":\"%s\",\"plate\":\"%s\"}", v->id,
             v->vin, v->plate);
    if (!err) err = put_event(g, &er, d->id, id, "vehicle.linked", "network", v->since, "system", payload);
  }
  static const char *const sources[] = {"web", "walk_in", "phone", "paper", "lead"};
  for (int i = 0; i < f.ncons && !err; i++) {
    const char *source = sources[fc_seed_below(&r, 5)];
    int64_t at = created + 2 * MINUTE_MS + (int64_t)fc_seed_below(&r, 600000);
    char cid[FC_SEED_ID_LEN + 1];
    fc_seed_id(at, &r, cid);
    fc_seed_row_reset(&row);
    fc_seed_row_s(&row, d->id);
    fc_seed_row_s(&row, cid);
    fc_seed_row_s(&row, id);
    fc_seed_row_s(&row, f.cons_channel[i]);
    fc_seed_row_i(&row, f.cons_granted[i]);
    fc_seed_row_i(&row, at);
    fc_seed_row_s(&row, source);
    fc_seed_row_s(&row, !strcmp(source, "web") ? NULL : d->users[1]);
    fc_seed_row_null(&row);
    err = fc_seed_sink_put(g->k_consents, &row);
    snprintf(payload, sizeof payload, "{\"channel\":\"%s\",\"granted\":%s,\"source\":\"%s\"}",
             f.cons_channel[i], f.cons_granted[i] ? "true" : "false", source);
    const char *evch = !strcmp(source, "paper") || !strcmp(source, "lead") ? "network" : source;
    if (!err)
      err = put_event(g, &er, d->id, id, f.cons_granted[i] ? "consent.granted" : "consent.withdrawn", evch,
                      at, !strcmp(source, "web") ? "system" : d->users[1], payload);
  }
  /* The rest of the history: mail, calls, visits, alerts. */
  int wsum = 0;
  for (size_t i = 0; i < sizeof fillers / sizeof fillers[0]; i++)
    wsum += fillers[i].weight;
  for (int i = 0; i < g->c_filler[c] && !err; i++) {
    int x = (int)fc_seed_below(&er, (uint32_t)wsum), k = 0;
    while (x >= fillers[k].weight)
      x -= fillers[k++].weight;
    int64_t at =
        created + 5 * MINUTE_MS + (int64_t)(fc_seed_unit(&er) * (double)(g->now - created - 10 * MINUTE_MS));
    filler_payload(&er, &fillers[k], payload, sizeof payload);
    const char *who = !strcmp(fillers[k].channel, "email") || !strcmp(fillers[k].channel, "telematics") ||
                              !strcmp(fillers[k].channel, "web")
                          ? "system"
                          : d->users[1 + fc_seed_below(&er, 3)];
    err = put_event(g, &er, d->id, id, fillers[k].type, fillers[k].channel, at, who, payload);
  }
  for (int k = 0; k < nv; k++)
    free(veh[k].plate_compact);
  return err;
}

/* --- the diaries, day by day across the network */

static const char ref_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void format_local(int64_t ms, int offset_min, char *out, size_t cap) {
  int64_t local = ms + (int64_t)offset_min * MINUTE_MS;
  int y, m, d;
  int64_t dn = local / DAY_MS, sec = (local % DAY_MS) / 1000;
  fc_tz_day_date(dn, &y, &m, &d, NULL);
  int off = offset_min < 0 ? -offset_min : offset_min;
  snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d, (int)(sec / 3600),
           (int)(sec / 60 % 60), (int)(sec % 60), offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

/* The customer of dealer j created before t, with a car when possible; -1 if none. */
static int64_t diary_customer(gen *g, const dealer *d, int64_t t, fc_seed_rng *r) {
  int64_t lo = 0, hi = d->count;
  while (lo < hi) { /* customers created before t */
    int64_t mid = (lo + hi) / 2;
    if (g->c_created[g->by_dealer[d->first + mid]] < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0) return -1;
  int64_t c = -1;
  for (int tries = 0; tries < 24; tries++) {
    c = g->by_dealer[d->first + (int64_t)(fc_seed_next(r) % (uint64_t)lo)];
    if (g->c_nveh[c] > 0) break;
  }
  return c;
}

static fc_err write_diaries(gen *g) {
  appt_plan plan[256];
  int64_t k = 0;
  fc_err err = FC_OK;
  char payload[1536];
  for (int di = 0; di < g->ndays && !err; di++)
    for (int j = 0; j < g->nd && !err; j++) {
      int n = g->day_count[(size_t)j * (size_t)g->ndays + (size_t)di];
      if (!n) continue;
      const dealer *d = &g->d[j];
      int got = plan_day(g, j, di, n, plan);
      for (int a = 0; a < got && !err; a++, k++) {
        appt_plan *p = &plan[a];
        fc_seed_rng r = fc_seed_rng_for(g->seed, S_APPT, (uint64_t)k);
        /* Booked ahead (web, phone) or on the spot (walk-in), never in the future. */
        int64_t lead = !strcmp(p->channel, "walk_in") ? 10 * MINUTE_MS
                                                      : HOUR_MS * (int64_t)(3 + fc_seed_below(&r, 21 * 24));
        int64_t created = p->start - lead;
        if (created > g->now - MINUTE_MS)
          created = g->now - MINUTE_MS - (int64_t)fc_seed_below(&r, 3 * DAY_MS);
        int64_t c = diary_customer(g, d, created - MINUTE_MS, &r);
        if (c < 0) { /* the dealer had nobody yet: still count the slot as kept */
          k--;
          continue;
        }
        char cid[FC_SEED_ID_LEN + 1], aid[FC_SEED_ID_LEN + 1], ref[12], hash[65], services_json[64];
        customer_id(g, c, cid);
        vehicle v;
        int has_v = 0;
        if (g->c_nveh[c] > 0) {
          vehicle_make(g, c, (int)fc_seed_below(&r, g->c_nveh[c]), &v);
          has_v = v.since < created;
          if (!has_v) {
            free(v.plate_compact);
            vehicle_make(g, c, 0, &v);
            has_v = 1;
          }
        }
        fc_seed_id(created, &r, aid);
        uint64_t perm = ((uint64_t)k * 1103515245u + 12345u) % (1u << 25);
        memcpy(ref, "FC-", 3);
        for (int i = 0; i < 5; i++)
          ref[3 + i] = ref_alphabet[(perm >> (5 * (4 - i))) & 31];
        ref[8] = 0;
        int web = !strcmp(p->channel, "web");
        if (web)
          for (int i = 0; i < 4; i++)
            snprintf(hash + 16 * i, 17, "%016llx", (unsigned long long)fc_seed_next(&r));
        snprintf(services_json, sizeof services_json, p->nservices == 2 ? "[\"%s\",\"%s\"]" : "[\"%s\"]",
                 p->services[0], p->services[1]);
        char resource[16];
        if (p->resource == d->bays)
          snprintf(resource, sizeof resource, "lane");
        else
          snprintf(resource, sizeof resource, "bay-%d", p->resource + 1);
        int cancelled = !strcmp(p->status, "cancelled");
        int64_t closed = p->end + 20 * MINUTE_MS + (int64_t)fc_seed_below(&r, 3 * HOUR_MS);
        if (cancelled) closed = created + (int64_t)(fc_seed_unit(&r) * (double)(p->start - created));
        if (!strcmp(p->status, "no_show")) closed = p->start + 15 * MINUTE_MS;
        if (!strcmp(p->status, "in_progress")) closed = p->start + 5 * MINUTE_MS;
        if (closed > g->now) closed = g->now;
        int64_t updated = strcmp(p->status, "booked") == 0 ? created : closed;
        int has_mileage = has_v && fc_seed_chance(&r, 0.7);
        fc_seed_row row;
        fc_seed_row_reset(&row);
        fc_seed_row_s(&row, d->id);
        fc_seed_row_s(&row, aid);
        fc_seed_row_s(&row, ref);
        fc_seed_row_s(&row, web ? hash : NULL);
        fc_seed_row_s(&row, cid);
        fc_seed_row_s(&row, has_v ? v.id : NULL);
        fc_seed_row_s(&row, resource);
        fc_seed_row_s(&row, services_json);
        fc_seed_row_i(&row, p->start);
        fc_seed_row_i(&row, p->end);
        fc_seed_row_s(&row, p->status);
        fc_seed_row_s(&row, p->channel);
        cflags f;
        customer_flags(g, c, &f);
        fc_seed_row_s(&row, fc_seed_namesets[f.nameset].lang);
        fc_seed_row_s(&row, fc_seed_chance(&r, 0.05) ? "Please call before any extra work" : NULL);
        if (has_mileage)
          fc_seed_row_i(&row, mileage_at(&v, p->start));
        else
          fc_seed_row_null(&row);
        fc_seed_row_i(&row, cancelled ? 1 : 0);
        fc_seed_row_i(&row, created);
        fc_seed_row_i(&row, updated);
        err = fc_seed_sink_put(g->k_appts, &row);
        /* The timeline: booked, then what became of it. */
        char s[40], e[40];
        int off = 0;
        fc_local_time here;
        if (fc_tz_utc_to_local(d->city->tz, p->start, &here) == 0) off = here.offset_min;
        format_local(p->start, off, s, sizeof s);
        format_local(p->end, off, e, sizeof e);
        snprintf(
            payload, sizeof payload,
            "{\"appointment_id\":\"%s\",\"reference\":\"%s\",\"services\":%s,\"start\":{\"start\":\"%s\","
            "\"end\":\"%s\"},\"channel\":\"%s\",\"resource_id\":\"%s\"%s%s%s}",
            aid, ref, services_json, s, e, p->channel, resource, has_v ? ",\"vehicle_id\":\"" : "",
            has_v ? v.id : "", has_v ? "\"" : "");
        const char *advisor = d->users[4 + fc_seed_below(&r, 2)];
        if (!err)
          err = put_event(g, &r, d->id, cid, "booking.created", p->channel, created, web ? "system" : advisor,
                          payload);
        if (!err && strcmp(p->status, "booked") != 0) {
          const char *to = !strcmp(p->status, "collected") ? "collected" : p->status;
          snprintf(payload, sizeof payload, "{\"appointment_id\":\"%s\",\"from\":\"%s\",\"to\":\"%s\"}", aid,
                   !strcmp(to, "collected") ? "ready" : "booked", to);
          if (cancelled && web) {
            snprintf(payload, sizeof payload, "{\"appointment_id\":\"%s\",\"reference\":\"%s\"}", aid, ref);
            err = put_event(g, &r, d->id, cid, "booking.cancelled", "web", closed, "system", payload);
          } else {
            char type[40];
            snprintf(type, sizeof type, "appointment.%s", to);
            err = put_event(g, &r, d->id, cid, type, "workshop", closed, advisor, payload);
          }
        }
        /* A collected car leaves its mileage behind. */
        if (!err && !strcmp(p->status, "collected")) {
          if (has_v) {
            char rid[FC_SEED_ID_LEN + 1];
            int64_t km = mileage_at(&v, p->start);
            fc_seed_id(p->end, &r, rid);
            const char *tech = d->users[6 + fc_seed_below(&r, 2)];
            fc_seed_row_reset(&row);
            fc_seed_row_s(&row, d->id);
            fc_seed_row_s(&row, rid);
            fc_seed_row_s(&row, v.id);
            fc_seed_row_i(&row, p->end);
            fc_seed_row_s(&row, "workshop");
            fc_seed_row_i(&row, km);
            fc_seed_row_i(&row, 0);
            fc_seed_row_s(&row, fc_seed_chance(&r, 0.05) ? "[\"P0420\"]" : NULL);
            fc_seed_row_null(&row);
            fc_seed_row_s(&row, tech);
            err = fc_seed_sink_put(g->k_readings, &row);
            snprintf(payload, sizeof payload,
                     "{\"vehicle_id\":\"%s\",\"source\":\"workshop\",\"mileage_km\":%lld}", v.id,
                     (long long)km);
            if (!err)
              err = put_event(g, &r, d->id, cid, "vehicle.reading", "workshop", p->end, tech, payload);
          } else { /* keep the planned count of events */
            snprintf(payload, sizeof payload, "{\"appointment_id\":\"%s\"}", aid);
            err = put_event(g, &r, d->id, cid, "appointment.invoiced", "workshop", closed, advisor, payload);
          }
        }
        if (has_v) free(v.plate_compact);
        if ((k & 4095) == 0) progress(g, 0);
      }
    }
  return err;
}

/* --- leads */

static fc_err write_leads(gen *g) {
  static const char *const sources[] = {"brand-website", "autoscout24", "mobile.de",   "leboncoin",
                                        "showroom",      "phone",       "marktplaats", "facebook"};
  static const char *const channels[] = {"web", "web", "web", "web", "walk_in", "phone", "partner", "web"};
  static const char *const reasons[] = {"bought elsewhere", "price", "no answer", "financing refused",
                                        "changed their mind"};
  static const char *const messages[] = {
      "Is this car still available?", "Can I book a test drive on Saturday?",
      "What would my monthly payment be?", "Please call me back", "Do you take my old car in part exchange?"};
  double *cum = malloc(sizeof *cum * (size_t)g->nd);
  if (!cum) return FC_ENOMEM;
  double acc = 0;
  for (int j = 0; j < g->nd; j++)
    cum[j] = (acc += g->d[j].weight);
  fc_err err = FC_OK;
  char payload[2048], interest[256], trade[256], key[256], msg[160];
  for (int64_t l = 0; l < g->n_leads_planned && !err; l++) {
    fc_seed_rng r = fc_seed_rng_for(g->seed, S_LEAD, (uint64_t)l);
    double u = fc_seed_unit(&r) * acc;
    int lo = 0, hi = g->nd - 1;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (cum[mid] < u)
        lo = mid + 1;
      else
        hi = mid;
    }
    const dealer *d = &g->d[lo];
    int64_t c = g->by_dealer[d->first + (int64_t)(fc_seed_next(&r) % (uint64_t)(d->count ? d->count : 1))];
    int64_t cc = g->c_created[c];
    /* A new person's first contact, or a known customer coming back. */
    int64_t at = fc_seed_chance(&r, 0.4)
                     ? cc + 2 * MINUTE_MS
                     : cc + (int64_t)(fc_seed_unit(&r) * (double)(g->now - cc - 2 * MINUTE_MS));
    if (at >= g->now) at = g->now - MINUTE_MS;
    int si = (int)fc_seed_below(&r, 8);
    int b = d->brands[fc_seed_below(&r, (uint32_t)d->nbrands)];
    int is_new = fc_seed_chance(&r, 0.6);
    const char *make = brand_names[b], *model = brand_models[b][fc_seed_below(&r, 3)];
    int year = year_of(at) + (is_new ? 1 : -(int)fc_seed_below(&r, 6));
    snprintf(interest, sizeof interest, "{\"condition\":\"%s\",\"make\":\"%s\",\"model\":\"%s\",\"year\":%d}",
             is_new ? "new" : "used", make, model, year);
    int has_trade = fc_seed_chance(&r, 0.3);
    if (has_trade) {
      const fc_seed_model *tm = &fc_seed_models[fc_seed_below(&r, (uint32_t)fc_seed_n_models)];
      snprintf(trade, sizeof trade, "{\"make\":\"%s\",\"model\":\"%s\",\"year\":%d,\"mileage_km\":%u}",
               fc_vin_manufacturer(tm->wmi), tm->models[0], year_of(at) - 3 - (int)fc_seed_below(&r, 10),
               20000 + 1000 * fc_seed_below(&r, 200));
    }
    char cid[FC_SEED_ID_LEN + 1], lid[FC_SEED_ID_LEN + 1];
    customer_id(g, c, cid);
    fc_seed_id(at, &r, lid);
    char ml[32], mo[32];
    fc_seed_ascii(make, 0, ml, sizeof ml);
    fc_seed_ascii(model, 0, mo, sizeof mo);
    snprintf(key, sizeof key, "%s|%s|%s|%s|%s", cid, sources[si], ml, mo, is_new ? "new" : "used");
    const char *message = fc_seed_chance(&r, 0.6) ? messages[fc_seed_below(&r, 5)] : NULL;
    /* Where it stands now: the older, the further along (or closed). */
    int64_t age_h = (g->now - at) / HOUR_MS;
    double s = fc_seed_unit(&r);
    const char *status;
    if (age_h < 24)
      status = s < 0.5 ? "new" : s < 0.9 ? "contacted" : "qualified";
    else if (age_h < 24 * 30)
      status = s < 0.05  ? "new"
               : s < 0.3 ? "contacted"
               : s < 0.5 ? "qualified"
               : s < 0.6 ? "test_drive"
               : s < 0.7 ? "offer"
               : s < 0.8 ? "won"
                         : "lost";
    else
      status = s < 0.01   ? "new"
               : s < 0.04 ? "contacted"
               : s < 0.06 ? "qualified"
               : s < 0.08 ? "offer"
               : s < 0.3  ? "won"
                          : "lost";
    int64_t first_response = -1, test_drive = -1, closed = -1;
    if (strcmp(status, "new") != 0) {
      /* Most answered within the hour, a tail much later. */
      double q = fc_seed_unit(&r);
      int64_t resp = q < 0.6   ? (int64_t)(fc_seed_unit(&r) * 60) * MINUTE_MS
                     : q < 0.9 ? (int64_t)(60 + fc_seed_unit(&r) * 480) * MINUTE_MS
                               : (int64_t)(8 + fc_seed_unit(&r) * 64) * HOUR_MS;
      first_response = at + resp + MINUTE_MS;
      if (first_response >= g->now) first_response = g->now - 1;
    }
    int past_td = !strcmp(status, "test_drive") || !strcmp(status, "offer") || !strcmp(status, "won");
    if (past_td && first_response > 0) {
      test_drive = first_response + (int64_t)(fc_seed_unit(&r) * 10 * DAY_MS);
      if (test_drive >= g->now) test_drive = g->now - 1;
    }
    if (!strcmp(status, "won") || !strcmp(status, "lost")) {
      closed = (first_response > 0 ? first_response : at) + (int64_t)(fc_seed_unit(&r) * 20 * DAY_MS);
      if (closed >= g->now) closed = g->now - 1;
    }
    int64_t updated = closed > 0           ? closed
                      : test_drive > 0     ? test_drive
                      : first_response > 0 ? first_response
                                           : at;
    const char *assigned = d->users[1 + fc_seed_below(&r, 3)];
    char msg_j[200] = "";
    if (message) jesc(message, msg_j, sizeof msg_j);
    snprintf(msg, sizeof msg, "%s", message ? message : "");
    fc_seed_row row;
    fc_seed_row_reset(&row);
    fc_seed_row_s(&row, d->id);
    fc_seed_row_s(&row, lid);
    fc_seed_row_s(&row, cid);
    fc_seed_row_s(&row, sources[si]);
    fc_seed_row_s(&row, channels[si]);
    fc_seed_row_s(&row, status);
    fc_seed_row_s(&row, !strcmp(status, "lost") ? reasons[fc_seed_below(&r, 5)] : NULL);
    fc_seed_row_s(&row, assigned);
    fc_seed_row_s(&row, is_new ? "new" : "used");
    fc_seed_row_s(&row, make);
    fc_seed_row_s(&row, model);
    fc_seed_row_s(&row, g->brand_ids[b]);
    fc_seed_row_s(&row, interest);
    fc_seed_row_s(&row, has_trade ? trade : NULL);
    fc_seed_row_s(&row, message ? msg : NULL);
    fc_seed_row_s(&row, key);
    fc_seed_row_i(&row, at);
    if (first_response > 0)
      fc_seed_row_i(&row, first_response);
    else
      fc_seed_row_null(&row);
    if (test_drive > 0)
      fc_seed_row_i(&row, test_drive);
    else
      fc_seed_row_null(&row);
    if (closed > 0)
      fc_seed_row_i(&row, closed);
    else
      fc_seed_row_null(&row);
    fc_seed_row_i(&row, 1 + (strcmp(status, "new") != 0) + (test_drive > 0) + (closed > 0));
    fc_seed_row_i(&row, updated);
    err = fc_seed_sink_put(g->k_leads, &row);
    snprintf(
        payload, sizeof payload,
        "{\"source\":\"%s\",\"channel\":\"%s\",\"vehicle_interest\":%s,\"trade_in\":%s,\"message\":%s%s%s,"
        "\"lead_id\":\"%s\",\"assigned_to\":\"%s\"}",
        sources[si], channels[si], interest, has_trade ? trade : "null", message ? "\"" : "",
        message ? msg_j : "null", message ? "\"" : "", lid, assigned);
    const char *evch = !strcmp(channels[si], "partner") ? "network" : channels[si];
    if (!err) err = put_event(g, &r, d->id, cid, "lead.received", evch, at, "system", payload);
    if ((l & 4095) == 0) progress(g, 0);
  }
  free(cum);
  return err;
}

/* --- the database around the load */

static int table_columns(gen *g, const char *table, char cols[][64], int max) {
  fc_stmt *st = NULL;
  int n = 0;
  fc_err err = g->dialect == FC_DIALECT_SQLITE
                   ? fc_db_query(g->db, &st, "SELECT name FROM pragma_table_info(?)", "s", table)
                   : fc_db_query(g->db, &st,
                                 "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                 "AND table_schema = current_schema()",
                                 "s", table);
  if (err) return -1;
  while (fc_stmt_step(st) == 1 && n < max)
    snprintf(cols[n++], 64, "%s", fc_col_text(st, 0));
  fc_stmt_done(st);
  return n;
}

static int64_t count_rows(gen *g, const char *table) {
  char sql[128];
  if (!fc_store_identifier_ok(table)) return -1; /* a name goes into the text: only plain words */
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
  fc_stmt *st = NULL;
  if (fc_db_query(g->db, &st, sql, "")) return -1;
  int64_t n = fc_stmt_step(st) == 1 ? fc_col_int(st, 0) : -1;
  fc_stmt_done(st);
  return n;
}

static const char *const lead_cols[] = {
    "dealer_id",  "id",          "customer_id",       "source",        "channel",
    "status",     "lost_reason", "assigned_to",       "condition",     "make",
    "model",      "brand_id",    "interest_json",     "trade_in_json", "message",
    "dedupe_key", "received_at", "first_response_at", "test_drive_at", "closed_at",
    "version",    "updated_at"};
enum { N_LEAD_COLS = sizeof lead_cols / sizeof lead_cols[0] };

/* 1 when a leads table with every column this generator fills exists. */
static int detect_leads(gen *g) {
  char cols[64][64];
  int n = table_columns(g, "leads", cols, 64);
  if (n <= 0) return 0;
  for (int i = 0; i < N_LEAD_COLS; i++) {
    int found = 0;
    for (int k = 0; k < n && !found; k++)
      found = !strcmp(cols[k], lead_cols[i]);
    if (!found) {
      fprintf(stderr, "seed: the leads table has no column %s; leads are skipped\n", lead_cols[i]);
      return 0;
    }
  }
  return 1;
}

/* The tables the load fills; their secondary indexes are dropped for the
 * load and rebuilt from their own definitions after it (a sorted build is
 * much faster than millions of inserts at random places). Constraint
 * indexes (primary keys, UNIQUE) stay. */
static const char *const bulk_tables[] = {"customers",    "vehicles",         "dealer_vehicles",
                                          "ownerships",   "consents",         "events",
                                          "appointments", "vehicle_readings", "leads"};

static fc_err drop_indexes(gen *g) {
  char in[512] = "";
  size_t o = 0;
  for (size_t i = 0; i < sizeof bulk_tables / sizeof bulk_tables[0]; i++)
    o += (size_t)snprintf(in + o, sizeof in - o, "%s'%s'", i ? ", " : "", bulk_tables[i]);
  char sql[1024];
  if (g->dialect == FC_DIALECT_SQLITE)
    snprintf(
        sql, sizeof sql,
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (%s) "
        "ORDER BY name",
        in);
  else
    snprintf(sql, sizeof sql,
             "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename "
             "IN (%s) "
             "AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname",
             in);
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(g->db, &st, sql, "");
  if (err) return err;
  while (fc_stmt_step(st) == 1 && g->nindexes < MAX_INDEXES) {
    g->index_name[g->nindexes] = strdup(fc_col_text(st, 0));
    g->index_sql[g->nindexes] = strdup(fc_col_text(st, 1));
    if (!g->index_name[g->nindexes] || !g->index_sql[g->nindexes]) err = FC_ENOMEM;
    g->nindexes++;
  }
  fc_stmt_done(st);
  for (int i = 0; i < g->nindexes && !err; i++) {
    snprintf(sql, sizeof sql, "DROP INDEX %s", g->index_name[i]);
    err = fc_db_exec(g->db, sql, "");
  }
  if (err || g->dialect != FC_DIALECT_SQLITE) return err;
  /* SQLite's full-text indexes (FTS5 over a content table, kept in step by
   * triggers) are rebuilt in one pass too: the triggers that feed them are
   * set aside for the load. */
  if ((err = fc_db_query(
           g->db, &st,
           "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%' "
           "ORDER BY name",
           "")))
    return err;
  while (fc_stmt_step(st) == 1 && g->nfts < MAX_INDEXES)
    g->fts_name[g->nfts++] = strdup(fc_col_text(st, 0));
  fc_stmt_done(st);
  for (int f = 0; f < g->nfts && !err; f++) {
    if (!g->fts_name[f]) return FC_ENOMEM;
    char like[160];
    snprintf(like, sizeof like, "%%INTO %s %%", g->fts_name[f]);
    if ((err = fc_db_query(g->db, &st,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE ?", "s",
                           like)))
      return err;
    while (fc_stmt_step(st) == 1 && g->ntriggers < MAX_INDEXES) {
      g->trigger_name[g->ntriggers] = strdup(fc_col_text(st, 0));
      g->trigger_sql[g->ntriggers] = strdup(fc_col_text(st, 1));
      if (!g->trigger_name[g->ntriggers] || !g->trigger_sql[g->ntriggers]) err = FC_ENOMEM;
      g->ntriggers++;
    }
    fc_stmt_done(st);
  }
  for (int i = 0; i < g->ntriggers && !err; i++) {
    snprintf(sql, sizeof sql, "DROP TRIGGER %s", g->trigger_name[i]);
    err = fc_db_exec(g->db, sql, "");
  }
  return err;
}

static fc_err rebuild_indexes(gen *g) {
  fc_err err = FC_OK;
  for (int i = 0; i < g->nfts && !err; i++) {
    char sql[300];
    if (!fc_store_identifier_ok(g->fts_name[i])) return FC_EINTERNAL; /* read from the schema; a plain word */
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES ('rebuild')", g->fts_name[i], g->fts_name[i]);
    err = fc_db_exec(g->db, sql, "");
  }
  for (int i = 0; i < g->ntriggers && !err; i++)
    err = fc_db_exec(g->db, g->trigger_sql[i], "");
  for (int i = 0; i < g->nindexes && !err; i++) {
    double t = now_s();
    err = fc_db_exec(g->db, g->index_sql[i], "");
    if (!err && !g->quiet && g->tty)
      fprintf(stderr, "\rindexes       %-40s %6.1f s", g->index_name[i], now_s() - t);
  }
  if (!g->quiet && g->tty) fputc('\n', stderr);
  return err;
}

static fc_err session_setup(gen *g) {
  fc_err err;
  if (g->dialect == FC_DIALECT_SQLITE) {
    /* For the load only: the rollback journal in memory instead of the WAL
     * (each page written once, no checkpoint copying), no syncs, a big cache.
     * A load that fails half-way leaves a database to delete, as it says. */
    char cache[64];
    snprintf(cache, sizeof cache, "PRAGMA cache_size=-%d", g->cache_mb * 1024);
    err = fc_db_exec(g->db, "PRAGMA journal_mode=MEMORY", "");
    if (!err) err = fc_db_exec(g->db, "PRAGMA synchronous=OFF", "");
    if (!err) err = fc_db_exec(g->db, cache, "");
    if (!err) err = fc_db_exec(g->db, "PRAGMA foreign_keys=OFF", "");
    if (!err) err = drop_indexes(g);
    return err;
  }
  err = fc_db_exec(g->db, "SET synchronous_commit = off", "");
  if (!err) err = fc_db_exec(g->db, "SET statement_timeout = 0", "");
  if (!err) err = fc_db_exec(g->db, "SET maintenance_work_mem = '512MB'", "");
  if (err) return err;
  fc_stmt *st = NULL;
  int super = 0;
  if (!fc_db_query(g->db, &st, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", "")) {
    if (fc_stmt_step(st) == 1) {
      const char *t = fc_col_text(st, 0);
      super = t && (t[0] == 't' || t[0] == '1');
    }
    fc_stmt_done(st);
  }
  /* Replica mode skips the foreign-key triggers (the generator keeps the keys). */
  if (super)
    err = fc_db_exec(g->db, "SET session_replication_role = replica", "");
  else if (!g->quiet)
    fputs("seed: not a superuser: foreign keys are checked row by row (slower)\n", stderr);
  if (!err) err = drop_indexes(g);
  return err;
}

static fc_err session_teardown(gen *g) {
  fc_err err = rebuild_indexes(g);
  if (err) return err;
  if (g->dialect == FC_DIALECT_SQLITE) {
    err = fc_db_exec(g->db, "PRAGMA foreign_keys=ON", "");
    if (!err) err = fc_db_exec(g->db, "PRAGMA journal_mode=WAL", "");
    if (!err) err = fc_db_exec(g->db, "PRAGMA synchronous=NORMAL", "");
    if (!err) err = fc_db_exec(g->db, "PRAGMA cache_size=-2000", "");
    return err;
  }
  return fc_db_exec(g->db, "SET session_replication_role = DEFAULT", "");
}

/* --- the command */

static const char usage[] =
    "Usage: forecourt seed --scale network|medium|small [--db PATH|postgres://…] [--seed N]\n"
    "                      [--today YYYY-MM-DD] [--rows-per-tx N] [--cache-mb N] [--quiet]\n"
    "\n"
    "Fills an empty database (migrated first) with a synthetic dealer network for\n"
    "benchmarks: 3 brands, dealers across Europe and Québec with workshops and staff,\n"
    "customers, vehicles with valid VINs, ownerships, consents, timeline events,\n"
    "appointments, vehicle readings and leads.\n"
    "\n"
    "  network  170 dealers, 2,000,000 customers, 2,500,000 vehicles, 10,000,000 events,\n"
    "           1,000,000 appointments, 500,000 leads\n"
    "  medium   170 dealers, a tenth of that\n"
    "  small    17 dealers, a hundredth of that (tests)\n"
    "\n"
    "  --db PATH|URL   SQLite file or postgres://… (FORECOURT_DB, default var/forecourt.db)\n"
    "  --seed N        the random seed (default 1); same seed and day, same data\n"
    "  --today DATE    the day the network's history ends (default: today, UTC)\n"
    "  --rows-per-tx N rows per transaction (default 200000)\n"
    "  --cache-mb N    SQLite page cache during the load, MiB (default 2048)\n"
    "\n"
    "Every account's password is " SEED_PASSWORD "; the accounts are printed at the end.\n";

static void free_gen(gen *g) {
  free(g->d);
  free(g->c_created);
  free(g->c_dealer);
  free(g->c_rank);
  free(g->by_dealer);
  free(g->c_vbase);
  free(g->c_nveh);
  free(g->c_filler);
  free(g->day_count);
  for (int i = 0; i < g->nindexes; i++)
    free(g->index_name[i]), free(g->index_sql[i]);
  for (int i = 0; i < g->nfts; i++)
    free(g->fts_name[i]);
  for (int i = 0; i < g->ntriggers; i++)
    free(g->trigger_name[i]), free(g->trigger_sql[i]);
}

static fc_err run(gen *g) {
  fc_err err;
  /* 1. The plan: who, how many, what the totals will be. */
  if (!(g->d = calloc((size_t)g->sc->dealers, sizeof *g->d))) return FC_ENOMEM;
  g->nd = g->sc->dealers;
  make_dealers(g);
  if ((err = plan_customers(g))) return err;
  if ((err = plan_diaries(g))) return err;
  g->leads_table = detect_leads(g);
  g->n_leads_planned = g->leads_table ? g->sc->leads : 0;
  g->n_prev = g->n_consents = 0;
  for (int64_t c = 0; c < g->nc; c++) {
    cflags f;
    customer_flags(g, c, &f);
    g->n_consents += f.ncons;
    for (int k = 0; k < g->c_nveh[c]; k++)
      g->n_prev += prev_owned(g, c, (int64_t)g->c_vbase[c] + k);
  }
  int64_t V = g->c_vbase[g->nc];
  int64_t structural =
      g->nc + V + g->n_prev + g->n_consents + g->n_appts + g->n_status + g->n_readings + g->n_leads_planned;
  g->n_filler = g->sc->events - structural;
  if (g->n_filler < 0) g->n_filler = 0;
  {
    /* Extra history per customer: most have a little, a few a lot. */
    double mean = (double)g->n_filler / (double)g->nc;
    int64_t sum = 0;
    for (int64_t c = 0; c < g->nc; c++) {
      fc_seed_rng r = fc_seed_rng_for(g->seed, S_FILLER, (uint64_t)c);
      double x = -log(1 - fc_seed_unit(&r)) * mean;
      g->c_filler[c] = (uint16_t)(x > 2000 ? 2000 : x);
      sum += g->c_filler[c];
    }
    fc_seed_rng r = fc_seed_rng_for(g->seed, S_ADJUST, 3);
    for (int64_t tries = 0; sum != g->n_filler && tries < 100 * (g->nc + 1000); tries++) {
      int64_t c = (int64_t)(fc_seed_next(&r) % (uint64_t)g->nc);
      if (sum < g->n_filler && g->c_filler[c] < 2000)
        g->c_filler[c]++, sum++;
      else if (sum > g->n_filler && g->c_filler[c] > 0)
        g->c_filler[c]--, sum--;
    }
    g->n_filler = sum;
  }
  /* brands, dealers, workshops, accounts, franchises; then the bulk */
  g->total_rows = 3 + 2 * g->nd + 4 + (int64_t)g->nd * USERS_PER_DEALER;
  for (int j = 0; j < g->nd; j++)
    g->total_rows += g->d[j].nbrands;
  g->total_rows += g->nc + 3 * V + g->n_prev + g->n_consents + g->n_appts + g->n_readings +
                   g->n_leads_planned + structural + g->n_filler;
  if (!g->quiet)
    fprintf(stderr,
            "seed: scale %s, seed %llu, history up to %s: %d dealers, %lld customers, %lld vehicles, %lld "
            "events, "
            "%lld appointments, %lld leads%s\n",
            g->sc->name, (unsigned long long)g->seed, g->today, g->nd, (long long)g->nc, (long long)V,
            (long long)(structural + g->n_filler), (long long)g->n_appts, (long long)g->n_leads_planned,
            g->leads_table ? "" : " (no leads table: skipped)");

  /* 2. The load. */
  if ((err = session_setup(g))) return err;
  if ((err = fc_password_hash(SEED_PASSWORD, g->pwhash))) return err;
  if ((err = fc_seed_loader_new(g->db, g->dialect, g->rows_per_tx, &g->loader))) return err;
  static const char *const vcols[] = {"id",         "vin",        "plate",      "plate_compact",
                                      "make",       "model",      "model_year", "warranty_end",
                                      "mileage_km", "mileage_at", "created_at", "updated_at"};
  /* rowid: SQLite only, where the row id places the customer (0008) */
  static const char *const ccols[] = {"rowid",      "id",           "dealer_id",     "kind",          "name",
                                      "first_name", "last_name",    "company_name",  "vat_number",
                                      "email",      "email_folded", "phone",         "phone_e164",
                                      "language",   "address_json", "contacts_json", "notes",
                                      "search_doc", "created_at",   "updated_at"};
  static const char *const dvcols[] = {"dealer_id", "vehicle_id", "created_at"};
  static const char *const ocols[] = {"dealer_id", "id", "vehicle_id", "customer_id", "since", "until"};
  static const char *const kcols[] = {"dealer_id", "id",     "customer_id", "channel", "granted",
                                      "at",        "source", "actor_id",    "note"};
  static const char *const ecols[] = {"dealer_id", "id",       "customer_id", "type",         "channel",
                                      "at",        "actor_id", "actor_kind",  "payload_json", "created_at"};
  static const char *const acols[] = {
      "dealer_id",     "id",       "reference",  "manage_hash", "customer_id", "vehicle_id", "resource_id",
      "services_json", "start_at", "end_at",     "status",      "channel",     "language",   "notes",
      "mileage_km",    "sequence", "created_at", "updated_at"};
  static const char *const rcols[] = {"dealer_id",        "id",         "vehicle_id", "at",
                                      "source",           "mileage_km", "correction", "fault_codes_json",
                                      "software_version", "actor_id"};
  if ((err = fc_seed_sink_new(g->loader, "vehicles", vcols, 12, &g->k_vehicles)) ||
      (err = g->dialect == FC_DIALECT_SQLITE
                 ? fc_seed_sink_new(g->loader, "customers", ccols, 20, &g->k_customers)
                 : fc_seed_sink_new(g->loader, "customers", ccols + 1, 19, &g->k_customers)) ||
      (err = fc_seed_sink_new(g->loader, "dealer_vehicles", dvcols, 3, &g->k_dealer_vehicles)) ||
      (err = fc_seed_sink_new(g->loader, "ownerships", ocols, 6, &g->k_ownerships)) ||
      (err = fc_seed_sink_new(g->loader, "consents", kcols, 9, &g->k_consents)) ||
      (err = fc_seed_sink_new(g->loader, "events", ecols, 10, &g->k_events)) ||
      (err = fc_seed_sink_new(g->loader, "appointments", acols, 18, &g->k_appts)) ||
      (err = fc_seed_sink_new(g->loader, "vehicle_readings", rcols, 10, &g->k_readings)))
    return err;
  if (g->leads_table && (err = fc_seed_sink_new(g->loader, "leads", lead_cols, N_LEAD_COLS, &g->k_leads)))
    return err;
  g->t0 = now_s();
  g->phase = "organisation";
  if ((err = write_org(g))) return err;
  double t_phase[4];
  t_phase[0] = now_s();
  g->phase = "customers";
  for (int64_t c = 0; c < g->nc && !err; c++) {
    err = write_customer(g, c);
    if ((c & 1023) == 0) progress(g, 0);
  }
  if (err) return err;
  t_phase[1] = now_s();
  g->phase = "appointments";
  if ((err = write_diaries(g))) return err;
  t_phase[2] = now_s();
  if (g->leads_table) {
    g->phase = "leads";
    if ((err = write_leads(g))) return err;
  }
  t_phase[3] = now_s();
  snprintf(g->timings, sizeof g->timings,
           "customers with vehicles and timelines %.1f s, diaries %.1f s, leads %.1f s",
           t_phase[1] - t_phase[0], t_phase[2] - t_phase[1], t_phase[3] - t_phase[2]);
  g->phase = "indexes";
  progress(g, 1);
  if (!g->quiet && !g->tty) fputc('\n', stderr);
  if (!err) err = fc_seed_loader_finish(g->loader);
  double t = now_s();
  if (!err) err = session_teardown(g);
  /* A car's mileage is its latest reading (readings_vehicle serves the lookups). */
  if (!err)
    err =
        fc_db_exec(g->db,
                   "UPDATE vehicles SET mileage_km = (SELECT r.mileage_km FROM vehicle_readings r "
                   "WHERE r.vehicle_id = vehicles.id ORDER BY r.at DESC, r.id DESC LIMIT 1), "
                   "mileage_at = (SELECT MAX(r.at) FROM vehicle_readings r WHERE r.vehicle_id = vehicles.id) "
                   "WHERE id IN (SELECT vehicle_id FROM vehicle_readings)",
                   "");
  /* PostgreSQL: the visibility map and planner statistics a settled database
   * has (autovacuum would see to both soon after such a load). */
  if (!err && g->dialect == FC_DIALECT_POSTGRES) err = fc_db_exec(g->db, "VACUUM (ANALYZE)", "");
  if (!err && !g->quiet)
    fprintf(stderr, "%s; indexes rebuilt, mileage updated%s in %.1f s\n", g->timings,
            g->dialect == FC_DIALECT_POSTGRES ? ", vacuumed and analysed" : "", now_s() - t);
  return err;
}

int fc_seed_main(int argc, char **argv) {
  const char *scale_name = NULL, *db = getenv("FORECOURT_DB"), *today = NULL;
  unsigned long long seed = 1;
  int quiet = 0, rows_per_tx = 200000, cache_mb = 2048;
  if (!db || !*db) db = "var/forecourt.db";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    }
    if (!strcmp(a, "--quiet")) {
      quiet = 1;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "forecourt seed: %s needs a value (or is unknown)\n\n%s", a, usage);
      return 2;
    }
    const char *v = argv[++i];
    char *end = NULL;
    if (!strcmp(a, "--scale"))
      scale_name = v;
    else if (!strcmp(a, "--db"))
      db = v;
    else if (!strcmp(a, "--today"))
      today = v;
    else if (!strcmp(a, "--seed")) {
      seed = strtoull(v, &end, 10);
      if (!*v || *end) {
        fprintf(stderr, "forecourt seed: --seed takes a whole number\n");
        return 2;
      }
    } else if (!strcmp(a, "--cache-mb")) {
      cache_mb = (int)strtol(v, &end, 10);
      if (!*v || *end || cache_mb < 2 || cache_mb > 1 << 20) {
        fprintf(stderr, "forecourt seed: --cache-mb takes a number of MiB\n");
        return 2;
      }
    } else if (!strcmp(a, "--rows-per-tx")) {
      rows_per_tx = (int)strtol(v, &end, 10);
      if (!*v || *end || rows_per_tx < 1 || rows_per_tx > 10000000) {
        fprintf(stderr, "forecourt seed: --rows-per-tx takes a number from 1 to 10000000\n");
        return 2;
      }
    } else {
      fprintf(stderr, "forecourt seed: unknown option %s\n\n%s", a, usage);
      return 2;
    }
  }
  gen g;
  memset(&g, 0, sizeof g);
  for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
    if (scale_name && !strcmp(scale_name, scales[i].name)) g.sc = &scales[i];
  if (!g.sc) {
    fprintf(stderr, "forecourt seed: --scale must be network, medium or small\n\n%s", usage);
    return 2;
  }
  g.seed = seed;
  g.quiet = quiet;
  g.rows_per_tx = rows_per_tx;
  g.cache_mb = cache_mb;
  g.tty = isatty(2);
  if (today) {
    int y, m, d, n = 0;
    if (sscanf(today, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || today[n] || !fc_tz_date_valid(y, m, d)) {
      fprintf(stderr, "forecourt seed: --today takes YYYY-MM-DD\n");
      return 2;
    }
    g.today_dn = fc_tz_day_number(y, m, d);
  } else {
    g.today_dn = (int64_t)time(NULL) / 86400;
  }
  g.now = day_ms(g.today_dn) + 12 * (int64_t)HOUR_MS;
  {
    int y, m, d;
    fc_tz_day_date(g.today_dn, &y, &m, &d, NULL);
    snprintf(g.today, sizeof g.today, "%04d-%02d-%02d", y, m, d);
  }
  g.history_start = g.now - (int64_t)HISTORY_DAYS * DAY_MS;
  fc_log_set_level("warn");
  if (fc_crypto_init() != 0) {
    fputs("forecourt seed: libsodium failed to initialise\n", stderr);
    return 1;
  }
  fc_store *store = NULL;
  int rc = 1;
  double t0 = now_s();
  if (fc_store_open(db, &store) != FC_OK) {
    fprintf(stderr, "forecourt seed: cannot open database %s\n", db);
    return 1;
  }
  int applied = 0;
  if (fc_store_migrate(store, &applied) != FC_OK || fc_store_db(store, &g.db) != FC_OK) {
    fprintf(stderr, "forecourt seed: migrations failed on %s\n", db);
    goto out;
  }
  g.dialect = fc_store_dialect(store);
  static const char *const must_be_empty[] = {"brands", "dealers", "users", "customers", "vehicles"};
  for (size_t i = 0; i < 5; i++) {
    int64_t n = count_rows(&g, must_be_empty[i]);
    if (n != 0) {
      fprintf(stderr, "forecourt seed: %s is not empty (%s has %lld rows); seed fills a new database only\n",
              db, must_be_empty[i], (long long)n);
      goto out;
    }
  }
  fc_err err = run(&g);
  fc_seed_loader_free(g.loader);
  g.loader = NULL;
  if (err) {
    fprintf(stderr, "\nforecourt seed: failed (%s); the database is incomplete: delete it and start again\n",
            fc_err_name(err));
    goto out;
  }
  double el = now_s() - t0;
  if (!quiet) {
    fprintf(stderr, "\n");
    static const char *const tables[] = {"brands",           "dealers",   "dealer_brands", "users",
                                         "workshops",        "customers", "vehicles",      "dealer_vehicles",
                                         "ownerships",       "consents",  "events",        "appointments",
                                         "vehicle_readings", "leads"};
    int64_t total = 0;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
      if (i == 13 && !g.leads_table) continue;
      int64_t n = count_rows(&g, tables[i]);
      total += n > 0 ? n : 0;
      printf("  %-17s %12lld\n", tables[i], (long long)n);
    }
    printf("seeded %lld rows in %.1f s (%.0f rows/s) into %s%s\n", (long long)total, el, (double)total / el,
           db, g.phone_failures ? " (some phone numbers did not normalise)" : "");
    printf("logins (password %s): admin@network.test (admin), hq@aurora.test hq@borealis.test hq@cirrus.test "
           "(brand_manager), and per dealer <role>@<dealer slug>.test with role admin, sales1-3, service1-2, "
           "tech1-2; e.g. sales1@%s.test\n",
           SEED_PASSWORD, g.d[0].slug);
  }
  rc = 0;
out:
  free_gen(&g);
  fc_store_close(store);
  return rc;
}
