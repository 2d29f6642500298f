"""The customer timeline: GET /customers/{id}/timeline and POST /customers/{id}/events —
event shape, validation of type/channel/payload/at, ordering by time, paging, the events the
server writes itself, and hostile input."""

import json
import random
import string
import time
import unittest
from datetime import datetime, timezone

import harness
from harness import (ADMIN, DEALER_ADMIN, SALES, TECHNICIAN, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}
D = {}
U = {}
EVENT_KEYS = {'id', 'dealer_id', 'customer_id', 'type', 'channel', 'at', 'actor', 'payload'}
CHANNELS = ('web', 'phone', 'email', 'walk_in', 'workshop', 'telematics', 'network')


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN, SALES, TECHNICIAN))
    D.update(SRV.dealer_ids(T[ADMIN]))
    for email in T:
        U[email] = expect(SRV.request('GET', '/api/v1/me', token=T[email]), 200)['user']['id']


def tearDownModule():
    SRV.down()


def api(who, method, path, body=None, **kw):
    return SRV.request(method, '/api/v1' + path, body, token=T.get(who, who), **kw)


def new_customer(who=SALES, **fields):
    body = {'name': 'Tijdlijn ' + ''.join(random.choice(string.ascii_lowercase) for _ in range(6)),
            'email': unique('tl') + '@example.test'}
    body.update(fields)
    return expect(api(who, 'POST', '/customers', body), 201, 'create customer')


def post(cid, body, who=SALES):
    return api(who, 'POST', '/customers/%s/events' % cid, body)


def event(cid, who=SALES, **fields):
    body = {'type': 'call.logged', 'channel': 'phone'}
    body.update(fields)
    return expect(post(cid, body, who), 201, 'post event')


def timeline(cid, who=SALES):
    return SRV.list_all('/api/v1/customers/%s/timeline' % cid, T.get(who, who), limit=50)


class PostEvent(unittest.TestCase):

    def test_shape(self):
        c = new_customer()
        time.sleep(0.005)      # not in the millisecond of customer.created
        before = datetime.now(timezone.utc)
        payload = {'summary': 'Asked about the MOT', 'minutes': 4, 'tags': ['mot', 'price'],
                   'nested': {'a': [1, 2, {'b': None}], 'ok': True}}
        e = event(c['id'], payload=payload)
        after = datetime.now(timezone.utc)
        harness.assert_keys(self, e, EVENT_KEYS, 'event')
        self.assertEqual(len(e['id']), 26)
        self.assertEqual(e['dealer_id'], D['garage-amstel'])
        self.assertEqual(e['customer_id'], c['id'])
        self.assertEqual((e['type'], e['channel']), ('call.logged', 'phone'))
        self.assertEqual(e['actor'], {'id': U[SALES], 'kind': 'user'})
        self.assertEqual(e['payload'], payload)
        harness.assert_rfc3339(self, e['at'])
        at = harness.parse_time(e['at'])
        self.assertTrue(before.replace(microsecond=0) <= at.replace(microsecond=0) <= after,
                        (before, at, after))
        tl = timeline(c['id'])
        self.assertEqual(tl[0], e, 'the newest event, as answered')

    def test_payload_optional(self):
        c = new_customer()
        self.assertEqual(event(c['id'])['payload'], {})

    def test_every_channel(self):
        c = new_customer()
        for ch in CHANNELS:
            with self.subTest(ch):
                self.assertEqual(event(c['id'], channel=ch)['channel'], ch)

    def test_types(self):
        c = new_customer()
        for t in ('a', 'call.logged', 'x9', 'lead_received.v2', 'a' + 'b' * 63):
            with self.subTest(t=t):
                self.assertEqual(event(c['id'], type=t)['type'], t)
        n = len(timeline(c['id']))
        for t in ('', 'Call.logged', 'CALL', '9call', '.call', '_call', 'call-logged',
                  'call logged', 'appel.reçu', 'a' + 'b' * 64, 'call/logged'):
            with self.subTest(t=t):
                assert_error(post(c['id'], {'type': t, 'channel': 'phone'}), 422,
                             'validation_failed', ['type'])
        assert_error(post(c['id'], {'channel': 'phone'}), 422, 'validation_failed', ['type'])
        for ch in ('', 'fax', 'WEB', 'Phone', 'walk-in', 'sms'):
            with self.subTest(ch=ch):
                assert_error(post(c['id'], {'type': 'call.logged', 'channel': ch}), 422,
                             'validation_failed', ['channel'])
        assert_error(post(c['id'], {'type': 'call.logged'}), 422, 'validation_failed',
                     ['channel'])
        self.assertEqual(len(timeline(c['id'])), n, 'a refused event was stored')

    def test_at(self):
        c = new_customer()
        cases = [('2024-03-01T10:00:00Z', '2024-03-01T10:00:00Z'),
                 ('2024-03-01T11:00:00+01:00', '2024-03-01T10:00:00Z'),
                 ('2024-03-01T10:00:00.250Z', '2024-03-01T10:00:00.250Z'),
                 ('2023-12-31T23:30:00-05:00', '2024-01-01T04:30:00Z')]
        for given, stored in cases:
            with self.subTest(given):
                self.assertEqual(event(c['id'], at=given)['at'], stored)
        n = len(timeline(c['id']))
        for bad in ('yesterday', '2024-03-01', '2024-03-01 10:00:00', '2024-13-01T10:00:00Z',
                    '2024-03-01T10:00:00'):
            with self.subTest(bad=bad):
                assert_error(post(c['id'], {'type': 'call.logged', 'channel': 'phone', 'at': bad}),
                             422, 'validation_failed', ['at'])
        assert_error(post(c['id'], {'type': 'call.logged', 'channel': 'phone', 'at': 17}), 400,
                     'bad_request')
        self.assertEqual(len(timeline(c['id'])), n)

    def test_payload_limits(self):
        c = new_customer()
        ok = event(c['id'], payload={'blob': 'x' * 60000})
        self.assertEqual(len(ok['payload']['blob']), 60000)
        n = len(timeline(c['id']))
        assert_error(post(c['id'], {'type': 'call.logged', 'channel': 'phone',
                                    'payload': {'blob': 'x' * 70000}}), 422,
                     'validation_failed', ['payload'])
        for bad in ([1, 2], 'text', 5, True):
            with self.subTest(payload=bad):
                assert_error(post(c['id'], {'type': 'call.logged', 'channel': 'phone',
                                            'payload': bad}), 400, 'bad_request')
        self.assertEqual(len(timeline(c['id'])), n)

    def test_hostile(self):
        c = new_customer()
        n = len(timeline(c['id']))
        for raw in (b'{', b'', b'[]', b'{"type":"call.logged","channel":"phone",}', b'nul'):
            with self.subTest(raw=raw):
                assert_error(SRV.request('POST', '/api/v1/customers/%s/events' % c['id'], raw=raw,
                                         token=T[SALES]), 400, 'bad_request')
        for body in ({'type': 5, 'channel': 'phone'}, {'type': 'call.logged', 'channel': ['phone']},
                     {'type': 'call.logged', 'channel': 'phone', 'actor': {'id': 'x'}},
                     {'type': 'call.logged', 'channel': 'phone', 'customer_id': c['id']},
                     {'type': 'call.logged', 'channel': 'phone', 'payload': {'n': 'a\u0000b'}},
                     {'type': 'call.logged', 'channel': 'phone', 'payload': {'a\u0000': 1}}):
            with self.subTest(body=str(body)):
                assert_error(post(c['id'], body), 400, 'bad_request')
        big = json.dumps({'type': 'call.logged', 'channel': 'phone',
                          'payload': {'b': 'x' * (1024 * 1024 + 1)}}).encode()
        assert_error(SRV.stream('POST', '/api/v1/customers/%s/events' % c['id'], [big],
                                token=T[SALES]), 413, 'payload_too_large')
        resp = SRV.request('POST', '/api/v1/customers/%s/events' % c['id'],
                           raw=b'{"type":"call.logged","channel":"phone"}',
                           headers={'Content-Type': 'text/plain'}, token=T[SALES])
        assert_error(resp, 415, 'unsupported_media_type')
        self.assertEqual(len(timeline(c['id'])), n)
        sqli = "Robert'); DROP TABLE events;--"
        text = {'note': sqli, 'who': 'Jürgen Müller 李小龙 🚗', sqli: sqli}
        e = event(c['id'], payload=text)
        self.assertEqual(e['payload'], text)
        self.assertEqual(timeline(c['id'])[0]['payload'], text)

    def test_unknown_customer(self):
        unknown = '01ZZZZZZZZZZZZZZZZZZZZZZZZ'
        assert_error(post(unknown, {'type': 'call.logged', 'channel': 'phone'}), 404, 'not_found')
        assert_error(api(SALES, 'GET', '/customers/01ZZZZZZZZZZZZZZZZZZZZZZZZ/timeline'), 404,
                     'not_found')

    def test_api_key_actor(self):
        key = expect(api(DEALER_ADMIN, 'POST', '/api-keys',
                         {'name': 'timeline ' + unique('k'), 'dealer_id': D['garage-amstel']}), 201)
        c = new_customer()
        e = event(c['id'], key['key'], type='lead.received', channel='web')
        self.assertEqual(e['actor'], {'id': key['id'], 'kind': 'api_key'})
        t = event(c['id'], TECHNICIAN, channel='workshop')
        self.assertEqual(t['actor'], {'id': U[TECHNICIAN], 'kind': 'user'})

    def test_events_are_audited(self):
        c = new_customer()
        e = event(c['id'])
        entries = [x for x in SRV.list_all('/api/v1/audit', T[DEALER_ADMIN])
                   if x['entity_id'] == e['id']]
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries[0]['after'].get('customer_id'), c['id'])


class Order(unittest.TestCase):

    def test_newest_first_by_at(self):
        c = new_customer()
        e21 = event(c['id'], at='2021-06-01T12:00:00Z', type='visit.a')
        e23 = event(c['id'], at='2023-06-01T12:00:00Z', type='visit.c')
        e22 = event(c['id'], at='2022-06-01T12:00:00Z', type='visit.b')
        tl = timeline(c['id'])
        ids = [e['id'] for e in tl]
        self.assertEqual(ids[-3:], [e23['id'], e22['id'], e21['id']])
        self.assertEqual(tl[0]['type'], 'customer.created')
        times = [harness.parse_time(e['at']) for e in tl]
        self.assertEqual(times, sorted(times, reverse=True))

    def test_paging(self):
        c = new_customer()
        for i in range(7):
            event(c['id'], at='2022-01-%02dT08:00:00Z' % (i + 1), payload={'i': i})
        full = expect(api(SALES, 'GET', '/customers/%s/timeline?limit=50' % c['id']), 200)
        self.assertIsNone(full['next_cursor'])
        self.assertEqual(len(full['items']), 8)
        for limit in (1, 3):
            with self.subTest(limit=limit):
                seen = []
                cursor = None
                for _ in range(50):
                    url = '/customers/%s/timeline?limit=%d' % (c['id'], limit)
                    if cursor:
                        url += '&cursor=' + harness.urlquote(cursor)
                    page = expect(api(SALES, 'GET', url), 200)
                    self.assertLessEqual(len(page['items']), limit)
                    seen += page['items']
                    cursor = page['next_cursor']
                    if not cursor:
                        break
                self.assertEqual(seen, full['items'])

    def test_same_time_events_page_without_loss(self):
        c = new_customer()
        made = [event(c['id'], at='2022-05-05T05:05:05Z', payload={'i': i})['id']
                for i in range(5)]
        seen = []
        cursor = None
        for _ in range(50):
            url = '/customers/%s/timeline?limit=2' % c['id']
            if cursor:
                url += '&cursor=' + harness.urlquote(cursor)
            page = expect(api(SALES, 'GET', url), 200)
            seen += [e['id'] for e in page['items']]
            cursor = page['next_cursor']
            if not cursor:
                break
        self.assertEqual(len(seen), len(set(seen)), 'an event came twice')
        self.assertTrue(set(made) <= set(seen), 'an event was skipped')

    def test_bad_parameters(self):
        c = new_customer()
        for q in ('limit=0', 'limit=501', 'limit=x', 'cursor=nope', 'cursor=' + 'Z' * 26):
            with self.subTest(q):
                assert_error(api(SALES, 'GET', '/customers/%s/timeline?%s' % (c['id'], q)), 400,
                             'bad_request')


class ServerEvents(unittest.TestCase):

    def test_standard_events(self):
        c = new_customer()
        created = timeline(c['id'])
        self.assertEqual([e['type'] for e in created], ['customer.created'])
        self.assertEqual(created[0]['actor'], {'id': U[SALES], 'kind': 'user'})
        self.assertIn(created[0]['channel'], CHANNELS)
        time.sleep(0.003)
        expect(api(SALES, 'POST', '/customers/%s/consents' % c['id'],
                   {'channel': 'email', 'granted': True, 'source': 'web'}), 201)
        time.sleep(0.003)
        expect(api(SALES, 'POST', '/customers/%s/consents' % c['id'],
                   {'channel': 'email', 'granted': False, 'source': 'phone'}), 201)
        time.sleep(0.003)
        v = expect(api(SALES, 'POST', '/vehicles', {'plate': 'TL-%03d-X' % random.randrange(1000),
                                                    'customer_id': c['id']}), 201)
        time.sleep(0.003)
        expect(api(SALES, 'POST', '/vehicles/%s/readings' % v['id'],
                   {'source': 'telematics', 'mileage_km': 100}), 201)
        dup = new_customer()
        time.sleep(0.003)
        expect(api(SALES, 'POST', '/customers/%s/merge' % c['id'], {'from': dup['id']}), 200)
        time.sleep(0.003)
        expect(api(SALES, 'DELETE', '/customers/' + c['id']), 204)
        types = [e['type'] for e in timeline(c['id'])]
        for t in ('customer.created', 'consent.granted', 'consent.withdrawn', 'vehicle.linked',
                  'vehicle.reading', 'customer.merged', 'customer.erased'):
            self.assertIn(t, types)
        self.assertEqual(types.count('customer.created'), 2, 'the duplicate brought its own')
        self.assertEqual(types[0], 'customer.erased')
        for e in timeline(c['id']):
            self.assertIn(e['channel'], CHANNELS)
            self.assertEqual(e['customer_id'], c['id'])


if __name__ == '__main__':
    unittest.main()
