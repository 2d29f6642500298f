"""Crash test: bookings under load, the server killed with SIGKILL, restarted on the same
database file.

Every booking that was answered 201 is there after the restart (GET by its manage token, and
on the day board), each booking in the database has exactly one confirmation in the outbox
(dedupe_key 'appointment:<id>:confirm:<sequence>', pending or sent), the database passes
SQLite's integrity check, no resource holds overlapping appointments, and the restarted server
takes new bookings.

The module manages its servers itself: the harness's stop() expects a clean exit, which a
SIGKILL is not. It reads the SQLite file directly, so it is skipped on PostgreSQL.
"""

import datetime as dt
import http.client
import itertools
import json
import os
import shutil
import signal
import sqlite3
import threading
import time
import unittest
from zoneinfo import ZoneInfo

import harness
from harness import ADMIN, expect, unique

AMS = 'Europe/Amsterdam'
ALL_DAYS = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
LOAD_SECONDS = 2.0
THREADS = 4
SLOTS_PER_DAY = 24 * 60 // 5


def sigkill(server):
    """Kills the server process with SIGKILL and waits for it; returns the exit status."""
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=10)
    for f in (getattr(server, '_stderr', None), getattr(server, '_stdout', None)):
        if f:
            f.close()
    code = server.proc.returncode
    server.proc = None       # stop() now does nothing: the files stay for the restart
    return code


def local(day, minutes):
    return (dt.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(AMS)) +
            dt.timedelta(minutes=minutes)).isoformat()


def parse(s):
    return dt.datetime.fromisoformat(s.replace('Z', '+00:00'))


@harness.sqlite_only()
class CrashAndRestart(unittest.TestCase):

    def setUp(self):
        self.first = None
        self.second = None

    def tearDown(self):
        for srv in (self.second, self.first):
            if srv is not None and srv.proc is not None and srv.proc.poll() is None:
                srv.proc.kill()
                srv.proc.wait()
        if self.first is not None and self.first.tmp:
            shutil.rmtree(self.first.tmp, ignore_errors=True)

    def set_up_dealer(self, srv, token):
        slug = unique('crash')
        d = expect(srv.request('POST', '/api/v1/dealers', {'slug': slug, 'name': 'Crash ' + slug,
                                                           'timezone': AMS, 'locale': 'en'},
                               token=token), 201)
        ws = {'opening_hours': {day: [['00:00', '24:00']] for day in ALL_DAYS},
              'resources': [{'id': 'r%d' % i, 'name': 'R%d' % i, 'skills': ['maintenance']}
                            for i in range(4)],
              'services': [{'code': 'quick', 'name': {'en': 'Quick'}, 'duration_min': 5,
                            'skill': 'maintenance', 'price': 1.0}],
              'slot_step_min': 5, 'lead_time_hours': 0, 'horizon_days': 365, 'reserved_share': 0,
              'address': 'Crashweg 1'}
        expect(srv.request('PUT', '/api/v1/dealers/%s/workshop' % d['id'], ws, token=token), 200)
        return d['id'], slug

    def test_sigkill_under_load(self):
        self.first = first = harness.Server().start()
        admin = first.login(ADMIN)
        dealer_id, slug = self.set_up_dealer(first, admin)
        day0 = dt.datetime.now(ZoneInfo(AMS)).date() + dt.timedelta(days=3)
        counter = itertools.count()
        lock = threading.Lock()
        stop = threading.Event()
        answered = []        # (appointment id, manage token, start) of every 201
        others = []          # statuses other than 201 and 409 (with bodies)
        broken = [0]         # requests that got no answer (the kill)
        sent = [0]

        def worker():
            while not stop.is_set():
                with lock:
                    n = next(counter)
                    sent[0] += 1
                day = day0 + dt.timedelta(days=n // SLOTS_PER_DAY)
                start = local(day, 5 * (n % SLOTS_PER_DAY))
                body = {'services': ['quick'], 'start': start,
                        'customer': {'name': 'Crash %d' % n,
                                     'email': 'crash-%d-%d@example.test' % (os.getpid(), n)}}
                conn = http.client.HTTPConnection('127.0.0.1', first.port, timeout=10)
                try:
                    conn.request('POST', '/api/v1/public/dealers/%s/bookings' % slug,
                                 body=json.dumps(body), headers={'Content-Type': 'application/json'})
                    resp = conn.getresponse()
                    raw = resp.read()
                    if resp.status == 201:
                        b = json.loads(raw)
                        with lock:
                            answered.append((b['id'], b['manage_token'], b['start']))
                    elif resp.status != 409:
                        with lock:
                            others.append((resp.status, raw[:300]))
                except (OSError, http.client.HTTPException):
                    with lock:
                        broken[0] += 1
                    if stop.is_set():
                        return
                    time.sleep(0.01)
                finally:
                    conn.close()

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
        for t in threads:
            t.start()
        time.sleep(LOAD_SECONDS)
        code = sigkill(first)              # mid-load: the workers are still sending
        stop.set()
        for t in threads:
            t.join(timeout=15)
        self.assertFalse(any(t.is_alive() for t in threads), 'a worker hung')
        self.assertEqual(code, -signal.SIGKILL)
        self.assertIsNone(harness.sanitizer_report(first.stderr_text()),
                          first.stderr_text()[-3000:])
        self.assertEqual(others, [], 'answers other than 201 and 409 under load')
        self.assertGreater(len(answered), 20, 'too little load to mean anything (%d bookings)'
                           % len(answered))

        # Restart on the same file.
        self.second = second = harness.Server(demo=False, db_path=first.db).start()
        admin = second.login(ADMIN)
        for aid, token, start in answered:
            v = second.request('GET', '/api/v1/public/bookings/' + token)
            self.assertEqual(v.status, 200, 'booking %s answered 201 but is gone: %s'
                             % (aid, v.describe()))
            self.assertEqual((v.body['id'], v.body['start'], v.body['status']),
                             (aid, start, 'booked'))

        con = sqlite3.connect('file:%s?mode=ro' % first.db, uri=True, timeout=10)
        try:
            self.assertEqual(con.execute('PRAGMA integrity_check').fetchone()[0], 'ok')
            stored = [r[0] for r in con.execute(
                'SELECT id FROM appointments WHERE dealer_id = ?', (dealer_id,))]
            confirms = {}
            for key, status in con.execute(
                    "SELECT dedupe_key, status FROM outbox WHERE dealer_id = ? "
                    "AND dedupe_key LIKE 'appointment:%:confirm:%'", (dealer_id,)):
                aid = key.split(':')[1]
                confirms.setdefault(aid, []).append((key, status))
        finally:
            con.close()
        self.assertTrue(set(a for a, _, _ in answered) <= set(stored))
        self.assertLessEqual(len(stored), sent[0])
        for aid in stored:
            rows = confirms.get(aid, [])
            self.assertEqual(len(rows), 1, 'appointment %s: confirmations %r' % (aid, rows))
            self.assertIn(rows[0][1], ('pending', 'sent'), rows)
        self.assertEqual(set(confirms) - set(stored), set(), 'confirmations of no appointment')

        # The day boards: every answered booking is there, nothing overlaps.
        days = sorted({parse(s).date() for _, _, s in answered})
        on_board = set()
        for day in days:
            b = expect(second.request('GET', '/api/v1/appointments?dealer_id=%s&date=%s'
                                      % (dealer_id, day.isoformat()), token=admin), 200)
            for r in b['resources']:
                appts = sorted(r['appointments'], key=lambda a: parse(a['start']))
                for x, y in zip(appts, appts[1:]):
                    self.assertLessEqual(parse(x['end']), parse(y['start']),
                                         'overlap on %s' % r['id'])
                on_board |= {a['id'] for a in appts}
        self.assertTrue(set(a for a, _, _ in answered) <= on_board)

        # The restarted server takes bookings.
        later = local(day0 + dt.timedelta(days=200), 600)
        expect(second.request('POST', '/api/v1/public/dealers/%s/bookings' % slug,
                              {'services': ['quick'], 'start': later,
                               'customer': {'name': 'After', 'email': 'after@example.test'}}), 201)
        second.stop()
        self.second = None


if __name__ == '__main__':
    unittest.main()
