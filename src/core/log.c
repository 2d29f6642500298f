#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/log.h"
#include "core/timeutil.h"

static fc_log_level min_level = FC_LOG_INFO; /* set once at start-up */
static const char *names[] = {"debug", "info", "warn", "error"};

int fc_log_set_level(const char *name) {
  for (int i = 0; i < 4; i++)
    if (strcmp(name, names[i]) == 0) {
      min_level = (fc_log_level)i;
      return 0;
    }
  return -1;
}

int fc_log_enabled(fc_log_level lvl) { return lvl >= min_level; }

void fc_log(fc_log_level lvl, const char *msg, json_t *fields) {
  if (!fc_log_enabled(lvl)) {
    json_decref(fields);
    return;
  }
  char ts[40];
  fc_time_format(fc_time_now_ms(), ts, sizeof ts);
  json_t *o = json_pack("{ssssss}", "ts", ts, "level", names[lvl], "msg", msg);
  if (o && fields) json_object_update(o, fields);
  json_decref(fields);
  if (!o) return;
  char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (line) {
    fprintf(stderr, "%s\n", line); /* one write per line under stdio's lock */
    free(line);
  }
  json_decref(o);
}

void fc_logf(fc_log_level lvl, const char *fmt, ...) {
  if (!fc_log_enabled(lvl)) return;
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fc_log(lvl, buf, NULL);
}
