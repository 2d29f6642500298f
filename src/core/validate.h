/* Shapes of identifiers the API accepts: slugs, locales, IANA zones, e-mail. */
#ifndef FC_CORE_VALIDATE_H
#define FC_CORE_VALIDATE_H
#include <stddef.h>

int fc_valid_slug(const char *s);     /* [a-z0-9][a-z0-9-]{0,62} */
int fc_valid_locale(const char *s);   /* en, fr, nl, fr-CA, ... */
int fc_valid_timezone(const char *s); /* a zone the system's zoneinfo knows */
int fc_valid_email(const char *s);    /* one @, a dot in the domain, no spaces, <= 254 */
/* Lower-cases ASCII letters of an e-mail into out (cap bytes). */
void fc_email_fold(const char *s, char *out, size_t cap);

/* The country (ISO 3166-1 alpha-2) of an IANA zone from the system's
 * zone.tab, following tzdata.zi's links ("America/Montreal" -> Toronto -> CA).
 * Writes "" when unknown. Reads two small files: not for hot paths. */
void fc_tz_country(const char *zone, char out[3]);
/* 1 for two upper-case ASCII letters. */
int fc_valid_country(const char *s);

#endif
