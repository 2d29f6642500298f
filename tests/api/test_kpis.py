"""KPIs: GET /api/v1/kpis?dealer_id=&brand_id=&from=&to= against numbers worked out by hand.

A network of its own (a brand, two dealers holding it, and that brand's manager) gets leads
through POST /leads and appointments through the public booking API (web) and POST
/appointments (phone, walk-in); the expected figures are worked out below from what the API
answered (received and first-response times, appointment lengths) with the definitions of
docs/kpis.md, and compared with the KPI answer per dealer and for the network. One wait of
about a minute lets a lead grow older than a one-minute response target and walk-ins start.

Access: the demo brand manager hq@aurora.test sees garage-amstel and bruxelles-auto but not
montreal-motors; dealer staff see their own dealer only; another dealer's staff get 404.
Validation: bad dates, from after to and periods over 366 days are 400.
"""

import datetime as dt
import math
import time
import unittest
from zoneinfo import ZoneInfo

import harness
from harness import (ADMIN, BRAND_MANAGER, DEALER_ADMIN, MONTREAL_SALES, SALES, TECHNICIAN,
                     BRUXELLES_ADMIN, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}      # email -> token
D = {}      # slug -> dealer id
B = {}      # slug -> brand id

# The first dealer takes two walk-ins of up to 60 minutes that start now and must end the same
# local day (its opening interval ends at 24:00), and the figures count its local "today": so
# its zone is Amsterdam unless it is late there, then Chicago (seven hours behind). Either way
# the run has hours before the dealer's midnight.
AMS = 'Europe/Amsterdam' if 1 <= dt.datetime.now(ZoneInfo('Europe/Amsterdam')).hour < 21 else 'America/Chicago'
MTL = 'America/Montreal'
UTC = dt.timezone.utc
ALL_DAYS = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
DEALER_KEYS = {'dealer_id', 'name', 'leads', 'response', 'conversion', 'bookings'}
TOTAL_KEYS = {'leads', 'response', 'conversion', 'bookings'}
LEAD_CHANNELS = ('web', 'phone', 'email', 'walk_in', 'partner')
MIN_TOL = 0.005 + 1e-9      # minutes are given to 0.01
SHARE_TOL = 0.00005 + 1e-9  # shares to 0.0001


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, TECHNICIAN, BRUXELLES_ADMIN,
                        MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    B.update(SRV.brand_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


# -- helpers -------------------------------------------------------------------------

def api(who, method, path, body=None, **kw):
    token = T.get(who, who) if who else None
    return SRV.request(method, '/api/v1' + path, body, token=token, **kw)


def kpis(who, **query):
    q = '&'.join('%s=%s' % (k, v) for k, v in query.items() if v is not None)
    return api(who, 'GET', '/kpis' + ('?' + q if q else ''))


def parse(s):
    return dt.datetime.fromisoformat(s.replace('Z', '+00:00'))


def today(tz):
    return dt.datetime.now(ZoneInfo(tz)).date()


def local(day, hhmm, tz):
    h, m = map(int, hhmm.split(':'))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(tz)).isoformat()


def quantile(values, p):
    """Linear interpolation between closest ranks (docs/kpis.md): h = (n-1)p."""
    v = sorted(values)
    h = (len(v) - 1) * p
    lo = math.floor(h)
    if lo >= len(v) - 1:
        return v[-1]
    return v[lo] + (h - lo) * (v[lo + 1] - v[lo])


def day_minutes(day, tz):
    """Elapsed minutes of a local day (1380 or 1500 on clock changes)."""
    z = ZoneInfo(tz)
    a = dt.datetime(day.year, day.month, day.day, tzinfo=z).astimezone(UTC)
    n = day + dt.timedelta(days=1)
    b = dt.datetime(n.year, n.month, n.day, tzinfo=z).astimezone(UTC)
    return int((b - a).total_seconds() // 60)


def service(code, minutes, skill):
    return {'code': code, 'name': {'en': code.title()}, 'duration_min': minutes, 'skill': skill,
            'price': 10.0}


def open_all_day(resources):
    return {'opening_hours': {d: [['00:00', '24:00']] for d in ALL_DAYS},
            'resources': [{'id': 'bay-%d' % i, 'name': 'Bay %d' % i, 'skills': ['maintenance']}
                          for i in range(resources)],
            'services': [service('oil', 60, 'maintenance'), service('tires', 30, 'maintenance')],
            'slot_step_min': 30, 'lead_time_hours': 0, 'horizon_days': 60, 'reserved_share': 0}


def new_lead(dealer_id, source, channel):
    tag = unique('kpi')
    body = {'dealer_id': dealer_id, 'source': source, 'channel': channel,
            'customer': {'name': 'Lead ' + tag, 'email': tag + '@example.test'},
            'vehicle_interest': {'condition': 'new', 'make': 'Kestrel', 'model': tag}}
    return expect(api(ADMIN, 'POST', '/leads', body), 201, 'create lead')['id']


def lead_status(lead_id, status, **extra):
    body = {'status': status}
    body.update(extra)
    return expect(api(ADMIN, 'PATCH', '/leads/' + lead_id, body), 200, 'lead -> ' + status)


def lead_times(lead_id):
    """(received_at, first_response_at or None) as datetimes."""
    lead = expect(api(ADMIN, 'GET', '/leads/' + lead_id), 200, 'get lead')
    lead = lead.get('lead', lead)
    fr = lead.get('first_response_at')
    return parse(lead['received_at']), parse(fr) if fr else None


def web_booking(slug, start, services):
    tag = unique('kpw')
    body = {'services': list(services), 'start': start,
            'customer': {'name': 'Web ' + tag, 'email': tag + '@example.test'}}
    return expect(SRV.request('POST', '/api/v1/public/dealers/%s/bookings' % slug, body), 201,
                  'web booking')


def staff_booking(dealer_id, channel, services, start=None):
    tag = unique('kps')
    body = {'dealer_id': dealer_id, 'channel': channel, 'services': list(services),
            'customer': {'name': 'Staff ' + tag, 'email': tag + '@example.test'}}
    if start:
        body['start'] = start
    return expect(api(ADMIN, 'POST', '/appointments', body), 201, channel + ' booking')


def appt_status(appt_id, status):
    return expect(api(ADMIN, 'PATCH', '/appointments/' + appt_id, {'status': status}), 200,
                  'appointment -> ' + status)


def minutes_between(a, b):
    return (b - a).total_seconds() / 60.0


# -- the network of our own, built once -----------------------------------------------

class Net:
    """What was created and the figures expected, worked out from the API's own answers."""


NET = Net()


def build_network():
    n = NET
    tag = unique('kpinet')
    n.brand = expect(api(ADMIN, 'POST', '/brands', {'slug': tag, 'name': 'Kestrel ' + tag}), 201)['id']
    # Names sort: "A ..." (Amsterdam) before "B ..." (Montreal): the order of the answer.
    d1 = expect(api(ADMIN, 'POST', '/dealers', {'slug': tag + '-ams', 'name': 'A Kestrel ' + tag,
                                                'timezone': AMS, 'locale': 'en',
                                                'brand_ids': [n.brand]}), 201)
    d2 = expect(api(ADMIN, 'POST', '/dealers', {'slug': tag + '-mtl', 'name': 'B Kestrel ' + tag,
                                                'timezone': MTL, 'locale': 'en',
                                                'brand_ids': [n.brand]}), 201)
    n.ams, n.ams_slug, n.mtl = d1['id'], d1['slug'], d2['id']
    manager = tag + '-hq@example.test'
    expect(api(ADMIN, 'POST', '/users', {'email': manager, 'name': 'Kestrel HQ', 'role': 'brand_manager',
                                         'brand_id': n.brand, 'password': 'kestrel-hq-pass'}), 201)
    T['kestrel-hq'] = SRV.login(manager, 'kestrel-hq-pass')
    ams_sales = tag + '-sales@example.test'
    expect(api(ADMIN, 'POST', '/users', {'email': ams_sales, 'name': 'Kestrel Sales', 'role': 'sales',
                                         'dealer_id': n.ams, 'password': 'kestrel-sales-pass'}), 201)
    T['kestrel-sales'] = SRV.login(ams_sales, 'kestrel-sales-pass')

    # Amsterdam: a workshop open day and night with 2 bays; a response target of 1 minute.
    expect(api(ADMIN, 'PUT', '/dealers/%s/workshop' % n.ams, open_all_day(2)), 200, 'workshop')
    expect(api(ADMIN, 'PUT', '/dealers/%s/lead-settings' % n.ams, {'response_target_min': 1, 'rules': []}),
           200,
           'lead settings')
    # Montreal: no workshop, no lead settings (target 60 by default).

    t0 = time.monotonic()
    # Amsterdam leads.
    L1 = new_lead(n.ams, 'brand-website', 'web')       # answered at once
    L2 = new_lead(n.ams, 'brand-website', 'web')       # answered at once, test drive, won
    L3 = new_lead(n.ams, 'autoscout', 'partner')       # never answered: missed, overdue
    L4 = new_lead(n.ams, 'showroom', 'walk_in')        # answered after more than a minute: late
    L5 = new_lead(n.ams, 'phone-in', 'phone')          # lost at once (leaving new is a response)
    # Montreal leads.
    M1 = new_lead(n.mtl, 'brand-website', 'web')       # answered at once
    M2 = new_lead(n.mtl, 'mail-in', 'email')           # not answered, younger than 60 minutes
    lead_status(L1, 'contacted')
    lead_status(L2, 'contacted')
    lead_status(L2, 'test_drive')
    lead_status(L2, 'won')
    lead_status(L5, 'lost', lost_reason='bought elsewhere')
    lead_status(M1, 'contacted')

    # Amsterdam bookings: 3 on the web (one cancelled later), 1 by phone, 2 walk-ins.
    n.today = today(AMS)
    tomorrow = n.today + dt.timedelta(days=1)
    W1 = web_booking(n.ams_slug, local(tomorrow, '10:00', AMS), ['oil'])      # 60 min
    W2 = web_booking(n.ams_slug, local(tomorrow, '11:00', AMS), ['tires'])    # 30 min
    W3 = web_booking(n.ams_slug, local(tomorrow, '12:00', AMS), ['oil'])      # cancelled
    P1 = staff_booking(n.ams, 'phone', ['oil'], local(tomorrow, '14:00', AMS))  # 60 min
    WI1 = staff_booking(n.ams, 'walk_in', ['tires'])   # starts at the next whole minute: no-show
    WI2 = staff_booking(n.ams, 'walk_in', ['oil'])     # checked in
    appt_status(W3['id'], 'cancelled')
    appt_status(WI1['id'], 'no_show')
    appt_status(WI2['id'], 'checked_in')
    appt_status(P1['id'], 'no_show')   # tomorrow: not in the no-show base until it starts
    n.appts = [W1, W2, W3, P1, WI1, WI2]

    # Wait until L3 and L4 are older than the 1-minute target and the walk-ins have started.
    walk_start = parse(WI2['start'])
    while True:
        now = dt.datetime.now(UTC)
        if time.monotonic() - t0 > 63 and now > walk_start + dt.timedelta(seconds=2):
            break
        time.sleep(1)
    lead_status(L4, 'contacted')

    n.leads = {k: lead_times(v) for k, v in
               dict(L1=L1, L2=L2, L3=L3, L4=L4, L5=L5, M1=M1, M2=M2).items()}
    n.from_day = n.today - dt.timedelta(days=1)
    n.to_day = n.today + dt.timedelta(days=2)


def expected(n):
    """The figures of docs/kpis.md, worked out for the network built above."""
    r = {k: minutes_between(a, b) for k, (a, b) in n.leads.items() if b is not None}
    assert set(r) == {'L1', 'L2', 'L4', 'L5', 'M1'}, r
    assert r['L4'] > 1.0 and all(r[k] < 1.0 for k in ('L1', 'L2', 'L5')), r
    ams_times = [r[k] for k in ('L1', 'L2', 'L4', 'L5')]
    mtl_times = [r['M1']]
    booked = {a['id']: minutes_between(parse(a['start']), parse(a['end'])) for a in n.appts}
    ams_booked = sum(booked[a['id']] for a in n.appts if a is not n.appts[2])  # W3 cancelled
    assert ams_booked == 60 + 30 + 60 + 30 + 60, booked
    days = [n.from_day + dt.timedelta(days=i) for i in range(4)]
    ams_capacity = 2 * sum(day_minutes(d, AMS) for d in days)
    ams = {
        # leads: L1..L5 by source and channel
        'total': 5,
        'by_source': {'brand-website': 2, 'autoscout': 1, 'showroom': 1, 'phone-in': 1},
        'by_channel': {'web': 2, 'partner': 1, 'walk_in': 1, 'phone': 1, 'email': 0},
        # response: answered L1, L2, L4, L5; within the 1-minute target L1, L2, L5; measured
        # = the 4 answered + L3 (unanswered, older than the target) = 5; share 3/5
        'median': quantile(ams_times, 0.5), 'p90': quantile(ams_times, 0.9),
        'answered': 4, 'within': 3, 'measured': 5, 'share': 3 / 5, 'target': 1, 'overdue': 1,
        # conversion: L2 won of 5; L2 had a test drive
        'won': 1, 'rate': 1 / 5, 'test_drives': 1,
        # bookings created today: W1, W2, W3 (web), P1 (phone), WI1, WI2 (walk-in)
        'bookings': 6, 'booking_channels': {'web': 3, 'phone': 1, 'walk_in': 2},
        'online_share': 3 / 6, 'saved': 3,
        # no-shows: past starts WI1 (no_show) and WI2 (checked_in); P1 is a no-show of tomorrow
        'no_shows': 1, 'no_show_base': 2, 'no_show_rate': 1 / 2,
        # utilisation: 240 booked minutes (W3 cancelled) of 2 bays x the 4 days' minutes
        'booked_min': 240, 'capacity_min': ams_capacity, 'utilisation': 240 / ams_capacity,
    }
    mtl = {
        'total': 2, 'by_source': {'brand-website': 1, 'mail-in': 1},
        'by_channel': {'web': 1, 'email': 1, 'phone': 0, 'walk_in': 0, 'partner': 0},
        # M1 answered within 60 minutes; M2 unanswered but younger than 60: not measured yet
        'median': mtl_times[0], 'p90': mtl_times[0],
        'answered': 1, 'within': 1, 'measured': 1, 'share': 1.0, 'target': 60, 'overdue': 0,
        'won': 0, 'rate': 0.0, 'test_drives': 0,
        'bookings': 0, 'booking_channels': {'web': 0, 'phone': 0, 'walk_in': 0},
        'online_share': None, 'saved': 0, 'no_shows': 0, 'no_show_base': 0, 'no_show_rate': None,
        'booked_min': None, 'capacity_min': None, 'utilisation': None,   # no workshop
    }
    all_times = ams_times + mtl_times
    total = {
        'total': 7,
        'by_source': {'brand-website': 3, 'autoscout': 1, 'showroom': 1, 'phone-in': 1, 'mail-in': 1},
        'by_channel': {'web': 3, 'partner': 1, 'walk_in': 1, 'phone': 1, 'email': 1},
        # the network's median is over its 5 response times, not the mean of two medians
        'median': quantile(all_times, 0.5), 'p90': quantile(all_times, 0.9),
        'answered': 5, 'within': 4, 'measured': 6, 'share': 4 / 6, 'target': None, 'overdue': 1,
        'won': 1, 'rate': 1 / 7, 'test_drives': 1,
        'bookings': 6, 'booking_channels': {'web': 3, 'phone': 1, 'walk_in': 2},
        'online_share': 0.5, 'saved': 3, 'no_shows': 1, 'no_show_base': 2, 'no_show_rate': 0.5,
        'booked_min': 240, 'capacity_min': ams_capacity, 'utilisation': 240 / ams_capacity,
    }
    return ams, mtl, total


class NetworkNumbers(unittest.TestCase):
    """The figures of a dealer and of a network, against the hand-worked ones."""

    @classmethod
    def setUpClass(cls):
        build_network()
        cls.ams, cls.mtl, cls.total = expected(NET)

    def close(self, got, want, tol, what):
        if want is None:
            self.assertIsNone(got, what)
        else:
            self.assertIsNotNone(got, what)
            self.assertLessEqual(abs(got - want), tol, '%s: got %r, want %r' % (what, got, want))

    def check(self, doc, want, what):
        self.assertEqual(doc['leads']['total'], want['total'], what)
        self.assertEqual(doc['leads']['by_source'], want['by_source'], what)
        self.assertEqual(doc['leads']['by_channel'], want['by_channel'], what)
        r = doc['response']
        self.close(r['median_min'], want['median'], MIN_TOL, what + ' median')
        self.close(r['p90_min'], want['p90'], MIN_TOL, what + ' p90')
        self.close(r['within_target_share'], want['share'], SHARE_TOL, what + ' within target')
        self.assertEqual((r['answered'], r['within_target'], r['measured'], r['target_min'],
                          r['overdue_open']),
                         (want['answered'], want['within'], want['measured'], want['target'],
                          want['overdue']), what)
        c = doc['conversion']
        self.assertEqual((c['won'], c['test_drives']), (want['won'], want['test_drives']), what)
        self.close(c['rate'], want['rate'], SHARE_TOL, what + ' conversion')
        b = doc['bookings']
        self.assertEqual(b['total'], want['bookings'], what)
        self.assertEqual(b['by_channel'], want['booking_channels'], what)
        self.assertEqual(b['phone_calls_saved'], want['saved'], what)
        self.close(b['online_share'], want['online_share'], SHARE_TOL, what + ' online share')
        self.assertEqual((b['no_shows'], b['no_show_base']), (want['no_shows'], want['no_show_base']), what)
        self.close(b['no_show_rate'], want['no_show_rate'], SHARE_TOL, what + ' no-show rate')
        self.assertEqual((b['booked_min'], b['capacity_min']), (want['booked_min'], want['capacity_min']), what)
        self.close(b['utilisation'], want['utilisation'], SHARE_TOL, what + ' utilisation')

    def period(self):
        return dict(frm=NET.from_day.isoformat(), to=NET.to_day.isoformat())

    def get(self, who, **q):
        p = self.period()
        return expect(kpis(who, **{'from': p['frm'], 'to': p['to']}, **q), 200, 'kpis')

    def test_one_dealer(self):
        doc = self.get(ADMIN, dealer_id=NET.ams)
        self.assertEqual((doc['from'], doc['to']), (NET.from_day.isoformat(), NET.to_day.isoformat()))
        self.assertEqual(len(doc['dealers']), 1)
        d = doc['dealers'][0]
        harness.assert_keys(self, d, DEALER_KEYS, 'dealer')
        self.assertEqual(d['dealer_id'], NET.ams)
        self.assertTrue(d['name'].startswith('A Kestrel'))
        self.check(d, self.ams, 'amsterdam')
        self.check(doc['total'], self.ams, 'total of one dealer')
        # The period is the dealer's local days: from 00:00 Amsterdam time.
        start = parse(d['period']['start'])
        self.assertEqual(start, dt.datetime(NET.from_day.year, NET.from_day.month, NET.from_day.day,
                                            tzinfo=ZoneInfo(AMS)))

    def test_dealer_without_workshop(self):
        doc = self.get(ADMIN, dealer_id=NET.mtl)
        self.check(doc['dealers'][0], self.mtl, 'montreal')

    def test_network_of_the_brand_manager(self):
        doc = self.get('kestrel-hq')
        self.assertEqual([d['dealer_id'] for d in doc['dealers']], [NET.ams, NET.mtl])
        self.assertEqual(doc['brand_id'], NET.brand)
        self.check(doc['dealers'][0], self.ams, 'network: amsterdam')
        self.check(doc['dealers'][1], self.mtl, 'network: montreal')
        harness.assert_keys(self, doc['total'], TOTAL_KEYS, 'total')
        self.assertNotIn('dealer_id', doc['total'])
        self.check(doc['total'], self.total, 'network total')
        # The network's median is not the average of the dealers' medians (unless by chance).
        self.assertEqual(doc['total']['dealer_count'], 2)

    def test_admin_asks_for_the_brand(self):
        doc = self.get(ADMIN, brand_id=NET.brand)
        self.assertEqual([d['dealer_id'] for d in doc['dealers']], [NET.ams, NET.mtl])
        self.check(doc['total'], self.total, 'admin: network total')

    def test_brand_manager_asks_for_one_of_its_dealers(self):
        doc = self.get('kestrel-hq', dealer_id=NET.mtl)
        self.check(doc['dealers'][0], self.mtl, 'hq: montreal')
        doc = self.get('kestrel-hq', dealer_id=NET.ams, brand_id=NET.brand)
        self.check(doc['dealers'][0], self.ams, 'hq: amsterdam in its brand')

    def test_sales_see_their_own_dealer(self):
        doc = self.get('kestrel-sales')
        self.assertEqual([d['dealer_id'] for d in doc['dealers']], [NET.ams])
        self.check(doc['dealers'][0], self.ams, 'sales: own dealer')
        assert_error(kpis('kestrel-sales', dealer_id=NET.mtl), 404, 'not_found')
        assert_error(kpis('kestrel-sales', brand_id=NET.brand), 404, 'not_found')
        assert_error(kpis(MONTREAL_SALES, dealer_id=NET.ams), 404, 'not_found')
        assert_error(kpis(SALES, dealer_id=NET.ams), 404, 'not_found')

    def test_other_brand_manager_sees_nothing_of_it(self):
        assert_error(kpis(BRAND_MANAGER, dealer_id=NET.ams), 404, 'not_found')
        assert_error(kpis(BRAND_MANAGER, brand_id=NET.brand), 404, 'not_found')
        assert_error(kpis('kestrel-hq', dealer_id=D['garage-amstel']), 404, 'not_found')
        assert_error(kpis('kestrel-hq', brand_id=B['aurora']), 404, 'not_found')
        assert_error(kpis('kestrel-hq', dealer_id=NET.ams, brand_id=B['aurora']), 404, 'not_found')

    def test_default_period_is_the_last_30_days(self):
        doc = expect(kpis(ADMIN, dealer_id=NET.ams), 200)
        to = today(AMS)
        self.assertEqual(doc['to'], to.isoformat())
        self.assertEqual(doc['from'], (to - dt.timedelta(days=29)).isoformat())
        d = doc['dealers'][0]
        self.assertEqual(d['leads']['total'], 5)
        self.assertEqual(d['bookings']['total'], 6)
        # Only the walk-ins start inside the last 30 days; tomorrow's bookings do not.
        self.assertEqual(d['bookings']['booked_min'], 90)
        days = [to - dt.timedelta(days=i) for i in range(30)]
        self.assertEqual(d['bookings']['capacity_min'], 2 * sum(day_minutes(x, AMS) for x in days))

    def test_a_period_without_anything(self):
        doc = expect(kpis(ADMIN, dealer_id=NET.ams, **{'from': '2030-01-01', 'to': '2030-01-31'}), 200)
        d = doc['dealers'][0]
        self.assertEqual(d['leads']['total'], 0)
        self.assertIsNone(d['response']['median_min'])
        self.assertIsNone(d['response']['p90_min'])
        self.assertIsNone(d['response']['within_target_share'])
        self.assertIsNone(d['conversion']['rate'])
        self.assertIsNone(d['bookings']['online_share'])
        self.assertIsNone(d['bookings']['no_show_rate'])
        self.assertEqual(d['bookings']['utilisation'], 0)
        # Overdue leads are counted as of now, whatever the period.
        self.assertEqual(d['response']['overdue_open'], 1)


class Access(unittest.TestCase):
    """Who sees which dealers' numbers (the demo network)."""

    def ids(self, doc):
        return {d['dealer_id'] for d in doc['dealers']}

    def test_demo_brand_manager_sees_its_dealers(self):
        doc = expect(kpis(BRAND_MANAGER), 200)
        ids = self.ids(doc)
        self.assertIn(D['garage-amstel'], ids)
        self.assertIn(D['bruxelles-auto'], ids)
        self.assertNotIn(D['montreal-motors'], ids)
        self.assertEqual(doc['total']['dealer_count'], len(doc['dealers']))
        doc = expect(kpis(BRAND_MANAGER, brand_id=B['aurora']), 200)
        self.assertEqual(self.ids(doc), ids)
        expect(kpis(BRAND_MANAGER, dealer_id=D['garage-amstel']), 200)
        expect(kpis(BRAND_MANAGER, dealer_id=D['bruxelles-auto']), 200)
        assert_error(kpis(BRAND_MANAGER, dealer_id=D['montreal-motors']), 404, 'not_found')

    def test_dealer_staff_see_their_dealer(self):
        for who in (DEALER_ADMIN, SALES, TECHNICIAN):
            with self.subTest(who=who):
                doc = expect(kpis(who), 200)
                self.assertEqual(self.ids(doc), {D['garage-amstel']})
                expect(kpis(who, dealer_id=D['garage-amstel']), 200)
                assert_error(kpis(who, dealer_id=D['bruxelles-auto']), 404, 'not_found')
                assert_error(kpis(who, brand_id=B['aurora']), 404, 'not_found')
        assert_error(kpis(MONTREAL_SALES, dealer_id=D['garage-amstel']), 404, 'not_found')
        assert_error(kpis(BRUXELLES_ADMIN, dealer_id=D['garage-amstel']), 404, 'not_found')

    def test_admin_sees_every_dealer(self):
        doc = expect(kpis(ADMIN), 200)
        self.assertTrue(set(D.values()) <= self.ids(doc))
        self.assertIsNone(doc['brand_id'])

    def test_unknown_and_anonymous(self):
        assert_error(kpis(ADMIN, dealer_id='01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 404, 'not_found')
        assert_error(kpis(ADMIN, brand_id='01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 404, 'not_found')
        assert_error(kpis(ADMIN, dealer_id='x' * 300), 404, 'not_found')
        assert_error(kpis(None), 401, 'unauthenticated')


class Validation(unittest.TestCase):

    def test_bad_dates(self):
        for frm, to in (('2027-02-30', '2027-03-01'), ('2027-3-01', '2027-03-05'),
                        ('yesterday', None), (None, '2027-13-01'), ('2027-03-01T00:00', None),
                        ("2027-03-01' OR 1=1", None)):
            with self.subTest(frm=frm, to=to):
                q = {'from': frm, 'to': to}
                assert_error(kpis(SALES, **{k: harness.urlquote(v) for k, v in q.items() if v}), 400,
                             'bad_request')

    def test_from_after_to(self):
        assert_error(kpis(SALES, **{'from': '2027-03-02', 'to': '2027-03-01'}), 400, 'bad_request')

    def test_at_most_366_days(self):
        expect(kpis(SALES, **{'from': '2028-01-01', 'to': '2028-12-31'}), 200)
        assert_error(kpis(SALES, **{'from': '2027-12-31', 'to': '2028-12-31'}), 400, 'bad_request')

    def test_one_day(self):
        doc = expect(kpis(SALES, **{'from': '2027-03-01', 'to': '2027-03-01'}), 200)
        self.assertEqual((doc['from'], doc['to']), ('2027-03-01', '2027-03-01'))


if __name__ == '__main__':
    unittest.main()
