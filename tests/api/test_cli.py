"""The command line: help, migrate, user add (live server), backup (live server)."""

import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import unittest

import harness
from harness import ADMIN, assert_error, expect, run_cli, unique

SRV = harness.ServerModule()
T = {}
D = {}
B = {}
TMP = []


def setUpModule():
    if harness.PG_BASE:
        raise unittest.SkipTest('the command line is tested on SQLite files')
    SRV.up()
    T.update(SRV.tokens(ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))
    B.update(SRV.brand_ids(T[ADMIN]))
    TMP.append(tempfile.mkdtemp(prefix='forecourt-cli-'))


def tearDownModule():
    try:
        SRV.down()
    finally:
        shutil.rmtree(TMP[0], ignore_errors=True)


def tmp(name):
    return os.path.join(TMP[0], name)


def clean(testcase, proc):
    """No sanitizer report from a CLI run."""
    mark = harness.sanitizer_report(proc.stderr + proc.stdout)
    testcase.assertIsNone(mark, 'sanitizer report from the CLI:\n' + proc.stderr[-4000:])


def tables(path):
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


class Help(unittest.TestCase):

    def test_help(self):
        p = run_cli(['--help'])
        clean(self, p)
        self.assertEqual(p.returncode, 0, p.stderr)
        text = (p.stdout + p.stderr).lower()
        for word in ('serve', 'migrate', 'user', 'backup'):
            self.assertIn(word, text)

    def test_serve_help(self):
        p = run_cli(['serve', '--help'])
        clean(self, p)
        self.assertEqual(p.returncode, 0, p.stderr)
        text = p.stdout + p.stderr
        for opt in ('--db', '--addr', '--port', '--demo'):
            self.assertIn(opt, text)

    def test_unknown_command_and_option(self):
        for args in (['frobnicate'], ['serve', '--no-such-option'], ['user', 'add'],
                     ['serve', '--port', 'notanumber'], ['serve', '--port', '70000']):
            with self.subTest(args=args):
                p = run_cli(args + ['--db', tmp(unique('bad') + '.db')], timeout=15)
                clean(self, p)
                self.assertNotEqual(p.returncode, 0, 'accepted %r' % args)
                self.assertTrue(p.stderr.strip(), 'no message on stderr for %r' % args)


class Migrate(unittest.TestCase):

    def test_migrate_new_database_twice(self):
        path = tmp('migrated.db')
        p = run_cli(['migrate', '--db', path])
        clean(self, p)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('dealers', tables(path))
        before = tables(path)
        p = run_cli(['migrate', '--db', path])
        clean(self, p)
        self.assertEqual(p.returncode, 0, 'second migrate failed: ' + p.stderr)
        self.assertEqual(tables(path), before)

    def test_migrate_then_user_add_then_serve(self):
        path = tmp('fresh.db')
        self.assertEqual(run_cli(['migrate', '--db', path]).returncode, 0)
        p = run_cli(['user', 'add', '--email', 'first@example.test', '--password',
                     'first-admin-pw', '--role', 'admin', '--db', path])
        clean(self, p)
        self.assertEqual(p.returncode, 0, p.stderr)
        with sqlite3.connect(path) as db:
            self.assertEqual(db.execute('SELECT count(*) FROM dealers').fetchone()[0], 0,
                             'migrate must not load the demo network')
        srv = harness.Server(demo=False, db_path=path).start()
        try:
            token = srv.login('first@example.test', 'first-admin-pw')
            me = expect(srv.request('GET', '/api/v1/me', token=token), 200)
            self.assertEqual(me['user']['role'], 'admin')
            self.assertEqual(srv.list_all('/api/v1/dealers', token), [])
            assert_error(srv.login_response(ADMIN), 401, 'unauthenticated')
        finally:
            srv.stop()

    def test_migrate_unwritable_path(self):
        p = run_cli(['migrate', '--db', '/nonexistent-dir/x/y.db'])
        clean(self, p)
        self.assertNotEqual(p.returncode, 0)


class UserAdd(unittest.TestCase):

    def add(self, *args):
        p = run_cli(['user', 'add'] + list(args) + ['--db', SRV.db])
        clean(self, p)
        return p

    def test_shell_user_can_log_in(self):
        email = unique('shell') + '@example.test'
        p = self.add('--email', email, '--password', 'shell-password', '--role', 'sales',
                     '--dealer', D['garage-amstel'])
        self.assertEqual(p.returncode, 0, p.stderr)
        body = expect(SRV.login_response(email, 'shell-password'), 200)
        self.assertEqual(body['user']['role'], 'sales')
        self.assertEqual(body['user']['dealer_id'], D['garage-amstel'])
        users = {u['email']: u for u in SRV.list_all('/api/v1/users', T[ADMIN])}
        self.assertIn(email, users)
        # The shell's write is audited too, as the system.
        entries = [e for e in SRV.list_all('/api/v1/audit', T[ADMIN])
                   if e['entity_id'] == body['user']['id']]
        self.assertEqual(len(entries), 1, entries)
        self.assertEqual(entries[0]['action'], 'user.create')
        self.assertEqual(entries[0].get('actor_kind'), 'system')
        self.assertNotIn('shell-password', str(entries[0]))

    def test_shell_admin_and_brand_manager(self):
        email = unique('root') + '@example.test'
        self.assertEqual(self.add('--email', email, '--password', 'shell-admin-pw', '--role',
                                  'admin').returncode, 0)
        self.assertEqual(expect(SRV.login_response(email, 'shell-admin-pw'), 200)['user']['role'],
                         'admin')
        email = unique('hq') + '@example.test'
        self.assertEqual(self.add('--email', email, '--password', 'shell-hq-pass', '--role',
                                  'brand_manager', '--brand', B['cirrus']).returncode, 0)
        user = expect(SRV.login_response(email, 'shell-hq-pass'), 200)['user']
        self.assertEqual((user['role'], user['brand_id']), ('brand_manager', B['cirrus']))

    def test_refused_user_adds(self):
        cases = [
            ('bad role', ['--email', unique('x') + '@example.test', '--password', 'long-enough-pw',
                          '--role', 'superuser']),
            ('dealer role without dealer', ['--email', unique('x') + '@example.test',
                                            '--password', 'long-enough-pw', '--role', 'sales']),
            ('unknown dealer', ['--email', unique('x') + '@example.test', '--password',
                                'long-enough-pw', '--role', 'sales', '--dealer',
                                '01ZZZZZZZZZZZZZZZZZZZZZZZZ']),
            ('duplicate e-mail', ['--email', 'SALES@garage-amstel.test', '--password',
                                  'long-enough-pw', '--role', 'sales', '--dealer',
                                  D['garage-amstel']]),
            ('short password', ['--email', unique('x') + '@example.test', '--password', 'short',
                                '--role', 'admin']),
        ]
        for what, args in cases:
            with self.subTest(what):
                p = self.add(*args)
                self.assertNotEqual(p.returncode, 0, what)
                self.assertTrue(p.stderr.strip(), 'no message for ' + what)
        expect(SRV.request('GET', '/healthz'), 200)


class Backup(unittest.TestCase):

    def test_backup_while_serving(self):
        slug = unique('bk')
        expect(SRV.request('POST', '/api/v1/brands', {'slug': slug, 'name': 'Backed up'},
                           token=T[ADMIN]), 201)
        out = tmp('backup.db')
        p = run_cli(['backup', '--to', out, '--db', SRV.db])
        clean(self, p)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.getsize(out) > 0)
        with open(out, 'rb') as f:
            self.assertEqual(f.read(16), b'SQLite format 3\x00')
        with sqlite3.connect(out) as db:
            self.assertEqual(db.execute('PRAGMA integrity_check').fetchone()[0], 'ok')
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            self.assertIn('dealers', names)
            cols = [r[1] for r in db.execute('PRAGMA table_info(dealers)')]
            self.assertIn('slug', cols)
            slugs = {r[0] for r in db.execute('SELECT slug FROM dealers')}
            self.assertTrue({'garage-amstel', 'bruxelles-auto', 'montreal-motors'} <= slugs, slugs)
            self.assertIn('brands', names)
            brand_cols = [r[1] for r in db.execute('PRAGMA table_info(brands)')]
            if 'slug' in brand_cols:
                self.assertIn(slug, {r[0] for r in db.execute('SELECT slug FROM brands')},
                              'a committed write is missing from the backup')
        # The server is still fine.
        expect(SRV.request('GET', '/api/v1/dealers', token=T[ADMIN]), 200)

    def test_no_secret_is_stored_in_clear(self):
        key = expect(SRV.request('POST', '/api/v1/api-keys',
                                 {'name': 'stored?', 'dealer_id': D['garage-amstel']},
                                 token=T[ADMIN]), 201)['key']
        out = tmp('secrets.db')
        self.assertEqual(run_cli(['backup', '--to', out, '--db', SRV.db]).returncode, 0)
        texts = []
        with sqlite3.connect(out) as db:
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
                for row in db.execute('SELECT * FROM "%s"' % table.replace('"', '""')):
                    texts += [v if isinstance(v, str) else v.decode('latin-1')
                              for v in row if isinstance(v, (str, bytes))]
        blob = '\n'.join(texts)
        self.assertNotIn(T[ADMIN], blob, 'a session token is stored in clear')
        self.assertNotIn(T[ADMIN][4:], blob, 'a session token is stored in clear')
        self.assertNotIn(key, blob, 'an API key is stored in clear')
        self.assertNotIn(key[4:], blob, 'an API key is stored in clear')
        self.assertNotIn(harness.DEMO_PASSWORD, blob, 'a password is stored in clear')
        self.assertIn('$argon2id$', blob, 'passwords are not argon2id hashes')

    def test_backup_serves_again(self):
        out = tmp('backup2.db')
        p = run_cli(['backup', '--to', out, '--db', SRV.db])
        self.assertEqual(p.returncode, 0, p.stderr)
        # A backup is a working database: serve it and sign in.
        srv = harness.Server(demo=False, db_path=out).start()
        try:
            token = srv.login(ADMIN)
            slugs = {d['slug'] for d in srv.list_all('/api/v1/dealers', token)}
            self.assertIn('garage-amstel', slugs)
        finally:
            srv.stop()

    def test_backup_to_bad_place(self):
        p = run_cli(['backup', '--to', '/nonexistent-dir/b.db', '--db', SRV.db])
        clean(self, p)
        self.assertNotEqual(p.returncode, 0)
        self.assertTrue(p.stderr.strip())


class Serve(unittest.TestCase):

    def test_port_in_use_fails_fast(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(('127.0.0.1', 0))
            s.listen(1)
            port = s.getsockname()[1]
            try:
                p = subprocess.run([harness.BIN, 'serve', '--db', tmp(unique('port') + '.db'),
                                    '--addr', '127.0.0.1', '--port', str(port), '--web',
                                    harness.WEB], capture_output=True, text=True, timeout=20,
                                   stdin=subprocess.DEVNULL,
                                   env=dict(os.environ, FORECOURT_LOG_LEVEL='warn'))
            except subprocess.TimeoutExpired:
                self.fail('serve kept running on a port already in use')
        clean(self, p)
        self.assertNotEqual(p.returncode, 0)
        self.assertTrue(p.stderr.strip(), 'no message for a port in use')


if __name__ == '__main__':
    unittest.main()
