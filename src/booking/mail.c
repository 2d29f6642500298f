/* The customer's e-mails about an appointment, in English, French and Dutch.
 * Pure: strings in, strings out (see mail.h). */
#include <string.h>
#include "booking/mail.h"

typedef struct texts {
  const char *lang;
  const char *confirm, *moved, *cancelled, *reminder;          /* subjects: reference, dealer */
  const char *hello, *on, *is_cancelled, *see_you, *calendar; /* body parts */
  const char *manage, *no_link;
} texts;

/* Placeholders, always in this order: %1 name, %2 reference, %3 dealer, %4 date, %5 time. */
static const texts all[] = {
    {"en", "Confirmed: your appointment %2 at %3", "Moved: your appointment %2 at %3",
     "Cancelled: your appointment %2 at %3", "Reminder: your appointment %2 at %3 tomorrow", "Hello %1,\n\n",
     "your appointment %2 at %3 is on %4 at %5 (local time).\n",
     "your appointment %2 at %3 on %4 at %5 is cancelled.\n", "see you on %4 at %5 at %3.\n",
     "The calendar file is attached.\n", "To move or cancel it: ",
     "To move or cancel it, use the link in your confirmation e-mail, or call us.\n"},
    {"fr", "Confirmé : votre rendez-vous %2 chez %3", "Déplacé : votre rendez-vous %2 chez %3",
     "Annulé : votre rendez-vous %2 chez %3", "Rappel : votre rendez-vous %2 chez %3 demain", "Bonjour %1,\n\n",
     "votre rendez-vous %2 chez %3 est le %4 à %5 (heure locale).\n",
     "votre rendez-vous %2 chez %3 du %4 à %5 est annulé.\n", "à bientôt, le %4 à %5 chez %3.\n",
     "Le fichier de calendrier est joint.\n", "Pour le déplacer ou l'annuler : ",
     "Pour le déplacer ou l'annuler, utilisez le lien de votre e-mail de confirmation, ou appelez-nous.\n"},
    {"nl", "Bevestigd: uw afspraak %2 bij %3", "Verplaatst: uw afspraak %2 bij %3",
     "Geannuleerd: uw afspraak %2 bij %3", "Herinnering: uw afspraak %2 bij %3 morgen", "Beste %1,\n\n",
     "uw afspraak %2 bij %3 is op %4 om %5 (lokale tijd).\n",
     "uw afspraak %2 bij %3 op %4 om %5 is geannuleerd.\n", "tot %4 om %5 bij %3.\n",
     "Het agendabestand zit in de bijlage.\n", "Verplaatsen of annuleren: ",
     "Verplaatsen of annuleren kan via de link in uw bevestigingsmail, of bel ons.\n"},
};

static const texts *texts_for(const char *lang) {
  for (size_t i = 0; lang && i < sizeof all / sizeof *all; i++)
    if (strncmp(lang, all[i].lang, 2) == 0 && (lang[2] == 0 || lang[2] == '-' || lang[2] == '_')) return &all[i];
  return &all[0];
}

typedef struct out {
  char *p, *end;
  int overflow;
} out;

static void put(out *o, const char *s, size_t n) {
  if ((size_t)(o->end - o->p) <= n) {
    o->overflow = 1;
    return;
  }
  memcpy(o->p, s, n);
  o->p += n;
  *o->p = 0;
}

/* Appends template t with %1..%5 replaced by v[0..4]. */
static void fill(out *o, const char *t, const char *const v[5]) {
  for (const char *s = t; *s;) {
    if (s[0] == '%' && s[1] >= '1' && s[1] <= '5') {
      const char *x = v[s[1] - '1'];
      put(o, x, strlen(x));
      s += 2;
    } else {
      const char *pct = strchr(s + 1, '%');
      size_t n = pct ? (size_t)(pct - s) : strlen(s);
      put(o, s, n);
      s += n;
    }
  }
}

int fc_bk_mail_text(const fc_bk_mail_in *in, char *subject, size_t subject_cap, char *body, size_t body_cap) {
  const texts *t = texts_for(in->lang);
  const char *v[5] = {in->name ? in->name : "", in->reference, in->dealer, in->date, in->time};
  out s = {subject, subject + subject_cap, subject_cap == 0}, b = {body, body + body_cap, body_cap == 0};
  if (subject_cap) *subject = 0;
  if (body_cap) *body = 0;
  const char *subj = t->confirm;
  switch (in->what) {
  case FC_BK_MAIL_MOVED: subj = t->moved; break;
  case FC_BK_MAIL_CANCELLED: subj = t->cancelled; break;
  case FC_BK_MAIL_REMINDER: subj = t->reminder; break;
  case FC_BK_MAIL_CONFIRM: break;
  }
  fill(&s, subj, v);
  for (char *p = subject; subject_cap && *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = ' '; /* a header line */
  fill(&b, t->hello, v);
  if (in->what == FC_BK_MAIL_CANCELLED) {
    fill(&b, t->is_cancelled, v);
  } else {
    fill(&b, in->what == FC_BK_MAIL_REMINDER ? t->see_you : t->on, v);
    fill(&b, t->calendar, v);
    if (in->manage_url) {
      fill(&b, t->manage, v);
      put(&b, in->manage_url, strlen(in->manage_url));
      put(&b, "\n", 1);
    } else {
      fill(&b, t->no_link, v);
    }
  }
  return s.overflow || b.overflow ? -1 : 0;
}
