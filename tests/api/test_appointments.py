"""The staff side: GET /appointments (day board), POST /appointments (phone and walk-in),
GET/PATCH /appointments/{id} (status flow, mileage at check-in, the tire hotel), and access
across dealers.

The module sets up a dealer of its own, open 00:00-24:00 every day (so a walk-in, which starts
now, always falls in opening hours), with its own service advisor, technician and dealer admin.
"""

import datetime as dt
import json
import random
import sqlite3
import unittest
from zoneinfo import ZoneInfo

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, SALES, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}          # email -> token
D = {}          # slug -> id
W = {}          # the module's dealer: id, slug; its users: advisor, tech, dadmin

AMS = 'Europe/Amsterdam'
ALL_DAYS = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
PASSWORD = 'workshop-pass-1'
APPT_KEYS = {'id', 'dealer_id', 'reference', 'customer_id', 'customer_name', 'customer_phone',
             'customer_email', 'vehicle_id', 'plate', 'resource_id', 'services', 'start', 'end',
             'status', 'channel', 'notes', 'mileage_km', 'sequence'}
SQLI = "1'; UPDATE appointments SET status='collected';--"
TIRES = {'size': '205/55 R16 91V', 'brand': 'Michelin Alpin 6', 'season': 'winter',
         'tread_mm': {'fl': 6.5, 'fr': 6.4, 'rl': 6.0, 'rr': 6.1}, 'location': 'Rack B-12'}


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, SALES, BRAND_MANAGER, BRUXELLES_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))
    slug = unique('wk')
    d = expect(api(ADMIN, 'POST', '/dealers', {'slug': slug, 'name': 'Werkplaats ' + slug,
                                               'timezone': AMS, 'locale': 'nl'}), 201)
    W.update(id=d['id'], slug=slug)
    ws = {'opening_hours': {day: [['00:00', '24:00']] for day in ALL_DAYS},
          'resources': [{'id': 'bay-a', 'name': 'Bay A', 'skills': ['maintenance', 'tires']},
                        {'id': 'bay-b', 'name': 'Bay B', 'skills': ['tires']},
                        {'id': 'lane', 'name': 'Lane', 'skills': ['inspection']},
                        {'id': 'wash', 'name': 'Wash', 'skills': ['wash']}],
          'services': [svc('oil', 60, 'maintenance'), svc('tires', 30, 'tires'),
                       svc('inspection', 45, 'inspection'), svc('wash', 15, 'wash')],
          'slot_step_min': 30, 'lead_time_hours': 2, 'horizon_days': 60, 'reserved_share': 0.2,
          'address': 'Werkweg 1'}
    expect(api(ADMIN, 'PUT', '/dealers/%s/workshop' % d['id'], ws), 200, 'PUT workshop')
    for key, role in (('advisor', 'service_advisor'), ('tech', 'technician'),
                      ('dadmin', 'dealer_admin')):
        email = '%s-%s@example.test' % (key, slug)
        expect(api(ADMIN, 'POST', '/users', {'email': email, 'name': key.title(), 'role': role,
                                             'password': PASSWORD, 'dealer_id': d['id']}), 201)
        T[key] = SRV.login(email, PASSWORD)


def tearDownModule():
    SRV.down()


# -- helpers -------------------------------------------------------------------------

def svc(code, minutes, skill):
    return {'code': code, 'name': {'en': code.title()}, 'duration_min': minutes, 'skill': skill,
            'price': 10.0}


def api(who, method, path, body=None, **kw):
    token = T.get(who, who) if who else None
    return SRV.request(method, '/api/v1' + path, body, token=token, **kw)


def now_local():
    return dt.datetime.now(ZoneInfo(AMS))


def today():
    return now_local().date()


_day_counter = [0]


def fresh_day():
    """A date 3 to ~50 days ahead that no other test of this module uses."""
    _day_counter[0] += 1
    return today() + dt.timedelta(days=2 + _day_counter[0])


def local(day, hhmm):
    h, m = map(int, hhmm.split(':'))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(AMS)).isoformat()


def parse(s):
    return dt.datetime.fromisoformat(s.replace('Z', '+00:00'))


def mail():
    return unique('ap') + '@example.test'


def plate():
    return 'WP-%03d-%s' % (random.randrange(1000), random.choice('BDFGHJKLNPRSTXZ'))


def phone_booking(start, services=('oil',), who='advisor', customer=None, **kw):
    b = {'channel': 'phone', 'services': list(services), 'start': start}
    if customer is None and 'customer_id' not in kw:
        customer = {'name': 'Bel Klant', 'email': mail()}
    if customer is not None:
        b['customer'] = customer
    b.update(kw)
    return api(who, 'POST', '/appointments', b)


def new_phone(start, services=('oil',), **kw):
    return expect(phone_booking(start, services, **kw), 201, 'phone booking')


def walk_in(services=('tires',), who='advisor', **kw):
    b = {'channel': 'walk_in', 'services': list(services),
         'customer': {'name': 'Loop Binnen', 'phone': '+3161%07d' % random.randrange(10 ** 7)}}
    b.update(kw)
    return api(who, 'POST', '/appointments', b)


def patch(aid, who='advisor', **body):
    return api(who, 'PATCH', '/appointments/' + aid, body)


def get(aid, who='advisor'):
    return api(who, 'GET', '/appointments/' + aid)


def board(day, who='advisor', dealer_id=None):
    q = '/appointments?date=' + day.isoformat()
    if dealer_id:
        q += '&dealer_id=' + dealer_id
    return expect(api(who, 'GET', q), 200, 'day board')


def board_ids(day, who='advisor', dealer_id=None):
    b = board(day, who, dealer_id)
    return [a['id'] for r in b['resources'] for a in r['appointments']] + \
        [a['id'] for a in b['unassigned']]


def timeline(customer_id, who='advisor'):
    return SRV.list_all('/api/v1/customers/%s/timeline' % customer_id, T[who])


def assert_conflict(tc, resp):
    expect(resp, 409)
    err = resp.body['error']
    tc.assertEqual(err['code'], 'conflict', resp.describe())
    tc.assertTrue(err.get('message'))
    return err


def outbox(appointment_id):
    """{dedupe_key: status} of the appointment's messages (SQLite file; None on PostgreSQL)."""
    if getattr(harness, 'PG_BASE', None):
        return None
    con = sqlite3.connect('file:%s?mode=ro' % SRV.db, uri=True, timeout=10)
    try:
        return dict(con.execute("SELECT dedupe_key, status FROM outbox WHERE dedupe_key LIKE ?",
                                ('appointment:%s:%%' % appointment_id,)).fetchall())
    finally:
        con.close()


def near_midnight():
    """A walk-in starting now (next whole minute) would not end today: the longest walk-in here
    (inspection) takes 45 minutes, and no visit runs over midnight."""
    n = now_local()
    return (n + dt.timedelta(minutes=50)).date() != n.date()


# -- the day board ---------------------------------------------------------------------------

class DayBoard(unittest.TestCase):

    def test_by_resource_and_time(self):
        day = fresh_day()
        oil = new_phone(local(day, '09:00'), ('oil',), notes=SQLI)
        tire = new_phone(local(day, '09:00'), ('tires',))
        late = new_phone(local(day, '14:00'), ('oil',))
        early = new_phone(local(day, '07:30'), ('oil',))
        insp = new_phone(local(day, '10:00'), ('inspection',))
        gone = new_phone(local(day, '16:00'), ('tires',))
        expect(patch(gone['id'], status='cancelled'), 200)
        b = board(day)
        self.assertEqual(b['date'], day.isoformat())
        self.assertEqual(b['timezone'], AMS)
        self.assertEqual([(r['id'], r['name']) for r in b['resources']],
                         [('bay-a', 'Bay A'), ('bay-b', 'Bay B'), ('lane', 'Lane'), ('wash', 'Wash')])
        by_res = {r['id']: [a['id'] for a in r['appointments']] for r in b['resources']}
        self.assertEqual(by_res['bay-a'], [early['id'], oil['id'], late['id']], 'ordered by time')
        self.assertEqual(by_res['bay-b'], [tire['id']])
        self.assertEqual(by_res['lane'], [insp['id']])
        self.assertEqual(by_res['wash'], [])
        self.assertEqual(b['unassigned'], [])
        a = b['resources'][0]['appointments'][1]
        harness.assert_keys(self, a, APPT_KEYS, 'appointment')
        self.assertEqual(a['notes'], SQLI)
        self.assertEqual(a['status'], 'booked')
        self.assertEqual(a['channel'], 'phone')
        self.assertEqual(a['dealer_id'], W['id'])
        self.assertEqual(a['start'], local(day, '09:00'))
        self.assertEqual(a['end'], local(day, '10:00'))
        self.assertNotIn(gone['id'], board_ids(day), 'cancelled appointments are not on the board')

    def test_who_sees_the_board(self):
        day = fresh_day()
        a = new_phone(local(day, '11:00'))
        for who in ('advisor', 'tech', 'dadmin'):
            with self.subTest(who=who):
                self.assertIn(a['id'], board_ids(day, who))
        self.assertIn(a['id'], board_ids(day, ADMIN, W['id']))
        assert_error(api(ADMIN, 'GET', '/appointments?date=' + day.isoformat()), 422,
                     'validation_failed', fields=['dealer_id'])
        assert_error(api(None, 'GET', '/appointments?date=' + day.isoformat()), 401,
                     'unauthenticated')
        assert_error(api(BRAND_MANAGER, 'GET', '/appointments?date=' + day.isoformat()), 403,
                     'forbidden')
        for who in (BRUXELLES_ADMIN, SALES):
            with self.subTest(who=who):
                assert_error(api(who, 'GET', '/appointments?date=%s&dealer_id=%s'
                                 % (day.isoformat(), W['id'])), 404, 'not_found')
                self.assertNotIn(a['id'], board_ids(day, who), 'never on another dealer\'s board')

    def test_default_date_and_bad_dates(self):
        b = expect(api('advisor', 'GET', '/appointments'), 200)
        self.assertEqual(b['date'], today().isoformat())
        for bad in ('2027-02-30', 'tomorrow', '2027-1-5', '20270105', '2027-01-05T00:00:00Z', "'--"):
            with self.subTest(date=bad):
                assert_error(api('advisor', 'GET', '/appointments?date=' + harness.urlquote(bad)),
                             400, 'bad_request')

    def test_board_across_dst(self):
        # The day of a clock change has 23 or 25 hours; an appointment at 23:30 local is on it.
        z = ZoneInfo(AMS)
        d = today() + dt.timedelta(days=1)
        for _ in range(400):      # staff book beyond the horizon
            nxt = d + dt.timedelta(days=1)
            if dt.datetime(d.year, d.month, d.day, tzinfo=z).utcoffset() != \
                    dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=z).utcoffset():
                break
            d = nxt
        else:
            self.skipTest('no clock change in the next 400 days')
        a = new_phone(local(d, '23:30'), ('tires',))
        b = new_phone(local(d, '00:30'), ('tires',))
        self.assertEqual(set(board_ids(d)) & {a['id'], b['id']}, {a['id'], b['id']})
        self.assertNotIn(a['id'], board_ids(d + dt.timedelta(days=1)))


# -- phone bookings ---------------------------------------------------------------------------

class Phone(unittest.TestCase):

    def test_new_customer(self):
        day = fresh_day()
        email = mail()
        a = new_phone(local(day, '08:00'), customer={'name': 'Jan Bellers', 'email': email,
                                                      'phone': '06 11 22 33 44'},
                      vehicle={'plate': plate(), 'mileage_km': 30000}, notes='Rings twice')
        harness.assert_keys(self, a, APPT_KEYS | {'stored_tires'}, 'appointment')
        self.assertEqual(a['channel'], 'phone')
        self.assertEqual(a['status'], 'booked')
        self.assertEqual(a['start'], local(day, '08:00'))
        self.assertEqual(a['resource_id'], 'bay-a')
        self.assertEqual(a['customer_name'], 'Jan Bellers')
        self.assertEqual(a['customer_email'], email)
        self.assertEqual(a['sequence'], 0)
        self.assertIsNone(a['stored_tires'])
        self.assertRegex(a['reference'], r'^FC-[0-9A-Z]{5}$')
        c = expect(api('advisor', 'GET', '/customers/' + a['customer_id']), 200)
        self.assertEqual(c['phone_e164'], '+31611223344')
        events = [e for e in timeline(a['customer_id']) if e['type'] == 'booking.created']
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]['channel'], 'phone')
        self.assertEqual(expect(get(a['id']), 200)['id'], a['id'])

    def test_existing_customer(self):
        c = expect(api('advisor', 'POST', '/customers', {'name': 'Bestaande Klant', 'email': mail()}),
                   201)
        a = new_phone(local(fresh_day(), '10:00'), customer_id=c['id'])
        self.assertEqual(a['customer_id'], c['id'])
        self.assertEqual(a['customer_name'], 'Bestaande Klant')
        # The same e-mail typed again finds the customer instead of making a second one.
        b = new_phone(local(fresh_day(), '10:00'), customer={'name': 'B. Klant', 'email': c['email']})
        self.assertEqual(b['customer_id'], c['id'])

    def test_other_dealers_customer(self):
        other = expect(api(SALES, 'POST', '/customers', {'name': 'Amstel Klant', 'email': mail()}), 201)
        assert_error(phone_booking(local(fresh_day(), '10:00'), customer_id=other['id']), 422,
                     'validation_failed', fields=['customer_id'])
        assert_error(phone_booking(local(fresh_day(), '10:00'), customer_id='01ZZZZZZZZZZZZZZZZZZZZZZZZ'),
                     422, 'validation_failed', fields=['customer_id'])

    def test_staff_ignore_lead_time_horizon_and_grid(self):
        # Inside the 2-hour lead time. A visit cannot run over midnight (opening intervals end
        # at 24:00), so late in the evening it starts just after it: still inside the lead time.
        now = now_local()
        soon = (now + dt.timedelta(minutes=40)).replace(second=0, microsecond=0)
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 0), tzinfo=now.tzinfo)
        if soon + dt.timedelta(minutes=15) > midnight:
            soon = midnight + dt.timedelta(minutes=5)
        self.assertLess(soon, now + dt.timedelta(hours=2), 'inside the lead time')
        a = new_phone(soon.isoformat(), ('wash',))
        self.assertEqual(parse(a['start']), soon)
        far = today() + dt.timedelta(days=120)
        new_phone(local(far, '10:00'))
        odd = new_phone(local(fresh_day(), '10:10'), ('tires',))
        self.assertEqual(odd['start'][11:16], '10:10')

    def test_past_and_taken(self):
        assert_conflict(self, phone_booking(local(today() - dt.timedelta(days=1), '10:00')))
        day = fresh_day()
        new_phone(local(day, '12:00'), ('tires',))
        new_phone(local(day, '12:00'), ('tires',))
        err = assert_conflict(self, phone_booking(local(day, '12:00'), ('tires',)))
        self.assertIsInstance(err.get('alternatives'), list)
        self.assertTrue(err['alternatives'])
        # Oil needs bay-a, which is taken; inspection still fits on the lane.
        assert_conflict(self, phone_booking(local(day, '12:15'), ('oil',)))
        new_phone(local(day, '12:00'), ('inspection',))

    def test_validation(self):
        s = local(fresh_day(), '10:00')
        cust = {'name': 'V', 'email': mail()}
        cases_422 = [
            ('channel', {'services': ['oil'], 'start': s, 'customer': cust}),
            ('channel', {'channel': 'email', 'services': ['oil'], 'start': s, 'customer': cust}),
            ('channel', {'channel': 'web', 'services': ['oil'], 'start': s, 'customer': cust}),
            ('start', {'channel': 'phone', 'services': ['oil'], 'customer': cust}),
            ('start', {'channel': 'phone', 'services': ['oil'], 'start': '10:00', 'customer': cust}),
            ('customer', {'channel': 'phone', 'services': ['oil'], 'start': s}),
            ('customer', {'channel': 'phone', 'services': ['oil'], 'start': s,
                          'customer': {'email': mail()}}),
            ('services', {'channel': 'phone', 'services': ['nope'], 'start': s, 'customer': cust}),
            ('services', {'channel': 'phone', 'services': [], 'start': s, 'customer': cust}),
            ('services', {'channel': 'phone', 'start': s, 'customer': cust}),
        ]
        for field, b in cases_422:
            with self.subTest(field=field, body=json.dumps(b)[:120]):
                assert_error(api('advisor', 'POST', '/appointments', b), 422, 'validation_failed',
                             fields=[field])
        base = {'channel': 'phone', 'services': ['oil'], 'start': s, 'customer': cust}
        cases_400 = [base | {'colour': 'red'}, base | {'channel': 5}, base | {'services': 'oil'},
                     base | {'start': 5}, base | {'customer': 'V'},
                     base | {'customer': {'name': 'V', 'vip': True}},
                     base | {'vehicle': {'plate': 'X', 'km': 1}}, base | {'customer_id': 5},
                     base | {'status': 'collected'}]
        for b in cases_400:
            with self.subTest(body=json.dumps(b)[:120]):
                assert_error(api('advisor', 'POST', '/appointments', b), 400, 'bad_request')
        for raw in (b'{', b'[]', b''):
            assert_error(api('advisor', 'POST', '/appointments', raw=raw), 400, 'bad_request')
        assert_error(api(None, 'POST', '/appointments', base), 401, 'unauthenticated')
        assert_error(api(BRAND_MANAGER, 'POST', '/appointments', base), 403, 'forbidden')

    def test_extreme_times(self):
        for start in ('9999-12-31T23:00:00+01:00', '0001-01-01T10:00:00+01:00',
                      '9999-12-31T23:59:59+23:59'):
            with self.subTest(start=start):
                resp = phone_booking(start)
                self.assertIn(resp.status, (409, 422), resp.describe())

    def test_admin_names_the_dealer(self):
        s = local(fresh_day(), '10:00')
        b = {'channel': 'phone', 'services': ['oil'], 'start': s, 'customer': {'name': 'A', 'email': mail()}}
        assert_error(api(ADMIN, 'POST', '/appointments', b), 422, 'validation_failed',
                     fields=['dealer_id'])
        a = expect(api(ADMIN, 'POST', '/appointments', b | {'dealer_id': W['id']}), 201)
        self.assertEqual(a['dealer_id'], W['id'])
        # Another dealer's staff cannot book into this dealer.
        assert_error(api(BRUXELLES_ADMIN, 'POST', '/appointments', b | {'dealer_id': W['id']}),
                     404, 'not_found')


# -- walk-ins -----------------------------------------------------------------------------------

class WalkIn(unittest.TestCase):

    def setUp(self):
        if near_midnight():
            self.skipTest('a walk-in that would run past midnight does not fit the 00:00-24:00 day')

    def test_walk_in_starts_now(self):
        before = dt.datetime.now(dt.timezone.utc)
        a = expect(walk_in(('tires',), vehicle={'plate': plate()}), 201)
        after = dt.datetime.now(dt.timezone.utc)
        start = parse(a['start'])
        self.assertEqual(a['channel'], 'walk_in')
        self.assertEqual(a['status'], 'booked')
        self.assertGreaterEqual(start, before.replace(second=0, microsecond=0))
        self.assertLessEqual(start, after + dt.timedelta(minutes=1))
        self.assertEqual(start.second, 0)
        self.assertEqual(parse(a['end']) - start, dt.timedelta(minutes=30))
        self.assertIn(a['resource_id'], ('bay-a', 'bay-b'))
        self.assertIn(a['id'], board_ids(start.astimezone(ZoneInfo(AMS)).date()))
        events = [e for e in timeline(a['customer_id']) if e['type'] == 'booking.created']
        self.assertEqual(events[0]['channel'], 'walk_in')

    def test_walk_in_needs_a_free_resource_now(self):
        expect(walk_in(('wash',)), 201)
        err = assert_conflict(self, walk_in(('wash',)))
        self.assertIsInstance(err.get('alternatives'), list)

    def test_walk_in_ignores_a_given_start(self):
        a = walk_in(('inspection',), start=local(fresh_day(), '10:00'))
        if a.status == 201:
            start = parse(a.body['start'])
            self.assertLess(abs(start - dt.datetime.now(dt.timezone.utc)), dt.timedelta(minutes=2))
        else:
            self.assertIn(a.status, (400, 422), a.describe())


# -- status flow ---------------------------------------------------------------------------------

class StatusFlow(unittest.TestCase):

    def test_the_whole_flow(self):
        day = fresh_day()
        a = new_phone(local(day, '09:00'), ('tires',),
                      customer={'name': 'Flow Klant', 'email': mail()},
                      vehicle={'plate': plate()})
        aid, cid, vid = a['id'], a['customer_id'], a['vehicle_id']
        self.assertIsNotNone(vid)
        c = expect(patch(aid, status='checked_in', mileage_km=15000, tire_set=TIRES), 200)
        self.assertEqual(c['status'], 'checked_in')
        self.assertEqual(c['mileage_km'], 15000)
        self.assertEqual(c['sequence'], 0)
        st = c['stored_tires']
        self.assertIsNotNone(st)
        for k in ('size', 'brand', 'season', 'tread_mm', 'location'):
            self.assertEqual(st[k], TIRES[k], k)
        self.assertEqual(st['vehicle_id'], vid)
        # The same step again changes nothing.
        again = expect(patch(aid, status='checked_in'), 200)
        self.assertEqual(again['status'], 'checked_in')
        expect(patch(aid, status='in_progress', mileage_km=15002), 200)
        expect(patch(aid, status='ready', notes='Done, torque checked'), 200)
        done = expect(patch(aid, status='collected'), 200)
        self.assertEqual(done['status'], 'collected')
        self.assertEqual(done['notes'], 'Done, torque checked')
        self.assertEqual(expect(get(aid), 200)['status'], 'collected')
        # Nothing after collected.
        for to in ('booked', 'checked_in', 'in_progress', 'ready', 'no_show', 'cancelled'):
            with self.subTest(to=to):
                assert_conflict(self, patch(aid, status=to))
        assert_conflict(self, patch(aid, mileage_km=15100))
        # Timeline: one event per step, channel workshop.
        types = [e['type'] for e in timeline(cid) if e['type'].startswith('appointment.')]
        self.assertEqual(sorted(types), sorted(['appointment.checked_in', 'appointment.in_progress',
                                                'appointment.ready', 'appointment.collected']))
        for e in timeline(cid):
            if e['type'].startswith('appointment.'):
                self.assertEqual(e['channel'], 'workshop')
                self.assertEqual(e['payload'].get('appointment_id'), aid)
        # Audit: each change recorded.
        entries = [e for e in SRV.list_all('/api/v1/audit?dealer_id=' + W['id'], T['dadmin'])
                   if e['entity_id'] == aid]
        self.assertGreaterEqual(len([e for e in entries if e['action'] == 'appointment.update']), 4)
        # No reminder for a car that is already here.
        rows = outbox(aid)
        if rows is not None:
            self.assertNotIn('pending', [st for k, st in rows.items() if ':reminder:' in k], rows)
        # Mileage at check-in became vehicle readings (source workshop).
        v = expect(api('advisor', 'GET', '/vehicles/' + vid), 200)
        self.assertEqual(v['mileage_km'], 15002)
        workshop_readings = sorted(r['mileage_km'] for r in v['readings'] if r['source'] == 'workshop')
        self.assertEqual(workshop_readings, [15000, 15002])

    def test_illegal_steps(self):
        day = fresh_day()
        allowed = {'booked': {'checked_in', 'no_show', 'cancelled'},
                   'checked_in': {'in_progress', 'cancelled'},
                   'in_progress': {'ready'}, 'ready': {'collected'},
                   'collected': set(), 'no_show': set(), 'cancelled': set()}
        path = {'booked': [], 'checked_in': ['checked_in'],
                'in_progress': ['checked_in', 'in_progress'],
                'ready': ['checked_in', 'in_progress', 'ready'],
                'no_show': ['no_show'], 'cancelled': ['cancelled']}
        hour = 0
        for frm, steps in path.items():
            for to in allowed:
                if to == frm:
                    continue
                hour += 1
                a = new_phone(local(day, '%02d:%02d' % (hour // 2, 30 * (hour % 2))), ('tires',),
                              customer={'name': 'Step', 'email': mail()})
                for s in steps:
                    expect(patch(a['id'], status=s), 200, 'reach %s' % frm)
                with self.subTest(frm=frm, to=to):
                    resp = patch(a['id'], status=to)
                    if to in allowed[frm]:
                        self.assertEqual(expect(resp, 200)['status'], to)
                    else:
                        assert_conflict(self, resp)
                        self.assertEqual(expect(get(a['id']), 200)['status'], frm)

    def test_same_status_again(self):
        a = new_phone(local(fresh_day(), '10:00'), ('tires',))
        b = expect(patch(a['id'], status='booked'), 200)
        self.assertEqual((b['status'], b['sequence']), ('booked', 0))
        self.assertEqual([e for e in timeline(a['customer_id']) if e['type'].startswith('appointment.')], [])

    def test_no_show(self):
        a = new_phone(local(fresh_day(), '10:00'), ('tires',))
        expect(patch(a['id'], status='no_show'), 200)
        self.assertIn('appointment.no_show', [e['type'] for e in timeline(a['customer_id'])])
        assert_conflict(self, patch(a['id'], status='checked_in'))

    def test_patch_validation(self):
        a = new_phone(local(fresh_day(), '10:00'), ('tires',), vehicle={'plate': plate()})
        aid = a['id']
        assert_error(patch(aid, status='done'), 422, 'validation_failed', fields=['status'])
        assert_error(patch(aid, status='CHECKED_IN'), 422, 'validation_failed', fields=['status'])
        for b in ({'status': 5}, {'status': ['checked_in']}, {'mileage_km': '100'},
                  {'mileage_km': 1.5}, {'notes': 7}, {'colour': 'red'}, {'start': 7},
                  {'start': local(fresh_day(), '11:00'), 'status': 'checked_in'},
                  {'tire_set': 'winter'}, {'resource_id': 'bay-b'}):
            with self.subTest(body=b):
                assert_error(api('advisor', 'PATCH', '/appointments/' + aid, b), 400, 'bad_request')
        assert_error(api('advisor', 'PATCH', '/appointments/' + aid, raw=b'{"status":'), 400,
                     'bad_request')
        # Mileage and tires are for the check-in.
        assert_conflict(self, patch(aid, mileage_km=1000))
        assert_conflict(self, patch(aid, tire_set=TIRES))
        got = expect(get(aid), 200)
        self.assertEqual((got['status'], got['mileage_km'], got['stored_tires']), ('booked', None, None))
        expect(patch(aid, status='checked_in'), 200)
        for field, body in (('mileage_km', {'mileage_km': -5}),
                            ('mileage_km', {'mileage_km': 5000001}),
                            ('tire_set.season', {'tire_set': dict(TIRES, season='spring')}),
                            ('tire_set.tread_mm', {'tire_set': dict(TIRES, tread_mm={'fl': 25})}),
                            ('tire_set.size', {'tire_set': {'brand': 'No size'}})):
            with self.subTest(field=field):
                assert_error(api('advisor', 'PATCH', '/appointments/' + aid, body), 422,
                             'validation_failed', fields=[field])
        for body in ({'tire_set': dict(TIRES, colour='black')},
                     {'tire_set': dict(TIRES, tread_mm={'front': 5})},
                     {'tire_set': dict(TIRES, tread_mm=[6, 6, 6, 6])}):
            with self.subTest(body=json.dumps(body)[:100]):
                assert_error(api('advisor', 'PATCH', '/appointments/' + aid, body), 400, 'bad_request')
        self.assertIsNone(expect(get(aid), 200)['stored_tires'], 'nothing stored by refused requests')

    def test_lower_mileage_is_refused_and_nothing_changes(self):
        p = plate()
        email = mail()
        first = new_phone(local(fresh_day(), '10:00'), ('tires',), customer={'name': 'Km', 'email': email},
                          vehicle={'plate': p})
        expect(patch(first['id'], status='checked_in', mileage_km=50000), 200)
        second = new_phone(local(fresh_day(), '10:00'), ('tires',), customer={'name': 'Km', 'email': email},
                           vehicle={'plate': p})
        self.assertEqual(second['vehicle_id'], first['vehicle_id'])
        assert_error(patch(second['id'], status='checked_in', mileage_km=40000), 422,
                     'validation_failed')
        got = expect(get(second['id']), 200)
        self.assertEqual(got['status'], 'booked', 'the refused check-in did not happen')
        self.assertIsNone(got['mileage_km'])
        self.assertEqual([e for e in timeline(second['customer_id'])
                          if e['type'] == 'appointment.checked_in' and
                          e['payload'].get('appointment_id') == second['id']], [])
        expect(patch(second['id'], status='checked_in', mileage_km=50500), 200)

    def test_mileage_without_vehicle(self):
        a = new_phone(local(fresh_day(), '10:00'), ('tires',))
        self.assertIsNone(a['vehicle_id'])
        assert_error(patch(a['id'], status='checked_in', mileage_km=100), 422, 'validation_failed',
                     fields=['mileage_km'])
        self.assertEqual(expect(get(a['id']), 200)['status'], 'booked')

    def test_staff_cancellation(self):
        day = fresh_day()
        a = new_phone(local(day, '10:00'), ('oil',))
        c = expect(patch(a['id'], status='cancelled'), 200)
        self.assertEqual(c['status'], 'cancelled')
        self.assertEqual(c['sequence'], 1)
        self.assertNotIn(a['id'], board_ids(day))
        self.assertEqual(expect(get(a['id']), 200)['status'], 'cancelled')
        rows = outbox(a['id'])
        if rows is not None:
            key = 'appointment:%s:' % a['id']
            self.assertEqual(rows.get(key + 'cancelled:1'), 'pending', rows)
            self.assertEqual(rows.get(key + 'reminder:0'), 'cancelled', rows)
        # The bay is free again.
        new_phone(local(day, '10:00'), ('oil',))

    def test_technician_moves_the_flow(self):
        a = new_phone(local(fresh_day(), '10:00'), ('tires',))
        expect(patch(a['id'], who='tech', status='checked_in'), 200)
        expect(patch(a['id'], who='tech', status='in_progress'), 200)


# -- staff move an appointment ---------------------------------------------------------------

class StaffMove(unittest.TestCase):

    def test_move_to_a_free_time(self):
        day, other = fresh_day(), fresh_day()
        a = new_phone(local(day, '10:00'), ('oil',), customer={'name': 'Verzet Klant', 'email': mail()})
        m = expect(patch(a['id'], start=local(other, '14:10')), 200, 'staff move off the grid')
        self.assertEqual((m['start'], m['end'], m['status']),
                         (local(other, '14:10'), local(other, '15:10'), 'booked'))
        self.assertEqual(m['sequence'], a['sequence'] + 1)
        self.assertEqual((m['reference'], m['id']), (a['reference'], a['id']))
        self.assertNotIn(a['id'], board_ids(day))
        self.assertIn(a['id'], board_ids(other))
        new_phone(local(day, '10:00'), ('oil',))          # the old time is free again
        kinds = [e['type'] for e in timeline(a['customer_id'])]
        self.assertIn('booking.moved', kinds)
        moves = [e for e in SRV.list_all('/api/v1/audit?dealer_id=' + W['id'], T['dadmin'])
                 if e['entity_id'] == a['id'] and e['action'] == 'appointment.move']
        self.assertEqual(len(moves), 1, moves)
        rows = outbox(a['id'])
        if rows is not None:
            key = 'appointment:%s:' % a['id']
            self.assertEqual(rows.get(key + 'moved:1'), 'pending', rows)
            self.assertEqual(rows.get(key + 'reminder:0'), 'cancelled', rows)
            self.assertEqual(rows.get(key + 'reminder:1'), 'pending', rows)
        # The same time again changes nothing.
        again = expect(patch(a['id'], start=local(other, '14:10')), 200)
        self.assertEqual(again['sequence'], m['sequence'])

    def test_move_with_notes_and_the_manage_link_follows(self):
        day = fresh_day()
        a = new_phone(local(day, '09:00'), ('tires',))
        m = expect(patch(a['id'], start=local(day, '16:00'), notes='Klant belde: later'), 200)
        self.assertEqual((m['start'], m['notes']), (local(day, '16:00'), 'Klant belde: later'))

    def test_move_to_a_taken_time_is_409_with_alternatives_and_changes_nothing(self):
        day = fresh_day()
        # bay-a is the only resource for oil: fill 11:00 there.
        new_phone(local(day, '11:00'), ('oil',))
        a = new_phone(local(day, '08:00'), ('oil',))
        err = assert_conflict(self, patch(a['id'], start=local(day, '11:30')))
        self.assertTrue(err.get('alternatives'), err)
        got = expect(get(a['id']), 200)
        self.assertEqual((got['start'], got['sequence']), (local(day, '08:00'), a['sequence']))

    def test_only_booked_appointments_move(self):
        a = new_phone(local(fresh_day(), '10:00'), ('tires',))
        expect(patch(a['id'], status='checked_in'), 200)
        assert_conflict(self, patch(a['id'], start=local(fresh_day(), '10:00')))
        b = new_phone(local(fresh_day(), '10:00'), ('tires',))
        expect(patch(b['id'], status='cancelled'), 200)
        assert_conflict(self, patch(b['id'], start=local(fresh_day(), '10:00')))

    def test_bad_starts(self):
        a = new_phone(local(fresh_day(), '10:00'), ('tires',))
        for start in ('tomorrow', '2027-04-06T10:00:00', '1999-01-01T10:00:00+01:00',
                      '2227-01-01T10:00:00+01:00', SQLI):
            with self.subTest(start=start):
                assert_error(patch(a['id'], start=start), 422, 'validation_failed', fields=['start'])
        self.assertEqual(expect(get(a['id']), 200)['start'], a['start'], 'untouched')

    def test_other_dealers_staff_cannot_move(self):
        a = new_phone(local(fresh_day(), '10:00'), ('tires',))
        for who in (BRUXELLES_ADMIN, SALES):
            with self.subTest(who=who):
                assert_error(patch(a['id'], who, start=local(fresh_day(), '12:00')), 404, 'not_found')
        self.assertEqual(expect(get(a['id']), 200)['start'], a['start'])


# -- the tire hotel ---------------------------------------------------------------------------------

class TireHotel(unittest.TestCase):

    def test_next_seasonal_booking_shows_the_stored_set(self):
        email = mail()
        cust = {'name': 'Seizoen Klant', 'email': email}
        p = plate()
        autumn = new_phone(local(fresh_day(), '09:00'), ('tires',), customer=cust, vehicle={'plate': p})
        self.assertIsNone(autumn['stored_tires'])
        expect(patch(autumn['id'], status='checked_in', tire_set=TIRES), 200)
        spring = new_phone(local(fresh_day(), '09:00'), ('tires',), customer_id=autumn['customer_id'])
        st = spring['stored_tires']
        self.assertIsNotNone(st, 'the next booking shows the set in storage')
        for k in ('size', 'brand', 'season', 'tread_mm', 'location'):
            self.assertEqual(st[k], TIRES[k], k)
        self.assertEqual(st['vehicle_id'], autumn['vehicle_id'])
        harness.assert_rfc3339(self, st['stored_at'])
        self.assertEqual(expect(get(spring['id']), 200)['stored_tires'], st)
        # At the spring change the summer set goes in; the winter set goes back on the car.
        summer = {'size': '205/55 R16', 'brand': 'Vredestein', 'season': 'summer',
                  'tread_mm': {'fl': 7, 'fr': 7, 'rl': 7.5, 'rr': 7.5}, 'location': 'Rack C-1'}
        expect(patch(spring['id'], status='checked_in', tire_set=summer), 200)
        later = new_phone(local(fresh_day(), '09:00'), ('tires',), customer={'name': 'S', 'email': email})
        self.assertEqual(later['customer_id'], autumn['customer_id'])
        self.assertEqual(later['stored_tires']['season'], 'summer')
        self.assertEqual(later['stored_tires']['location'], 'Rack C-1')
        # Another customer sees nothing of it.
        other = new_phone(local(fresh_day(), '09:00'), ('tires',))
        self.assertIsNone(other['stored_tires'])


# -- across dealers -------------------------------------------------------------------------------

class WorkshopChanges(unittest.TestCase):

    def test_removed_resource_leaves_its_appointments_unassigned(self):
        slug = unique('wc')
        d = expect(api(ADMIN, 'POST', '/dealers', {'slug': slug, 'name': 'Wissel ' + slug,
                                                   'timezone': AMS, 'locale': 'nl'}), 201)
        ws = {'opening_hours': {day: [['08:00', '17:00']] for day in ALL_DAYS},
              'resources': [{'id': 'old', 'name': 'Old', 'skills': ['tires']},
                            {'id': 'new', 'name': 'New', 'skills': ['tires']}],
              'services': [svc('tires', 30, 'tires')]}
        expect(api(ADMIN, 'PUT', '/dealers/%s/workshop' % d['id'], ws), 200)
        day = fresh_day()
        a = expect(api(ADMIN, 'POST', '/appointments', {
            'dealer_id': d['id'], 'channel': 'phone', 'services': ['tires'],
            'start': local(day, '10:00'), 'customer': {'name': 'Blijft', 'email': mail()}}), 201)
        self.assertEqual(a['resource_id'], 'old')
        ws['resources'] = ws['resources'][1:]
        expect(api(ADMIN, 'PUT', '/dealers/%s/workshop' % d['id'], ws), 200, 'second PUT')
        b = board(day, ADMIN, d['id'])
        self.assertEqual([r['id'] for r in b['resources']], ['new'])
        self.assertEqual([x['id'] for x in b['unassigned']], [a['id']], 'not lost from the board')
        self.assertEqual(expect(get(a['id'], ADMIN), 200)['status'], 'booked')


class OtherDealers(unittest.TestCase):

    def test_appointment_of_another_dealer_is_404(self):
        day = fresh_day()
        a = new_phone(local(day, '13:00'))
        for who in (BRUXELLES_ADMIN, SALES):
            with self.subTest(who=who):
                assert_error(get(a['id'], who), 404, 'not_found')
                assert_error(patch(a['id'], who, status='cancelled'), 404, 'not_found')
                assert_error(patch(a['id'], who, status='checked_in', mileage_km=1), 404, 'not_found')
                self.assertNotIn(a['id'], board_ids(day, who))
        self.assertEqual(expect(get(a['id']), 200)['status'], 'booked', 'untouched')
        resp = get(a['id'], BRAND_MANAGER)
        self.assertIn(resp.status, (403, 404), resp.describe())
        assert_error(get(a['id'], None), 401, 'unauthenticated')
        assert_error(get('01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 404, 'not_found')
        assert_error(get(harness.urlquote("x' OR '1'='1")), 404, 'not_found')

    def test_demo_dealers_board_is_not_ours(self):
        # The admin sees both boards, each with only its own appointments.
        day = fresh_day()
        ours = new_phone(local(day, '09:00'))
        amstel = board_ids(day, ADMIN, D['garage-amstel'])
        self.assertNotIn(ours['id'], amstel)
        self.assertIn(ours['id'], board_ids(day, ADMIN, W['id']))


if __name__ == '__main__':
    unittest.main()
