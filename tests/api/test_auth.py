"""Sign-in, sessions, cookies and CSRF, /me, logout, the per-account rate limit.

Failed logins in this module stay well under the per-address limit (20);
that limit has its own module (test_ratelimit_address.py).
"""

import concurrent.futures
import unittest
from datetime import datetime, timezone

import harness
from harness import (ADMIN, BRAND_MANAGER, DEALER_ADMIN, MONTREAL_SALES, SALES,
                     TECHNICIAN, assert_error, expect, unique)

SRV = harness.ServerModule()
USER_KEYS = {'id', 'email', 'name', 'role', 'dealer_id', 'brand_id', 'locale'}
LOGIN = '/api/v1/auth/login'


def setUpModule():
    SRV.up()


def tearDownModule():
    SRV.down()


def parse_set_cookie(value):
    """('name', 'value', {attr_lower: value_or_True})"""
    parts = [p.strip() for p in value.split(';')]
    name, _, val = parts[0].partition('=')
    attrs = {}
    for p in parts[1:]:
        if not p:
            continue
        k, eq, v = p.partition('=')
        attrs[k.strip().lower()] = v.strip() if eq else True
    return name.strip(), val.strip(), attrs


def session_cookie(resp):
    for value in resp.headers.get_all('Set-Cookie') or []:
        name, val, attrs = parse_set_cookie(value)
        if name == 'fc_session':
            return val, attrs, value
    return None, None, None


class Login(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.admin = SRV.login(ADMIN)
        cls.dealers = SRV.dealer_ids(cls.admin)
        cls.brands = SRV.brand_ids(cls.admin)

    def check_user(self, user, email, role):
        self.assertIsInstance(user, dict)
        self.assertTrue(USER_KEYS <= set(user), 'user lacks %s' % (USER_KEYS - set(user)))
        for secret in ('password', 'password_hash', 'hash'):
            self.assertNotIn(secret, user)
        self.assertEqual(user['email'], email)
        self.assertEqual(user['role'], role)
        self.assertIsInstance(user['id'], str)
        self.assertTrue(user['id'])
        self.assertIsInstance(user['name'], str)
        self.assertTrue(user['name'])
        self.assertIsInstance(user['locale'], str)

    def test_admin_login_answer_shape(self):
        resp = SRV.login_response(ADMIN)
        body = expect(resp, 200)
        self.assertIsInstance(body.get('token'), str)
        self.assertGreaterEqual(len(body['token']), 20, 'token too short to be unguessable')
        self.assertTrue(body['token'].startswith('fcs_'), 'session tokens start with fcs_')
        self.assertIsInstance(body.get('csrf_token'), str)
        self.assertTrue(body['csrf_token'])
        self.assertNotEqual(body['csrf_token'], body['token'])
        harness.assert_rfc3339(self, body.get('expires_at'), 'expires_at')
        # Sessions last 12 hours by default (--session-ttl 43200).
        left = (harness.parse_time(body['expires_at']) - datetime.now(timezone.utc)).total_seconds()
        self.assertTrue(43200 - 120 < left <= 43200 + 5, 'session lasts %ss' % left)
        self.check_user(body.get('user'), ADMIN, 'admin')
        self.assertIsNone(body['user']['dealer_id'])
        self.assertIsNone(body['user']['brand_id'])

    def test_dealer_user_carries_dealer_id(self):
        body = expect(SRV.login_response(SALES), 200)
        self.check_user(body['user'], SALES, 'sales')
        self.assertEqual(body['user']['dealer_id'], self.dealers['garage-amstel'])
        self.assertIsNone(body['user']['brand_id'])

    def test_brand_manager_carries_brand_id(self):
        body = expect(SRV.login_response(BRAND_MANAGER), 200)
        self.check_user(body['user'], BRAND_MANAGER, 'brand_manager')
        self.assertEqual(body['user']['brand_id'], self.brands['aurora'])
        self.assertIsNone(body['user']['dealer_id'])

    def test_session_cookie_attributes(self):
        resp = SRV.login_response(DEALER_ADMIN)
        body = expect(resp, 200)
        value, attrs, header = session_cookie(resp)
        self.assertIsNotNone(value, 'no fc_session cookie in %r'
                             % resp.headers.get_all('Set-Cookie'))
        self.assertEqual(value, body['token'], 'cookie value is not the session token')
        self.assertEqual(attrs.get('path'), '/', header)
        self.assertIs(attrs.get('httponly'), True, header)
        self.assertEqual(str(attrs.get('samesite', '')).lower(), 'lax', header)
        self.assertNotIn('secure', attrs, 'Secure cookie over plain HTTP: ' + header)

    def test_email_is_case_insensitive(self):
        body = expect(SRV.login_response('ADMIN@Forecourt.TEST'), 200)
        self.assertEqual(body['user']['role'], 'admin')

    def test_wrong_password_and_unknown_email_look_the_same(self):
        wrong = SRV.login_response(TECHNICIAN, 'not-the-password')
        unknown = SRV.login_response('nobody-%s@nowhere.test' % unique(), 'forecourt-demo')
        e1 = assert_error(wrong, 401, 'unauthenticated')
        e2 = assert_error(unknown, 401, 'unauthenticated')
        self.assertEqual(e1['message'], e2['message'])
        self.assertNotIn('Set-Cookie', wrong.headers)

    def test_malformed_login_bodies(self):
        cases = [
            ('missing password', {'email': ADMIN}, 422, 'validation_failed'),
            ('empty e-mail', {'email': '', 'password': 'x'}, 422, 'validation_failed'),
            ('password not a string', {'email': ADMIN, 'password': 5}, 400, 'bad_request'),
            ('unknown field', {'email': ADMIN, 'password': 'x', 'remember': True}, 400,
             'bad_request'),
            ('array body', [ADMIN, 'forecourt-demo'], 400, 'bad_request'),
        ]
        for what, body, status, code in cases:
            with self.subTest(what):
                assert_error(SRV.request('POST', LOGIN, body), status, code)
        assert_error(SRV.request('POST', LOGIN, raw=b'{"email":'), 400, 'bad_request')
        raw = ('{"email":"%s","password":"forecourt-demo"}' % ADMIN).encode()
        assert_error(SRV.request('POST', LOGIN, raw=raw, headers={'Content-Type': 'text/plain'}),
                     415, 'unsupported_media_type')

    def test_each_login_is_its_own_session(self):
        t1 = SRV.login(SALES)
        t2 = SRV.login(SALES)
        self.assertNotEqual(t1, t2)
        expect(SRV.request('POST', '/api/v1/auth/logout', token=t1), 204)
        assert_error(SRV.request('GET', '/api/v1/me', token=t1), 401, 'unauthenticated')
        self.assertEqual(expect(SRV.request('GET', '/api/v1/me', token=t2), 200)['user']['email'],
                         SALES)

    def test_parallel_logins(self):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: SRV.login_response(DEALER_ADMIN), range(8)))
        for r in results:
            expect(r, 200)
        self.assertEqual(len({r.body['token'] for r in results}), 8)


class MeAndLogout(unittest.TestCase):

    def test_me(self):
        login = expect(SRV.login_response(SALES), 200)
        body = expect(SRV.request('GET', '/api/v1/me', token=login['token']), 200)
        self.assertEqual(body['user']['email'], SALES)
        self.assertEqual(body['user']['id'], login['user']['id'])
        self.assertTrue(USER_KEYS <= set(body['user']))
        self.assertIsInstance(body.get('csrf_token'), str)
        self.assertTrue(body['csrf_token'])

    def test_me_without_or_with_bad_credentials(self):
        cases = {
            'none': {},
            'garbage bearer': {'Authorization': 'Bearer garbage'},
            'empty bearer': {'Authorization': 'Bearer '},
            'basic scheme': {'Authorization': 'Basic YWRtaW46Zm9yZWNvdXJ0LWRlbW8='},
            'garbage cookie': {'Cookie': 'fc_session=garbage'},
        }
        for what, headers in cases.items():
            with self.subTest(what):
                assert_error(SRV.request('GET', '/api/v1/me', headers=headers), 401,
                             'unauthenticated')

    def test_logout_ends_the_session(self):
        token = SRV.login(SALES)
        expect(SRV.request('GET', '/api/v1/me', token=token), 200)
        resp = SRV.request('POST', '/api/v1/auth/logout', token=token)
        expect(resp, 204)
        self.assertEqual(resp.raw, b'')
        value, attrs, header = session_cookie(resp)
        self.assertEqual(value, '', 'logout must clear the cookie')
        self.assertEqual(attrs.get('max-age'), '0', header)
        assert_error(SRV.request('GET', '/api/v1/me', token=token), 401, 'unauthenticated')
        assert_error(SRV.request('GET', '/api/v1/dealers', token=token), 401, 'unauthenticated')
        assert_error(SRV.request('GET', '/api/v1/me', cookie=token), 401, 'unauthenticated')

    def test_logout_without_credentials(self):
        assert_error(SRV.request('POST', '/api/v1/auth/logout'), 401, 'unauthenticated')


class CookieAndCsrf(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        body = expect(SRV.login_response(ADMIN), 200)
        cls.token = body['token']
        cls.csrf = body['csrf_token']
        cls.other_csrf = expect(SRV.login_response(ADMIN), 200)['csrf_token']

    def brand(self):
        slug = unique('csrf')
        return {'slug': slug, 'name': 'CSRF ' + slug}

    def test_cookie_authenticates_reads(self):
        body = expect(SRV.request('GET', '/api/v1/me', cookie=self.token), 200)
        self.assertEqual(body['user']['email'], ADMIN)
        expect(SRV.request('GET', '/api/v1/brands', cookie=self.token), 200)

    def test_cookie_among_other_cookies(self):
        header = 'theme=dark; fc_session=%s; lang=nl' % self.token
        body = expect(SRV.request('GET', '/api/v1/me', headers={'Cookie': header}), 200)
        self.assertEqual(body['user']['email'], ADMIN)

    def test_bearer_scheme_is_case_insensitive(self):
        for scheme in ('bearer', 'BEARER'):
            with self.subTest(scheme):
                resp = SRV.request('GET', '/api/v1/me',
                                   headers={'Authorization': '%s %s' % (scheme, self.token)})
                self.assertEqual(expect(resp, 200)['user']['email'], ADMIN)

    def test_cookie_write_without_csrf_is_refused(self):
        b = self.brand()
        assert_error(SRV.request('POST', '/api/v1/brands', b, cookie=self.token),
                     403, 'csrf_failed')
        slugs = {x['slug'] for x in SRV.list_all('/api/v1/brands', self.token)}
        self.assertNotIn(b['slug'], slugs, 'refused write happened anyway')

    def test_cookie_write_with_wrong_csrf_is_refused(self):
        for what, value in (('other session', self.other_csrf), ('garbage', 'x' * 40),
                            ('empty', '')):
            with self.subTest(what):
                assert_error(SRV.request('POST', '/api/v1/brands', self.brand(),
                                         cookie=self.token, headers={'X-CSRF-Token': value}),
                             403, 'csrf_failed')

    def test_cookie_write_with_csrf_succeeds(self):
        b = self.brand()
        body = expect(SRV.request('POST', '/api/v1/brands', b, cookie=self.token,
                                  headers={'X-CSRF-Token': self.csrf}), 201)
        self.assertEqual(body['slug'], b['slug'])

    def test_csrf_token_from_me_works(self):
        csrf = expect(SRV.request('GET', '/api/v1/me', cookie=self.token), 200)['csrf_token']
        expect(SRV.request('POST', '/api/v1/brands', self.brand(), cookie=self.token,
                           headers={'X-CSRF-Token': csrf}), 201)

    def test_cookie_patch_and_logout_need_csrf_too(self):
        login = expect(SRV.login_response(DEALER_ADMIN), 200)
        token, csrf = login['token'], login['csrf_token']
        dealer_id = login['user']['dealer_id']
        assert_error(SRV.request('PATCH', '/api/v1/dealers/' + dealer_id, {'locale': 'nl'},
                                 cookie=token), 403, 'csrf_failed')
        assert_error(SRV.request('POST', '/api/v1/auth/logout', cookie=token), 403,
                     'csrf_failed')
        expect(SRV.request('GET', '/api/v1/me', cookie=token), 200,
               'session must survive a refused logout')
        expect(SRV.request('POST', '/api/v1/auth/logout', cookie=token,
                           headers={'X-CSRF-Token': csrf}), 204)
        assert_error(SRV.request('GET', '/api/v1/me', cookie=token), 401, 'unauthenticated')

    def test_bearer_writes_need_no_csrf(self):
        expect(SRV.request('POST', '/api/v1/brands', self.brand(), token=self.token), 201)

    def test_login_needs_no_csrf_even_with_a_cookie(self):
        expect(SRV.request('POST', LOGIN, {'email': SALES, 'password': 'forecourt-demo'},
                           cookie=self.token), 200)


class AccountRateLimit(unittest.TestCase):
    """Five failures for one account lock it for a while, even with the right password."""

    def test_five_failures_lock_the_account(self):
        for i in range(5):
            with self.subTest(attempt=i + 1):
                assert_error(SRV.login_response(MONTREAL_SALES, 'wrong-password-%d' % i),
                             401, 'unauthenticated')
        resp = SRV.login_response(MONTREAL_SALES)          # the right password
        assert_error(resp, 429, 'rate_limited')
        retry = resp.headers.get('Retry-After')
        self.assertIsNotNone(retry, '429 without Retry-After')
        self.assertRegex(retry, r'^\d+$')
        self.assertTrue(0 < int(retry) <= 15 * 60, 'Retry-After %s' % retry)
        # Also in another spelling of the same address.
        assert_error(SRV.login_response(MONTREAL_SALES.upper()), 429, 'rate_limited')
        # Other accounts from the same address are not affected.
        expect(SRV.login_response(BRAND_MANAGER), 200)


if __name__ == '__main__':
    unittest.main()
