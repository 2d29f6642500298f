"""Idempotency-Key on writes: a retried request gets the first answer and does nothing."""

import concurrent.futures
import unittest

import harness
from harness import ADMIN, DEALER_ADMIN, assert_error, expect, unique

SRV = harness.ServerModule()
T = {}
D = {}
SECOND_ADMIN = 'second-admin@example.test'
SECOND_PASSWORD = 'second-admin-password'


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))
    expect(SRV.request('POST', '/api/v1/users',
                       {'email': SECOND_ADMIN, 'name': 'Second Admin', 'password': SECOND_PASSWORD,
                        'role': 'admin'}, token=T[ADMIN]), 201)
    T[SECOND_ADMIN] = SRV.login(SECOND_ADMIN, SECOND_PASSWORD)


def tearDownModule():
    SRV.down()


def post(path, body, key, email=ADMIN):
    headers = {'Idempotency-Key': key} if key is not None else None
    return SRV.request('POST', path, body, token=T[email], headers=headers)


def brands_with_slug(slug):
    return [b for b in SRV.list_all('/api/v1/brands', T[ADMIN]) if b['slug'] == slug]


def audit_count(entity_id):
    return sum(1 for e in SRV.list_all('/api/v1/audit', T[ADMIN]) if e['entity_id'] == entity_id)


class Idempotency(unittest.TestCase):

    def test_replay_returns_first_answer(self):
        key = unique('idem')
        body = {'slug': unique('ib'), 'name': 'Idem brand'}
        first = post('/api/v1/brands', body, key)
        expect(first, 201)
        self.assertNotEqual((first.headers.get('Idempotency-Replayed') or '').lower(), 'true')
        second = post('/api/v1/brands', body, key)
        expect(second, 201)
        self.assertEqual(second.body, first.body)
        self.assertEqual((second.headers.get('Idempotency-Replayed') or '').lower(), 'true')
        self.assertEqual(len(brands_with_slug(body['slug'])), 1)
        self.assertEqual(audit_count(first.body['id']), 1, 'the replay wrote a second audit entry')

    def test_replay_of_dealer_and_user_and_key(self):
        cases = [
            ('/api/v1/dealers', lambda: {'slug': unique('id'), 'name': 'Idem dealer',
                                         'timezone': 'Europe/Amsterdam', 'locale': 'nl',
                                         'brand_ids': []}, ADMIN),
            ('/api/v1/users', lambda: {'email': unique('iu') + '@example.test', 'name': 'Idem',
                                       'password': 'idempotent-pw', 'role': 'sales',
                                       'dealer_id': D['garage-amstel']}, DEALER_ADMIN),
            ('/api/v1/api-keys', lambda: {'name': 'Idem key', 'dealer_id': D['garage-amstel']},
             DEALER_ADMIN),
        ]
        for path, make, email in cases:
            with self.subTest(path):
                key = unique('k')
                body = make()
                first = post(path, body, key, email)
                expect(first, 201)
                second = post(path, body, key, email)
                expect(second, 201)
                self.assertEqual(second.body, first.body)
                self.assertEqual((second.headers.get('Idempotency-Replayed') or '').lower(), 'true')
                self.assertEqual(audit_count(first.body['id']), 1)

    def test_api_key_replay_gives_one_working_key(self):
        body = {'name': 'Idem key 2', 'dealer_id': D['garage-amstel']}
        key = unique('k')
        first = expect(post('/api/v1/api-keys', body, key), 201)
        second = expect(post('/api/v1/api-keys', body, key), 201)
        self.assertEqual(first['key'], second['key'])
        expect(SRV.request('GET', '/api/v1/me', token=first['key']), 200)

    def test_without_key_a_retry_is_a_new_request(self):
        body = {'slug': unique('nk'), 'name': 'No key'}
        expect(post('/api/v1/brands', body, None), 201)
        assert_error(post('/api/v1/brands', body, None), 409, 'conflict')

    def test_keys_are_per_caller(self):
        key = unique('shared')
        body = {'slug': unique('pc'), 'name': 'Per caller'}
        first = expect(post('/api/v1/brands', body, key, ADMIN), 201)
        other = post('/api/v1/brands', body, key, SECOND_ADMIN)
        # Not the first caller's answer: a fresh request, which conflicts on the slug.
        assert_error(other, 409, 'conflict')
        self.assertNotEqual((other.headers.get('Idempotency-Replayed') or '').lower(), 'true')
        body2 = {'slug': unique('pc'), 'name': 'Per caller 2'}
        mine = expect(post('/api/v1/brands', body2, key, SECOND_ADMIN), 201)
        self.assertNotEqual(mine['id'], first['id'])

    def test_failed_requests_are_not_remembered(self):
        key = unique('fail')
        bad = {'slug': 'Not A Slug', 'name': 'Bad'}
        assert_error(post('/api/v1/brands', bad, key), 422, 'validation_failed')
        good = {'slug': unique('fx'), 'name': 'Fixed'}
        resp = post('/api/v1/brands', good, key)
        self.assertEqual(expect(resp, 201)['slug'], good['slug'])
        self.assertNotEqual((resp.headers.get('Idempotency-Replayed') or '').lower(), 'true')

    def test_concurrent_retries_make_one_object(self):
        key = unique('race')
        body = {'slug': unique('race'), 'name': 'Race'}
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            results = list(pool.map(lambda _: post('/api/v1/brands', body, key), range(6)))
        ok = [r for r in results if 200 <= r.status < 300]
        self.assertTrue(ok, [r.describe() for r in results])
        self.assertEqual(len({r.body['id'] for r in ok}), 1, 'two different objects answered')
        for r in results:
            self.assertIn(r.status, (201, 409), r.describe())
            self.assertLess(r.status, 500)
        self.assertEqual(len(brands_with_slug(body['slug'])), 1)

    def test_same_key_on_another_path_conflicts(self):
        key = unique('path')
        expect(post('/api/v1/brands', {'slug': unique('kp'), 'name': 'Path one'}, key), 201)
        body = {'slug': unique('kp'), 'name': 'Path two', 'timezone': 'UTC', 'locale': 'en',
                'brand_ids': []}
        assert_error(post('/api/v1/dealers', body, key), 409, 'conflict')
        slugs = {d['slug'] for d in SRV.list_all('/api/v1/dealers', T[ADMIN])}
        self.assertNotIn(body['slug'], slugs)

    def test_same_key_on_patch(self):
        d = expect(post('/api/v1/dealers', {'slug': unique('kp'), 'name': 'Patch me',
                                             'timezone': 'UTC', 'locale': 'en',
                                             'brand_ids': []}, None), 201)
        key = unique('patch')
        headers = {'Idempotency-Key': key}
        first = SRV.request('PATCH', '/api/v1/dealers/' + d['id'], {'name': 'Patched'},
                            token=T[ADMIN], headers=headers)
        expect(first, 200)
        second = SRV.request('PATCH', '/api/v1/dealers/' + d['id'], {'name': 'Patched'},
                             token=T[ADMIN], headers=headers)
        expect(second, 200)
        self.assertEqual(second.body, first.body)
        self.assertEqual((second.headers.get('Idempotency-Replayed') or '').lower(), 'true')
        now = expect(SRV.request('GET', '/api/v1/dealers/' + d['id'], token=T[ADMIN]), 200)
        self.assertEqual(now['version'], d['version'] + 1, 'the replayed PATCH ran again')

    def test_anonymous_login_is_never_replayed(self):
        headers = {'Idempotency-Key': unique('login')}
        body = {'email': ADMIN, 'password': harness.DEMO_PASSWORD}
        first = SRV.request('POST', '/api/v1/auth/login', body, headers=headers)
        second = SRV.request('POST', '/api/v1/auth/login', body, headers=headers)
        self.assertNotEqual(expect(first, 200)['token'], expect(second, 200)['token'])
        self.assertNotEqual((second.headers.get('Idempotency-Replayed') or '').lower(), 'true')

    def test_key_length_limit(self):
        ok = post('/api/v1/brands', {'slug': unique('kl'), 'name': 'Key 200'}, 'k' * 200)
        expect(ok, 201)
        assert_error(post('/api/v1/brands', {'slug': unique('kl'), 'name': 'Key 201'}, 'k' * 201),
                     400, 'bad_request')


if __name__ == '__main__':
    unittest.main()
