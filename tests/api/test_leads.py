"""Leads: JSON intake, the lead document, matching, duplicate suppression, assignment,
the lead settings, the inbox list, and hostile input.

The contract is the leads API as built (POST/GET /api/v1/leads, GET /leads/{id},
GET/PUT /dealers/{id}/lead-settings). The pipeline, the contact log, consent and the
timeline are in test_leads_pipeline.py, ADF intake in test_leads_adf.py, access across
dealers and roles in test_leads_access.py.
"""

import json
import random
import string
import threading
import time
import unittest

import harness
from harness import (ADMIN, BRUXELLES_ADMIN, DEALER_ADMIN, MONTREAL_SALES, SALES,
                     SERVICE_ADVISOR, TECHNICIAN, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}      # email -> token
D = {}      # dealer slug -> id
U = {}      # email -> user id
B = {}      # brand slug -> id

LEAD_KEYS = {'id', 'dealer_id', 'customer_id', 'source', 'channel', 'status', 'lost_reason',
             'assigned_to', 'condition', 'make', 'model', 'brand_id', 'message',
             'vehicle_interest', 'trade_in', 'repeats', 'received_at', 'first_response_at',
             'test_drive_at', 'closed_at', 'version', 'overdue'}
SQLI = "Robert'); DROP TABLE leads;--"


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN,
                        BRUXELLES_ADMIN, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    B.update(SRV.brand_ids(T[ADMIN]))
    for email in T:
        U[email] = expect(SRV.request('GET', '/api/v1/me', token=T[email]), 200)['user']['id']


def tearDownModule():
    SRV.down()


# -- local helpers -----------------------------------------------------------------

def api(who, method, path, body=None, **kw):
    return SRV.request(method, '/api/v1' + path, body, token=T.get(who, who), **kw)


def word(n=8):
    return 'q' + ''.join(random.choice(string.ascii_lowercase) for _ in range(n))


def mail():
    return unique('lead') + '@example.test'


def nl_mobile():
    """A fresh Dutch mobile number, as typed and in E.164."""
    digits = '1%07d' % random.randrange(0, 10 ** 7)
    return '06 %s %s %s %s' % (digits[0:2], digits[2:4], digits[4:6], digits[6:8]), '+316' + digits


def vin():
    """A fresh valid European VIN (the check digit is not mandatory outside North America)."""
    return 'WVWZZZ1KZAW%06d' % random.randrange(0, 10 ** 6)


def body(**over):
    """A valid lead body; a value of Ellipsis removes the key."""
    b = {'source': 'website', 'channel': 'web',
         'customer': {'name': 'Lead ' + word().capitalize(), 'email': mail()},
         'vehicle_interest': {'condition': 'new', 'make': 'Aurora', 'model': 'M' + word(5)}}
    b.update(over)
    return {k: v for k, v in b.items() if v is not Ellipsis}


def post(who=SALES, **over):
    return api(who, 'POST', '/leads', body(**over))


def new_lead(who=SALES, **over):
    return expect(post(who, **over), 201, 'create lead')


def get_lead(lid, who=SALES):
    return expect(api(who, 'GET', '/leads/' + lid), 200, 'get lead')


def leads(who=SALES, query=''):
    return SRV.list_all('/api/v1/leads' + query, T.get(who, who))


def count(who=SALES, query=''):
    return len(leads(who, query))


def customers(who=SALES):
    return SRV.list_all('/api/v1/customers', T.get(who, who), limit=5)


def new_customer(who=SALES, **fields):
    b = {'name': 'Klant ' + word().capitalize(), 'email': mail()}
    b.update(fields)
    b = {k: v for k, v in b.items() if v is not None}
    return expect(api(who, 'POST', '/customers', b), 201, 'create customer')


def timeline(cid, who=SALES):
    return SRV.list_all('/api/v1/customers/%s/timeline' % cid, T.get(who, who), limit=50)


def sales_pool(dealer='garage-amstel'):
    users = SRV.list_all('/api/v1/users', T[ADMIN])
    return {u['id'] for u in users if u['role'] == 'sales' and u['dealer_id'] == D[dealer]}


def put_settings(doc, who=DEALER_ADMIN, dealer='garage-amstel'):
    return api(who, 'PUT', '/dealers/%s/lead-settings' % D[dealer], doc)


def reset_settings(dealer='garage-amstel'):
    who = {'garage-amstel': DEALER_ADMIN, 'bruxelles-auto': BRUXELLES_ADMIN}.get(dealer, ADMIN)
    expect(put_settings({'response_target_min': 60, 'dedupe_window_hours': 72, 'rules': []},
                        who, dealer), 200, 'reset lead settings')


# -- intake --------------------------------------------------------------------------

class Create(unittest.TestCase):

    def check_doc(self, lead):
        harness.assert_keys(self, lead, LEAD_KEYS, 'lead')
        self.assertEqual(len(lead['id']), 26, lead['id'])
        self.assertEqual(len(lead['customer_id']), 26, lead['customer_id'])
        harness.assert_rfc3339(self, lead['received_at'], 'received_at')
        self.assertIsInstance(lead['overdue'], bool)
        self.assertIsInstance(lead['repeats'], int)

    def test_minimal(self):
        email = mail()
        before = count()
        resp = post(customer={'name': 'Anna Jansen', 'email': email}, vehicle_interest=Ellipsis)
        lead = expect(resp, 201)
        self.check_doc(lead)
        self.assertEqual(lead['dealer_id'], D['garage-amstel'])
        self.assertEqual(lead['status'], 'new')
        self.assertEqual(lead['source'], 'website')
        self.assertEqual(lead['channel'], 'web')
        self.assertIs(lead['matched'], False)
        self.assertIs(lead['merged'], False)
        self.assertEqual(lead['repeats'], 0)
        self.assertEqual(lead['version'], 1)
        self.assertIs(lead['overdue'], False)
        for k in ('first_response_at', 'test_drive_at', 'closed_at', 'lost_reason', 'message',
                  'condition', 'make', 'model', 'brand_id', 'vehicle_interest', 'trade_in'):
            self.assertIsNone(lead[k], k)
        self.assertNotIn('response_min', lead, 'response_min only once answered')
        self.assertIn(lead['assigned_to'], sales_pool(), 'assigned to a salesperson of the dealer')
        self.assertEqual(count(), before + 1)
        got = get_lead(lead['id'])
        for k in LEAD_KEYS:
            self.assertEqual(got[k], lead[k], k)
        self.assertEqual(got['customer']['id'], lead['customer_id'])
        self.assertEqual(got['customer']['name'], 'Anna Jansen')
        self.assertEqual(got['customer']['email'], email)
        self.assertEqual(got['customer']['dealer_id'], D['garage-amstel'])
        for k in ('journey', 'timeline', 'contact_channels'):
            self.assertIsInstance(got[k], list, k)
        self.assertEqual(got['journey'], [])
        self.assertEqual(got['contact_channels'], ['email'])

    def test_full_document(self):
        phone, e164 = nl_mobile()
        v = vin()
        b = body(source='aurora.nl configurator', channel='web',
                 customer={'name': 'Émilie van der Berg', 'email': mail(), 'phone': phone,
                           'language': 'fr'},
                 vehicle_interest={'condition': 'new', 'make': 'Aurora', 'model': 'Nova',
                                   'year': 2026, 'vin': v, 'stock_number': 'A-0042',
                                   'trim': 'Luxe'},
                 trade_in={'make': 'Volkswagen', 'model': 'Golf', 'year': 2014,
                           'mileage_km': 152300, 'vin': vin()},
                 message='Graag een proefrit.\nZaterdag?',
                 online_journey=[{'type': 'configurator', 'at': '2026-11-20T10:00:00+01:00',
                                  'data': {'colour': 'blue'}}])
        lead = expect(api(SALES, 'POST', '/leads', b), 201)
        self.check_doc(lead)
        self.assertEqual(lead['source'], 'aurora.nl configurator')
        self.assertEqual(lead['vehicle_interest'], b['vehicle_interest'])
        self.assertEqual(lead['trade_in'], b['trade_in'])
        self.assertEqual(lead['message'], b['message'])
        self.assertEqual(lead['condition'], 'new')
        self.assertEqual(lead['make'], 'Aurora')
        self.assertEqual(lead['model'], 'Nova')
        self.assertEqual(lead['brand_id'], B['aurora'], 'Aurora is a brand the dealer holds')
        c = get_lead(lead['id'])['customer']
        self.assertEqual(c['name'], 'Émilie van der Berg')
        self.assertEqual(c['email'], b['customer']['email'])
        self.assertEqual(c['phone_e164'], e164)
        self.assertEqual(c['language'], 'fr')

    def test_brand_only_when_the_dealer_holds_it(self):
        held = new_lead(vehicle_interest={'condition': 'used', 'make': 'Borealis', 'model': 'X'})
        self.assertEqual(held['brand_id'], B['borealis'])
        other = new_lead(vehicle_interest={'condition': 'used', 'make': 'Cirrus', 'model': 'X'})
        self.assertIsNone(other['brand_id'], 'Garage Amstel does not hold Cirrus')
        plain = new_lead(vehicle_interest={'make': 'Toyota', 'model': 'RAV4'})
        self.assertIsNone(plain['brand_id'])
        self.assertIsNone(plain['condition'])

    def test_name_from_parts(self):
        lead = new_lead(customer={'first_name': 'Anna', 'last_name': 'de Vries', 'email': mail()})
        c = get_lead(lead['id'])['customer']
        self.assertEqual(c['name'], 'Anna de Vries')

    def test_name_parts_kept_on_the_new_customer(self):
        lead = new_lead(customer={'first_name': 'Joost', 'last_name': 'van Dijk', 'email': mail()})
        c = get_lead(lead['id'])['customer']
        self.assertEqual((c['first_name'], c['last_name']), ('Joost', 'van Dijk'),
                         'the customer made from the lead keeps the first and last name given')

    def test_every_channel(self):
        for ch in ('web', 'phone', 'email', 'walk_in', 'partner'):
            with self.subTest(ch):
                lead = new_lead(channel=ch)
                self.assertEqual(lead['channel'], ch)

    def test_phone_only(self):
        phone, e164 = nl_mobile()
        lead = new_lead(customer={'name': 'Phone Only', 'phone': phone})
        c = get_lead(lead['id'])['customer']
        self.assertEqual(c['phone_e164'], e164)
        self.assertIsNone(c['email'])

    def test_unreadable_phone_is_kept_in_the_message_when_there_is_an_email(self):
        email = mail()
        lead = new_lead(customer={'name': 'Odd Phone', 'email': email, 'phone': '12'},
                        message='Call me')
        c = get_lead(lead['id'])['customer']
        self.assertEqual(c['email'], email)
        self.assertIsNone(c['phone'])
        self.assertIn('Call me', lead['message'])
        self.assertIn('12', lead['message'].replace('Call me', ''))
        # Without an e-mail there is nothing to reach: refused.
        before = count()
        assert_error(post(customer={'name': 'Odd Phone', 'phone': '12'}), 422,
                     'validation_failed', ['customer.phone'])
        self.assertEqual(count(), before)

    def test_lead_received_on_the_timeline_and_in_the_audit(self):
        lead = new_lead(channel='phone')
        events = [e for e in timeline(lead['customer_id']) if e['type'] == 'lead.received']
        self.assertEqual(len(events), 1, events)
        self.assertEqual(events[0]['payload']['lead_id'], lead['id'])
        self.assertEqual(events[0]['channel'], 'phone')
        audit = [e for e in SRV.list_all('/api/v1/audit', T[DEALER_ADMIN])
                 if e['entity_id'] == lead['id']]
        self.assertEqual(len(audit), 1, audit)
        self.assertTrue(audit[0]['action'].startswith('lead.'), audit)
        self.assertEqual(audit[0]['actor_id'], U[SALES])

    def test_partner_lead_is_a_web_event(self):
        lead = new_lead(channel='partner')
        events = [e for e in timeline(lead['customer_id']) if e['type'] == 'lead.received']
        self.assertEqual(events[0]['channel'], 'web')

    def test_validation(self):
        before, before_c = count(), len(customers())
        cases = [
            (body(source=Ellipsis), 'source'),
            (body(source=''), 'source'),
            (body(source='s' * 81), 'source'),
            (body(channel=Ellipsis), 'channel'),
            (body(channel='fax'), 'channel'),
            (body(channel='WEB'), 'channel'),
            (body(message='m' * 5001), 'message'),
            (body(customer={'email': mail()}), 'customer.name'),
            (body(customer={'name': '', 'email': mail()}), 'customer.name'),
            (body(customer={'name': 'No Contact'}), 'customer.email'),
            (body(customer={'name': 'No Contact', 'email': '', 'phone': ''}), 'customer.email'),
            (body(vehicle_interest={'condition': 'old', 'make': 'Aurora'}), 'vehicle_interest'),
            (body(online_journey=[{'type': 'page', 'at': '2026-11-20T10:00:00+01:00'}] * 101),
             'online_journey'),
            (body(online_journey=[{'type': 'Config-Step', 'at': '2026-11-20T10:00:00+01:00'}]),
             'online_journey'),
            (body(online_journey=[{'type': 'page', 'at': 'yesterday'}]), 'online_journey'),
            (body(online_journey=[{'type': 'page', 'at': '2026-11-20 10:00'}]), 'online_journey'),
            (body(online_journey=[{'type': 'page', 'at': '2026-11-20T10:00:00'}]),
             'online_journey'),
            (body(online_journey=[{'type': 'page', 'at': '2026-13-20T10:00:00Z'}]),
             'online_journey'),
        ]
        for b, field in cases:
            with self.subTest(field=field, body=json.dumps(b)[:100]):
                assert_error(api(SALES, 'POST', '/leads', b), 422, 'validation_failed', [field])
        # An empty step type is refused too (whichever field is named).
        assert_error(post(online_journey=[{'type': '', 'at': '2026-11-20T10:00:00Z'}]), 422,
                     'validation_failed')
        self.assertEqual(count(), before, 'a refused lead was stored')
        self.assertEqual(len(customers()), before_c, 'a refused lead created a customer')

    def test_limits_accepted(self):
        lead = new_lead(source='s' * 80, message='m' * 5000,
                        online_journey=[{'type': 'page_view', 'at': '2026-11-20T10:%02d:00Z' % (i % 60),
                                         'data': {'i': i}} for i in range(100)])
        self.assertEqual(lead['source'], 's' * 80)
        self.assertEqual(len(lead['message']), 5000)
        self.assertEqual(len(get_lead(lead['id'])['journey']), 100)

    def test_admin_names_the_dealer(self):
        before = count(BRUXELLES_ADMIN)
        assert_error(post(ADMIN), 422, 'validation_failed', ['dealer_id'])
        lead = new_lead(ADMIN, dealer_id=D['bruxelles-auto'])
        self.assertEqual(lead['dealer_id'], D['bruxelles-auto'])
        self.assertEqual(count(BRUXELLES_ADMIN), before + 1)
        assert_error(post(ADMIN, dealer_id='01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 404, 'not_found')

    def test_staff_cannot_file_a_lead_at_another_dealer(self):
        before = count(BRUXELLES_ADMIN)
        resp = post(SALES, dealer_id=D['bruxelles-auto'])
        self.assertIn(resp.status, (403, 404, 422), resp.describe())
        self.assertEqual(count(BRUXELLES_ADMIN), before)
        lead = new_lead(SALES, dealer_id=D['garage-amstel'])
        self.assertEqual(lead['dealer_id'], D['garage-amstel'])

    def test_idempotent_create(self):
        before = count()
        b = body()
        key = {'Idempotency-Key': unique('idem-lead')}
        first = expect(api(SALES, 'POST', '/leads', b, headers=key), 201)
        again = api(SALES, 'POST', '/leads', b, headers=key)
        self.assertEqual(expect(again, 201)['id'], first['id'])
        self.assertEqual(again.headers.get('Idempotency-Replayed'), 'true')
        self.assertEqual(again.body['repeats'], 0, 'a replay is not a repeat')
        self.assertEqual(count(), before + 1)


class Hostile(unittest.TestCase):

    def test_malformed_json(self):
        before, before_c = count(), len(customers())
        for raw in (b'{', b'{"source": "web", "channel": "web"', b'not json', b'', b'null',
                    b'[]', b'"lead"', b'{"source": }', b'\xff\xfe{}', b'{"a":1}}'):
            with self.subTest(raw=raw):
                assert_error(SRV.request('POST', '/api/v1/leads', raw=raw, token=T[SALES]),
                             400, 'bad_request')
        self.assertEqual(count(), before)
        self.assertEqual(len(customers()), before_c)

    def test_wrong_types(self):
        before, before_c = count(), len(customers())
        cases = [
            body(source=5), body(channel=['web']), body(message={'a': 1}),
            body(customer='Anna'), body(customer=None), body(customer=Ellipsis),
            body(customer={'name': 5, 'email': mail()}),
            body(customer={'name': 'x', 'email': 7}),
            body(customer={'name': 'x', 'email': mail(), 'phone': 612345678}),
            body(vehicle_interest=['Aurora']), body(vehicle_interest='Aurora Nova'),
            body(vehicle_interest={'make': 'Aurora', 'year': '2026'}),
            body(vehicle_interest={'make': 'Aurora', 'year': 2026.5}),
            body(vehicle_interest={'make': 5}),
            body(trade_in={'make': 'VW', 'mileage_km': '120000'}),
            body(trade_in={'make': 'VW', 'mileage_km': 1.5}),
            body(trade_in='Golf'),
            body(online_journey={'type': 'page'}), body(online_journey=['page']),
            body(online_journey=[{'type': 'page', 'data': 'x'}]),
            body(online_journey=[{'type': 7}]),
            body(dealer_id=5),
        ]
        for b in cases:
            with self.subTest(body=json.dumps(b)[:120]):
                assert_error(api(SALES, 'POST', '/leads', b), 400, 'bad_request')
        self.assertEqual(count(), before)
        self.assertEqual(len(customers()), before_c)

    def test_unknown_fields(self):
        before, before_c = count(), len(customers())
        cases = [
            (body(priority='high'), 'priority'),
            (body(customer={'name': 'x', 'email': mail(), 'age': 40}), None),
            (body(vehicle_interest={'make': 'Aurora', 'colour': 'blue'}), None),
            (body(trade_in={'make': 'VW', 'condition': 'used'}), None),
            (body(online_journey=[{'type': 'page', 'url': '/x'}]), None),
        ]
        for b, field in cases:
            with self.subTest(body=json.dumps(b)[:120]):
                assert_error(api(SALES, 'POST', '/leads', b), 400, 'bad_request',
                             [field] if field else None)
        self.assertEqual(count(), before)
        self.assertEqual(len(customers()), before_c)

    def test_content_type_and_size(self):
        before, before_c = count(), len(customers())
        resp = SRV.request('POST', '/api/v1/leads', raw=json.dumps(body()).encode(),
                           headers={'Content-Type': 'text/plain'}, token=T[SALES])
        assert_error(resp, 415, 'unsupported_media_type')
        big = json.dumps(body(message='x' * (1024 * 1024 + 10))).encode()
        assert_error(SRV.stream('POST', '/api/v1/leads', [big], token=T[SALES]), 413,
                     'payload_too_large')
        self.assertEqual(count(), before)
        self.assertEqual(len(customers()), before_c)

    def test_nul_refused(self):
        before, before_c = count(), len(customers())
        for b in (body(source='web\u0000site'), body(message='a\u0000b'),
                  body(customer={'name': 'Nul\u0000Name', 'email': mail()}),
                  body(vehicle_interest={'make': 'Aur\u0000ora'}),
                  body(online_journey=[{'type': 'page', 'data': {'u': '\u0000'}}])):
            with self.subTest(body=json.dumps(b)[:100]):
                assert_error(api(SALES, 'POST', '/leads', b), 400, 'bad_request')
        self.assertEqual(count(), before)
        self.assertEqual(len(customers()), before_c)

    def test_sql_looking_strings_are_stored_literally(self):
        before = count()
        lead = new_lead(source=SQLI, message=SQLI,
                        customer={'name': SQLI, 'email': mail()},
                        vehicle_interest={'make': SQLI, 'model': "1' OR '1'='1"},
                        trade_in={'make': SQLI})
        got = get_lead(lead['id'])
        self.assertEqual(got['source'], SQLI)
        self.assertEqual(got['message'], SQLI)
        self.assertEqual(got['make'], SQLI)
        self.assertEqual(got['model'], "1' OR '1'='1")
        self.assertEqual(got['trade_in']['make'], SQLI)
        self.assertEqual(got['customer']['name'], SQLI)
        self.assertEqual(count(), before + 1, 'the table is still there')
        for q in ('?status=' + harness.urlquote("new'--"),
                  '?assigned_to=' + harness.urlquote("' OR '1'='1"),
                  '?status=' + harness.urlquote("new' OR 1=1--")):
            with self.subTest(q):
                resp = api(SALES, 'GET', '/leads' + q)
                self.assertIn(resp.status, (200, 400), resp.describe())
                if resp.status == 200:
                    self.assertEqual(resp.body['items'], [])

    def test_unicode_round_trip(self):
        for name in ('Émilie Dubois', 'Jürgen Müller', '李小龙', 'Zoë 🚗 Fan', 'Ørsted Åse',
                     'Δημήτρης', 'محمد', 'Aoife Ní Bhriain'):
            with self.subTest(name):
                lead = new_lead(customer={'name': name, 'email': mail()}, message=name * 2,
                                source='web ' + name,
                                vehicle_interest={'make': 'Škoda', 'model': 'Scénic ' + name},
                                online_journey=[{'type': 'note', 'at': '2026-11-20T10:00:00Z',
                                                 'data': {'text': name}}])
                got = get_lead(lead['id'])
                self.assertEqual(got['customer']['name'], name)
                self.assertEqual(got['message'], name * 2)
                self.assertEqual(got['source'], 'web ' + name)
                self.assertEqual(got['make'], 'Škoda')
                self.assertEqual(got['model'], 'Scénic ' + name)
                self.assertEqual(got['journey'][0]['payload']['data'], {'text': name})
                listed = [x for x in leads() if x['id'] == lead['id']]
                self.assertEqual(listed[0]['customer_name'], name)

    def test_unknown_and_malformed_ids(self):
        for lid in ('01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'nope', harness.urlquote("1' OR '1'='1"),
                    'x' * 300):
            with self.subTest(lid[:40]):
                assert_error(api(SALES, 'GET', '/leads/' + lid), 404, 'not_found')
                assert_error(api(SALES, 'PATCH', '/leads/' + lid, {'status': 'contacted'}), 404,
                             'not_found')
                assert_error(api(SALES, 'POST', '/leads/%s/contacts' % lid, {'channel': 'phone'}),
                             404, 'not_found')

    def test_every_write_route_refuses_bad_bodies(self):
        lead = new_lead()
        settings = expect(api(SALES, 'GET', '/dealers/%s/lead-settings' % D['garage-amstel']), 200)
        tl = len(timeline(lead['customer_id']))
        big = json.dumps({'note': 'x' * (1024 * 1024 + 16)}).encode()
        for path, method, who in (('/leads/' + lead['id'], 'PATCH', SALES),
                                  ('/leads/%s/contacts' % lead['id'], 'POST', SALES),
                                  ('/dealers/%s/lead-settings' % D['garage-amstel'], 'PUT',
                                   DEALER_ADMIN),
                                  ('/leads', 'POST', SALES)):
            full = '/api/v1' + path
            with self.subTest(path=path):
                for raw in (b'{', b'[]', b'{"a":1}}', b'{"status": "contacted"', b'\xc3\x28'):
                    assert_error(SRV.request(method, full, raw=raw, token=T[who]), 400,
                                 'bad_request', msg=repr(raw))
                assert_error(SRV.request(method, full, raw=b'{}', token=T[who],
                                         headers={'Content-Type': 'text/plain'}), 415,
                             'unsupported_media_type')
                assert_error(SRV.stream(method, full, [big], token=T[who]), 413,
                             'payload_too_large')
        now = get_lead(lead['id'])
        self.assertEqual(now['version'], 1)
        self.assertEqual(now['status'], 'new')
        self.assertIsNone(now['first_response_at'])
        self.assertEqual(len(timeline(lead['customer_id'])), tl)
        self.assertEqual(expect(api(SALES, 'GET', '/dealers/%s/lead-settings'
                                    % D['garage-amstel']), 200), settings)


# -- matching ------------------------------------------------------------------------

class Matching(unittest.TestCase):

    def test_new_customer_then_matched_by_email(self):
        email = mail()
        before_c = len(customers())
        first = new_lead(customer={'name': 'Fresh Face', 'email': email})
        self.assertIs(first['matched'], False)
        self.assertEqual(len(customers()), before_c + 1, 'a customer was created')
        second = new_lead(customer={'name': 'Fresh Face', 'email': email},
                          vehicle_interest={'condition': 'used', 'make': 'Borealis', 'model': 'Y'})
        self.assertIs(second['matched'], True)
        self.assertIs(second['merged'], False)
        self.assertEqual(second['customer_id'], first['customer_id'])
        self.assertNotEqual(second['id'], first['id'])
        self.assertEqual(len(customers()), before_c + 1, 'no second customer')

    def test_email_any_case(self):
        email = 'Mixed.' + unique('case') + '@Example.TEST'
        c = new_customer(email=email)
        for variant in (email.lower(), email.upper(), email):
            with self.subTest(variant):
                lead = new_lead(customer={'name': 'Someone Else', 'email': variant},
                                vehicle_interest={'make': 'Aurora', 'model': word()})
                self.assertIs(lead['matched'], True)
                self.assertEqual(lead['customer_id'], c['id'])

    def test_phone_any_formatting(self):
        phone, e164 = nl_mobile()
        c = new_customer(email=None, phone=phone)
        digits = e164[4:]
        for variant in (e164, '+31 6 ' + digits, '06-' + digits, '0031 6 %s %s' % (digits[:4], digits[4:]),
                        '(06) ' + digits):
            with self.subTest(variant):
                lead = new_lead(customer={'name': 'Phone Caller', 'phone': variant},
                                vehicle_interest={'make': 'Aurora', 'model': word()})
                self.assertIs(lead['matched'], True)
                self.assertEqual(lead['customer_id'], c['id'])

    def test_phone_of_a_lead_with_email_matches_too(self):
        phone, e164 = nl_mobile()
        c = new_customer(email=None, phone=phone)
        lead = new_lead(customer={'name': 'New Mail', 'email': mail(), 'phone': e164})
        self.assertIs(lead['matched'], True)
        self.assertEqual(lead['customer_id'], c['id'])

    def test_trade_in_vin_of_a_known_car(self):
        owner = new_customer()
        v = vin()
        expect(api(SALES, 'POST', '/vehicles', {'vin': v, 'customer_id': owner['id']}), 201)
        before_c = len(customers())
        lead = new_lead(customer={'name': 'Different Name', 'email': mail()},
                        trade_in={'make': 'Volkswagen', 'model': 'Golf', 'vin': v})
        self.assertIs(lead['matched'], True)
        self.assertEqual(lead['customer_id'], owner['id'])
        self.assertEqual(len(customers()), before_c, 'no new customer')

    def test_trade_in_vin_typed_another_way(self):
        owner = new_customer()
        v = vin()
        expect(api(SALES, 'POST', '/vehicles', {'vin': v, 'customer_id': owner['id']}), 201)
        typed = '%s %s %s' % (v[:3].lower(), v[3:9].lower(), v[9:])
        lead = new_lead(customer={'name': 'Sloppy Typist', 'email': mail()},
                        trade_in={'make': 'Volkswagen', 'model': 'Golf', 'vin': typed})
        self.assertEqual(lead['customer_id'], owner['id'],
                         'a VIN typed in lower case with spaces is the same VIN')
        self.assertIs(lead['matched'], True)

    def test_interest_vin_of_a_known_car(self):
        owner = new_customer()
        v = vin()
        expect(api(SALES, 'POST', '/vehicles', {'vin': v, 'customer_id': owner['id']}), 201)
        lead = new_lead(customer={'name': 'Buying Back', 'email': mail()},
                        vehicle_interest={'condition': 'used', 'make': 'Volkswagen',
                                          'model': 'Golf', 'vin': v})
        self.assertIs(lead['matched'], True)
        self.assertEqual(lead['customer_id'], owner['id'])

    def test_trade_in_vin_links_the_car_to_the_customer(self):
        v = vin()
        lead = new_lead(trade_in={'make': 'Volkswagen', 'model': 'Golf', 'year': 2010,
                                  'mileage_km': 150000, 'vin': v})
        c = get_lead(lead['id'])['customer']
        self.assertIn(v, [x['vin'] for x in c['vehicles']])
        found = expect(api(SALES, 'GET', '/vehicles?q=' + v), 200)['items']
        self.assertEqual([x['vin'] for x in found], [v])

    def test_a_bad_trade_in_vin_does_not_lose_the_lead(self):
        lead = new_lead(trade_in={'make': 'Volkswagen', 'vin': 'NOT-A-VIN'})
        self.assertEqual(lead['trade_in']['vin'], 'NOT-A-VIN')
        self.assertEqual(get_lead(lead['id'])['customer']['vehicles'], [])

    def test_matching_is_per_dealer(self):
        email = mail()
        other = new_customer(BRUXELLES_ADMIN, email=email)
        lead = new_lead(customer={'name': 'Two Dealers', 'email': email})
        self.assertIs(lead['matched'], False)
        self.assertNotEqual(lead['customer_id'], other['id'])
        self.assertEqual(get_lead(lead['id'])['customer']['dealer_id'], D['garage-amstel'])


class CustomerLifecycle(unittest.TestCase):
    """A lead's customer is merged into another, or erased."""

    def test_merging_the_customer_takes_the_lead_along(self):
        kept = new_customer(name='Kept Person')
        lead = new_lead(customer={'name': 'Dup Person', 'email': mail()})
        dup = lead['customer_id']
        resp = api(SALES, 'POST', '/customers/%s/merge' % kept['id'], {'from': dup})
        expect(resp, 200, 'merge a customer who has a lead into another')
        got = get_lead(lead['id'])
        self.assertEqual(got['customer_id'], kept['id'], 'the lead follows its customer')
        self.assertEqual(got['customer']['id'], kept['id'])
        self.assertIn('lead.received', [e['type'] for e in got['timeline']])
        assert_error(api(SALES, 'GET', '/customers/' + dup), 404, 'not_found')

    def test_merging_into_the_lead_customer(self):
        lead = new_lead()
        other = new_customer()
        expect(api(SALES, 'POST', '/customers/%s/merge' % lead['customer_id'],
                   {'from': other['id']}), 200)
        self.assertEqual(get_lead(lead['id'])['customer_id'], lead['customer_id'])

    def test_erasure_leaves_nothing_personal_in_the_lead(self):
        secret = 'Zxq' + word(6)
        email = mail()
        lead = new_lead(customer={'name': 'Erase ' + secret, 'email': email},
                        message='Please call %s on 06-%s' % (secret, secret))
        expect(api(DEALER_ADMIN, 'DELETE', '/customers/' + lead['customer_id']), 204)
        got = get_lead(lead['id'])
        self.assertIs(got['customer']['erased'], True)
        self.assertEqual(got['customer']['name'], '')
        listed = [x for x in leads() if x['id'] == lead['id']][0]
        self.assertNotIn(secret, json.dumps(listed, ensure_ascii=False), 'inbox entry')
        self.assertNotIn(secret, json.dumps(got, ensure_ascii=False),
                         'the erased person\'s words are still in the lead')
        audit = [e for e in SRV.list_all('/api/v1/audit', T[DEALER_ADMIN])
                 if e['entity_id'] == lead['id']]
        self.assertNotIn(secret, json.dumps(audit, ensure_ascii=False), 'audit of the lead')
        self.assertNotIn(email, json.dumps(audit), 'audit of the lead')

    def test_erased_customer_is_not_chased(self):
        lead = new_lead()
        expect(api(DEALER_ADMIN, 'DELETE', '/customers/' + lead['customer_id']), 204)
        self.assertEqual(get_lead(lead['id'])['contact_channels'], [])
        for ch in ('phone', 'email', 'sms'):
            with self.subTest(ch):
                resp = api(SALES, 'POST', '/leads/%s/contacts' % lead['id'], {'channel': ch})
                self.assertIn(resp.status, (404, 409, 422), resp.describe())
        # The same person sending a new lead is a new customer, not the erased record.
        again = new_lead(customer={'name': 'Back Again', 'email': mail()})
        self.assertNotEqual(again['customer_id'], lead['customer_id'])


# -- duplicates ----------------------------------------------------------------------

class Duplicates(unittest.TestCase):

    def test_same_lead_twice_is_merged(self):
        b = body()
        before = count()
        first = expect(api(SALES, 'POST', '/leads', b), 201)
        second = expect(api(SALES, 'POST', '/leads', b), 201)
        self.assertIs(second['merged'], True)
        self.assertIs(second['matched'], True)
        self.assertEqual(second['id'], first['id'])
        self.assertEqual(second['repeats'], 1)
        third = expect(api(SALES, 'POST', '/leads', b), 201)
        self.assertEqual(third['id'], first['id'])
        self.assertEqual(third['repeats'], 2)
        self.assertEqual(count(), before + 1)
        self.assertEqual(get_lead(first['id'])['repeats'], 2)
        types = [e['type'] for e in timeline(first['customer_id'])]
        self.assertEqual(types.count('lead.received'), 1)
        self.assertEqual(types.count('lead.repeated'), 2)

    def test_merge_ignores_letter_case(self):
        b = body()
        first = expect(api(SALES, 'POST', '/leads', b), 201)
        b2 = json.loads(json.dumps(b))
        b2['customer']['email'] = b['customer']['email'].upper()
        b2['vehicle_interest']['make'] = b['vehicle_interest']['make'].upper()
        b2['vehicle_interest']['model'] = b['vehicle_interest']['model'].upper()
        second = expect(api(SALES, 'POST', '/leads', b2), 201)
        self.assertIs(second['merged'], True)
        self.assertEqual(second['id'], first['id'])

    def test_differences_make_a_new_lead(self):
        b = body()
        first = expect(api(SALES, 'POST', '/leads', b), 201)
        variants = {
            'source': dict(b, source='showroom-phone'),
            'model': dict(b, vehicle_interest=dict(b['vehicle_interest'], model='Other')),
            'make': dict(b, vehicle_interest=dict(b['vehicle_interest'], make='Borealis')),
            'condition': dict(b, vehicle_interest=dict(b['vehicle_interest'], condition='used')),
            'customer': dict(b, customer={'name': 'Someone Else', 'email': mail()}),
        }
        for what, v in variants.items():
            with self.subTest(what):
                lead = expect(api(SALES, 'POST', '/leads', v), 201)
                self.assertIs(lead['merged'], False)
                self.assertNotEqual(lead['id'], first['id'])

    def test_a_closed_lead_is_not_reopened(self):
        b = body()
        first = expect(api(SALES, 'POST', '/leads', b), 201)
        expect(api(SALES, 'PATCH', '/leads/' + first['id'],
                   {'status': 'lost', 'lost_reason': 'bought elsewhere'}), 200)
        again = expect(api(SALES, 'POST', '/leads', b), 201)
        self.assertIs(again['merged'], False)
        self.assertNotEqual(again['id'], first['id'])
        self.assertEqual(again['status'], 'new')
        self.assertEqual(get_lead(first['id'])['status'], 'lost')

    def test_no_merge_after_the_window(self):
        # Window 0 hours: a submission a moment later is outside the window (at Bruxelles
        # Auto, so the other tests keep the default window).
        try:
            s = expect(put_settings({'dedupe_window_hours': 0}, BRUXELLES_ADMIN, 'bruxelles-auto'),
                       200)
            self.assertEqual(s['dedupe_window_hours'], 0)
            b = body()
            before = count(BRUXELLES_ADMIN)
            first = expect(api(BRUXELLES_ADMIN, 'POST', '/leads', b), 201)
            time.sleep(0.01)
            second = expect(api(BRUXELLES_ADMIN, 'POST', '/leads', b), 201)
            self.assertIs(second['merged'], False)
            self.assertNotEqual(second['id'], first['id'])
            self.assertEqual(second['customer_id'], first['customer_id'])
            self.assertEqual(count(BRUXELLES_ADMIN), before + 2)
            # Back to a window: the next one merges into the newest.
            reset_settings('bruxelles-auto')
            third = expect(api(BRUXELLES_ADMIN, 'POST', '/leads', b), 201)
            self.assertIs(third['merged'], True)
            self.assertEqual(third['id'], second['id'])
        finally:
            reset_settings('bruxelles-auto')

    def test_window_zero_never_merges(self):
        # A window of 0 hours switches duplicate suppression off: even submissions that
        # arrive back to back (in the same millisecond) are separate leads.
        try:
            expect(put_settings({'dedupe_window_hours': 0}, BRUXELLES_ADMIN, 'bruxelles-auto'), 200)
            b = body()
            before = count(BRUXELLES_ADMIN)
            got = [expect(api(BRUXELLES_ADMIN, 'POST', '/leads', b), 201) for _ in range(20)]
            merged = [(x['id'], x['received_at']) for x in got if x['merged']]
            self.assertEqual(merged, [], 'merged although the window is 0 hours')
            self.assertEqual(count(BRUXELLES_ADMIN), before + 20)
        finally:
            reset_settings('bruxelles-auto')

    def test_concurrent_submissions_make_one_lead(self):
        b = body()
        before, before_c = count(), len(customers())
        out = []

        def send():
            out.append(api(SALES, 'POST', '/leads', b))
        threads = [threading.Thread(target=send) for _ in range(12)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        for r in out:
            expect(r, 201)
        self.assertEqual(len({r.body['id'] for r in out}), 1, 'one lead for a double submit')
        self.assertEqual(len({r.body['customer_id'] for r in out}), 1)
        self.assertEqual(sum(1 for r in out if not r.body['merged']), 1)
        self.assertEqual(get_lead(out[0].body['id'])['repeats'], 11)
        self.assertEqual(count(), before + 1)
        self.assertEqual(len(customers()), before_c + 1)

    def test_merged_submission_adds_its_journey(self):
        b = body()
        first = expect(api(SALES, 'POST', '/leads', b), 201)
        b2 = dict(b, online_journey=[{'type': 'finance_quote', 'at': '2026-11-21T09:00:00Z',
                                      'data': {'monthly': 399}}])
        second = expect(api(SALES, 'POST', '/leads', b2), 201)
        self.assertEqual(second['id'], first['id'])
        journey = get_lead(first['id'])['journey']
        self.assertEqual([e['type'] for e in journey], ['journey.finance_quote'])


# -- assignment and settings ---------------------------------------------------------

class Assignment(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        email = unique('sales2') + '@garage-amstel.test'
        u = expect(api(DEALER_ADMIN, 'POST', '/users',
                       {'email': email, 'name': 'Second Seller', 'password': 'second-seller-pw',
                        'role': 'sales', 'dealer_id': D['garage-amstel'], 'locale': 'nl'}),
                   201, 'create a second salesperson')
        cls.sales2 = u['id']

    def setUp(self):
        reset_settings()

    def tearDown(self):
        reset_settings()

    def test_round_robin_among_sales(self):
        pool = sales_pool()
        self.assertIn(self.sales2, pool)
        self.assertIn(U[SALES], pool)
        self.assertGreaterEqual(len(pool), 2)
        got = [new_lead()['assigned_to'] for _ in range(2 * len(pool))]
        for uid in pool:
            self.assertEqual(got.count(uid), 2, 'each salesperson gets their turn: %r' % got)
        for a, b in zip(got, got[1:]):
            self.assertNotEqual(a, b, 'round robin: %r' % got)
        self.assertNotIn(U[SERVICE_ADVISOR], got)
        self.assertNotIn(U[DEALER_ADMIN], got)

    def test_rules_by_brand_and_condition(self):
        rules = [{'brand_id': B['aurora'], 'condition': 'used', 'users': [U[SERVICE_ADVISOR]]},
                 {'brand_id': B['borealis'], 'users': [U[TECHNICIAN]]},
                 {'condition': 'new', 'users': [self.sales2]}]
        s = expect(put_settings({'rules': rules}), 200)
        self.assertEqual(s['rules'], rules)
        self.assertEqual(expect(api(SALES, 'GET', '/dealers/%s/lead-settings'
                                    % D['garage-amstel']), 200)['rules'], rules)
        cases = [({'condition': 'used', 'make': 'Aurora'}, U[SERVICE_ADVISOR]),
                 ({'condition': 'new', 'make': 'Aurora'}, self.sales2),
                 ({'condition': 'used', 'make': 'Borealis'}, U[TECHNICIAN]),
                 ({'condition': 'new', 'make': 'Borealis'}, U[TECHNICIAN]),
                 ({'make': 'Borealis'}, U[TECHNICIAN]),
                 ({'condition': 'new', 'make': 'Toyota'}, self.sales2)]
        for vi, who in cases:
            with self.subTest(vi):
                vi = dict(vi, model=word())
                self.assertEqual(new_lead(vehicle_interest=vi)['assigned_to'], who)
        # No rule matches: round robin among the sales staff.
        pool = sales_pool()
        rest = [new_lead(vehicle_interest={'condition': 'used', 'make': 'Toyota', 'model': word()})
                ['assigned_to'] for _ in range(len(pool))]
        self.assertEqual(set(rest), pool)

    def test_rule_users_take_turns(self):
        expect(put_settings({'rules': [{'condition': 'used',
                                        'users': [U[SALES], U[SERVICE_ADVISOR]]}]}), 200)
        got = [new_lead(vehicle_interest={'condition': 'used', 'make': 'Aurora', 'model': word()})
               ['assigned_to'] for _ in range(4)]
        self.assertEqual(sorted(got), sorted([U[SALES], U[SERVICE_ADVISOR]] * 2), got)
        self.assertNotEqual(got[0], got[1])

    def test_settings_defaults_and_round_trip(self):
        s = expect(api(SALES, 'GET', '/dealers/%s/lead-settings' % D['garage-amstel']), 200)
        self.assertEqual(s, {'response_target_min': 60, 'dedupe_window_hours': 72, 'rules': []})
        m = expect(api(ADMIN, 'GET', '/dealers/%s/lead-settings' % D['montreal-motors']), 200)
        self.assertEqual(m, {'response_target_min': 60, 'dedupe_window_hours': 72, 'rules': []})
        doc = {'response_target_min': 15, 'dedupe_window_hours': 24,
               'rules': [{'condition': 'new', 'users': [U[SALES]]}]}
        self.assertEqual(expect(put_settings(doc), 200), doc)
        self.assertEqual(expect(api(SALES, 'GET', '/dealers/%s/lead-settings'
                                    % D['garage-amstel']), 200), doc)
        # Limits accepted.
        for doc in ({'response_target_min': 1, 'dedupe_window_hours': 0},
                    {'response_target_min': 10080, 'dedupe_window_hours': 720}):
            with self.subTest(doc):
                got = expect(put_settings(doc), 200)
                self.assertEqual(got['response_target_min'], doc['response_target_min'])
                self.assertEqual(got['dedupe_window_hours'], doc['dedupe_window_hours'])

    def test_settings_validation(self):
        reset_settings()
        before = expect(api(SALES, 'GET', '/dealers/%s/lead-settings' % D['garage-amstel']), 200)
        unprocessable = [
            ({'response_target_min': 0}, 'response_target_min'),
            ({'response_target_min': 10081}, 'response_target_min'),
            ({'response_target_min': -5}, 'response_target_min'),
            ({'dedupe_window_hours': -1}, 'dedupe_window_hours'),
            ({'dedupe_window_hours': 721}, 'dedupe_window_hours'),
            ({'rules': [{'condition': 'old', 'users': [U[SALES]]}]}, 'rules'),
            ({'rules': [{'condition': 'new', 'users': []}]}, 'rules'),
            ({'rules': [{'condition': 'new'}]}, 'rules'),
            ({'rules': [{'users': [U[MONTREAL_SALES]]}]}, 'rules'),
            ({'rules': [{'users': ['01ZZZZZZZZZZZZZZZZZZZZZZZZ']}]}, 'rules'),
            # Cirrus is not sold at Garage Amstel; an unknown or hostile id is no brand either.
            ({'rules': [{'brand_id': B['cirrus'], 'users': [U[SALES]]}]}, 'rules'),
            ({'rules': [{'brand_id': '01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'users': [U[SALES]]}]}, 'rules'),
            ({'rules': [{'brand_id': "x' OR '1'='1", 'users': [U[SALES]]}]}, 'rules'),
        ]
        for doc, field in unprocessable:
            with self.subTest(doc=doc):
                assert_error(put_settings(doc), 422, 'validation_failed', [field])
        bad = [{'response_target_min': '60'}, {'dedupe_window_hours': 1.5},
               {'rules': {'users': [U[SALES]]}}, {'rules': ['x']},
               {'rules': [{'users': U[SALES]}]}, {'rules': [{'users': [5]}]},
               {'rules': [{'users': [U[SALES]], 'make': 'Aurora'}]},
               {'rules': [{'users': [U[SALES]]}] * 21}, {'target': 5}]
        for doc in bad:
            with self.subTest(doc=json.dumps(doc)[:80]):
                assert_error(put_settings(doc), 400, 'bad_request')
        self.assertEqual(expect(api(SALES, 'GET', '/dealers/%s/lead-settings'
                                    % D['garage-amstel']), 200), before)

    def test_settings_audited(self):
        expect(put_settings({'response_target_min': 30}), 200)
        audit = [e for e in SRV.list_all('/api/v1/audit', T[DEALER_ADMIN])
                 if 'lead_settings' in e['action'] and e['entity_id'] == D['garage-amstel']]
        self.assertTrue(audit)
        self.assertEqual(audit[0]['after']['response_target_min'], 30)


# -- the inbox -----------------------------------------------------------------------

class Inbox(unittest.TestCase):

    def test_order_new_first_oldest_first_then_open_newest_first_then_closed(self):
        made = [new_lead() for _ in range(6)]
        expect(api(SALES, 'PATCH', '/leads/' + made[1]['id'], {'status': 'contacted'}), 200)
        expect(api(SALES, 'PATCH', '/leads/' + made[3]['id'], {'status': 'qualified'}), 200)
        expect(api(SALES, 'PATCH', '/leads/' + made[4]['id'],
                   {'status': 'lost', 'lost_reason': 'no budget'}), 200)
        items = leads()
        tier = {'new': 0, 'won': 2, 'lost': 2}
        tiers = [tier.get(x['status'], 1) for x in items]
        self.assertEqual(tiers, sorted(tiers), 'new, then open, then closed: %r'
                         % [x['status'] for x in items])
        for t, newest_first in ((0, False), (1, True), (2, True)):
            times = [harness.parse_time(x['received_at']) for x in items if tier.get(x['status'], 1) == t]
            self.assertEqual(times, sorted(times, reverse=newest_first), 'tier %d' % t)
        pos = {x['id']: i for i, x in enumerate(items)}
        self.assertLess(pos[made[0]['id']], pos[made[2]['id']], 'older new lead first')
        self.assertLess(pos[made[5]['id']], pos[made[1]['id']], 'new before contacted')
        self.assertLess(pos[made[3]['id']], pos[made[1]['id']], 'newer open lead first')
        self.assertLess(pos[made[1]['id']], pos[made[4]['id']], 'closed last')
        for x in items:
            self.assertIn('customer_name', x)
            self.assertIn('overdue', x)
            self.assertEqual(x['dealer_id'], D['garage-amstel'])

    def test_status_filters(self):
        a, b, c = new_lead(), new_lead(), new_lead()
        expect(api(SALES, 'PATCH', '/leads/' + b['id'], {'status': 'contacted'}), 200)
        expect(api(SALES, 'PATCH', '/leads/' + c['id'],
                   {'status': 'lost', 'lost_reason': 'moved away'}), 200)
        for status in ('new', 'contacted', 'lost'):
            with self.subTest(status):
                items = leads(query='?status=' + status)
                self.assertTrue(items)
                self.assertEqual({x['status'] for x in items}, {status})
        self.assertIn(a['id'], [x['id'] for x in leads(query='?status=new')])
        open_items = leads(query='?status=open')
        ids = [x['id'] for x in open_items]
        self.assertIn(a['id'], ids)
        self.assertIn(b['id'], ids)
        self.assertNotIn(c['id'], ids)
        self.assertFalse({x['status'] for x in open_items} & {'won', 'lost'})
        self.assertEqual(leads(query='?status=won'), [x for x in leads() if x['status'] == 'won'])

    def test_assigned_to(self):
        mine = leads(SALES, '?assigned_to=me')
        self.assertEqual({x['assigned_to'] for x in mine} - {U[SALES]}, set())
        by_id = leads(DEALER_ADMIN, '?assigned_to=' + U[SALES])
        self.assertEqual({x['id'] for x in by_id}, {x['id'] for x in mine})
        lead = new_lead()
        expect(api(SALES, 'PATCH', '/leads/' + lead['id'], {'assigned_to': U[SERVICE_ADVISOR]}), 200)
        self.assertIn(lead['id'], [x['id'] for x in leads(SERVICE_ADVISOR, '?assigned_to=me')])
        self.assertNotIn(lead['id'], [x['id'] for x in leads(SALES, '?assigned_to=me')])
        self.assertEqual(leads(SALES, '?assigned_to=' + U[MONTREAL_SALES]), [])

    def test_paging(self):
        for _ in range(3):
            new_lead()
        everything = [x['id'] for x in leads()]
        seen, cursor = [], None
        for _ in range(1000):
            url = '/leads?limit=2' + ('&cursor=' + harness.urlquote(cursor) if cursor else '')
            page = expect(api(SALES, 'GET', url), 200)
            self.assertLessEqual(len(page['items']), 2)
            seen += [x['id'] for x in page['items']]
            cursor = page['next_cursor']
            if not cursor:
                break
        self.assertEqual(seen, everything)

    def test_bad_parameters(self):
        for q in ('limit=0', 'limit=501', 'limit=abc', 'limit=-1', 'cursor=garbage',
                  'cursor=o-5', 'cursor=oabc', 'cursor=o', 'status=open2', 'status=NEW',
                  'status=bogus'):
            with self.subTest(q):
                assert_error(api(SALES, 'GET', '/leads?' + q), 400, 'bad_request')

    def test_admin_names_the_dealer(self):
        assert_error(api(ADMIN, 'GET', '/leads'), 422, 'validation_failed', ['dealer_id'])
        lead = new_lead()
        items = leads(ADMIN, '?dealer_id=' + D['garage-amstel'])
        self.assertIn(lead['id'], [x['id'] for x in items])
        self.assertNotIn(lead['id'],
                         [x['id'] for x in leads(ADMIN, '?dealer_id=' + D['bruxelles-auto'])])


if __name__ == '__main__':
    unittest.main()
