/* Private to src/seed: the built-in word lists, the deterministic generators
 * (random numbers, ids, VINs, plates, phone numbers) and the bulk row sink.
 *
 * Everything the generator produces comes from a counter-based random
 * stream: fc_seed_rng(seed, stream, index) gives the same numbers for the
 * same three values whatever order the rows are produced in, so one entity
 * (a customer, a vehicle, a dealer's day) can be recomputed anywhere and the
 * whole data set is a pure function of --seed and the anchor day. */
#ifndef FC_SEED_INTERNAL_H
#define FC_SEED_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "store/store.h"

/* --- random numbers (splitmix64; not for secrets) */

typedef struct fc_seed_rng {
  uint64_t s;
} fc_seed_rng;

static inline uint64_t fc_seed_mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* The stream for entity `index` of kind `stream`. */
static inline fc_seed_rng fc_seed_rng_for(uint64_t seed, uint32_t stream, uint64_t index) {
  fc_seed_rng r = {fc_seed_mix(fc_seed_mix(seed) ^ fc_seed_mix(((uint64_t)stream << 40) ^ index))};
  return r;
}

static inline uint64_t fc_seed_next(fc_seed_rng *r) {
  r->s += 0x9e3779b97f4a7c15ULL;
  uint64_t z = r->s;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Uniform in [0, n) (n > 0). */
static inline uint32_t fc_seed_below(fc_seed_rng *r, uint32_t n) {
  return (uint32_t)(((fc_seed_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static inline double fc_seed_unit(fc_seed_rng *r) { return (double)(fc_seed_next(r) >> 11) * 0x1.0p-53; }

/* 1 with probability p. */
static inline int fc_seed_chance(fc_seed_rng *r, double p) { return fc_seed_unit(r) < p; }

/* --- the word lists (data.c) */

typedef struct fc_seed_list {
  const char *const *items;
  int n;
} fc_seed_list;

/* A people's names, language, mail providers and streets. */
typedef struct fc_seed_nameset {
  const char *code; /* "fr", "nl-be", "de", ... */
  const char *lang; /* customers.language */
  const char *cc;   /* the country whose phone numbers such people carry when foreign */
  fc_seed_list first, last, domains, streets;
  const char *company_suffix; /* "SARL", "B.V.", ... */
  const char *vat_prefix;     /* "FR", "NL", ... */
} fc_seed_nameset;

typedef struct fc_seed_city {
  const char *name, *cc, *tz, *locale;
  const char *postal; /* a postal code of the city, as written there */
  const char *plate;  /* German-style district code where plates have one, else NULL */
} fc_seed_city;

typedef struct fc_seed_model {
  const char *wmi;       /* a WMI listed in src/vehicles/wmi.c */
  const char *models[6]; /* NULL-terminated */
  int weight;
} fc_seed_model;

extern const fc_seed_nameset fc_seed_namesets[];
extern const int fc_seed_n_namesets;
extern const fc_seed_city fc_seed_cities[];
extern const int fc_seed_n_cities;
extern const fc_seed_model fc_seed_models[];
extern const int fc_seed_n_models;

/* The name set people of a country (and, for bilingual ones, a locale) carry. */
int fc_seed_nameset_for(const char *cc, const char *locale);

/* --- generators (gen.c); out buffers are NUL-terminated */

enum { FC_SEED_ID_LEN = 26 };

/* A time-ordered id for instant ms, its 80 random bits drawn from r: the
 * format of core/id.h (Crockford base32, 48 bits of milliseconds first). */
void fc_seed_id(int64_t ms, fc_seed_rng *r, char out[FC_SEED_ID_LEN + 1]);

/* A valid 17-character VIN: wmi, a descriptor, the ISO 3779 check digit,
 * the model-year code and a serial unique to `unique` (0 <= unique < 10^7). */
void fc_seed_vin(const char *wmi, const char vds[6], int model_year, uint32_t unique, char out[18]);

/* The model-year code of position 10 (1980..2039). */
char fc_seed_year_code(int year);

/* A number plate as written in country cc (borrowed); city may give a district code. */
void fc_seed_plate(fc_seed_rng *r, const char *cc, const fc_seed_city *city, char *out, size_t cap);

/* A phone number as a person types it: national format for someone at home
 * (cc == the dealer's country), international ("+49 …") otherwise. */
void fc_seed_phone(fc_seed_rng *r, const char *cc, int international, char *out, size_t cap);

/* ASCII for slugs and e-mail local parts: folded, letters outside ASCII
 * transliterated or dropped, anything else becomes sep (0: dropped). */
void fc_seed_ascii(const char *s, char sep, char *out, size_t cap);

/* --- bulk loading (sink.c) */

enum { FC_SEED_MAX_COLS = 32 };

/* A row under construction: values as text (NULL = SQL NULL); numbers are
 * written in decimal and marked so that a JSON batch writes them bare. */
typedef struct fc_seed_row {
  const char *v[FC_SEED_MAX_COLS];
  char num[FC_SEED_MAX_COLS][24];
  unsigned char is_num[FC_SEED_MAX_COLS];
  int n;
} fc_seed_row;

static inline void fc_seed_row_reset(fc_seed_row *r) { r->n = 0; }
void fc_seed_row_s(fc_seed_row *r, const char *s);
void fc_seed_row_i(fc_seed_row *r, int64_t i);
void fc_seed_row_null(fc_seed_row *r);

typedef struct fc_seed_loader fc_seed_loader;
typedef struct fc_seed_sink fc_seed_sink;

/* A loader owns the connection's bulk transaction: it commits every
 * rows_per_tx rows (all sinks flushed first) and reports progress. */
fc_err fc_seed_loader_new(fc_db *db, fc_dialect d, int rows_per_tx, fc_seed_loader **out) FC_MUST_CHECK;
/* Flushes, commits and frees. Returns the first error seen. */
fc_err fc_seed_loader_finish(fc_seed_loader *l) FC_MUST_CHECK;
void fc_seed_loader_free(fc_seed_loader *l);
/* Rows written since the loader was made. */
int64_t fc_seed_loader_rows(const fc_seed_loader *l);

/* A sink inserts rows into table (borrowed names, live as long as the
 * loader): SQLite binds each row to one prepared INSERT; PostgreSQL sends
 * batches of rows as one JSON document to one prepared
 * INSERT … SELECT … FROM json_populate_recordset. */
fc_err fc_seed_sink_new(fc_seed_loader *l, const char *table, const char *const *cols, int ncols,
                        fc_seed_sink **out) FC_MUST_CHECK;
fc_err fc_seed_sink_put(fc_seed_sink *k, const fc_seed_row *r) FC_MUST_CHECK;
int64_t fc_seed_sink_count(const fc_seed_sink *k);

#endif
