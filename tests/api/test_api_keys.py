"""API keys: who may create them, the key as a bearer credential, its narrow scope."""

import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, SALES, TECHNICIAN,
                     assert_error, expect, unique)

SRV = harness.ServerModule()
KEY_KEYS = {'id', 'name', 'dealer_id', 'key', 'created_at'}
T = {}
D = {}


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, TECHNICIAN, BRUXELLES_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


def create(dealer_slug, email=ADMIN, name=None, dealer_id=None):
    body = {'name': name if name is not None else 'key ' + unique('k'),
            'dealer_id': dealer_id or D[dealer_slug]}
    return SRV.request('POST', '/api/v1/api-keys', body, token=T[email])


class ApiKeys(unittest.TestCase):

    def test_admin_creates_a_working_key(self):
        resp = create('garage-amstel', name='Website intake')
        k = expect(resp, 201)
        harness.assert_keys(self, k, KEY_KEYS, 'api key')
        self.assertEqual(k['name'], 'Website intake')
        self.assertEqual(k['dealer_id'], D['garage-amstel'])
        self.assertIsInstance(k['key'], str)
        self.assertGreaterEqual(len(k['key']), 24, 'key too short to be unguessable')
        self.assertTrue(k['key'].startswith('fck_'), 'API keys start with fck_')
        harness.assert_rfc3339(self, k['created_at'], 'created_at')
        me = expect(SRV.request('GET', '/api/v1/me', token=k['key']), 200)
        self.assertEqual(me['user']['role'], 'api_key')
        self.assertEqual(me['user']['dealer_id'], D['garage-amstel'])
        self.assertEqual(me['user']['id'], k['id'])
        self.assertEqual(me['user']['name'], 'Website intake')
        self.assertEqual(me['user']['email'], '')
        self.assertNotIn('csrf_token', me)
        # Logout with a key does nothing (and says 204).
        expect(SRV.request('POST', '/api/v1/auth/logout', token=k['key']), 204)
        expect(SRV.request('GET', '/api/v1/me', token=k['key']), 200)

    def test_keys_are_unique(self):
        keys = {expect(create('garage-amstel'), 201)['key'] for _ in range(3)}
        self.assertEqual(len(keys), 3)

    def test_dealer_admin_creates_for_own_dealer_only(self):
        k = expect(create('garage-amstel', DEALER_ADMIN), 201)
        self.assertEqual(k['dealer_id'], D['garage-amstel'])
        assert_error(create('bruxelles-auto', DEALER_ADMIN), 404, 'not_found')
        assert_error(create('montreal-motors', DEALER_ADMIN), 404, 'not_found')
        assert_error(create('garage-amstel', BRUXELLES_ADMIN), 404, 'not_found')

    def test_other_roles_may_not(self):
        cases = [(SALES, 'garage-amstel', 403, 'forbidden'),
                 (TECHNICIAN, 'garage-amstel', 403, 'forbidden'),
                 (BRAND_MANAGER, 'garage-amstel', 403, 'forbidden'),
                 (BRAND_MANAGER, 'montreal-motors', 404, 'not_found'),
                 (SALES, 'montreal-motors', 404, 'not_found')]
        for email, slug, status, code in cases:
            with self.subTest(email=email, dealer=slug):
                assert_error(create(slug, email), status, code)

    def test_unknown_dealer(self):
        assert_error(create(None, dealer_id='01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 404, 'not_found')

    def test_validation(self):
        assert_error(create('garage-amstel', name=''), 422, 'validation_failed', fields=['name'])
        assert_error(create('garage-amstel', name='k' * 5000), 422, 'validation_failed',
                     fields=['name'])
        assert_error(SRV.request('POST', '/api/v1/api-keys', {'name': 'no dealer'},
                                 token=T[ADMIN]), 422, 'validation_failed', fields=['dealer_id'])
        assert_error(SRV.request('POST', '/api/v1/api-keys', {'name': 5, 'dealer_id':
                                                              D['garage-amstel']},
                                 token=T[ADMIN]), 400, 'bad_request')
        assert_error(SRV.request('POST', '/api/v1/api-keys', {'name': 'x', 'dealer_id':
                                                              D['garage-amstel'], 'scope': 'all'},
                                 token=T[ADMIN]), 400, 'bad_request')

    def test_needs_credentials(self):
        assert_error(SRV.request('POST', '/api/v1/api-keys',
                                 {'name': 'anon', 'dealer_id': D['garage-amstel']}),
                     401, 'unauthenticated')

    def test_key_scope(self):
        key = expect(create('garage-amstel'), 201)['key']
        self.assertEqual(expect(SRV.request('GET', '/api/v1/dealers/' + D['garage-amstel'],
                                            token=key), 200)['slug'], 'garage-amstel')
        assert_error(SRV.request('GET', '/api/v1/dealers/' + D['bruxelles-auto'], token=key),
                     404, 'not_found')
        slugs = {d['slug'] for d in SRV.list_all('/api/v1/dealers', key)}
        self.assertEqual(slugs, {'garage-amstel'})
        cases = [
            ('POST', '/api/v1/brands', {'slug': unique('kb'), 'name': 'Key brand'}),
            ('POST', '/api/v1/dealers', {'slug': unique('kd'), 'name': 'Key dealer',
                                         'timezone': 'UTC', 'locale': 'en', 'brand_ids': []}),
            ('PATCH', '/api/v1/dealers/' + D['garage-amstel'], {'name': 'Key was here'}),
            ('POST', '/api/v1/users', {'email': unique('ku') + '@example.test', 'name': 'K',
                                       'password': 'long-enough-pw', 'role': 'sales',
                                       'dealer_id': D['garage-amstel']}),
            ('POST', '/api/v1/api-keys', {'name': 'child', 'dealer_id': D['garage-amstel']}),
            ('GET', '/api/v1/audit', None),
        ]
        for method, path, body in cases:
            with self.subTest(method=method, path=path):
                assert_error(SRV.request(method, path, body, token=key), 403, 'forbidden')

    def test_tampered_key_is_refused(self):
        key = expect(create('garage-amstel'), 201)['key']
        for bad in (key[:-1], key + 'x', key.upper() if key.upper() != key else key.lower()):
            with self.subTest(bad=bad):
                assert_error(SRV.request('GET', '/api/v1/me', token=bad), 401, 'unauthenticated')


if __name__ == '__main__':
    unittest.main()
