"""The customer's manage link: GET/PATCH/DELETE /public/bookings/{manage_token} and
…/calendar.ics.

View, move (same UID, SEQUENCE raised), cancel (METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE
raised), the calendar file checked against RFC 5545 (CRLF, lines of at most 75 octets,
BEGIN/END balanced, required properties, escaping and folding of a long address with
non-ASCII text), wrong and altered tokens, and what staff see after a customer's change.
"""

import datetime as dt
import re
import sqlite3
import unittest
from zoneinfo import ZoneInfo

import harness
from harness import (ADMIN, BRUXELLES_ADMIN, SALES, SERVICE_ADVISOR, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}
D = {}

AMS = 'Europe/Amsterdam'
ALL_DAYS = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
VIEW_KEYS = {'id', 'reference', 'start', 'end', 'status', 'dealer', 'can_change', 'services'}


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, SALES, SERVICE_ADVISOR, BRUXELLES_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


# -- helpers -------------------------------------------------------------------------

def api(who, method, path, body=None, **kw):
    token = T.get(who, who) if who else None
    return SRV.request(method, '/api/v1' + path, body, token=token, **kw)


def today(tz=AMS):
    return dt.datetime.now(ZoneInfo(tz)).date()


def next_weekday(weekday, min_ahead=3):
    d = today() + dt.timedelta(days=min_ahead)
    while d.weekday() != weekday:
        d += dt.timedelta(days=1)
    return d


def local(day, hhmm, tz=AMS):
    h, m = map(int, hhmm.split(':'))
    return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=ZoneInfo(tz)).isoformat()


def customer_of(appointment_id):
    """The appointment's customer, as staff see it."""
    return expect(SRV.request('GET', '/api/v1/appointments/' + appointment_id, token=T[ADMIN]),
                  200, 'staff view')['customer_id']


def parse(s):
    return dt.datetime.fromisoformat(s.replace('Z', '+00:00'))


def utc_stamp(s):
    """'2027-04-06T08:00:00+02:00' -> '20270406T060000Z' (an iCalendar UTC DATE-TIME)."""
    return parse(s).astimezone(dt.timezone.utc).strftime('%Y%m%dT%H%M%SZ')


def workshop(**kw):
    doc = {'opening_hours': {d: [['08:00', '12:00'], ['13:00', '17:00']] for d in ALL_DAYS},
           'resources': [{'id': 'bay', 'name': 'Bay', 'skills': ['maintenance', 'tires']}],
           'services': [{'code': 'oil', 'name': {'en': 'Oil service', 'fr': 'Vidange',
                                                 'nl': 'Olie verversen'},
                         'duration_min': 60, 'skill': 'maintenance', 'price': 10.0},
                        {'code': 'tires', 'name': {'en': 'Tire change'},
                         'duration_min': 30, 'skill': 'tires', 'price': 10.0}],
           'lead_time_hours': 2, 'horizon_days': 60, 'reserved_share': 0,
           'address': 'Kerkstraat 5, Amsterdam', 'phone': '+31 20 555 0111'}
    doc.update(kw)
    return doc


def new_dealer(ws=None, name=None):
    slug = unique('mg')
    d = expect(api(ADMIN, 'POST', '/dealers', {'slug': slug, 'name': name or 'Shop ' + slug,
                                               'timezone': AMS, 'locale': 'en'}), 201)
    expect(api(ADMIN, 'PUT', '/dealers/%s/workshop' % d['id'], ws or workshop()), 200, 'PUT')
    return d['id'], slug


def slots(slug, services, day, days=1):
    resp = SRV.request('GET', '/api/v1/public/dealers/%s/availability?services=%s&from=%s&days=%d'
                       % (slug, ','.join(services), day.isoformat(), days))
    return [s['start'] for s in expect(resp, 200, 'availability')['slots']]


def book(slug, start, services=('oil',), email=None, **kw):
    b = {'services': list(services), 'start': start,
         'customer': {'name': 'Manage Me', 'email': email or unique('mg') + '@example.test'}}
    b.update(kw)
    return expect(SRV.request('POST', '/api/v1/public/dealers/%s/bookings' % slug, b), 201, 'book')


def view(token):
    return SRV.request('GET', '/api/v1/public/bookings/' + token)


def move(token, start):
    return SRV.request('PATCH', '/api/v1/public/bookings/' + token, {'start': start})


def cancel(token):
    return SRV.request('DELETE', '/api/v1/public/bookings/' + token)


def ics(token):
    return SRV.request('GET', '/api/v1/public/bookings/%s/calendar.ics' % token)


def board(day, dealer_id):
    b = expect(api(ADMIN, 'GET', '/appointments?dealer_id=%s&date=%s' % (dealer_id, day.isoformat())),
               200, 'board')
    return [a for r in b['resources'] for a in r['appointments']] + b['unassigned']


def pending_outbox():
    text = SRV.request('GET', '/metrics').raw.decode()
    return int(re.search(r'^forecourt_outbox_messages\{status="pending"\} (\d+)', text, re.M).group(1))


def outbox(appointment_id):
    """{dedupe_key: status} of the appointment's messages, read from the SQLite file (None when
    the suite runs on PostgreSQL)."""
    if getattr(harness, 'PG_BASE', None):
        return None
    con = sqlite3.connect('file:%s?mode=ro' % SRV.db, uri=True, timeout=10)
    try:
        rows = con.execute("SELECT dedupe_key, status FROM outbox WHERE dedupe_key LIKE ?",
                           ('appointment:%s:%%' % appointment_id,)).fetchall()
    finally:
        con.close()
    return dict(rows)


def assert_conflict(tc, resp):
    expect(resp, 409)
    err = resp.body['error']
    tc.assertEqual(err['code'], 'conflict', resp.describe())
    tc.assertTrue(err.get('message'))
    return err


# -- iCalendar -----------------------------------------------------------------------------

def ical_unescape(v):
    out, i = [], 0
    while i < len(v):
        if v[i] == '\\' and i + 1 < len(v):
            nxt = v[i + 1]
            out.append('\n' if nxt in 'nN' else nxt)
            i += 2
        else:
            out.append(v[i])
            i += 1
    return ''.join(out)


def parse_ics(tc, resp):
    """Checks the calendar file against RFC 5545 and returns
    {'VCALENDAR': {prop: value}, 'VEVENT': {prop: value}} (values unescaped)."""
    expect(resp, 200)
    ctype = resp.headers.get('Content-Type') or ''
    tc.assertTrue(ctype.startswith('text/calendar'), ctype)
    raw = resp.raw
    tc.assertIsInstance(raw, bytes)
    tc.assertTrue(raw.endswith(b'\r\n'), 'ends with CRLF')
    tc.assertNotIn(b'\r\n\r\n', raw, 'no empty lines')
    tc.assertEqual(raw.count(b'\n'), raw.count(b'\r\n'), 'every line break is CRLF')
    tc.assertEqual(raw.count(b'\r'), raw.count(b'\r\n'), 'no bare CR')
    physical = raw[:-2].split(b'\r\n')
    for line in physical:
        tc.assertLessEqual(len(line), 75, 'line over 75 octets: %r' % line)
        tc.assertFalse(any(c < 0x20 and c != 0x09 for c in line), 'control character in %r' % line)
    # Unfold (a line starting with a space or tab continues the previous one), then decode.
    logical = []
    for line in physical:
        if line[:1] in (b' ', b'\t'):
            tc.assertTrue(logical, 'file starts with a continuation line')
            logical[-1] += line[1:]
        else:
            logical.append(line)
    lines = [l.decode('utf-8') for l in logical]
    stack, comps, seen = [], {}, []
    for line in lines:
        m = re.match(r'^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$', line)
        tc.assertTrue(m, 'not a content line: %r' % line)
        name, params, value = m.group(1).upper(), m.group(2), m.group(3)
        if name == 'BEGIN':
            stack.append(value)
            comps.setdefault(value, {})
            seen.append(value)
        elif name == 'END':
            tc.assertTrue(stack and stack[-1] == value, 'END:%s does not close %r' % (value, stack))
            stack.pop()
        else:
            tc.assertTrue(stack, 'property outside a component: %r' % line)
            props = comps[stack[-1]]
            tc.assertNotIn(name, props, 'property %s twice in %s' % (name, stack[-1]))
            props[name] = ical_unescape(value)
    tc.assertEqual(stack, [], 'BEGIN/END balanced')
    tc.assertEqual(lines[0], 'BEGIN:VCALENDAR')
    tc.assertEqual(lines[-1], 'END:VCALENDAR')
    tc.assertEqual(seen.count('VCALENDAR'), 1)
    tc.assertEqual(seen.count('VEVENT'), 1)
    cal, ev = comps['VCALENDAR'], comps['VEVENT']
    tc.assertEqual(cal.get('VERSION'), '2.0')
    tc.assertTrue(cal.get('PRODID'))
    for prop in ('UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SEQUENCE', 'SUMMARY', 'STATUS'):
        tc.assertIn(prop, ev, 'VEVENT lacks %s' % prop)
    for prop in ('DTSTAMP', 'DTSTART', 'DTEND'):
        tc.assertRegex(ev[prop], r'^\d{8}T\d{6}Z$', prop)
    tc.assertLess(ev['DTSTART'], ev['DTEND'])
    tc.assertRegex(ev['SEQUENCE'], r'^\d+$')
    return {'VCALENDAR': cal, 'VEVENT': ev}


# -- tests -----------------------------------------------------------------------------------

class View(unittest.TestCase):

    def test_view(self):
        did, slug = new_dealer(name='Garage Één')
        start = local(next_weekday(1), '10:00')
        b = book(slug, start, services=('oil', 'tires'))
        v = expect(view(b['manage_token']), 200)
        harness.assert_keys(self, v, VIEW_KEYS, 'booking view')
        self.assertEqual(v['id'], b['id'])
        self.assertEqual(v['reference'], b['reference'])
        self.assertEqual(v['start'], start)
        self.assertEqual(v['end'], local(next_weekday(1), '11:30'))
        self.assertEqual(v['status'], 'booked')
        self.assertIs(v['can_change'], True)
        self.assertEqual(v['dealer']['slug'], slug)
        self.assertEqual(v['dealer']['name'], 'Garage Één')
        self.assertEqual(v['dealer']['timezone'], AMS)
        self.assertEqual(v['dealer']['address'], 'Kerkstraat 5, Amsterdam')
        self.assertEqual(v['dealer']['phone'], '+31 20 555 0111')
        self.assertEqual([s['code'] for s in v['services']], ['oil', 'tires'])
        self.assertEqual(v['services'][0]['name'], 'Oil service')
        self.assertNotIn('manage_token', v)
        self.assertNotIn('customer_id', v, 'no internal ids behind a link that may be forwarded')

    def test_services_in_the_customers_language(self):
        did, slug = new_dealer()
        b = book(slug, local(next_weekday(2), '10:00'), language='fr')
        self.assertEqual(expect(view(b['manage_token']), 200)['services'][0]['name'], 'Vidange')
        b = book(slug, local(next_weekday(2), '13:00'), language='nl')
        self.assertEqual(expect(view(b['manage_token']), 200)['services'][0]['name'], 'Olie verversen')

    def test_wrong_and_altered_tokens(self):
        did, slug = new_dealer()
        start = local(next_weekday(3), '10:00')
        b = book(slug, start)
        tok = b['manage_token']
        flipped = tok[:-1] + ('A' if tok[-1] != 'A' else 'B')
        bad = [flipped, tok[:-1], tok + 'x', tok.upper(), 'fcb_', 'fcb_' + 'a' * 43, 'nope',
               tok.replace('fcb_', 'fch_'), tok.replace('fcb_', 'fcs_'), 'fcb_' + 'a' * 300,
               b['id'], b['reference'], "fcb_' OR '1'='1", 'fcb_%00' + tok[4:]]
        for t in bad:
            path = harness.urlquote(t) if "'" in t or ' ' in t else t
            with self.subTest(token=t[:40]):
                assert_error(view(path), 404, 'not_found')
                assert_error(ics(path), 404, 'not_found')
                assert_error(move(path, local(next_weekday(3), '13:00')), 404, 'not_found')
                assert_error(cancel(path), 404, 'not_found')
        # The real one is untouched.
        v = expect(view(tok), 200)
        self.assertEqual((v['status'], v['start']), ('booked', start))

    def test_methods(self):
        did, slug = new_dealer()
        b = book(slug, local(next_weekday(5), '10:00'))
        for method in ('PUT', 'POST'):
            resp = SRV.request(method, '/api/v1/public/bookings/' + b['manage_token'], {})
            assert_error(resp, 405, 'method_not_allowed')
            allow = resp.headers.get('Allow') or ''
            for m in ('GET', 'PATCH', 'DELETE'):
                self.assertIn(m, allow)
        assert_error(SRV.request('DELETE', '/api/v1/public/bookings/%s/calendar.ics'
                                 % b['manage_token']), 405, 'method_not_allowed')

    def test_a_staff_session_is_not_a_manage_token(self):
        did, slug = new_dealer()
        b = book(slug, local(next_weekday(4), '10:00'))
        assert_error(view(T[ADMIN]), 404, 'not_found')
        assert_error(SRV.request('GET', '/api/v1/public/bookings/' + b['id'], token=T[ADMIN]),
                     404, 'not_found')


class Calendar(unittest.TestCase):

    def test_demo_dealer_event(self):
        day = today() + dt.timedelta(days=3)
        resp = SRV.request('GET', '/api/v1/public/dealers/garage-amstel/availability?services=oil'
                           '&from=%s&days=14' % day.isoformat())
        start = expect(resp, 200)['slots'][0]['start']
        b = book('garage-amstel', start)
        cal = parse_ics(self, ics(b['manage_token']))
        cal_props, ev = cal['VCALENDAR'], cal['VEVENT']
        self.assertEqual(cal_props.get('METHOD'), 'PUBLISH')
        self.assertEqual(ev['UID'], b['id'] + '@forecourt')
        self.assertEqual(ev['DTSTART'], utc_stamp(b['start']))
        self.assertEqual(ev['DTEND'], utc_stamp(b['end']))
        self.assertEqual(ev['SEQUENCE'], '0')
        self.assertEqual(ev['STATUS'], 'CONFIRMED')
        self.assertEqual(ev['LOCATION'], 'Garage Amstel, Demo street 1')
        self.assertIn(b['reference'], ev['SUMMARY'])
        stamp = dt.datetime.strptime(ev['DTSTAMP'], '%Y%m%dT%H%M%SZ').replace(tzinfo=dt.timezone.utc)
        self.assertLess(abs(stamp - dt.datetime.now(dt.timezone.utc)), dt.timedelta(minutes=5))

    def test_long_unicode_address_is_folded_and_escaped(self):
        address = ('Ünïcödé-straße 1; Hof "B", 2e etage\\achter ' + 'Grachtengordel ' * 12 +
                   '日本語の住所 🚗')[:300]
        did, slug = new_dealer(workshop(address=address), name='Auto, Één; Test')
        b = book(slug, local(next_weekday(1), '09:00'))
        ev = parse_ics(self, ics(b['manage_token']))['VEVENT']
        self.assertEqual(ev['LOCATION'], 'Auto, Één; Test, ' + address)

    def test_dst_booking_in_utc(self):
        # Summer and winter time: DTSTART is the same instant, written in UTC.
        did, slug = new_dealer(workshop(horizon_days=365))
        z = ZoneInfo(AMS)
        for days_ahead in (5, 150):
            day = today() + dt.timedelta(days=days_ahead)
            b = book(slug, local(day, '08:00'))
            ev = parse_ics(self, ics(b['manage_token']))['VEVENT']
            offset = dt.datetime(day.year, day.month, day.day, 8, tzinfo=z).utcoffset()
            want = (dt.datetime(day.year, day.month, day.day, 8) - offset).strftime('%Y%m%dT%H%M%SZ')
            self.assertEqual(ev['DTSTART'], want)


class Move(unittest.TestCase):

    def test_move(self):
        did, slug = new_dealer()
        day = next_weekday(1)
        old, new = local(day, '09:00'), local(day + dt.timedelta(days=1), '14:00')
        b = book(slug, old)
        uid = parse_ics(self, ics(b['manage_token']))['VEVENT']['UID']
        before = pending_outbox()
        resp = move(b['manage_token'], new)
        v = expect(resp, 200)
        self.assertEqual(v['id'], b['id'])
        self.assertEqual(v['reference'], b['reference'])
        self.assertEqual(v['start'], new)
        self.assertEqual(v['end'], local(day + dt.timedelta(days=1), '15:00'))
        self.assertEqual(v['status'], 'booked')
        self.assertEqual(expect(view(b['manage_token']), 200)['start'], new)
        ev = parse_ics(self, ics(b['manage_token']))['VEVENT']
        self.assertEqual(ev['UID'], uid)
        self.assertEqual(ev['SEQUENCE'], '1')
        self.assertEqual(ev['DTSTART'], utc_stamp(new))
        self.assertEqual(ev['STATUS'], 'CONFIRMED')
        # The old time is free again, the new one taken; the day board follows.
        self.assertIn(old, slots(slug, ['oil'], day))
        self.assertNotIn(new, slots(slug, ['oil'], day + dt.timedelta(days=1)))
        self.assertEqual([a['id'] for a in board(day, did)], [])
        moved = [a for a in board(day + dt.timedelta(days=1), did) if a['id'] == b['id']]
        self.assertEqual(len(moved), 1)
        self.assertEqual(moved[0]['sequence'], 1)
        self.assertGreaterEqual(pending_outbox(), before + 1, 'a "moved" e-mail is queued')
        rows = outbox(b['id'])
        if rows is not None:
            key = 'appointment:%s:' % b['id']
            self.assertEqual(rows, {key + 'confirm:0': 'pending', key + 'reminder:0': 'cancelled',
                                    key + 'moved:1': 'pending', key + 'reminder:1': 'pending'})
        # Move again: SEQUENCE 2, same UID.
        expect(move(b['manage_token'], local(day, '13:00')), 200)
        ev = parse_ics(self, ics(b['manage_token']))['VEVENT']
        self.assertEqual((ev['UID'], ev['SEQUENCE']), (uid, '2'))
        # Timeline: the customer's history shows the move.
        events = SRV.list_all('/api/v1/customers/%s/timeline' % customer_of(b['id']), T[ADMIN])
        self.assertEqual(len([e for e in events if e['type'] == 'booking.moved']), 2)

    def test_move_to_the_same_time(self):
        did, slug = new_dealer()
        day = next_weekday(5)
        b = book(slug, local(day, '09:00'))
        before = pending_outbox()
        v = expect(move(b['manage_token'], local(day, '09:00')), 200)
        self.assertEqual(v['start'], local(day, '09:00'))
        self.assertEqual(parse_ics(self, ics(b['manage_token']))['VEVENT']['SEQUENCE'], '0',
                         'nothing moved')
        self.assertEqual(pending_outbox(), before, 'nothing to tell the customer')

    def test_move_within_the_same_slot_range(self):
        # Moving by half an hour overlaps the booking's own time: it must not block itself.
        did, slug = new_dealer()
        day = next_weekday(2)
        b = book(slug, local(day, '09:00'))
        v = expect(move(b['manage_token'], local(day, '09:30')), 200)
        self.assertEqual(v['start'], local(day, '09:30'))

    def test_move_to_a_taken_time(self):
        did, slug = new_dealer()
        day = next_weekday(3)
        book(slug, local(day, '10:00'))
        b = book(slug, local(day, '14:00'))
        err = assert_conflict(self, move(b['manage_token'], local(day, '10:00')))
        self.assertIsInstance(err.get('alternatives'), list)
        self.assertTrue(err['alternatives'])
        self.assertNotIn(local(day, '10:00'), [a['start'] for a in err['alternatives']])
        v = expect(view(b['manage_token']), 200)
        self.assertEqual(v['start'], local(day, '14:00'), 'unchanged')
        self.assertEqual(parse_ics(self, ics(b['manage_token']))['VEVENT']['SEQUENCE'], '0')

    def test_move_refused_times(self):
        did, slug = new_dealer()
        day = next_weekday(4)
        b = book(slug, local(day, '10:00'))
        for what, start in (('off grid', local(day, '10:10')), ('lunch', local(day, '12:00')),
                            ('past', local(today() - dt.timedelta(days=2), '10:00')),
                            ('beyond horizon', local(today() + dt.timedelta(days=90), '10:00'))):
            with self.subTest(what=what):
                assert_conflict(self, move(b['manage_token'], start))
        self.assertEqual(expect(view(b['manage_token']), 200)['start'], local(day, '10:00'))

    def test_move_to_extreme_times(self):
        did, slug = new_dealer()
        day = next_weekday(4)
        b = book(slug, local(day, '11:00'))
        for start in ('9999-12-31T23:00:00+01:00', '0001-01-01T10:00:00+01:00'):
            with self.subTest(start=start):
                resp = move(b['manage_token'], start)
                self.assertIn(resp.status, (409, 422), resp.describe())
        self.assertEqual(expect(view(b['manage_token']), 200)['start'], local(day, '11:00'))

    def test_move_validation(self):
        did, slug = new_dealer()
        day = next_weekday(5)
        b = book(slug, local(day, '10:00'))
        path = '/api/v1/public/bookings/' + b['manage_token']
        assert_error(SRV.request('PATCH', path, {}), 422, 'validation_failed', fields=['start'])
        assert_error(SRV.request('PATCH', path, {'start': 'tomorrow'}), 422, 'validation_failed',
                     fields=['start'])
        assert_error(SRV.request('PATCH', path, {'start': '2027-01-05T10:00:00'}), 422,
                     'validation_failed', fields=['start'])
        assert_error(SRV.request('PATCH', path, {'start': 12}), 400, 'bad_request')
        assert_error(SRV.request('PATCH', path, {'start': local(day, '13:00'), 'services': ['tires']}),
                     400, 'bad_request')
        assert_error(SRV.request('PATCH', path, {'start': local(day, '13:00'), 'status': 'cancelled'}),
                     400, 'bad_request')
        assert_error(SRV.request('PATCH', path, raw=b'{"start":'), 400, 'bad_request')
        assert_error(SRV.request('PATCH', path, raw=b'{}', headers={'Content-Type': 'text/plain'}),
                     415, 'unsupported_media_type')
        v = expect(view(b['manage_token']), 200)
        self.assertEqual((v['start'], v['status']), (local(day, '10:00'), 'booked'))


class Cancel(unittest.TestCase):

    def test_cancel(self):
        did, slug = new_dealer()
        day = next_weekday(1)
        start = local(day, '11:00')
        b = book(slug, start)
        uid = parse_ics(self, ics(b['manage_token']))['VEVENT']['UID']
        before = pending_outbox()
        v = expect(cancel(b['manage_token']), 200)
        self.assertEqual(v['status'], 'cancelled')
        self.assertIs(v['can_change'], False)
        self.assertEqual(v['id'], b['id'])
        self.assertEqual(v['start'], start)
        cal = parse_ics(self, ics(b['manage_token']))
        self.assertEqual(cal['VCALENDAR'].get('METHOD'), 'CANCEL')
        ev = cal['VEVENT']
        self.assertEqual(ev['STATUS'], 'CANCELLED')
        self.assertEqual(ev['UID'], uid)
        self.assertEqual(ev['SEQUENCE'], '1')
        self.assertEqual(ev['DTSTART'], utc_stamp(start), 'the cancelled event keeps its time')
        # The cancellation e-mail is queued and the reminder withdrawn.
        self.assertEqual(pending_outbox(), before + 1 - 1)
        rows = outbox(b['id'])
        if rows is not None:
            key = 'appointment:%s:' % b['id']
            self.assertEqual(rows, {key + 'confirm:0': 'pending', key + 'reminder:0': 'cancelled',
                                    key + 'cancelled:1': 'pending'})
        # Cancelling again is the same cancellation: 200, nothing raised.
        v2 = expect(cancel(b['manage_token']), 200)
        self.assertEqual(v2['status'], 'cancelled')
        self.assertEqual(parse_ics(self, ics(b['manage_token']))['VEVENT']['SEQUENCE'], '1')
        # A cancelled booking cannot be moved; the slot is free; staff no longer see it.
        assert_conflict(self, move(b['manage_token'], local(day, '14:00')))
        self.assertIn(start, slots(slug, ['oil'], day))
        self.assertNotIn(b['id'], [a['id'] for a in board(day, did)])
        expect(view(b['manage_token']), 200)
        # Somebody else takes the freed slot.
        book(slug, start)
        events = SRV.list_all('/api/v1/customers/%s/timeline' % customer_of(b['id']), T[ADMIN])
        self.assertEqual(len([e for e in events if e['type'] == 'booking.cancelled']), 1)

    def test_move_then_cancel_sequence(self):
        did, slug = new_dealer()
        day = next_weekday(2)
        b = book(slug, local(day, '08:00'))
        expect(move(b['manage_token'], local(day, '15:00')), 200)
        expect(cancel(b['manage_token']), 200)
        ev = parse_ics(self, ics(b['manage_token']))['VEVENT']
        self.assertEqual(ev['SEQUENCE'], '2')
        self.assertEqual(ev['DTSTART'], utc_stamp(local(day, '15:00')))

    def test_under_way_cannot_be_changed_online(self):
        did, slug = new_dealer()
        day = next_weekday(3)
        b = book(slug, local(day, '10:00'))
        expect(api(ADMIN, 'PATCH', '/appointments/' + b['id'], {'status': 'checked_in'}), 200)
        v = expect(view(b['manage_token']), 200)
        self.assertEqual(v['status'], 'checked_in')
        self.assertIs(v['can_change'], False)
        assert_conflict(self, move(b['manage_token'], local(day, '14:00')))
        assert_conflict(self, cancel(b['manage_token']))
        self.assertEqual(expect(view(b['manage_token']), 200)['status'], 'checked_in')

    def test_staff_cancellation_shows_in_the_link(self):
        did, slug = new_dealer()
        day = next_weekday(4)
        b = book(slug, local(day, '10:00'))
        expect(api(ADMIN, 'PATCH', '/appointments/' + b['id'], {'status': 'cancelled'}), 200)
        v = expect(view(b['manage_token']), 200)
        self.assertEqual(v['status'], 'cancelled')
        cal = parse_ics(self, ics(b['manage_token']))
        self.assertEqual(cal['VCALENDAR'].get('METHOD'), 'CANCEL')
        self.assertEqual(cal['VEVENT']['STATUS'], 'CANCELLED')
        self.assertEqual(cal['VEVENT']['SEQUENCE'], '1', 'a staff cancellation raises SEQUENCE too')


if __name__ == '__main__':
    unittest.main()
