/* The customer's e-mails about an appointment (confirmation, move,
 * cancellation, reminder) in the customer's language: English, French or
 * Dutch ("fr", "fr-CA", "nl-BE" …; anything else gets English). Pure. */
#ifndef FC_BOOKING_MAIL_H
#define FC_BOOKING_MAIL_H
#include <stddef.h>

typedef enum fc_bk_mail_kind { FC_BK_MAIL_CONFIRM, FC_BK_MAIL_MOVED, FC_BK_MAIL_CANCELLED, FC_BK_MAIL_REMINDER } fc_bk_mail_kind;

typedef struct fc_bk_mail_in {
  fc_bk_mail_kind what;
  const char *lang;       /* the customer's, else the dealer's locale; may be NULL */
  const char *name;       /* the customer's name; may be NULL */
  const char *reference;  /* "FC-7K3Q9" */
  const char *dealer;     /* the dealer's name */
  const char *date, *time; /* local, as the customer reads them: "2027-04-06", "09:30" */
  const char *manage_url; /* the customer's manage link, or NULL when this message cannot carry it */
} fc_bk_mail_in;

/* Writes the subject (one line: control characters become spaces) and the
 * plain-text body. Returns 0, or -1 when a buffer was too small (the text is
 * cut, still NUL-terminated). */
int fc_bk_mail_text(const fc_bk_mail_in *in, char *subject, size_t subject_cap, char *body, size_t body_cap);

#endif
