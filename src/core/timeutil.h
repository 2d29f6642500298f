/* Wall-clock time as milliseconds since the epoch (UTC), and RFC 3339. */
#ifndef FC_CORE_TIMEUTIL_H
#define FC_CORE_TIMEUTIL_H
#include <stddef.h>
#include <stdint.h>

int64_t fc_time_now_ms(void);
double fc_time_mono_s(void); /* monotonic seconds, for durations */

/* Writes "2026-11-22T17:04:11Z" (or with .mmm when ms is not whole) into buf. */
void fc_time_format(int64_t ms, char *buf, size_t cap);

/* Parses RFC 3339 with Z or an offset; returns 0 and sets *ms, or -1. */
int fc_time_parse(const char *s, int64_t *ms);

#endif
