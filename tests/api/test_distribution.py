"""Distribution keys (migration 0009): the schema can be distributed by dealer.

On PostgreSQL, read from the catalog after the migrations: every table that
has a dealer_id column, except the reference tables, has a primary key, and
the primary key and every unique index include dealer_id; every foreign key
from such a table to another names dealer_id on both sides, paired. Checked
on a new database (the module's server) and on one upgraded with data: a
network seeded at the schema before 0009 (forecourt seed --scale small, the
later migrations marked as applied so they wait), then `forecourt migrate`,
then the same row counts, the same checks, and a server on the upgraded
database that books, finds the booking by its manage link and reads a
customer.

On SQLite the keys stay as they are (a file is never distributed); what the
shared SQL needs is checked there instead: the unique index the booking's
ON CONFLICT (dealer_id, reference) names, and audit entries without a dealer
stored as ''. The PostgreSQL tests are skipped (and reported so) on SQLite,
and the SQLite ones on PostgreSQL.
"""

import os
import re
import sqlite3
import subprocess
import unittest

import harness
from harness import ADMIN, expect, unique

SRV = harness.ServerModule()
PG = harness.PG_BASE is not None
PG_ONLY = unittest.skipUnless(PG, 'PostgreSQL only: runs in api_postgres (FORECOURT_TEST_PG)')
SQLITE_ONLY = unittest.skipIf(PG, 'SQLite only: reads the SQLite file')

# Installation-wide tables, replicated to every node when distributed; the
# ones with a dealer_id column are dealer_brands, users and api_keys.
REFERENCE_TABLES = ('brands', 'dealers', 'dealer_brands', 'users', 'settings', 'sessions',
                    'api_keys', 'vehicles', 'idempotency', 'schema_migrations')
# Tables that must be among the distributed ones, so the checks are not vacuous.
DEALER_TABLES = {'customers', 'dealer_vehicles', 'ownerships', 'vehicle_readings', 'consents',
                 'suppressions', 'events', 'workshops', 'appointments', 'holds', 'tire_sets',
                 'outbox', 'leads', 'lead_settings', 'audit'}
FIRST_VERSION = 9   # the migration that made the keys; later ones wait with it
MIGRATIONS = os.path.join(harness.REPO, 'src', 'store', 'migrations')
SEED_ADMIN = 'admin@network.test'
SEED_PASSWORD = 'forecourt-bench'


def setUpModule():
    SRV.up()


def tearDownModule():
    SRV.down()


def psql(url, sql):
    """Rows of sql's answer on url, each a list of strings."""
    p = subprocess.run(['psql', '-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1',
                        url, '-c', sql], capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise AssertionError('psql failed (%s): %s\n%s' % (p.returncode, sql, p.stderr))
    return [line.split('|') for line in p.stdout.splitlines() if line]


DEALER_TABLES_SQL = """
  SELECT c.oid, c.relname, a.attnum AS dealer_att
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'dealer_id' AND NOT a.attisdropped
   WHERE c.relkind IN ('r', 'p') AND c.relname NOT IN (%s)
""" % ', '.join("'%s'" % t for t in REFERENCE_TABLES)


def key_report(url):
    """(dealer tables, problems, foreign keys checked) of the database at url."""
    tables = {r[0] for r in psql(url, 'SELECT relname FROM (%s) t' % DEALER_TABLES_SQL)}
    problems = []
    for (name,) in psql(url, """
        SELECT t.relname FROM (%s) t
         WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indisprimary)
        """ % DEALER_TABLES_SQL):
        problems.append('%s has no primary key' % name)
    for table, index, definition in psql(url, """
        SELECT t.relname, ic.relname, pg_get_indexdef(i.indexrelid)
          FROM (%s) t
          JOIN pg_index i ON i.indrelid = t.oid
          JOIN pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indisunique AND NOT (t.dealer_att = ANY (i.indkey::int2[]))
        """ % DEALER_TABLES_SQL):
        problems.append('%s: unique index %s has no dealer_id: %s' % (table, index, definition))
    fks = psql(url, """
        SELECT s.relname, f.conname, pg_get_constraintdef(f.oid), f.convalidated,
               EXISTS (SELECT 1 FROM generate_subscripts(f.conkey, 1) k
                        WHERE f.conkey[k] = s.dealer_att AND f.confkey[k] = r.dealer_att)
          FROM pg_constraint f
          JOIN (%s) s ON s.oid = f.conrelid
          JOIN (%s) r ON r.oid = f.confrelid
         WHERE f.contype = 'f'
        """ % (DEALER_TABLES_SQL, DEALER_TABLES_SQL))
    for table, name, definition, validated, paired in fks:
        if paired != 't':
            problems.append('%s: foreign key %s does not pair dealer_id with dealer_id: %s'
                            % (table, name, definition))
        if validated != 't':
            problems.append('%s: foreign key %s is not validated' % (table, name))
    nullable = psql(url, """
        SELECT t.relname FROM (%s) t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = t.dealer_att
         WHERE NOT a.attnotnull""" % DEALER_TABLES_SQL)
    for (name,) in nullable:
        problems.append('%s: dealer_id may be NULL' % name)
    return tables, problems, len(fks)


def row_counts(url):
    """Rows of every table but schema_migrations and settings (where any
    command that opens the store first writes the installation's secret)."""
    tables = [r[0] for r in psql(url, """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'
           AND c.relname NOT IN ('schema_migrations', 'settings')
         ORDER BY 1""")]
    sql = ' UNION ALL '.join("SELECT '%s', count(*) FROM %s" % (t, t) for t in tables)
    return {t: int(n) for t, n in psql(url, sql)}


def later_migrations():
    """(version, name) of the PostgreSQL migrations from FIRST_VERSION on."""
    out = []
    for name in sorted(os.listdir(MIGRATIONS)):
        m = re.match(r'^(\d+)_.*\.sql$', name)
        if m and not name.endswith('.sqlite.sql') and int(m.group(1)) >= FIRST_VERSION:
            out.append((int(m.group(1)), name))
    return out


def brand_audit_entry():
    """Creates a brand (an installation-wide write) and returns (brand id, its audit entry)."""
    token = SRV.login(ADMIN)
    slug = unique('dist')
    brand = expect(SRV.request('POST', '/api/v1/brands', {'slug': slug, 'name': 'Dist ' + slug},
                               token=token), 201)
    entries = [e for e in SRV.list_all('/api/v1/audit', token) if e['entity_id'] == brand['id']]
    return brand['id'], entries


class Audit(unittest.TestCase):
    """Both stores: an installation-wide entry reads as dealer_id null, and is stored as ''."""

    def test_installation_wide_entry(self):
        brand_id, entries = brand_audit_entry()
        self.assertEqual(len(entries), 1, entries)
        self.assertIsNone(entries[0]['dealer_id'])
        sql = "SELECT count(*) FROM audit WHERE entity_id = '%s' AND dealer_id = ''" % brand_id
        if PG:
            stored = int(psql(SRV.db, sql)[0][0])
        else:
            con = sqlite3.connect('file:%s?mode=ro' % SRV.db, uri=True, timeout=10)
            try:
                stored = con.execute(sql).fetchone()[0]
            finally:
                con.close()
        self.assertEqual(stored, 1)


@SQLITE_ONLY
class SqliteKeys(unittest.TestCase):

    def test_reference_index_and_no_null_dealers(self):
        con = sqlite3.connect('file:%s?mode=ro' % SRV.db, uri=True, timeout=10)
        try:
            unique_indexes = {}
            for _seq, name, is_unique, _origin, _partial in con.execute(
                    "PRAGMA index_list('appointments')"):
                if is_unique:
                    cols = [r[2] for r in con.execute("PRAGMA index_info('%s')" % name)]
                    unique_indexes[name] = cols
            self.assertIn(['dealer_id', 'reference'], unique_indexes.values(),
                          'ON CONFLICT (dealer_id, reference) needs this unique index')
            nulls = con.execute('SELECT count(*) FROM audit WHERE dealer_id IS NULL').fetchone()[0]
            self.assertEqual(nulls, 0)
        finally:
            con.close()


@PG_ONLY
class PostgresKeys(unittest.TestCase):

    def assert_distributable(self, url):
        tables, problems, nfks = key_report(url)
        self.assertEqual(DEALER_TABLES - tables, set(), 'dealer tables not found')
        self.assertEqual(problems, [])
        self.assertGreaterEqual(nfks, 6, 'the foreign keys to customers were not seen')

    def test_new_database(self):
        self.assert_distributable(SRV.db)

    def test_lookups_by_token_and_id_stay_indexed(self):
        # Lookups that know no dealer (manage link, GET by id, the sender's
        # updates) keep an index that leads with their column.
        want = {('appointments', 'manage_hash'), ('appointments', 'id'), ('leads', 'id'),
                ('customers', 'id'), ('outbox', 'id'), ('audit', 'id')}
        have = {(t, c) for t, c in psql(SRV.db, """
            SELECT c.relname, a.attname FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]""")}
        self.assertEqual(want - have, set())

    def test_upgrade_with_data(self):
        url = harness.new_pg_database()
        later = later_migrations()
        self.assertEqual(later[0][0], FIRST_VERSION, later)
        # The database as a release before 0009 left it: those migrations are
        # marked applied, so the seed's own migrate stops at 0008.
        psql(url, 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, '
                  'applied_at BIGINT NOT NULL); INSERT INTO schema_migrations VALUES %s'
             % ', '.join("(%d, 'waits: %s', 0)" % v for v in later))
        seeded = harness.run_cli(['seed', '--scale', 'small', '--db', url, '--quiet'], timeout=300)
        self.assertEqual(seeded.returncode, 0, seeded.stderr[-3000:])
        self.assertEqual(psql(url, "SELECT count(*) FROM pg_constraint WHERE conname = "
                                   "'appointments_reference_key'"), [['1']], 'not at 0008')
        # Rows the seed does not make: an audit entry of each kind, an outbox
        # message, a hold, a tire set.
        psql(url, """
            INSERT INTO audit (id, at, actor_kind, dealer_id, action, entity, entity_id)
              VALUES ('audit-net', 1, 'system', NULL, 'brand.create', 'brand', 'b'),
                     ('audit-dlr', 1, 'system', (SELECT min(id) FROM dealers), 'dealer.update', 'dealer', 'd');
            INSERT INTO outbox (id, dealer_id, kind, dedupe_key, recipient, subject, body_text, due_at, created_at)
              VALUES ('out-1', (SELECT min(id) FROM dealers), 'transactional', 'k', 'a@example.com', 's', 't', 1, 1),
                     ('out-2', '', 'transactional', 'k', 'b@example.com', 's', 't', 1, 1);
            INSERT INTO holds (dealer_id, id, token_hash, start_at, end_at, expires_at)
              VALUES ((SELECT min(id) FROM dealers), 'hold-1', 'h', 1, 2, 3);
            INSERT INTO tire_sets (dealer_id, id, customer_id, stored_at)
              SELECT dealer_id, 'tires-1', id, 1 FROM customers ORDER BY id LIMIT 1;""")
        before = row_counts(url)
        self.assertGreater(before['customers'], 1000)
        self.assertGreater(before['appointments'], 1000)

        psql(url, 'DELETE FROM schema_migrations WHERE version >= %d' % FIRST_VERSION)
        migrated = harness.run_cli(['migrate', '--db', url], timeout=300)
        self.assertEqual(migrated.returncode, 0, migrated.stderr[-3000:])
        self.assertEqual(psql(url, 'SELECT version FROM schema_migrations WHERE version >= %d ORDER BY 1'
                              % FIRST_VERSION), [[str(v)] for v, _ in later])

        self.assertEqual(row_counts(url), before)
        self.assertEqual(psql(url, "SELECT id, dealer_id = '' FROM audit ORDER BY id"),
                         [['audit-dlr', 'f'], ['audit-net', 't']])
        self.assert_distributable(url)

        # The upgraded database serves: a public booking (the INSERT's ON
        # CONFLICT (dealer_id, reference)), its manage link (the lookup by
        # hash alone), a customer read by id.
        srv = harness.Server(db_path=url, demo=False).start()
        try:
            slug = psql(url, "SELECT d.slug FROM dealers d JOIN workshops w ON w.dealer_id = d.id "
                             "ORDER BY d.slug LIMIT 1")[0][0]
            profile = expect(srv.request('GET', '/api/v1/public/dealers/' + slug), 200)
            code = profile['services'][0]['code']
            avail = expect(srv.request('GET', '/api/v1/public/dealers/%s/availability?services=%s&days=30'
                                       % (slug, code)), 200)
            self.assertTrue(avail['slots'], 'no free slot at %s' % slug)
            booked = expect(srv.request('POST', '/api/v1/public/dealers/%s/bookings' % slug,
                                        {'services': [code], 'start': avail['slots'][0]['start'],
                                         'customer': {'name': 'Dist Upgrade', 'email': 'dist@example.com'}}),
                            201)
            self.assertRegex(booked['reference'], r'^FC-')
            mine = expect(srv.request('GET', '/api/v1/public/bookings/' + booked['manage_token']), 200)
            self.assertEqual(mine['id'], booked['id'])
            token = srv.login(SEED_ADMIN, SEED_PASSWORD)
            customer_id = psql(url, 'SELECT id FROM customers ORDER BY id LIMIT 1')[0][0]
            got = expect(srv.request('GET', '/api/v1/customers/' + customer_id, token=token), 200)
            self.assertEqual(got['id'], customer_id)
        finally:
            srv.stop()
        after = row_counts(url)
        self.assertEqual(after['appointments'], before['appointments'] + 1)
