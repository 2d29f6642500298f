"""Online booking: POST /public/dealers/{slug}/bookings and /holds.

Customer and vehicle found or created, the timeline event, the audit entry and the confirmation
in the outbox, 409 with alternatives when the slot is gone, Idempotency-Key, holds on the last
free bay, validation and hostile input. The manage link is in test_booking_manage.py, the staff
side in test_appointments.py, races in test_booking_concurrency.py.

Bookings at the demo dealer garage-amstel take the first free slot the availability offers, so
the tests do not depend on each other; tests that fill a day use a dealer of their own.
"""

import datetime as dt
import json
import random
import re
import unittest
from zoneinfo import ZoneInfo

import harness
from harness import (ADMIN, BRUXELLES_ADMIN, DEALER_ADMIN, SALES, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}
D = {}

AMS = 'Europe/Amsterdam'
ALL_DAYS = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
DEMO_CLOSURES = {dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2027, 1, 1),
                 dt.date(2027, 3, 29), dt.date(2027, 4, 5)}
BOOKING_KEYS = {'id', 'reference', 'start', 'end', 'status', 'manage_token'}
SQLI = "Robert'); DROP TABLE appointments;--"


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN, SALES, BRUXELLES_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


# -- helpers -------------------------------------------------------------------------

def api(who, method, path, body=None, **kw):
    token = T.get(who, who) if who else None
    return SRV.request(method, '/api/v1' + path, body, token=token, **kw)


def today(tz=AMS):
    return dt.datetime.now(ZoneInfo(tz)).date()


def next_weekday(weekday, min_ahead=3, tz=AMS):
    d = today(tz) + dt.timedelta(days=min_ahead)
    while d.weekday() != weekday or d in DEMO_CLOSURES:
        d += dt.timedelta(days=1)
    return d


def local(day, hhmm, tz=AMS):
    h, m = map(int, hhmm.split(':'))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(tz)).isoformat()


def parse(s):
    return dt.datetime.fromisoformat(s.replace('Z', '+00:00'))


def service(code, minutes, skill):
    return {'code': code, 'name': {'en': code.title(), 'fr': code.upper()}, 'duration_min': minutes,
            'skill': skill, 'price': 10.0}


def workshop(hours=(('08:00', '17:00'),), resources=None, **kw):
    doc = {'opening_hours': {d: [list(iv) for iv in hours] for d in ALL_DAYS},
           'resources': resources or [{'id': 'bay', 'name': 'Bay', 'skills': ['maintenance']}],
           'services': [service('oil', 60, 'maintenance')],
           'lead_time_hours': 2, 'horizon_days': 60, 'reserved_share': 0,
           'address': 'Testweg 9'}
    doc.update(kw)
    return doc


def new_dealer(ws):
    slug = unique('bk')
    d = expect(api(ADMIN, 'POST', '/dealers', {'slug': slug, 'name': 'Shop ' + slug,
                                               'timezone': AMS, 'locale': 'en'}), 201)
    expect(api(ADMIN, 'PUT', '/dealers/%s/workshop' % d['id'], ws), 200, 'PUT workshop')
    return d['id'], slug


def slots(slug, services, day, days=1):
    resp = SRV.request('GET', '/api/v1/public/dealers/%s/availability?services=%s&from=%s&days=%d'
                       % (slug, ','.join(services), day.isoformat(), days))
    return expect(resp, 200, 'availability')['slots']


def free_start(slug='garage-amstel', services=('oil',), min_ahead=3):
    """The first free start for services from min_ahead days on."""
    day = today() + dt.timedelta(days=min_ahead)
    got = slots(slug, services, day, 14)
    if not got:
        raise AssertionError('no free slot at %s from %s' % (slug, day))
    return got[0]['start']


def mail():
    return unique('bk') + '@example.test'


def nl_mobile():
    digits = '%08d' % random.randrange(10000000, 99999999)
    return '06 %s %s %s %s' % (digits[0:2], digits[2:4], digits[4:6], digits[6:8]), '+316' + digits


def body(start, services=('oil',), name='Anna Booker', email=None, phone=None, vehicle=None, **kw):
    cust = {'name': name}
    if email is not None or phone is None:
        cust['email'] = email if email is not None else mail()
    if phone is not None:
        cust['phone'] = phone
    b = {'services': list(services), 'start': start, 'customer': cust}
    if vehicle is not None:
        b['vehicle'] = vehicle
    b.update(kw)
    return b


def post_booking(b, slug='garage-amstel', **kw):
    return SRV.request('POST', '/api/v1/public/dealers/%s/bookings' % slug, b, **kw)


def with_ids(b):
    """The booking answer with customer_id and vehicle_id as staff see them (GET
    /appointments/{id}); when the public answer carries them too, they must agree."""
    a = expect(api(ADMIN, 'GET', '/appointments/' + b['id']), 200, 'staff view')
    for k in ('customer_id', 'vehicle_id'):
        if k in b and b[k] != a[k]:
            raise AssertionError('public answer %s %r, staff see %r' % (k, b[k], a[k]))
        b[k] = a[k]
    return b


def book(slug='garage-amstel', **kw):
    start = kw.pop('start', None) or free_start(slug, kw.get('services', ('oil',)))
    return with_ids(expect(post_booking(body(start, **kw), slug), 201, 'booking'))


def hold(slug, start, services=('oil',)):
    return SRV.request('POST', '/api/v1/public/dealers/%s/holds' % slug,
                       {'services': list(services), 'start': start})


def assert_conflict(tc, resp, alternatives=True):
    """409 {"error":{"code":"conflict","message":…,"alternatives":[{start,end},…]}}."""
    expect(resp, 409)
    tc.assertIsInstance(resp.body, dict, resp.describe())
    tc.assertEqual(set(resp.body), {'error'}, resp.describe())
    err = resp.body['error']
    tc.assertEqual(err.get('code'), 'conflict', resp.describe())
    tc.assertTrue(isinstance(err.get('message'), str) and err['message'], resp.describe())
    if alternatives:
        alts = err.get('alternatives')
        tc.assertIsInstance(alts, list, resp.describe())
        for a in alts:
            tc.assertEqual(set(a), {'start', 'end'}, a)
            harness.assert_rfc3339(tc, a['start'])
            harness.assert_rfc3339(tc, a['end'])
    return err


def board(day, dealer_id=None, who=SALES):
    q = '/appointments?date=' + day.isoformat()
    if dealer_id:
        q += '&dealer_id=' + dealer_id
    return expect(api(who, 'GET', q), 200, 'day board')


def board_appointments(day, dealer_id=None, who=SALES):
    b = board(day, dealer_id, who)
    return [a for r in b['resources'] for a in r['appointments']] + b['unassigned']


def pending_outbox():
    text = SRV.request('GET', '/metrics').raw.decode()
    m = re.search(r'^forecourt_outbox_messages\{status="pending"\} (\d+)', text, re.M)
    if not m:
        raise AssertionError('no pending outbox gauge in /metrics')
    return int(m.group(1))


def search_customers(q, who=SALES):
    return SRV.list_all('/api/v1/customers?q=' + harness.urlquote(q), T[who], limit=50)


# -- booking -----------------------------------------------------------------------------

class Book(unittest.TestCase):

    def test_happy_path(self):
        start = free_start()
        email = mail()
        resp = post_booking(body(start, name='Anna de Boer', email=email,
                                 vehicle={'plate': 'HP-%03d-X' % random.randrange(1000),
                                          'mileage_km': 42000},
                                 notes='Squeaky brakes', language='nl'))
        b = expect(resp, 201)
        harness.assert_keys(self, b, BOOKING_KEYS, 'booking')
        b = with_ids(dict(b))
        self.assertRegex(b['reference'], r'^FC-[0-9A-Z]{5}$')
        self.assertRegex(b['manage_token'], r'^fcb_[A-Za-z0-9_-]{20,}$')
        self.assertEqual(len(b['id']), 26)
        self.assertEqual(b['status'], 'booked')
        self.assertEqual(b['start'], start)
        self.assertEqual(parse(b['end']) - parse(b['start']), dt.timedelta(minutes=60))
        self.assertEqual(b['end'][-6:], start[-6:], 'end in the dealer offset too')
        # The customer and the vehicle exist at the dealer.
        c = expect(api(SALES, 'GET', '/customers/' + b['customer_id']), 200)
        self.assertEqual(c['name'], 'Anna de Boer')
        self.assertEqual(c['email'], email)
        self.assertEqual(c['dealer_id'], D['garage-amstel'])
        self.assertIn(b['vehicle_id'], [v['id'] for v in c['vehicles']])
        v = expect(api(SALES, 'GET', '/vehicles/' + b['vehicle_id']), 200)
        self.assertTrue(v['plate'].startswith('HP-'))
        # The slot is on the day board.
        day = parse(start).date()
        mine = [a for a in board_appointments(day) if a['id'] == b['id']]
        self.assertEqual(len(mine), 1)
        a = mine[0]
        self.assertEqual(a['channel'], 'web')
        self.assertEqual(a['status'], 'booked')
        self.assertEqual(a['reference'], b['reference'])
        self.assertEqual(a['start'], start)
        self.assertEqual(a['services'], ['oil'])
        self.assertEqual(a['customer_email'], email)
        self.assertEqual(a['notes'], 'Squeaky brakes')
        self.assertEqual(a['mileage_km'], 42000)

    def test_booked_slot_is_gone_for_the_next_customer(self):
        did, slug = new_dealer(workshop())
        day = next_weekday(1)
        start = local(day, '10:00')
        expect(post_booking(body(start), slug), 201)
        self.assertNotIn(start, [s['start'] for s in slots(slug, ['oil'], day)])
        err = assert_conflict(self, post_booking(body(start), slug))
        alts = err['alternatives']
        self.assertTrue(alts, 'a full slot offers other times')
        free = [s['start'] for s in slots(slug, ['oil'], day, 7)]
        for a in alts:
            self.assertNotEqual(a['start'], start)
            self.assertIn(a['start'], free, 'an alternative is really free')
        # Booking one of the alternatives works.
        expect(post_booking(body(alts[0]['start']), slug), 201)

    def test_timeline_event(self):
        b = book(notes='Via the website')
        events = SRV.list_all('/api/v1/customers/%s/timeline' % b['customer_id'], T[SALES])
        created = [e for e in events if e['type'] == 'booking.created']
        self.assertEqual(len(created), 1, events)
        e = created[0]
        self.assertEqual(e['channel'], 'web')
        self.assertEqual(e['dealer_id'], D['garage-amstel'])
        self.assertEqual(e['payload'].get('reference'), b['reference'])
        self.assertEqual(e['payload'].get('appointment_id'), b['id'])

    def test_audit_entry(self):
        b = book()
        entries = [e for e in SRV.list_all('/api/v1/audit?dealer_id=' + D['garage-amstel'],
                                           T[DEALER_ADMIN]) if e['entity_id'] == b['id']]
        self.assertEqual(len(entries), 1, entries)
        self.assertEqual(entries[0]['action'], 'appointment.create')
        self.assertEqual(entries[0]['dealer_id'], D['garage-amstel'])

    def test_confirmation_goes_to_the_outbox(self):
        before = pending_outbox()
        book()      # three days ahead at least: a confirmation and a reminder
        after = pending_outbox()
        self.assertEqual(after - before, 2, 'confirmation and reminder queued')
        # A customer without e-mail gets no e-mail.
        phone, _ = nl_mobile()
        expect(post_booking(body(free_start(), phone=phone)), 201)
        self.assertEqual(pending_outbox(), after, 'no e-mail for a phone-only customer')

    def test_no_reminder_within_a_day(self):
        # Open around the clock: a booking 3 hours ahead gets its confirmation, no reminder
        # (the reminder would be due before the booking was made).
        did, slug = new_dealer(workshop(hours=(('00:00', '24:00'),)))
        soon = (dt.datetime.now(ZoneInfo(AMS)) + dt.timedelta(hours=3)).replace(
            second=0, microsecond=0)
        soon = soon.replace(minute=0 if soon.minute < 30 else 30)
        if soon.date() != (soon + dt.timedelta(hours=1)).date():
            soon += dt.timedelta(hours=1, minutes=30)     # not over midnight
        before = pending_outbox()
        expect(post_booking(body(soon.isoformat()), slug), 201)
        self.assertEqual(pending_outbox() - before, 1, 'a confirmation only')

    def test_same_email_reuses_the_customer(self):
        email = mail()
        a = book(email=email, name='Piet Puk')
        b = book(email=email.upper(), name='P. Puk')
        self.assertEqual(a['customer_id'], b['customer_id'])
        self.assertNotEqual(a['id'], b['id'])
        self.assertEqual(len(search_customers(email)), 1)

    def test_same_phone_reuses_the_customer(self):
        typed, e164 = nl_mobile()
        a = book(phone=typed, name='Phone Only')
        b = book(phone=e164, name='Phone Only')
        self.assertEqual(a['customer_id'], b['customer_id'])
        c = expect(api(SALES, 'GET', '/customers/' + a['customer_id']), 200)
        self.assertEqual(c['phone_e164'], e164)

    def test_same_plate_reuses_the_vehicle(self):
        plate = 'PL-%03d-%s' % (random.randrange(1000), random.choice('BDFGHJKLNPRSTXZ'))
        email = mail()
        a = book(email=email, vehicle={'plate': plate})
        b = book(email=email, vehicle={'plate': plate.lower().replace('-', ' ')})
        self.assertIsNotNone(a['vehicle_id'])
        self.assertEqual(a['vehicle_id'], b['vehicle_id'])

    def test_same_vin_reuses_the_vehicle(self):
        vin = 'WVWZZZ1KZ6W6%05d' % random.randrange(100000)
        a = book(vehicle={'vin': vin, 'mileage_km': 1000})
        b = book(vehicle={'vin': vin.lower()})
        self.assertEqual(a['vehicle_id'], b['vehicle_id'])
        v = expect(api(SALES, 'GET', '/vehicles/' + a['vehicle_id']), 200)
        self.assertEqual(v['vin'], vin)

    def test_no_vehicle(self):
        b = book()
        self.assertIsNone(b['vehicle_id'])

    def test_unicode_and_sql_round_trip(self):
        name = 'Zoë Ötztürk-山田 🚗'
        b = book(name=name, notes=SQLI, vehicle={'plate': "XX-'; --"})
        c = expect(api(SALES, 'GET', '/customers/' + b['customer_id']), 200)
        self.assertEqual(c['name'], name)
        a = [a for a in board_appointments(parse(b['start']).date()) if a['id'] == b['id']][0]
        self.assertEqual(a['customer_name'], name)
        self.assertEqual(a['notes'], SQLI)
        # Everything still works.
        book()

    def test_multi_service_visit(self):
        start = free_start(services=('oil', 'tires'))
        b = expect(post_booking(body(start, services=('oil', 'tires'))), 201)
        self.assertEqual(parse(b['end']) - parse(b['start']), dt.timedelta(minutes=90))
        a = [a for a in board_appointments(parse(start).date()) if a['id'] == b['id']][0]
        self.assertEqual(a['services'], ['oil', 'tires'])
        self.assertIn(a['resource_id'], ('bay-1', 'bay-2'))

    def test_idempotency_key_returns_the_first_answer(self):
        # Issue 5: "Idempotency-Key makes a retried request return the first answer, not a
        # second booking." A customer's browser retrying after a lost answer is anonymous.
        did, slug = new_dealer(workshop(resources=[{'id': 'a', 'name': 'A', 'skills': ['maintenance']},
                                                   {'id': 'b', 'name': 'B', 'skills': ['maintenance']}]))
        day = next_weekday(2)
        b = body(local(day, '09:00'))
        key = {'Idempotency-Key': unique('idem')}
        first = expect(post_booking(b, slug, headers=key), 201)
        again = post_booking(b, slug, headers=key)
        on_board = [a for a in board_appointments(day, did, ADMIN)]
        self.assertEqual(len(on_board), 1, 'a retry with the same Idempotency-Key booked again: %r'
                         % [a['reference'] for a in on_board])
        self.assertEqual(expect(again, 201)['id'], first['id'])
        self.assertEqual(again.headers.get('Idempotency-Replayed'), 'true')


class Erasure(unittest.TestCase):
    """A booking customer erased (GDPR): no e-mail goes to them any more, the appointment stays
    for the workshop, and the same e-mail booking again is a new customer."""

    def test_erased_customer(self):
        did, slug = new_dealer(workshop())
        day = next_weekday(2)
        email = mail()
        b = with_ids(expect(post_booking(body(local(day, '10:00'), name='Erase Me', email=email),
                                         slug), 201))
        before = pending_outbox()
        expect(api(ADMIN, 'DELETE', '/customers/' + b['customer_id']), 204)
        self.assertEqual(pending_outbox(), before - 2, 'confirmation and reminder withdrawn')
        a = [a for a in board_appointments(day, did, ADMIN) if a['id'] == b['id']]
        self.assertEqual(len(a), 1, 'the appointment stays on the board')
        self.assertIsNone(a[0]['customer_email'])
        self.assertNotEqual(a[0]['customer_name'], 'Erase Me')
        # A move by the link sends nothing to the erased address.
        mid = pending_outbox()
        expect(SRV.request('PATCH', '/api/v1/public/bookings/' + b['manage_token'],
                           {'start': local(day, '14:00')}), 200)
        self.assertEqual(pending_outbox(), mid)
        again = book(slug, start=local(day, '11:00'), name='Erase Me', email=email)
        self.assertNotEqual(again['customer_id'], b['customer_id'])


class Refused(unittest.TestCase):
    """Times that are not free answer 409 and book nothing."""

    def test_not_a_free_slot(self):
        tue = next_weekday(1)
        sun = next_weekday(6)
        past = today() - dt.timedelta(days=7)
        cases = {'off the grid': local(tue, '08:10'), 'lunch': local(tue, '12:00'),
                 'over lunch': local(tue, '11:30'), 'after closing': local(tue, '17:00'),
                 'ends after closing': local(tue, '16:45'), 'before opening': local(tue, '07:00'),
                 'sunday': local(sun, '10:00'), 'in the past': local(past, '10:00'),
                 'beyond the horizon': local(today() + dt.timedelta(days=75), '10:00'),
                 'seconds': local(tue, '08:00').replace(':00+', ':30+', 1)}
        for what, start in cases.items():
            with self.subTest(what=what, start=start):
                email = mail()
                assert_conflict(self, post_booking(body(start, email=email)))
                self.assertEqual(search_customers(email), [], 'no customer left behind')

    def test_extreme_times(self):
        # Far past and far future instants are refused (409 or 422), never a server error.
        for start in ('9999-12-31T23:59:59+23:59', '0001-01-01T00:00:00-23:59',
                      '9999-12-31T23:00:00+01:00', '1000-06-15T10:00:00Z',
                      '1970-01-01T00:00:00Z', '2027-01-05T10:00:60+01:00'):
            with self.subTest(start=start):
                resp = post_booking(body(start))
                self.assertIn(resp.status, (409, 422), resp.describe())
                resp = hold('garage-amstel', start)
                self.assertIn(resp.status, (409, 422), resp.describe())
        self.assertTrue(SRV.alive())

    def test_same_instant_in_another_offset_is_the_same_slot(self):
        did, slug = new_dealer(workshop())
        day = next_weekday(3)
        start = local(day, '10:00')
        utc = parse(start).astimezone(dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        b = expect(post_booking(body(utc), slug), 201)
        self.assertEqual(b['start'], start, 'answered in the dealer offset')
        assert_conflict(self, post_booking(body(start), slug))


class Validation(unittest.TestCase):

    def setUp(self):
        self.start = free_start()

    def test_customer_and_vehicle_fields(self):
        s = self.start
        cases = [
            ('customer.name', body(s, name='')),
            ('customer.name', {'services': ['oil'], 'start': s, 'customer': {'email': mail()}}),
            ('customer.email', {'services': ['oil'], 'start': s, 'customer': {'name': 'No Contact'}}),
            ('customer.email', {'services': ['oil'], 'start': s}),
            ('customer.email', body(s, email='not-an-email')),
            ('customer.phone', body(s, phone='12')),
            ('customer.phone', body(s, phone='call me maybe')),
            ('vehicle.vin', body(s, vehicle={'vin': '123'})),
            ('vehicle.vin', body(s, vehicle={'vin': 'WVWZZZ1KZ6W61230I'})),
            ('vehicle.mileage_km', body(s, vehicle={'plate': 'AA-11-BB', 'mileage_km': -1})),
            ('vehicle.mileage_km', body(s, vehicle={'plate': 'AA-11-BB', 'mileage_km': 5000001})),
            ('start', body(None)),
            ('start', body('2027-01-05T10:00:00')),
            ('start', body('next tuesday')),
            ('services', body(s, services=())),
            ('services', body(s, services=('zzz',))),
            ('services', body(s, services=('oil', 'zzz'))),
            ('services', body(s, services=('oil',) * 6)),
        ]
        for field, b in cases:
            b = {k: v for k, v in b.items() if v is not None}
            email = (b.get('customer') or {}).get('email')
            with self.subTest(field=field, body=json.dumps(b)[:200]):
                assert_error(post_booking(b), 422, 'validation_failed', fields=[field])
                if email and '@' in email:
                    self.assertEqual(search_customers(email), [], 'nothing created')

    def test_impossible_dates(self):
        # A day that does not exist is an invalid start, not the day after it: 2026-11-31 would
        # otherwise book 2026-12-01.
        for start in ('2027-02-30T10:00:00+01:00', '2027-04-31T10:00:00+02:00',
                      '2026-11-31T10:00:00+01:00'):
            with self.subTest(start=start):
                assert_error(post_booking(body(start)), 422, 'validation_failed', fields=['start'])

    def test_wrong_types(self):
        s = self.start
        cases = [('services', body(s) | {'services': 'oil'}),
                 ('services', body(s) | {'services': {'oil': 1}}),
                 ('start', body(s) | {'start': 1767600000}),
                 ('customer', body(s) | {'customer': 'Anna'}),
                 ('customer', body(s) | {'customer': ['Anna']}),
                 ('name', body(s) | {'customer': {'name': ['A'], 'email': mail()}}),
                 ('email', body(s) | {'customer': {'name': 'A', 'email': True}}),
                 ('vehicle', body(s) | {'vehicle': 'AB-12-CD'}),
                 ('plate', body(s, vehicle={'plate': 1234})),
                 ('mileage_km', body(s, vehicle={'plate': 'AB-12-CD', 'mileage_km': '12000'})),
                 ('mileage_km', body(s, vehicle={'plate': 'AB-12-CD', 'mileage_km': 1.5})),
                 ('notes', body(s) | {'notes': {'x': 1}}),
                 ('language', body(s) | {'language': 7}),
                 ('hold_token', body(s) | {'hold_token': 7})]
        for field, b in cases:
            with self.subTest(field=field, body=json.dumps(b)[:160]):
                assert_error(post_booking(b), 400, 'bad_request')

    def test_wrong_type_names_the_field(self):
        # docs/api.md: "fields is present ... for 400 errors about a named field (an unknown
        # field, a wrong type)".
        s = self.start
        cases = [('start', body(s) | {'start': 5}),
                 ('mileage_km', body(s, vehicle={'plate': 'AB-12-CD', 'mileage_km': '12000'}))]
        for field, b in cases:
            with self.subTest(field=field):
                err = assert_error(post_booking(b), 400, 'bad_request')
                self.assertTrue(any(field in k for k in err.get('fields') or {}),
                                'want error.fields naming %s: %r' % (field, err))

    def test_unknown_fields(self):
        s = self.start
        cases = [body(s) | {'price': 0},
                 body(s) | {'customer': {'name': 'A', 'email': mail(), 'is_admin': True}},
                 body(s, vehicle={'plate': 'AB-12-CD', 'colour': 'red'}),
                 body(s) | {'dealer_id': D['bruxelles-auto']},
                 body(s) | {'status': 'collected'}]
        for b in cases:
            with self.subTest(body=json.dumps(b)[:160]):
                assert_error(post_booking(b), 400, 'bad_request')

    def test_malformed_bodies(self):
        path = '/api/v1/public/dealers/garage-amstel/bookings'
        for raw in (b'{', b'{"services": ["oil"],}', b'[]', b'"booking"', b'null', b'',
                    b'\xff\xfe{}', b'{"services": ["oil"]} trailing'):
            with self.subTest(raw=raw):
                assert_error(SRV.request('POST', path, raw=raw), 400, 'bad_request')
        assert_error(SRV.request('POST', path, raw=json.dumps(body(self.start)).encode(),
                                 headers={'Content-Type': 'text/plain'}),
                     415, 'unsupported_media_type')

    def test_huge_body(self):
        chunks = [b'{"notes":"'] + [b'n' * 65536] * 24 + [b'"}']
        resp = SRV.stream('POST', '/api/v1/public/dealers/garage-amstel/bookings', chunks)
        assert_error(resp, 413, 'payload_too_large')
        resp = post_booking(body(self.start, notes='x' * 1001))
        self.assertIn(resp.status, (400, 422), resp.describe())
        self.assertTrue(SRV.alive())

    def test_unknown_dealer(self):
        for slug in ('no-such-dealer', "garage-amstel'--"):
            with self.subTest(slug=slug):
                assert_error(post_booking(body(self.start), slug), 404, 'not_found')
                assert_error(hold(slug, self.start), 404, 'not_found')

    def test_dealer_without_workshop(self):
        slug = unique('nows')
        expect(api(ADMIN, 'POST', '/dealers', {'slug': slug, 'name': 'No workshop',
                                               'timezone': AMS, 'locale': 'en'}), 201)
        assert_error(post_booking(body(self.start), slug), 404, 'not_found')

    def test_wrong_method(self):
        resp = SRV.request('GET', '/api/v1/public/dealers/garage-amstel/bookings')
        assert_error(resp, 405, 'method_not_allowed')
        self.assertIn('POST', resp.headers.get('Allow') or '')


# -- holds ---------------------------------------------------------------------------------

TWO_BAYS = [{'id': 'bay-a', 'name': 'A', 'skills': ['maintenance']},
            {'id': 'bay-b', 'name': 'B', 'skills': ['maintenance']}]


class Holds(unittest.TestCase):

    def test_hold_document(self):
        did, slug = new_dealer(workshop())
        start = local(next_weekday(1), '10:00')
        before = dt.datetime.now(dt.timezone.utc)
        h = expect(hold(slug, start), 201)
        self.assertEqual(set(h), {'hold_token', 'start', 'end', 'expires_at'})
        self.assertRegex(h['hold_token'], r'^fch_[A-Za-z0-9_-]{20,}$')
        self.assertEqual(h['start'], start)
        self.assertEqual(h['end'], local(next_weekday(1), '11:00'))
        harness.assert_rfc3339(self, h['expires_at'])
        # Expiry cannot be waited for here (5 minutes): it is checked to be about 5 minutes out.
        left = parse(h['expires_at']) - before
        self.assertGreater(left, dt.timedelta(minutes=4))
        self.assertLessEqual(left, dt.timedelta(minutes=5, seconds=2))

    def test_hold_on_the_last_free_bay(self):
        did, slug = new_dealer(workshop(resources=TWO_BAYS))
        day = next_weekday(1)
        start = local(day, '10:00')
        h = expect(hold(slug, start), 201)
        self.assertIn(start, [s['start'] for s in slots(slug, ['oil'], day)], 'one bay still free')
        expect(post_booking(body(start), slug), 201, 'the other bay')
        self.assertNotIn(start, [s['start'] for s in slots(slug, ['oil'], day)],
                         'the hold keeps the last bay')
        assert_conflict(self, post_booking(body(start), slug))
        assert_conflict(self, hold(slug, start))
        assert_conflict(self, post_booking(body(start, hold_token='fch_' + 'x' * 43), slug))
        mine = expect(post_booking(body(start, hold_token=h['hold_token']), slug), 201,
                      'the holder books')
        self.assertEqual(mine['start'], start)
        # The hold is used up.
        assert_conflict(self, post_booking(body(start, hold_token=h['hold_token']), slug))
        day_board = board_appointments(day, did, ADMIN)
        self.assertEqual(sorted(a['resource_id'] for a in day_board), ['bay-a', 'bay-b'])

    def test_holder_may_book_without_competition(self):
        did, slug = new_dealer(workshop())
        start = local(next_weekday(2), '09:00')
        h = expect(hold(slug, start), 201)
        b = expect(post_booking(body(start, hold_token=h['hold_token']), slug), 201)
        self.assertEqual(b['start'], start)

    def test_holds_count_against_the_days_capacity(self):
        # One bay 08-12, hourly, a quarter reserved: online may fill 3 hours. Two bookings and
        # a hold fill them, so nothing more is offered online; the holder still books.
        did, slug = new_dealer(workshop(hours=(('08:00', '12:00'),), slot_step_min=60,
                                        reserved_share=0.25))
        day = next_weekday(3)
        expect(post_booking(body(local(day, '08:00')), slug), 201)
        expect(post_booking(body(local(day, '09:00')), slug), 201)
        h = expect(hold(slug, local(day, '10:00')), 201)
        self.assertEqual(slots(slug, ['oil'], day), [])
        assert_conflict(self, post_booking(body(local(day, '11:00')), slug))
        assert_conflict(self, hold(slug, local(day, '11:00')))
        expect(post_booking(body(local(day, '10:00'), hold_token=h['hold_token']), slug), 201)

    def test_release_a_hold(self):
        did, slug = new_dealer(workshop(resources=[{'id': 'bay', 'name': 'Bay', 'skills': ['maintenance', 'tires']}]))
        day = next_weekday(2)
        start = local(day, '11:00')
        h = expect(hold(slug, start), 201)
        self.assertNotIn(start, [s['start'] for s in slots(slug, ['oil'], day)], 'held')
        path = '/api/v1/public/dealers/%s/holds/%s' % (slug, h['hold_token'])
        r = SRV.request('DELETE', path)
        self.assertEqual(r.status, 204, r.describe())
        self.assertIn(start, [s['start'] for s in slots(slug, ['oil'], day)], 'free again')
        # Again, a made-up token, a hostile one: the same answer, nothing else freed.
        other = expect(hold(slug, local(day, '13:00')), 201)
        for token in (h['hold_token'], 'fch_' + 'x' * 43, 'nope', "fch_1'%20OR%20'1'='1", 'fch_' + 'y' * 200):
            with self.subTest(token=token[:20]):
                self.assertEqual(SRV.request('DELETE', '/api/v1/public/dealers/%s/holds/%s' % (slug, token)).status,
                                 204)
        self.assertNotIn(local(day, '13:00'), [s['start'] for s in slots(slug, ['oil'], day)],
                         'the other hold still counts')
        # Another dealer's slug does not release it either.
        r = SRV.request('DELETE', '/api/v1/public/dealers/garage-amstel/holds/' + other['hold_token'])
        self.assertEqual(r.status, 204)
        self.assertNotIn(local(day, '13:00'), [s['start'] for s in slots(slug, ['oil'], day)])
        assert_error(SRV.request('DELETE', '/api/v1/public/dealers/no-such-dealer/holds/' + other['hold_token']),
                     404, 'not_found')
        # A used hold: the booking stays.
        h2 = expect(hold(slug, local(day, '15:00')), 201)
        b = expect(post_booking(body(local(day, '15:00'), hold_token=h2['hold_token']), slug), 201)
        self.assertEqual(SRV.request('DELETE', '/api/v1/public/dealers/%s/holds/%s' % (slug, h2['hold_token'])).status,
                         204)
        self.assertEqual(SRV.request('GET', '/api/v1/public/bookings/' + b['manage_token']).body['status'], 'booked')

    def test_hold_refused(self):
        did, slug = new_dealer(workshop())
        day = next_weekday(4)
        soon = (dt.datetime.now(ZoneInfo(AMS)) + dt.timedelta(minutes=30)).replace(
            second=0, microsecond=0)
        soon = soon.replace(minute=0 if soon.minute < 30 else 30)
        for what, start in (('off grid', local(day, '10:15')), ('closed', local(day, '18:00')),
                            ('lead time', soon.isoformat())):
            with self.subTest(what=what):
                assert_conflict(self, hold(slug, start))

    def test_hold_validation(self):
        did, slug = new_dealer(workshop())
        start = local(next_weekday(1), '10:00')
        path = '/api/v1/public/dealers/%s/holds' % slug
        assert_error(SRV.request('POST', path, {'services': ['oil']}), 422, 'validation_failed',
                     fields=['start'])
        assert_error(SRV.request('POST', path, {'services': ['nope'], 'start': start}), 422,
                     'validation_failed', fields=['services'])
        assert_error(SRV.request('POST', path, {'services': [], 'start': start}), 422,
                     'validation_failed', fields=['services'])
        assert_error(SRV.request('POST', path, {'services': ['oil'], 'start': 'soon'}), 422,
                     'validation_failed', fields=['start'])
        assert_error(SRV.request('POST', path, {'services': ['oil'], 'start': start,
                                                'customer': {'name': 'x'}}), 400, 'bad_request')
        assert_error(SRV.request('POST', path, {'services': 'oil', 'start': start}), 400,
                     'bad_request')
        assert_error(SRV.request('POST', path, raw=b'{"services":'), 400, 'bad_request')
        # Nothing was held.
        self.assertIn(start, [s['start'] for s in slots(slug, ['oil'], next_weekday(1))])


if __name__ == '__main__':
    unittest.main()
