/* Structured logging: one JSON object per line on stderr.
 * The level is fixed at start-up (configuration, not mutable state). */
#ifndef FC_CORE_LOG_H
#define FC_CORE_LOG_H
#include <jansson.h>

typedef enum { FC_LOG_DEBUG, FC_LOG_INFO, FC_LOG_WARN, FC_LOG_ERROR } fc_log_level;

/* Sets the minimum level; returns -1 for an unknown name ("debug", "info", "warn", "error"). */
int fc_log_set_level(const char *name);
int fc_log_enabled(fc_log_level lvl);

/* Logs msg with optional extra fields (taken: fields is decref'd; may be NULL). */
void fc_log(fc_log_level lvl, const char *msg, json_t *fields);
void fc_logf(fc_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
