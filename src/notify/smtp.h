/* One e-mail over SMTP with libcurl.
 *
 * A message is built as RFC 5322 text (CRLF line ends) by fc_smtp_build, a
 * pure function, and handed to libcurl, which speaks SMTP (EHLO, optional
 * STARTTLS or implicit TLS, AUTH, MAIL/RCPT/DATA with dot-stuffing).
 *
 * The message: Date, From, To, Subject (RFC 2047 encoded words when not
 * printable ASCII), Message-ID <message_id@domain-of-From> (stable across
 * retries, so receivers can drop a duplicate), MIME-Version, Auto-Submitted
 * (RFC 3834: autoresponders stay quiet). Without a calendar it is a
 * text/plain; charset=UTF-8 mail; with one it is multipart/mixed with the
 * text and a text/calendar; method=<the ICS's METHOD> part (invite.ics).
 * Bodies are base64 (libsodium): any text, any line length, 7-bit safe.
 *
 * libcurl must have been initialised (curl_global_init) before threads use
 * it; fc_sender_start does so. */
#ifndef FC_NOTIFY_SMTP_H
#define FC_NOTIFY_SMTP_H
#include <stddef.h>
#include <stdint.h>

/* All borrowed; only url and from are required.
 *   url       smtp://host[:port]            plain (a local relay or a test sink)
 *             smtp+starttls://host[:port]   STARTTLS required (e.g. port 587)
 *             smtps://host[:port]           TLS from the first byte (e.g. port 465)
 *   from      "noreply@example.com" or "Garage Dupont <noreply@example.com>"
 *   user, password   for SMTP AUTH; NULL for none
 *   timeout_s whole-transaction limit; 0 means 30 */
typedef struct fc_smtp_config {
  const char *url;
  const char *from;
  const char *user;
  const char *password;
  long timeout_s;
} fc_smtp_config;

enum { FC_SMTP_MAX_SUBJECT = 500, FC_SMTP_MAX_BODY = 256 * 1024 };

/* 1 when addr is one bare address fit for RCPT TO and a To header: one '@',
 * a dot in the domain, no spaces, controls, CR/LF or <>,;" and <= 254 bytes. */
int fc_smtp_address_valid(const char *addr);

/* 1 when s may be a header value: at most max bytes, no CR, LF or other
 * control characters (tab allowed). Rejects header injection. */
int fc_smtp_header_text_valid(const char *s, size_t max);

/* Builds the message into *out (malloc'd, taken by the caller, NUL-terminated;
 * *len its length). message_id: the outbox id ([A-Za-z0-9._-], <= 64).
 * text: required; ics may be NULL. now_ms gives the Date header.
 * Returns 0, or -1 with a reason in err (cap bytes) and *out NULL. */
int fc_smtp_build(const fc_smtp_config *cfg, const char *message_id, const char *to, const char *subject,
                  const char *text, const char *ics, int64_t now_ms, char **out, size_t *len, char *err,
                  size_t cap);

/* Sends one message (built as above) to one recipient. Blocks for at most
 * cfg->timeout_s. Returns 0 when the server accepted it (250 after DATA),
 * or -1 with a reason in err: invalid input (nothing is sent), or a network
 * or SMTP failure, which the caller may retry. */
int fc_smtp_send(const fc_smtp_config *cfg, const char *message_id, const char *to, const char *subject,
                 const char *text, const char *ics, char *err, size_t cap);

#endif
