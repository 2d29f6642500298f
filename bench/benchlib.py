"""Shared by the benchmark helpers: the HTTP API and a read-only look at the database.

The database is read directly only to choose realistic inputs (which dealers are
big, what their customers are called); every measured figure goes through HTTP.
"""
import json
import subprocess
import urllib.error
import urllib.request

PASSWORD = 'forecourt-bench'


def call(base, method, path, body=None, token=None, timeout=60):
    """(status, decoded JSON or None)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header('Content-Type', 'application/json')
    if token:
        req.add_header('Authorization', 'Bearer ' + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw) if raw else None
        except ValueError:
            return e.code, None


def login(base, email, password=PASSWORD):
    st, body = call(base, 'POST', '/api/v1/auth/login', {'email': email, 'password': password})
    if st != 200:
        raise SystemExit('login %s failed: %s %s' % (email, st, body))
    return body['token']


class DB:
    """Read-only SQL on an SQLite file (python's sqlite3) or a postgres:// URL (psql)."""

    def __init__(self, url):
        self.url = url
        self.pg = url.startswith('postgres')
        if not self.pg:
            import sqlite3
            self.conn = sqlite3.connect('file:%s?mode=ro' % url, uri=True, timeout=30)

    def rows(self, sql, *args):
        if self.pg:
            for a in args:  # values are ids and numbers chosen here, quoted all the same
                sql = sql.replace('?', "'%s'" % str(a).replace("'", "''"), 1)
            out = subprocess.run(['psql', '-X', '-q', '-At', '-F', '\t', self.url, '-c', sql],
                                 check=True, capture_output=True, text=True).stdout
            return [tuple(None if v == '' else v for v in line.split('\t')) for line in out.splitlines()]
        return self.conn.execute(sql, args).fetchall()
