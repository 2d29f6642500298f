"""Workshop set-up and availability: GET/PUT /dealers/{id}/workshop (access, If-Match,
validation, hostile input), the public dealer profile, and GET /public/dealers/{slug}/availability
(first slot at the local opening, lunch break, Sunday, closures, skills and multi-service visits,
lead time, horizon, the reserved share for phone customers, and daylight-saving changes in
Europe/Amsterdam and America/Montreal).

Dates are computed from today in the dealer's zone, so the tests hold whatever day they run.
Tests that change a workshop use a dealer of their own (created as admin@forecourt.test), so
they do not depend on each other; the demo dealer garage-amstel is only read here.
"""

import datetime as dt
import json
import unittest
from zoneinfo import ZoneInfo

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, MONTREAL_SALES, SALES,
                     SERVICE_ADVISOR, TECHNICIAN, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}      # email -> token
D = {}      # slug -> dealer id

AMS = 'Europe/Amsterdam'
MTL = 'America/Montreal'
ALL_DAYS = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
PROFILE_KEYS = {'slug', 'name', 'timezone', 'locale', 'country', 'currency', 'address', 'phone', 'email', 'services',
                'slot_step_min', 'lead_time_hours', 'horizon_days'}


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN, BRAND_MANAGER,
                        BRUXELLES_ADMIN, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


# -- helpers -------------------------------------------------------------------------

def api(who, method, path, body=None, **kw):
    token = T.get(who, who) if who else None
    return SRV.request(method, '/api/v1' + path, body, token=token, **kw)


def today(tz):
    return dt.datetime.now(ZoneInfo(tz)).date()


# The demo workshops' closures; dates picked on the demo dealers avoid them (and the day after).
DEMO_CLOSURES = {dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2027, 1, 1),
                 dt.date(2027, 3, 29), dt.date(2027, 4, 5)}


def next_weekday(tz, weekday, min_ahead=3):
    """The first date at least min_ahead days after today (local) that is weekday (0 = Monday)
    and neither it nor the next day is a demo closure."""
    d = today(tz) + dt.timedelta(days=min_ahead)
    while d.weekday() != weekday or d in DEMO_CLOSURES or d + dt.timedelta(days=1) in DEMO_CLOSURES:
        d += dt.timedelta(days=1)
    return d


def local(day, hhmm, tz):
    """RFC 3339 of a local wall-clock time, as the server writes it."""
    h, m = map(int, hhmm.split(':'))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(tz)).isoformat()


def parse(s):
    return dt.datetime.fromisoformat(s.replace('Z', '+00:00'))


def service(code, minutes, skill, price=50.0, name=None):
    return {'code': code, 'name': name or {'en': code.title()}, 'duration_min': minutes,
            'skill': skill, 'price': price}


def workshop(hours=(('08:00', '17:00'),), days=ALL_DAYS, resources=None, services=None, **kw):
    doc = {'opening_hours': {d: [list(iv) for iv in hours] if d in days else [] for d in ALL_DAYS},
           'resources': resources if resources is not None else
           [{'id': 'bay', 'name': 'Bay', 'skills': ['maintenance', 'tires']}],
           'services': services if services is not None else
           [service('oil', 60, 'maintenance'), service('tires', 30, 'tires')],
           'lead_time_hours': 2, 'horizon_days': 60, 'reserved_share': 0}
    doc.update(kw)
    return doc


def new_dealer(tz=AMS, ws=None):
    """A dealer of its own (as admin), with the workshop ws when given: (id, slug)."""
    slug = unique('ws')
    d = expect(api(ADMIN, 'POST', '/dealers', {'slug': slug, 'name': 'Shop ' + slug,
                                               'timezone': tz, 'locale': 'en'}), 201, 'dealer')
    if ws is not None:
        put(d['id'], ws)
    return d['id'], slug


def put(dealer_id, ws, who=ADMIN, **kw):
    return expect(api(who, 'PUT', '/dealers/%s/workshop' % dealer_id, ws, **kw), 200, 'PUT workshop')


def availability(slug, services, day=None, days=None):
    q = 'services=' + ','.join(services)
    if day is not None:
        q += '&from=' + day.isoformat()
    if days is not None:
        q += '&days=%d' % days
    return SRV.request('GET', '/api/v1/public/dealers/%s/availability?%s' % (slug, q))


def slots(slug, services, day=None, days=None):
    body = expect(availability(slug, services, day, days), 200, 'availability')
    return body['slots']


def book(slug, start, services=('oil',), **extra):
    body = {'services': list(services), 'start': start,
            'customer': {'name': 'Avail Test', 'email': unique('av') + '@example.test'}}
    body.update(extra)
    return SRV.request('POST', '/api/v1/public/dealers/%s/bookings' % slug, body)


def phone_booking(dealer_id, start, services=('oil',)):
    return api(ADMIN, 'POST', '/appointments',
               {'dealer_id': dealer_id, 'channel': 'phone', 'services': list(services),
                'start': start, 'customer': {'name': 'Phone Caller',
                                             'email': unique('ph') + '@example.test'}})


def transitions(tz, days=365):
    """The local dates within the next `days` days on which the UTC offset changes:
    [(date, offset_before, offset_after)]."""
    z = ZoneInfo(tz)
    out = []
    d = today(tz) + dt.timedelta(days=1)
    prev = dt.datetime(d.year, d.month, d.day, 0, 0, tzinfo=z).utcoffset()
    for _ in range(days - 1):
        nxt = d + dt.timedelta(days=1)
        off = dt.datetime(nxt.year, nxt.month, nxt.day, 0, 0, tzinfo=z).utcoffset()
        if off != prev:
            out.append((d, prev, off))
        prev = off
        d = nxt
    return out


# -- the workshop document ---------------------------------------------------------------

class ReadWorkshop(unittest.TestCase):

    def test_demo_workshop_as_staff(self):
        for who in (SALES, SERVICE_ADVISOR, TECHNICIAN, DEALER_ADMIN, ADMIN):
            with self.subTest(who=who):
                resp = api(who, 'GET', '/dealers/%s/workshop' % D['garage-amstel'])
                doc = expect(resp, 200)
                self.assertRegex(resp.headers.get('ETag') or '', r'^"v\d+"$')
                self.assertEqual(set(doc['opening_hours']), set(ALL_DAYS))
                self.assertEqual(doc['opening_hours']['sun'], [])
                self.assertEqual(doc['opening_hours']['tue'], [['08:00', '12:00'], ['13:00', '17:30']])
                self.assertEqual([r['id'] for r in doc['resources']], ['bay-1', 'bay-2', 'lane'])
                codes = {s['code'] for s in doc['services']}
                self.assertEqual(codes, {'oil', 'service', 'tires', 'diagnosis', 'inspection'})
                self.assertEqual(doc['slot_step_min'], 30)
                self.assertEqual(doc['horizon_days'], 60)

    def test_brand_manager_of_a_holding_brand_reads(self):
        # hq@aurora.test manages Aurora, held by garage-amstel but not by montreal-motors.
        expect(api(BRAND_MANAGER, 'GET', '/dealers/%s/workshop' % D['garage-amstel']), 200)
        assert_error(api(BRAND_MANAGER, 'GET', '/dealers/%s/workshop' % D['montreal-motors']),
                     404, 'not_found')

    def test_other_dealers_staff_get_404(self):
        for who in (BRUXELLES_ADMIN, MONTREAL_SALES):
            with self.subTest(who=who):
                assert_error(api(who, 'GET', '/dealers/%s/workshop' % D['garage-amstel']),
                             404, 'not_found')

    def test_unknown_dealer_and_anonymous(self):
        assert_error(api(ADMIN, 'GET', '/dealers/01ZZZZZZZZZZZZZZZZZZZZZZZZ/workshop'), 404, 'not_found')
        assert_error(api(None, 'GET', '/dealers/%s/workshop' % D['garage-amstel']), 401, 'unauthenticated')

    def test_dealer_without_workshop(self):
        did, slug = new_dealer()
        assert_error(api(ADMIN, 'GET', '/dealers/%s/workshop' % did), 404, 'not_found')
        assert_error(SRV.request('GET', '/api/v1/public/dealers/' + slug), 404, 'not_found')
        assert_error(availability(slug, ['oil']), 404, 'not_found')


class WriteWorkshop(unittest.TestCase):

    def test_put_as_admin_and_read_back(self):
        did, _ = new_dealer()
        ws = workshop(closures=['2031-01-01'], address='Kade 1', phone='+31 20 555 0199',
                      email='shop@example.test', slot_step_min=15, lead_time_hours=4,
                      horizon_days=90, reserved_share=0.3)
        resp = api(ADMIN, 'PUT', '/dealers/%s/workshop' % did, ws)
        doc = expect(resp, 200)
        self.assertEqual(resp.headers.get('ETag'), '"v1"')
        got = api(ADMIN, 'GET', '/dealers/%s/workshop' % did)
        self.assertEqual(expect(got, 200), doc)
        self.assertEqual(got.headers.get('ETag'), '"v1"')
        self.assertEqual(doc['closures'], ['2031-01-01'])
        self.assertEqual(doc['slot_step_min'], 15)
        self.assertEqual(doc['lead_time_hours'], 4)
        self.assertEqual(doc['horizon_days'], 90)
        self.assertAlmostEqual(doc['reserved_share'], 0.3)
        resp = api(ADMIN, 'PUT', '/dealers/%s/workshop' % did, ws)
        self.assertEqual(resp.headers.get('ETag'), '"v2"', resp.describe())

    def test_defaults(self):
        did, _ = new_dealer()
        ws = workshop()
        for k in ('lead_time_hours', 'horizon_days', 'reserved_share'):
            del ws[k]
        doc = put(did, ws)
        self.assertEqual(doc['slot_step_min'], 30)
        self.assertEqual(doc['lead_time_hours'], 2)
        self.assertEqual(doc['horizon_days'], 60)
        self.assertEqual(doc['reserved_share'], 0)
        self.assertEqual(doc['closures'], [])

    def test_dealer_admin_puts_own_workshop(self):
        doc = expect(api(DEALER_ADMIN, 'GET', '/dealers/%s/workshop' % D['garage-amstel']), 200)
        resp = api(DEALER_ADMIN, 'PUT', '/dealers/%s/workshop' % D['garage-amstel'], doc)
        self.assertEqual(expect(resp, 200), doc)

    def test_who_may_not_put(self):
        ws = expect(api(ADMIN, 'GET', '/dealers/%s/workshop' % D['garage-amstel']), 200)
        path = '/dealers/%s/workshop' % D['garage-amstel']
        for who in (SALES, SERVICE_ADVISOR, TECHNICIAN, BRAND_MANAGER):
            with self.subTest(who=who):
                assert_error(api(who, 'PUT', path, ws), 403, 'forbidden')
        for who in (BRUXELLES_ADMIN, MONTREAL_SALES):
            with self.subTest(who=who):
                assert_error(api(who, 'PUT', path, ws), 404, 'not_found')
        assert_error(api(None, 'PUT', path, ws), 401, 'unauthenticated')
        # Nothing changed.
        self.assertEqual(expect(api(ADMIN, 'GET', path), 200), ws)

    def test_other_dealers_admin_cannot_put_a_new_dealer(self):
        did, _ = new_dealer()
        assert_error(api(DEALER_ADMIN, 'PUT', '/dealers/%s/workshop' % did, workshop()), 404, 'not_found')
        assert_error(api(ADMIN, 'GET', '/dealers/%s/workshop' % did), 404, 'not_found')

    def test_if_match(self):
        did, _ = new_dealer(ws=workshop())
        path = '/dealers/%s/workshop' % did
        assert_error(api(ADMIN, 'PUT', path, workshop(), headers={'If-Match': '"v7"'}), 412,
                     'precondition_failed')
        assert_error(api(ADMIN, 'PUT', path, workshop(), headers={'If-Match': 'garbage'}), 412,
                     'precondition_failed')
        resp = api(ADMIN, 'PUT', path, workshop(address='Second'), headers={'If-Match': '"v1"'})
        expect(resp, 200)
        self.assertEqual(resp.headers.get('ETag'), '"v2"')
        assert_error(api(ADMIN, 'PUT', path, workshop(address='Third'), headers={'If-Match': '"v1"'}),
                     412, 'precondition_failed')
        self.assertEqual(expect(api(ADMIN, 'GET', path), 200)['address'], 'Second')

    def test_resource_ids_are_generated(self):
        did, _ = new_dealer()
        ws = workshop(resources=[{'name': 'Left', 'skills': ['maintenance']},
                                 {'name': 'Right', 'skills': ['maintenance']}])
        doc = put(did, ws)
        ids = [r.get('id') for r in doc['resources']]
        self.assertTrue(all(isinstance(i, str) and i for i in ids), doc['resources'])
        self.assertEqual(len(set(ids)), 2)

    def test_document_read_can_be_put_back(self):
        # The usual edit cycle: GET, change one thing, PUT. Generated resource ids must be
        # accepted back, or no workshop with generated ids can ever be edited again.
        did, _ = new_dealer()
        put(did, workshop(resources=[{'name': 'Generated', 'skills': ['maintenance']}]))
        doc = expect(api(ADMIN, 'GET', '/dealers/%s/workshop' % did), 200)
        doc['address'] = 'Changed street 2'
        resp = api(ADMIN, 'PUT', '/dealers/%s/workshop' % did, doc)
        self.assertEqual(expect(resp, 200, 'PUT back what GET gave')['address'], 'Changed street 2')

    def test_validation(self):
        did, _ = new_dealer()
        path = '/dealers/%s/workshop' % did
        svc = service('oil', 60, 'maintenance')
        cases = {
            'opening_hours': [dict(opening_hours=None)],
            'opening_hours ': [workshop(hours=(('12:00', '08:00'),)),
                               workshop(hours=(('08:00', '12:00'), ('11:00', '13:00'))),
                               workshop(hours=(('13:00', '17:00'), ('08:00', '12:00'))),
                               workshop(hours=(('08:00', '09:00'), ('09:00', '10:00'), ('10:00', '11:00'),
                                               ('11:00', '12:00'), ('13:00', '14:00'))),
                               workshop(hours=(('8:00', '12:00'),)),
                               workshop(hours=(('08:00', '24:30'),)),
                               workshop(hours=(('08:60', '12:00'),))],
            'closures': [workshop(closures=['2027-02-30']), workshop(closures=['27-01-01']),
                         workshop(closures=['2027-1-1'])],
            'services': [workshop(services=[dict(svc, duration_min=4)]),
                         workshop(services=[dict(svc, duration_min=601)]),
                         workshop(services=[dict(svc, price=-1)]),
                         workshop(services=[svc, dict(svc)]),
                         workshop(services=[dict(svc, code='Oil Change')]),
                         workshop(services=[dict(svc, name={})]),
                         workshop(services=[dict(svc, name={'en': ''})]),
                         workshop(services=[dict(svc, code='s%d' % i) for i in range(65)]),
                         workshop(services=[svc, {k: v for k, v in svc.items() if k != 'skill'}]),
                         workshop(services=[dict(svc, code='')])],
            'resources': [workshop(resources=[{'id': 'a', 'name': 'A', 'skills': []}, {'id': 'b', 'skills': []}]),
                          workshop(resources=[{'id': 'a', 'name': 'A', 'skills': []},
                                              {'id': 'a', 'name': 'B', 'skills': []}]),
                          workshop(resources=[{'id': 'r%d' % i, 'name': 'R', 'skills': ['x']}
                                              for i in range(65)]),
                          workshop(resources=[{'id': 'a', 'name': 'A', 'skills': ['Not A Skill']}]),
                          workshop(resources=[{'id': 'a', 'name': 'A',
                                               'skills': ['s%d' % i for i in range(9)]},
                                              {'id': 'b', 'name': 'B',
                                               'skills': ['t%d' % i for i in range(9)]}])],
            'slot_step_min': [workshop(slot_step_min=4), workshop(slot_step_min=241)],
            'lead_time_hours': [workshop(lead_time_hours=-1), workshop(lead_time_hours=721)],
            'horizon_days': [workshop(horizon_days=0), workshop(horizon_days=366)],
            'reserved_share': [workshop(reserved_share=0.95), workshop(reserved_share=-0.1)],
        }
        for field, docs in cases.items():
            for doc in docs:
                doc = {k: v for k, v in doc.items() if v is not None}
                with self.subTest(field=field, doc=json.dumps(doc)[:200]):
                    assert_error(api(ADMIN, 'PUT', path, doc), 422, 'validation_failed',
                                 fields=[field.strip()])
        # More than 16 skills on one resource.
        assert_error(api(ADMIN, 'PUT', path, workshop(resources=[
            {'id': 'a', 'name': 'A', 'skills': ['s%d' % i for i in range(17)]}])),
            422, 'validation_failed')
        assert_error(api(ADMIN, 'GET', path), 404, 'not_found', msg='nothing was stored')

    def test_wrong_types_and_unknown_fields(self):
        did, _ = new_dealer()
        path = '/dealers/%s/workshop' % did
        bad = [workshop(colour='red'),
               workshop(opening_hours=[['08:00', '12:00']]),
               workshop(opening_hours={'monday': [['08:00', '12:00']]}),
               workshop(opening_hours={'mon': '08:00-12:00'}),
               workshop(opening_hours={'mon': [[8, 12]]}),
               workshop(resources='bay'),
               workshop(resources=[{'id': 'a', 'name': 'A', 'skills': [], 'colour': 1}]),
               workshop(services={'oil': 1}),
               workshop(services=[dict(service('oil', 60, 'maintenance'), duration_min='60')]),
               workshop(services=[dict(service('oil', 60, 'maintenance'), extra=True)]),
               workshop(slot_step_min='30'), workshop(slot_step_min=30.5),
               workshop(horizon_days=True), workshop(reserved_share='0.2'),
               workshop(closures='2027-01-01'), workshop(closures=[20270101]),
               workshop(address=12)]
        for doc in bad:
            with self.subTest(doc=json.dumps(doc)[:160]):
                assert_error(api(ADMIN, 'PUT', path, doc), 400, 'bad_request')
        assert_error(api(ADMIN, 'PUT', path, raw=b'{"opening_hours": {'), 400, 'bad_request')
        assert_error(api(ADMIN, 'PUT', path, raw=b'[]'), 400, 'bad_request')
        assert_error(api(ADMIN, 'PUT', path, raw=b'{}', headers={'Content-Type': 'text/plain'}),
                     415, 'unsupported_media_type')

    def test_huge_body(self):
        did, _ = new_dealer()
        chunks = [b'{"address":"'] + [b'x' * 65536] * 24 + [b'"}']
        resp = SRV.stream('PUT', '/api/v1/dealers/%s/workshop' % did, chunks,
                          token=T[ADMIN])
        assert_error(resp, 413, 'payload_too_large')
        self.assertTrue(SRV.alive())

    def test_hostile_strings_round_trip(self):
        did, slug = new_dealer()
        sqli = "Robert'); DROP TABLE workshops;--"
        names = {'en': 'Oil <b>change</b>', 'fr': 'Vidange « huile »', 'nl': 'Olie 🛢',
                 'ja': 'オイル交換'}
        ws = workshop(address=sqli, services=[service('oil', 60, 'maintenance', name=names)])
        doc = put(did, ws)
        self.assertEqual(doc['address'], sqli)
        prof = expect(SRV.request('GET', '/api/v1/public/dealers/' + slug), 200)
        self.assertEqual(prof['address'], sqli)
        self.assertEqual(prof['services'][0]['name'], names)
        # The tables are still there.
        self.assertTrue(slots(slug, ['oil'], next_weekday(AMS, 1), 1))


# -- the public profile --------------------------------------------------------------------

class PublicProfile(unittest.TestCase):

    def test_demo_dealer(self):
        prof = expect(SRV.request('GET', '/api/v1/public/dealers/garage-amstel'), 200)
        harness.assert_keys(self, prof, PROFILE_KEYS, 'profile')
        self.assertEqual(prof['slug'], 'garage-amstel')
        self.assertEqual(prof['name'], 'Garage Amstel')
        self.assertEqual(prof['timezone'], AMS)
        self.assertEqual((prof['country'], prof['currency']), ('NL', 'EUR'))
        self.assertEqual(prof['address'], 'Demo street 1')
        oil = [s for s in prof['services'] if s['code'] == 'oil'][0]
        self.assertEqual(oil['duration_min'], 60)
        self.assertEqual(oil['price'], 149.0)
        self.assertEqual(oil['name']['fr'], 'Vidange')
        self.assertEqual(prof['slot_step_min'], 30)
        self.assertEqual(prof['lead_time_hours'], 2)
        self.assertEqual(prof['horizon_days'], 60)
        # No internals for the public: resources, skills and closures stay inside.
        self.assertNotIn('resources', prof)
        for s in prof['services']:
            self.assertNotIn('skill', s)

    def test_montreal_time_zone(self):
        prof = expect(SRV.request('GET', '/api/v1/public/dealers/montreal-motors'), 200)
        self.assertEqual(prof['timezone'], MTL)
        self.assertEqual(prof['name'], 'Montréal Motors')
        self.assertEqual((prof['country'], prof['currency']), ('CA', 'CAD'))

    def test_unknown_slug(self):
        for slug in ('no-such-dealer', 'GARAGE-AMSTEL', "x'%20OR%201=1--", '%00'):
            with self.subTest(slug=slug):
                assert_error(SRV.request('GET', '/api/v1/public/dealers/' + slug), 404, 'not_found')
                assert_error(SRV.request('GET', '/api/v1/public/dealers/%s/availability?services=oil'
                                         % slug), 404, 'not_found')

    def test_needs_no_account_and_ignores_bad_credentials(self):
        resp = SRV.request('GET', '/api/v1/public/dealers/garage-amstel',
                           headers={'Authorization': 'Bearer fcs_not_a_session'})
        expect(resp, 200)


# -- availability -----------------------------------------------------------------------------

class Availability(unittest.TestCase):

    def test_tuesday_first_slot_and_lunch(self):
        tue = next_weekday(AMS, 1)
        body = expect(availability('garage-amstel', ['oil'], tue, 1), 200)
        self.assertEqual(body['timezone'], AMS)
        self.assertEqual(body['services'], ['oil'])
        got = body['slots']
        self.assertTrue(got, 'no slots on %s' % tue)
        self.assertEqual(got[0]['start'], local(tue, '08:00', AMS))
        self.assertEqual(got[0]['end'], local(tue, '09:00', AMS))
        starts = [s['start'] for s in got]
        self.assertEqual(len(starts), len(set(starts)), 'one entry per start')
        noon, one = parse(local(tue, '12:00', AMS)), parse(local(tue, '13:00', AMS))
        close = parse(local(tue, '17:30', AMS))
        for s in got:
            harness.assert_rfc3339(self, s['start'])
            a, b = parse(s['start']), parse(s['end'])
            self.assertEqual(b - a, dt.timedelta(minutes=60), s)
            self.assertEqual(a.utcoffset(), parse(local(tue, '08:00', AMS)).utcoffset(), s)
            self.assertEqual(a.date(), tue, s)
            self.assertFalse(a < one and b > noon, 'slot over the lunch break: %r' % s)
            self.assertLessEqual(b, close, s)
            self.assertIn(a.minute, (0, 30), 'off the 30-minute grid: %r' % s)
        self.assertIn(local(tue, '11:00', AMS), starts)
        self.assertNotIn(local(tue, '11:30', AMS), starts)
        self.assertIn(local(tue, '13:00', AMS), starts)
        self.assertEqual(starts[-1], local(tue, '16:30', AMS))
        # Two-hour service: the last morning start is 10:00.
        two = [s['start'] for s in slots('garage-amstel', ['service'], tue, 1)]
        self.assertIn(local(tue, '10:00', AMS), two)
        self.assertNotIn(local(tue, '10:30', AMS), two)
        self.assertEqual(two[-1], local(tue, '15:30', AMS))

    def test_friday_and_saturday_hours(self):
        fri = next_weekday(AMS, 4)
        got = slots('garage-amstel', ['tires'], fri, 2)
        fri_slots = [s for s in got if parse(s['start']).date() == fri]
        sat_slots = [s for s in got if parse(s['start']).date() == fri + dt.timedelta(days=1)]
        self.assertEqual(fri_slots[-1]['end'], local(fri, '16:00', AMS))
        sat = fri + dt.timedelta(days=1)
        self.assertEqual(sat_slots[0]['start'], local(sat, '09:00', AMS))
        self.assertEqual(sat_slots[-1]['end'], local(sat, '12:00', AMS))

    def test_sunday_is_empty(self):
        sun = next_weekday(AMS, 6)
        self.assertEqual(slots('garage-amstel', ['oil'], sun, 1), [])
        week = slots('garage-amstel', ['oil'], sun - dt.timedelta(days=6), 7)
        self.assertFalse([s for s in week if parse(s['start']).date() == sun])

    def test_default_from_and_days(self):
        got = slots('garage-amstel', ['oil'])
        start = today(AMS)
        days = {parse(s['start']).date() for s in got}
        self.assertTrue(days)
        self.assertGreaterEqual(min(days), start)
        self.assertLessEqual(max(days), start + dt.timedelta(days=6))

    def test_closures(self):
        tue = next_weekday(AMS, 1)
        wed = tue + dt.timedelta(days=1)
        did, slug = new_dealer(ws=workshop(closures=[tue.isoformat(), '2099-12-31']))
        self.assertEqual(slots(slug, ['oil'], tue, 1), [])
        self.assertEqual(slots(slug, ['oil'], wed, 1)[0]['start'], local(wed, '08:00', AMS))
        assert_conflict(self, book(slug, local(tue, '08:00', AMS)))
        put(did, workshop(closures=[]))
        self.assertEqual(slots(slug, ['oil'], tue, 1)[0]['start'], local(tue, '08:00', AMS))

    def test_skills_and_multi_service(self):
        tue = next_weekday(AMS, 1)
        both = slots('garage-amstel', ['oil', 'tires'], tue, 1)
        self.assertEqual(both[0]['start'], local(tue, '08:00', AMS))
        for s in both:
            self.assertEqual(parse(s['end']) - parse(s['start']), dt.timedelta(minutes=90))
        starts = [s['start'] for s in both]
        self.assertIn(local(tue, '10:30', AMS), starts, 'ends at 12:00 exactly')
        self.assertNotIn(local(tue, '11:00', AMS), starts, 'over lunch')
        # No resource has diagnosis and inspection: such a visit has no time at all.
        self.assertEqual(slots('garage-amstel', ['diagnosis', 'inspection'], tue, 3), [])
        insp = slots('garage-amstel', ['inspection'], tue, 1)
        self.assertEqual(insp[0]['end'], local(tue, '08:45', AMS))

    def test_a_skill_no_resource_has(self):
        did, slug = new_dealer(ws=workshop(services=[service('oil', 60, 'maintenance'),
                                                     service('paint', 60, 'bodywork')]))
        self.assertEqual(slots(slug, ['paint'], next_weekday(AMS, 1), 7), [])

    def test_bad_requests(self):
        base = '/api/v1/public/dealers/garage-amstel/availability?'
        for q in ('services=oil&days=0', 'services=oil&days=32', 'services=oil&days=x',
                  'services=oil&days=', 'services=oil&days=1.5', 'services=oil&days=-1',
                  'services=oil&from=2026-13-01', 'services=oil&from=2027-02-29',
                  'services=oil&from=20270101', 'services=oil&from=2027-01-01T00:00:00Z',
                  'services=oil&from=%27%3B--', 'services=' + 'oil,' * 200):
            with self.subTest(q=q):
                assert_error(SRV.request('GET', base + q), 400, 'bad_request')
        for q in ('services=', '', 'services=zzz', 'services=oil,zzz', "services=oil'--",
                  'services=oil,tires,oil,tires,oil,tires'):
            with self.subTest(q=q):
                assert_error(SRV.request('GET', base + q), 422, 'validation_failed',
                             fields=['services'])

    def test_lead_time(self):
        # Open around the clock, so "now + 2 h" always falls in opening hours.
        did, slug = new_dealer(ws=workshop(hours=(('00:00', '24:00'),), lead_time_hours=2))
        before = dt.datetime.now(dt.timezone.utc)
        got = slots(slug, ['tires'], today(AMS), 2)
        after = dt.datetime.now(dt.timezone.utc)
        first = parse(got[0]['start'])
        self.assertGreaterEqual(first, before + dt.timedelta(hours=2))
        self.assertLess(first, after + dt.timedelta(hours=2, minutes=30))
        # A start inside the lead time is refused online, taken by phone.
        early = (before + dt.timedelta(minutes=90)).astimezone(ZoneInfo(AMS))
        early = early.replace(minute=0 if early.minute < 30 else 30, second=0, microsecond=0)
        assert_conflict(self, book(slug, early.isoformat(), ['tires']))
        expect(phone_booking(did, early.isoformat(), ['tires']), 201, 'staff ignore lead time')

    def test_horizon(self):
        did, slug = new_dealer(ws=workshop(horizon_days=10))
        t = today(AMS)
        got = slots(slug, ['oil'], t + dt.timedelta(days=8), 5)
        days = sorted({parse(s['start']).date() for s in got})
        self.assertEqual(days, [t + dt.timedelta(days=8), t + dt.timedelta(days=9),
                                t + dt.timedelta(days=10)])
        beyond = t + dt.timedelta(days=11)
        self.assertEqual(slots(slug, ['oil'], beyond, 3), [])
        assert_conflict(self, book(slug, local(beyond, '08:00', AMS)))
        expect(phone_booking(did, local(beyond, '08:00', AMS)), 201, 'staff ignore the horizon')
        # The demo dealer's 60 days.
        far = today(AMS) + dt.timedelta(days=61)
        self.assertEqual(slots('garage-amstel', ['oil'], far, 7), [])

    def test_reserved_share(self):
        # One bay, 08:00-12:00 (240 min), hourly slots, a quarter kept for phone and walk-in:
        # online bookings may fill 180 minutes, i.e. three of the four hours.
        did, slug = new_dealer(ws=workshop(hours=(('08:00', '12:00'),), slot_step_min=60,
                                           reserved_share=0.25))
        tue = next_weekday(AMS, 1)
        self.assertEqual(len(slots(slug, ['oil'], tue, 1)), 4)
        for hhmm in ('08:00', '09:00', '10:00'):
            expect(phone_booking(did, local(tue, hhmm, AMS)), 201, 'phone ' + hhmm)
        self.assertEqual(slots(slug, ['oil'], tue, 1), [], 'online sees the reserved hour as gone')
        assert_conflict(self, book(slug, local(tue, '11:00', AMS)))
        expect(phone_booking(did, local(tue, '11:00', AMS)), 201, 'phone uses the reserved share')
        assert_conflict(self, phone_booking(did, local(tue, '11:00', AMS)))
        # The next day is untouched.
        self.assertEqual(len(slots(slug, ['oil'], tue + dt.timedelta(days=1), 1)), 4)

    def test_reserved_share_online_bookings_stop(self):
        did, slug = new_dealer(ws=workshop(hours=(('08:00', '12:00'),), slot_step_min=60,
                                           reserved_share=0.25))
        tue = next_weekday(AMS, 1)
        for hhmm in ('08:00', '09:00', '10:00'):
            expect(book(slug, local(tue, hhmm, AMS)), 201, 'online ' + hhmm)
        self.assertEqual(slots(slug, ['oil'], tue, 1), [])
        assert_conflict(self, book(slug, local(tue, '11:00', AMS)))

    def test_booked_slots_disappear(self):
        did, slug = new_dealer(ws=workshop())
        tue = next_weekday(AMS, 1)
        expect(book(slug, local(tue, '10:00', AMS)), 201)
        starts = [s['start'] for s in slots(slug, ['oil'], tue, 1)]
        for hhmm in ('09:30', '10:00', '10:30'):
            self.assertNotIn(local(tue, hhmm, AMS), starts)
        for hhmm in ('09:00', '11:00'):
            self.assertIn(local(tue, hhmm, AMS), starts, 'touching ends do not overlap')


def assert_conflict(tc, resp):
    """409 conflict; alternatives (when present) are slots."""
    expect(resp, 409)
    err = resp.body.get('error') if isinstance(resp.body, dict) else None
    tc.assertIsInstance(err, dict, resp.describe())
    tc.assertEqual(err.get('code'), 'conflict', resp.describe())
    tc.assertTrue(err.get('message'), resp.describe())
    for alt in err.get('alternatives', []):
        harness.assert_rfc3339(tc, alt['start'])
        harness.assert_rfc3339(tc, alt['end'])
    return err


class LongAnswers(unittest.TestCase):

    def test_every_slot_of_a_month_around_the_clock(self):
        # Open day and night, a 5-minute grid, two zones' worth of clock changes in a month:
        # the answer is written by hand, so every slot must come out whole and in order.
        did, slug = new_dealer(tz=MTL, ws=workshop(hours=(('00:00', '24:00'),), slot_step_min=5,
                                                   lead_time_hours=0, horizon_days=90))
        day = today(MTL) + dt.timedelta(days=1)
        got = slots(slug, ['tires'], day, 31)
        self.assertEqual(len(got), 4000, 'capped at 4,000 slots')
        starts = [parse(s['start']) for s in got]
        self.assertEqual(starts, sorted(starts))
        for s, a in zip(got, starts):
            harness.assert_rfc3339(self, s['start'])
            harness.assert_rfc3339(self, s['end'])
            self.assertEqual(parse(s['end']) - a, dt.timedelta(minutes=30), s)
        self.assertEqual(got[0]['start'], local(day, '00:00', MTL))
        r = availability(slug, ['tires'], day, 31)
        self.assertEqual(r.headers.get('Content-Type'), 'application/json; charset=utf-8')


class ChangedWorkshop(unittest.TestCase):
    """The parsed workshop is cached per (dealer, version): a PUT must show at once, on this
    server and on a second one on the same database (which has its own cache)."""

    def test_a_put_shows_at_once_on_every_instance(self):
        did, slug = new_dealer(ws=workshop(hours=(('08:00', '12:00'),)))
        day = next_weekday(AMS, 2)
        self.assertEqual(slots(slug, ['oil'], day, 1)[0]['start'], local(day, '08:00', AMS))
        other = harness.Server(demo=False, db_path=SRV.db).start()
        try:
            def starts_on(srv):
                r = srv.request('GET', '/api/v1/public/dealers/%s/availability?services=oil&from=%s&days=1'
                                % (slug, day.isoformat()))
                return [s['start'] for s in expect(r, 200, 'availability')['slots']]
            self.assertEqual(starts_on(other)[0], local(day, '08:00', AMS))   # both have cached it
            for hours, first in ((('10:00', '12:00'),), '10:00'), ((('07:00', '09:00'),), '07:00'):
                put(did, workshop(hours=hours))
                self.assertEqual(starts_on(SRV)[0], local(day, first, AMS))
                self.assertEqual(starts_on(other)[0], local(day, first, AMS))
            # A service the new document no longer has is refused at once too.
            put(did, workshop(services=[service('tires', 30, 'tires')]))
            r = other.request('GET', '/api/v1/public/dealers/%s/availability?services=oil&from=%s'
                              % (slug, day.isoformat()))
            assert_error(r, 422, 'validation_failed')
            profile = expect(SRV.request('GET', '/api/v1/public/dealers/' + slug), 200, 'profile')
            self.assertEqual([s['code'] for s in profile['services']], ['tires'])
        finally:
            other.stop()


class DaylightSaving(unittest.TestCase):
    """An 08:00 opening is 08:00 local on both sides of each clock change."""

    def check_zone(self, tz):
        changes = transitions(tz)
        self.assertEqual(len(changes), 2, 'want a spring and an autumn change in %s: %r' % (tz, changes))
        did, slug = new_dealer(tz, workshop(horizon_days=365))
        for day, before, after in changes:
            prev, nxt = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
            for d in (prev, day, nxt):
                with self.subTest(tz=tz, day=d.isoformat()):
                    body = expect(availability(slug, ['oil'], d, 1), 200)
                    self.assertEqual(body['timezone'], tz)
                    first = body['slots'][0]
                    self.assertEqual(first['start'], local(d, '08:00', tz))
                    self.assertEqual(first['end'], local(d, '09:00', tz))
                    self.assertEqual(body['slots'][-1]['end'], local(d, '17:00', tz))
            self.assertNotEqual(local(prev, '08:00', tz)[-6:], local(nxt, '08:00', tz)[-6:],
                                'the offset changes between %s and %s' % (prev, nxt))
            # One week across the change: every day starts at 08:00 local.
            week = slots(slug, ['oil'], prev - dt.timedelta(days=2), 7)
            firsts = {}
            for s in week:
                firsts.setdefault(parse(s['start']).date(), s['start'])
            for d, start in firsts.items():
                self.assertEqual(start, local(d, '08:00', tz))
            # A booking on the day after the change lands at 08:00 local.
            b = expect(book(slug, local(nxt, '08:00', tz)), 201, 'book after the change')
            self.assertEqual(b['start'], local(nxt, '08:00', tz))

    def test_amsterdam(self):
        self.check_zone(AMS)

    def test_montreal(self):
        self.check_zone(MTL)

    def test_round_the_clock_day_lengths(self):
        # Open 00:00-24:00: the spring day has one hour less, the autumn day one more, and
        # slots follow elapsed time (no duplicate or missing instants).
        for tz in (AMS, MTL):
            did, slug = new_dealer(tz, workshop(hours=(('00:00', '24:00'),), horizon_days=365,
                                                slot_step_min=60))
            for day, before, after in transitions(tz):
                with self.subTest(tz=tz, day=day.isoformat()):
                    got = slots(slug, ['oil'], day, 1)
                    hours = int((after - before).total_seconds() // 3600)
                    self.assertEqual(len(got), 24 - hours, got)
                    instants = [parse(s['start']) for s in got]
                    for a, b in zip(instants, instants[1:]):
                        self.assertEqual(b - a, dt.timedelta(hours=1))
                    self.assertEqual(got[0]['start'], local(day, '00:00', tz))
                    nxt = day + dt.timedelta(days=1)
                    self.assertEqual(got[-1]['end'], local(nxt, '00:00', tz))


if __name__ == '__main__':
    unittest.main()
