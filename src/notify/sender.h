/* The outbox sender: one background thread per instance that delivers due
 * outbox messages over SMTP.
 *
 * Each round (every poll interval, or at once when woken) it claims up to
 * `batch` due messages in one short transaction, using the store's
 * skip-locked fragment, and stamps them claimed_by = this sender's random id,
 * claimed_until = now + claim. Outside any transaction it then, per message:
 * re-checks and extends the claim (a message cancelled meanwhile is
 * skipped), sends it, and marks it sent, or schedules a retry, with
 * WHERE claimed_by = this sender. So:
 *   - two instances on one database never send the same message (a claim
 *     only passes to another sender once it has expired);
 *   - a crash after claiming only delays the message until its claim expires;
 *   - a crash (or a lost database) after the SMTP server accepted a message
 *     but before it was marked sent makes it go out once more after the claim
 *     expires. This is the one duplicate the design allows: the Message-ID is
 *     the outbox id, so receivers that drop duplicates by Message-ID do so.
 * A sent row keeps claimed_by: the instance that sent it.
 * Retries back off exponentially: base, 2×base, 4×base … capped (defaults
 * 30 s, 1 min, 2 min … 1 h); after max_attempts failed attempts (default 8)
 * the message is marked failed and logged.
 * Claims compare wall-clock times of the instances: keep their clocks in
 * step (NTP) to well under the claim duration. */
#ifndef FC_NOTIFY_SENDER_H
#define FC_NOTIFY_SENDER_H
#include <stdint.h>
#include "notify/smtp.h"
#include "store/store.h"

typedef struct fc_sender fc_sender;

/* Tuning; zero fields take the defaults. */
typedef struct fc_sender_opts {
  int batch;            /* messages claimed per round: 16 */
  int poll_ms;          /* idle wait between rounds: 1000 */
  int64_t base_ms;      /* first retry delay: 30 000 */
  int64_t max_delay_ms; /* longest retry delay: 3 600 000 */
  int max_attempts;     /* failed attempts before "failed": 8 */
  int64_t
      claim_ms; /* claim lifetime: max(120 000, 2 × SMTP timeout + 30 000); must exceed the SMTP timeout */
} fc_sender_opts;

/* Starts the thread with default options. cfg is copied (strings too).
 * FC_EINVAL (logged) when the URL's scheme or the From address is not valid.
 * Initialises libcurl (refcounted; undone by fc_sender_stop). The store must
 * outlive the sender. *out is NULL on failure. */
fc_err fc_sender_start(fc_store *store, const fc_smtp_config *cfg, fc_sender **out) FC_MUST_CHECK;
fc_err fc_sender_start_opts(fc_store *store, const fc_smtp_config *cfg, const fc_sender_opts *opts,
                            fc_sender **out) FC_MUST_CHECK;

/* Asks for a round now (e.g. after committing a message due now). Cheap;
 * callable from any thread; s may be NULL (no sender configured). */
void fc_sender_wake(fc_sender *s);

/* Finishes the message in flight, releases the other claimed ones so
 * another instance (or the next start) takes them at once, joins the thread
 * and frees s. s may be NULL. */
void fc_sender_stop(fc_sender *s);

/* This sender's instance id (the claimed_by value), for logs and tests. */
const char *fc_sender_id(const fc_sender *s);

#endif
