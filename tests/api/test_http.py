"""HTTP and JSON edge cases: 404/405, size limit, media type, malformed bodies, hostile input."""

import concurrent.futures
import http.client
import json
import unittest

import harness
from harness import ADMIN, SALES, assert_error, expect, unique

SRV = harness.ServerModule()
T = {}
D = {}
B = {}
MIB = 1024 * 1024


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    B.update(SRV.brand_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


def brand_post(raw=None, body=None, headers=None):
    return SRV.request('POST', '/api/v1/brands', body, raw=raw, headers=headers, token=T[ADMIN])


def healthy(testcase):
    testcase.assertEqual(expect(SRV.request('GET', '/healthz'), 200), {'status': 'ok'})
    testcase.assertTrue(SRV.alive(), 'server process died')


class Routing(unittest.TestCase):

    def test_unknown_paths_are_json_404(self):
        for path in ('/api/v1/nope', '/api/v1/', '/api/v2/dealers', '/api/v1/dealers/x/y/z',
                     '/api/v1/brandsx', '/no-such-file.html'):
            with self.subTest(path):
                assert_error(SRV.request('GET', path, token=T[ADMIN]), 404, 'not_found')

    def test_unknown_api_path_without_credentials_is_still_404_json(self):
        assert_error(SRV.request('GET', '/api/v1/nope'), 404, 'not_found')

    def test_method_not_allowed(self):
        cases = [('DELETE', '/api/v1/brands', {'GET', 'POST'}),
                 ('PUT', '/api/v1/brands', {'GET', 'POST'}),
                 ('PUT', '/api/v1/dealers/' + D['garage-amstel'], {'GET', 'PATCH'}),
                 ('DELETE', '/api/v1/dealers/' + D['garage-amstel'], {'GET', 'PATCH'}),
                 ('GET', '/api/v1/auth/login', {'POST'}),
                 ('GET', '/api/v1/api-keys', {'POST'})]
        for method, path, allowed in cases:
            with self.subTest(method=method, path=path):
                resp = SRV.request(method, path, token=T[ADMIN])
                assert_error(resp, 405, 'method_not_allowed')
                allow = resp.headers.get('Allow')
                self.assertIsNotNone(allow, '405 without Allow')
                got = {m.strip().upper() for m in allow.split(',') if m.strip()}
                self.assertTrue(allowed <= got, 'Allow %r lacks %s' % (allow, allowed - got))
                self.assertNotIn(method, got)

    def test_request_id_and_no_store_on_every_answer(self):
        cases = [('GET', '/api/v1/me', T[ADMIN]), ('GET', '/api/v1/me', None),
                 ('GET', '/api/v1/nope', T[ADMIN]), ('DELETE', '/api/v1/brands', T[ADMIN]),
                 ('GET', '/healthz', None), ('POST', '/api/v1/brands', T[SALES])]
        ids = set()
        for method, path, token in cases:
            with self.subTest(method=method, path=path, signed_in=token is not None):
                resp = SRV.request(method, path, {} if method == 'POST' else None, token=token)
                rid = resp.headers.get('X-Request-Id')
                self.assertTrue(rid, 'no X-Request-Id: ' + resp.describe())
                ids.add(rid)
                self.assertEqual(resp.headers.get('Cache-Control'), 'no-store', resp.describe())
        self.assertEqual(len(ids), len(cases), 'request ids repeat')

    def test_json_content_type_on_api_answers(self):
        for path in ('/api/v1/me', '/api/v1/dealers', '/healthz'):
            with self.subTest(path):
                resp = SRV.request('GET', path, token=T[ADMIN])
                expect(resp, 200)
                self.assertIn('application/json', resp.headers.get('Content-Type', ''))


class BodyLimits(unittest.TestCase):

    def test_exactly_one_mib_is_accepted(self):
        body = json.dumps({'slug': unique('big'), 'name': 'Big but fine'}).encode()
        raw = body + b' ' * (MIB - len(body))
        self.assertEqual(len(raw), MIB)
        expect(brand_post(raw=raw), 201)

    def test_over_one_mib_with_content_length(self):
        body = json.dumps({'slug': unique('big'), 'name': 'x' * MIB}).encode()
        self.assertGreater(len(body), MIB)
        chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)]
        resp = SRV.stream('POST', '/api/v1/brands', chunks, token=T[ADMIN])
        assert_error(resp, 413, 'payload_too_large')
        healthy(self)

    def test_one_byte_over(self):
        body = json.dumps({'slug': unique('big'), 'name': 'Big'}).encode()
        raw = body + b' ' * (MIB + 1 - len(body))
        resp = SRV.stream('POST', '/api/v1/brands', [raw[:MIB // 2], raw[MIB // 2:]],
                          token=T[ADMIN])
        assert_error(resp, 413, 'payload_too_large')

    def test_huge_declared_length_is_refused_early(self):
        # Only a little of the announced 200 MiB is ever sent: the server must
        # answer from the Content-Length alone, not wait for the rest.
        resp = SRV.stream('POST', '/api/v1/brands', [b'{"slug":'], content_length=200 * MIB,
                          token=T[ADMIN], timeout=10)
        assert_error(resp, 413, 'payload_too_large')
        healthy(self)

    def test_over_one_mib_chunked(self):
        chunks = [b'{"slug":"chunky","name":"'] + [b'y' * 65536] * 20 + [b'"}']
        self.assertGreater(sum(map(len, chunks)), MIB)
        resp = SRV.stream('POST', '/api/v1/brands', chunks, chunked=True, token=T[ADMIN])
        assert_error(resp, 413, 'payload_too_large')
        healthy(self)
        slugs = {b['slug'] for b in SRV.list_all('/api/v1/brands', T[ADMIN])}
        self.assertNotIn('chunky', slugs)

    def test_small_chunked_body_is_accepted(self):
        slug = unique('chunk')
        raw = json.dumps({'slug': slug, 'name': 'Chunked'}).encode()
        resp = SRV.stream('POST', '/api/v1/brands', [raw[:10], raw[10:]], chunked=True,
                          token=T[ADMIN])
        self.assertEqual(expect(resp, 201)['slug'], slug)


class MediaTypeAndJson(unittest.TestCase):

    def test_wrong_content_type(self):
        raw = json.dumps({'slug': unique('ct'), 'name': 'CT'}).encode()
        for ctype in ('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data',
                      'application/jsonx', 'text/json-not'):
            with self.subTest(ctype):
                assert_error(brand_post(raw=raw, headers={'Content-Type': ctype}), 415,
                             'unsupported_media_type')

    def test_json_with_charset_is_fine(self):
        slug = unique('cs')
        raw = json.dumps({'slug': slug, 'name': 'Charset'}).encode()
        resp = brand_post(raw=raw, headers={'Content-Type': 'application/json; charset=utf-8'})
        self.assertEqual(expect(resp, 201)['slug'], slug)

    def test_malformed_bodies(self):
        cases = {
            'truncated': b'{"slug":',
            'trailing garbage': b'{"slug":"a-b","name":"x"} extra',
            'single quotes': b"{'slug':'a','name':'b'}",
            'array': b'[1,2]',
            'string': b'"just a string"',
            'number': b'42',
            'null': b'null',
            'empty': b'',
            'duplicate-free junk': b'\x00\x01\x02',
            'invalid utf-8': b'{"slug":"utf","name":"\xff\xfe"}',
            'lone surrogate': b'{"slug":"sur","name":"\\ud800"}',
            'comment': b'{"slug":"cm", /* hi */ "name":"x"}',
        }
        for what, raw in cases.items():
            with self.subTest(what):
                assert_error(brand_post(raw=raw), 400, 'bad_request')
        healthy(self)

    def test_wrong_types_and_unknown_fields(self):
        for body in ({'slug': unique('wt'), 'name': 5}, {'slug': 7, 'name': 'x'},
                     {'slug': unique('wt'), 'name': ['x']},
                     {'slug': unique('wt'), 'name': {'en': 'x'}}, {'slug': unique('wt'),
                                                                   'name': True},
                     {'slug': unique('wt'), 'name': 'x', 'extra': 1}):
            with self.subTest(body=body):
                assert_error(brand_post(body=body), 400, 'bad_request')
        # null for a required string: malformed (400) or missing (422), either is fair.
        resp = brand_post(body={'slug': unique('wt'), 'name': None})
        assert_error(resp, (400, 422), 'bad_request' if resp.status == 400 else 'validation_failed')

    def test_deep_nesting(self):
        for raw in (b'[' * 10000, b'[' * 10000 + b']' * 10000,
                    b'{"a":' * 10000 + b'1' + b'}' * 10000,
                    b'{"slug":"deep","name":' + b'[' * 100000 + b']' * 100000 + b'}'):
            with self.subTest(size=len(raw)):
                assert_error(brand_post(raw=raw), 400, 'bad_request')
        healthy(self)

    def test_nul_in_strings(self):
        for body in ({'slug': unique('nul'), 'name': 'a\u0000b'},
                     {'slug': 'nul\u0000x', 'name': 'NUL'}):
            with self.subTest(body=body):
                resp = brand_post(body=body)
                self.assertIn(resp.status, (400, 422), resp.describe())
                assert_error(resp, resp.status,
                             'bad_request' if resp.status == 400 else 'validation_failed')
        for email, password in (('admin@forecourt.test\u0000junk', harness.DEMO_PASSWORD),):
            resp = SRV.request('POST', '/api/v1/auth/login', {'email': email,
                                                              'password': password})
            self.assertIn(resp.status, (400, 401, 422), resp.describe())
        healthy(self)

    def test_long_field_values_do_not_crash(self):
        resp = brand_post(body={'slug': unique('long'), 'name': 'n' * 200000})
        self.assertIn(resp.status, (201, 422), resp.describe())
        healthy(self)


class HostileAndInternational(unittest.TestCase):

    INJECTION = "Robert'); DROP TABLE dealers;--"

    def test_sql_looking_strings_are_stored_literally(self):
        brand = expect(brand_post(body={'slug': unique('sql'), 'name': self.INJECTION}), 201)
        self.assertEqual(brand['name'], self.INJECTION)
        d = expect(SRV.request('POST', '/api/v1/dealers',
                               {'slug': unique('sql'), 'name': self.INJECTION,
                                'timezone': 'UTC', 'locale': 'en', 'brand_ids': [brand['id']]},
                               token=T[ADMIN]), 201)
        self.assertEqual(expect(SRV.request('GET', '/api/v1/dealers/' + d['id'],
                                            token=T[ADMIN]), 200)['name'], self.INJECTION)
        user = expect(SRV.request('POST', '/api/v1/users',
                                  {'email': unique('sql') + '@example.test', 'name': self.INJECTION,
                                   'password': "'; DROP TABLE users;--", 'role': 'sales',
                                   'dealer_id': d['id']}, token=T[ADMIN]), 201)
        self.assertEqual(user['name'], self.INJECTION)
        expect(SRV.login_response(user['email'], "'; DROP TABLE users;--"), 200)
        slugs = {x['slug'] for x in SRV.list_all('/api/v1/dealers', T[ADMIN])}
        self.assertTrue({'garage-amstel', 'bruxelles-auto', 'montreal-motors'} <= slugs)
        for q in ("/api/v1/dealers/1'%20OR%20'1'='1", "/api/v1/dealers?limit=1;DROP%20TABLE%20x",
                  "/api/v1/audit?dealer_id=x'%20OR%201=1--"):
            with self.subTest(q):
                resp = SRV.request('GET', q, token=T[ADMIN])
                self.assertIn(resp.status, (400, 404), resp.describe())

    def test_login_injection(self):
        assert_error(SRV.login_response("admin@forecourt.test' --", 'x'), 401, 'unauthenticated')
        assert_error(SRV.login_response("' OR '1'='1", "' OR '1'='1"), 401, 'unauthenticated')

    def test_unicode_round_trips(self):
        names = ['\u00c9milie Dubois', 'J\u00fcrgen M\u00fcller', '\u674e\u5c0f\u9f99',
                 'Garage \U0001F697\U0001F527', 'E\u0301milie (decomposed)',
                 '\u0645\u0631\u0622\u0628 \u0627\u0644\u0639\u0631\u0628',
                 'Zero\u200bWidth']
        for name in names:
            with self.subTest(name=name):
                b = expect(brand_post(body={'slug': unique('uni'), 'name': name}), 201)
                self.assertEqual(b['name'], name)
                listed = {x['id']: x['name'] for x in SRV.list_all('/api/v1/brands', T[ADMIN])}
                self.assertEqual(listed[b['id']], name)
                d = expect(SRV.request('POST', '/api/v1/dealers',
                                       {'slug': unique('uni'), 'name': name, 'timezone': 'UTC',
                                        'locale': 'en', 'brand_ids': []}, token=T[ADMIN]), 201)
                self.assertEqual(expect(SRV.request('GET', '/api/v1/dealers/' + d['id'],
                                                    token=T[ADMIN]), 200)['name'], name)

    def test_escaped_unicode_in_request(self):
        raw = ('{"slug":"%s","name":"\\u00c9milie \\ud83d\\ude97"}' % unique('esc')).encode()
        b = expect(brand_post(raw=raw), 201)
        self.assertEqual(b['name'], '\u00c9milie \U0001F697')


class Connections(unittest.TestCase):

    def test_keep_alive(self):
        # Several requests on one HTTP/1.1 connection, none answered with Connection: close.
        conn = http.client.HTTPConnection('127.0.0.1', SRV.port, timeout=10)
        try:
            conn.connect()
            sock = conn.sock
            for path in ('/healthz', '/api/v1/me', '/api/v1/dealers', '/api/v1/nope', '/healthz'):
                with self.subTest(path):
                    conn.request('GET', path, headers={'Authorization': 'Bearer ' + T[ADMIN]})
                    resp = conn.getresponse()
                    resp.read()
                    self.assertIn(resp.status, (200, 404))
                    self.assertNotEqual((resp.getheader('Connection') or '').lower(), 'close',
                                        'server closes the connection after ' + path)
                    self.assertIs(conn.sock, sock, 'the connection was not kept')
            body = json.dumps({'slug': unique('ka'), 'name': 'Keep alive'})
            conn.request('POST', '/api/v1/brands', body=body,
                         headers={'Authorization': 'Bearer ' + T[ADMIN],
                                  'Content-Type': 'application/json'})
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 201)
            self.assertIs(conn.sock, sock)
        finally:
            conn.close()

    def test_very_long_url_and_header(self):
        resp = SRV.request('GET', '/api/v1/dealers?limit=10&x=' + 'a' * 200000, token=T[ADMIN])
        self.assertIn(resp.status, (400, 414, 431), resp.describe())
        resp = SRV.request('GET', '/api/v1/me', token=T[ADMIN], headers={'X-Junk': 'j' * 200000})
        self.assertIn(resp.status, (200, 400, 431), resp.describe())
        healthy(self)


class Concurrency(unittest.TestCase):

    def test_many_parallel_requests(self):
        paths = ['/api/v1/dealers', '/api/v1/me', '/api/v1/brands', '/api/v1/users',
                 '/api/v1/dealers/' + D['garage-amstel'], '/healthz']
        jobs = [(paths[i % len(paths)], T[ADMIN] if i % 2 else T[SALES]) for i in range(120)]
        with concurrent.futures.ThreadPoolExecutor(24) as pool:
            results = list(pool.map(lambda j: SRV.request('GET', j[0], token=j[1]), jobs))
        for r in results:
            expect(r, 200)
        healthy(self)

    def test_parallel_writes(self):
        slugs = [unique('par') for _ in range(40)]
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda s: brand_post(body={'slug': s, 'name': s}), slugs))
        for r in results:
            expect(r, 201)
        listed = {b['slug'] for b in SRV.list_all('/api/v1/brands', T[ADMIN])}
        self.assertTrue(set(slugs) <= listed)
        self.assertEqual(len({r.body['id'] for r in results}), 40)

    def test_garbage_on_the_wire(self):
        for data in (b'\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03' + b'\x00' * 64,
                     b'GET / HTTP/9.9\r\n\r\n',
                     b'GARBAGE\r\n\r\n',
                     b'GET /api/v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
                     b'POST /api/v1/brands HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n'
                     b'Transfer-Encoding: chunked\r\n\r\nzzzz\r\n'):
            with self.subTest(data=data[:30]):
                SRV.raw_exchange(data, timeout=3)
                healthy(self)


if __name__ == '__main__':
    unittest.main()
