"""Who may read and change leads and lead settings.

Dealer staff and the dealer's API keys read and write their own dealer's leads; an
administrator any dealer's (naming it where one is needed); a brand manager gets 403 for a
dealer holding its brand and 404 otherwise; another dealer's lead is 404 and never shows in
an inbox; lead settings are changed by the dealer's admin or an administrator; anonymous
callers get 401.
"""

import random
import string
import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, MONTREAL_SALES, SALES,
                     SERVICE_ADVISOR, TECHNICIAN, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}
D = {}
U = {}
KEY_AMSTEL = 'key:amstel'
KEY_BRUXELLES = 'key:bruxelles'
ANON = 'anonymous'


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN,
                        BRUXELLES_ADMIN, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    for email in list(T):
        U[email] = expect(SRV.request('GET', '/api/v1/me', token=T[email]), 200)['user']['id']
    for name, who, slug in ((KEY_AMSTEL, DEALER_ADMIN, 'garage-amstel'),
                            (KEY_BRUXELLES, BRUXELLES_ADMIN, 'bruxelles-auto')):
        T[name] = expect(SRV.request('POST', '/api/v1/api-keys',
                                     {'name': name, 'dealer_id': D[slug]}, token=T[who]),
                         201, 'create API key')['key']


def tearDownModule():
    SRV.down()


# -- local helpers -----------------------------------------------------------------

def api(who, method, path, body=None, **kw):
    token = None if who == ANON else T.get(who, who)
    return SRV.request(method, '/api/v1' + path, body, token=token, **kw)


def word(n=7):
    return ''.join(random.choice(string.ascii_lowercase) for _ in range(n))


def lead_body(**over):
    b = {'source': 'website', 'channel': 'web',
         'customer': {'name': 'Secret ' + word().capitalize(), 'email': unique('acc') + '@example.test'},
         'vehicle_interest': {'condition': 'new', 'make': 'Aurora', 'model': 'M' + word()}}
    b.update(over)
    return b


def new_lead(who=SALES, **over):
    return expect(api(who, 'POST', '/leads', lead_body(**over)), 201, 'create lead')


def get_lead(lid, who=SALES):
    return expect(api(who, 'GET', '/leads/' + lid), 200)


def inbox_ids(who, query=''):
    return {x['id'] for x in SRV.list_all('/api/v1/leads' + query, T[who])}


def adf_doc():
    return ('<?xml version="1.0"?>\n<?adf version="1.0"?>\n<adf><prospect><vehicle interest="buy" '
            'status="new"><make>Aurora</make><model>Nova</model></vehicle><customer><contact>'
            '<name part="full">Adf Person</name><email>%s@example.test</email></contact>'
            '</customer></prospect></adf>' % unique('accadf')).encode()


def post_adf(who, query=''):
    token = None if who == ANON else T.get(who, who)
    return SRV.request('POST', '/api/v1/leads/adf' + query, raw=adf_doc(),
                       headers={'Content-Type': 'application/xml'}, token=token)


def snapshot(lead):
    got = get_lead(lead['id'], ADMIN)
    return {k: got[k] for k in ('status', 'version', 'assigned_to', 'first_response_at')}, \
        len(got['timeline'])


# -- one lead, every caller ----------------------------------------------------------

class Matrix(unittest.TestCase):
    """Each caller against a lead of Garage Amstel (holds Aurora and Borealis) and one of
    Montréal Motors (holds Borealis and Cirrus)."""

    CALLERS = {
        # caller: (read amstel lead, write amstel lead, read montreal lead)
        ADMIN: (200, 200, 200),
        DEALER_ADMIN: (200, 200, 404),
        SALES: (200, 200, 404),
        SERVICE_ADVISOR: (200, 200, 404),
        TECHNICIAN: (200, 200, 404),
        KEY_AMSTEL: (200, 200, 404),
        BRAND_MANAGER: (403, 403, 404),
        BRUXELLES_ADMIN: (404, 404, 404),
        KEY_BRUXELLES: (404, 404, 404),
        MONTREAL_SALES: (404, 404, 200),
        ANON: (401, 401, 401),
    }

    @classmethod
    def setUpClass(cls):
        cls.amstel = new_lead(SALES)
        cls.montreal = new_lead(MONTREAL_SALES)

    def test_read(self):
        for who, (read, _, read_mtl) in self.CALLERS.items():
            with self.subTest(who):
                resp = api(who, 'GET', '/leads/' + self.amstel['id'])
                if read == 200:
                    got = expect(resp, 200)
                    self.assertEqual(got['id'], self.amstel['id'])
                    self.assertIn('timeline', got)
                else:
                    assert_error(resp, read, {401: 'unauthenticated', 403: 'forbidden',
                                              404: 'not_found'}[read])
                    self.assertNotIn(self.amstel['customer_id'].encode(), resp.raw)
                    self.assertNotIn(b'Secret', resp.raw)
                resp = api(who, 'GET', '/leads/' + self.montreal['id'])
                self.assertEqual(resp.status, read_mtl, resp.describe())

    def test_write(self):
        for who, (_, write, _) in self.CALLERS.items():
            with self.subTest(who):
                lead = new_lead(SALES)
                before = snapshot(lead)
                patch = api(who, 'PATCH', '/leads/' + lead['id'], {'status': 'qualified'})
                self.assertEqual(patch.status, write, patch.describe())
                if write == 200:
                    self.assertEqual(patch.body['status'], 'qualified')
                    c = api(who, 'POST', '/leads/%s/contacts' % lead['id'], {'channel': 'walk_in'})
                    self.assertEqual(c.status, 201, c.describe())
                else:
                    c = api(who, 'POST', '/leads/%s/contacts' % lead['id'], {'channel': 'walk_in'})
                    self.assertEqual(c.status, write, c.describe())
                    r = api(who, 'PATCH', '/leads/' + lead['id'], {'assigned_to': U[SALES]})
                    self.assertEqual(r.status, write, r.describe())
                    self.assertEqual(snapshot(lead), before, 'a refused write changed the lead')

    def test_montreal_lead_is_out_of_reach_for_amstel(self):
        before = snapshot(self.montreal)
        for who in (SALES, DEALER_ADMIN, KEY_AMSTEL, BRAND_MANAGER):
            with self.subTest(who):
                assert_error(api(who, 'PATCH', '/leads/' + self.montreal['id'],
                                 {'status': 'lost', 'lost_reason': 'x'}), 404, 'not_found')
                assert_error(api(who, 'POST', '/leads/%s/contacts' % self.montreal['id'],
                                 {'channel': 'phone'}), 404, 'not_found')
        self.assertEqual(snapshot(self.montreal), before)


class Intake(unittest.TestCase):

    def test_who_may_file_a_lead(self):
        allowed = (DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN, KEY_AMSTEL, MONTREAL_SALES,
                   BRUXELLES_ADMIN, KEY_BRUXELLES)
        for who in allowed:
            with self.subTest(who):
                lead = expect(api(who, 'POST', '/leads', lead_body()), 201)
                self.assertEqual(lead['dealer_id'], {
                    MONTREAL_SALES: D['montreal-motors'], BRUXELLES_ADMIN: D['bruxelles-auto'],
                    KEY_BRUXELLES: D['bruxelles-auto']}.get(who, D['garage-amstel']))
        before = len(inbox_ids(SALES))
        assert_error(api(BRAND_MANAGER, 'POST', '/leads', lead_body()), 403, 'forbidden')
        assert_error(api(BRAND_MANAGER, 'POST', '/leads',
                         lead_body(dealer_id=D['garage-amstel'])), 403, 'forbidden')
        assert_error(api(BRAND_MANAGER, 'POST', '/leads',
                         lead_body(dealer_id=D['montreal-motors'])), 404, 'not_found')
        assert_error(api(ANON, 'POST', '/leads', lead_body()), 401, 'unauthenticated')
        self.assertEqual(len(inbox_ids(SALES)), before)

    def test_no_lead_for_another_dealer(self):
        before_bx = inbox_ids(BRUXELLES_ADMIN)
        before_am = inbox_ids(SALES)
        for who in (SALES, KEY_AMSTEL, DEALER_ADMIN):
            with self.subTest(who):
                resp = api(who, 'POST', '/leads', lead_body(dealer_id=D['bruxelles-auto']))
                self.assertIn(resp.status, (403, 404, 422), resp.describe())
                resp = post_adf(who, '?dealer_id=' + D['bruxelles-auto'])
                self.assertIn(resp.status, (201, 403, 404, 422), resp.describe())
                if resp.status == 201:
                    self.assertEqual({x['dealer_id'] for x in resp.body['items']},
                                     {D['garage-amstel']}, 'a key only files at its own dealer')
        self.assertEqual(inbox_ids(BRUXELLES_ADMIN), before_bx, 'a lead reached Bruxelles Auto')
        # Whatever was accepted went to Garage Amstel only.
        self.assertTrue(inbox_ids(SALES) >= before_am)

    def test_adf_access(self):
        for who, status in ((KEY_AMSTEL, 201), (SALES, 201), (DEALER_ADMIN, 201),
                            (KEY_BRUXELLES, 201), (BRAND_MANAGER, 403), (ANON, 401)):
            with self.subTest(who):
                resp = post_adf(who)
                self.assertEqual(resp.status, status, resp.describe())
                if status == 201:
                    want = D['bruxelles-auto'] if who == KEY_BRUXELLES else D['garage-amstel']
                    self.assertEqual(resp.body['items'][0]['dealer_id'], want)
        assert_error(post_adf(ADMIN), 422, 'validation_failed', ['dealer_id'])
        lead = expect(post_adf(ADMIN, '?dealer_id=' + D['montreal-motors']), 201)['items'][0]
        self.assertEqual(lead['dealer_id'], D['montreal-motors'])

    def test_bad_credentials(self):
        for token in ('fcs_nope', 'fck_nope', 'garbage', ''):
            with self.subTest(token):
                for method, path, body in (('GET', '/leads', None), ('POST', '/leads', lead_body()),
                                           ('GET', '/leads/01ZZZZZZZZZZZZZZZZZZZZZZZZ', None)):
                    assert_error(SRV.request(method, '/api/v1' + path, body, token=token), 401,
                                 'unauthenticated')

    def test_cookie_writes_need_csrf(self):
        login = expect(SRV.login_response(SALES), 200)
        before = len(inbox_ids(SALES))
        assert_error(SRV.request('POST', '/api/v1/leads', lead_body(), cookie=login['token']), 403,
                     'csrf_failed')
        lead = new_lead()
        assert_error(SRV.request('PATCH', '/api/v1/leads/' + lead['id'], {'status': 'contacted'},
                                 cookie=login['token']), 403, 'csrf_failed')
        self.assertEqual(get_lead(lead['id'])['status'], 'new')
        self.assertEqual(len(inbox_ids(SALES)), before + 1)
        ok = SRV.request('POST', '/api/v1/leads', lead_body(), cookie=login['token'],
                         headers={'X-CSRF-Token': login['csrf_token']})
        expect(ok, 201)
        expect(SRV.request('GET', '/api/v1/leads/' + lead['id'], cookie=login['token']), 200)


class Inbox(unittest.TestCase):

    def test_other_dealers_never_see_the_lead(self):
        lead = new_lead(SALES)
        self.assertIn(lead['id'], inbox_ids(SALES))
        self.assertIn(lead['id'], inbox_ids(KEY_AMSTEL))
        for who in (MONTREAL_SALES, BRUXELLES_ADMIN, KEY_BRUXELLES):
            for q in ('', '?status=new', '?status=open', '?assigned_to=me',
                      '?assigned_to=' + lead['assigned_to']):
                with self.subTest(who=who, q=q):
                    self.assertNotIn(lead['id'], inbox_ids(who, q))
            with self.subTest(who=who, q='dealer_id'):
                assert_error(api(who, 'GET', '/leads?dealer_id=' + D['garage-amstel']), 404,
                             'not_found')

    def test_montreal_inbox_is_montreal_only(self):
        mine = new_lead(MONTREAL_SALES)
        self.assertEqual(mine['assigned_to'], U[MONTREAL_SALES])
        items = SRV.list_all('/api/v1/leads', T[MONTREAL_SALES])
        self.assertIn(mine['id'], [x['id'] for x in items])
        self.assertEqual({x['dealer_id'] for x in items}, {D['montreal-motors']})
        self.assertIn(mine['id'], inbox_ids(MONTREAL_SALES, '?assigned_to=me'))
        self.assertNotIn(mine['id'], inbox_ids(SALES))

    def test_brand_manager(self):
        assert_error(api(BRAND_MANAGER, 'GET', '/leads'), 403, 'forbidden')
        assert_error(api(BRAND_MANAGER, 'GET', '/leads?dealer_id=' + D['garage-amstel']), 403,
                     'forbidden')
        assert_error(api(BRAND_MANAGER, 'GET', '/leads?dealer_id=' + D['bruxelles-auto']), 403,
                     'forbidden')
        assert_error(api(BRAND_MANAGER, 'GET', '/leads?dealer_id=' + D['montreal-motors']), 404,
                     'not_found')

    def test_admin_lists_any_dealer(self):
        a, m = new_lead(SALES), new_lead(MONTREAL_SALES)
        self.assertIn(a['id'], inbox_ids(ADMIN, '?dealer_id=' + D['garage-amstel']))
        self.assertIn(m['id'], inbox_ids(ADMIN, '?dealer_id=' + D['montreal-motors']))
        self.assertNotIn(m['id'], inbox_ids(ADMIN, '?dealer_id=' + D['garage-amstel']))
        assert_error(api(ADMIN, 'GET', '/leads?dealer_id=01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 404,
                     'not_found')

    def test_anonymous(self):
        assert_error(api(ANON, 'GET', '/leads'), 401, 'unauthenticated')


class Settings(unittest.TestCase):

    def tearDown(self):
        for slug, who in (('garage-amstel', DEALER_ADMIN), ('montreal-motors', ADMIN)):
            expect(api(who, 'PUT', '/dealers/%s/lead-settings' % D[slug],
                       {'response_target_min': 60, 'dedupe_window_hours': 72, 'rules': []}), 200)

    def test_read(self):
        path = '/dealers/%s/lead-settings' % D['garage-amstel']
        for who, status in ((ADMIN, 200), (DEALER_ADMIN, 200), (SALES, 200), (SERVICE_ADVISOR, 200),
                            (TECHNICIAN, 200), (KEY_AMSTEL, 200), (BRAND_MANAGER, 403),
                            (BRUXELLES_ADMIN, 404), (KEY_BRUXELLES, 404), (MONTREAL_SALES, 404),
                            (ANON, 401)):
            with self.subTest(who):
                resp = api(who, 'GET', path)
                self.assertEqual(resp.status, status, resp.describe())
        assert_error(api(BRAND_MANAGER, 'GET', '/dealers/%s/lead-settings' % D['montreal-motors']),
                     404, 'not_found')
        assert_error(api(ADMIN, 'GET', '/dealers/01ZZZZZZZZZZZZZZZZZZZZZZZZ/lead-settings'), 404,
                     'not_found')

    def test_write(self):
        path = '/dealers/%s/lead-settings' % D['garage-amstel']
        doc = {'response_target_min': 45, 'dedupe_window_hours': 24, 'rules': []}
        for who, status in ((SALES, 403), (SERVICE_ADVISOR, 403), (TECHNICIAN, 403),
                            (KEY_AMSTEL, 403), (BRAND_MANAGER, 403), (BRUXELLES_ADMIN, 404),
                            (KEY_BRUXELLES, 404), (MONTREAL_SALES, 404), (ANON, 401)):
            with self.subTest(who):
                resp = api(who, 'PUT', path, doc)
                self.assertEqual(resp.status, status, resp.describe())
                self.assertEqual(expect(api(SALES, 'GET', path), 200)['response_target_min'], 60)
        for who in (DEALER_ADMIN, ADMIN):
            with self.subTest(who):
                self.assertEqual(expect(api(who, 'PUT', path, dict(doc, response_target_min=30
                                                                   if who == ADMIN else 45)),
                                        200)['dedupe_window_hours'], 24)
        # A dealer admin cannot set another dealer's, nor name its users in a rule.
        assert_error(api(DEALER_ADMIN, 'PUT', '/dealers/%s/lead-settings' % D['montreal-motors'],
                         doc), 404, 'not_found')
        expect(api(ADMIN, 'PUT', '/dealers/%s/lead-settings' % D['montreal-motors'],
                   {'rules': [{'users': [U[MONTREAL_SALES]]}]}), 200)
        assert_error(api(ADMIN, 'PUT', '/dealers/%s/lead-settings' % D['montreal-motors'],
                         {'rules': [{'users': [U[SALES]]}]}), 422, 'validation_failed', ['rules'])


if __name__ == '__main__':
    unittest.main()
