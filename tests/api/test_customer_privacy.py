"""Privacy: GDPR erasure (DELETE /customers/{id}), the suppression list, export, consents
and their history, and the scrubbing of the audit trail."""

import json
import random
import time
import string
import unittest

import harness
from harness import (ADMIN, BRUXELLES_ADMIN, DEALER_ADMIN, SALES, assert_error, expect,
                     unique)

SRV = harness.ServerModule()
T = {}
D = {}
U = {}
CHANNELS = ('email', 'sms', 'phone', 'post')
EXPORT_KEYS = {'exported_at', 'customer', 'consent_history', 'vehicle_readings', 'timeline'}
HISTORY_KEYS = {'channel', 'granted', 'at', 'source', 'by', 'note'}


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN, SALES, BRUXELLES_ADMIN))
    D.update(SRV.dealer_ids(T[ADMIN]))
    for email in T:
        U[email] = expect(SRV.request('GET', '/api/v1/me', token=T[email]), 200)['user']['id']


def tearDownModule():
    SRV.down()


def api(who, method, path, body=None, **kw):
    return SRV.request(method, '/api/v1' + path, body, token=T.get(who, who), **kw)


def word(n=7):
    return ''.join(random.choice(string.ascii_lowercase) for _ in range(n))


def mail():
    return unique('priv') + '@example.test'


def nl_mobile():
    digits = '1%07d' % random.randrange(0, 10**7)
    return '06 %s %s %s %s' % (digits[0:2], digits[2:4], digits[4:6], digits[6:8]), '+316' + digits


def new_customer(who=SALES, **fields):
    body = {'name': 'Klant ' + word().capitalize(), 'email': mail()}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    return expect(api(who, 'POST', '/customers', body), 201, 'create customer')


def timeline(cid, who=SALES):
    return SRV.list_all('/api/v1/customers/%s/timeline' % cid, T.get(who, who), limit=50)


def export(cid, who=SALES):
    return expect(api(who, 'GET', '/customers/%s/export' % cid), 200, 'export')


def consent(cid, body, who=SALES):
    return api(who, 'POST', '/customers/%s/consents' % cid, body)


def search_ids(q, who=SALES):
    resp = api(who, 'GET', '/customers?limit=5&q=' + harness.urlquote(q))
    return [c['id'] for c in expect(resp, 200)['items']]


def assert_clean(tc, value, strings, what):
    """None of strings appears in value; a list is reported item by item."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        text = json.dumps(item, ensure_ascii=False)
        for s in strings:
            if s in text:
                label = (item.get('action') or item.get('type') or item.get('id')
                         if isinstance(item, dict) else '')
                found.append('%r in %s' % (s, label))
    tc.assertEqual(found, [], '%s still holds personal data' % what)


def audit_entries():
    return SRV.list_all('/api/v1/audit', T[DEALER_ADMIN])


class Erasure(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        """One richly filled customer, erased; the tests look at what is left."""
        cls.secret = 'Zwaantje' + word().capitalize()
        cls.phone, cls.e164 = nl_mobile()
        cls.email = 'Erase.' + unique('me') + '@Example.test'
        cls.street = 'Prinsengracht %d' % random.randrange(100, 999)
        cls.before = new_customer(
            name=cls.secret + ' de Wit', email=cls.email, phone=cls.phone,
            first_name=cls.secret, last_name='de Wit', vat_number='NL999999999B99',
            address={'street': cls.street, 'postal_code': '1016 GV', 'city': 'Amsterdam'},
            contacts=[{'name': 'Partner of ' + cls.secret, 'email': 'partner@example.test'}],
            notes='Allergic to ' + cls.secret, consents={'email': True, 'sms': True},
            consent_source='paper')
        cid = cls.cid = cls.before['id']
        expect(api(SALES, 'PATCH', '/customers/' + cid, {'notes': 'Patched ' + cls.secret}), 200)
        expect(api(SALES, 'POST', '/customers/%s/events' % cid,
                   {'type': 'call.logged', 'channel': 'phone',
                    'payload': {'summary': cls.secret + ' called about the MOT',
                                'phone': cls.phone}}), 201)
        expect(consent(cid, {'channel': 'post', 'granted': True, 'source': 'walk_in',
                             'note': 'signed at desk'}), 201)
        cls.vehicle = expect(api(SALES, 'POST', '/vehicles',
                                 {'plate': 'ZW-%03d-X' % random.randrange(1000),
                                  'customer_id': cid, 'mileage_km': 12000}), 201)
        expect(api(SALES, 'POST', '/vehicles/%s/readings' % cls.vehicle['id'],
                   {'source': 'workshop', 'mileage_km': 13000}), 201)
        cls.timeline_before = timeline(cid)
        cls.audit_before = [e for e in audit_entries() if e['entity_id'] == cid]
        cls.delete = api(SALES, 'DELETE', '/customers/' + cid)
        cls.after = api(SALES, 'GET', '/customers/' + cid)

    def personal_strings(self):
        return [self.secret, self.email, self.email.lower(), self.phone, self.e164, self.street,
                'partner@example.test', 'NL999999999B99']

    def assert_clean(self, value, what):
        assert_clean(self, value, self.personal_strings(), what)

    def test_delete_answers_204(self):
        self.assertEqual(self.delete.status, 204, self.delete.describe())
        self.assertEqual(self.delete.raw, b'')

    def test_document_is_emptied(self):
        self.assertGreater(len(self.audit_before), 1)
        c = expect(self.after, 200)
        self.assertIs(c['erased'], True)
        self.assertEqual(c['id'], self.cid)
        self.assertEqual(c['dealer_id'], D['garage-amstel'])
        self.assertIn(c['name'], ('', None))
        for k in ('first_name', 'last_name', 'company_name', 'vat_number', 'email', 'phone',
                  'phone_e164', 'address', 'notes'):
            self.assertIsNone(c[k], k)
        self.assertEqual(c['contacts'], [])
        self.assertGreater(c['version'], self.before['version'])
        self.assertEqual(self.after.headers.get('ETag'), '"v%d"' % c['version'])
        self.assert_clean(c, 'the erased customer')

    def test_consents_withdrawn(self):
        c = expect(self.after, 200)
        for ch in CHANNELS:
            with self.subTest(ch):
                state = c['consents'][ch]
                self.assertIsNotNone(state)
                self.assertIs(state['granted'], False)
                self.assertEqual(state['source'], 'erasure')
                self.assertEqual(state['by'], U[SALES])

    def test_timeline_keeps_shape_loses_payloads(self):
        after = timeline(self.cid)
        by_id = {e['id']: e for e in after}
        for old in self.timeline_before:
            with self.subTest(event=old['type']):
                new = by_id.get(old['id'])
                self.assertIsNotNone(new, 'event %s disappeared' % old['type'])
                self.assertEqual(new['type'], old['type'])
                self.assertEqual(new['channel'], old['channel'])
                self.assertEqual(new['at'], old['at'])
                self.assertEqual(new['payload'], {})
        types = [e['type'] for e in after]
        self.assertIn('customer.erased', types)
        self.assertIn('call.logged', types)
        for e in after:
            self.assertEqual(e['payload'], {}, e)
        self.assert_clean(after, 'the timeline')

    def test_search_no_longer_finds(self):
        for q in (self.secret, self.email, self.phone, self.e164, self.vehicle['plate']):
            with self.subTest(q=q):
                self.assertNotIn(self.cid, search_ids(q))

    def test_export_shows_erased(self):
        x = export(self.cid)
        harness.assert_keys(self, x, EXPORT_KEYS, 'export')
        self.assertIs(x['customer']['erased'], True)
        self.assertEqual(x['customer']['contacts'], [])
        for e in x['timeline']:
            self.assertEqual(e['payload'], {})
        erasures = {h['channel'] for h in x['consent_history'] if h['source'] == 'erasure'}
        self.assertEqual(erasures, set(CHANNELS))
        for h in x['consent_history']:
            if h['source'] == 'erasure':
                self.assertIs(h['granted'], False)
        self.assert_clean(x, 'the export')

    def test_vehicle_owner_name_gone(self):
        v = expect(api(SALES, 'GET', '/vehicles/' + self.vehicle['id']), 200)
        self.assert_clean(v['owners'], 'the vehicle owners')
        self.assertEqual(v['mileage_km'], 13000, 'the vehicle itself is not personal data')

    def test_writes_after_erasure_are_404(self):
        other = new_customer()
        cid = self.cid
        writes = [
            ('PATCH', '/customers/' + cid, {'notes': 'back again'}),
            ('DELETE', '/customers/' + cid, None),
            ('POST', '/customers/%s/events' % cid, {'type': 'call.logged', 'channel': 'phone'}),
            ('POST', '/customers/%s/consents' % cid,
             {'channel': 'email', 'granted': True, 'source': 'web'}),
            ('POST', '/customers/%s/merge' % cid, {'from': other['id']}),
        ]
        for method, path, body in writes:
            with self.subTest(method=method, path=path):
                assert_error(api(SALES, method, path, body), 404, 'not_found')
        # Merging the erased customer into another one does not revive it.
        resp = api(SALES, 'POST', '/customers/%s/merge' % other['id'], {'from': cid})
        self.assertIn(resp.status, (404, 422), resp.describe())
        self.assertEqual(expect(api(SALES, 'GET', '/customers/' + other['id']), 200)['version'], 1)
        now = expect(api(SALES, 'GET', '/customers/' + cid), 200)
        self.assertEqual(now, expect(self.after, 200))

    def test_audit_scrubbed(self):
        entries = [e for e in audit_entries() if e['entity_id'] == self.cid]
        actions = [e['action'] for e in entries]
        self.assertIn('customer.erase', actions)
        self.assertIn('customer.create', actions)
        self.assertIn('customer.update', actions)
        for e in entries:
            with self.subTest(action=e['action']):
                for side in ('before', 'after'):
                    value = e[side]
                    if value is None:
                        continue
                    if e['action'] == 'customer.erase':
                        self.assertIs(value.get('erased'), True)
                    else:
                        self.assertEqual(value, {'erased': True}, side)
        # No entry anywhere in the dealer's trail still names the customer.
        self.assert_clean(audit_entries(), 'the audit trail')


class ErasureAfterMerge(unittest.TestCase):

    def test_merged_duplicate_is_scrubbed_too(self):
        secret = 'Dubbelganger' + word().capitalize()
        kept = new_customer(name='Hoofd ' + secret)
        dup_email = mail()
        dup = new_customer(name='Kopie ' + secret, email=dup_email, notes='kopie ' + secret)
        expect(api(SALES, 'POST', '/customers/%s/merge' % kept['id'], {'from': dup['id']}), 200)
        expect(api(SALES, 'DELETE', '/customers/' + kept['id']), 204)
        assert_clean(self, timeline(kept['id']), [secret, dup_email], 'the timeline')
        assert_clean(self, audit_entries(), [secret, dup_email], 'the audit trail')


class Suppression(unittest.TestCase):

    def erased(self, **fields):
        c = new_customer(**fields)
        expect(api(SALES, 'DELETE', '/customers/' + c['id']), 204)
        return c

    def test_same_email_later_is_suppressed(self):
        email = 'Supp.' + unique('s') + '@example.test'
        self.erased(email=email, consents={'email': True})
        again = new_customer(email=email.upper(), consents={'email': True}, consent_source='web')
        self.assertEqual(again['email'], email.upper())
        state = again['consents']['email']
        self.assertIsNotNone(state)
        self.assertIs(state['granted'], False)
        self.assertEqual(state['source'], 'suppression_list')
        x = export(again['id'])
        hist = [h for h in x['consent_history'] if h['channel'] == 'email']
        self.assertTrue(hist)
        self.assertFalse(any(h['granted'] for h in hist), hist)

    def test_same_phone_later_is_suppressed(self):
        phone, e164 = nl_mobile()
        self.erased(phone=phone)
        again = new_customer(phone='+31 6 ' + e164[4:], consents={'email': True, 'sms': True})
        for ch in ('email', 'sms'):
            with self.subTest(ch):
                self.assertIs(again['consents'][ch]['granted'], False)
                self.assertEqual(again['consents'][ch]['source'], 'suppression_list')

    def test_no_duplicate_conflict_with_the_erased(self):
        email = mail()
        phone, _ = nl_mobile()
        self.erased(email=email, phone=phone)
        again = new_customer(email=email, phone=phone)
        self.assertEqual(again['email'], email)

    def test_other_dealers_and_other_people_are_not_suppressed(self):
        email = mail()
        self.erased(email=email)
        there = new_customer(BRUXELLES_ADMIN, email=email, consents={'email': True})
        self.assertIs(there['consents']['email']['granted'], True)
        self.assertNotEqual(there['consents']['email']['source'], 'suppression_list')
        fresh = new_customer(consents={'email': True}, consent_source='web')
        self.assertIs(fresh['consents']['email']['granted'], True)
        self.assertEqual(fresh['consents']['email']['source'], 'web')


class Consents(unittest.TestCase):

    def test_grant_withdraw_and_history(self):
        c = new_customer()
        resp = consent(c['id'], {'channel': 'sms', 'granted': True, 'source': 'web',
                                 'note': 'ticked the box ✓'})
        g = expect(resp, 201)
        self.assertEqual(g['id'], c['id'])
        state = g['consents']['sms']
        self.assertIs(state['granted'], True)
        self.assertEqual(state['source'], 'web')
        self.assertEqual(state['by'], U[SALES])
        harness.assert_rfc3339(self, state['at'])
        self.assertIsNone(g['consents']['email'])
        time.sleep(0.005)   # a later millisecond: see test_latest_consent_wins for the same one
        w = expect(consent(c['id'], {'channel': 'sms', 'granted': False, 'source': 'phone'}), 201)
        self.assertIs(w['consents']['sms']['granted'], False)
        self.assertEqual(w['consents']['sms']['source'], 'phone')
        time.sleep(0.005)
        p = expect(consent(c['id'], {'channel': 'post', 'granted': True, 'source': 'paper'}), 201)
        self.assertIs(p['consents']['post']['granted'], True)
        self.assertIs(p['consents']['sms']['granted'], False)
        self.assertEqual(expect(api(SALES, 'GET', '/customers/' + c['id']), 200)['consents'],
                         p['consents'])
        # Events.
        types = [e['type'] for e in timeline(c['id'])]
        self.assertEqual(types.count('consent.granted'), 2, types)
        self.assertEqual(types.count('consent.withdrawn'), 1, types)
        # History, in order.
        hist = export(c['id'])['consent_history']
        for h in hist:
            harness.assert_keys(self, h, HISTORY_KEYS, 'consent history entry')
        self.assertEqual([(h['channel'], h['granted'], h['source']) for h in hist],
                         [('sms', True, 'web'), ('sms', False, 'phone'), ('post', True, 'paper')])
        self.assertEqual(hist[0]['note'], 'ticked the box ✓')
        self.assertIsNone(hist[1]['note'])
        self.assertEqual({h['by'] for h in hist}, {U[SALES]})

    def test_latest_consent_wins(self):
        """A withdrawal right after a grant (same millisecond) is the state."""
        c = new_customer()
        sent = []
        wrong = []
        for i in range(80):
            granted = i % 2 == 0
            got = expect(consent(c['id'], {'channel': 'email', 'granted': granted,
                                           'source': 'web'}), 201)
            sent.append(granted)
            if got['consents']['email']['granted'] is not granted:
                wrong.append(i)
        self.assertEqual(wrong, [], 'the answer showed an older consent as the state')
        now = expect(api(SALES, 'GET', '/customers/' + c['id']), 200)
        self.assertIs(now['consents']['email']['granted'], sent[-1])
        hist = export(c['id'])['consent_history']
        self.assertEqual([h['granted'] for h in hist], sent, 'history out of order')

    def test_note_length(self):
        c = new_customer()
        ok = expect(consent(c['id'], {'channel': 'sms', 'granted': True, 'source': 'web',
                                      'note': 'n' * 500}), 201)
        self.assertIs(ok['consents']['sms']['granted'], True)
        assert_error(consent(c['id'], {'channel': 'sms', 'granted': False, 'source': 'web',
                                       'note': 'n' * 501}), 422, 'validation_failed', ['note'])
        self.assertIs(expect(api(SALES, 'GET', '/customers/' + c['id']), 200)
                      ['consents']['sms']['granted'], True)

    def test_every_channel(self):
        c = new_customer()
        for ch in CHANNELS:
            with self.subTest(ch):
                got = expect(consent(c['id'], {'channel': ch, 'granted': True,
                                               'source': 'email'}), 201)
                self.assertIs(got['consents'][ch]['granted'], True)

    def test_refusals_change_nothing(self):
        c = new_customer(consents={'email': True})
        before_hist = export(c['id'])['consent_history']
        before_tl = len(timeline(c['id']))
        invalid = [({'channel': 'fax', 'granted': True, 'source': 'web'}, 'channel'),
                   ({'channel': '', 'granted': True, 'source': 'web'}, 'channel'),
                   ({'granted': True, 'source': 'web'}, 'channel'),
                   ({'channel': 'email', 'granted': False}, 'source'),
                   ({'channel': 'email', 'granted': False, 'source': ''}, 'source')]
        for body, field in invalid:
            with self.subTest(body=body):
                assert_error(consent(c['id'], body), 422, 'validation_failed', [field])
        bad = [{'channel': 'email', 'granted': 'yes', 'source': 'web'},
               {'channel': 'email', 'source': 'web'},
               {'channel': 'email', 'granted': None, 'source': 'web'},
               {'channel': 'email', 'granted': 1, 'source': 'web'},
               {'channel': 5, 'granted': True, 'source': 'web'},
               {'channel': 'email', 'granted': True, 'source': 'web', 'by': 'me'},
               {'channel': 'email', 'granted': True, 'source': 'web', 'note': 'a\u0000b'},
               ['email', True]]
        for body in bad:
            with self.subTest(body=body):
                assert_error(consent(c['id'], body), 400, 'bad_request')
        for raw in (b'{', b'', b'{"channel":"email","granted":tru}'):
            with self.subTest(raw=raw):
                assert_error(SRV.request('POST', '/api/v1/customers/%s/consents' % c['id'],
                                         raw=raw, token=T[SALES]), 400, 'bad_request')
        assert_error(consent('01ZZZZZZZZZZZZZZZZZZZZZZZZ', {'channel': 'email', 'granted': True,
                                                            'source': 'web'}), 404, 'not_found')
        self.assertEqual(export(c['id'])['consent_history'], before_hist)
        self.assertEqual(len(timeline(c['id'])), before_tl)
        self.assertIs(expect(api(SALES, 'GET', '/customers/' + c['id']), 200)
                      ['consents']['email']['granted'], True)


class Export(unittest.TestCase):

    def test_export_content(self):
        c = new_customer(name='Export Émilie', notes='exported notes',
                         consents={'email': True}, consent_source='web')
        v = expect(api(SALES, 'POST', '/vehicles', {'plate': 'EX-%03d-P' % random.randrange(1000),
                                                    'customer_id': c['id'],
                                                    'mileage_km': 5000}), 201)
        expect(api(SALES, 'POST', '/vehicles/%s/readings' % v['id'],
                   {'source': 'workshop', 'mileage_km': 6500, 'fault_codes': ['P0420']}), 201)
        expect(api(SALES, 'POST', '/customers/%s/events' % c['id'],
                   {'type': 'visit.logged', 'channel': 'walk_in', 'payload': {'desk': 3}}), 201)
        resp = api(SALES, 'GET', '/customers/%s/export' % c['id'])
        x = expect(resp, 200)
        harness.assert_keys(self, x, EXPORT_KEYS, 'export')
        harness.assert_rfc3339(self, x['exported_at'])
        now = expect(api(SALES, 'GET', '/customers/' + c['id']), 200)
        self.assertEqual(x['customer'], now)
        self.assertEqual(x['customer']['name'], 'Export Émilie')
        self.assertEqual(x['customer']['notes'], 'exported notes')
        self.assertEqual([vv['id'] for vv in x['customer']['vehicles']], [v['id']])
        self.assertEqual([(h['channel'], h['granted'], h['source']) for h in x['consent_history']],
                         [('email', True, 'web')])
        self.assertIsInstance(x['vehicle_readings'], list)
        miles = sorted(r.get('mileage_km') for r in x['vehicle_readings'])
        self.assertEqual(miles, [5000, 6500])
        for r in x['vehicle_readings']:
            self.assertEqual(r.get('dealer_id', D['garage-amstel']), D['garage-amstel'])
        self.assertEqual(x['timeline'], timeline(c['id']))
        types = [e['type'] for e in x['timeline']]
        for t in ('customer.created', 'vehicle.linked', 'vehicle.reading', 'visit.logged'):
            self.assertIn(t, types)
        visit = [e for e in x['timeline'] if e['type'] == 'visit.logged'][0]
        self.assertEqual(visit['payload'], {'desk': 3})

    def test_initial_mileage_of_a_linked_vehicle_is_exported(self):
        """The mileage given when a vehicle is created for a customer belongs to that owner."""
        c = new_customer()
        want = []
        for i in range(15):
            km = 1000 + i
            expect(api(SALES, 'POST', '/vehicles', {'plate': 'IM-%03d-%s' % (i, word(2).upper()),
                                                    'customer_id': c['id'], 'mileage_km': km}), 201)
            want.append(km)
        got = sorted(r.get('mileage_km') for r in export(c['id'])['vehicle_readings'])
        self.assertEqual(got, want)

    def test_export_is_audited_and_404_for_unknown(self):
        c = new_customer()
        export(c['id'])
        assert_error(api(SALES, 'GET', '/customers/01ZZZZZZZZZZZZZZZZZZZZZZZZ/export'), 404,
                     'not_found')

    def test_export_of_another_dealers_reading_stays_out(self):
        vin = 'WDBEA30D3HA391172'
        c = new_customer()
        v = expect(api(SALES, 'POST', '/vehicles', {'vin': vin, 'customer_id': c['id'],
                                                    'mileage_km': 1000}), 201)
        other = expect(api(BRUXELLES_ADMIN, 'POST', '/vehicles', {'vin': vin,
                                                                  'mileage_km': 2000}), 201)
        self.assertEqual(other['id'], v['id'])
        x = export(c['id'])
        self.assertEqual([r.get('mileage_km') for r in x['vehicle_readings']], [1000])


if __name__ == '__main__':
    unittest.main()
