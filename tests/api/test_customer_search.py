"""Customer search: GET /api/v1/customers?q= — accents, case, fragments, plates, VINs,
phones, ranking, paging, erased customers, other dealers, hostile queries; each
dealer's block of row ids on SQLite, more than 1,000 matches, and migration 0008
over existing customers.

Every search here is expected to have fewer than 8 hits: a page of 8 or more
customers answers 500 (see test_customers.PageOfEight).
"""

import os
import random
import re
import shutil
import sqlite3
import string
import tempfile
import unittest

import harness
from harness import (ADMIN, BRUXELLES_ADMIN, MONTREAL_SALES, SALES, SERVICE_ADVISOR,
                     assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}
D = {}
C = {}      # fixture name -> customer document


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, SALES, SERVICE_ADVISOR, BRUXELLES_ADMIN, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    C['emilie'] = new_customer(name='Émilie Dubois')
    C['muller'] = new_customer(name='Jürgen Müller')
    C['phone'] = new_customer(name='Telefoon Klant', email=None, phone='06 12 34 56 78')
    C['plate'] = new_customer(name='Kenteken Eigenaar')
    C['vin'] = new_customer(name='Chassis Eigenaar')
    C['company'] = new_customer(name=None, company_name='Autobedrijf Zonneveld', kind='company')
    C['cjk'] = new_customer(name='李小龙')
    C['percent'] = new_customer(name='Honderd', company_name='100% Garage')
    expect(api(SALES, 'POST', '/vehicles', {'plate': 'GH-123-X', 'customer_id': C['plate']['id']}),
           201)
    expect(api(SALES, 'POST', '/vehicles', {'vin': 'WVWZZZ1KZ6W612305',
                                            'customer_id': C['vin']['id']}), 201)


def tearDownModule():
    SRV.down()


def api(who, method, path, body=None, **kw):
    return SRV.request(method, '/api/v1' + path, body, token=T.get(who, who), **kw)


def word(n=7):
    return 'q' + ''.join(random.choice(string.ascii_lowercase) for _ in range(n))


def new_customer(who=SALES, **fields):
    body = {'name': 'Customer ' + word(), 'email': unique('srch') + '@example.test'}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    return expect(api(who, 'POST', '/customers', body), 201, 'create customer')


def search(q, who=SALES, extra=''):
    resp = api(who, 'GET', '/customers?q=' + harness.urlquote(q) + extra)
    return expect(resp, 200, 'search %r' % q)


def hit_ids(q, who=SALES, extra=''):
    return [c['id'] for c in search(q, who, extra)['items']]


class Matching(unittest.TestCase):

    def assert_finds(self, key, queries):
        for q in queries:
            with self.subTest(q=q):
                self.assertIn(C[key]['id'], hit_ids(q), 'search %r did not find %s'
                              % (q, C[key]['name']))

    def test_accents_and_case(self):
        self.assert_finds('emilie', ['emilie', 'Emilie', 'EMILIE', 'Émilie', 'émilie', 'ÉMILIE',
                                     'milie', 'dubois', 'DuBoIs', 'émilie dub', 'emilie dubois'])

    def test_umlauts(self):
        self.assert_finds('muller', ['müller', 'muller', 'MÜLL', 'MULL', 'Müller', 'jurgen',
                                     'Jürgen', 'JÜRGEN MÜ', 'ürgen'])

    def test_plate_of_a_linked_vehicle(self):
        self.assert_finds('plate', ['GH-123', 'gh123', 'gh-123', 'GH 123', 'gh123x', 'GH-123-X'])

    def test_vin_of_a_linked_vehicle(self):
        self.assert_finds('vin', ['WVWZZZ1KZ6W612305', 'wvwzzz1kz6w612305', '1KZ6W6', '612305'])

    def test_phone_fragments(self):
        self.assert_finds('phone', ['0612', '+31 6 12', '06 12 34 56 78', '0612345678',
                                    '+31612345678', '612345678', '12 34 56'])

    def test_email_fragment_and_company(self):
        local = C['emilie']['email'].split('@')[0]
        self.assert_finds('emilie', [local, local.upper(), C['emilie']['email']])
        self.assert_finds('company', ['zonneveld', 'Autobedrijf', 'ZONNEV'])
        self.assert_finds('cjk', ['李小龙'])

    def test_what_should_not_match(self):
        for q in ('zzqqxx', 'emilie zonneveld', 'GH-124', '0613', "' OR 1=1 --",
                  "'; DROP TABLE customers;--"):
            with self.subTest(q=q):
                self.assertEqual(hit_ids(q), [])
        # The query did not drop anything.
        self.assertIn(C['emilie']['id'], hit_ids('emilie'))

    def test_like_wildcards_are_literal(self):
        for q in ('%%', '__', '%_%', '\\%'):
            with self.subTest(q=q):
                self.assertEqual(hit_ids(q), [])
        self.assertEqual(hit_ids('100% g'), [C['percent']['id']])
        self.assertEqual(hit_ids('0% ga'), [C['percent']['id']])

    def test_results_shape(self):
        items = search('kenteken')['items']
        self.assertEqual([c['id'] for c in items], [C['plate']['id']])
        c = items[0]
        self.assertNotIn('consents', c)
        self.assertEqual(c['name'], 'Kenteken Eigenaar')
        self.assertEqual(c['dealer_id'], D['garage-amstel'])
        self.assertEqual([v['plate'] for v in c['vehicles']], ['GH-123-X'])
        self.assertIsNone(search('kenteken')['next_cursor'])

    def test_other_staff_of_the_dealer_find_it(self):
        self.assertIn(C['emilie']['id'], hit_ids('emilie', SERVICE_ADVISOR))


class TwoCharacters(unittest.TestCase):

    def test_two_character_prefix(self):
        a = new_customer(name='Yx' + word(5) + ' Tester')
        for q in ('yx', 'YX', 'Yx'):
            with self.subTest(q=q):
                self.assertIn(a['id'], hit_ids(q, extra='&limit=5'))
        b = new_customer(name='Égalité ' + word(5).capitalize())
        for q in ('ég', 'EG', 'Ég'):
            with self.subTest(q=q):
                self.assertIn(b['id'], hit_ids(q, extra='&limit=5'))

    def test_two_character_prefix_beyond_latin(self):
        """Two characters of a name in another script are still two characters."""
        self.assertIn(C['cjk']['id'], hit_ids('李小', extra='&limit=5'))
        self.assertEqual(hit_ids('李小龙'), [C['cjk']['id']])


class Ranking(unittest.TestCase):

    def test_start_then_word_then_anywhere(self):
        tok = word()
        anywhere = new_customer(name='Gamma' + tok + ' Delta')
        word_start = new_customer(name='Beta ' + tok.capitalize())
        start = new_customer(name=tok.capitalize() + ' Alpha')
        ids = hit_ids(tok)
        self.assertEqual(ids, [start['id'], word_start['id'], anywhere['id']])
        # Accents and case do not change the ranking.
        self.assertEqual(hit_ids(tok.upper()), ids)

    def test_start_before_anywhere_even_when_older(self):
        tok = word()
        first = new_customer(name=tok.capitalize() + 'son')
        later = new_customer(name='Zz' + tok)
        self.assertEqual(hit_ids(tok), [first['id'], later['id']])


class Paging(unittest.TestCase):

    def walk(self, q, limit):
        seen = []
        cursor = None
        for _ in range(100):
            extra = '&limit=%d' % limit + ('&cursor=' + harness.urlquote(cursor) if cursor else '')
            page = search(q, extra=extra)
            self.assertLessEqual(len(page['items']), limit)
            seen += [c['id'] for c in page['items']]
            cursor = page['next_cursor']
            if cursor is None:
                return seen
            self.assertIsInstance(cursor, str)
        self.fail('paging never ended')

    def test_limit_one_walks_every_match_once(self):
        tok = word()
        names = [tok.capitalize() + ' One', 'Two ' + tok.capitalize(), 'Three' + tok,
                 tok.capitalize() + 'x Four', 'Five ' + tok.capitalize() + 'y']
        made = [new_customer(name=n)['id'] for n in names]
        full = hit_ids(tok)
        self.assertEqual(sorted(full), sorted(made))
        for limit in (1, 2, 5):
            with self.subTest(limit=limit):
                seen = self.walk(tok, limit)
                self.assertEqual(seen, full, 'pages in the same order as one page')
                self.assertEqual(len(seen), len(set(seen)))

    def test_bad_cursor_and_long_query(self):
        for extra in ('&cursor=abc', '&cursor=o', '&cursor=o-1', '&cursor=o1x', '&cursor=1',
                      '&limit=0', '&limit=501', '&limit=x'):
            with self.subTest(extra=extra):
                assert_error(api(SALES, 'GET', '/customers?q=emilie' + extra), 400, 'bad_request')

    def test_query_length_limit(self):
        assert_error(api(SALES, 'GET', '/customers?q=' + 'e' * 201), 400, 'bad_request')
        assert_error(api(SALES, 'GET', '/customers?q=' + harness.urlquote('é' * 201)), 400,
                     'bad_request')
        self.assertEqual(search('e' * 200)['items'], [])

    def test_query_length_counts_characters(self):
        # 200 characters (400 bytes in UTF-8) is within the limit, like a 200-character name.
        resp = api(SALES, 'GET', '/customers?q=' + harness.urlquote('é' * 200))
        self.assertEqual(resp.status, 200, "q of 200 x 'é' (400 bytes): %s %r"
                         % (resp.status, resp.raw[:200]))
        self.assertEqual(resp.body['items'], [])

    def test_empty_query_lists_newest(self):
        page = expect(api(SALES, 'GET', '/customers?q=&limit=3'), 200)
        self.assertEqual(len(page['items']), 3)
        times = [harness.parse_time(c['created_at']) for c in page['items']]
        self.assertEqual(times, sorted(times, reverse=True))


class ErasedAndOthers(unittest.TestCase):

    def test_erased_never_found(self):
        tok = word()
        phone = '06 %08d' % random.randrange(10000000, 19999999)
        c = new_customer(name='Vergeten ' + tok.capitalize(), phone=phone)
        email_local = c['email'].split('@')[0]
        expect(api(SALES, 'POST', '/vehicles', {'plate': 'ER-%d-AS' % random.randrange(100, 999),
                                                'customer_id': c['id']}), 201)
        plate = expect(api(SALES, 'GET', '/customers/' + c['id']), 200)['vehicles'][0]['plate']
        queries = [tok, 'vergeten ' + tok, email_local, phone, plate]
        for q in queries:
            self.assertIn(c['id'], hit_ids(q), q)
        resp = api(SALES, 'DELETE', '/customers/' + c['id'])
        expect(resp, 204)
        for q in queries:
            with self.subTest(q=q):
                self.assertNotIn(c['id'], hit_ids(q))
        listed = SRV.list_all('/api/v1/customers', T[SALES], limit=5)
        self.assertNotIn(c['id'], [x['id'] for x in listed], 'the plain list skips erased ones')

    def test_other_dealers_never_find_it(self):
        tok = word()
        c = new_customer(name='Geheim ' + tok.capitalize(), phone='06 %08d'
                         % random.randrange(20000000, 29999999))
        self.assertEqual(hit_ids(c['name']), [c['id']])
        for who in (BRUXELLES_ADMIN, MONTREAL_SALES):
            for q in (c['name'], tok, c['email'], c['phone']):
                with self.subTest(who=who, q=q):
                    self.assertEqual(search(q, who)['items'], [])
        # The other dealer's plain list does not show it either.
        for who in (BRUXELLES_ADMIN, MONTREAL_SALES):
            listed = SRV.list_all('/api/v1/customers', T[who], limit=5)
            self.assertNotIn(c['id'], [x['id'] for x in listed])
            for x in listed:
                self.assertNotEqual(x['dealer_id'], D['garage-amstel'])
        # The administrator searches one dealer at a time.
        self.assertEqual(hit_ids(c['name'], ADMIN, '&dealer_id=' + D['garage-amstel']), [c['id']])
        self.assertEqual(hit_ids(c['name'], ADMIN, '&dealer_id=' + D['bruxelles-auto']), [])

    def test_same_name_at_two_dealers(self):
        name = 'Dubbel ' + word().capitalize()
        here = new_customer(name=name)
        there = new_customer(BRUXELLES_ADMIN, name=name)
        self.assertEqual(hit_ids(name), [here['id']])
        self.assertEqual(hit_ids(name, BRUXELLES_ADMIN), [there['id']])

    def test_staff_cannot_search_another_dealer(self):
        tok = word()
        there = new_customer(BRUXELLES_ADMIN, name='Ander ' + tok.capitalize())
        resp = api(SALES, 'GET', '/customers?q=%s&dealer_id=%s' % (tok, D['bruxelles-auto']))
        if resp.status == 200:
            self.assertNotIn(there['id'], [c['id'] for c in resp.body['items']])
        else:
            assert_error(resp, (403, 404), 'not_found' if resp.status == 404 else 'forbidden')


class Blocks(unittest.TestCase):
    """Customers created at two dealers in turn: each dealer's search finds its
    own and only those (on SQLite each dealer's customers lie in a block of row
    ids, and the match is restricted to it)."""

    def test_interleaved_creation_at_two_dealers(self):
        tok = word()
        here, there = [], []
        for i in range(4):
            here.append(new_customer(name='%s Hier %d' % (tok.capitalize(), i))['id'])
            there.append(new_customer(BRUXELLES_ADMIN, name='%s Ici %d' % (tok.capitalize(), i))['id'])
        self.assertEqual(sorted(hit_ids(tok, extra='&limit=5')), sorted(here))
        self.assertEqual(sorted(hit_ids(tok, BRUXELLES_ADMIN, '&limit=5')), sorted(there))
        # Two forms of the query (as typed, and compacted) stay within the dealer too.
        self.assertEqual(hit_ids(tok + ' hier 3'), [here[3]])
        self.assertEqual(hit_ids(tok + ' ici 3'), [])
        self.assertEqual(hit_ids(tok + ' ici 3', BRUXELLES_ADMIN), [there[3]])
        # Short needles (a prefix) as well.
        for c in search(tok[:2], BRUXELLES_ADMIN, '&limit=5')['items']:
            self.assertEqual(c['dealer_id'], D['bruxelles-auto'])


class ManyMatches(unittest.TestCase):
    """More than 1,000 matches (its own server): the newest 1,000 are ranked,
    and the answer still pages."""

    N = 1003

    @classmethod
    def setUpClass(cls):
        cls.srv = harness.Server().start()
        cls.token = cls.srv.login(SALES)
        cls.tok = 'zq' + word(5)
        cls.made = []
        for i in range(cls.N):
            body = {'name': '%s%04d' % (cls.tok.capitalize(), i), 'email': unique('many') + '@example.test'}
            cls.made.append(expect(cls.srv.request('POST', '/api/v1/customers', body, token=cls.token),
                                   201, 'create customer')['id'])

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def page(self, q, cursor=None, limit=5):
        path = '/api/v1/customers?q=%s&limit=%d' % (harness.urlquote(q), limit)
        if cursor:
            path += '&cursor=' + harness.urlquote(cursor)
        return expect(self.srv.request('GET', path, token=self.token), 200, 'search %r' % q)

    def test_newest_thousand_ranked(self):
        # All names start with the query: ranked by name, among the newest 1,000.
        for q in (self.tok, self.tok[:2]):
            with self.subTest(q=q):
                first = self.page(q)
                self.assertEqual([c['id'] for c in first['items']], self.made[self.N - 1000:self.N - 995])
                self.assertEqual(first['next_cursor'], 'o5')
                second = self.page(q, first['next_cursor'])
                self.assertEqual([c['id'] for c in second['items']], self.made[self.N - 995:self.N - 990])
                last = self.page(q, 'o995')
                self.assertEqual([c['id'] for c in last['items']], self.made[self.N - 5:])
                self.assertIsNone(last['next_cursor'])

    def test_an_older_customer_is_still_found_by_more_of_its_name(self):
        self.assertEqual([c['id'] for c in self.page('%s0001' % self.tok)['items']], [self.made[1]])


def _undo_0008(path):
    """Puts a SQLite database back as migration 0007 left it: customers numbered
    1, 2, ... in the order they were added (across dealers), the full-text
    index and its insert trigger as 0003 made them, no dealers.seq."""
    mig = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'store', 'migrations')
    with open(os.path.join(mig, '0003_customer_search.sqlite.sql')) as f:
        trigger = re.search(r'CREATE TRIGGER customers_fts_insert .*?END;', f.read(), re.S).group(0)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute('BEGIN')
    db.execute('DROP TRIGGER customers_fts_insert')
    db.execute(trigger)
    db.execute('DROP INDEX dealers_seq')
    db.execute('ALTER TABLE dealers DROP COLUMN seq')
    for n, (rowid,) in enumerate(db.execute('SELECT rowid FROM customers ORDER BY id').fetchall()):
        db.execute('UPDATE customers SET rowid = ? WHERE rowid = ?', (n + 1, rowid))
    db.execute("INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')")
    db.execute('DELETE FROM schema_migrations WHERE version = 8')
    db.execute('COMMIT')
    db.close()


@harness.sqlite_only('runs VACUUM on the SQLite file')
class Vacuum(unittest.TestCase):
    """An operator's VACUUM must not lose the search: SQLite documents that it may renumber the
    rowids of a table without an INTEGER PRIMARY KEY, which the FTS index and the dealer blocks
    rely on. SQLite 3.40 keeps them; this notices a version that does not."""

    def test_search_after_vacuum(self):
        tok = word()
        mine = new_customer(name='%s Vacuumtest' % tok.capitalize())['id']
        theirs = new_customer(BRUXELLES_ADMIN, name='%s Vacuumtest' % tok.capitalize())['id']
        db = sqlite3.connect(SRV.db, isolation_level=None, timeout=30)
        try:
            before = db.execute('SELECT rowid, id FROM customers ORDER BY id').fetchall()
            db.execute('VACUUM')
            self.assertEqual(db.execute('SELECT rowid, id FROM customers ORDER BY id').fetchall(), before)
        finally:
            db.close()
        self.assertEqual(hit_ids(tok), [mine])
        self.assertEqual(hit_ids(tok, BRUXELLES_ADMIN), [theirs])


@harness.sqlite_only('rewinds a SQLite file to the schema before migration 0008')
class ExistingCustomersMigrated(unittest.TestCase):
    """Migration 0008 on a database with customers: they are found afterwards,
    at their own dealer only, and so is a customer added after it."""

    def test_found_before_and_after(self):
        tmp = tempfile.mkdtemp(prefix='forecourt-0008-')
        path = os.path.join(tmp, 'old.db')
        srv = harness.Server(db_path=path).start()
        try:
            tok = {who: srv.login(who) for who in (SALES, BRUXELLES_ADMIN)}
            q = 'zm' + word(5)
            made = {SALES: [], BRUXELLES_ADMIN: []}
            for i in range(3):
                for who, name in ((SALES, '%s Amstel %d'), (BRUXELLES_ADMIN, '%s Bruxelles %d')):
                    body = {'name': name % (q.capitalize(), i), 'email': unique('old') + '@example.test'}
                    made[who].append(expect(srv.request('POST', '/api/v1/customers', body, token=tok[who]),
                                            201)['id'])
        finally:
            srv.stop()
        _undo_0008(path)
        srv = harness.Server(demo=False, db_path=path).start()
        try:
            tok = {who: srv.login(who) for who in (SALES, BRUXELLES_ADMIN)}

            def ids(who, query):
                resp = srv.request('GET', '/api/v1/customers?limit=7&q=' + harness.urlquote(query), token=tok[who])
                return [c['id'] for c in expect(resp, 200)['items']]

            for who in (SALES, BRUXELLES_ADMIN):
                self.assertEqual(ids(who, q), made[who], 'ranked by name, own dealer only')
                self.assertEqual(ids(who, q[:2]), made[who])
            new = expect(srv.request('POST', '/api/v1/customers',
                                     {'name': 'Nieuw ' + q.capitalize(), 'email': unique('new') + '@example.test'},
                                     token=tok[SALES]), 201)['id']
            self.assertEqual(ids(SALES, q), made[SALES] + [new], 'name starts first, then a word starts')
            self.assertEqual(ids(BRUXELLES_ADMIN, q), made[BRUXELLES_ADMIN])
        finally:
            srv.stop()
            shutil.rmtree(tmp, ignore_errors=True)


class HostileQueries(unittest.TestCase):

    def test_odd_queries_do_not_break(self):
        for q in ("'", '"', '\\', '*', 'NEAR(', 'a OR b', '"emilie"', 'emilie*', '-emilie',
                  '()', '^', ';', '🚗', '\t', '%00'):
            with self.subTest(q=q):
                resp = api(SALES, 'GET', '/customers?limit=5&q=' + harness.urlquote(q))
                self.assertIn(resp.status, (200, 400), resp.describe())
                if resp.status == 200:
                    for c in resp.body['items']:
                        self.assertEqual(c['dealer_id'], D['garage-amstel'])
        resp = api(SALES, 'GET', '/customers?limit=5&q=%00emilie')
        self.assertIn(resp.status, (200, 400), resp.describe())
        # Still answering afterwards.
        self.assertIn(C['emilie']['id'], hit_ids('emilie'))


if __name__ == '__main__':
    unittest.main()
