/* The customer's appointment e-mails: language choice, placeholders, the
 * manage link or the note without it, header-safe subjects, small buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
/* cmocka needs the headers above first. */
#include <cmocka.h>

#include "booking/mail.h"

static fc_bk_mail_in sample(fc_bk_mail_kind what, const char *lang) {
  fc_bk_mail_in in = {.what = what, .lang = lang, .name = "Anna", .reference = "FC-7K3Q9", .dealer = "Garage Amstel",
                      .date = "2027-04-06", .time = "09:30", .manage_url = "https://x.test/manage/fcb_abc"};
  return in;
}

static void test_languages(void **state) {
  (void)state;
  char s[200], b[1000];
  struct {
    const char *lang, *subject;
  } cases[] = {
      {"en", "Confirmed: your appointment FC-7K3Q9 at Garage Amstel"},
      {"fr", "Confirmé : votre rendez-vous FC-7K3Q9 chez Garage Amstel"},
      {"fr-CA", "Confirmé : votre rendez-vous FC-7K3Q9 chez Garage Amstel"},
      {"nl_BE", "Bevestigd: uw afspraak FC-7K3Q9 bij Garage Amstel"},
      {"de", "Confirmed: your appointment FC-7K3Q9 at Garage Amstel"},
      {"f", "Confirmed: your appointment FC-7K3Q9 at Garage Amstel"},
      {"french", "Confirmed: your appointment FC-7K3Q9 at Garage Amstel"},
      {NULL, "Confirmed: your appointment FC-7K3Q9 at Garage Amstel"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    fc_bk_mail_in in = sample(FC_BK_MAIL_CONFIRM, cases[i].lang);
    assert_int_equal(fc_bk_mail_text(&in, s, sizeof s, b, sizeof b), 0);
    assert_string_equal(s, cases[i].subject);
  }
}

static void test_bodies(void **state) {
  (void)state;
  char s[200], b[1000];
  fc_bk_mail_in in = sample(FC_BK_MAIL_CONFIRM, "nl");
  assert_int_equal(fc_bk_mail_text(&in, s, sizeof s, b, sizeof b), 0);
  assert_string_equal(b, "Beste Anna,\n\nuw afspraak FC-7K3Q9 bij Garage Amstel is op 2027-04-06 om 09:30 (lokale tijd).\n"
                         "Het agendabestand zit in de bijlage.\nVerplaatsen of annuleren: https://x.test/manage/fcb_abc\n");
  in = sample(FC_BK_MAIL_MOVED, "en");
  in.manage_url = NULL;
  assert_int_equal(fc_bk_mail_text(&in, s, sizeof s, b, sizeof b), 0);
  assert_string_equal(s, "Moved: your appointment FC-7K3Q9 at Garage Amstel");
  assert_non_null(strstr(b, "use the link in your confirmation e-mail"));
  assert_null(strstr(b, "https://"));
  in = sample(FC_BK_MAIL_CANCELLED, "fr");
  assert_int_equal(fc_bk_mail_text(&in, s, sizeof s, b, sizeof b), 0);
  assert_string_equal(b, "Bonjour Anna,\n\nvotre rendez-vous FC-7K3Q9 chez Garage Amstel du 2027-04-06 à 09:30 est annulé.\n");
  in = sample(FC_BK_MAIL_REMINDER, "en");
  in.name = NULL;
  assert_int_equal(fc_bk_mail_text(&in, s, sizeof s, b, sizeof b), 0);
  assert_string_equal(s, "Reminder: your appointment FC-7K3Q9 at Garage Amstel tomorrow");
  assert_true(strncmp(b, "Hello ,\n\nsee you on 2027-04-06 at 09:30 at Garage Amstel.\n", 57) == 0);
}

/* Values are copied as they are: a % in a name is not a placeholder, and a
 * line break in the dealer's name cannot start a header of its own. */
static void test_hostile_values(void **state) {
  (void)state;
  char s[200], b[1000];
  fc_bk_mail_in in = sample(FC_BK_MAIL_CONFIRM, "en");
  in.name = "%1 %s %n 100%";
  in.dealer = "Evil\r\nBcc: all@example.test";
  assert_int_equal(fc_bk_mail_text(&in, s, sizeof s, b, sizeof b), 0);
  assert_null(strchr(s, '\r'));
  assert_null(strchr(s, '\n'));
  assert_string_equal(s, "Confirmed: your appointment FC-7K3Q9 at Evil  Bcc: all@example.test");
  assert_true(strncmp(b, "Hello %1 %s %n 100%,\n", 21) == 0);
}

static void test_small_buffers(void **state) {
  (void)state;
  char s[10], b[20];
  fc_bk_mail_in in = sample(FC_BK_MAIL_CONFIRM, "fr");
  assert_int_equal(fc_bk_mail_text(&in, s, sizeof s, b, sizeof b), -1);
  assert_true(strlen(s) < sizeof s);
  assert_true(strlen(b) < sizeof b);
  char big_s[200], big_b[1000];
  assert_int_equal(fc_bk_mail_text(&in, big_s, sizeof big_s, b, sizeof b), -1);
  assert_int_equal(fc_bk_mail_text(&in, s, sizeof s, big_b, sizeof big_b), -1);
  assert_int_equal(fc_bk_mail_text(&in, big_s, sizeof big_s, big_b, sizeof big_b), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_languages),
      cmocka_unit_test(test_bodies),
      cmocka_unit_test(test_hostile_values),
      cmocka_unit_test(test_small_buffers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
