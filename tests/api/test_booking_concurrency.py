"""Races for the same time: a slot is never given twice.

64 clients race for a slot only one resource can serve (diagnosis: only bay-1 at garage-amstel)
-> exactly one 201, the rest 409 with alternatives; the same with two suitable bays -> exactly
two; 100 clients race for the 20 slots of a one-bay day -> exactly 20, one per slot; holds and
bookings racing for one slot -> one winner; moves racing into one free slot -> one winner. After
each race the day board has no two appointments overlapping on any resource.

Each client has its own connection (http.client), opened before a barrier releases them all at
once; every request has a timeout, so the module stays bounded.
"""

import datetime as dt
import http.client
import json
import threading
import unittest
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import harness
from harness import ADMIN, expect, unique

SRV = harness.ServerModule(extra_args=['--threads', '8'])   # more requests truly at once
T = {}
D = {}

AMS = 'Europe/Amsterdam'
ALL_DAYS = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
TIMEOUT = 20


def setUpModule():
    SRV.up()
    T[ADMIN] = SRV.login(ADMIN)
    D.update(SRV.dealer_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


# -- helpers -------------------------------------------------------------------------

def today():
    return dt.datetime.now(ZoneInfo(AMS)).date()


def next_weekday(weekday, min_ahead=3):
    d = today() + dt.timedelta(days=min_ahead)
    while d.weekday() != weekday:
        d += dt.timedelta(days=1)
    return d


def local(day, hhmm):
    h, m = map(int, hhmm.split(':'))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(AMS)).isoformat()


def customer_of(appointment_id):
    """The appointment's customer, as staff see it."""
    return expect(SRV.request('GET', '/api/v1/appointments/' + appointment_id, token=T[ADMIN]),
                  200, 'staff view')['customer_id']


def parse(s):
    return dt.datetime.fromisoformat(s.replace('Z', '+00:00'))


def new_dealer(resources, hours=(('08:00', '18:00'),), services=None):
    slug = unique('race')
    d = expect(SRV.request('POST', '/api/v1/dealers', {'slug': slug, 'name': 'Race ' + slug,
                                                       'timezone': AMS, 'locale': 'en'},
                           token=T[ADMIN]), 201)
    ws = {'opening_hours': {day: [list(iv) for iv in hours] for day in ALL_DAYS},
          'resources': resources,
          'services': services or [{'code': 'quick', 'name': {'en': 'Quick'}, 'duration_min': 30,
                                    'skill': 'maintenance', 'price': 1.0}],
          'slot_step_min': 30, 'lead_time_hours': 0, 'horizon_days': 60, 'reserved_share': 0}
    expect(SRV.request('PUT', '/api/v1/dealers/%s/workshop' % d['id'], ws, token=T[ADMIN]), 200)
    return d['id'], slug


def booking(start, services, n):
    return {'services': list(services), 'start': start,
            'customer': {'name': 'Racer %d' % n, 'email': '%s-%d@example.test' % (unique('race'), n)}}


def race(requests, token=None, headers=None):
    """requests: [(method, path, body)]. Sends them all at once, each on its own connection
    (with the bearer token when given). Returns [(status, body)] in the same order; status
    None when the connection broke."""
    n = len(requests)
    barrier = threading.Barrier(n)
    extra = headers or {}

    def one(req):
        method, path, body = req
        conn = http.client.HTTPConnection('127.0.0.1', SRV.port, timeout=TIMEOUT)
        try:
            conn.connect()
            data = json.dumps(body).encode()
            try:
                barrier.wait(timeout=TIMEOUT)
            except threading.BrokenBarrierError:
                pass
            hdrs = {'Content-Type': 'application/json'}
            if token:
                hdrs['Authorization'] = 'Bearer ' + token
            hdrs.update(extra)
            conn.request(method, path, body=data if method != 'DELETE' else None, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            try:
                return resp.status, json.loads(raw)
            except ValueError:
                return resp.status, raw
        except (OSError, http.client.HTTPException) as e:
            return None, repr(e)
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, requests))


def board(day, dealer_id):
    return expect(SRV.request('GET', '/api/v1/appointments?dealer_id=%s&date=%s'
                              % (dealer_id, day.isoformat()), token=T[ADMIN]), 200, 'board')


def assert_no_overlaps(tc, day, dealer_id):
    """No two appointments overlap on any resource; returns all appointments of the day."""
    b = board(day, dealer_id)
    every = []
    for r in b['resources']:
        appts = sorted(r['appointments'], key=lambda a: parse(a['start']))
        for a in appts:
            tc.assertEqual(a['resource_id'], r['id'])
        for x, y in zip(appts, appts[1:]):
            tc.assertLessEqual(parse(x['end']), parse(y['start']),
                               'overlap on %s: %s %s-%s and %s %s-%s' % (
                                   r['id'], x['reference'], x['start'], x['end'],
                                   y['reference'], y['start'], y['end']))
        every += appts
    tc.assertEqual(b['unassigned'], [], 'every booking is on a resource')
    ids = [a['id'] for a in every]
    tc.assertEqual(len(ids), len(set(ids)))
    return every


def tally(tc, results, ok_status):
    """Asserts every answer is ok_status or a 409 conflict; returns the ok bodies."""
    wins = [b for s, b in results if s == ok_status]
    others = [(s, b) for s, b in results if s not in (ok_status, 409)]
    tc.assertEqual(others, [], 'answers other than %d and 409' % ok_status)
    for s, b in results:
        if s == 409:
            tc.assertEqual(b['error']['code'], 'conflict', b)
    return wins


# -- races -----------------------------------------------------------------------------------------

class Races(unittest.TestCase):

    def test_64_clients_one_resource(self):
        # Diagnosis: only bay-1 can do it at the demo dealer.
        day = next_weekday(1)
        start = local(day, '10:00')
        path = '/api/v1/public/dealers/garage-amstel/bookings'
        results = race([('POST', path, booking(start, ['diagnosis'], i)) for i in range(64)])
        wins = tally(self, results, 201)
        self.assertEqual(len(wins), 1, 'exactly one of 64 gets the slot: %r'
                         % [w['reference'] for w in wins])
        self.assertEqual(wins[0]['start'], start)
        for s, b in results:
            if s == 409:
                self.assertIsInstance(b['error'].get('alternatives'), list, b)
                self.assertNotIn(start, [a['start'] for a in b['error']['alternatives']])
        every = assert_no_overlaps(self, day, D['garage-amstel'])
        diag = [a for a in every if a['services'] == ['diagnosis'] and a['start'] == start]
        self.assertEqual(len(diag), 1)
        self.assertEqual(diag[0]['resource_id'], 'bay-1')

    def test_two_bays_two_winners(self):
        day = next_weekday(2)
        start = local(day, '14:00')
        path = '/api/v1/public/dealers/garage-amstel/bookings'
        results = race([('POST', path, booking(start, ['oil'], i)) for i in range(32)])
        wins = tally(self, results, 201)
        self.assertEqual(len(wins), 2, 'two suitable bays, two bookings')
        at = [a for a in assert_no_overlaps(self, day, D['garage-amstel']) if a['start'] == start]
        self.assertEqual(sorted(a['resource_id'] for a in at), ['bay-1', 'bay-2'])

    def test_100_clients_20_slots(self):
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        day = next_weekday(3)
        starts = [local(day, '%02d:%02d' % (8 + i // 2, 30 * (i % 2))) for i in range(20)]
        avail = expect(SRV.request('GET', '/api/v1/public/dealers/%s/availability?services=quick'
                                   '&from=%s&days=1' % (slug, day.isoformat())), 200)['slots']
        self.assertEqual([s['start'] for s in avail], starts, 'a day of 20 slots')
        path = '/api/v1/public/dealers/%s/bookings' % slug
        results = race([('POST', path, booking(starts[i % 20], ['quick'], i)) for i in range(100)])
        wins = tally(self, results, 201)
        self.assertEqual(len(wins), 20, 'exactly 20 of 100 get a slot')
        self.assertEqual(sorted(w['start'] for w in wins), sorted(starts), 'one per slot')
        every = assert_no_overlaps(self, day, did)
        self.assertEqual(len(every), 20)
        self.assertEqual(expect(SRV.request('GET', '/api/v1/public/dealers/%s/availability?'
                                            'services=quick&from=%s&days=1'
                                            % (slug, day.isoformat())), 200)['slots'], [])

    def test_holds_race(self):
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        day = next_weekday(4)
        start = local(day, '09:00')
        results = race([('POST', '/api/v1/public/dealers/%s/holds' % slug,
                         {'services': ['quick'], 'start': start})] * 32)
        wins = tally(self, results, 201)
        self.assertEqual(len(wins), 1, 'one hold for the one bay')
        # The holder books; nobody else can.
        b = booking(start, ['quick'], 0)
        b['hold_token'] = wins[0]['hold_token']
        expect(SRV.request('POST', '/api/v1/public/dealers/%s/bookings' % slug, b), 201)

    def test_holds_and_bookings_race(self):
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        day = next_weekday(5)
        start = local(day, '11:00')
        reqs = []
        for i in range(40):
            if i % 2:
                reqs.append(('POST', '/api/v1/public/dealers/%s/holds' % slug,
                             {'services': ['quick'], 'start': start}))
            else:
                reqs.append(('POST', '/api/v1/public/dealers/%s/bookings' % slug,
                             booking(start, ['quick'], i)))
        results = race(reqs)
        wins = tally(self, results, 201)
        self.assertEqual(len(wins), 1, 'one hold or one booking, not both')
        booked = [a for a in assert_no_overlaps(self, day, did) if a['start'] == start]
        self.assertEqual(len(booked), 0 if 'hold_token' in wins[0] else 1)

    def test_moves_race_into_one_slot(self):
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        day = next_weekday(6)
        tokens = []
        for i in range(10):
            b = expect(SRV.request('POST', '/api/v1/public/dealers/%s/bookings' % slug,
                                   booking(local(day, '%02d:00' % (8 + i)), ['quick'], i)), 201)
            tokens.append(b['manage_token'])
        target = local(day, '17:30')
        results = race([('PATCH', '/api/v1/public/bookings/' + t, {'start': target}) for t in tokens])
        wins = tally(self, results, 200)
        self.assertEqual(len(wins), 1, 'one move into the free slot')
        every = assert_no_overlaps(self, day, did)
        self.assertEqual(len(every), 10)
        self.assertEqual(len([a for a in every if a['start'] == target]), 1)

    def test_retries_with_one_idempotency_key(self):
        # A browser that retries at once (several requests with one Idempotency-Key in flight):
        # one booking, and every 201 is that booking.
        did, slug = new_dealer([{'id': 'a', 'name': 'A', 'skills': ['maintenance']},
                                {'id': 'b', 'name': 'B', 'skills': ['maintenance']}])
        day = next_weekday(0, min_ahead=10)
        for rnd in range(6):        # the window is short: several rounds
            start = local(day, '%02d:00' % (8 + rnd))
            b = booking(start, ['quick'], rnd)
            results = race([('POST', '/api/v1/public/dealers/%s/bookings' % slug, b)] * 8,
                           headers={'Idempotency-Key': unique('idem')})
            ids = {body['id'] for status, body in results if status == 201}
            others = [(s, body) for s, body in results if s not in (201, 409)]
            self.assertEqual(others, [], 'round %d' % rnd)
            at = [a for a in assert_no_overlaps(self, day, did) if a['start'] == start]
            self.assertEqual(len(at), 1, 'round %d: one key, one booking: %r'
                             % (rnd, [a['reference'] for a in at]))
            self.assertEqual(ids, {at[0]['id']}, 'round %d' % rnd)

    def test_staff_retries_with_one_idempotency_key(self):
        # The same for a phone booking by staff (an authenticated caller).
        did, slug = new_dealer([{'id': 'a', 'name': 'A', 'skills': ['maintenance']},
                                {'id': 'b', 'name': 'B', 'skills': ['maintenance']}])
        day = next_weekday(0, min_ahead=17)
        for rnd in range(6):
            start = local(day, '%02d:00' % (8 + rnd))
            b = {'dealer_id': did, 'channel': 'phone', 'services': ['quick'], 'start': start,
                 'customer': {'name': 'Phone %d' % rnd, 'email': '%s@example.test' % unique('ph')}}
            results = race([('POST', '/api/v1/appointments', b)] * 8, token=T[ADMIN],
                           headers={'Idempotency-Key': unique('idem')})
            ids = {body['id'] for status, body in results if status == 201}
            at = [a for a in assert_no_overlaps(self, day, did) if a['start'] == start]
            self.assertEqual(len(at), 1, 'round %d: one key, one booking: %r'
                             % (rnd, [a['reference'] for a in at]))
            self.assertEqual(ids, {at[0]['id']}, 'round %d' % rnd)

    def test_workshop_puts_with_if_match(self):
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        ws = expect(SRV.request('GET', '/api/v1/dealers/%s/workshop' % did, token=T[ADMIN]), 200)
        reqs = []
        for i in range(12):
            doc = dict(ws, address='Writer %d' % i)
            reqs.append(('PUT', '/api/v1/dealers/%s/workshop' % did, doc))
        results = race(reqs, token=T[ADMIN], headers={'If-Match': '"v1"'})
        statuses = sorted(s for s, _ in results)
        self.assertEqual(statuses.count(200), 1, statuses)
        self.assertEqual(statuses.count(412), 11, statuses)
        resp = SRV.request('GET', '/api/v1/dealers/%s/workshop' % did, token=T[ADMIN])
        self.assertEqual(resp.headers.get('ETag'), '"v2"')
        winner = [r[2]['address'] for r, (s, _) in zip(reqs, results) if s == 200]
        self.assertEqual(resp.body['address'], winner[0])


class StateRaces(unittest.TestCase):
    """Status changes decided on a state read before the write: racing requests must still
    follow the status flow, and a repeated step must change nothing."""

    ROUNDS = 8      # a lost race shows only sometimes: each race is run on several bookings

    def booked(self, slug, day, hhmm, n=0):
        return expect(SRV.request('POST', '/api/v1/public/dealers/%s/bookings' % slug,
                                  booking(local(day, hhmm), ['quick'], n)), 201)

    def test_cancel_raced_by_the_customer(self):
        # 16 DELETEs of one booking (a double-clicking customer): all 200, one cancellation:
        # SEQUENCE raised once, one "booking.cancelled" event.
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        day = next_weekday(1, min_ahead=10)
        for rnd in range(self.ROUNDS):
            b = self.booked(slug, day, '%02d:00' % (8 + rnd), rnd)
            results = race([('DELETE', '/api/v1/public/bookings/' + b['manage_token'], {})] * 16)
            self.assertEqual([s for s, _ in results], [200] * 16, results[:3])
            ics = SRV.request('GET', '/api/v1/public/bookings/%s/calendar.ics' % b['manage_token'])
            seq = [l for l in ics.raw.split(b'\r\n') if l.startswith(b'SEQUENCE:')]
            self.assertEqual(seq, [b'SEQUENCE:1'], 'round %d: cancelled more than once' % rnd)
            events = SRV.list_all('/api/v1/customers/%s/timeline' % customer_of(b['id']), T[ADMIN])
            self.assertEqual(len([e for e in events if e['type'] == 'booking.cancelled']), 1,
                             'round %d' % rnd)

    def test_check_in_raced_by_staff(self):
        # Two advisors click "checked in" at once: one step, one timeline event.
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        day = next_weekday(2, min_ahead=10)
        for rnd in range(self.ROUNDS):
            b = self.booked(slug, day, '%02d:00' % (8 + rnd), rnd)
            results = race([('PATCH', '/api/v1/appointments/' + b['id'],
                             {'status': 'checked_in'})] * 12, token=T[ADMIN])
            self.assertEqual([s for s, _ in results], [200] * 12)
            events = SRV.list_all('/api/v1/customers/%s/timeline' % customer_of(b['id']), T[ADMIN])
            self.assertEqual(len([e for e in events if e['type'] == 'appointment.checked_in']), 1,
                             'round %d: one check-in, not one per click' % rnd)

    def test_no_show_and_check_in_race(self):
        # booked -> no_show and booked -> checked_in at once: only one of them may happen;
        # a no-show that is then checked in (or the reverse) is not in the flow.
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        day = next_weekday(3, min_ahead=10)
        for rnd in range(self.ROUNDS):
            b = self.booked(slug, day, '%02d:00' % (8 + rnd), rnd)
            reqs = [('PATCH', '/api/v1/appointments/' + b['id'],
                     {'status': 'no_show' if i % 2 else 'checked_in'}) for i in range(16)]
            results = race(reqs, token=T[ADMIN])
            ok = {reqs[i][2]['status'] for i, (s, _) in enumerate(results) if s == 200}
            self.assertEqual(len(ok), 1, 'round %d: both no_show and checked_in were accepted: %r'
                             % (rnd, [(r[2]['status'], s) for r, (s, _) in zip(reqs, results)]))
            events = SRV.list_all('/api/v1/customers/%s/timeline' % customer_of(b['id']), T[ADMIN])
            steps = [e['type'] for e in events if e['type'].startswith('appointment.')]
            self.assertEqual(len(steps), 1, 'round %d: %r' % (rnd, steps))

    def test_customer_cancel_and_staff_check_in_race(self):
        did, slug = new_dealer([{'id': 'only', 'name': 'Only bay', 'skills': ['maintenance']}])
        day = next_weekday(4, min_ahead=10)
        for rnd in range(self.ROUNDS):
            b = self.booked(slug, day, '%02d:00' % (8 + rnd), rnd)
            reqs = []
            for i in range(16):
                if i % 2:
                    reqs.append(('DELETE', '/api/v1/public/bookings/' + b['manage_token'], {}))
                else:
                    reqs.append(('PATCH', '/api/v1/appointments/' + b['id'],
                                 {'status': 'checked_in'}))
            results = race(reqs, token=T[ADMIN])
            cancelled = [s for r, (s, _) in zip(reqs, results) if r[0] == 'DELETE' and s == 200]
            checked = [s for r, (s, _) in zip(reqs, results) if r[0] == 'PATCH' and s == 200]
            self.assertFalse(cancelled and checked, 'round %d: both the customer\'s cancellation '
                             'and the check-in succeeded' % rnd)
            v = expect(SRV.request('GET', '/api/v1/public/bookings/' + b['manage_token']), 200)
            self.assertEqual(v['status'], 'cancelled' if cancelled else 'checked_in')


if __name__ == '__main__':
    unittest.main()
