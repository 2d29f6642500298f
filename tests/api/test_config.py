"""Server options (--max-body, --session-ttl, --threads) and a graceful stop."""

import concurrent.futures
import http.client
import json
import shutil
import sqlite3
import time
import unittest
from datetime import datetime, timezone

import harness
from harness import ADMIN, assert_error, expect, unique

SRV = harness.ServerModule(extra_args=['--max-body', '4096', '--session-ttl', '3600',
                                       '--threads', '2'])
T = {}


def setUpModule():
    SRV.up()
    T[ADMIN] = SRV.login(ADMIN)


def tearDownModule():
    SRV.down()


def padded(size):
    body = json.dumps({'slug': unique('mb'), 'name': 'Max body'}).encode()
    return body + b' ' * (size - len(body))


class Options(unittest.TestCase):

    def test_max_body_option(self):
        expect(SRV.request('POST', '/api/v1/brands', raw=padded(4096), token=T[ADMIN]), 201)
        assert_error(SRV.stream('POST', '/api/v1/brands', [padded(4097)], token=T[ADMIN]),
                     413, 'payload_too_large')
        raw = padded(5000)
        assert_error(SRV.stream('POST', '/api/v1/brands', [raw[:1000], raw[1000:]], chunked=True,
                                token=T[ADMIN]), 413, 'payload_too_large')

    def test_session_ttl_option(self):
        body = expect(SRV.login_response(ADMIN), 200)
        left = (harness.parse_time(body['expires_at']) - datetime.now(timezone.utc)).total_seconds()
        self.assertTrue(3600 - 120 < left <= 3600 + 5, 'session lasts %ss, want 3600' % left)
        cookie = SRV.login_response(ADMIN).headers.get('Set-Cookie', '')
        ages = [p.split('=', 1)[1] for p in (x.strip() for x in cookie.split(';'))
                if p.lower().startswith('max-age=')]
        for age in ages:
            self.assertTrue(3600 - 120 < int(age) <= 3600, 'cookie Max-Age %s' % age)

    def test_two_threads_serve_parallel_clients(self):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: SRV.request('GET', '/api/v1/dealers',
                                                          token=T[ADMIN]), range(40)))
        for r in results:
            expect(r, 200)


class GracefulStop(unittest.TestCase):

    @harness.sqlite_only()
    def test_request_in_flight_finishes_after_sigterm(self):
        srv = harness.Server().start()
        try:
            token = srv.login(ADMIN)
            slug = unique('flight')
            raw = json.dumps({'slug': slug, 'name': 'In flight'}).encode()
            conn = http.client.HTTPConnection('127.0.0.1', srv.port, timeout=15)
            conn.putrequest('POST', '/api/v1/brands')
            conn.putheader('Content-Type', 'application/json')
            conn.putheader('Authorization', 'Bearer ' + token)
            conn.putheader('Content-Length', str(len(raw)))
            conn.endheaders()
            conn.send(raw[:5])
            time.sleep(0.3)            # the server has the headers and part of the body
            srv.terminate()
            time.sleep(0.3)
            conn.send(raw[5:])
            resp = conn.getresponse()
            body = json.loads(resp.read())
            conn.close()
            self.assertEqual(resp.status, 201, body)
            self.assertEqual(body['slug'], slug)
        finally:
            srv.stop(keep_files=True)  # exit code 0 and no sanitizer report
        # The write that finished during the stop is in the database.
        try:
            with sqlite3.connect(srv.db) as db:
                slugs = {r[0] for r in db.execute('SELECT slug FROM brands')}
            self.assertIn(slug, slugs)
        finally:
            shutil.rmtree(srv.tmp, ignore_errors=True)


if __name__ == '__main__':
    unittest.main()
