"""Leads after intake: the pipeline (PATCH /api/v1/leads/{id}), reassignment, the first
response time, the overdue flag, the contact log (POST /leads/{id}/contacts) and consent,
and what GET /leads/{id} shows of the customer: the online journey and the whole timeline
(including a booking the customer made online).

Limit: "overdue" becomes true only once a new lead is older than the dealer's response
target, whose minimum is 1 minute, and a lead cannot be backdated through the API. These
tests check that the flag exists, is false for fresh and answered leads (also with a
1-minute target), and leave the true case to unit tests of the server.
"""

import random
import string
import unittest

import harness
from harness import (ADMIN, DEALER_ADMIN, MONTREAL_SALES, SALES, SERVICE_ADVISOR,
                     assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}
D = {}
U = {}

PIPELINE = ('new', 'contacted', 'qualified', 'test_drive', 'offer', 'won')


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN, SALES, SERVICE_ADVISOR, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
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
    return unique('pipe') + '@example.test'


def nl_mobile():
    digits = '1%07d' % random.randrange(0, 10 ** 7)
    return '06 %s %s %s %s' % (digits[0:2], digits[2:4], digits[4:6], digits[6:8]), '+316' + digits


def new_lead(who=SALES, customer=None, **over):
    b = {'source': 'website', 'channel': 'web',
         'customer': customer or {'name': 'Lead ' + word().capitalize(), 'email': mail()},
         'vehicle_interest': {'condition': 'new', 'make': 'Aurora', 'model': 'M' + word(5)}}
    b.update(over)
    return expect(api(who, 'POST', '/leads', b), 201, 'create lead')


def get_lead(lid, who=SALES):
    return expect(api(who, 'GET', '/leads/' + lid), 200, 'get lead')


def patch(lid, body, who=SALES):
    return api(who, 'PATCH', '/leads/' + lid, body)


def move(lid, status, **extra):
    return expect(patch(lid, dict(extra, status=status)), 200, 'move to ' + status)


def contact(lid, body, who=SALES):
    return api(who, 'POST', '/leads/%s/contacts' % lid, body)


def timeline(cid, who=SALES):
    return SRV.list_all('/api/v1/customers/%s/timeline' % cid, T.get(who, who), limit=50)


def events(cid, type_, lid=None):
    return [e for e in timeline(cid) if e['type'] == type_
            and (lid is None or e['payload'].get('lead_id') == lid)]


def audit_for(entity_id):
    return [e for e in SRV.list_all('/api/v1/audit', T[DEALER_ADMIN]) if e['entity_id'] == entity_id]


def put_settings(doc):
    return api(DEALER_ADMIN, 'PUT', '/dealers/%s/lead-settings' % D['garage-amstel'], doc)


def t(value):
    return harness.parse_time(value)


def assert_unchanged(tc, before, lid):
    now = get_lead(lid)
    for k in ('status', 'version', 'first_response_at', 'closed_at', 'test_drive_at',
              'lost_reason', 'assigned_to'):
        tc.assertEqual(now[k], before[k], k)


# -- the pipeline --------------------------------------------------------------------

class Pipeline(unittest.TestCase):

    def test_every_step_forward(self):
        lead = new_lead()
        lid, cid = lead['id'], lead['customer_id']
        first = None
        version = lead['version']
        for status in PIPELINE[1:]:
            with self.subTest(status):
                got = move(lid, status)
                self.assertEqual(got['status'], status)
                self.assertEqual(got['version'], version + 1)
                version = got['version']
                self.assertIn('customer', got, 'PATCH answers the lead as GET does')
                self.assertIn('timeline', got)
                harness.assert_rfc3339(self, got['first_response_at'], 'first_response_at')
                if first is None:
                    first = got['first_response_at']
                    self.assertGreaterEqual(t(first), t(lead['received_at']))
                    self.assertIsInstance(got['response_min'], int)
                    self.assertEqual(got['response_min'], 0)
                self.assertEqual(got['first_response_at'], first, 'recorded once')
                if status in ('test_drive', 'offer', 'won'):
                    harness.assert_rfc3339(self, got['test_drive_at'], 'test_drive_at')
                else:
                    self.assertIsNone(got['test_drive_at'])
                if status == 'won':
                    harness.assert_rfc3339(self, got['closed_at'], 'closed_at')
                else:
                    self.assertIsNone(got['closed_at'])
                self.assertIs(got['overdue'], False)
        self.assertEqual(len(events(cid, 'lead.status_changed')), len(PIPELINE) - 1)
        updates = [e for e in audit_for(lid) if e['action'] == 'lead.update']
        self.assertEqual(len(updates), len(PIPELINE) - 1)
        self.assertEqual(updates[0]['after']['status'], 'won', 'audit newest first')
        self.assertEqual(updates[0]['before']['status'], 'offer')

    def test_steps_may_be_skipped(self):
        lead = new_lead()
        got = move(lead['id'], 'offer')
        self.assertEqual(got['status'], 'offer')
        self.assertIsNotNone(got['first_response_at'], 'leaving new is a response')
        self.assertIsNone(got['test_drive_at'], 'no test drive happened')
        won = move(lead['id'], 'won')
        self.assertIsNotNone(won['closed_at'])
        other = new_lead()
        self.assertEqual(move(other['id'], 'test_drive')['status'], 'test_drive')
        self.assertIsNotNone(get_lead(other['id'])['test_drive_at'])

    def test_backwards_is_a_conflict(self):
        lead = new_lead()
        move(lead['id'], 'qualified')
        before = get_lead(lead['id'])
        for status in ('contacted', 'new'):
            with self.subTest(status):
                assert_error(patch(lead['id'], {'status': status}), 409, 'conflict')
        assert_unchanged(self, before, lead['id'])

    def test_lost_needs_a_reason(self):
        lead = new_lead()
        before = get_lead(lead['id'])
        for b in ({'status': 'lost'}, {'status': 'lost', 'lost_reason': ''}):
            with self.subTest(b=b):
                assert_error(patch(lead['id'], b), 422, 'validation_failed', ['lost_reason'])
        assert_error(patch(lead['id'], {'status': 'lost', 'lost_reason': 'x' * 201}), 422,
                     'validation_failed', ['lost_reason'])
        assert_error(patch(lead['id'], {'status': 'contacted', 'lost_reason': 'why not'}), 422,
                     'validation_failed', ['lost_reason'])
        assert_error(patch(lead['id'], {'lost_reason': 'just a reason'}), 422,
                     'validation_failed', ['lost_reason'])
        assert_unchanged(self, before, lead['id'])
        got = move(lead['id'], 'lost', lost_reason='Bought elsewhere — cheaper')
        self.assertEqual(got['status'], 'lost')
        self.assertEqual(got['lost_reason'], 'Bought elsewhere — cheaper')
        self.assertIsNotNone(got['closed_at'])
        self.assertIsNotNone(got['first_response_at'], 'leaving new is a response')
        self.assertEqual(len(events(lead['customer_id'], 'lead.status_changed')), 1)

    def test_status_events_carry_the_change(self):
        lead = new_lead()
        move(lead['id'], 'contacted')
        move(lead['id'], 'lost', lost_reason='Went electric elsewhere')
        ev = events(lead['customer_id'], 'lead.status_changed')
        self.assertEqual(len(ev), 2)
        self.assertEqual([e['channel'] for e in ev], ['network', 'network'])
        payloads = [e['payload'] for e in ev]
        self.assertEqual(payloads[0].get('lead_id'), lead['id'], payloads)
        self.assertEqual((payloads[0].get('from'), payloads[0].get('to')), ('contacted', 'lost'),
                         payloads)
        self.assertEqual(payloads[0].get('lost_reason'), 'Went electric elsewhere', payloads)
        self.assertEqual((payloads[1].get('from'), payloads[1].get('to')), ('new', 'contacted'),
                         payloads)
        self.assertEqual(payloads[1].get('lead_id'), lead['id'], payloads)

    def test_lost_from_every_open_status(self):
        for status in PIPELINE[:-1]:
            with self.subTest(status):
                lead = new_lead()
                if status != 'new':
                    move(lead['id'], status)
                self.assertEqual(move(lead['id'], 'lost', lost_reason='no')['status'], 'lost')

    def test_won_needs_a_contact_first(self):
        lead = new_lead()
        before = get_lead(lead['id'])
        assert_error(patch(lead['id'], {'status': 'won'}), 409, 'conflict')
        assert_unchanged(self, before, lead['id'])
        self.assertIsNone(get_lead(lead['id'])['first_response_at'])
        move(lead['id'], 'contacted')
        self.assertEqual(move(lead['id'], 'won')['status'], 'won')
        # After a contact logged (which moves it to contacted) it can be won at once.
        other = new_lead()
        expect(contact(other['id'], {'channel': 'phone'}), 201)
        self.assertEqual(move(other['id'], 'won')['status'], 'won')

    def test_closed_leads_do_not_move(self):
        won = new_lead()
        move(won['id'], 'offer')
        move(won['id'], 'won')
        lost = new_lead()
        move(lost['id'], 'lost', lost_reason='no budget')
        for lead, attempts in ((won, [{'status': 'lost', 'lost_reason': 'changed mind'},
                                      {'status': 'offer'}, {'status': 'new'}]),
                               (lost, [{'status': 'contacted'}, {'status': 'won'},
                                       {'status': 'new'}])):
            before = get_lead(lead['id'])
            for b in attempts:
                with self.subTest(lead=before['status'], body=b):
                    assert_error(patch(lead['id'], b), 409, 'conflict')
            assert_error(contact(lead['id'], {'channel': 'phone'}), 409, 'conflict')
            assert_unchanged(self, before, lead['id'])
            self.assertEqual(len(events(lead['customer_id'], 'call.logged')), 0)

    def test_same_status_changes_nothing(self):
        lead = new_lead()
        same = expect(patch(lead['id'], {'status': 'new'}), 200)
        self.assertEqual(same['status'], 'new')
        self.assertEqual(same['version'], 1)
        self.assertIsNone(same['first_response_at'], 'staying new is not a response')
        move(lead['id'], 'contacted')
        before = get_lead(lead['id'])
        again = expect(patch(lead['id'], {'status': 'contacted'}), 200)
        self.assertEqual(again['version'], before['version'])
        self.assertEqual(again['first_response_at'], before['first_response_at'])
        self.assertEqual(len(events(lead['customer_id'], 'lead.status_changed')), 1)
        empty = expect(patch(lead['id'], {}), 200)
        self.assertEqual(empty['version'], before['version'])
        lost = new_lead()
        move(lost['id'], 'lost', lost_reason='gone')
        self.assertEqual(expect(patch(lost['id'], {'status': 'lost', 'lost_reason': 'gone'}),
                                200)['status'], 'lost')

    def test_bad_patch_bodies(self):
        lead = new_lead()
        before = get_lead(lead['id'])
        assert_error(patch(lead['id'], {'status': 'archived'}), 422, 'validation_failed', ['status'])
        assert_error(patch(lead['id'], {'status': 'WON'}), 422, 'validation_failed', ['status'])
        for b in ({'status': 3}, {'status': ['contacted']}, {'assigned_to': 7},
                  {'lost_reason': False}, {'priority': 'high'}, {'status': 'contacted', 'x': 1},
                  {'status': 'lost', 'lost_reason': 'a\u0000b'}, {'status': 'con\u0000tacted'}):
            with self.subTest(b=b):
                assert_error(patch(lead['id'], b), 400, 'bad_request')
        assert_unchanged(self, before, lead['id'])


class Reassignment(unittest.TestCase):

    def test_reassign(self):
        lead = new_lead()
        got = expect(patch(lead['id'], {'assigned_to': U[SERVICE_ADVISOR]}), 200)
        self.assertEqual(got['assigned_to'], U[SERVICE_ADVISOR])
        self.assertEqual(got['status'], 'new')
        self.assertIsNone(got['first_response_at'], 'reassigning is not a response')
        ev = events(lead['customer_id'], 'lead.assigned', lead['id'])
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]['payload']['assigned_to'], U[SERVICE_ADVISOR])
        both = expect(patch(lead['id'], {'assigned_to': U[SALES], 'status': 'qualified'}), 200)
        self.assertEqual((both['assigned_to'], both['status']), (U[SALES], 'qualified'))

    def test_a_closed_lead_keeps_its_salesperson(self):
        for final, extra in (('won', {}), ('lost', {'lost_reason': 'bought elsewhere'})):
            with self.subTest(final=final):
                lead = new_lead()
                owner = lead['assigned_to']
                expect(patch(lead['id'], {'status': 'contacted'}), 200)
                expect(patch(lead['id'], dict({'status': final}, **extra)), 200)
                other = U[SERVICE_ADVISOR] if owner != U[SERVICE_ADVISOR] else U[SALES]
                before = get_lead(lead['id'])
                assert_error(patch(lead['id'], {'assigned_to': other}), 409, 'conflict')
                assert_unchanged(self, before, lead['id'])
                if owner:   # naming the same salesperson again changes nothing
                    self.assertEqual(expect(patch(lead['id'], {'assigned_to': owner}), 200)['assigned_to'], owner)

    def test_only_staff_of_the_dealer(self):
        lead = new_lead()
        before = get_lead(lead['id'])
        for uid in (U[MONTREAL_SALES], U[ADMIN], '01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'nobody', ''):
            with self.subTest(uid):
                assert_error(patch(lead['id'], {'assigned_to': uid}), 422, 'validation_failed',
                             ['assigned_to'])
        assert_unchanged(self, before, lead['id'])
        self.assertEqual(events(lead['customer_id'], 'lead.assigned'), [])


# -- first response, overdue -----------------------------------------------------------

class ResponseTime(unittest.TestCase):

    def test_contact_records_the_first_response_once(self):
        lead = new_lead()
        self.assertIsNone(lead['first_response_at'])
        got = expect(contact(lead['id'], {'channel': 'phone', 'outcome': 'no_answer',
                                          'note': 'Voicemail left'}), 201)
        self.assertEqual(got['status'], 'contacted', 'a contact moves a new lead on')
        first = got['first_response_at']
        harness.assert_rfc3339(self, first)
        self.assertGreaterEqual(t(first), t(lead['received_at']))
        self.assertEqual(got['response_min'], 0)
        self.assertIn('timeline', got, 'the answer is the lead as GET shows it')
        again = expect(contact(lead['id'], {'channel': 'email', 'note': 'Brochure sent'}), 201)
        self.assertEqual(again['first_response_at'], first)
        self.assertEqual(again['status'], 'contacted')
        moved = move(lead['id'], 'qualified')
        self.assertEqual(moved['first_response_at'], first)

    def test_contact_on_an_open_lead_keeps_its_status(self):
        lead = new_lead()
        move(lead['id'], 'offer')
        got = expect(contact(lead['id'], {'channel': 'walk_in'}), 201)
        self.assertEqual(got['status'], 'offer')

    def test_leaving_new_records_the_first_response(self):
        lead = new_lead()
        got = move(lead['id'], 'contacted')
        harness.assert_rfc3339(self, got['first_response_at'])
        self.assertIn('response_min', got)

    def test_overdue_flag(self):
        try:
            expect(put_settings({'response_target_min': 1}), 200)
            lead = new_lead()
            got = get_lead(lead['id'])
            self.assertIs(got['overdue'], False, 'a lead a moment old is not overdue')
            listed = [x for x in SRV.list_all('/api/v1/leads', T[SALES]) if x['id'] == lead['id']]
            self.assertIs(listed[0]['overdue'], False)
            answered = move(lead['id'], 'contacted')
            self.assertIs(answered['overdue'], False)
            for x in SRV.list_all('/api/v1/leads', T[SALES]):
                self.assertIsInstance(x['overdue'], bool)
                if x['status'] != 'new' or x['first_response_at']:
                    self.assertIs(x['overdue'], False, 'only unanswered new leads are overdue')
        finally:
            expect(put_settings({'response_target_min': 60, 'dedupe_window_hours': 72}), 200)


# -- the contact log and consent -----------------------------------------------------

class Contacts(unittest.TestCase):

    def test_contact_log_on_the_timeline(self):
        phone, _ = nl_mobile()
        lead = new_lead(customer={'name': 'Log Me', 'email': mail(), 'phone': phone})
        expect(contact(lead['id'], {'channel': 'phone', 'outcome': 'reached',
                                    'note': 'Wants a test drive on Saturday'}), 201)
        expect(contact(lead['id'], {'channel': 'email', 'note': 'Sent the price list'}), 201)
        calls = events(lead['customer_id'], 'call.logged')
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0]['channel'], 'phone')
        self.assertEqual(calls[0]['actor']['id'], U[SALES])
        mails = events(lead['customer_id'], 'email.sent')
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0]['channel'], 'email')
        self.assertEqual(len(events(lead['customer_id'], 'lead.status_changed')), 1)
        shown = [e['type'] for e in get_lead(lead['id'])['timeline']]
        self.assertIn('call.logged', shown)
        self.assertIn('email.sent', shown)

    def test_contact_events_carry_the_log(self):
        lead = new_lead()
        expect(contact(lead['id'], {'channel': 'phone', 'outcome': 'reached',
                                    'note': 'Wants a test drive on Saturday'}), 201)
        expect(contact(lead['id'], {'channel': 'email', 'note': 'Sent the price list'}), 201)
        call = events(lead['customer_id'], 'call.logged')[0]['payload']
        self.assertEqual(call.get('lead_id'), lead['id'], call)
        self.assertEqual(call.get('channel'), 'phone', call)
        self.assertEqual(call.get('outcome'), 'reached', call)
        self.assertEqual(call.get('note'), 'Wants a test drive on Saturday', call)
        sent = events(lead['customer_id'], 'email.sent')[0]['payload']
        self.assertEqual(sent.get('lead_id'), lead['id'], sent)
        self.assertEqual(sent.get('note'), 'Sent the price list', sent)

    def test_bad_contacts(self):
        lead = new_lead()
        before = get_lead(lead['id'])
        for b, field in (({'channel': 'fax'}, 'channel'), ({'channel': 'post'}, 'channel'),
                         ({}, 'channel'), ({'channel': ''}, 'channel'),
                         ({'channel': 'phone', 'note': 'n' * 2001}, 'note'),
                         ({'channel': 'phone', 'outcome': 'o' * 21}, 'outcome')):
            with self.subTest(b=str(b)[:60]):
                assert_error(contact(lead['id'], b), 422, 'validation_failed', [field])
        for b in ({'channel': 5}, {'channel': 'phone', 'note': ['x']},
                  {'channel': 'phone', 'note': 'nul\u0000note'},
                  {'channel': 'phone', 'duration': 30}, {'channel': 'phone', 'outcome': 1}):
            with self.subTest(b=b):
                assert_error(contact(lead['id'], b), 400, 'bad_request')
        assert_unchanged(self, before, lead['id'])
        self.assertEqual(events(lead['customer_id'], 'call.logged'), [])

    def test_withdrawn_consent_blocks_the_channel(self):
        phone, _ = nl_mobile()
        lead = new_lead(customer={'name': 'Rather Not', 'email': mail(), 'phone': phone})
        cid = lead['customer_id']
        self.assertEqual(sorted(get_lead(lead['id'])['contact_channels']), ['email', 'phone', 'sms'])
        expect(api(SALES, 'POST', '/customers/%s/consents' % cid,
                   {'channel': 'email', 'granted': False, 'source': 'phone'}), 201)
        got = get_lead(lead['id'])
        self.assertNotIn('email', got['contact_channels'])
        self.assertIn('phone', got['contact_channels'])
        assert_error(contact(lead['id'], {'channel': 'email', 'note': 'newsletter'}), 422,
                     'validation_failed', ['channel'])
        after = get_lead(lead['id'])
        self.assertEqual(after['status'], 'new')
        self.assertIsNone(after['first_response_at'], 'a refused contact is not a response')
        self.assertEqual(events(cid, 'email.sent'), [])
        # Other channels still work; a walk-in needs no consent.
        expect(contact(lead['id'], {'channel': 'phone'}), 201)
        for ch in ('sms', 'phone'):
            expect(api(SALES, 'POST', '/customers/%s/consents' % cid,
                       {'channel': ch, 'granted': False, 'source': 'phone'}), 201)
        self.assertEqual(get_lead(lead['id'])['contact_channels'], [])
        for ch in ('sms', 'phone'):
            with self.subTest(ch):
                assert_error(contact(lead['id'], {'channel': ch}), 422, 'validation_failed',
                             ['channel'])
        expect(contact(lead['id'], {'channel': 'walk_in', 'note': 'Came by'}), 201)
        # Granting again reopens the channel.
        expect(api(SALES, 'POST', '/customers/%s/consents' % cid,
                   {'channel': 'email', 'granted': True, 'source': 'web'}), 201)
        self.assertIn('email', get_lead(lead['id'])['contact_channels'])
        expect(contact(lead['id'], {'channel': 'email'}), 201)

    def test_channels_the_customer_can_be_reached_on(self):
        email_only = new_lead()
        self.assertEqual(get_lead(email_only['id'])['contact_channels'], ['email'])
        phone, _ = nl_mobile()
        phone_only = new_lead(customer={'name': 'Phone Only', 'phone': phone})
        self.assertEqual(sorted(get_lead(phone_only['id'])['contact_channels']), ['phone', 'sms'])


# -- journey and timeline ------------------------------------------------------------

class Journey(unittest.TestCase):

    def test_journey_events_at_the_step_times(self):
        steps = [{'type': 'configurator', 'at': '2026-11-20T10:00:00+01:00',
                  'data': {'model': 'Nova', 'colour': 'Aurora Blue', 'options': ['tow bar']}},
                 {'type': 'finance_quote', 'at': '2026-11-20T10:07:30.250+01:00',
                  'data': {'monthly': 399.5, 'months': 48}},
                 {'type': 'page_view', 'at': '2026-11-20T04:10:00-05:00',
                  'data': {'url': '/nova/test-drive'}}]
        lead = new_lead(online_journey=steps)
        got = get_lead(lead['id'])
        journey = got['journey']
        self.assertEqual(len(journey), 3, journey)
        want = {('journey.' + s['type'], t(s['at'])) for s in steps}
        self.assertEqual({(e['type'], t(e['at'])) for e in journey}, want)
        for e in journey:
            harness.assert_rfc3339(self, e['at'])
            self.assertEqual(e['channel'], 'web')
            self.assertEqual(e['customer_id'], lead['customer_id'])
            self.assertEqual(e['payload']['lead_id'], lead['id'])
            step = [s for s in steps if 'journey.' + s['type'] == e['type']][0]
            self.assertEqual(e['payload']['data'], step['data'])
        # Newest first, like the timeline.
        self.assertEqual([e['type'] for e in journey],
                         ['journey.page_view', 'journey.finance_quote', 'journey.configurator'])
        # They are the customer's history too.
        tl = {e['id'] for e in timeline(lead['customer_id'])}
        self.assertTrue({e['id'] for e in journey} <= tl)
        self.assertTrue({e['id'] for e in journey} <= {e['id'] for e in got['timeline']})

    def test_step_without_time_is_now(self):
        lead = new_lead(online_journey=[{'type': 'chat'}])
        e = get_lead(lead['id'])['journey'][0]
        self.assertEqual(e['type'], 'journey.chat')
        delta = abs((t(e['at']) - t(lead['received_at'])).total_seconds())
        self.assertLess(delta, 60)
        self.assertEqual(e['payload']['data'], {})

    def test_journey_belongs_to_its_lead(self):
        email = mail()
        one = new_lead(customer={'name': 'Two Leads', 'email': email},
                       online_journey=[{'type': 'configurator', 'at': '2026-11-01T10:00:00Z'}])
        two = new_lead(customer={'name': 'Two Leads', 'email': email},
                       vehicle_interest={'condition': 'used', 'make': 'Borealis', 'model': 'Z'},
                       online_journey=[{'type': 'trade_in_valuation', 'at': '2026-11-02T10:00:00Z'}])
        self.assertEqual(two['customer_id'], one['customer_id'])
        got = get_lead(two['id'])
        self.assertEqual([e['type'] for e in got['journey']], ['journey.trade_in_valuation'])
        # ... while the timeline shows everything, the earlier lead included.
        shown = got['timeline']
        received = [e['payload']['lead_id'] for e in shown if e['type'] == 'lead.received']
        self.assertEqual(sorted(received), sorted([one['id'], two['id']]))
        self.assertIn('journey.configurator', [e['type'] for e in shown])
        times = [t(e['at']) for e in shown]
        self.assertEqual(times, sorted(times, reverse=True), 'timeline newest first')

    def test_long_history(self):
        # The timeline shows the newest 200 events; the lead's own journey is always shown.
        lead = new_lead(online_journey=[{'type': 'configurator', 'at': '2026-11-01T10:00:00Z'}])
        cid = lead['customer_id']
        for i in range(205):
            expect(api(SALES, 'POST', '/customers/%s/events' % cid,
                       {'type': 'web.page_view', 'channel': 'web', 'payload': {'i': i}}), 201)
        got = get_lead(lead['id'])
        self.assertEqual(len(got['timeline']), 200)
        times = [t(e['at']) for e in got['timeline']]
        self.assertEqual(times, sorted(times, reverse=True))
        self.assertIn({'i': 204}, [e['payload'] for e in got['timeline'][:3]], 'the newest first')
        self.assertEqual([e['type'] for e in got['journey']], ['journey.configurator'],
                         'the lead\'s journey is shown however long the history')

    def test_timeline_shows_an_online_booking_and_the_workshop(self):
        email = mail()
        lead = new_lead(customer={'name': 'Books Online', 'email': email})
        avail = expect(SRV.request('GET', '/api/v1/public/dealers/garage-amstel/availability'
                                   '?services=oil&days=14'), 200, 'availability')
        self.assertTrue(avail['slots'], 'the demo workshop has free slots')
        slot = avail['slots'][len(avail['slots']) // 2]
        expect(SRV.request('POST', '/api/v1/public/dealers/garage-amstel/bookings',
                           {'services': ['oil'], 'start': slot['start'],
                            'customer': {'name': 'Books Online', 'email': email}}),
               201, 'public booking')
        expect(api(SALES, 'POST', '/customers/%s/events' % lead['customer_id'],
                   {'type': 'service.visit', 'channel': 'workshop',
                    'at': '2026-10-01T09:00:00+02:00', 'payload': {'km': 42000}}), 201)
        got = get_lead(lead['id'])
        types = [e['type'] for e in got['timeline']]
        self.assertIn('booking.created', types)
        self.assertIn('service.visit', types)
        self.assertIn('lead.received', types)
        b = [e for e in got['timeline'] if e['type'] == 'booking.created'][0]
        self.assertEqual(b['channel'], 'web')
        self.assertEqual(got['journey'], [], 'a booking is not part of the lead\'s journey')


if __name__ == '__main__':
    unittest.main()
