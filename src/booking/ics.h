/* iCalendar (RFC 5545) for a booking, produced with libical. Times are
 * written in UTC, so the file needs no VTIMEZONE and reads the same in every
 * calendar; the customer's calendar shows them in its own zone. */
#ifndef FC_BOOKING_ICS_H
#define FC_BOOKING_ICS_H
#include <stdint.h>

typedef struct fc_ics_event {
  const char *uid;         /* stable across moves and cancellation */
  const char *summary;
  const char *description; /* may be NULL */
  const char *location;    /* the dealer's name and address; may be NULL */
  int64_t start_ms, end_ms, stamp_ms;
  int sequence;            /* raised on every move and on cancellation */
  int cancelled;           /* METHOD:CANCEL + STATUS:CANCELLED */
} fc_ics_event;

/* The calendar as text (malloc'd; the caller frees), or NULL. */
char *fc_ics_render(const fc_ics_event *e);

#endif
