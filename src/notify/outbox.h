/* The outbox: messages to customers, queued in the database inside the
 * business transaction that caused them and sent later by the sender thread
 * (notify/sender.h). A message therefore exists if and only if its cause
 * committed, survives restarts, and is retried until delivered.
 *
 * Queue inside the caller's transaction (c->db between fc_db_begin and
 * fc_db_commit, or in an fc_db_tx callback), then call fc_sender_wake after
 * the commit if the message is due now (the sender also polls every second).
 *
 * The outbox row is the record of what went to whom: kind, recipient,
 * subject, who queued it (c->who) and the request (c->request_id). Rows are
 * kept after sending. See docs/notify.md. */
#ifndef FC_NOTIFY_OUTBOX_H
#define FC_NOTIFY_OUTBOX_H
#include <stdint.h>
#include "app.h"

/* Queues an e-mail. All strings borrowed.
 *   dealer_id   the dealer the message belongs to; NULL for installation-wide.
 *   to          one bare address (fc_smtp_address_valid).
 *   subject     UTF-8, <= 500 bytes, no control characters (header injection is refused).
 *   text        UTF-8 plain text, required, <= 256 KiB.
 *   ics         NULL for a text/plain mail; else an iCalendar object (<= 256 KiB)
 *               sent as a text/calendar part whose method= is its METHOD line.
 *   kind        "transactional" (booking confirmations, reminders, cancellations:
 *               always allowed) or "marketing" (the caller has checked consent).
 *   due_at_ms   when to send; 0 = now.
 *   dedupe_key  required, <= 200 bytes, unique per dealer, e.g. "booking:<id>:confirm:1".
 *               Queueing a key that is already there (in any status, cancelled
 *               included) stores nothing and returns FC_OK: retried requests do
 *               not send twice. To send again deliberately, use a new key
 *               (e.g. raise the trailing sequence number).
 * FC_EINVAL with c->err filled for invalid input; FC_EDB when the insert fails
 * (the caller's transaction must then be rolled back). */
fc_err fc_outbox_email(fc_ctx *c, const char *dealer_id, const char *to, const char *subject,
                       const char *text, const char *ics, const char *kind, int64_t due_at_ms,
                       const char *dedupe_key) FC_MUST_CHECK;

/* Cancels the dealer's pending (unsent) messages whose dedupe_key starts with
 * key_prefix (e.g. "booking:<id>:remind"), in the caller's transaction; the
 * dealer's key index finds them (no scan of all pending mail). A
 * message that a sender has claimed but not yet handed to the SMTP server is
 * not sent (the sender re-checks just before sending); one already being
 * handed over may still arrive. Cancelling nothing is FC_OK. */
fc_err fc_outbox_cancel(fc_ctx *c, const char *dealer_id, const char *key_prefix) FC_MUST_CHECK;

/* Personal data erasure: cancels the dealer's pending messages to `to` and
 * blanks recipient, subject, text and calendar of all its messages to `to`
 * (compared case-insensitively for ASCII), keeping the rows' counts and
 * times. dealer_id NULL means installation-wide messages. */
fc_err fc_outbox_erase(fc_ctx *c, const char *dealer_id, const char *to) FC_MUST_CHECK;

/* Counts by status, for tests and /metrics (any pointer may be NULL). Uses
 * the calling thread's connection. */
fc_err fc_outbox_counts(fc_store *s, long long *pending, long long *sent, long long *failed) FC_MUST_CHECK;

#endif
