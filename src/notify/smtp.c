/* SMTP delivery of one message: a pure builder (headers, MIME, encodings)
 * and a transport over libcurl.
 *
 * Why the MIME text is built here rather than with curl's MIME API: curl's
 * SMTP root part is always multipart/mixed, while a mail without a calendar
 * must be a plain text/plain mail; and a pure builder lets the exact bytes be
 * unit-tested without a server. Nothing is hand-encoded: base64 comes from
 * libsodium, and the multipart boundary ("=_fc_<id>") cannot occur in base64
 * text, so no content scan is needed. */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "notify/smtp.h"

enum { B64_LINE = 76, WORD_BYTES = 42 /* UTF-8 bytes per encoded word: 56 base64 + 12 = 68 columns */ };

/* A growing buffer; a failed allocation sticks and is reported once at the end. */
typedef struct buf {
  char *p;
  size_t len, cap;
  int oom;
} buf;

static void put_n(buf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

static void put(buf *b, const char *s) { put_n(b, s, strlen(s)); }

static int fail(char *err, size_t cap, const char *msg) {
  if (err && cap) snprintf(err, cap, "%s", msg);
  return -1;
}

int fc_smtp_header_text_valid(const char *s, size_t max) {
  if (!s) return 0;
  size_t n = strlen(s);
  if (n > max) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if ((ch < 0x20 && ch != '\t') || ch == 0x7f) return 0;
  }
  return 1;
}

int fc_smtp_address_valid(const char *addr) {
  size_t n = addr ? strlen(addr) : 0;
  if (n < 3 || n > 254) return 0;
  const char *at = strchr(addr, '@');
  if (!at || at == addr || strchr(at + 1, '@')) return 0;
  const char *dot = strrchr(at, '.');
  if (!dot || dot == at + 1 || !dot[1]) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)addr[i];
    if (ch <= ' ' || ch == 0x7f || strchr("<>,;\"()[]\\", ch)) return 0;
  }
  return 1;
}

static int is_printable_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) return 0;
  return 1;
}

/* Appends bytes as base64 (libsodium), optionally broken into CRLF lines of 76. */
static void put_base64(buf *b, const char *s, size_t n, int lines) {
  size_t elen = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
  char *enc = malloc(elen);
  if (!enc) {
    b->oom = 1;
    return;
  }
  sodium_bin2base64(enc, elen, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
  size_t total = strlen(enc);
  if (!lines) {
    put_n(b, enc, total);
  } else {
    for (size_t o = 0; o < total; o += B64_LINE) {
      put_n(b, enc + o, total - o < B64_LINE ? total - o : B64_LINE);
      put(b, "\r\n");
    }
  }
  free(enc);
}

/* Appends a text body as base64 lines after making its line ends CRLF, the
 * canonical form of text (RFC 2046; RFC 5545 for calendars). */
static void put_text_base64(buf *b, const char *s) {
  size_t n = strlen(s), extra = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) extra++;
  char *c = malloc(n + extra + 1);
  if (!c) {
    b->oom = 1;
    return;
  }
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) c[o++] = '\r';
    c[o++] = s[i];
  }
  put_base64(b, c, o, 1);
  free(c);
}

/* Appends text as RFC 2047 "=?UTF-8?B?...?=" words, each a whole number of
 * UTF-8 characters, folded onto continuation lines. */
static void put_encoded_words(buf *b, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t take = n - i < WORD_BYTES ? n - i : WORD_BYTES;
    /* never cut before a continuation byte (10xxxxxx) */
    while (take > 1 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
      take--;
    if (i) put(b, "\r\n ");
    put(b, "=?UTF-8?B?");
    put_base64(b, s + i, take, 0);
    put(b, "?=");
    i += take;
  }
}

/* A header value: as is when printable ASCII, else encoded words. */
static void put_header_text(buf *b, const char *s, size_t n) {
  if (is_printable_ascii(s, n))
    put_n(b, s, n);
  else
    put_encoded_words(b, s, n);
}

/* Splits "Name <addr>" or "addr": the address into addr, the display name
 * (trimmed, possibly empty) as a pointer and length into from. */
static int parse_from(const char *from, char *addr, size_t acap, const char **name, size_t *name_len) {
  *name = "";
  *name_len = 0;
  if (!fc_smtp_header_text_valid(from, 400)) return -1;
  const char *lt = strchr(from, '<');
  const char *a = from;
  size_t alen = strlen(from);
  if (lt) {
    const char *gt = strchr(lt, '>');
    if (!gt || gt[1]) return -1;
    a = lt + 1;
    alen = (size_t)(gt - a);
    const char *ns = from, *ne = lt;
    while (ns < ne && (*ns == ' ' || *ns == '\t'))
      ns++;
    while (ne > ns && (ne[-1] == ' ' || ne[-1] == '\t'))
      ne--;
    if (ne - ns >= 2 && *ns == '"' && ne[-1] == '"') { /* already quoted: keep the inside */
      ns++;
      ne--;
    }
    *name = ns;
    *name_len = (size_t)(ne - ns);
  }
  if (alen + 1 > acap) return -1;
  memcpy(addr, a, alen);
  addr[alen] = 0;
  return fc_smtp_address_valid(addr) ? 0 : -1;
}

static void put_from(buf *b, const char *name, size_t name_len, const char *addr) {
  put(b, "From: ");
  if (name_len) {
    if (!is_printable_ascii(name, name_len)) {
      put_encoded_words(b, name, name_len);
    } else { /* a quoted-string: specials such as . , : are then harmless */
      put(b, "\"");
      for (size_t i = 0; i < name_len; i++) {
        if (name[i] == '"' || name[i] == '\\') put(b, "\\");
        put_n(b, name + i, 1);
      }
      put(b, "\"");
    }
    put(b, " ");
  }
  put(b, "<");
  put(b, addr);
  put(b, ">\r\n");
}

static void put_date(buf *b, int64_t now_ms) {
  static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = (time_t)(now_ms / 1000);
  struct tm tm;
  char line[64];
  if (!gmtime_r(&t, &tm)) return;
  snprintf(line, sizeof line, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
           months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  put(b, line);
}

/* The METHOD of an iCalendar object (REQUEST, CANCEL, PUBLISH, ...), upper
 * case letters only, or "" when it has none. */
static void ics_method(const char *ics, char *out, size_t cap) {
  out[0] = 0;
  for (const char *line = ics; line && *line;) {
    if (strncasecmp(line, "METHOD:", 7) == 0) {
      const char *v = line + 7;
      size_t n = 0;
      while (v[n] >= 'A' && v[n] <= 'Z' && n + 1 < cap)
        n++;
      if (v[n] == '\r' || v[n] == '\n' || v[n] == 0) {
        memcpy(out, v, n);
        out[n] = 0;
      }
      return;
    }
    line = strchr(line, '\n');
    if (line) line++;
  }
}

static int message_id_valid(const char *id) {
  size_t n = id ? strlen(id) : 0;
  if (n < 1 || n > 64) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= 'a' && id[i] <= 'z') ||
          (id[i] >= '0' && id[i] <= '9') || id[i] == '.' || id[i] == '_' || id[i] == '-'))
      return 0;
  return 1;
}

/* The right-hand side of Message-ID: the From domain when it is a plain
 * host name (receivers' filters like a fully qualified one), else "forecourt". */
static const char *message_id_domain(const char *addr) {
  const char *d = strchr(addr, '@');
  if (!d || !d[1]) return "forecourt";
  d++;
  for (const char *p = d; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
          *p == '-'))
      return "forecourt";
  return d;
}

int fc_smtp_build(const fc_smtp_config *cfg, const char *message_id, const char *to, const char *subject,
                  const char *text, const char *ics, int64_t now_ms, char **out, size_t *len, char *err,
                  size_t cap) {
  *out = NULL;
  if (len) *len = 0;
  char from_addr[256];
  const char *name = NULL;
  size_t name_len = 0;
  if (!cfg || !cfg->from || parse_from(cfg->from, from_addr, sizeof from_addr, &name, &name_len) != 0)
    return fail(err, cap, "the sender address (From) is not valid");
  if (!fc_smtp_address_valid(to)) return fail(err, cap, "the recipient address is not valid");
  if (!fc_smtp_header_text_valid(subject, FC_SMTP_MAX_SUBJECT))
    return fail(err, cap, "the subject is too long or holds control characters");
  if (!message_id_valid(message_id)) return fail(err, cap, "the message id is not valid");
  if (!text || strlen(text) > FC_SMTP_MAX_BODY) return fail(err, cap, "the text is missing or too long");
  if (ics && strlen(ics) > FC_SMTP_MAX_BODY) return fail(err, cap, "the calendar is too long");

  buf b = {0};
  put_date(&b, now_ms);
  put_from(&b, name, name_len, from_addr);
  put(&b, "To: ");
  put(&b, to);
  put(&b, "\r\nSubject: ");
  put_header_text(&b, subject, strlen(subject));
  put(&b, "\r\nMessage-ID: <");
  put(&b, message_id);
  put(&b, "@");
  put(&b, message_id_domain(from_addr));
  put(&b, ">\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
  if (!ics) {
    put(&b, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    put_text_base64(&b, text);
  } else {
    char method[24];
    ics_method(ics, method, sizeof method);
    put(&b, "Content-Type: multipart/mixed; boundary=\"=_fc_");
    put(&b, message_id);
    put(&b, "\"\r\n\r\nThis is a MIME message.\r\n--=_fc_");
    put(&b, message_id);
    put(&b, "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    put_text_base64(&b, text);
    put(&b, "--=_fc_");
    put(&b, message_id);
    put(&b, "\r\nContent-Type: text/calendar; charset=UTF-8");
    if (method[0]) {
      put(&b, "; method=");
      put(&b, method);
    }
    put(&b, "\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; "
            "filename=\"invite.ics\"\r\n\r\n");
    put_text_base64(&b, ics);
    put(&b, "--=_fc_");
    put(&b, message_id);
    put(&b, "--\r\n");
  }
  if (b.oom) {
    free(b.p);
    return fail(err, cap, "out of memory");
  }
  *out = b.p;
  if (len) *len = b.len;
  return 0;
}

typedef struct upload {
  const char *p;
  size_t left;
} upload;

/* The server's last reply line, for the error message (curl's own text for
 * a refused DATA is only "Weird server reply"). */
typedef struct reply {
  char line[160];
} reply;

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *arg) {
  if (type != CURLINFO_HEADER_IN) return 0;
  reply *r = arg;
  size_t n = size < sizeof r->line - 1 ? size : sizeof r->line - 1;
  while (n && (data[n - 1] == '\r' || data[n - 1] == '\n'))
    n--;
  memcpy(r->line, data, n);
  r->line[n] = 0;
  return 0;
}

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg) {
  upload *u = arg;
  size_t n = size * nmemb < u->left ? size * nmemb : u->left;
  memcpy(dst, u->p, n);
  u->p += n;
  u->left -= n;
  return n;
}

/* smtp+starttls://h -> smtp://h with STARTTLS required; smtp:// and smtps:// as they are. */
static int url_for_curl(const char *url, char *out, size_t cap, long *use_ssl) {
  *use_ssl = CURLUSESSL_NONE;
  if (!url) return -1;
  if (strncmp(url, "smtp+starttls://", 16) == 0) {
    *use_ssl = CURLUSESSL_ALL;
    return snprintf(out, cap, "smtp://%s", url + 16) < (int)cap ? 0 : -1;
  }
  if (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0) return -1;
  return snprintf(out, cap, "%s", url) < (int)cap ? 0 : -1;
}

int fc_smtp_send(const fc_smtp_config *cfg, const char *message_id, const char *to, const char *subject,
                 const char *text, const char *ics, char *err, size_t cap) {
  char url[1024], from_addr[256], envelope_from[260], envelope_to[260], curl_err[CURL_ERROR_SIZE] = "";
  long use_ssl = CURLUSESSL_NONE;
  const char *name = NULL;
  size_t name_len = 0, len = 0;
  char *msg = NULL;
  upload up = {0};
  reply last = {{0}};
  CURL *curl = NULL;
  struct curl_slist *rcpt = NULL;
  int rc = -1;

  if (!cfg || url_for_curl(cfg->url, url, sizeof url, &use_ssl) != 0)
    return fail(err, cap, "the SMTP URL must start with smtp://, smtp+starttls:// or smtps://");
  if (fc_smtp_build(cfg, message_id, to, subject, text, ics, (int64_t)time(NULL) * 1000, &msg, &len, err,
                    cap) != 0)
    return -1;
  if (parse_from(cfg->from, from_addr, sizeof from_addr, &name, &name_len) != 0) { /* checked by build */
    fail(err, cap, "the sender address (From) is not valid");
    goto out;
  }
  snprintf(envelope_from, sizeof envelope_from, "<%s>", from_addr);
  snprintf(envelope_to, sizeof envelope_to, "<%s>", to);
  curl = curl_easy_init();
  rcpt = curl_slist_append(NULL, envelope_to);
  if (!curl || !rcpt) {
    fail(err, cap, "out of memory");
    goto out;
  }
  up.p = msg;
  up.left = len;
  long timeout = cfg->timeout_s > 0 ? cfg->timeout_s : 30;
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, envelope_from);
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  if (cfg->user && *cfg->user) curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->user);
  if (cfg->password && *cfg->password) curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg->password);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(curl, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, debug_cb); /* called only when verbose; logs nothing */
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &last);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
  CURLcode res = curl_easy_perform(curl);
  if (res != CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (err && cap)
      snprintf(err, cap, "%s%s%s (SMTP %ld%s%s)", curl_easy_strerror(res), curl_err[0] ? ": " : "", curl_err,
               code, last.line[0] ? ": " : "", last.line);
    goto out;
  }
  rc = 0;
out:
  curl_slist_free_all(rcpt);
  if (curl) curl_easy_cleanup(curl);
  free(msg);
  return rc;
}
