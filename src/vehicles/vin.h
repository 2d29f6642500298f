/* Vehicle identification numbers (ISO 3779, 49 CFR 565): normalisation, the
 * check digit, the model year and the manufacturer behind the WMI.
 *
 * Everything here is pure: no I/O, no allocation, no mutable state, so every
 * function is thread-safe. Every string a result points to is static and
 * lives as long as the program. See docs/vin.md for the rules. */
#ifndef FC_VEHICLES_VIN_H
#define FC_VEHICLES_VIN_H
#include <stddef.h>

typedef enum { FC_VIN_CHECK_OK, FC_VIN_CHECK_BAD, FC_VIN_CHECK_NA } fc_vin_check;
enum { FC_VIN_MAX_YEARS = 4, FC_VIN_MAX_ERRORS = 4 };

typedef struct fc_vin_info {
  /* Normalised: upper-case, surrounding blanks and inner spaces/dashes
   * removed. "" if unusable (NULL input, longer than 17 characters, or a
   * character that is not an ASCII letter or digit). */
  char vin[18];
  /* 1 when the length is 17, the alphabet is ok, the check digit is not
   * 'bad' and, for a North-American VIN (first character 1-5), position 10
   * is a model-year code (49 CFR 565 makes both mandatory there). */
  int valid;
  /* ok: position 9 matches ISO 3779 / 49 CFR 565; bad: it does not and the
   * VIN is North-American (first character 1-5), where it is mandatory; n/a
   * otherwise (also when the VIN is not syntactically valid). */
  fc_vin_check check;
  /* The fields below are filled only for a syntactically valid VIN
   * (fc_vin_syntax_ok on vin); otherwise they are "", NULL or 0. */
  char wmi[4];              /* first 3 characters, or "" */
  const char *manufacturer; /* static string, NULL if unknown */
  /* "Africa", "Asia", "Europe", "North America", "Oceania", "South America",
   * NULL if not decodable. */
  const char *region;
  const char *country; /* static, e.g. "Germany", NULL if unknown */
  /* Candidate years from position 10, newest first, none later than
   * max_year; for a North-American VIN the one position 7 picks comes first. */
  int model_years[FC_VIN_MAX_YEARS];
  int n_model_years;
  /* The year to assume when nobody says otherwise: the only candidate, or for
   * a North-American VIN the one position 7 picks (exact for passenger
   * vehicles); 0 when it cannot be told. Always one of model_years. */
  int model_year;
  /* Static codes, in this order: "length", "alphabet" (I, O, Q or
   * non-alphanumeric), "check_digit", "model_year_code". */
  const char *errors[FC_VIN_MAX_ERRORS];
  int n_errors;
} fc_vin_info;

/* "ok", "bad", "n/a" (also for a value outside the enum). */
const char *fc_vin_check_name(fc_vin_check c);

/* Decodes input (borrowed; any case, may contain spaces or dashes, which are
 * dropped; NULL is treated as ""). max_year bounds the model-year candidates:
 * callers pass the current year + 1; values above 2099 count as 2099 (four
 * 30-year cycles from 1980 fill the candidate list). out (borrowed, not NULL)
 * is overwritten entirely. Never fails: problems are reported in out->errors. */
void fc_vin_decode(const char *input, int max_year, fc_vin_info *out);

/* 1 when s (borrowed, already normalised, may be NULL) is a syntactically
 * valid VIN: exactly 17 characters from 0-9 and A-Z without I, O and Q. */
int fc_vin_syntax_ok(const char *s);

/* Manufacturer for the WMI in the first 3 characters of wmi (borrowed,
 * upper-case, may be NULL or shorter): the exact 3-character entry, else the
 * 2-character entry for makers that own a whole prefix (e.g. "JT" Toyota),
 * else NULL. Static result. */
const char *fc_vin_manufacturer(const char *wmi);

/* Country and region of a VIN prefix (borrowed, first 2 characters used, may
 * be NULL or shorter). Static results, NULL when not decodable. The region
 * comes from the first character (A-H Africa, J-R Asia, S-Z Europe, 1-5 North
 * America, 6-7 Oceania, 8-9 South America) except for ranges re-allocated
 * since (7F-70: United States). */
const char *fc_vin_country(const char *prefix);
const char *fc_vin_region(const char *prefix);

/* Enumerates the WMI table: entry i (3-character entries in ascending order,
 * then 2-character ones in ascending order). Returns 1 and sets *code and
 * *manufacturer (static) when i is in range, else 0. For tests and tools. */
int fc_vin_wmi_at(size_t i, const char **code, const char **manufacturer);

#endif
