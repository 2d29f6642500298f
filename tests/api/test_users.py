"""Users: scoped lists, creation rules per role, validation, duplicates, no secrets."""

import json
import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, DEMO_USERS,
                     MONTREAL_SALES, SALES, SERVICE_ADVISOR, TECHNICIAN, assert_error, expect,
                     unique)

SRV = harness.ServerModule()
USER_KEYS = {'id', 'email', 'name', 'role', 'dealer_id', 'brand_id', 'locale', 'created_at'}
PASSWORD = 'correct-horse-battery'
T = {}
D = {}
B = {}


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN,
                        BRUXELLES_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))
    B.update(SRV.brand_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


def new_user(role='sales', dealer='garage-amstel', **over):
    email = '%s@example.test' % unique('user')
    body = {'email': email, 'name': 'User ' + email, 'password': PASSWORD, 'role': role}
    if dealer:
        body['dealer_id'] = D[dealer]
    body.update(over)
    return body


def create(body, email=ADMIN):
    return SRV.request('POST', '/api/v1/users', body, token=T[email])


def all_emails():
    return {u['email'].lower() for u in SRV.list_all('/api/v1/users', T[ADMIN])}


class List(unittest.TestCase):

    def test_admin_sees_all_demo_users_without_secrets(self):
        resp = SRV.request('GET', '/api/v1/users?limit=500', token=T[ADMIN])
        body = expect(resp, 200)
        emails = {u['email'] for u in body['items']}
        self.assertTrue(set(DEMO_USERS) <= emails, 'missing %s' % (set(DEMO_USERS) - emails))
        for u in body['items']:
            harness.assert_keys(self, u, USER_KEYS, 'user')
            self.assertFalse({'password', 'password_hash', 'hash'} & set(u), u)
            harness.assert_rfc3339(self, u['created_at'], 'created_at')
        text = resp.raw.decode('utf-8').lower()
        for secret in ('argon2', 'password', '$argon'):
            self.assertNotIn(secret, text)

    def test_scope(self):
        amstel = {DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN}
        cases = [
            (BRAND_MANAGER, amstel | {BRAND_MANAGER, BRUXELLES_ADMIN}, {ADMIN, MONTREAL_SALES}),
            (DEALER_ADMIN, amstel, {ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, MONTREAL_SALES}),
            (SALES, amstel, {ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, MONTREAL_SALES}),
            (TECHNICIAN, amstel, {ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, MONTREAL_SALES}),
            (BRUXELLES_ADMIN, {BRUXELLES_ADMIN}, amstel | {ADMIN, BRAND_MANAGER, MONTREAL_SALES}),
        ]
        for email, sees, hidden in cases:
            with self.subTest(email):
                items = SRV.list_all('/api/v1/users', T[email])
                emails = {u['email'] for u in items}
                self.assertTrue(sees <= emails, 'missing %s' % (sees - emails))
                self.assertFalse(hidden & emails, 'sees %s' % (hidden & emails))
                for u in items:
                    harness.assert_keys(self, u, USER_KEYS, 'user')
                    if email not in (BRAND_MANAGER,):
                        own = D['bruxelles-auto'] if email == BRUXELLES_ADMIN else D['garage-amstel']
                        self.assertEqual(u['dealer_id'], own, u)

    def test_brand_manager_sees_only_its_brand_side(self):
        ok_dealers = {D['garage-amstel'], D['bruxelles-auto']}
        for u in SRV.list_all('/api/v1/users', T[BRAND_MANAGER]):
            with self.subTest(u['email']):
                self.assertTrue(u['brand_id'] == B['aurora'] or u['dealer_id'] in ok_dealers, u)

    def test_list_needs_credentials(self):
        assert_error(SRV.request('GET', '/api/v1/users'), 401, 'unauthenticated')


class Create(unittest.TestCase):

    def check_created(self, resp, body):
        u = expect(resp, 201)
        harness.assert_keys(self, u, USER_KEYS, 'user')
        self.assertFalse({'password', 'password_hash', 'hash'} & set(u), u)
        self.assertEqual(u['email'].lower(), body['email'].lower())
        self.assertEqual(u['name'], body['name'])
        self.assertEqual(u['role'], body['role'])
        self.assertEqual(u['dealer_id'], body.get('dealer_id'))
        self.assertEqual(u['brand_id'], body.get('brand_id'))
        self.assertNotIn(PASSWORD, resp.raw.decode('utf-8'))
        return u

    def test_admin_creates_dealer_user_who_can_log_in(self):
        body = new_user('sales', 'bruxelles-auto', locale='fr')
        u = self.check_created(create(body), body)
        self.assertEqual(u['locale'], 'fr')
        login = expect(SRV.login_response(body['email'], PASSWORD), 200)
        self.assertEqual(login['user']['id'], u['id'])
        self.assertEqual(login['user']['dealer_id'], D['bruxelles-auto'])
        listed = {x['id']: x for x in SRV.list_all('/api/v1/users', T[BRUXELLES_ADMIN])}
        self.assertEqual(listed.get(u['id']), u)

    def test_admin_creates_every_role(self):
        cases = [
            ('admin', None, {}),
            ('brand_manager', None, {'brand_id': B['borealis']}),
            ('dealer_admin', 'montreal-motors', {}),
            ('sales', 'garage-amstel', {}),
            ('service_advisor', 'garage-amstel', {}),
            ('technician', 'bruxelles-auto', {}),
        ]
        for role, dealer, extra in cases:
            with self.subTest(role):
                body = new_user(role, dealer, **extra)
                self.check_created(create(body), body)

    def test_dealer_admin_creates_staff_at_own_dealer(self):
        for role in ('dealer_admin', 'sales', 'service_advisor', 'technician'):
            with self.subTest(role):
                body = new_user(role, 'garage-amstel')
                self.check_created(create(body, DEALER_ADMIN), body)

    def test_dealer_admin_limits(self):
        cases = [
            ('other dealer', new_user('sales', 'bruxelles-auto')),
            ('admin role', new_user('admin', None)),
            ('brand manager', new_user('brand_manager', None, brand_id=B['aurora'])),
        ]
        for what, body in cases:
            with self.subTest(what):
                assert_error(create(body, DEALER_ADMIN), 403, 'forbidden')
                self.assertNotIn(body['email'], all_emails())

    def test_other_roles_cannot_create(self):
        for email in (SALES, SERVICE_ADVISOR, TECHNICIAN, BRAND_MANAGER):
            with self.subTest(email):
                body = new_user('sales', 'garage-amstel')
                assert_error(create(body, email), 403, 'forbidden')
                self.assertNotIn(body['email'], all_emails())

    def test_password_length(self):
        assert_error(create(new_user(password='123456789')), 422, 'validation_failed',
                     fields=['password'])
        assert_error(create(new_user(password='')), 422, 'validation_failed', fields=['password'])
        body = new_user(password='1234567890')
        self.check_created(create(body), body)
        expect(SRV.login_response(body['email'], '1234567890'), 200)

    def test_scope_ids_required_by_role(self):
        cases = [
            ('dealer_id', new_user('sales', None)),
            ('dealer_id', new_user('technician', None)),
            ('dealer_id', new_user('dealer_admin', None)),
            ('brand_id', new_user('brand_manager', None)),
            ('dealer_id', new_user('sales', None, dealer_id='01ZZZZZZZZZZZZZZZZZZZZZZZZ')),
            ('brand_id', new_user('brand_manager', None, brand_id='01ZZZZZZZZZZZZZZZZZZZZZZZZ')),
        ]
        for field, body in cases:
            with self.subTest(field=field, role=body['role']):
                assert_error(create(body), 422, 'validation_failed', fields=[field])
                self.assertNotIn(body['email'], all_emails())

    def test_scope_ids_only_for_their_roles(self):
        cases = [
            ('dealer_id', new_user('admin', 'garage-amstel')),
            ('dealer_id', new_user('brand_manager', 'garage-amstel', brand_id=B['aurora'])),
            ('brand_id', new_user('sales', 'garage-amstel', brand_id=B['aurora'])),
            ('brand_id', new_user('admin', None, brand_id=B['aurora'])),
        ]
        for field, body in cases:
            with self.subTest(field=field, role=body['role']):
                assert_error(create(body), 422, 'validation_failed', fields=[field])

    def test_email_stored_in_lower_case(self):
        mixed = 'Lotte.%s@Rotterdam-Cars.TEST' % unique('lc')
        body = new_user(email=mixed)
        u = expect(create(body), 201)
        self.assertEqual(u['email'], mixed.lower())
        login = expect(SRV.login_response(mixed.upper(), PASSWORD), 200)
        self.assertEqual(login['user']['id'], u['id'])

    def test_validated_before_permission(self):
        assert_error(create(new_user(password='short'), SALES), 422, 'validation_failed',
                     fields=['password'])

    def test_other_validation(self):
        cases = [
            ('locale', new_user(locale='not a locale')),
            ('email', new_user(email='not-an-email')),
            ('email', new_user(email='')),
            ('role', new_user(role='superuser')),
            ('role', new_user(role='api_key')),
            ('name', new_user(name='')),
        ]
        for field, body in cases:
            with self.subTest(field=field, value=body[field]):
                assert_error(create(body), 422, 'validation_failed', fields=[field])

    def test_bad_request_shapes(self):
        for over in ({'password': 1234567890}, {'role': ['sales']}, {'is_admin': True},
                     {'password_hash': '$argon2id$...'}):
            with self.subTest(over):
                assert_error(create(new_user(**over)), 400, 'bad_request')

    def test_duplicate_email_any_case(self):
        body = new_user()
        expect(create(body), 201)
        again = new_user(email=body['email'].upper())
        assert_error(create(again), 409, 'conflict')
        assert_error(create(new_user(email=SALES)), 409, 'conflict')
        assert_error(create(new_user('admin', None, email='Admin@Forecourt.Test')),
                     409, 'conflict')

    def test_unicode_name_round_trips(self):
        for name in ('\u00c9milie Dubois', 'J\u00fcrgen M\u00fcller', '\u674e\u5c0f\u9f99',
                     'Ana \U0001F697 Garc\u00eda'):
            with self.subTest(name):
                body = new_user(name=name)
                u = self.check_created(create(body), body)
                listed = {x['id']: x for x in SRV.list_all('/api/v1/users', T[ADMIN])}
                self.assertEqual(listed[u['id']]['name'], name)

    def test_create_needs_credentials(self):
        assert_error(SRV.request('POST', '/api/v1/users', new_user()), 401, 'unauthenticated')

    def test_new_user_json_never_holds_the_password(self):
        body = new_user()
        resp = create(body)
        expect(resp, 201)
        blob = json.dumps(SRV.list_all('/api/v1/users', T[ADMIN]))
        self.assertNotIn(PASSWORD, blob)
        self.assertNotIn('argon2', blob)


if __name__ == '__main__':
    unittest.main()
