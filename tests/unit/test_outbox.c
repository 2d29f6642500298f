/* The outbox and its SMTP sender, against a real SQLite store in a temporary
 * folder and a small SMTP sink running in this process (a thread on
 * 127.0.0.1, an ephemeral port): the message's bytes, header injection,
 * delivery exactly once, retries with backoff, giving up, idempotent
 * queueing, cancellation, a restart and a crash, two instances on one
 * database, non-ASCII text arriving intact; and two instances on one
 * PostgreSQL database when FORECOURT_TEST_PG names a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka needs the headers above first. */
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "notify/outbox.h"
#include "notify/sender.h"
#include "notify/smtp.h"
#include "store/store.h"

/* ---------------------------------------------------------------- sink */

enum { SINK_MAX_MSGS = 4096, SINK_MAX_CONNS = 4096 };

typedef struct sink {
  int fd, port;
  pthread_t thread;
  pthread_mutex_t lock;
  int stop;
  int fail_next;             /* answer 451 to the next N messages */
  int delay_ms;              /* before answering a message */
  char *msgs[SINK_MAX_MSGS]; /* accepted, dot-stuffing undone */
  int64_t accepted_at[SINK_MAX_MSGS];
  int n;
  int rejected;
  int64_t first_rejected_at;
  pthread_t conns[SINK_MAX_CONNS];
  int nconns;
} sink;

typedef struct conn {
  sink *sk;
  int fd;
  char buf[8192];
  size_t len;
} conn;

static void say(int fd, const char *s) { (void)!write(fd, s, strlen(s)); }

/* Reads one CRLF-terminated line (without CRLF) into out; 0 on EOF. */
static int read_line(conn *c, char *out, size_t cap) {
  for (;;) {
    char *nl = memmem(c->buf, c->len, "\r\n", 2);
    if (nl) {
      size_t n = (size_t)(nl - c->buf);
      size_t k = n < cap - 1 ? n : cap - 1;
      memcpy(out, c->buf, k);
      out[k] = 0;
      memmove(c->buf, nl + 2, c->len - n - 2);
      c->len -= n + 2;
      return 1;
    }
    if (c->len == sizeof c->buf) c->len = 0; /* an absurd line: drop it */
    ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
    if (r <= 0) return 0;
    c->len += (size_t)r;
  }
}

static void *serve_conn(void *arg) {
  conn *c = arg;
  sink *sk = c->sk;
  char line[8192];
  say(c->fd, "220 sink ESMTP\r\n");
  while (read_line(c, line, sizeof line)) {
    if (!strncasecmp(line, "EHLO", 4)) {
      say(c->fd, "250-sink\r\n250 8BITMIME\r\n");
    } else if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "MAIL", 4) ||
               !strncasecmp(line, "RCPT", 4) || !strncasecmp(line, "RSET", 4) ||
               !strncasecmp(line, "NOOP", 4)) {
      say(c->fd, "250 ok\r\n");
    } else if (!strncasecmp(line, "DATA", 4)) {
      say(c->fd, "354 go on\r\n");
      size_t cap = 1 << 16, len = 0;
      char *data = malloc(cap);
      assert_non_null(data);
      int complete = 0;
      while (read_line(c, line, sizeof line)) {
        if (!strcmp(line, ".")) {
          complete = 1;
          break;
        }
        const char *l = line[0] == '.' ? line + 1 : line; /* undo dot-stuffing */
        size_t n = strlen(l);
        if (len + n + 3 > cap) {
          cap = (len + n + 3) * 2;
          data = realloc(data, cap);
          assert_non_null(data);
        }
        memcpy(data + len, l, n);
        memcpy(data + len + n, "\r\n", 2);
        len += n + 2;
      }
      data[len] = 0;
      if (!complete) {
        free(data);
        break;
      }
      pthread_mutex_lock(&sk->lock);
      int fail = sk->fail_next > 0;
      int delay = sk->delay_ms;
      if (fail) {
        sk->fail_next--;
        if (!sk->rejected) sk->first_rejected_at = fc_time_now_ms();
        sk->rejected++;
      }
      pthread_mutex_unlock(&sk->lock);
      if (delay) usleep((useconds_t)delay * 1000);
      if (fail) {
        free(data);
        say(c->fd, "451 try again later\r\n");
        continue;
      }
      pthread_mutex_lock(&sk->lock);
      assert_true(sk->n < SINK_MAX_MSGS);
      sk->accepted_at[sk->n] = fc_time_now_ms();
      sk->msgs[sk->n++] = data;
      pthread_mutex_unlock(&sk->lock);
      say(c->fd, "250 queued\r\n");
    } else if (!strncasecmp(line, "QUIT", 4)) {
      say(c->fd, "221 bye\r\n");
      break;
    } else {
      say(c->fd, "500 what?\r\n");
    }
  }
  close(c->fd);
  free(c);
  return NULL;
}

static void *sink_loop(void *arg) {
  sink *sk = arg;
  for (;;) {
    pthread_mutex_lock(&sk->lock);
    int stop = sk->stop;
    pthread_mutex_unlock(&sk->lock);
    if (stop) break;
    struct pollfd p = {.fd = sk->fd, .events = POLLIN};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept(sk->fd, NULL, NULL);
    if (fd < 0) continue;
    conn *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->sk = sk;
    c->fd = fd;
    assert_true(sk->nconns < SINK_MAX_CONNS);
    assert_int_equal(pthread_create(&sk->conns[sk->nconns++], NULL, serve_conn, c), 0);
  }
  return NULL;
}

static void sink_start(sink *sk) {
  memset(sk, 0, sizeof *sk);
  pthread_mutex_init(&sk->lock, NULL);
  sk->fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(sk->fd >= 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(sk->fd, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(listen(sk->fd, 64), 0);
  socklen_t al = sizeof a;
  assert_int_equal(getsockname(sk->fd, (struct sockaddr *)&a, &al), 0);
  sk->port = ntohs(a.sin_port);
  assert_int_equal(pthread_create(&sk->thread, NULL, sink_loop, sk), 0);
}

static void sink_stop(sink *sk) {
  pthread_mutex_lock(&sk->lock);
  sk->stop = 1;
  pthread_mutex_unlock(&sk->lock);
  pthread_join(sk->thread, NULL);
  for (int i = 0; i < sk->nconns; i++)
    pthread_join(sk->conns[i], NULL);
  close(sk->fd);
  for (int i = 0; i < sk->n; i++)
    free(sk->msgs[i]);
  pthread_mutex_destroy(&sk->lock);
}

static int sink_count(sink *sk) {
  pthread_mutex_lock(&sk->lock);
  int n = sk->n;
  pthread_mutex_unlock(&sk->lock);
  return n;
}

/* ----------------------------------------------------- message reading */

/* The unfolded value of header name in the message's top header block (malloc'd), or NULL. */
static char *header(const char *msg, const char *name) {
  size_t nl = strlen(name);
  const char *end = strstr(msg, "\r\n\r\n");
  for (const char *p = msg; p && p < end; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL) {
    if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
      const char *v = p + nl + 1;
      while (*v == ' ')
        v++;
      char *out = malloc(strlen(v) + 1);
      assert_non_null(out);
      size_t o = 0;
      for (;;) {
        const char *e = strstr(v, "\r\n");
        memcpy(out + o, v, (size_t)(e - v));
        o += (size_t)(e - v);
        if (e[2] != ' ' && e[2] != '\t') break;
        v = e + 2; /* a continuation line: unfold */
      }
      out[o] = 0;
      return out;
    }
  }
  return NULL;
}

/* base64 (line breaks ignored) to a malloc'd string. */
static char *unbase64(const char *s, size_t n) {
  char *out = malloc(n + 1);
  assert_non_null(out);
  size_t len = 0;
  assert_int_equal(
      sodium_base642bin((unsigned char *)out, n, s, n, "\r\n ", &len, NULL, sodium_base64_VARIANT_ORIGINAL),
      0);
  out[len] = 0;
  return out;
}

/* Decodes a header made of RFC 2047 B-encoded UTF-8 words (or plain text). */
static char *decode_words(const char *v) {
  if (strncmp(v, "=?UTF-8?B?", 10) != 0) return strdup(v);
  char *out = calloc(1, strlen(v) + 1);
  assert_non_null(out);
  const char *p = v;
  while ((p = strstr(p, "=?UTF-8?B?"))) {
    p += 10;
    const char *e = strstr(p, "?=");
    assert_non_null(e);
    char *w = unbase64(p, (size_t)(e - p));
    size_t have = strlen(out), add = strlen(w);
    memcpy(out + have, w, add + 1); /* decoded words are shorter than their encoding */
    free(w);
    p = e + 2;
  }
  return out;
}

/* The decoded body of the part whose Content-Type starts with type. */
static char *part_body(const char *msg, const char *type) {
  char needle[128];
  snprintf(needle, sizeof needle, "Content-Type: %s", type);
  const char *p = strstr(msg, needle);
  if (!p) return NULL;
  const char *body = strstr(p, "\r\n\r\n");
  assert_non_null(body);
  body += 4;
  const char *end = strstr(body, "--=_fc_");
  if (!end) end = body + strlen(body);
  return unbase64(body, (size_t)(end - body));
}

/* ------------------------------------------------------------- fixture */

typedef struct env {
  char dir[64];
  char path[128];
  fc_store *store;
  sink sk;
  char url[64];
  fc_smtp_config cfg;
} env;

static int setup(void **state) {
  env *e = calloc(1, sizeof *e);
  assert_non_null(e);
  snprintf(e->dir, sizeof e->dir, "%s", "/tmp/fc-outbox-XXXXXX");
  assert_non_null(mkdtemp(e->dir));
  snprintf(e->path, sizeof e->path, "%s/forecourt.db", e->dir);
  assert_int_equal(fc_store_open(e->path, &e->store), FC_OK);
  assert_int_equal(fc_store_migrate(e->store, NULL), FC_OK);
  sink_start(&e->sk);
  snprintf(e->url, sizeof e->url, "smtp://127.0.0.1:%d", e->sk.port);
  e->cfg = (fc_smtp_config){.url = e->url, .from = "Garage Dupont <noreply@dupont.example>", .timeout_s = 5};
  *state = e;
  return 0;
}

static int teardown(void **state) {
  env *e = *state;
  fc_store_close(e->store);
  sink_stop(&e->sk);
  char p[160];
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s%s", e->path, suffix[i]);
    unlink(p);
  }
  rmdir(e->dir);
  free(e);
  return 0;
}

static fc_err queue_full(fc_store *st, const char *dealer, const char *key, const char *to,
                         const char *subject, const char *text, const char *ics, const char *kind,
                         int64_t due) {
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(st, &db), FC_OK);
  fc_ctx c = {.db = db, .request_id = "test"};
  assert_int_equal(fc_db_begin(db), FC_OK);
  fc_err err = fc_outbox_email(&c, dealer, to, subject, text, ics, kind, due, key);
  if (err)
    fc_db_rollback(db);
  else
    assert_int_equal(fc_db_commit(db), FC_OK);
  fc_error_clear(&c.err);
  return err;
}

static void queue(fc_store *st, const char *key, int64_t due) {
  char subject[64];
  snprintf(subject, sizeof subject, "Message %s", key);
  assert_int_equal(
      queue_full(st, "dealer1", key, "jurgen@example.de", subject, "Hello.\n", NULL, "transactional", due),
      FC_OK);
}

static void cancel(fc_store *st, const char *prefix) {
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(st, &db), FC_OK);
  fc_ctx c = {.db = db};
  assert_int_equal(fc_db_begin(db), FC_OK);
  assert_int_equal(fc_outbox_cancel(&c, "dealer1", prefix), FC_OK);
  assert_int_equal(fc_db_commit(db), FC_OK);
}

static long long count_sent(fc_store *st) {
  long long pending = 0, sent = 0, failed = 0;
  assert_int_equal(fc_outbox_counts(st, &pending, &sent, &failed), FC_OK);
  return sent;
}

/* Waits until `want` messages are sent (or failed, when failed is set). */
static void wait_for_status(fc_store *st, long long want, int failed_too, int seconds) {
  double until = fc_time_mono_s() + seconds;
  long long p = 0, s = 0, f = 0;
  while (fc_time_mono_s() < until) {
    assert_int_equal(fc_outbox_counts(st, &p, &s, &f), FC_OK);
    if (s + (failed_too ? f : 0) >= want) return;
    usleep(20000);
  }
  fail_msg("waited %d s for %lld messages: pending %lld, sent %lld, failed %lld", seconds, want, p, s, f);
}

/* Asserts every outbox row marked sent arrived exactly once in the sink,
 * matched by Message-ID, and nothing else arrived. */
static void assert_each_sent_once(fc_store *st, sink *sk) {
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(st, &db), FC_OK);
  fc_stmt *q = NULL;
  assert_int_equal(fc_db_query(db, &q, "SELECT id FROM outbox WHERE status = 'sent'", ""), FC_OK);
  int rows = 0;
  while (fc_stmt_step(q) == 1) {
    char want[128];
    snprintf(want, sizeof want, "<%s@dupont.example>", fc_col_text(q, 0));
    int seen = 0;
    for (int i = 0; i < sk->n; i++) {
      char *mid = header(sk->msgs[i], "Message-ID");
      assert_non_null(mid);
      seen += strcmp(mid, want) == 0;
      free(mid);
    }
    if (seen != 1) fail_msg("message %s arrived %d times", want, seen);
    rows++;
  }
  fc_stmt_done(q);
  assert_int_equal(rows, sink_count(sk));
}

static fc_sender *start(fc_store *st, const fc_smtp_config *cfg, int batch, int64_t base_ms,
                        int max_attempts) {
  fc_sender_opts o = {.batch = batch, .poll_ms = 20, .base_ms = base_ms, .max_attempts = max_attempts};
  fc_sender *s = NULL;
  assert_int_equal(fc_sender_start_opts(st, cfg, &o, &s), FC_OK);
  return s;
}

/* --------------------------------------------------------------- tests */

static void test_message_bytes(void **state) {
  fc_smtp_config cfg = {.url = "smtp://127.0.0.1:1", .from = "Garage Dupont <noreply@dupont.example>"};
  char err[200], *m = NULL;
  size_t len = 0;
  const char *ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  assert_int_equal(fc_smtp_build(&cfg, "01ABC", "anna@example.be", "Your booking FC-7K3Q9",
                                 "Line 1\nLine 2\n", NULL, 1804000000000LL, &m, &len, err, sizeof err),
                   0);
  assert_int_equal(len, strlen(m));
  assert_true(strncmp(m, "Date: Tue, 02 Mar 2027 15:06:40 +0000\r\n", 39) == 0);
  assert_non_null(strstr(m, "\r\nFrom: \"Garage Dupont\" <noreply@dupont.example>\r\n"));
  assert_non_null(strstr(m, "\r\nTo: anna@example.be\r\n"));
  assert_non_null(strstr(m, "\r\nSubject: Your booking FC-7K3Q9\r\n"));
  assert_non_null(strstr(m, "\r\nMessage-ID: <01ABC@dupont.example>\r\n"));
  assert_non_null(strstr(m, "\r\nMIME-Version: 1.0\r\n"));
  assert_non_null(strstr(m, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
  assert_null(strstr(m, "multipart"));
  char *body = part_body(m, "text/plain");
  assert_string_equal(body, "Line 1\r\nLine 2\r\n"); /* canonical CRLF line ends */
  free(body);
  for (const char *p = m; *p; p++) /* bare LF nowhere */
    if (*p == '\n') assert_true(p > m && p[-1] == '\r');
  free(m);

  assert_int_equal(
      fc_smtp_build(&cfg, "01ABC", "anna@example.be", "Cancelled", "Bye.", ics, 0, &m, &len, err, sizeof err),
      0);
  assert_non_null(strstr(m, "Content-Type: multipart/mixed; boundary=\"=_fc_01ABC\"\r\n"));
  assert_non_null(strstr(m, "Content-Type: text/calendar; charset=UTF-8; method=CANCEL\r\n"));
  assert_non_null(strstr(m, "filename=\"invite.ics\""));
  assert_non_null(strstr(m, "\r\n--=_fc_01ABC--\r\n"));
  char *cal = part_body(m, "text/calendar");
  assert_string_equal(cal, ics);
  free(cal);
  free(m);

  /* A non-ASCII display name is encoded; a bare From address works. */
  cfg.from = "Autohaus Müller <info@mueller.example>";
  assert_int_equal(fc_smtp_build(&cfg, "id", "a@b.de", "x", "y", NULL, 0, &m, &len, err, sizeof err), 0);
  char *from = header(m, "From");
  assert_non_null(strstr(from, "=?UTF-8?B?"));
  assert_non_null(strstr(from, "<info@mueller.example>"));
  free(from);
  free(m);
  cfg.from = "info@mueller.example";
  assert_int_equal(fc_smtp_build(&cfg, "id", "a@b.de", "x", "y", NULL, 0, &m, &len, err, sizeof err), 0);
  assert_non_null(strstr(m, "\r\nFrom: <info@mueller.example>\r\n"));
  free(m);
}

static void test_header_injection(void **state) {
  env *e = *state;
  char err[200] = "", *m = NULL;
  size_t len = 0;
  const char *bad_to[] = {"a@b.de\r\nBcc: victim@example.com",
                          "a@b.de\nBcc: v@x.com",
                          "a@b.de, c@d.de",
                          "<a@b.de>",
                          "ab.de",
                          "a b@c.de",
                          ""};
  for (size_t i = 0; i < sizeof bad_to / sizeof bad_to[0]; i++) {
    assert_int_equal(fc_smtp_build(&e->cfg, "id", bad_to[i], "s", "t", NULL, 0, &m, &len, err, sizeof err),
                     -1);
    assert_null(m);
    assert_true(err[0] != 0);
    assert_int_equal(fc_smtp_send(&e->cfg, "id", bad_to[i], "s", "t", NULL, err, sizeof err), -1);
    assert_int_equal(queue_full(e->store, "d", "k", bad_to[i], "s", "t", NULL, "transactional", 0),
                     FC_EINVAL);
  }
  const char *bad_subject[] = {"Hi\r\nBcc: victim@example.com", "Hi\nX: y", "Hi\rX", "a\x01"};
  for (size_t i = 0; i < sizeof bad_subject / sizeof bad_subject[0]; i++) {
    assert_int_equal(
        fc_smtp_build(&e->cfg, "id", "a@b.de", bad_subject[i], "t", NULL, 0, &m, &len, err, sizeof err), -1);
    assert_int_equal(fc_smtp_send(&e->cfg, "id", "a@b.de", bad_subject[i], "t", NULL, err, sizeof err), -1);
    assert_int_equal(queue_full(e->store, "d", "k", "a@b.de", bad_subject[i], "t", NULL, "transactional", 0),
                     FC_EINVAL);
  }
  fc_smtp_config bad = e->cfg;
  bad.from = "x@y.de\r\nBcc: v@x.com";
  assert_int_equal(fc_smtp_send(&bad, "id", "a@b.de", "s", "t", NULL, err, sizeof err), -1);
  bad.from = "Name <x@y.de>\nBcc: v@x.com";
  assert_int_equal(fc_smtp_send(&bad, "id", "a@b.de", "s", "t", NULL, err, sizeof err), -1);
  bad = e->cfg;
  bad.url = "http://127.0.0.1/";
  assert_int_equal(fc_smtp_send(&bad, "id", "a@b.de", "s", "t", NULL, err, sizeof err), -1);
  fc_sender *none = NULL;
  assert_int_equal(fc_sender_start(e->store, &bad, &none), FC_EINVAL); /* bad URL */
  assert_null(none);
  bad = e->cfg;
  bad.from = "noreply@localhost";
  assert_int_equal(fc_sender_start(e->store, &bad, &none), FC_EINVAL); /* bad From */
  assert_int_equal(queue_full(e->store, "d", "k", "a@b.de", "s", "t", NULL, "newsletter", 0), FC_EINVAL);
  assert_int_equal(queue_full(e->store, "d", "", "a@b.de", "s", "t", NULL, "marketing", 0), FC_EINVAL);
  assert_int_equal(sink_count(&e->sk), 0); /* nothing reached the wire */
  long long pending = -1;
  assert_int_equal(fc_outbox_counts(e->store, &pending, NULL, NULL), FC_OK);
  assert_int_equal(pending, 0);
  /* A direct send reaches the sink. */
  assert_int_equal(fc_smtp_send(&e->cfg, "direct1", "a@b.de", "s", "t", NULL, err, sizeof err), 0);
  assert_int_equal(sink_count(&e->sk), 1);
}

static void test_delivered_exactly_once(void **state) {
  env *e = *state;
  const char *ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
  for (int i = 0; i < 25; i++) {
    char key[64];
    snprintf(key, sizeof key, "booking:%d:confirm:1", i);
    assert_int_equal(queue_full(e->store, "dealer1", key, "x@example.nl", key, "Tot ziens.\n",
                                i % 2 ? ics : NULL, i % 5 ? "transactional" : "marketing", 0),
                     FC_OK);
  }
  fc_sender *s = start(e->store, &e->cfg, 4, 0, 0);
  fc_sender_wake(s);
  wait_for_status(e->store, 25, 0, 20);
  fc_sender_stop(s);
  assert_int_equal(sink_count(&e->sk), 25);
  assert_each_sent_once(e->store, &e->sk);
  /* The record: kind, request and attempts are kept. */
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(e->store, &db), FC_OK);
  fc_stmt *q = NULL;
  assert_int_equal(fc_db_query(db, &q,
                               "SELECT COUNT(*), SUM(attempts), MIN(sent_at) FROM outbox "
                               "WHERE kind = 'marketing' AND request_id = 'test' AND claimed_until IS NULL",
                               ""),
                   FC_OK);
  assert_int_equal(fc_stmt_step(q), 1);
  assert_int_equal(fc_col_int(q, 0), 5);
  assert_int_equal(fc_col_int(q, 1), 5);
  assert_true(fc_col_int(q, 2) > 0);
  fc_stmt_done(q);
}

static void test_retry_with_backoff(void **state) {
  env *e = *state;
  e->sk.fail_next = 2;
  queue(e->store, "booking:1:confirm:1", 0);
  int64_t t0 = fc_time_now_ms();
  fc_sender *s = start(e->store, &e->cfg, 0, 200, 0);
  wait_for_status(e->store, 1, 0, 20);
  fc_sender_stop(s);
  assert_int_equal(e->sk.rejected, 2);
  assert_int_equal(sink_count(&e->sk), 1);
  /* two failures: retried after 200 ms, then after 400 ms */
  assert_true(e->sk.accepted_at[0] - e->sk.first_rejected_at >= 600 - 20);
  assert_true(e->sk.first_rejected_at - t0 < 2000);
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(e->store, &db), FC_OK);
  fc_stmt *q = NULL;
  assert_int_equal(fc_db_query(db, &q, "SELECT attempts, last_error, status FROM outbox", ""), FC_OK);
  assert_int_equal(fc_stmt_step(q), 1);
  assert_int_equal(fc_col_int(q, 0), 3);
  assert_true(fc_col_null(q, 1));
  assert_string_equal(fc_col_text(q, 2), "sent");
  fc_stmt_done(q);
}

static void test_gives_up(void **state) {
  env *e = *state;
  e->sk.fail_next = 1000;
  queue(e->store, "booking:2:confirm:1", 0);
  fc_sender *s = start(e->store, &e->cfg, 0, 50, 3);
  wait_for_status(e->store, 1, 1, 20);
  fc_sender_stop(s);
  assert_int_equal(e->sk.rejected, 3);
  assert_int_equal(sink_count(&e->sk), 0);
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(e->store, &db), FC_OK);
  fc_stmt *q = NULL;
  assert_int_equal(fc_db_query(db, &q, "SELECT attempts, last_error, status FROM outbox", ""), FC_OK);
  assert_int_equal(fc_stmt_step(q), 1);
  assert_int_equal(fc_col_int(q, 0), 3);
  assert_non_null(strstr(fc_col_text(q, 1), "451 try again later"));
  assert_string_equal(fc_col_text(q, 2), "failed");
  fc_stmt_done(q);
}

static void test_dedupe(void **state) {
  env *e = *state;
  queue(e->store, "booking:7:confirm:1", 0);
  queue(e->store, "booking:7:confirm:1", 0); /* a retried request */
  assert_int_equal(queue_full(e->store, "dealer1", "booking:7:confirm:1", "other@example.com", "Other", "t",
                              NULL, "transactional", 0),
                   FC_OK);
  /* ... also within one transaction, which stays usable afterwards */
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(e->store, &db), FC_OK);
  fc_ctx c = {.db = db};
  assert_int_equal(fc_db_begin(db), FC_OK);
  assert_int_equal(
      fc_outbox_email(&c, "dealer1", "x@y.de", "s", "t", NULL, "transactional", 0, "booking:7:confirm:1"),
      FC_OK);
  assert_int_equal(
      fc_outbox_email(&c, "dealer1", "x@y.de", "s", "t", NULL, "transactional", 0, "booking:7:confirm:2"),
      FC_OK);
  assert_int_equal(fc_db_commit(db), FC_OK);
  long long pending = 0;
  assert_int_equal(fc_outbox_counts(e->store, &pending, NULL, NULL), FC_OK);
  assert_int_equal(pending, 2);
  fc_sender *s = start(e->store, &e->cfg, 0, 0, 0);
  wait_for_status(e->store, 2, 0, 20);
  fc_sender_stop(s);
  assert_int_equal(sink_count(&e->sk), 2);
  queue(e->store, "booking:7:confirm:1", 0); /* after sending, too */
  assert_int_equal(fc_outbox_counts(e->store, &pending, NULL, NULL), FC_OK);
  assert_int_equal(pending, 0);
}

static void test_cancel(void **state) {
  env *e = *state;
  queue(e->store, "booking:1:remind:1", 0);
  queue(e->store, "booking:10:remind:1", 0);
  queue(e->store, "booking:1:confirm:1", 0);
  queue(e->store, "BOOKING:1:REMIND:1", 0);
  queue(e->store, "booking:2:remind:1", fc_time_now_ms() + 3600000); /* tomorrow-ish: not due */
  /* Another dealer's message under the same key: its dealer's, not cancelled here. */
  assert_int_equal(queue_full(e->store, "dealer2", "booking:1:remind:1", "ines@example.pt", "Other dealer", "Hello.\n",
                              NULL, "transactional", 0),
                   FC_OK);
  cancel(e->store, "booking:1:remind");
  cancel(e->store, "booking:%");  /* no wildcards */
  cancel(e->store, "booking:3:"); /* nothing: fine */
  fc_sender *s = start(e->store, &e->cfg, 0, 0, 0);
  wait_for_status(e->store, 4, 0, 20);
  usleep(200000); /* a few more rounds: nothing else goes */
  fc_sender_stop(s);
  assert_int_equal(sink_count(&e->sk), 4);
  assert_each_sent_once(e->store, &e->sk);
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(e->store, &db), FC_OK);
  fc_stmt *q = NULL;
  assert_int_equal(fc_db_query(db, &q, "SELECT dealer_id, dedupe_key, status FROM outbox ORDER BY dealer_id, dedupe_key", ""),
                   FC_OK);
  const char *want[][3] = {{"dealer1", "BOOKING:1:REMIND:1", "sent"},
                           {"dealer1", "booking:10:remind:1", "sent"},
                           {"dealer1", "booking:1:confirm:1", "sent"},
                           {"dealer1", "booking:1:remind:1", "cancelled"},
                           {"dealer1", "booking:2:remind:1", "pending"},
                           {"dealer2", "booking:1:remind:1", "sent"}};
  for (int i = 0; i < 6; i++) {
    assert_int_equal(fc_stmt_step(q), 1);
    assert_string_equal(fc_col_text(q, 0), want[i][0]);
    assert_string_equal(fc_col_text(q, 1), want[i][1]);
    assert_string_equal(fc_col_text(q, 2), want[i][2]);
  }
  fc_stmt_done(q);
  /* A cancelled key stays used: queueing it again stores nothing. */
  queue(e->store, "booking:1:remind:1", 0);
  long long pending = 0;
  assert_int_equal(fc_outbox_counts(e->store, &pending, NULL, NULL), FC_OK);
  assert_int_equal(pending, 1);
}

static void test_restart_and_crash(void **state) {
  env *e = *state;
  e->sk.delay_ms = 15;
  for (int i = 0; i < 40; i++) {
    char key[32];
    snprintf(key, sizeof key, "k:%d", i);
    queue(e->store, key, 0);
  }
  fc_sender *s = start(e->store, &e->cfg, 8, 0, 0);
  double give_up = fc_time_mono_s() + 20;
  while (count_sent(e->store) < 5 && fc_time_mono_s() < give_up)
    usleep(5000);
  fc_sender_stop(s); /* mid-batch: the message in flight completes, the rest are released */
  long long sent_before = count_sent(e->store);
  assert_true(sent_before < 40);
  assert_int_equal(sink_count(&e->sk), sent_before);
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(e->store, &db), FC_OK);
  fc_stmt *q = NULL;
  assert_int_equal(
      fc_db_query(db, &q, "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND claimed_by IS NOT NULL",
                  ""),
      FC_OK);
  assert_int_equal(fc_stmt_step(q), 1);
  assert_int_equal(fc_col_int(q, 0), 0);
  fc_stmt_done(q);

  /* A crashed instance left a claim behind: it is honoured until it expires. */
  queue(e->store, "k:crashed", 0);
  int64_t expiry = fc_time_now_ms() + 700;
  assert_int_equal(fc_db_exec(db,
                              "UPDATE outbox SET claimed_by = 'dead', claimed_until = ? WHERE dedupe_key = ?",
                              "is", expiry, "k:crashed"),
                   FC_OK);
  s = start(e->store, &e->cfg, 8, 0, 0);
  wait_for_status(e->store, 41, 0, 30);
  fc_sender_stop(s);
  assert_int_equal(sink_count(&e->sk), 41);
  assert_each_sent_once(e->store, &e->sk);
  int64_t crashed_at = 0;
  for (int i = 0; i < e->sk.n; i++)
    if (strstr(e->sk.msgs[i], "Subject: Message k:crashed\r\n")) crashed_at = e->sk.accepted_at[i];
  assert_true(crashed_at >= expiry);
}

/* Queues n messages (plus `already` pending before) and runs a sender on each store. */
static void two_senders(fc_store *a, fc_store *b, sink *sk, const fc_smtp_config *cfg, int n, int already) {
  for (int i = 0; i < n; i++) {
    char key[32];
    snprintf(key, sizeof key, "pair:%d", i);
    queue(i % 2 ? a : b, key, 0);
  }
  sk->delay_ms = 2; /* sending takes a while, so both get work */
  fc_sender *s1 = start(a, cfg, 4, 0, 0);
  fc_sender *s2 = start(b, cfg, 4, 0, 0);
  char id1[32], id2[32];
  snprintf(id1, sizeof id1, "%s", fc_sender_id(s1));
  snprintf(id2, sizeof id2, "%s", fc_sender_id(s2));
  wait_for_status(a, n + already, 0, 60);
  fc_sender_stop(s1);
  fc_sender_stop(s2);
  assert_int_equal(sink_count(sk), n + already);
  assert_each_sent_once(a, sk);
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(a, &db), FC_OK);
  fc_stmt *q = NULL;
  assert_int_equal(
      fc_db_query(db, &q, "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts <> 1", ""), FC_OK);
  assert_int_equal(fc_stmt_step(q), 1);
  assert_int_equal(fc_col_int(q, 0), 0);
  fc_stmt_done(q);
  /* both instances sent some (a sent row keeps the sender's id) */
  assert_int_equal(
      fc_db_query(db, &q,
                  "SELECT SUM(CASE WHEN claimed_by = ? THEN 1 ELSE 0 END), "
                  "SUM(CASE WHEN claimed_by = ? THEN 1 ELSE 0 END) FROM outbox WHERE status = 'sent'",
                  "ss", id1, id2),
      FC_OK);
  assert_int_equal(fc_stmt_step(q), 1);
  long long by1 = fc_col_int(q, 0), by2 = fc_col_int(q, 1);
  fc_stmt_done(q);
  assert_int_equal(by1 + by2, n + already);
  assert_true(by1 > 0 && by2 > 0);
}

static void test_two_instances(void **state) {
  env *e = *state;
  fc_store *other = NULL; /* a second instance: its own store on the same file */
  assert_int_equal(fc_store_open(e->path, &other), FC_OK);
  two_senders(e->store, other, &e->sk, &e->cfg, 120, 0);
  fc_store_close(other);
}

static void test_non_ascii(void **state) {
  env *e = *state;
  const char *subject = "Ihr Termin am 6. April – Jürgen Müller, Ölwechsel 🚗 ça marche, Übersicht für Sie";
  const char *text = "Grüße aus Köln!\nZweite Zeile – ünïcödé ✓\n\n.\n..Punkt am Anfang\n";
  const char *ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Ölwechsel – "
                    "Garage Dupont\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  assert_int_equal(queue_full(e->store, "dealer1", "n:1", "jurgen@mueller.example", subject, text, ics,
                              "transactional", 0),
                   FC_OK);
  assert_int_equal(
      queue_full(e->store, "dealer1", "n:2", "j@example.de", subject, text, NULL, "transactional", 0), FC_OK);
  fc_sender *s = start(e->store, &e->cfg, 0, 0, 0);
  wait_for_status(e->store, 2, 0, 20);
  fc_sender_stop(s);
  assert_int_equal(sink_count(&e->sk), 2);
  const char *crlf_text = "Grüße aus Köln!\r\nZweite Zeile – ünïcödé ✓\r\n\r\n.\r\n..Punkt am Anfang\r\n";
  for (int i = 0; i < 2; i++) {
    const char *m = e->sk.msgs[i];
    char *raw = header(m, "Subject");
    assert_non_null(strstr(m, "\r\nSubject: =?UTF-8?B?"));
    for (const char *p = m; p < strstr(m, "\r\n\r\n"); p++)
      assert_true((unsigned char)*p < 0x80); /* 7-bit headers */
    char *subj = decode_words(raw);
    assert_string_equal(subj, subject);
    free(raw);
    free(subj);
    char *body = part_body(m, "text/plain; charset=UTF-8");
    assert_string_equal(body, crlf_text);
    free(body);
    char *cal = part_body(m, "text/calendar");
    if (strstr(m, "multipart/mixed")) {
      assert_non_null(strstr(m, "method=REQUEST"));
      assert_string_equal(cal, ics);
    } else {
      assert_null(cal);
    }
    free(cal);
    /* every line fits the 78-column recommendation of RFC 5322 */
    for (const char *p = m, *nl; (nl = strstr(p, "\r\n")); p = nl + 2)
      assert_true(nl - p <= 78);
  }
}

static void test_erase(void **state) {
  env *e = *state;
  queue(e->store, "e:1", fc_time_now_ms() + 3600000);
  assert_int_equal(
      queue_full(e->store, "dealer1", "e:2", "Jurgen@Example.DE", "s", "t", NULL, "transactional", 0), FC_OK);
  fc_db *db = NULL;
  assert_int_equal(fc_store_db(e->store, &db), FC_OK);
  fc_ctx c = {.db = db};
  assert_int_equal(fc_db_begin(db), FC_OK);
  assert_int_equal(fc_outbox_erase(&c, "dealer1", "jurgen@example.de"), FC_OK);
  assert_int_equal(fc_db_commit(db), FC_OK);
  fc_stmt *q = NULL;
  assert_int_equal(fc_db_query(db, &q,
                               "SELECT COUNT(*) FROM outbox WHERE recipient = '' AND body_text = '' "
                               "AND subject = '' AND status = 'cancelled'",
                               ""),
                   FC_OK);
  assert_int_equal(fc_stmt_step(q), 1);
  assert_int_equal(fc_col_int(q, 0), 2);
  fc_stmt_done(q);
}

/* Two instances on one PostgreSQL database: the FOR UPDATE SKIP LOCKED path. */
static void test_postgres(void **state) {
  env *e = *state;
  const char *base = getenv("FORECOURT_TEST_PG");
  if (!base || !*base) {
    skip();
    return;
  }
  char admin[512], url[512], dbname[64], sql[128];
  snprintf(dbname, sizeof dbname, "fc_outbox_%d", (int)getpid());
  snprintf(admin, sizeof admin, "%spostgres", base);
  snprintf(url, sizeof url, "%s%s", base, dbname);
  PGconn *pg = PQconnectdb(admin);
  assert_int_equal(PQstatus(pg), CONNECTION_OK);
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", dbname);
  PGresult *r = PQexec(pg, sql);
  assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
  PQclear(r);
  fc_store *a = NULL, *b = NULL;
  assert_int_equal(fc_store_open(url, &a), FC_OK);
  assert_int_equal(fc_store_migrate(a, NULL), FC_OK);
  assert_int_equal(fc_store_open(url, &b), FC_OK);
  /* the portable SQL: idempotent queueing keeps the transaction usable, cancel by prefix */
  queue(a, "pg:dup", 0);
  queue(b, "pg:dup", 0);
  queue(a, "pg:cancel:1", 0);
  cancel(b, "pg:cancel");
  long long pending = 0;
  assert_int_equal(fc_outbox_counts(a, &pending, NULL, NULL), FC_OK);
  assert_int_equal(pending, 1);
  two_senders(a, b, &e->sk, &e->cfg, 149, 1); /* plus pg:dup */
  fc_store_close(a);
  fc_store_close(b);
  snprintf(sql, sizeof sql, "DROP DATABASE %s", dbname);
  r = PQexec(pg, sql);
  assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
  PQclear(r);
  PQfinish(pg);
}

int main(void) {
  fc_log_set_level(getenv("FC_TEST_LOG") ? getenv("FC_TEST_LOG") : "error");
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_message_bytes),
      cmocka_unit_test_setup_teardown(test_header_injection, setup, teardown),
      cmocka_unit_test_setup_teardown(test_delivered_exactly_once, setup, teardown),
      cmocka_unit_test_setup_teardown(test_retry_with_backoff, setup, teardown),
      cmocka_unit_test_setup_teardown(test_gives_up, setup, teardown),
      cmocka_unit_test_setup_teardown(test_dedupe, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
      cmocka_unit_test_setup_teardown(test_restart_and_crash, setup, teardown),
      cmocka_unit_test_setup_teardown(test_two_instances, setup, teardown),
      cmocka_unit_test_setup_teardown(test_non_ascii, setup, teardown),
      cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
      cmocka_unit_test_setup_teardown(test_postgres, setup, teardown),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  curl_global_cleanup();
  return rc;
}
