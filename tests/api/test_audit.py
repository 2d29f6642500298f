"""The audit log: one entry per business write, before/after, scope, no secrets."""

import json
import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, SALES, TECHNICIAN,
                     assert_error, expect, unique)

SRV = harness.ServerModule()
ENTRY_KEYS = {'id', 'at', 'actor_id', 'action', 'entity', 'entity_id', 'dealer_id', 'before',
              'after', 'request_id'}
T = {}
D = {}
B = {}
U = {}   # email -> user id


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, TECHNICIAN, BRUXELLES_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))
    B.update(SRV.brand_ids(T[ADMIN]))
    for email in T:
        U[email] = expect(SRV.request('GET', '/api/v1/me', token=T[email]), 200)['user']['id']


def tearDownModule():
    SRV.down()


def audit(email=ADMIN, query=''):
    return SRV.list_all('/api/v1/audit' + query, T[email])


def entries_for(entity_id, email=ADMIN):
    return [e for e in audit(email) if e['entity_id'] == entity_id]


class Audit(unittest.TestCase):

    def check_entry(self, e):
        harness.assert_keys(self, e, ENTRY_KEYS, 'audit entry')
        harness.assert_rfc3339(self, e['at'], 'at')
        for k in ('id', 'action', 'entity', 'entity_id'):
            self.assertIsInstance(e[k], str, k)
            self.assertTrue(e[k], k)
        self.assertIsInstance(e['after'], (dict, type(None)))
        self.assertIsInstance(e['before'], (dict, type(None)))

    def test_dealer_create_and_patch(self):
        slug = unique('aud')
        created_resp = SRV.request('POST', '/api/v1/dealers',
                                   {'slug': slug, 'name': 'Audit One', 'timezone': 'Europe/Paris',
                                    'locale': 'fr', 'brand_ids': [B['aurora']]}, token=T[ADMIN])
        d = expect(created_resp, 201)
        patch_resp = SRV.request('PATCH', '/api/v1/dealers/' + d['id'], {'name': 'Audit Two'},
                                 token=T[ADMIN])
        expect(patch_resp, 200)
        entries = entries_for(d['id'])
        self.assertEqual(len(entries), 2, entries)
        for e in entries:
            self.check_entry(e)
            self.assertIn('dealer', e['entity'])
            self.assertEqual(e['actor_id'], U[ADMIN])
            self.assertEqual(e['dealer_id'], d['id'])
            self.assertIsInstance(e['request_id'], str)
            self.assertTrue(e['request_id'])
        created = [e for e in entries if e['before'] is None]
        patched = [e for e in entries if e['before'] is not None]
        self.assertEqual((len(created), len(patched)), (1, 1), entries)
        self.assertEqual(created[0]['after']['name'], 'Audit One')
        self.assertEqual(created[0]['after']['slug'], slug)
        self.assertEqual(patched[0]['before']['name'], 'Audit One')
        self.assertEqual(patched[0]['after']['name'], 'Audit Two')
        self.assertEqual(created[0]['action'], 'dealer.create')
        self.assertEqual(patched[0]['action'], 'dealer.update')
        self.assertEqual(created[0]['entity'], 'dealer')
        self.assertEqual(created[0]['actor_kind'], 'user')
        # The entry carries the X-Request-Id of the request that wrote it.
        self.assertEqual(created[0]['request_id'], created_resp.headers.get('X-Request-Id'))
        self.assertEqual(patched[0]['request_id'], patch_resp.headers.get('X-Request-Id'))
        self.assertNotEqual(created[0]['request_id'], patched[0]['request_id'])

    def test_brand_user_and_key_writes_are_audited(self):
        brand = expect(SRV.request('POST', '/api/v1/brands',
                                   {'slug': unique('ab'), 'name': 'Audit Brand'},
                                   token=T[ADMIN]), 201)
        password = 'secret-password-%s' % unique('p')
        user = expect(SRV.request('POST', '/api/v1/users',
                                  {'email': unique('au') + '@example.test', 'name': 'Audit User',
                                   'password': password, 'role': 'technician',
                                   'dealer_id': D['garage-amstel']}, token=T[DEALER_ADMIN]), 201)
        key = expect(SRV.request('POST', '/api/v1/api-keys',
                                 {'name': 'Audit Key', 'dealer_id': D['garage-amstel']},
                                 token=T[DEALER_ADMIN]), 201)
        everything = audit()
        for obj, actor, name_key, action in ((brand, ADMIN, 'Audit Brand', 'brand.create'),
                                             (user, DEALER_ADMIN, 'Audit User', 'user.create'),
                                             (key, DEALER_ADMIN, 'Audit Key', 'api_key.create')):
            with self.subTest(name_key):
                mine = [e for e in everything if e['entity_id'] == obj['id']]
                self.assertEqual(len(mine), 1, mine)
                e = mine[0]
                self.check_entry(e)
                self.assertIsNone(e['before'])
                self.assertIsInstance(e['after'], dict)
                self.assertEqual(e['after'].get('name'), name_key)
                self.assertEqual(e['actor_id'], U[actor])
                self.assertEqual(e['action'], action)
                self.assertEqual(e['entity'], action.split('.')[0])
        # Neither the password, its hash nor the key's secret is written to the log.
        blob = json.dumps(everything)
        self.assertNotIn(password, blob)
        self.assertNotIn('$argon2', blob)
        self.assertNotIn(key['key'], blob)
        user_entry = [e for e in everything if e['entity_id'] == user['id']][0]
        self.assertEqual(user_entry['dealer_id'], D['garage-amstel'])
        for k in ('password', 'password_hash'):
            self.assertNotIn(k, user_entry['after'])

    def test_refused_and_invalid_writes_leave_no_entry(self):
        before = len(audit())
        assert_error(SRV.request('POST', '/api/v1/dealers',
                                 {'slug': unique('bad'), 'name': 'Bad', 'timezone': 'Mars/Olympus',
                                  'locale': 'en', 'brand_ids': []}, token=T[ADMIN]),
                     422, 'validation_failed')
        assert_error(SRV.request('POST', '/api/v1/brands', {'slug': 'aurora', 'name': 'Dup'},
                                 token=T[ADMIN]), 409, 'conflict')
        assert_error(SRV.request('PATCH', '/api/v1/dealers/' + D['garage-amstel'],
                                 {'name': 'No'}, token=T[SALES]), 403, 'forbidden')
        assert_error(SRV.request('PATCH', '/api/v1/dealers/' + D['garage-amstel'],
                                 {'name': 'No'}, token=T[ADMIN], headers={'If-Match': '"v999"'}),
                     412, 'precondition_failed')
        self.assertEqual(len(audit()), before)

    def test_reads_leave_no_entry(self):
        before = len(audit())
        for path in ('/api/v1/dealers', '/api/v1/users', '/api/v1/brands', '/api/v1/me',
                     '/api/v1/dealers/' + D['garage-amstel']):
            expect(SRV.request('GET', path, token=T[ADMIN]), 200)
        self.assertEqual(len(audit()), before)

    def test_dealer_filter(self):
        expect(SRV.request('PATCH', '/api/v1/dealers/' + D['bruxelles-auto'], {'locale': 'fr'},
                           token=T[ADMIN]), 200)
        items = audit(ADMIN, '?dealer_id=' + D['bruxelles-auto'])
        self.assertTrue(items, 'the patch of bruxelles-auto is not in its audit')
        for e in items:
            self.assertEqual(e['dealer_id'], D['bruxelles-auto'])

    def test_dealer_admin_sees_own_dealer_only(self):
        expect(SRV.request('PATCH', '/api/v1/dealers/' + D['garage-amstel'], {'locale': 'nl'},
                           token=T[DEALER_ADMIN]), 200)
        expect(SRV.request('PATCH', '/api/v1/dealers/' + D['bruxelles-auto'], {'locale': 'fr'},
                           token=T[BRUXELLES_ADMIN]), 200)
        own = audit(DEALER_ADMIN)
        self.assertTrue(own)
        for e in own:
            self.assertEqual(e['dealer_id'], D['garage-amstel'], e)
        self.assertEqual({e['id'] for e in audit(DEALER_ADMIN, '?dealer_id=' +
                                                 D['garage-amstel'])},
                         {e['id'] for e in own})
        assert_error(SRV.request('GET', '/api/v1/audit?dealer_id=' + D['bruxelles-auto'],
                                 token=T[DEALER_ADMIN]), 404, 'not_found')

    def test_unknown_dealer_filter(self):
        assert_error(SRV.request('GET', '/api/v1/audit?dealer_id=01ZZZZZZZZZZZZZZZZZZZZZZZZ',
                                 token=T[ADMIN]), 404, 'not_found')

    def test_newest_first(self):
        for i in range(3):
            expect(SRV.request('POST', '/api/v1/brands', {'slug': unique('nf'), 'name': 'N%d' % i},
                               token=T[ADMIN]), 201)
        items = audit()
        times = [harness.parse_time(e['at']) for e in items]
        self.assertEqual(times, sorted(times, reverse=True), 'audit is not newest first')
        # Entries of the same millisecond may come in either order; the three
        # newest are the three creations just made.
        self.assertEqual({e['after']['name'] for e in items[:3]}, {'N0', 'N1', 'N2'})

    def test_other_roles_are_refused(self):
        for email in (SALES, TECHNICIAN, BRAND_MANAGER):
            with self.subTest(email):
                assert_error(SRV.request('GET', '/api/v1/audit', token=T[email]), 403, 'forbidden')
        assert_error(SRV.request('GET', '/api/v1/audit'), 401, 'unauthenticated')

    def test_paging_returns_each_entry_once(self):
        for i in range(5):
            expect(SRV.request('POST', '/api/v1/brands', {'slug': unique('pg'), 'name': 'P%d' % i},
                               token=T[ADMIN]), 201)
        full = audit()
        self.assertGreaterEqual(len(full), 5)
        paged = SRV.list_all('/api/v1/audit', T[ADMIN], limit=2)
        ids = [e['id'] for e in paged]
        self.assertEqual(len(ids), len(set(ids)), 'an entry came twice')
        self.assertEqual(set(ids), {e['id'] for e in full})
        first = expect(SRV.request('GET', '/api/v1/audit?limit=2', token=T[ADMIN]), 200)
        self.assertEqual(len(first['items']), 2)
        self.assertIsInstance(first['next_cursor'], str)

    def test_bad_limits(self):
        for limit in ('0', '-1', '501', 'abc'):
            with self.subTest(limit=limit):
                assert_error(SRV.request('GET', '/api/v1/audit?limit=' + limit, token=T[ADMIN]),
                             400, 'bad_request')


if __name__ == '__main__':
    unittest.main()
