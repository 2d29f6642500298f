"""The access table: every role (and an API key, and nobody) against every route,
in its own tenant and in others.

Rules under test (docs/api.md, "Roles and what they see"):
outside the caller's scope -> 404; visible but not allowed -> 403; allowed -> 2xx;
no credentials -> 401.

Targets: `own` is garage-amstel (the dealer of every dealer-scoped actor here;
it holds Aurora, so it is also in the brand manager's scope); `sibling` is
bruxelles-auto (holds Aurora: visible to the brand manager, not to Amstel's
staff); `other` is montreal-motors (no Aurora: visible to the admin only).
"""

import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN,
                     assert_error, expect, unique)

SRV = harness.ServerModule()

ACTORS = ('admin', 'brand_manager', 'dealer_admin', 'sales', 'service_advisor', 'technician',
          'api_key', 'anonymous')
TARGETS = {'own': 'garage-amstel', 'sibling': 'bruxelles-auto', 'other': 'montreal-motors'}

# (route, target,     admin, brand_mgr, dealer_admin, sales, service, tech, api_key, anonymous)
# A status of None would mean: not checked.
TABLE = [
    ('GET dealer', 'own', 200, 200, 200, 200, 200, 200, 200, 401),
    ('GET dealer', 'sibling', 200, 200, 404, 404, 404, 404, 404, 401),
    ('GET dealer', 'other', 200, 404, 404, 404, 404, 404, 404, 401),
    ('PATCH dealer', 'own', 200, 403, 200, 403, 403, 403, 403, 401),
    ('PATCH dealer', 'sibling', 200, 403, 404, 404, 404, 404, 404, 401),
    ('PATCH dealer', 'other', 200, 404, 404, 404, 404, 404, 404, 401),
    ('GET dealers', None, 200, 200, 200, 200, 200, 200, 200, 401),
    ('GET brands', None, 200, 200, 200, 200, 200, 200, 200, 401),
    ('GET me', None, 200, 200, 200, 200, 200, 200, 200, 401),
    ('GET users', None, 200, 200, 200, 200, 200, 200, 403, 401),
    ('POST users', 'own', 201, 403, 201, 403, 403, 403, 403, 401),
    ('POST users', 'sibling', 201, 403, 403, 403, 403, 403, 403, 401),
    ('POST users', 'other', 201, 403, 403, 403, 403, 403, 403, 401),
    ('POST api-keys', 'own', 201, 403, 201, 403, 403, 403, 403, 401),
    ('POST api-keys', 'sibling', 201, 403, 404, 404, 404, 404, 404, 401),
    ('POST api-keys', 'other', 201, 404, 404, 404, 404, 404, 404, 401),
    ('GET audit', None, 200, 403, 200, 403, 403, 403, 403, 401),
    ('GET audit', 'own', 200, 403, 200, 403, 403, 403, 403, 401),
    ('GET audit', 'other', 200, 404, 404, 404, 404, 404, 404, 401),
    ('POST brands', None, 201, 403, 403, 403, 403, 403, 403, 401),
    ('POST dealers', None, 201, 403, 403, 403, 403, 403, 403, 401),
]

ERROR_CODES = {401: 'unauthenticated', 403: 'forbidden', 404: 'not_found'}

TOKENS = {}
D = {}
ORIGINAL = {}


def setUpModule():
    SRV.up()
    emails = {'admin': ADMIN, 'brand_manager': BRAND_MANAGER, 'dealer_admin': DEALER_ADMIN,
              'sales': SALES, 'service_advisor': SERVICE_ADVISOR, 'technician': TECHNICIAN}
    for actor, email in emails.items():
        TOKENS[actor] = SRV.login(email)
    D.update(SRV.dealer_ids(TOKENS['admin']))
    TOKENS['api_key'] = expect(SRV.request('POST', '/api/v1/api-keys',
                                           {'name': 'access table',
                                            'dealer_id': D['garage-amstel']},
                                           token=TOKENS['admin']), 201)['key']
    TOKENS['anonymous'] = None
    for slug in TARGETS.values():
        ORIGINAL[slug] = expect(SRV.request('GET', '/api/v1/dealers/' + D[slug],
                                            token=TOKENS['admin']), 200)


def tearDownModule():
    SRV.down()


def build(route, target):
    """(method, path, body) for one route and target."""
    dealer_id = D[TARGETS[target]] if target else None
    if route == 'GET dealer':
        return 'GET', '/api/v1/dealers/' + dealer_id, None
    if route == 'PATCH dealer':
        return ('PATCH', '/api/v1/dealers/' + dealer_id,
                {'locale': ORIGINAL[TARGETS[target]]['locale']})
    if route == 'GET dealers':
        return 'GET', '/api/v1/dealers', None
    if route == 'GET brands':
        return 'GET', '/api/v1/brands', None
    if route == 'GET me':
        return 'GET', '/api/v1/me', None
    if route == 'GET users':
        return 'GET', '/api/v1/users', None
    if route == 'POST users':
        return 'POST', '/api/v1/users', {'email': unique('acc') + '@example.test',
                                         'name': 'Access Table', 'password': 'access-table-pw',
                                         'role': 'technician', 'dealer_id': dealer_id}
    if route == 'POST api-keys':
        return 'POST', '/api/v1/api-keys', {'name': 'access ' + unique('k'),
                                            'dealer_id': dealer_id}
    if route == 'GET audit':
        return 'GET', '/api/v1/audit' + ('?dealer_id=' + dealer_id if dealer_id else ''), None
    if route == 'POST brands':
        return 'POST', '/api/v1/brands', {'slug': unique('acc'), 'name': 'Access brand'}
    if route == 'POST dealers':
        return 'POST', '/api/v1/dealers', {'slug': unique('acc'), 'name': 'Access dealer',
                                           'timezone': 'Europe/Amsterdam', 'locale': 'nl',
                                           'brand_ids': []}
    raise ValueError(route)


class AccessTable(unittest.TestCase):

    def test_table(self):
        refused_writes = []          # (path, body) of every write that must not have happened
        patches_ok = {slug: 0 for slug in TARGETS.values()}
        for row in TABLE:
            route, target = row[0], row[1]
            for actor, want in zip(ACTORS, row[2:]):
                if want is None:
                    continue
                method, path, body = build(route, target)
                with self.subTest(route=route, target=target, actor=actor, want=want):
                    resp = SRV.request(method, path, body, token=TOKENS[actor])
                    if want < 300:
                        expect(resp, want)
                        if route == 'PATCH dealer':
                            patches_ok[TARGETS[target]] += 1
                    else:
                        if route == 'PATCH dealer' and resp.status == 200:
                            patches_ok[TARGETS[target]] += 1
                        if method == 'POST':
                            refused_writes.append((path, body))
                        assert_error(resp, want, ERROR_CODES[want])
        # Refused writes left nothing behind, and only allowed patches bumped versions.
        admin = TOKENS['admin']
        emails = {u['email'] for u in SRV.list_all('/api/v1/users', admin)}
        brand_slugs = {b['slug'] for b in SRV.list_all('/api/v1/brands', admin)}
        dealer_slugs = {d['slug'] for d in SRV.list_all('/api/v1/dealers', admin)}
        key_names = {e['after'].get('name') for e in SRV.list_all('/api/v1/audit', admin)
                     if isinstance(e.get('after'), dict)}
        for path, body in refused_writes:
            with self.subTest(refused=path, body=body):
                if path.endswith('/users'):
                    self.assertNotIn(body['email'], emails)
                elif path.endswith('/brands'):
                    self.assertNotIn(body['slug'], brand_slugs)
                elif path.endswith('/dealers'):
                    self.assertNotIn(body['slug'], dealer_slugs)
                elif path.endswith('/api-keys'):
                    self.assertNotIn(body['name'], key_names)
        for slug, n in patches_ok.items():
            with self.subTest(versions=slug):
                now = expect(SRV.request('GET', '/api/v1/dealers/' + D[slug], token=admin), 200)
                self.assertEqual(now['version'], ORIGINAL[slug]['version'] + n)
                self.assertEqual(now['name'], ORIGINAL[slug]['name'])

    def test_scoped_lists_match_the_table(self):
        """What a list shows agrees with what GET of one item allows."""
        for actor in ACTORS[:-1]:
            with self.subTest(actor=actor):
                listed = {d['id'] for d in SRV.list_all('/api/v1/dealers', TOKENS[actor])}
                for target, slug in TARGETS.items():
                    resp = SRV.request('GET', '/api/v1/dealers/' + D[slug], token=TOKENS[actor])
                    self.assertEqual(D[slug] in listed, resp.status == 200,
                                     '%s: list and GET disagree on %s (%s)'
                                     % (actor, slug, resp.status))


if __name__ == '__main__':
    unittest.main()
