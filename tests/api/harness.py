"""Black-box test harness for the Forecourt HTTP API.

Starts a real `forecourt serve` process on a free loopback port with a fresh
database in a temporary directory, talks to it over HTTP with nothing but the
Python standard library, and checks on shutdown that the process exited
cleanly (exit code 0, no sanitizer report on stderr).

The binary and the web directory come from `run.py --bin/--web`, or from the
environment (FORECOURT_TEST_BIN, FORECOURT_TEST_WEB) when a module is run on
its own with `python3 -m unittest`.

One server per test module: start it in setUpModule and stop it in
tearDownModule. A failed stop raises AssertionError, which unittest reports
as an error of the module, so a leak or a crash at shutdown fails the run.
"""

import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import unittest
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

BIN = os.environ.get('FORECOURT_TEST_BIN') or os.path.join(REPO, 'build', 'forecourt')
WEB = os.environ.get('FORECOURT_TEST_WEB') or os.path.join(REPO, 'web')

DEMO_PASSWORD = 'forecourt-demo'
START_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0
REQUEST_TIMEOUT = 30.0
SANITIZER_MARKS = ('AddressSanitizer', 'LeakSanitizer', 'runtime error:',
                   'ThreadSanitizer')

# The demo accounts (all with DEMO_PASSWORD).
ADMIN = 'admin@forecourt.test'
BRAND_MANAGER = 'hq@aurora.test'
DEALER_ADMIN = 'admin@garage-amstel.test'
SALES = 'sales@garage-amstel.test'
SERVICE_ADVISOR = 'service@garage-amstel.test'
TECHNICIAN = 'tech@garage-amstel.test'
BRUXELLES_ADMIN = 'admin@bruxelles-auto.test'
MONTREAL_SALES = 'sales@montreal-motors.test'
DEMO_USERS = (ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, SERVICE_ADVISOR,
              TECHNICIAN, BRUXELLES_ADMIN, MONTREAL_SALES)

RFC3339 = re.compile(
    r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$')


def configure(bin_path=None, web_dir=None):
    """Set the binary and web directory for every Server made afterwards."""
    global BIN, WEB
    if bin_path:
        BIN = os.path.abspath(bin_path)
        os.environ['FORECOURT_TEST_BIN'] = BIN
    if web_dir:
        WEB = os.path.abspath(web_dir)
        os.environ['FORECOURT_TEST_WEB'] = WEB


def free_port():
    """A loopback port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Response(tuple):
    """(status, headers, body) with attributes and the request for messages.

    headers is an http.client.HTTPMessage (case-insensitive .get, and
    .get_all for repeated headers such as Set-Cookie). body is the parsed
    JSON when the answer says it is JSON and parses, else the raw bytes.
    """

    def __new__(cls, status, headers, body, method='', path='', raw=b''):
        self = super().__new__(cls, (status, headers, body))
        self.status = status
        self.headers = headers
        self.body = body
        self.method = method
        self.path = path
        self.raw = raw
        return self

    def describe(self):
        raw = self.raw
        if len(raw) > 600:
            raw = raw[:600] + b'...'
        return '%s %s -> %s %r' % (self.method, self.path, self.status, raw)


def _decode(headers, raw):
    ctype = (headers.get('Content-Type') or '') if headers is not None else ''
    if raw and 'json' in ctype.lower():
        try:
            return json.loads(raw.decode('utf-8'))
        except (ValueError, UnicodeDecodeError):
            return raw
    return raw


def run_cli(args, timeout=60, env=None):
    """Run the forecourt binary with args; returns CompletedProcess (text)."""
    full_env = dict(os.environ)
    full_env.setdefault('FORECOURT_LOG_LEVEL', 'warn')
    if env:
        full_env.update(env)
    return subprocess.run([BIN] + list(args), capture_output=True, text=True,
                          timeout=timeout, env=full_env,
                          stdin=subprocess.DEVNULL)


def sanitizer_report(text):
    """The first sanitizer mark found in text, or None."""
    for mark in SANITIZER_MARKS:
        if mark in text:
            return mark
    return None


# When set (by tests/pg/cluster.sh), every server gets a fresh database on
# that PostgreSQL cluster instead of a SQLite file: the whole suite runs
# against both stores.
PG_BASE = os.environ.get('FORECOURT_TEST_PG')
_pg_count = [0]


def new_pg_database():
    """Creates an empty database on the test cluster and returns its URL."""
    _pg_count[0] += 1
    name = 'fc_%d_%d' % (os.getpid(), _pg_count[0])
    subprocess.run(['psql', '-q', '-v', 'ON_ERROR_STOP=1', PG_BASE + 'postgres', '-c',
                    'CREATE DATABASE %s' % name], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL)
    return PG_BASE + name


def sqlite_only(reason='reads the SQLite file directly'):
    """Skips a test or module when the suite runs on PostgreSQL."""
    return unittest.skipIf(PG_BASE is not None, reason)


class Server:
    """A `forecourt serve --demo` process on a free loopback port."""

    def __init__(self, demo=True, web_dir=None, extra_args=(), db_path=None):
        self.demo = demo
        self.db_path = db_path
        self.web_dir = web_dir or WEB
        self.extra_args = list(extra_args)
        self.proc = None
        self.tmp = None
        self.port = None
        self.db = None
        self.stderr_path = None
        self.stdout_path = None
        self._stderr = None
        self._stdout = None
        self._signalled = False

    # -- life cycle ---------------------------------------------------------

    def start(self):
        if not os.access(BIN, os.X_OK):
            raise RuntimeError('forecourt binary not found or not executable: %s' % BIN)
        self.tmp = tempfile.mkdtemp(prefix='forecourt-api-')
        if self.db_path:
            self.db = self.db_path
        elif PG_BASE:
            self.db = new_pg_database()
        else:
            self.db = os.path.join(self.tmp, 't.db')
        self.stderr_path = os.path.join(self.tmp, 'stderr.log')
        self.stdout_path = os.path.join(self.tmp, 'stdout.log')
        last_error = None
        for _attempt in range(3):      # a port taken in between: try another
            self.port = free_port()
            args = [BIN, 'serve', '--db', self.db, '--addr', '127.0.0.1',
                    '--port', str(self.port)]
            if self.demo:
                args.append('--demo')
            args += ['--web', self.web_dir] + self.extra_args
            env = dict(os.environ)
            env['FORECOURT_LOG_LEVEL'] = 'warn'
            self._stderr = open(self.stderr_path, 'ab')
            self._stdout = open(self.stdout_path, 'ab')
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                         stdout=self._stdout,
                                         stderr=self._stderr, env=env)
            try:
                self._wait_healthy()
                return self
            except RuntimeError as e:
                last_error = e
                self._kill()
                if 'exited' not in str(e):
                    break
        shutil.rmtree(self.tmp, ignore_errors=True)
        raise last_error

    def _wait_healthy(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                raise RuntimeError('forecourt serve exited with %s before it was healthy; '
                                   'stderr:\n%s' % (code, self.stderr_text()[-4000:]))
            try:
                conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=2)
                conn.request('GET', '/healthz')
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError('forecourt serve not healthy after %ss; stderr:\n%s'
                           % (START_TIMEOUT, self.stderr_text()[-4000:]))

    def _kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self._stderr, self._stdout):
            if f:
                f.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stderr_text(self):
        try:
            with open(self.stderr_path, 'rb') as f:
                return f.read().decode('utf-8', 'replace')
        except OSError:
            return ''

    def terminate(self):
        """Send SIGTERM now; stop() then only waits for the exit and checks it."""
        self._signalled = True
        self.proc.send_signal(signal.SIGTERM)

    def stop(self, keep_files=False):
        """SIGTERM, wait, and raise AssertionError unless the exit was clean.

        The temporary directory (database, logs) is removed after a clean stop
        unless keep_files; the caller then removes it (self.tmp).
        """
        if self.proc is None:
            return
        problems = []
        if self._signalled:
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                problems.append('server did not exit within %ss of SIGTERM' % STOP_TIMEOUT)
        elif self.proc.poll() is not None:
            problems.append('server had already exited with %s before stop'
                            % self.proc.returncode)
        else:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                problems.append('server did not exit within %ss of SIGTERM' % STOP_TIMEOUT)
        code = self.proc.returncode
        if code != 0 and not problems:
            problems.append('server exit code %s after SIGTERM (want 0)' % code)
        for f in (self._stderr, self._stdout):
            if f:
                f.close()
        err = self.stderr_text()
        mark = sanitizer_report(err)
        if mark:
            problems.append('sanitizer report (%s) on stderr' % mark)
        self.proc = None
        if problems:
            keep = self.tmp
            raise AssertionError('%s\n(stderr and db kept in %s)\nstderr tail:\n%s'
                                 % ('; '.join(problems), keep, err[-6000:]))
        if not keep_files:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- HTTP -----------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, token=None, raw=None,
                cookie=None, timeout=REQUEST_TIMEOUT):
        """One request on a new connection; returns Response(status, headers, body).

        body: a Python value sent as JSON (Content-Type: application/json).
        raw: bytes sent as they are (Content-Type application/json unless
        headers says otherwise; a header value of None removes it).
        token: sent as Authorization: Bearer. cookie: fc_session value.
        """
        hdrs = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            hdrs['Content-Type'] = 'application/json'
        if raw is not None:
            data = raw
            hdrs['Content-Type'] = 'application/json'
        if data is None and method in ('POST', 'PUT', 'PATCH'):
            data = b''
        if token is not None:
            hdrs['Authorization'] = 'Bearer ' + token
        if cookie is not None:
            hdrs['Cookie'] = 'fc_session=' + cookie
        for k, v in (headers or {}).items():
            for existing in [h for h in hdrs if h.lower() == k.lower()]:
                del hdrs[existing]
            if v is not None:
                hdrs[k] = v
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            if data is not None:
                conn.putheader('Content-Length', str(len(data)))
            conn.endheaders(data)
            resp = conn.getresponse()
            raw_body = resp.read()
            return Response(resp.status, resp.msg, _decode(resp.msg, raw_body),
                            method, path, raw_body)
        finally:
            conn.close()

    def stream(self, method, path, chunks, headers=None, chunked=False,
               content_length=None, token=None, timeout=REQUEST_TIMEOUT):
        """Send a body piece by piece, stopping early if the server answers.

        With chunked=True the body goes out with Transfer-Encoding: chunked;
        otherwise Content-Length is content_length (or the total of chunks).
        A server that answers before the body is complete (e.g. 413) is read
        as soon as its answer arrives. Returns Response; status None when the
        connection broke without any answer.
        """
        chunks = list(chunks) if not hasattr(chunks, '__next__') else chunks
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            hdrs = {'Content-Type': 'application/json'}
            if token is not None:
                hdrs['Authorization'] = 'Bearer ' + token
            hdrs.update(headers or {})
            for k, v in hdrs.items():
                conn.putheader(k, v)
            if chunked:
                conn.putheader('Transfer-Encoding', 'chunked')
            else:
                if content_length is None:
                    chunks = list(chunks)
                    content_length = sum(len(c) for c in chunks)
                conn.putheader('Content-Length', str(content_length))
            conn.endheaders()
            sock = conn.sock
            try:
                finished = True
                for chunk in chunks:
                    readable, _, _ = select.select([sock], [], [], 0)
                    if readable:
                        finished = False
                        break
                    if chunked:
                        sock.sendall(b'%x\r\n' % len(chunk) + chunk + b'\r\n')
                    else:
                        sock.sendall(chunk)
                if finished and chunked:
                    sock.sendall(b'0\r\n\r\n')
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                resp = conn.getresponse()
                raw_body = resp.read()
            except (ConnectionResetError, http.client.RemoteDisconnected,
                    BrokenPipeError, http.client.IncompleteRead) as e:
                return Response(None, None, None, method, path,
                                ('connection broke without an answer: %r' % e).encode())
            return Response(resp.status, resp.msg, _decode(resp.msg, raw_body),
                            method, path, raw_body)
        finally:
            conn.close()

    def raw_exchange(self, data, timeout=10):
        """Send raw bytes on a socket and return everything read until close/timeout."""
        with socket.create_connection(('127.0.0.1', self.port), timeout=timeout) as s:
            s.sendall(data)
            out = b''
            try:
                while True:
                    piece = s.recv(65536)
                    if not piece:
                        break
                    out += piece
                    if b'\r\n\r\n' in out:
                        head, _, rest = out.partition(b'\r\n\r\n')
                        m = re.search(rb'(?i)content-length:\s*(\d+)', head)
                        if m and len(rest) >= int(m.group(1)):
                            break
            except (socket.timeout, ConnectionResetError):
                pass
            return out

    # -- conveniences ---------------------------------------------------------

    def login_response(self, email, password=DEMO_PASSWORD):
        return self.request('POST', '/api/v1/auth/login',
                            {'email': email, 'password': password})

    def login(self, email, password=DEMO_PASSWORD):
        resp = self.login_response(email, password)
        if resp.status != 200 or not isinstance(resp.body, dict) or 'token' not in resp.body:
            raise AssertionError('login as %s failed: %s' % (email, resp.describe()))
        return resp.body['token']

    def tokens(self, *emails):
        """Log in each account once: {email: token}."""
        return {e: self.login(e) for e in emails}

    def dealer_ids(self, token):
        """{slug: id} of the dealers the caller sees (all pages)."""
        return {d['slug']: d['id'] for d in self.list_all('/api/v1/dealers', token)}

    def brand_ids(self, token):
        return {b['slug']: b['id'] for b in self.list_all('/api/v1/brands', token)}

    def list_all(self, path, token, limit=500):
        """Every item of a list endpoint, following next_cursor."""
        items = []
        cursor = None
        sep = '&' if '?' in path else '?'
        for _ in range(1000):
            url = '%s%slimit=%d' % (path, sep, limit)
            if cursor:
                url += '&cursor=' + urlquote(cursor)
            resp = self.request('GET', url, token=token)
            if resp.status != 200:
                raise AssertionError('listing failed: ' + resp.describe())
            items += resp.body['items']
            cursor = resp.body.get('next_cursor')
            if not cursor:
                return items
        raise AssertionError('list %s never ended' % path)


def urlquote(s):
    from urllib.parse import quote
    return quote(s, safe='')


_counter = [0]


def unique(prefix='t'):
    """A short unique lowercase token usable in slugs and e-mails."""
    _counter[0] += 1
    return '%s-%d-%d' % (prefix, os.getpid() % 100000, _counter[0])


# -- assertions ----------------------------------------------------------------

def expect(resp, status, msg=''):
    """Assert the status; return the body."""
    if isinstance(status, int):
        status = (status,)
    if resp.status not in status:
        raise AssertionError('%swant %s, got %s' % (msg + ': ' if msg else '',
                                                    '/'.join(map(str, status)),
                                                    resp.describe()))
    return resp.body


def assert_error(resp, status, code, fields=None, msg=''):
    """Assert status and the exact error body shape.

    {"error":{"code":code,"message":<non-empty str>[,"fields":{name:str}]}}
    status may be an int or a tuple of allowed ints. fields: names that must
    appear in error.fields, each with a non-empty string message.
    """
    where = (msg + ': ') if msg else ''
    expect(resp, status, msg)
    body = resp.body
    if not isinstance(body, dict):
        raise AssertionError('%serror body is not a JSON object: %s' % (where, resp.describe()))
    ctype = resp.headers.get('Content-Type') or ''
    if 'application/json' not in ctype:
        raise AssertionError('%serror Content-Type %r is not application/json: %s'
                             % (where, ctype, resp.describe()))
    if set(body) != {'error'}:
        raise AssertionError('%serror body must have exactly the key "error": %s'
                             % (where, resp.describe()))
    err = body['error']
    if not isinstance(err, dict):
        raise AssertionError('%s"error" is not an object: %s' % (where, resp.describe()))
    extra = set(err) - {'code', 'message', 'fields'}
    if extra or 'code' not in err or 'message' not in err:
        raise AssertionError('%serror keys must be code, message[, fields]: %s'
                             % (where, resp.describe()))
    if err['code'] != code:
        raise AssertionError('%swant error code %r, got %r: %s'
                             % (where, code, err['code'], resp.describe()))
    if not isinstance(err['message'], str) or not err['message'].strip():
        raise AssertionError('%serror message must be a non-empty string: %s'
                             % (where, resp.describe()))
    if 'fields' in err:
        f = err['fields']
        if not isinstance(f, dict) or not all(isinstance(v, str) and v for v in f.values()):
            raise AssertionError('%serror.fields must map names to non-empty strings: %s'
                                 % (where, resp.describe()))
    for name in fields or ():
        f = err.get('fields')
        if not isinstance(f, dict) or name not in f:
            raise AssertionError('%swant error.fields.%s: %s' % (where, name, resp.describe()))
    return err


def assert_keys(testcase, obj, keys, what='object'):
    """obj is a JSON object holding at least keys (fields may be added, never renamed)."""
    testcase.assertIsInstance(obj, dict, what)
    missing = set(keys) - set(obj)
    testcase.assertFalse(missing, '%s lacks %s: %r' % (what, sorted(missing), obj))


def assert_rfc3339(testcase, value, what='time'):
    testcase.assertIsInstance(value, str, what)
    testcase.assertRegex(value, RFC3339, '%s is not RFC 3339: %r' % (what, value))


def parse_time(value):
    from datetime import datetime
    return datetime.fromisoformat(value.replace('Z', '+00:00'))


class ServerModule:
    """Module-level server holder: srv = ServerModule(); setUpModule = srv.up ..."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.server = None

    def up(self):
        self.server = Server(**self.kwargs).start()

    def down(self):
        if self.server is not None:
            server, self.server = self.server, None
            server.stop()

    def __getattr__(self, name):
        if name in ('kwargs', 'server'):
            raise AttributeError(name)
        if self.server is None:
            raise RuntimeError('the module server is not running')
        return getattr(self.server, name)


if __name__ == '__main__':
    sys.exit('harness.py is a library; run tests/api/run.py')
