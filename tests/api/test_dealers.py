"""Dealers: demo data, scoped lists, creation and validation, GET/PATCH with ETag/If-Match."""

import concurrent.futures
import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, MONTREAL_SALES,
                     SALES, SERVICE_ADVISOR, TECHNICIAN, assert_error, expect, unique)

SRV = harness.ServerModule()
DEALER_KEYS = {'id', 'slug', 'name', 'timezone', 'locale', 'brand_ids', 'version',
               'created_at', 'updated_at'}
T = {}
D = {}   # slug -> id
B = {}   # slug -> id


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN,
                        BRUXELLES_ADMIN, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    B.update(SRV.brand_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


def new_dealer(**over):
    slug = unique('dealer')
    body = {'slug': slug, 'name': 'Dealer ' + slug, 'timezone': 'Europe/Amsterdam',
            'locale': 'nl', 'brand_ids': [B['aurora']]}
    body.update(over)
    return body


def create(body, email=ADMIN, **kw):
    return SRV.request('POST', '/api/v1/dealers', body, token=T[email], **kw)


def get(dealer_id, email=ADMIN):
    return SRV.request('GET', '/api/v1/dealers/' + dealer_id, token=T[email])


def patch(dealer_id, body, email=ADMIN, if_match=None):
    headers = {'If-Match': if_match} if if_match is not None else None
    return SRV.request('PATCH', '/api/v1/dealers/' + dealer_id, body, token=T[email],
                       headers=headers)


class DemoAndScope(unittest.TestCase):

    def check_shape(self, d):
        harness.assert_keys(self, d, DEALER_KEYS, 'dealer')
        self.assertIsInstance(d['version'], int)
        self.assertGreaterEqual(d['version'], 1)
        self.assertIsInstance(d['brand_ids'], list)
        harness.assert_rfc3339(self, d['created_at'], 'created_at')
        harness.assert_rfc3339(self, d['updated_at'], 'updated_at')

    def test_demo_dealers(self):
        items = {d['slug']: d for d in SRV.list_all('/api/v1/dealers', T[ADMIN])}
        want = {
            'garage-amstel': ('Europe/Amsterdam', 'nl', {'aurora', 'borealis'}),
            'bruxelles-auto': ('Europe/Brussels', 'fr', {'aurora'}),
            'montreal-motors': ('America/Montreal', 'fr-CA', {'borealis', 'cirrus'}),
        }
        for slug, (tz, locale, brands) in want.items():
            with self.subTest(slug):
                d = items.get(slug)
                self.assertIsNotNone(d, '%s missing' % slug)
                self.check_shape(d)
                self.assertEqual(d['timezone'], tz)
                self.assertEqual(d['locale'], locale)
                self.assertEqual(set(d['brand_ids']), {B[b] for b in brands})
        self.assertEqual(items['montreal-motors']['name'], 'Montr\u00e9al Motors')
        self.assertEqual(items['bruxelles-auto']['name'], 'Bruxelles Auto')

    def test_list_scope(self):
        cases = [
            (BRAND_MANAGER, {'garage-amstel', 'bruxelles-auto'}, {'montreal-motors'}),
            (DEALER_ADMIN, {'garage-amstel'}, {'bruxelles-auto', 'montreal-motors'}),
            (SALES, {'garage-amstel'}, {'bruxelles-auto', 'montreal-motors'}),
            (TECHNICIAN, {'garage-amstel'}, {'bruxelles-auto', 'montreal-motors'}),
            (BRUXELLES_ADMIN, {'bruxelles-auto'}, {'garage-amstel', 'montreal-motors'}),
            (MONTREAL_SALES, {'montreal-motors'}, {'garage-amstel', 'bruxelles-auto'}),
        ]
        for email, sees, hidden in cases:
            with self.subTest(email):
                items = SRV.list_all('/api/v1/dealers', T[email])
                slugs = {d['slug'] for d in items}
                self.assertTrue(sees <= slugs, 'missing %s' % (sees - slugs))
                self.assertFalse(hidden & slugs, 'sees %s' % (hidden & slugs))
                if email == BRAND_MANAGER:
                    for d in items:
                        self.assertIn(B['aurora'], d['brand_ids'])
                else:
                    self.assertEqual(len(items), 1, slugs)

    def test_get_one_with_etag(self):
        resp = get(D['garage-amstel'], SALES)
        d = expect(resp, 200)
        self.check_shape(d)
        self.assertEqual(d['slug'], 'garage-amstel')
        self.assertEqual(resp.headers.get('ETag'), '"v%d"' % d['version'])

    def test_get_outside_scope_is_404(self):
        cases = [(SALES, 'bruxelles-auto'), (SALES, 'montreal-motors'),
                 (DEALER_ADMIN, 'montreal-motors'), (BRAND_MANAGER, 'montreal-motors'),
                 (MONTREAL_SALES, 'garage-amstel'), (BRUXELLES_ADMIN, 'garage-amstel')]
        for email, slug in cases:
            with self.subTest(email=email, dealer=slug):
                assert_error(get(D[slug], email), 404, 'not_found')

    def test_get_unknown_and_malformed_ids(self):
        # Path segments as sent on the wire (already percent-encoded).
        for segment in ('01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'nope', 'garage-amstel',
                        harness.urlquote("1' OR '1'='1"), '%00', 'x' * 300):
            with self.subTest(segment[:40]):
                assert_error(get(segment), 404, 'not_found')

    def test_brand_manager_sees_dealer_holding_its_brand(self):
        self.assertEqual(expect(get(D['bruxelles-auto'], BRAND_MANAGER), 200)['slug'],
                         'bruxelles-auto')


class Create(unittest.TestCase):

    def test_dealers_created_at_once_all_succeed(self):
        # Each draws the next number for its customers' row-id block: simultaneous creations
        # (PostgreSQL runs them side by side) must not refuse the losers of that race.
        bodies = [new_dealer() for _ in range(8)]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(create, bodies))
        self.assertEqual([r.status for r in results], [201] * 8, [r.describe() for r in results if r.status != 201])
        # A slug taken is still a conflict, not a retry.
        assert_error(create(dict(new_dealer(), slug=bodies[0]['slug'])), 409, 'conflict')

    def test_admin_creates(self):
        body = new_dealer(name='Autohaus Zürich', timezone='Europe/Zurich', locale='de-CH',
                          brand_ids=[B['borealis'], B['cirrus']])
        resp = create(body)
        d = expect(resp, 201)
        harness.assert_keys(self, d, DEALER_KEYS, 'dealer')
        for k in ('slug', 'name', 'timezone', 'locale'):
            self.assertEqual(d[k], body[k])
        self.assertEqual(set(d['brand_ids']), set(body['brand_ids']))
        self.assertEqual(d['version'], 1)
        self.assertEqual(resp.headers.get('ETag'), '"v1"')
        fetched = expect(get(d['id']), 200)
        self.assertEqual(fetched, d)

    def test_empty_brand_list_is_fine(self):
        d = expect(create(new_dealer(brand_ids=[])), 201)
        self.assertEqual(d['brand_ids'], [])

    def test_only_admin_creates(self):
        for email in (BRAND_MANAGER, DEALER_ADMIN, SALES, TECHNICIAN):
            with self.subTest(email):
                body = new_dealer()
                assert_error(create(body, email), 403, 'forbidden')
                slugs = {d['slug'] for d in SRV.list_all('/api/v1/dealers', T[ADMIN])}
                self.assertNotIn(body['slug'], slugs)

    def test_duplicate_slug(self):
        assert_error(create(new_dealer(slug='garage-amstel')), 409, 'conflict')

    def test_validation(self):
        cases = [
            ('timezone', {'timezone': 'Mars/Olympus'}),
            ('timezone', {'timezone': '../etc/passwd'}),
            ('timezone', {'timezone': '/etc/localtime'}),
            ('timezone', {'timezone': ''}),
            ('locale', {'locale': ''}),
            ('locale', {'locale': 'not a locale'}),
            ('locale', {'locale': '12'}),
            ('locale', {'locale': '../../x'}),
            ('name', {'name': ''}),
            ('name', {'name': 'x' * 201}),
            ('name', {'name': '\u00e9' * 201}),
            ('slug', {'slug': 'Bad Slug'}),
            ('slug', {'slug': ''}),
            ('brand_ids', {'brand_ids': ['01ZZZZZZZZZZZZZZZZZZZZZZZZ']}),
            ('brand_ids', {'brand_ids': [B['aurora'], 'no-such-brand']}),
            ('brand_ids', {'brand_ids': [B['aurora'], B['aurora']]}),
        ]
        for field, over in cases:
            with self.subTest(field=field, value=over):
                body = new_dealer(**over)
                assert_error(create(body), 422, 'validation_failed', fields=[field])
                slugs = {d['slug'] for d in SRV.list_all('/api/v1/dealers', T[ADMIN])}
                self.assertNotIn(body['slug'], slugs)

    def test_missing_required_fields(self):
        for field in ('slug', 'name', 'timezone', 'locale'):
            with self.subTest(field):
                body = new_dealer()
                del body[field]
                assert_error(create(body), 422, 'validation_failed', fields=[field])

    def test_every_problem_is_named(self):
        err = assert_error(create(new_dealer(slug='Bad Slug', timezone='Mars/Olympus')), 422,
                           'validation_failed', fields=['slug', 'timezone'])
        self.assertNotIn('name', err['fields'])

    def test_name_length_counts_characters(self):
        for name in ('x' * 200, '\u00e9' * 200, '\u674e' * 200, 'A'):
            with self.subTest(length=len(name), char=name[0]):
                self.assertEqual(expect(create(new_dealer(name=name)), 201)['name'], name)

    def test_wrong_types_and_unknown_fields(self):
        for over in ({'name': 5}, {'brand_ids': B['aurora']}, {'brand_ids': [5]},
                     {'locale': ['nl']}, {'owner': 'me'}):
            with self.subTest(over):
                assert_error(create(new_dealer(**over)), 400, 'bad_request')
        # null for a required string: malformed (400) or missing (422), either is fair.
        resp = create(new_dealer(timezone=None))
        assert_error(resp, (400, 422), 'bad_request' if resp.status == 400 else 'validation_failed')

    def test_at_most_50_brands(self):
        ids = [B['aurora'], B['borealis'], B['cirrus']]
        for i in range(48):
            ids.append(expect(SRV.request('POST', '/api/v1/brands',
                                          {'slug': unique('many'), 'name': 'Many %d' % i},
                                          token=T[ADMIN]), 201)['id'])
        self.assertEqual(len(ids), 51)
        d = expect(create(new_dealer(brand_ids=ids[:50])), 201)
        self.assertEqual(set(d['brand_ids']), set(ids[:50]))
        assert_error(create(new_dealer(brand_ids=ids)), 422, 'validation_failed',
                     fields=['brand_ids'])

    def test_real_zones_accepted(self):
        for tz in ('America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'UTC'):
            with self.subTest(tz):
                self.assertEqual(expect(create(new_dealer(timezone=tz)), 201)['timezone'], tz)


class Patch(unittest.TestCase):

    def fresh(self):
        return expect(create(new_dealer()), 201)

    def test_admin_patch_bumps_version_and_etag(self):
        d = self.fresh()
        resp = patch(d['id'], {'name': 'Renamed', 'timezone': 'Europe/Brussels', 'locale': 'fr',
                               'brand_ids': [B['cirrus']]})
        p = expect(resp, 200)
        self.assertEqual(p['version'], d['version'] + 1)
        self.assertEqual(resp.headers.get('ETag'), '"v%d"' % p['version'])
        self.assertEqual((p['name'], p['timezone'], p['locale'], p['brand_ids']),
                         ('Renamed', 'Europe/Brussels', 'fr', [B['cirrus']]))
        self.assertEqual(p['slug'], d['slug'])
        self.assertEqual(p['created_at'], d['created_at'])
        self.assertGreaterEqual(harness.parse_time(p['updated_at']),
                                harness.parse_time(d['updated_at']))
        self.assertEqual(expect(get(d['id']), 200), p)

    def test_partial_patch_keeps_other_fields(self):
        d = self.fresh()
        p = expect(patch(d['id'], {'locale': 'en'}), 200)
        self.assertEqual(p['locale'], 'en')
        for k in ('name', 'timezone', 'brand_ids', 'slug'):
            self.assertEqual(p[k], d[k])

    def test_no_op_patch_counts_but_empty_body_does_not(self):
        # docs/api.md: every successful PATCH adds one to version, even one that
        # changes nothing, except an empty body {}.
        d = self.fresh()
        p = expect(patch(d['id'], {}), 200)
        self.assertEqual(p, d)
        same = expect(patch(d['id'], {'locale': d['locale'], 'name': d['name']}), 200)
        self.assertEqual(same['version'], d['version'] + 1)
        for k in ('name', 'timezone', 'locale', 'brand_ids', 'slug'):
            self.assertEqual(same[k], d[k])

    def test_nulls(self):
        d = self.fresh()
        for field in ('name', 'timezone', 'locale'):
            with self.subTest(field):
                assert_error(patch(d['id'], {field: None}), 422, 'validation_failed',
                             fields=[field])
        self.assertEqual(expect(get(d['id']), 200), d)
        p = expect(patch(d['id'], {'brand_ids': None, 'name': 'Kept brands'}), 200)
        self.assertEqual(p['brand_ids'], d['brand_ids'])
        self.assertEqual(p['name'], 'Kept brands')

    def test_if_match_needs_the_exact_etag(self):
        d = self.fresh()
        for tag in ('*', 'W/"v%d"' % d['version'], 'v%d' % d['version'], '"v%d"' % (d['version'] + 1),
                    '"V%d"' % d['version']):
            with self.subTest(tag=tag):
                assert_error(patch(d['id'], {'name': 'Loose'}, if_match=tag), 412,
                             'precondition_failed')
        self.assertEqual(expect(get(d['id']), 200), d)

    def test_if_match(self):
        d = self.fresh()
        etag = '"v%d"' % d['version']
        p = expect(patch(d['id'], {'name': 'First'}, if_match=etag), 200)
        # The old ETag is stale now.
        assert_error(patch(d['id'], {'name': 'Second'}, if_match=etag), 412,
                     'precondition_failed')
        assert_error(patch(d['id'], {'name': 'Third'}, if_match='"v999"'), 412,
                     'precondition_failed')
        now = expect(get(d['id']), 200)
        self.assertEqual((now['name'], now['version']), ('First', p['version']))
        expect(patch(d['id'], {'name': 'Fourth'}, if_match='"v%d"' % p['version']), 200)

    def test_concurrent_conditional_patches_one_wins(self):
        d = self.fresh()
        etag = '"v%d"' % d['version']
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda i: patch(d['id'], {'name': 'Racer %d' % i},
                                                     if_match=etag), range(8)))
        statuses = sorted(r.status for r in results)
        self.assertEqual(statuses.count(200), 1, statuses)
        self.assertEqual(statuses.count(412), 7, statuses)
        winner = [r.body for r in results if r.status == 200][0]
        now = expect(get(d['id']), 200)
        self.assertEqual((now['name'], now['version']), (winner['name'], d['version'] + 1))

    def test_concurrent_unconditional_patches_all_count(self):
        d = self.fresh()
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            results = list(pool.map(lambda i: patch(d['id'], {'name': 'Writer %d' % i}),
                                    range(6)))
        for r in results:
            expect(r, 200)
        self.assertEqual(sorted(r.body['version'] for r in results),
                         list(range(d['version'] + 1, d['version'] + 7)))
        self.assertEqual(expect(get(d['id']), 200)['version'], d['version'] + 6)

    def test_slug_cannot_change(self):
        d = self.fresh()
        assert_error(patch(d['id'], {'slug': unique('other')}), 422, 'validation_failed',
                     fields=['slug'])
        self.assertEqual(expect(get(d['id']), 200), d)

    def test_invalid_patch_changes_nothing(self):
        d = self.fresh()
        for field, body in (('timezone', {'timezone': 'Mars/Olympus'}),
                            ('locale', {'locale': 'not a locale'}),
                            ('name', {'name': ''}),
                            ('brand_ids', {'brand_ids': ['01ZZZZZZZZZZZZZZZZZZZZZZZZ']})):
            with self.subTest(field):
                assert_error(patch(d['id'], dict(body, name='Should not stick')
                                   if field != 'name' else body),
                             422, 'validation_failed', fields=[field])
        for body in ({'name': 5}, {'colour': 'red'}, {'brand_ids': 'aurora'}):
            with self.subTest(body):
                assert_error(patch(d['id'], body), 400, 'bad_request')
        self.assertEqual(expect(get(d['id']), 200), d)

    def test_only_admin_changes_brand_list(self):
        dealer_id = D['garage-amstel']
        before = expect(get(dealer_id), 200)
        assert_error(patch(dealer_id, {'brand_ids': [B['cirrus']]}, DEALER_ADMIN), 403,
                     'forbidden')
        assert_error(patch(dealer_id, {'brand_ids': before['brand_ids'], 'name': 'Sneaky'},
                           DEALER_ADMIN), 403, 'forbidden')
        self.assertEqual(expect(get(dealer_id), 200), before)

    def test_dealer_admin_patches_own_dealer(self):
        dealer_id = D['garage-amstel']
        before = expect(get(dealer_id), 200)
        try:
            p = expect(patch(dealer_id, {'name': 'Garage Amstel B.V.'}, DEALER_ADMIN), 200)
            self.assertEqual(p['name'], 'Garage Amstel B.V.')
            self.assertEqual(p['version'], before['version'] + 1)
        finally:
            expect(patch(dealer_id, {'name': before['name']}, ADMIN), 200)

    def test_who_may_patch(self):
        cases = [
            (SALES, 'garage-amstel', 403, 'forbidden'),
            (SERVICE_ADVISOR, 'garage-amstel', 403, 'forbidden'),
            (TECHNICIAN, 'garage-amstel', 403, 'forbidden'),
            (BRAND_MANAGER, 'garage-amstel', 403, 'forbidden'),
            (BRAND_MANAGER, 'bruxelles-auto', 403, 'forbidden'),
            (BRAND_MANAGER, 'montreal-motors', 404, 'not_found'),
            (DEALER_ADMIN, 'bruxelles-auto', 404, 'not_found'),
            (DEALER_ADMIN, 'montreal-motors', 404, 'not_found'),
            (BRUXELLES_ADMIN, 'garage-amstel', 404, 'not_found'),
            (MONTREAL_SALES, 'montreal-motors', 403, 'forbidden'),
        ]
        versions = {s: expect(get(D[s]), 200) for s in D}
        for email, slug, status, code in cases:
            with self.subTest(email=email, dealer=slug):
                assert_error(patch(D[slug], {'name': 'Hijacked'}, email), status, code)
        for slug, before in versions.items():
            self.assertEqual(expect(get(D[slug]), 200), before, '%s changed' % slug)

    def test_scope_follows_the_brand_list(self):
        d = self.fresh()                                   # holds Aurora
        self.assertEqual(expect(get(d['id'], BRAND_MANAGER), 200)['id'], d['id'])
        staff = {'email': unique('scope') + '@example.test', 'name': 'Scoped', 'role': 'sales',
                 'password': 'scoped-password', 'dealer_id': d['id']}
        expect(SRV.request('POST', '/api/v1/users', staff, token=T[ADMIN]), 201)
        seen = {u['email'] for u in SRV.list_all('/api/v1/users', T[BRAND_MANAGER])}
        self.assertIn(staff['email'], seen)
        expect(patch(d['id'], {'brand_ids': [B['cirrus']]}), 200)
        assert_error(get(d['id'], BRAND_MANAGER), 404, 'not_found')
        ids = {x['id'] for x in SRV.list_all('/api/v1/dealers', T[BRAND_MANAGER])}
        self.assertNotIn(d['id'], ids)
        seen = {u['email'] for u in SRV.list_all('/api/v1/users', T[BRAND_MANAGER])}
        self.assertNotIn(staff['email'], seen)

    def test_patch_unknown_dealer(self):
        assert_error(patch('01ZZZZZZZZZZZZZZZZZZZZZZZZ', {'name': 'Ghost'}), 404, 'not_found')

    def test_patch_needs_credentials(self):
        assert_error(SRV.request('PATCH', '/api/v1/dealers/' + D['garage-amstel'],
                                 {'name': 'Anon'}), 401, 'unauthenticated')


if __name__ == '__main__':
    unittest.main()
