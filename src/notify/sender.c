/* The outbox sender thread; the contract is in sender.h.
 *
 * A round: peek (a cheap read, no lock) whether anything is due; if so,
 * claim a batch in one write transaction; then, outside transactions, for
 * each message re-check and extend the claim, send, and record the outcome.
 * The peek keeps an idle instance from taking the write lock every second.
 * The thread owns its own connection (fc_store_db on this thread). */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/id.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "notify/sender.h"

enum { MARK_TRIES = 5, MARK_RETRY_MS = 200, ERR_CAP = 512 };

struct fc_sender {
  fc_store *store;
  fc_smtp_config cfg; /* strings owned */
  fc_sender_opts opt;
  char id[FC_ID_LEN + 1];
  char claim_sql[512];
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int woken, stopping; /* under lock */
};

typedef struct msg {
  char *id, *to, *subject, *text, *ics;
  int64_t attempts;
} msg;

static int is_stopping(fc_sender *s) {
  pthread_mutex_lock(&s->lock);
  int v = s->stopping;
  pthread_mutex_unlock(&s->lock);
  return v;
}

/* Waits up to ms, or until woken or stopping. */
static void wait_for(fc_sender *s, int ms) {
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += ms / 1000;
  until.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&s->lock);
  while (!s->woken && !s->stopping)
    if (pthread_cond_timedwait(&s->cond, &s->lock, &until) != 0) break;
  s->woken = 0;
  pthread_mutex_unlock(&s->lock);
}

static void msg_free(msg *m) {
  free(m->id);
  free(m->to);
  free(m->subject);
  free(m->text);
  free(m->ics);
  memset(m, 0, sizeof *m);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* 1 when some message is due and unclaimed; a read, without locks. */
static int anything_due(fc_db *db, int64_t now) {
  fc_stmt *st = NULL;
  if (fc_db_query(db, &st,
                  "SELECT 1 FROM outbox WHERE status = 'pending' AND due_at <= ? "
                  "AND (claimed_until IS NULL OR claimed_until < ?) LIMIT 1",
                  "ii", now, now))
    return -1;
  int rc = fc_stmt_step(st);
  fc_stmt_done(st);
  return rc;
}

/* Claims up to opt.batch due messages into out (*n of them). */
static fc_err claim(fc_sender *s, fc_db *db, msg *out, int *n) {
  *n = 0;
  int64_t now = fc_time_now_ms();
  fc_err err = fc_db_begin(db);
  if (err) return err;
  fc_stmt *st = NULL;
  err = fc_db_query(db, &st, s->claim_sql, "iii", now, now, (int64_t)s->opt.batch);
  if (err) goto fail;
  int rc = 0;
  while (*n < s->opt.batch && (rc = fc_stmt_step(st)) == 1) {
    msg *m = &out[*n];
    m->id = dup_or_null(fc_col_text(st, 0));
    m->to = dup_or_null(fc_col_text(st, 1));
    m->subject = dup_or_null(fc_col_text(st, 2));
    m->text = dup_or_null(fc_col_text(st, 3));
    m->ics = dup_or_null(fc_col_text(st, 4));
    m->attempts = fc_col_int(st, 5);
    (*n)++;
    if (!m->id || !m->to || !m->subject || !m->text || (!m->ics && !fc_col_null(st, 4))) {
      err = FC_ENOMEM;
      break;
    }
  }
  if (!err && rc < 0) err = FC_EDB;
  fc_stmt_done(st);
  for (int i = 0; !err && i < *n; i++)
    err = fc_db_exec(db, "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?", "sis", s->id,
                     now + s->opt.claim_ms, out[i].id);
  if (err) goto fail;
  err = fc_db_commit(db);
  if (err) goto release;
  return FC_OK;
fail:
  fc_db_rollback(db);
release:
  for (int i = 0; i < *n; i++)
    msg_free(&out[i]);
  *n = 0;
  return err;
}

static int64_t backoff_ms(const fc_sender *s, int64_t failures_before) {
  int64_t d = s->opt.base_ms;
  for (int64_t i = 0; i < failures_before && d < s->opt.max_delay_ms; i++)
    d *= 2;
  return d < s->opt.max_delay_ms ? d : s->opt.max_delay_ms;
}

/* Sleeps between attempts to record an outcome: a message the server
 * accepted should not be sent again because the database had a busy moment. */
static void pause_before_retry(int attempt, fc_err err) {
  fc_logf(FC_LOG_WARN, "outbox: cannot record an outcome (%s), retrying", fc_err_name(err));
  struct timespec ts = {0, (long)MARK_RETRY_MS * 1000000L * (attempt + 1)};
  nanosleep(&ts, NULL);
}

/* Both return the rows changed (1, or 0 when the claim was lost), or -1. */
static int64_t mark_sent(fc_sender *s, fc_db *db, const msg *m, int64_t attempt) {
  for (int i = 0; i < MARK_TRIES; i++) {
    fc_err err =
        fc_db_exec(db,
                   "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = ?, claimed_until = NULL, "
                   "last_error = NULL WHERE id = ? AND claimed_by = ?",
                   "iiss", fc_time_now_ms(), attempt, m->id, s->id);
    if (!err) return fc_db_changes(db);
    if (i + 1 < MARK_TRIES) pause_before_retry(i, err);
  }
  return -1;
}

static int64_t mark_failed(fc_sender *s, fc_db *db, const msg *m, int64_t attempt, int final, int64_t due,
                           const char *why) {
  for (int i = 0; i < MARK_TRIES; i++) {
    fc_err err = fc_db_exec(db,
                            "UPDATE outbox SET status = ?, attempts = ?, due_at = ?, last_error = ?, "
                            "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?",
                            "siisss", final ? "failed" : "pending", attempt, due, why, m->id, s->id);
    if (!err) return fc_db_changes(db);
    if (i + 1 < MARK_TRIES) pause_before_retry(i, err);
  }
  return -1;
}

static void log_msg(fc_log_level lvl, const char *text, const msg *m, int64_t attempt, const char *err) {
  json_t *f = json_pack("{sssI}", "outbox_id", m->id, "attempt", (json_int_t)attempt);
  if (f && err) json_object_set_new(f, "error", json_string(err));
  fc_log(lvl, text, f);
}

static void deliver(fc_sender *s, fc_db *db, msg *m) {
  int64_t now = fc_time_now_ms();
  /* Still ours and still pending? Extending the claim also gives the send
   * its whole claim period. */
  fc_err err = fc_db_exec(db,
                          "UPDATE outbox SET claimed_until = ? "
                          "WHERE id = ? AND claimed_by = ? AND status = 'pending'",
                          "iss", now + s->opt.claim_ms, m->id, s->id);
  if (err) return; /* the claim expires; another round retries */
  if (fc_db_changes(db) != 1) {
    log_msg(FC_LOG_DEBUG, "outbox: message cancelled or taken over before sending", m, m->attempts, NULL);
    return;
  }
  char why[ERR_CAP] = "";
  int64_t attempt = m->attempts + 1;
  if (fc_smtp_send(&s->cfg, m->id, m->to, m->subject, m->text, m->ics, why, sizeof why) == 0) {
    if (mark_sent(s, db, m, attempt) == 1)
      log_msg(FC_LOG_INFO, "outbox: message sent", m, attempt, NULL);
    else
      log_msg(FC_LOG_ERROR, "outbox: message sent but not recorded; it may be sent once more", m, attempt,
              NULL);
    return;
  }
  int final = attempt >= s->opt.max_attempts;
  int64_t due = fc_time_now_ms() + backoff_ms(s, m->attempts);
  if (mark_failed(s, db, m, attempt, final, due, why) != 1)
    log_msg(FC_LOG_ERROR, "outbox: failed attempt not recorded; the claim expires and it is retried", m,
            attempt, why);
  else
    log_msg(final ? FC_LOG_ERROR : FC_LOG_WARN,
            final ? "outbox: message failed for good after the last attempt"
                  : "outbox: sending failed, will retry",
            m, attempt, why);
}

/* Gives a claimed message back (stopping): the next round anywhere takes it. */
static void release(fc_sender *s, fc_db *db, const msg *m) {
  fc_err err = fc_db_exec(db,
                          "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL "
                          "WHERE id = ? AND claimed_by = ?",
                          "ss", m->id, s->id);
  if (err)
    fc_logf(FC_LOG_WARN, "outbox: cannot release a claim (%s); it expires by itself", fc_err_name(err));
}

static void *run(void *arg) {
  fc_sender *s = arg;
  fc_db *db = NULL;
  msg *batch = calloc((size_t)s->opt.batch, sizeof *batch);
  if (!batch) {
    fc_logf(FC_LOG_ERROR, "outbox: sender out of memory; not sending");
    return NULL;
  }
  while (!is_stopping(s)) {
    if (!db && fc_store_db(s->store, &db) != FC_OK) {
      db = NULL;
      wait_for(s, s->opt.poll_ms);
      continue;
    }
    int n = 0;
    int due = anything_due(db, fc_time_now_ms());
    fc_err err = due > 0 ? claim(s, db, batch, &n) : FC_OK;
    if (err) fc_logf(FC_LOG_WARN, "outbox: cannot claim messages (%s)", fc_err_name(err));
    for (int i = 0; i < n; i++) {
      if (is_stopping(s))
        release(s, db, &batch[i]);
      else
        deliver(s, db, &batch[i]);
      msg_free(&batch[i]);
    }
    if (n < s->opt.batch) wait_for(s, s->opt.poll_ms); /* a full batch: more may be due, go on */
  }
  free(batch);
  return NULL;
}

const char *fc_sender_id(const fc_sender *s) { return s->id; }

static void sender_free(fc_sender *s) {
  free((char *)s->cfg.url);
  free((char *)s->cfg.from);
  free((char *)s->cfg.user);
  free((char *)s->cfg.password);
  pthread_cond_destroy(&s->cond);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

fc_err fc_sender_start_opts(fc_store *store, const fc_smtp_config *cfg, const fc_sender_opts *opts,
                            fc_sender **out) {
  *out = NULL;
  if (!store || !cfg || !cfg->url || !cfg->from) return FC_EINVAL;
  /* A bad From or URL would fail every message after an hour of retries: refuse it now. */
  char why[ERR_CAP] = "";
  char *probe = NULL;
  if (strncmp(cfg->url, "smtp://", 7) != 0 && strncmp(cfg->url, "smtps://", 8) != 0 &&
      strncmp(cfg->url, "smtp+starttls://", 16) != 0) {
    fc_logf(FC_LOG_ERROR, "outbox: the SMTP URL must start with smtp://, smtp+starttls:// or smtps://");
    return FC_EINVAL;
  }
  if (fc_smtp_build(cfg, "probe", "probe@example.com", "", "", NULL, 0, &probe, NULL, why, sizeof why) != 0) {
    fc_logf(FC_LOG_ERROR, "outbox: %s", why);
    return FC_EINVAL;
  }
  free(probe);
  fc_sender *s = calloc(1, sizeof *s);
  if (!s) return FC_ENOMEM;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&s->cond, &ca);
  pthread_condattr_destroy(&ca);
  pthread_mutex_init(&s->lock, NULL);
  s->store = store;
  s->cfg.url = strdup(cfg->url);
  s->cfg.from = strdup(cfg->from);
  s->cfg.user = dup_or_null(cfg->user);
  s->cfg.password = dup_or_null(cfg->password);
  s->cfg.timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s : 30;
  if (!s->cfg.url || !s->cfg.from || (cfg->user && !s->cfg.user) || (cfg->password && !s->cfg.password)) {
    sender_free(s);
    return FC_ENOMEM;
  }
  fc_sender_opts o = opts ? *opts : (fc_sender_opts){0};
  if (o.batch <= 0) o.batch = 16;
  if (o.poll_ms <= 0) o.poll_ms = 1000;
  if (o.base_ms <= 0) o.base_ms = 30000;
  if (o.max_delay_ms <= 0) o.max_delay_ms = 3600000;
  if (o.max_attempts <= 0) o.max_attempts = 8;
  if (o.claim_ms <= 0) {
    o.claim_ms = 2 * s->cfg.timeout_s * 1000 + 30000;
    if (o.claim_ms < 120000) o.claim_ms = 120000;
  }
  s->opt = o;
  fc_id_new(s->id);
  snprintf(s->claim_sql, sizeof s->claim_sql,
           "SELECT id, recipient, subject, body_text, ics, attempts FROM outbox "
           "WHERE status = 'pending' AND due_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) "
           "ORDER BY due_at, id LIMIT ?%s",
           fc_store_skip_locked(store));
  if (strncmp(s->cfg.url, "smtp://", 7) == 0 && s->cfg.password)
    fc_logf(FC_LOG_WARN, "outbox: the SMTP password travels unencrypted over smtp://; use smtps:// or "
                         "smtp+starttls:// for a relay across a network");
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    sender_free(s);
    return FC_EINTERNAL;
  }
  if (pthread_create(&s->thread, NULL, run, s) != 0) {
    curl_global_cleanup();
    sender_free(s);
    return FC_EINTERNAL;
  }
  fc_logf(FC_LOG_INFO, "outbox: sender %s started", s->id);
  *out = s;
  return FC_OK;
}

fc_err fc_sender_start(fc_store *store, const fc_smtp_config *cfg, fc_sender **out) {
  return fc_sender_start_opts(store, cfg, NULL, out);
}

void fc_sender_wake(fc_sender *s) {
  if (!s) return;
  pthread_mutex_lock(&s->lock);
  s->woken = 1;
  pthread_cond_signal(&s->cond);
  pthread_mutex_unlock(&s->lock);
}

void fc_sender_stop(fc_sender *s) {
  if (!s) return;
  pthread_mutex_lock(&s->lock);
  s->stopping = 1;
  pthread_cond_signal(&s->cond);
  pthread_mutex_unlock(&s->lock);
  pthread_join(s->thread, NULL);
  curl_global_cleanup();
  fc_logf(FC_LOG_INFO, "outbox: sender %s stopped", s->id);
  sender_free(s);
}
