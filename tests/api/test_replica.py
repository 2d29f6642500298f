"""--replica: reports and dashboards (GET /kpis) read the replica; everything else reads and
writes the primary; without --replica the KPIs read the primary.

The replica here is a copy of the primary's SQLite file made by `forecourt backup` (a replica
that has stopped following): leads taken in afterwards are on the primary only, so the answers
show which database each request read.
"""

import os
import shutil
import tempfile
import unittest

import harness
from harness import SALES, expect, run_cli, unique


def lead(srv, token):
    return expect(srv.request('POST', '/api/v1/leads', {
        'source': 'website', 'channel': 'web',
        'customer': {'name': 'Replica ' + unique('r'), 'email': unique('rep') + '@example.test'},
        'vehicle_interest': {'condition': 'new', 'make': 'Aurora', 'model': 'Nova'}}, token=token), 201, 'lead')


def leads_in_kpis(srv, token, dealer_id):
    body = expect(srv.request('GET', '/api/v1/kpis?dealer_id=' + dealer_id, token=token), 200, 'kpis')
    return body['dealers'][0]['leads']['total']


@harness.sqlite_only('the replica is a copy of the SQLite file')
class Replica(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='forecourt-replica-')
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, **kw):
        srv = harness.Server(**kw).start()
        self.servers.append(srv)
        return srv

    def test_reports_read_the_replica_the_rest_the_primary(self):
        first = self.start()
        token = first.login(SALES)
        dealer = first.dealer_ids(token)['garage-amstel']
        lead(first, token)
        before = leads_in_kpis(first, token, dealer)
        self.assertGreaterEqual(before, 1)
        replica = os.path.join(self.tmp, 'replica.db')
        p = run_cli(['backup', '--to', replica, '--db', first.db])
        self.assertEqual(p.returncode, 0, p.stderr)

        both = self.start(demo=False, db_path=first.db, extra_args=['--replica', replica])
        token = both.login(SALES)
        new = [lead(both, token)['id'] for _ in range(3)]
        # Writes and ordinary reads: the primary.
        listed = {x['id'] for x in both.list_all('/api/v1/leads?dealer_id=' + dealer, token)}
        self.assertTrue(set(new) <= listed, 'the new leads are read from the primary')
        # The report: the replica, which has not seen them.
        self.assertEqual(leads_in_kpis(both, token, dealer), before)

        # Without --replica the same report reads the primary.
        plain = self.start(demo=False, db_path=first.db)
        self.assertEqual(leads_in_kpis(plain, plain.login(SALES), dealer), before + 3)


if __name__ == '__main__':
    unittest.main()
