"""Customers: create, read, change (ETag/If-Match), duplicates, merge, audit, hostile input.

The contract is the customers API as built (POST/GET/PATCH /api/v1/customers,
POST /customers/{id}/merge); access across dealers is in test_customer_access.py,
search in test_customer_search.py, erasure/export/consents in test_customer_privacy.py.
"""

import json
import random
import string
import unittest

import harness
from harness import (ADMIN, BRUXELLES_ADMIN, DEALER_ADMIN, MONTREAL_SALES, SALES,
                     assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}      # email -> token
D = {}      # dealer slug -> id
U = {}      # email -> user id

CUSTOMER_KEYS = {'id', 'dealer_id', 'kind', 'name', 'first_name', 'last_name', 'company_name',
                 'vat_number', 'email', 'phone', 'phone_e164', 'language', 'address', 'contacts',
                 'notes', 'version', 'erased', 'created_at', 'updated_at', 'consents', 'vehicles'}
CHANNELS = ('email', 'sms', 'phone', 'post')
SQLI = "Robert'); DROP TABLE customers;--"


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN, SALES, BRUXELLES_ADMIN, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    for email in T:
        U[email] = expect(SRV.request('GET', '/api/v1/me', token=T[email]), 200)['user']['id']


def tearDownModule():
    SRV.down()


# -- local helpers -----------------------------------------------------------------

def api(who, method, path, body=None, **kw):
    token = T.get(who, who)
    return SRV.request(method, '/api/v1' + path, body, token=token, **kw)


def word(n=8):
    """A random lower-case alphabetic token (unlikely to match anything else)."""
    return 'q' + ''.join(random.choice(string.ascii_lowercase) for _ in range(n))


def mail():
    return unique('cust') + '@example.test'


def nl_mobile():
    """A fresh Dutch mobile number, as typed and in E.164."""
    digits = '%08d' % random.randrange(10000000, 59999999)
    digits = '1' + digits[1:]
    return '06 %s %s %s %s' % (digits[0:2], digits[2:4], digits[4:6], digits[6:8]), '+316' + digits


def create(who=SALES, **fields):
    body = {'name': 'Customer ' + word(), 'email': mail()}
    body.update(fields)
    for k in [k for k, v in fields.items() if v is Ellipsis]:
        del body[k]
    return api(who, 'POST', '/customers', body)


def new_customer(who=SALES, **fields):
    return expect(create(who, **fields), 201, 'create customer')


def get(cid, who=SALES):
    return api(who, 'GET', '/customers/' + cid)


def all_customers(who=SALES, query=''):
    # Small pages: a page of 8 or more customers answers 500 (see PageOfEight).
    return SRV.list_all('/api/v1/customers' + query, T.get(who, who), limit=5)


def count(who=SALES):
    return len(all_customers(who))


def audit_for(entity_id):
    return [e for e in SRV.list_all('/api/v1/audit', T[DEALER_ADMIN])
            if e['entity_id'] == entity_id]


def assert_conflict(tc, resp, existing_id):
    """409 with {"error":{"code":"conflict","message":...,"existing_id":...}}."""
    expect(resp, 409)
    tc.assertIsInstance(resp.body, dict, resp.describe())
    err = resp.body.get('error')
    tc.assertIsInstance(err, dict, resp.describe())
    tc.assertEqual(err.get('code'), 'conflict', resp.describe())
    tc.assertTrue(isinstance(err.get('message'), str) and err['message'].strip(), resp.describe())
    tc.assertEqual(err.get('existing_id'), existing_id, resp.describe())


class Create(unittest.TestCase):

    def check_doc(self, c):
        harness.assert_keys(self, c, CUSTOMER_KEYS, 'customer')
        self.assertIsInstance(c['id'], str)
        self.assertEqual(len(c['id']), 26, c['id'])
        harness.assert_rfc3339(self, c['created_at'], 'created_at')
        harness.assert_rfc3339(self, c['updated_at'], 'updated_at')
        self.assertEqual(set(c['consents']), set(CHANNELS))
        self.assertIsInstance(c['vehicles'], list)
        self.assertIsInstance(c['contacts'], list)

    def test_minimal(self):
        email = mail()
        resp = create(name='Anna Jansen', email=email)
        c = expect(resp, 201)
        self.check_doc(c)
        self.assertEqual(resp.headers.get('ETag'), '"v1"')
        self.assertEqual(c['name'], 'Anna Jansen')
        self.assertEqual(c['email'], email)
        self.assertEqual(c['dealer_id'], D['garage-amstel'])
        self.assertEqual(c['kind'], 'person')
        self.assertEqual(c['version'], 1)
        self.assertIs(c['erased'], False)
        self.assertIsNone(c['phone'])
        self.assertIsNone(c['phone_e164'])
        self.assertEqual(c['contacts'], [])
        self.assertEqual(c['vehicles'], [])
        self.assertEqual(c['consents'], {ch: None for ch in CHANNELS})
        self.assertEqual(c['created_at'], c['updated_at'])

    def test_full_document(self):
        email = 'Mixed.Case.' + unique('f') + '@Example.TEST'
        phone, e164 = nl_mobile()
        body = {'first_name': 'Émilie', 'last_name': 'van der Berg', 'kind': 'person',
                'email': email, 'phone': phone, 'vat_number': 'NL001234567B01',
                'language': 'fr-CA',
                'address': {'street': 'Damrak 1', 'postal_code': '1012 LG', 'city': 'Amsterdam',
                            'region': 'Noord-Holland', 'country': 'NL'},
                'contacts': [{'name': 'Piet', 'email': 'piet@example.test',
                              'phone': '+31 20 123 4567', 'role': 'spouse'},
                             {'name': 'Office'}],
                'notes': 'Prefers mornings.\nLine two.',
                'consents': {'email': True, 'sms': False},
                'consent_source': 'walk_in'}
        resp = api(SALES, 'POST', '/customers', body)
        c = expect(resp, 201)
        self.check_doc(c)
        self.assertEqual(c['name'], 'Émilie van der Berg')
        self.assertEqual(c['first_name'], 'Émilie')
        self.assertEqual(c['last_name'], 'van der Berg')
        self.assertEqual(c['email'], email, 'e-mail is kept as typed')
        self.assertEqual(c['phone'], phone)
        self.assertEqual(c['phone_e164'], e164)
        self.assertEqual(c['vat_number'], 'NL001234567B01')
        self.assertEqual(c['language'], 'fr-CA')
        self.assertEqual(c['address'], body['address'])
        self.assertEqual(c['contacts'][0], body['contacts'][0])
        self.assertEqual(c['contacts'][1]['name'], 'Office')
        self.assertEqual(len(c['contacts']), 2)
        self.assertEqual(c['notes'], body['notes'])
        granted = c['consents']['email']
        self.assertIs(granted['granted'], True)
        self.assertEqual(granted['source'], 'walk_in')
        self.assertEqual(granted['by'], U[SALES])
        harness.assert_rfc3339(self, granted['at'])
        self.assertIs(c['consents']['sms']['granted'], False)
        self.assertEqual(c['consents']['sms']['source'], 'walk_in')
        self.assertIsNone(c['consents']['phone'])
        self.assertIsNone(c['consents']['post'])
        # GET answers the same document and ETag.
        resp2 = get(c['id'])
        self.assertEqual(expect(resp2, 200), c)
        self.assertEqual(resp2.headers.get('ETag'), '"v1"')

    def test_company(self):
        c = new_customer(name=Ellipsis, company_name='Acme Lease B.V.', kind='company')
        self.assertEqual(c['name'], 'Acme Lease B.V.')
        self.assertEqual(c['company_name'], 'Acme Lease B.V.')
        self.assertEqual(c['kind'], 'company')

    def test_phone_only_and_national_numbers_per_dealer(self):
        c = new_customer(email=Ellipsis, phone='06 12 34 56 78')
        self.assertIsNone(c['email'])
        self.assertEqual(c['phone'], '06 12 34 56 78')
        self.assertEqual(c['phone_e164'], '+31612345678')
        be = new_customer(BRUXELLES_ADMIN, email=Ellipsis, phone='0470 12 34 56')
        self.assertEqual(be['phone_e164'], '+32470123456')
        self.assertEqual(be['dealer_id'], D['bruxelles-auto'])
        ca = new_customer(MONTREAL_SALES, email=Ellipsis, phone='514 987 6543')
        self.assertEqual(ca['phone_e164'], '+15149876543')
        self.assertEqual(ca['dealer_id'], D['montreal-motors'])
        # A number with its +code is read as such anywhere.
        intl = new_customer(MONTREAL_SALES, email=Ellipsis, phone='+31 6 98 76 54 32')
        self.assertEqual(intl['phone_e164'], '+31698765432')

    def test_validation(self):
        before = count()
        cases = [
            ({'email': mail()}, 'name'),
            ({'name': '', 'email': mail()}, 'name'),
            ({'name': 'No Contact'}, 'email'),
            ({'name': 'No Contact', 'email': '', 'phone': ''}, 'email'),
            ({'name': 'Bad Mail', 'email': 'not-an-address'}, 'email'),
            ({'name': 'Bad Phone', 'phone': '12'}, 'phone'),
            ({'name': 'Bad Phone', 'phone': 'call me maybe'}, 'phone'),
            ({'name': 'Bad Kind', 'email': mail(), 'kind': 'robot'}, 'kind'),
            ({'name': 'Bad Lang', 'email': mail(), 'language': 'english!'}, 'language'),
            ({'name': 'Many', 'email': mail(),
              'contacts': [{'name': 'c%d' % i} for i in range(21)]}, 'contacts'),
            ({'name': 'Long notes', 'email': mail(), 'notes': 'x' * 5001}, 'notes'),
            ({'name': 'N' * 201, 'email': mail()}, 'name'),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=str(body)[:80]):
                assert_error(api(SALES, 'POST', '/customers', body), 422, 'validation_failed',
                             [field])
        self.assertEqual(count(), before, 'a refused create left a customer behind')

    def test_limits_accepted(self):
        c = new_customer(notes='n' * 5000, contacts=[{'name': 'c%d' % i} for i in range(20)])
        self.assertEqual(len(c['notes']), 5000)
        self.assertEqual(len(c['contacts']), 20)

    def test_languages(self):
        for lang in ('en', 'fr', 'nl', 'fr-CA'):
            with self.subTest(lang):
                self.assertEqual(new_customer(language=lang)['language'], lang)

    def test_admin_must_name_the_dealer(self):
        before = count(BRUXELLES_ADMIN)
        assert_error(create(ADMIN), 422, 'validation_failed', ['dealer_id'])
        c = new_customer(ADMIN, dealer_id=D['bruxelles-auto'])
        self.assertEqual(c['dealer_id'], D['bruxelles-auto'])
        self.assertEqual(count(BRUXELLES_ADMIN), before + 1)
        assert_error(create(ADMIN, dealer_id='01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 404, 'not_found')

    def test_staff_cannot_create_at_another_dealer(self):
        before = count(BRUXELLES_ADMIN)
        resp = create(SALES, dealer_id=D['bruxelles-auto'])
        self.assertIn(resp.status, (403, 404, 422), resp.describe())
        self.assertEqual(count(BRUXELLES_ADMIN), before)
        # Their own dealer named explicitly is fine.
        c = new_customer(SALES, dealer_id=D['garage-amstel'])
        self.assertEqual(c['dealer_id'], D['garage-amstel'])


class Duplicates(unittest.TestCase):

    def test_same_email_any_case(self):
        email = unique('dup') + '@example.test'
        first = new_customer(email=email)
        before = count()
        assert_conflict(self, create(email=email.upper()), first['id'])
        assert_conflict(self, create(email=email), first['id'])
        self.assertEqual(count(), before)
        again = new_customer(email=email.upper(), allow_duplicate=True)
        self.assertNotEqual(again['id'], first['id'])
        self.assertEqual(count(), before + 1)

    def test_same_normalised_phone(self):
        phone, e164 = nl_mobile()
        first = new_customer(email=Ellipsis, phone=phone)
        before = count()
        intl = '+31 6 ' + e164[4:]
        assert_conflict(self, create(email=Ellipsis, phone=intl), first['id'])
        assert_conflict(self, create(email=mail(), phone=phone.replace(' ', '-')), first['id'])
        self.assertEqual(count(), before)
        dup = new_customer(email=Ellipsis, phone=intl, allow_duplicate=True)
        self.assertEqual(dup['phone_e164'], e164)

    def test_duplicates_are_per_dealer(self):
        email = unique('per') + '@example.test'
        a = new_customer(SALES, email=email)
        b = new_customer(BRUXELLES_ADMIN, email=email)
        self.assertNotEqual(a['id'], b['id'])
        self.assertEqual(b['dealer_id'], D['bruxelles-auto'])

    def test_allow_duplicate_must_be_boolean(self):
        email = mail()
        new_customer(email=email)
        before = count()
        assert_error(create(email=email, allow_duplicate='true'), 400, 'bad_request')
        self.assertEqual(count(), before)


class Read(unittest.TestCase):

    def test_unknown_and_malformed_ids(self):
        for cid in ('01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'nope', harness.urlquote("1' OR '1'='1"),
                    'x' * 300):
            with self.subTest(cid[:40]):
                assert_error(get(cid), 404, 'not_found')

    def test_list_newest_first_and_paging(self):
        made = [new_customer() for _ in range(4)]
        items = expect(api(SALES, 'GET', '/customers?limit=5'), 200)['items']
        ids = [c['id'] for c in items]
        for c in made:
            self.assertIn(c['id'], ids)
        # Newest first (two made in the same millisecond may come either way).
        times = [harness.parse_time(c['created_at']) for c in items]
        self.assertEqual(times, sorted(times, reverse=True), 'newest first')
        for c in items:
            self.assertNotIn('consents', c, 'list items carry no consents')
            self.assertEqual(c['dealer_id'], D['garage-amstel'])
        # limit=1 walks every customer once.
        seen = []
        cursor = None
        for _ in range(1000):
            url = '/customers?limit=1' + ('&cursor=' + harness.urlquote(cursor) if cursor else '')
            page = expect(api(SALES, 'GET', url), 200)
            self.assertLessEqual(len(page['items']), 1)
            seen += [c['id'] for c in page['items']]
            cursor = page['next_cursor']
            if not cursor:
                break
        self.assertEqual(len(seen), len(set(seen)), 'a customer came twice')
        self.assertEqual(set(seen), {c['id'] for c in all_customers()})

    def test_first_page_is_the_newest(self):
        made = [new_customer()['id'] for _ in range(3)]
        page = expect(api(SALES, 'GET', '/customers?limit=3'), 200)
        self.assertEqual({c['id'] for c in page['items']}, set(made))
        self.assertIsNotNone(page['next_cursor'])

    def test_bad_list_parameters(self):
        for query in ('limit=0', 'limit=501', 'limit=abc', 'limit=-1', 'cursor=garbage',
                      'q=anna&cursor=garbage', 'q=anna&cursor=o-5', 'q=anna&cursor=oabc',
                      'q=' + 'a' * 201):
            with self.subTest(query):
                assert_error(api(SALES, 'GET', '/customers?' + query), 400, 'bad_request')
        expect(api(SALES, 'GET', '/customers?q=' + 'a' * 200), 200)


class PageOfEight(unittest.TestCase):
    """A list page of 8 or more customers (its own server: a failure here breaks the server)."""

    @classmethod
    def setUpClass(cls):
        cls.srv = harness.Server().start()
        cls.token = cls.srv.login(SALES)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def test_default_page_with_ten_customers(self):
        made = []
        for i in range(10):
            made.append(expect(self.srv.request('POST', '/api/v1/customers',
                                                {'name': 'Eight %d' % i, 'email': mail()},
                                                token=self.token), 201)['id'])
        resp = self.srv.request('GET', '/api/v1/customers', token=self.token)
        page = expect(resp, 200, 'GET /customers with 10 customers')
        self.assertEqual({c['id'] for c in page['items']}, set(made))
        self.assertIsNone(page['next_cursor'])
        hits = expect(self.srv.request('GET', '/api/v1/customers?q=eight', token=self.token), 200,
                      'search with 10 hits')
        self.assertEqual(len(hits['items']), 10)
        # The server still works afterwards.
        expect(self.srv.request('POST', '/api/v1/customers', {'name': 'After', 'email': mail()},
                                token=self.token), 201, 'a write after the big page')


class Patch(unittest.TestCase):

    def patch(self, cid, body, if_match=None, who=SALES):
        headers = {'If-Match': if_match} if if_match else None
        return api(who, 'PATCH', '/customers/' + cid, body, headers=headers)

    def test_change_and_version(self):
        c = new_customer(notes='first notes', language='nl')
        resp = self.patch(c['id'], {'name': 'Renamed Person', 'notes': None,
                                    'address': {'city': 'Utrecht'}}, if_match='"v1"')
        p = expect(resp, 200)
        self.assertEqual(p['version'], 2)
        self.assertEqual(resp.headers.get('ETag'), '"v2"')
        self.assertEqual(p['name'], 'Renamed Person')
        self.assertIsNone(p['notes'], 'null clears a field')
        self.assertEqual(p['address'], {'city': 'Utrecht'})
        self.assertEqual(p['language'], 'nl', 'fields not sent stay')
        self.assertEqual(p['email'], c['email'])
        self.assertGreaterEqual(harness.parse_time(p['updated_at']),
                                harness.parse_time(c['updated_at']))
        self.assertEqual(p['created_at'], c['created_at'])
        self.assertEqual(expect(get(c['id']), 200), p)

    def test_stale_if_match(self):
        c = new_customer()
        expect(self.patch(c['id'], {'notes': 'one'}), 200)
        for tag in ('"v1"', '"v3"', 'v2', '*', 'W/"v2"'):
            with self.subTest(tag):
                assert_error(self.patch(c['id'], {'notes': 'stale'}, if_match=tag), 412,
                             'precondition_failed')
        now = expect(get(c['id']), 200)
        self.assertEqual(now['version'], 2)
        self.assertEqual(now['notes'], 'one')
        expect(self.patch(c['id'], {'notes': 'two'}, if_match='"v2"'), 200)

    def test_phone_renormalised(self):
        c = new_customer()
        phone, e164 = nl_mobile()
        p = expect(self.patch(c['id'], {'phone': phone}), 200)
        self.assertEqual(p['phone'], phone)
        self.assertEqual(p['phone_e164'], e164)
        p = expect(self.patch(c['id'], {'phone': None}), 200)
        self.assertIsNone(p['phone'])
        self.assertIsNone(p['phone_e164'])
        assert_error(self.patch(c['id'], {'phone': 'abc'}), 422, 'validation_failed', ['phone'])

    def test_must_keep_name_and_contact(self):
        phone, _ = nl_mobile()
        c = new_customer(phone=phone)
        assert_error(self.patch(c['id'], {'name': None}), 422, 'validation_failed', ['name'])
        assert_error(self.patch(c['id'], {'name': ''}), 422, 'validation_failed', ['name'])
        assert_error(self.patch(c['id'], {'email': None, 'phone': None}), 422,
                     'validation_failed', ['email'])
        # Dropping one of the two is fine.
        p = expect(self.patch(c['id'], {'email': None}), 200)
        self.assertIsNone(p['email'])
        assert_error(self.patch(c['id'], {'phone': None}), 422, 'validation_failed', ['email'])
        now = expect(get(c['id']), 200)
        self.assertEqual(now['version'], 2)
        self.assertEqual(now['name'], c['name'])
        self.assertEqual(now['phone'], phone)

    def test_name_from_parts_keeps_customer_named(self):
        c = new_customer(name=Ellipsis, first_name='Jan', last_name='Smit')
        self.assertEqual(c['name'], 'Jan Smit')
        p = expect(self.patch(c['id'], {'kind': 'company', 'company_name': 'Smit Holding'}), 200)
        self.assertEqual(p['company_name'], 'Smit Holding')
        self.assertEqual(p['kind'], 'company')

    def test_refused_fields_and_types(self):
        c = new_customer()
        cases = [
            ({'dealer_id': D['bruxelles-auto']}, 'dealer_id'),
            ({'consents': {'email': True}}, 'consents'),
            ({'allow_duplicate': True}, 'allow_duplicate'),
            ({'id': 'x'}, 'id'),
            ({'version': 9}, 'version'),
            ({'favourite_colour': 'red'}, 'favourite_colour'),
        ]
        for body, field in cases:
            with self.subTest(field):
                assert_error(self.patch(c['id'], body), 400, 'bad_request', [field])
        for body in ({'name': 5}, {'notes': ['a']}, {'contacts': {'name': 'x'}},
                     {'address': 'Damrak 1'}, {'email': True}):
            with self.subTest(body=body):
                assert_error(self.patch(c['id'], body), 400, 'bad_request')
        now = expect(get(c['id']), 200)
        self.assertEqual(now['version'], 1)
        self.assertEqual(now['dealer_id'], D['garage-amstel'])

    def test_unknown_customer(self):
        assert_error(self.patch('01ZZZZZZZZZZZZZZZZZZZZZZZZ', {'notes': 'x'}), 404, 'not_found')


class Merge(unittest.TestCase):

    def test_merge_moves_everything(self):
        kept = new_customer(name='Kept Person', phone=Ellipsis)
        phone, e164 = nl_mobile()
        dup = new_customer(name='Dup Person', phone=phone, notes='dup notes',
                           address={'city': 'Haarlem'}, consents={'sms': True},
                           consent_source='paper')
        ev = expect(api(SALES, 'POST', '/customers/%s/events' % dup['id'],
                        {'type': 'call.logged', 'channel': 'phone', 'payload': {'n': 1}}), 201)
        veh = expect(api(SALES, 'POST', '/vehicles', {'plate': 'MRG-%d' % random.randrange(10**6),
                                                      'customer_id': dup['id']}), 201)
        resp = api(SALES, 'POST', '/customers/%s/merge' % kept['id'], {'from': dup['id']})
        m = expect(resp, 200)
        self.assertEqual(m['id'], kept['id'])
        self.assertEqual(m['name'], 'Kept Person', 'the kept customer keeps its own values')
        self.assertEqual(m['email'], kept['email'])
        self.assertEqual(m['phone'], phone, 'empty fields are filled from the duplicate')
        self.assertEqual(m['phone_e164'], e164)
        self.assertEqual(m['notes'], 'dup notes')
        self.assertEqual(m['address'], {'city': 'Haarlem'})
        self.assertEqual(m['version'], kept['version'] + 1)
        self.assertEqual(resp.headers.get('ETag'), '"v%d"' % m['version'])
        self.assertIs(m['consents']['sms']['granted'], True)
        self.assertEqual(m['consents']['sms']['source'], 'paper')
        self.assertEqual([v['id'] for v in m['vehicles']], [veh['id']])
        assert_error(get(dup['id']), 404, 'not_found')
        timeline = expect(api(SALES, 'GET', '/customers/%s/timeline' % kept['id']), 200)['items']
        ids = [e['id'] for e in timeline]
        self.assertIn(ev['id'], ids, "the duplicate's events moved")
        for e in timeline:
            self.assertEqual(e['customer_id'], kept['id'])
        self.assertEqual(timeline[0]['type'], 'customer.merged')
        merged = [e for e in timeline if e['type'] == 'customer.merged']
        self.assertEqual(len(merged), 1)
        self.assertEqual(merged[0]['payload'].get('merged_id'), dup['id'])
        self.assertIn('vehicle.linked', [e['type'] for e in timeline])
        # The vehicle's owner is now the kept customer.
        v = expect(api(SALES, 'GET', '/vehicles/' + veh['id']), 200)
        current = [o for o in v['owners'] if o['until'] is None]
        self.assertEqual([o['customer_id'] for o in current], [kept['id']])
        # The duplicate is gone from the list and from search.
        self.assertNotIn(dup['id'], [c['id'] for c in all_customers()])
        hits = expect(api(SALES, 'GET', '/customers?q=' + harness.urlquote('Dup Person')), 200)
        self.assertNotIn(dup['id'], [c['id'] for c in hits['items']])
        # Audit: customer.merge (before holds both) and customer.merged_away.
        merge = [e for e in audit_for(kept['id']) if e['action'] == 'customer.merge']
        self.assertEqual(len(merge), 1, merge)
        before = json.dumps(merge[0]['before'])
        self.assertIn(kept['id'], before)
        self.assertIn(dup['id'], before)
        self.assertIn('Dup Person', before)
        self.assertIn('Kept Person', before)
        self.assertEqual(merge[0]['after']['phone'], phone)
        away = [e for e in audit_for(dup['id']) if e['action'] == 'customer.merged_away']
        self.assertEqual(len(away), 1, audit_for(dup['id']))
        self.assertEqual(merge[0]['actor_id'], U[SALES])

    def test_merge_refusals(self):
        a = new_customer()
        b = new_customer()
        other = new_customer(BRUXELLES_ADMIN)
        cases = [({'from': a['id']}, 'from'), ({}, 'from'), ({'from': ''}, 'from'),
                 ({'from': '01ZZZZZZZZZZZZZZZZZZZZZZZZ'}, 'from'), ({'from': other['id']}, 'from')]
        for body, field in cases:
            with self.subTest(body=body):
                assert_error(api(SALES, 'POST', '/customers/%s/merge' % a['id'], body), 422,
                             'validation_failed', [field])
        for body in ({'from': 5}, {'from': b['id'], 'into': a['id']}, [b['id']]):
            with self.subTest(body=body):
                assert_error(api(SALES, 'POST', '/customers/%s/merge' % a['id'], body), 400,
                             'bad_request')
        assert_error(api(SALES, 'POST', '/customers/01ZZZZZZZZZZZZZZZZZZZZZZZZ/merge',
                         {'from': b['id']}), 404, 'not_found')
        # Nothing moved: both still there at version 1, the other dealer's too.
        for c, who in ((a, SALES), (b, SALES), (other, BRUXELLES_ADMIN)):
            now = expect(get(c['id'], who), 200)
            self.assertEqual(now['version'], 1)
            self.assertEqual(now['name'], c['name'])
        self.assertEqual([e for e in audit_for(a['id']) if e['action'] == 'customer.merge'], [])


class Audit(unittest.TestCase):

    def test_create_and_patch_are_audited(self):
        c = new_customer(name='Audit Subject')
        expect(api(SALES, 'PATCH', '/customers/' + c['id'], {'name': 'Audit Subject Two'}), 200)
        entries = audit_for(c['id'])
        actions = sorted(e['action'] for e in entries)
        self.assertIn('customer.create', actions)
        self.assertIn('customer.update', actions)
        created = [e for e in entries if e['action'] == 'customer.create'][0]
        updated = [e for e in entries if e['action'] == 'customer.update'][0]
        self.assertIsNone(created['before'])
        self.assertEqual(created['after']['name'], 'Audit Subject')
        self.assertEqual(created['entity'], 'customer')
        self.assertEqual(created['dealer_id'], D['garage-amstel'])
        self.assertEqual(created['actor_id'], U[SALES])
        self.assertEqual(created['actor_kind'], 'user')
        self.assertEqual(updated['before']['name'], 'Audit Subject')
        self.assertEqual(updated['after']['name'], 'Audit Subject Two')

    def test_refused_writes_leave_no_entry(self):
        c = new_customer()
        n = len(audit_for(c['id']))
        api(SALES, 'PATCH', '/customers/' + c['id'], {'name': None})
        api(SALES, 'PATCH', '/customers/' + c['id'], {'bogus': 1})
        api(SALES, 'PATCH', '/customers/' + c['id'], {'notes': 'x'}, headers={'If-Match': '"v9"'})
        self.assertEqual(len(audit_for(c['id'])), n)


class Hostile(unittest.TestCase):

    def test_malformed_and_wrong_types(self):
        before = count()
        raws = [b'{', b'{"name": "x", "email": "a@b.test"', b'not json', b'', b'null', b'[]',
                b'"a string"', b'{"name": "x", "name": }', b'\xff\xfe{}']
        for raw in raws:
            with self.subTest(raw=raw):
                assert_error(SRV.request('POST', '/api/v1/customers', raw=raw, token=T[SALES]),
                             400, 'bad_request')
        wrong = [{'name': 5, 'email': mail()}, {'name': ['x'], 'email': mail()},
                 {'name': 'x', 'email': 7}, {'name': 'x', 'email': mail(), 'contacts': 'Piet'},
                 {'name': 'x', 'email': mail(), 'contacts': ['Piet']},
                 {'name': 'x', 'email': mail(), 'address': ['Damrak']},
                 {'name': 'x', 'email': mail(), 'consents': 'yes'},
                 {'name': 'x', 'email': mail(), 'consents': {'email': 'yes'}},
                 {'name': 'x', 'email': mail(), 'notes': {'a': 1}},
                 {'name': 'x', 'email': mail(), 'address': {'city': 5}}]
        for body in wrong:
            with self.subTest(body=body):
                assert_error(api(SALES, 'POST', '/customers', body), 400, 'bad_request')
        for body, field in (({'name': 'x', 'email': mail(), 'nickname': 'y'}, 'nickname'),
                            ({'name': 'x', 'email': mail(), 'address': {'planet': 'Mars'}}, None),
                            ({'name': 'x', 'email': mail(), 'contacts': [{'pet': 'cat'}]}, None)):
            with self.subTest(body=body):
                assert_error(api(SALES, 'POST', '/customers', body), 400, 'bad_request',
                             [field] if field else None)
        self.assertEqual(count(), before)

    def test_content_type_and_size(self):
        before = count()
        resp = SRV.request('POST', '/api/v1/customers',
                           raw=json.dumps({'name': 'x', 'email': mail()}).encode(),
                           headers={'Content-Type': 'text/plain'}, token=T[SALES])
        assert_error(resp, 415, 'unsupported_media_type')
        big = json.dumps({'name': 'Big', 'email': mail(), 'notes': 'x' * (1024 * 1024 + 10)})
        resp = SRV.stream('POST', '/api/v1/customers', [big.encode()], token=T[SALES])
        assert_error(resp, 413, 'payload_too_large')
        c = new_customer()
        resp = SRV.stream('PATCH', '/api/v1/customers/' + c['id'], [big.encode()], token=T[SALES])
        assert_error(resp, 413, 'payload_too_large')
        self.assertEqual(count(), before + 1)
        self.assertEqual(expect(get(c['id']), 200)['version'], 1)

    def test_nul_refused(self):
        before = count()
        for body in ({'name': 'Nul\u0000Name', 'email': mail()},
                     {'name': 'Nul in notes', 'email': mail(), 'notes': 'a\u0000b'},
                     {'name': 'Nul contact', 'email': mail(), 'contacts': [{'name': 'a\u0000'}]}):
            with self.subTest(body=str(body)):
                assert_error(api(SALES, 'POST', '/customers', body), 400, 'bad_request')
        c = new_customer()
        assert_error(api(SALES, 'PATCH', '/customers/' + c['id'], {'notes': 'x\u0000y'}), 400,
                     'bad_request')
        self.assertEqual(count(), before + 1)
        self.assertEqual(expect(get(c['id']), 200)['version'], 1)

    def test_sql_injection_stored_literally(self):
        before = count()
        c = new_customer(name=SQLI, notes=SQLI, address={'street': SQLI},
                         contacts=[{'name': SQLI}])
        self.assertEqual(c['name'], SQLI)
        got = expect(get(c['id']), 200)
        self.assertEqual(got['name'], SQLI)
        self.assertEqual(got['notes'], SQLI)
        self.assertEqual(got['address']['street'], SQLI)
        self.assertEqual(got['contacts'][0]['name'], SQLI)
        self.assertEqual(count(), before + 1, 'the table is still there')
        hits = expect(api(SALES, 'GET', '/customers?q=' + harness.urlquote("robert');")), 200)
        self.assertIn(c['id'], [h['id'] for h in hits['items']])
        p = expect(api(SALES, 'PATCH', '/customers/' + c['id'],
                       {'notes': "1' OR '1'='1"}), 200)
        self.assertEqual(p['notes'], "1' OR '1'='1")
        others = all_customers()
        self.assertEqual(sum(1 for o in others if o.get('notes') == "1' OR '1'='1"), 1)

    def test_unicode_round_trip(self):
        for name in ('Émilie Dubois', 'Jürgen Müller', '李小龙', 'Zoë 🚗 Fan', 'Ørsted Åse',
                     'Δημήτρης', 'محمد'):
            with self.subTest(name):
                c = new_customer(name=name, notes=name * 3, address={'city': name})
                got = expect(get(c['id']), 200)
                self.assertEqual(got['name'], name)
                self.assertEqual(got['notes'], name * 3)
                self.assertEqual(got['address']['city'], name)
                listed = [x for x in all_customers() if x['id'] == c['id']]
                self.assertEqual(listed[0]['name'], name)

    def test_every_write_route_refuses_bad_bodies(self):
        c = new_customer()
        other = new_customer()
        timeline_len = len(SRV.list_all('/api/v1/customers/%s/timeline' % c['id'], T[SALES]))
        big = json.dumps({'notes': 'x' * (1024 * 1024 + 16)}).encode()
        for path, method in (('/customers/' + c['id'], 'PATCH'),
                             ('/customers/%s/merge' % c['id'], 'POST'),
                             ('/customers/%s/consents' % c['id'], 'POST'),
                             ('/customers/%s/events' % c['id'], 'POST'),
                             ('/customers', 'POST')):
            full = '/api/v1' + path
            with self.subTest(path=path):
                for raw in (b'{', b'[]', b'{"a":1}}', b'{"from": "' + other['id'].encode() + b'"',
                            b'\xc3\x28'):
                    assert_error(SRV.request(method, full, raw=raw, token=T[SALES]), 400,
                                 'bad_request', msg=repr(raw))
                assert_error(SRV.request(method, full, raw=b'{}', token=T[SALES],
                                         headers={'Content-Type': 'text/plain'}), 415,
                             'unsupported_media_type')
                assert_error(SRV.stream(method, full, [big], token=T[SALES]), 413,
                             'payload_too_large')
        now = expect(get(c['id']), 200)
        self.assertEqual(now['version'], 1)
        self.assertEqual(now['consents'], c['consents'])
        self.assertEqual(expect(get(other['id']), 200)['version'], 1)
        self.assertEqual(len(SRV.list_all('/api/v1/customers/%s/timeline' % c['id'], T[SALES])),
                         timeline_len)

    def test_delete_unknown(self):
        for cid in ('01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'nope'):
            with self.subTest(cid):
                assert_error(api(SALES, 'DELETE', '/customers/' + cid), 404, 'not_found')

    def test_idempotent_create(self):
        before = count()
        body = {'name': 'Idem Potent', 'email': mail()}
        key = {'Idempotency-Key': unique('idem')}
        first = api(SALES, 'POST', '/customers', body, headers=key)
        c = expect(first, 201)
        again = api(SALES, 'POST', '/customers', body, headers=key)
        self.assertEqual(expect(again, 201)['id'], c['id'])
        self.assertEqual(again.headers.get('Idempotency-Replayed'), 'true')
        self.assertEqual(count(), before + 1)


if __name__ == '__main__':
    unittest.main()
