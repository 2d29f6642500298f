"""List conventions: {items, next_cursor}, ?limit= bounds, cursor paging."""

import unittest

import harness
from harness import ADMIN, DEALER_ADMIN, assert_error, expect, unique

SRV = harness.ServerModule()
T = {}
D = {}
LISTS = ('/api/v1/brands', '/api/v1/dealers', '/api/v1/users', '/api/v1/audit')


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))
    # 50 more brands: 53 in all, more than one default page.
    for i in range(50):
        expect(SRV.request('POST', '/api/v1/brands', {'slug': 'list-%02d' % i,
                                                      'name': 'List brand %02d' % i},
                           token=T[ADMIN]), 201)
    for i in range(7):
        expect(SRV.request('POST', '/api/v1/dealers',
                           {'slug': 'list-dealer-%d' % i, 'name': 'List dealer %d' % i,
                            'timezone': 'Europe/Amsterdam', 'locale': 'nl', 'brand_ids': []},
                           token=T[ADMIN]), 201)


def tearDownModule():
    SRV.down()


def get(path, email=ADMIN):
    return SRV.request('GET', path, token=T[email])


def walk(path, limit, email=ADMIN):
    """Pages of path with ?limit=limit; returns the list of pages' items."""
    pages = []
    cursor = None
    sep = '&' if '?' in path else '?'
    for _ in range(500):
        url = '%s%slimit=%d' % (path, sep, limit)
        if cursor is not None:
            url += '&cursor=' + harness.urlquote(cursor)
        body = expect(get(url, email), 200)
        pages.append(body['items'])
        cursor = body['next_cursor']
        if cursor is None:
            return pages
        if not isinstance(cursor, str) or not cursor:
            raise AssertionError('next_cursor must be a non-empty string or null: %r' % cursor)
    raise AssertionError('paging never ended')


class Lists(unittest.TestCase):

    def test_envelope(self):
        for path in LISTS:
            with self.subTest(path):
                body = expect(get(path), 200)
                harness.assert_keys(self, body, {'items', 'next_cursor'}, 'list')
                self.assertIsInstance(body['items'], list)

    def test_default_limit_is_50(self):
        body = expect(get('/api/v1/brands'), 200)
        self.assertEqual(len(body['items']), 50)
        self.assertIsInstance(body['next_cursor'], str)
        total = sum(len(p) for p in walk('/api/v1/brands', 10))
        self.assertGreater(total, 50)
        rest = expect(get('/api/v1/brands?cursor=' + harness.urlquote(body['next_cursor'])), 200)
        self.assertEqual(len(rest['items']), total - 50)
        self.assertIsNone(rest['next_cursor'])

    def test_max_limit_500(self):
        total = sum(len(p) for p in walk('/api/v1/brands', 10))
        self.assertGreaterEqual(total, 53)
        body = expect(get('/api/v1/brands?limit=500'), 200)
        self.assertEqual(len(body['items']), total)
        self.assertIsNone(body['next_cursor'])

    def test_limit_one(self):
        body = expect(get('/api/v1/dealers?limit=1'), 200)
        self.assertEqual(len(body['items']), 1)
        self.assertIsInstance(body['next_cursor'], str)

    def test_exact_fit_has_no_next_page_or_an_empty_one(self):
        pages = walk('/api/v1/dealers', 10)      # 3 demo + 7 = 10 dealers
        items = [d for p in pages for d in p]
        self.assertEqual(len(items), 10)
        self.assertLessEqual(len(pages), 2)
        if len(pages) == 2:
            self.assertEqual(pages[1], [])

    def test_bad_limits(self):
        for path in LISTS:
            for limit in ('0', '-1', '501', 'abc', '1.5', '', '99999999999999999999', '10abc'):
                with self.subTest(path=path, limit=limit):
                    assert_error(get('%s?limit=%s' % (path, limit)), 400, 'bad_request')

    def test_bad_cursor(self):
        for path in LISTS:
            for cursor in ('garbage', '%00', "x'%20OR%201=1--", 'A' * 300):
                with self.subTest(path=path, cursor=cursor[:20]):
                    assert_error(get('%s?cursor=%s' % (path, cursor)), 400, 'bad_request')

    def test_paging_returns_each_item_once(self):
        for path, limit in (('/api/v1/brands', 7), ('/api/v1/brands', 1), ('/api/v1/dealers', 3),
                            ('/api/v1/users', 2), ('/api/v1/audit', 4)):
            with self.subTest(path=path, limit=limit):
                full = expect(get(path + '?limit=500'), 200)['items']
                pages = walk(path, limit)
                for p in pages:
                    self.assertLessEqual(len(p), limit)
                ids = [x['id'] for p in pages for x in p]
                self.assertEqual(len(ids), len(set(ids)), 'duplicates across pages')
                self.assertEqual(ids, [x['id'] for x in full], 'pages differ from one big page')

    def test_paging_is_stable_while_rows_are_added(self):
        first = expect(get('/api/v1/brands?limit=20'), 200)
        before = {b['id'] for b in SRV.list_all('/api/v1/brands', T[ADMIN])}
        added = expect(SRV.request('POST', '/api/v1/brands', {'slug': unique('mid'),
                                                              'name': 'Mid-walk'},
                                   token=T[ADMIN]), 201)
        seen = [b['id'] for b in first['items']]
        cursor = first['next_cursor']
        while cursor:
            body = expect(get('/api/v1/brands?limit=20&cursor=' + harness.urlquote(cursor)), 200)
            seen += [b['id'] for b in body['items']]
            cursor = body['next_cursor']
        self.assertEqual(len(seen), len(set(seen)), 'an item came twice')
        self.assertTrue(before <= set(seen), 'items were skipped')
        self.assertTrue(set(seen) <= before | {added['id']})

    def test_order(self):
        for path in ('/api/v1/brands', '/api/v1/dealers', '/api/v1/users'):
            with self.subTest(path):
                times = [harness.parse_time(x['created_at'])
                         for x in SRV.list_all(path, T[ADMIN], limit=7)]
                self.assertEqual(times, sorted(times), '%s is not oldest first' % path)

    def test_scoped_paging(self):
        pages = walk('/api/v1/users', 1, DEALER_ADMIN)
        users = [u for p in pages for u in p]
        self.assertGreaterEqual(len(users), 4)
        for u in users:
            self.assertEqual(u['dealer_id'], D['garage-amstel'])


if __name__ == '__main__':
    unittest.main()
