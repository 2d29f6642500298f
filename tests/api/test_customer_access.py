"""Who may see and change customers: staff and API keys of the customer's dealer; the
administrator everywhere; a brand manager never (403); another dealer's staff get 404 on every
route and never find the customer; anonymous callers get 401."""

import json
import random
import string
import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, MONTREAL_SALES, SALES,
                     SERVICE_ADVISOR, TECHNICIAN, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}
D = {}
K = {}       # the garage-amstel API key: {'id', 'key'}
AMSTEL_STAFF = (DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN)
OUTSIDERS = (MONTREAL_SALES, BRUXELLES_ADMIN)


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN,
                        BRUXELLES_ADMIN, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    K.update(expect(api(DEALER_ADMIN, 'POST', '/api-keys',
                        {'name': 'customer access', 'dealer_id': D['garage-amstel']}), 201))


def tearDownModule():
    SRV.down()


def api(who, method, path, body=None, **kw):
    token = T.get(who, who) if who is not None else None
    return SRV.request(method, '/api/v1' + path, body, token=token, **kw)


def word(n=7):
    return ''.join(random.choice(string.ascii_lowercase) for _ in range(n))


def new_customer(who=SALES, **fields):
    body = {'name': 'Klant ' + word().capitalize() + ' ' + word().capitalize(),
            'email': unique('acc') + '@example.test'}
    body.update(fields)
    return expect(api(who, 'POST', '/customers', body), 201, 'create customer')


def routes(cid, own_other_id):
    """(label, method, path, body) of every customer route on one customer."""
    return [
        ('GET', 'GET', '/customers/' + cid, None),
        ('PATCH', 'PATCH', '/customers/' + cid, {'notes': 'changed by an outsider'}),
        ('DELETE', 'DELETE', '/customers/' + cid, None),
        ('export', 'GET', '/customers/%s/export' % cid, None),
        ('merge', 'POST', '/customers/%s/merge' % cid, {'from': own_other_id}),
        ('timeline', 'GET', '/customers/%s/timeline' % cid, None),
        ('events', 'POST', '/customers/%s/events' % cid,
         {'type': 'call.logged', 'channel': 'phone', 'payload': {'x': 1}}),
        ('consents', 'POST', '/customers/%s/consents' % cid,
         {'channel': 'email', 'granted': True, 'source': 'web'}),
    ]


def snapshot(cid, who=SALES):
    doc = expect(api(who, 'GET', '/customers/' + cid), 200)
    tl = SRV.list_all('/api/v1/customers/%s/timeline' % cid, T[who], limit=50)
    return doc, [e['id'] for e in tl]


class OtherDealers(unittest.TestCase):

    def test_every_route_is_404(self):
        target = new_customer(notes='private notes', consents={'sms': True})
        expect(api(SALES, 'POST', '/customers/%s/events' % target['id'],
                   {'type': 'note.added', 'channel': 'walk_in', 'payload': {'t': 'hello'}}), 201)
        before = snapshot(target['id'])
        for who in OUTSIDERS:
            mine = new_customer(who)
            for label, method, path, body in routes(target['id'], mine['id']):
                with self.subTest(who=who, route=label):
                    resp = api(who, method, path, body)
                    assert_error(resp, 404, 'not_found')
                    self.assertNotIn(b'private notes', resp.raw)
                    self.assertNotIn(target['name'].encode(), resp.raw)
            # Their own customer was not merged away or changed either.
            self.assertEqual(expect(api(who, 'GET', '/customers/' + mine['id']), 200)['version'], 1)
        self.assertEqual(snapshot(target['id']), before, 'an outsider changed the customer')

    def test_unknown_and_foreign_look_the_same(self):
        target = new_customer()
        for label, method, path, body in routes(target['id'], target['id']):
            with self.subTest(route=label):
                foreign = api(MONTREAL_SALES, method, path, body)
                unknown = api(MONTREAL_SALES, method,
                              path.replace(target['id'], '01ZZZZZZZZZZZZZZZZZZZZZZZZ'), body)
                self.assertEqual((foreign.status, foreign.body['error']['code']),
                                 (unknown.status, unknown.body['error']['code']))

    def test_merge_from_another_dealer_is_refused(self):
        target = new_customer()
        theirs = new_customer(BRUXELLES_ADMIN)
        before = snapshot(target['id'])
        assert_error(api(BRUXELLES_ADMIN, 'POST', '/customers/%s/merge' % theirs['id'],
                         {'from': target['id']}), 422, 'validation_failed', ['from'])
        assert_error(api(SALES, 'POST', '/customers/%s/merge' % target['id'],
                         {'from': theirs['id']}), 422, 'validation_failed', ['from'])
        self.assertEqual(snapshot(target['id']), before)
        self.assertEqual(expect(api(BRUXELLES_ADMIN, 'GET', '/customers/' + theirs['id']), 200)
                         ['version'], 1)

    def test_never_in_their_search(self):
        target = new_customer(phone='06 %08d' % random.randrange(10000000, 19999999))
        own = expect(api(SALES, 'GET', '/customers?limit=5&q=' + harness.urlquote(target['name'])),
                     200)
        self.assertEqual([c['id'] for c in own['items']], [target['id']])
        for who in OUTSIDERS:
            for q in (target['name'], target['email'], target['phone'], target['name'].split()[1]):
                with self.subTest(who=who, q=q):
                    page = expect(api(who, 'GET', '/customers?limit=5&q=' + harness.urlquote(q)),
                                  200)
                    self.assertEqual(page['items'], [])
            listed = SRV.list_all('/api/v1/customers', T[who], limit=5)
            self.assertNotIn(target['id'], [c['id'] for c in listed])

    def test_staff_cannot_name_another_dealer(self):
        theirs = new_customer(BRUXELLES_ADMIN)
        resp = api(SALES, 'GET', '/customers?limit=5&dealer_id=' + D['bruxelles-auto'])
        self.assertIn(resp.status, (403, 404), resp.describe())
        self.assertNotIn(theirs['id'].encode(), resp.raw)
        resp = api(SALES, 'GET', '/customers?limit=5&q=klant&dealer_id=' + D['bruxelles-auto'])
        self.assertIn(resp.status, (403, 404), resp.describe())
        self.assertNotIn(theirs['id'].encode(), resp.raw)


class OwnDealer(unittest.TestCase):

    def test_every_staff_role_reads_and_writes(self):
        for who in AMSTEL_STAFF:
            with self.subTest(who=who):
                c = new_customer(who)
                self.assertEqual(c['dealer_id'], D['garage-amstel'])
                other = new_customer(SALES)
                cid = c['id']
                expect(api(who, 'GET', '/customers/' + cid), 200)
                self.assertEqual(expect(api(who, 'PATCH', '/customers/' + cid,
                                            {'notes': 'by ' + who}), 200)['notes'], 'by ' + who)
                expect(api(who, 'GET', '/customers/%s/timeline' % cid), 200)
                expect(api(who, 'POST', '/customers/%s/events' % cid,
                           {'type': 'call.logged', 'channel': 'phone'}), 201)
                expect(api(who, 'POST', '/customers/%s/consents' % cid,
                           {'channel': 'post', 'granted': True, 'source': 'paper'}), 201)
                self.assertEqual(expect(api(who, 'GET', '/customers/%s/export' % cid), 200)
                                 ['customer']['id'], cid)
                expect(api(who, 'POST', '/customers/%s/merge' % cid, {'from': other['id']}), 200)
                found = expect(api(who, 'GET', '/customers?limit=5&q=' +
                                   harness.urlquote(c['name'])), 200)['items']
                self.assertEqual([x['id'] for x in found], [cid])
                expect(api(who, 'DELETE', '/customers/' + cid), 204)

    def test_brand_manager_is_refused(self):
        target = new_customer()
        assert_error(api(BRAND_MANAGER, 'GET', '/customers'), 403, 'forbidden')
        assert_error(api(BRAND_MANAGER, 'GET', '/customers?q=klant&dealer_id=' +
                         D['garage-amstel']), 403, 'forbidden')
        for label, method, path, body in routes(target['id'], target['id']):
            with self.subTest(route=label):
                resp = api(BRAND_MANAGER, method, path, body)
                assert_error(resp, 403, 'forbidden')
                self.assertNotIn(target['name'].encode(), resp.raw)
        resp = api(BRAND_MANAGER, 'POST', '/customers',
                   {'name': 'Brand Made', 'email': unique('bm') + '@example.test',
                    'dealer_id': D['garage-amstel']})
        assert_error(resp, 403, 'forbidden')
        mtl = new_customer(MONTREAL_SALES)
        resp = api(BRAND_MANAGER, 'GET', '/customers/' + mtl['id'])
        self.assertIn(resp.status, (403, 404), resp.describe())
        self.assertNotIn(mtl['name'].encode(), resp.raw)
        # Nothing changed.
        self.assertEqual(expect(api(SALES, 'GET', '/customers/' + target['id']), 200)['version'], 1)

    def test_administrator(self):
        target = new_customer()
        self.assertEqual(expect(api(ADMIN, 'GET', '/customers/' + target['id']), 200)['name'],
                         target['name'])
        p = expect(api(ADMIN, 'PATCH', '/customers/' + target['id'], {'notes': 'admin'}), 200)
        self.assertEqual(p['version'], 2)
        found = expect(api(ADMIN, 'GET', '/customers?limit=5&dealer_id=%s&q=%s'
                           % (D['garage-amstel'], harness.urlquote(target['name']))), 200)
        self.assertEqual([c['id'] for c in found['items']], [target['id']])
        made = expect(api(ADMIN, 'POST', '/customers', {'name': 'Admin Made',
                                                        'email': unique('adm') + '@example.test',
                                                        'dealer_id': D['montreal-motors']}), 201)
        self.assertEqual(made['dealer_id'], D['montreal-motors'])
        seen = expect(api(MONTREAL_SALES, 'GET', '/customers/' + made['id']), 200)
        self.assertEqual(seen['name'], 'Admin Made')
        assert_error(api(ADMIN, 'POST', '/customers', {'name': 'Nowhere',
                                                       'email': unique('adm') + '@example.test'}),
                     422, 'validation_failed', ['dealer_id'])

    def test_anonymous(self):
        target = new_customer()
        for label, method, path, body in routes(target['id'], target['id']) + [
                ('list', 'GET', '/customers', None),
                ('create', 'POST', '/customers', {'name': 'Anon', 'email': 'anon@example.test'})]:
            with self.subTest(route=label):
                assert_error(api(None, method, path, body), 401, 'unauthenticated')
        self.assertEqual(expect(api(SALES, 'GET', '/customers/' + target['id']), 200)['version'], 1)

    def test_cookie_write_needs_csrf(self):
        login = expect(SRV.login_response(SALES), 200)
        cookie = login['token']
        body = {'name': 'Cookie Made', 'email': unique('ck') + '@example.test'}
        assert_error(SRV.request('POST', '/api/v1/customers', body, cookie=cookie), 403,
                     'csrf_failed')
        made = expect(SRV.request('POST', '/api/v1/customers', body, cookie=cookie,
                                  headers={'X-CSRF-Token': login['csrf_token']}), 201)
        self.assertEqual(made['name'], 'Cookie Made')
        expect(SRV.request('GET', '/api/v1/customers/' + made['id'], cookie=cookie), 200)


class ApiKey(unittest.TestCase):

    def test_key_works_for_its_dealer_only(self):
        key = K['key']
        c = expect(api(key, 'POST', '/customers', {'name': 'Website Lead',
                                                   'email': unique('key') + '@example.test',
                                                   'consents': {'email': True},
                                                   'consent_source': 'web'}), 201)
        self.assertEqual(c['dealer_id'], D['garage-amstel'])
        self.assertEqual(c['consents']['email']['by'], K['id'])
        self.assertEqual(expect(api(SALES, 'GET', '/customers/' + c['id']), 200)['name'],
                         'Website Lead')
        ours = new_customer()
        self.assertEqual(expect(api(key, 'GET', '/customers/' + ours['id']), 200)['id'], ours['id'])
        e = expect(api(key, 'POST', '/customers/%s/events' % ours['id'],
                       {'type': 'lead.received', 'channel': 'web'}), 201)
        self.assertEqual(e['actor'], {'id': K['id'], 'kind': 'api_key'})
        theirs = new_customer(BRUXELLES_ADMIN)
        before = snapshot(theirs['id'], BRUXELLES_ADMIN)
        for label, method, path, body in routes(theirs['id'], ours['id']):
            with self.subTest(route=label):
                assert_error(api(key, method, path, body), 404, 'not_found')
        self.assertEqual(snapshot(theirs['id'], BRUXELLES_ADMIN), before)
        page = expect(api(key, 'GET', '/customers?limit=5&q=' + harness.urlquote(theirs['name'])),
                      200)
        self.assertEqual(page['items'], [])
        # Audit: the creation is the key's.
        entries = [x for x in SRV.list_all('/api/v1/audit', T[DEALER_ADMIN])
                   if x['entity_id'] == c['id'] and x['action'] == 'customer.create']
        self.assertEqual(len(entries), 1)
        self.assertEqual((entries[0]['actor_kind'], entries[0]['actor_id']), ('api_key', K['id']))

    def test_key_cannot_create_elsewhere(self):
        before = len(SRV.list_all('/api/v1/customers', T[BRUXELLES_ADMIN], limit=5))
        resp = api(K['key'], 'POST', '/customers', {'name': 'Elsewhere',
                                                    'email': unique('key') + '@example.test',
                                                    'dealer_id': D['bruxelles-auto']})
        self.assertIn(resp.status, (403, 404, 422), resp.describe())
        self.assertEqual(len(SRV.list_all('/api/v1/customers', T[BRUXELLES_ADMIN], limit=5)),
                         before)

    def test_key_vehicles(self):
        key = K['key']
        theirs = expect(api(BRUXELLES_ADMIN, 'POST', '/vehicles',
                            {'plate': 'BE-%03d' % random.randrange(1000)}), 201)
        assert_error(api(key, 'GET', '/vehicles/' + theirs['id']), 404, 'not_found')
        mine = expect(api(key, 'POST', '/vehicles', {'plate': 'NL-%03d' % random.randrange(1000),
                                                     'mileage_km': 10}), 201)
        self.assertEqual(expect(api(SALES, 'GET', '/vehicles/' + mine['id']), 200)['readings'][0]
                         ['dealer_id'], D['garage-amstel'])
        self.assertNotIn(theirs['id'], json.dumps(SRV.list_all('/api/v1/vehicles', key)))


if __name__ == '__main__':
    unittest.main()
