"""Brands: the list, creation (admin only), slug rules, duplicates."""

import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, TECHNICIAN, assert_error,
                     expect, unique)

SRV = harness.ServerModule()
BRAND_KEYS = {'id', 'slug', 'name', 'created_at'}
T = {}


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, TECHNICIAN))


def tearDownModule():
    SRV.down()


def create(body, email=ADMIN, **kw):
    return SRV.request('POST', '/api/v1/brands', body, token=T[email], **kw)


class Brands(unittest.TestCase):

    def test_demo_brands_listed_for_every_role(self):
        for email in T:
            with self.subTest(email):
                body = expect(SRV.request('GET', '/api/v1/brands', token=T[email]), 200)
                self.assertIn('items', body)
                self.assertIn('next_cursor', body)
                by_slug = {b['slug']: b for b in body['items']}
                self.assertEqual({'aurora': 'Aurora', 'borealis': 'Borealis', 'cirrus': 'Cirrus'},
                                 {s: by_slug[s]['name'] for s in ('aurora', 'borealis', 'cirrus')
                                  if s in by_slug})
                for b in body['items']:
                    harness.assert_keys(self, b, BRAND_KEYS, 'brand')
                    harness.assert_rfc3339(self, b['created_at'], 'created_at')

    def test_list_needs_credentials(self):
        assert_error(SRV.request('GET', '/api/v1/brands'), 401, 'unauthenticated')

    def test_admin_creates_a_brand(self):
        slug = unique('brand')
        resp = create({'slug': slug, 'name': 'Nimbus Motors'})
        body = expect(resp, 201)
        harness.assert_keys(self, body, BRAND_KEYS, 'brand')
        self.assertEqual(body['slug'], slug)
        self.assertEqual(body['name'], 'Nimbus Motors')
        harness.assert_rfc3339(self, body['created_at'], 'created_at')
        listed = {b['id']: b for b in SRV.list_all('/api/v1/brands', T[ADMIN])}
        self.assertEqual(listed.get(body['id']), body)

    def test_only_admin_creates_brands(self):
        for email in (BRAND_MANAGER, DEALER_ADMIN, SALES, TECHNICIAN):
            with self.subTest(email):
                slug = unique('nope')
                assert_error(create({'slug': slug, 'name': 'Nope'}, email), 403, 'forbidden')
                slugs = {b['slug'] for b in SRV.list_all('/api/v1/brands', T[ADMIN])}
                self.assertNotIn(slug, slugs)

    def test_create_needs_credentials(self):
        assert_error(SRV.request('POST', '/api/v1/brands', {'slug': unique('x'), 'name': 'X'}),
                     401, 'unauthenticated')

    def test_duplicate_slug_conflicts(self):
        assert_error(create({'slug': 'aurora', 'name': 'Aurora again'}), 409, 'conflict')
        slug = unique('dup')
        expect(create({'slug': slug, 'name': 'First'}), 201)
        assert_error(create({'slug': slug, 'name': 'Second'}), 409, 'conflict')
        names = [b['name'] for b in SRV.list_all('/api/v1/brands', T[ADMIN]) if b['slug'] == slug]
        self.assertEqual(names, ['First'])

    def test_bad_slugs(self):
        for slug in ('', 'Aurora', '-lead', 'with space', 'under_score', 'a' * 64, 'caf\u00e9',
                     'dot.ted', 'slash/slug', '../x', 'tail\n'):
            with self.subTest(slug=slug):
                assert_error(create({'slug': slug, 'name': 'Bad'}), 422, 'validation_failed',
                             fields=['slug'])

    def test_edge_slugs_accepted(self):
        n = unique('e').replace('-', '')
        for slug in ('z' + n, '0' + n, (n + 'a' * 63)[:63], n + '-'):
            with self.subTest(slug=slug):
                self.assertEqual(expect(create({'slug': slug, 'name': 'Edge'}), 201)['slug'], slug)

    def test_single_character_slug(self):
        # 'q' is not used elsewhere in this module.
        self.assertEqual(expect(create({'slug': 'q', 'name': 'Q'}), 201)['slug'], 'q')

    def test_name_rules(self):
        assert_error(create({'slug': unique('n'), 'name': ''}), 422, 'validation_failed',
                     fields=['name'])
        assert_error(create({'slug': unique('n')}), 422, 'validation_failed', fields=['name'])
        assert_error(create({'slug': unique('n'), 'name': 5}), 400, 'bad_request')
        assert_error(create({'slug': unique('n'), 'name': 'X', 'colour': 'red'}), 400,
                     'bad_request')

    def test_name_length(self):
        for name in ('n' * 200, '\u00e9' * 200, '\U0001F697' * 200):
            with self.subTest(length=len(name), char=name[0]):
                self.assertEqual(expect(create({'slug': unique('len'), 'name': name}), 201)['name'],
                                 name)
        for name in ('n' * 201, '\u00e9' * 201):
            with self.subTest(length=len(name), char=name[0]):
                assert_error(create({'slug': unique('len'), 'name': name}), 422,
                             'validation_failed', fields=['name'])

    def test_missing_slug(self):
        assert_error(create({'name': 'No slug'}), 422, 'validation_failed', fields=['slug'])


if __name__ == '__main__':
    unittest.main()
