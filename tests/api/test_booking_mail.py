"""The customer's e-mails, followed all the way: outbox -> sender thread -> SMTP (a sink on
loopback) -> the message the customer reads. Each is in the customer's language and, when the
step was the customer's own or a new booking, carries the manage link under --public-url; the
link works. Steps staff take (a move, a cancellation) are e-mailed without it (the token is
stored only hashed), pointing to the confirmation instead."""

import datetime as dt
import re
import unittest

import harness
from harness import DEALER_ADMIN, expect, unique
from smtp_sink import SmtpSink, text_of

PUBLIC = 'https://service.example.test'
SINK = None
SRV = None
T = {}
LINK = re.compile(re.escape(PUBLIC) + r'/manage/(fcb_[A-Za-z0-9_-]{43})')


def setUpModule():
    global SINK, SRV
    SINK = SmtpSink()
    SRV = harness.Server(extra_args=['--smtp-url', SINK.url, '--mail-from', 'Garage <noreply@forecourt.test>',
                                     '--public-url', PUBLIC + '/']).start()
    T['dadmin'] = SRV.login(DEALER_ADMIN)
    T['dealer'] = SRV.dealer_ids(T['dadmin'])['garage-amstel']


def tearDownModule():
    if SRV:
        SRV.stop()
    if SINK:
        SINK.close()


def free_starts(n, days_ahead=3):
    day = dt.date.today() + dt.timedelta(days=days_ahead)
    r = SRV.request('GET', '/api/v1/public/dealers/garage-amstel/availability?services=oil&from=%s&days=7' % day)
    starts = [s['start'] for s in expect(r, 200)['slots']]
    assert len(starts) >= n, starts
    return starts


def book_online(start, email, language):
    return expect(SRV.request('POST', '/api/v1/public/dealers/garage-amstel/bookings', {
        'services': ['oil'], 'start': start, 'language': language,
        'customer': {'name': 'Élodie Mailtest', 'email': email}}), 201, 'booking')


def mail_to(addr, subject_start):
    return SINK.wait_for(lambda m: m['To'] == addr and str(m['Subject']).startswith(subject_start))


class CustomerMail(unittest.TestCase):

    def test_online_booking_in_french_with_a_working_link(self):
        addr = unique('fr') + '@example.test'
        b = book_online(free_starts(1)[0], addr, 'fr')
        m = mail_to(addr, 'Confirmé : votre rendez-vous ' + b['reference'])
        body = text_of(m)
        self.assertIn('Bonjour Élodie Mailtest', body)
        self.assertIn(b['start'][:10], body)
        self.assertIn(b['start'][11:16], body)
        link = LINK.search(body)
        self.assertIsNotNone(link, body)
        self.assertEqual(link.group(1), b['manage_token'], 'the link is the booking\'s own')
        self.assertNotIn(PUBLIC + '//', body, 'the trailing slash of --public-url is dropped')
        self.assertTrue(any(p.get_content_type() == 'text/calendar' for p in m.walk()), 'calendar attached')

    def test_customer_move_mails_the_link_again_staff_move_does_not(self):
        addr = unique('nl') + '@example.test'
        first, second, third = free_starts(3)[:3]
        b = book_online(first, addr, 'nl')
        self.assertIn(b['manage_token'], text_of(mail_to(addr, 'Bevestigd: uw afspraak')))
        expect(SRV.request('PATCH', '/api/v1/public/bookings/' + b['manage_token'], {'start': second}), 200)
        moved = text_of(mail_to(addr, 'Verplaatst: uw afspraak'))
        self.assertEqual(LINK.search(moved).group(1), b['manage_token'])
        # The workshop moves it: the customer is told, without the link (not stored).
        expect(SRV.request('PATCH', '/api/v1/appointments/' + b['id'], {'start': third}, token=T['dadmin']), 200)
        staff = SINK.wait_for(lambda m: m['To'] == addr and 'Verplaatst' in str(m['Subject'])
                              and third[11:16] in text_of(m))
        body = text_of(staff)
        self.assertIsNone(LINK.search(body), body)
        self.assertIn('bevestigingsmail', body)

    def test_phone_booking_gets_a_link_that_works(self):
        addr = unique('ph') + '@example.test'
        start = free_starts(1, days_ahead=10)[0]
        a = expect(SRV.request('POST', '/api/v1/appointments', {
            'dealer_id': T['dealer'], 'channel': 'phone', 'services': ['oil'], 'start': start,
            'language': 'en', 'customer': {'name': 'Phone Caller', 'email': addr}}, token=T['dadmin']), 201)
        self.assertNotIn('manage_token', a, 'staff never see the customer\'s token')
        body = text_of(mail_to(addr, 'Confirmed: your appointment ' + a['reference']))
        token = LINK.search(body).group(1)
        v = expect(SRV.request('GET', '/api/v1/public/bookings/' + token), 200, 'the link works')
        self.assertEqual((v['id'], v['start']), (a['id'], start))
        # Cancelled by the workshop: in English, no link.
        expect(SRV.request('PATCH', '/api/v1/appointments/' + a['id'], {'status': 'cancelled'},
                           token=T['dadmin']), 200)
        body = text_of(mail_to(addr, 'Cancelled: your appointment ' + a['reference']))
        self.assertIn('is cancelled', body)
        self.assertIsNone(LINK.search(body))


if __name__ == '__main__':
    unittest.main()
