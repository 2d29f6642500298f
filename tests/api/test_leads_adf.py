"""ADF intake: POST /api/v1/leads/adf with ADF 1.0 XML.

Every sample in /work/shared/data/adf/ (or $FORECOURT_ADF_SAMPLES) imports with the right
names, e-mails, phones, vehicles and trade-ins, accents intact; a document is all or
nothing; hostile documents (XXE, entity expansion, oversized, malformed) are refused
quickly and leave nothing behind; senders' deviations (legacy header, ISO-8859-1, BOM,
missing vendor name, phone type="mobile") are accepted.
"""

import json
import os
import random
import string
import time
import unittest

import harness
from harness import (ADMIN, BRUXELLES_ADMIN, DEALER_ADMIN, MONTREAL_SALES, SALES,
                     assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}      # email or key name -> token
D = {}
SAMPLES = os.environ.get('FORECOURT_ADF_SAMPLES') or os.path.join(
    os.path.dirname(harness.REPO), 'shared', 'data', 'adf')
if not os.path.isdir(SAMPLES):
    SAMPLES = '/work/shared/data/adf'

# What each sample must become. phone: the customer's phone_e164 at a Canadian dealer
# (None: no phone); phone_kept: a number that dealer cannot dial, which must survive in the
# message; raw_phone: the number as the document has it.
EXPECTED = {
    'a-web-eprice.xml': dict(
        name='Maria Lopez', email='maria.lopez@example.com', phone=None,
        phone_kept='+1-555-0100', raw_phone='+1-555-0100', source='Springfield Toyota Website',
        interest={'condition': 'new', 'make': 'Toyota', 'model': 'RAV4', 'year': 2026,
                  'stock_number': 'T26-0412', 'trim': 'XLE Premium'},
        trade_in=None,
        message=['Is this one still available? I want to buy this month.']),
    'b-minimal-used.xml': dict(
        name="Sam O'Neill", email=None, phone='+15550100199', phone_kept=None,
        raw_phone='(555) 010-0199',
        source='Harbor Used Cars',
        interest={'condition': 'used', 'make': 'Volkswagen', 'model': 'Passat', 'year': 2013,
                  'vin': '1VWBP7A37DC046870', 'stock_number': 'U4471'},
        trade_in=None, message=[]),
    'c-configurator-tradein-de.xml': dict(
        name='Jürgen Müller', email='j.mueller@example.de', phone='+491700000000',
        phone_kept=None, raw_phone='+49 170 0000000', source='Importer Konfigurator',
        interest={'condition': 'new', 'make': 'Škoda', 'model': 'Octavia Combi', 'year': 2027,
                  'trim': 'Style 2.0 TDI'},
        trade_in={'make': 'Volkswagen', 'model': 'Golf', 'year': 2017, 'mileage_km': 148500},
        message=[]),
    'd-lease-resend-fr-cdata.xml': dict(
        name='Émilie Dubois', email='emilie.dubois@example.fr', phone='+33600000000',
        phone_kept=None, raw_phone='+33 6 00 00 00 00', source='Marketplace FR',
        interest={'condition': 'new', 'make': 'Renault', 'model': 'Scénic E-Tech', 'year': 2026,
                  'trim': 'Iconic'},
        trade_in=None,
        message=['Leasing 36 mois / 15 000 km par an ? Reprise < 5 000 € possible.']),
    'e-testdrive-email-only.xml': dict(
        name='Aoife Ní Bhriain', email='aoife@example.ie', phone=None, phone_kept=None,
        raw_phone=None,
        source='Dublin Kia',
        interest={'condition': 'new', 'make': 'Kia', 'model': 'EV3', 'year': 2026},
        trade_in=None, message=[]),
    'f-nonconformant-legacy-header.xml': dict(
        name='Dale Whitfield', email='dale.whitfield@example.com', phone=None,
        phone_kept='555-0142', raw_phone='555-0142', source='adf',
        interest={'condition': 'used', 'make': 'Ford', 'model': 'F-150', 'year': 2019,
                  'vin': '1FTEW1E50KFA00000'},
        trade_in=None, message=['Trade in my 2012 Silverado? Call after 5.']),
}

try:
    with open('/etc/passwd', 'rb') as _f:
        PASSWD_MARK = _f.read().split(b'\n')[0].decode('utf-8', 'replace')[:20]
except OSError:
    PASSWD_MARK = 'root:x:0:0'


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, DEALER_ADMIN, SALES, BRUXELLES_ADMIN, MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))
    for name, who, slug in (('key:amstel', DEALER_ADMIN, 'garage-amstel'),
                            ('key:montreal', ADMIN, 'montreal-motors')):
        k = expect(SRV.request('POST', '/api/v1/api-keys',
                               {'name': 'ADF ' + name, 'dealer_id': D[slug]}, token=T[who]),
                   201, 'create API key')
        T[name] = k['key']


def tearDownModule():
    SRV.down()


# -- local helpers -----------------------------------------------------------------

AMSTEL = 'key:amstel'
MONTREAL = 'key:montreal'


def sample(name):
    with open(os.path.join(SAMPLES, name), 'rb') as f:
        return f.read()


def adf(doc, who=AMSTEL, ctype='application/xml', query=''):
    if isinstance(doc, str):
        doc = doc.encode('utf-8')
    headers = {'Content-Type': ctype}
    return SRV.request('POST', '/api/v1/leads/adf' + query, raw=doc, headers=headers,
                       token=T.get(who, who))


def word(n=7):
    return ''.join(random.choice(string.ascii_lowercase) for _ in range(n))


def mail():
    return unique('adf') + '@example.test'


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def prospect(first=None, last=None, full=None, email=None, phones=(), make='Aurora', model=None,
             status='new', trade=None, comments=None, vendor='Portal Dealer', provider=None):
    """One <prospect> element. phones: [(type, number)]; trade: dict of trade-in tags."""
    model = model or 'M' + word()
    names = ''
    if first is not None:
        names += '<name part="first">%s</name>' % esc(first)
    if last is not None:
        names += '<name part="last">%s</name>' % esc(last)
    if full is not None:
        names += '<name part="full">%s</name>' % esc(full)
    contact = names
    if email is not None:
        contact += '<email>%s</email>' % esc(email)
    for typ, number in phones:
        contact += ('<phone type="%s">%s</phone>' % (typ, esc(number)) if typ
                    else '<phone>%s</phone>' % esc(number))
    trade_xml = ''
    if trade:
        trade_xml = '<vehicle interest="trade-in" status="used">%s</vehicle>' % ''.join(
            trade[k] if k == 'odometer' else '<%s>%s</%s>' % (k, esc(str(v)), k)
            for k, v in trade.items())
    return ('<prospect>\n<requestdate>2026-11-22T10:00:00+01:00</requestdate>\n'
            '<vehicle interest="buy" status="%s"><year>2026</year><make>%s</make>'
            '<model>%s</model></vehicle>\n%s\n'
            '<customer><contact>%s</contact>%s</customer>\n'
            '%s%s</prospect>\n') % (
                status, esc(make), esc(model), trade_xml, contact,
                '<comments>%s</comments>' % esc(comments) if comments else '',
                '<vendor><vendorname>%s</vendorname></vendor>' % esc(vendor) if vendor else '',
                '<provider><name part="full">%s</name></provider>' % esc(provider) if provider else '')


def document(*prospects, decl='<?xml version="1.0" encoding="UTF-8"?>\n<?adf version="1.0"?>\n'):
    return decl + '<adf>\n' + ''.join(prospects) + '</adf>\n'


def person(**kw):
    kw.setdefault('full', 'Prospect ' + word().capitalize())
    kw.setdefault('email', mail())
    return prospect(**kw)


def get_lead(lid, who=SALES):
    return expect(SRV.request('GET', '/api/v1/leads/' + lid, token=T.get(who, who)), 200)


def lead_count(who=SALES):
    return len(SRV.list_all('/api/v1/leads', T[who]))


def customer_count(who=SALES):
    return len(SRV.list_all('/api/v1/customers', T[who], limit=5))


class Nothing:
    """with Nothing(tc, who): the block creates no lead and no customer at who's dealer."""

    def __init__(self, tc, who=SALES):
        self.tc, self.who = tc, who

    def __enter__(self):
        self.leads, self.customers = lead_count(self.who), customer_count(self.who)
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.tc.assertEqual(lead_count(self.who), self.leads, 'a lead was left behind')
            self.tc.assertEqual(customer_count(self.who), self.customers,
                                'a customer was left behind')


def assert_subset(tc, got, want, what):
    tc.assertIsInstance(got, dict, '%s: %r' % (what, got))
    for k, v in want.items():
        tc.assertEqual(got.get(k), v, '%s.%s in %r' % (what, k, got))


# -- the samples ---------------------------------------------------------------------

class Samples(unittest.TestCase):

    def test_samples_are_there(self):
        names = sorted(f for f in os.listdir(SAMPLES) if f.endswith('.xml'))
        self.assertEqual(names, sorted(EXPECTED), 'a new sample needs its expectations here')

    def check(self, lead, want, exact_phone=True):
        self.assertEqual(lead['channel'], 'partner')
        self.assertEqual(lead['status'], 'new')
        self.assertEqual(lead['source'], want['source'])
        assert_subset(self, lead['vehicle_interest'], want['interest'], 'vehicle_interest')
        for k in ('vin', 'stock_number', 'trim'):
            if k not in want['interest']:
                self.assertIsNone(lead['vehicle_interest'].get(k), k)
        self.assertEqual(lead['make'], want['interest']['make'])
        self.assertEqual(lead['model'], want['interest']['model'])
        self.assertEqual(lead['condition'], want['interest']['condition'])
        if want['trade_in'] is None:
            self.assertIsNone(lead['trade_in'])
        else:
            assert_subset(self, lead['trade_in'], want['trade_in'], 'trade_in')
        for text in want['message']:
            self.assertIn(text, lead['message'] or '')
        if not want['message'] and not want['phone_kept']:
            self.assertIsNone(lead['message'])
        got = get_lead(lead['id'], MONTREAL_SALES if exact_phone else SALES)
        c = got['customer']
        self.assertEqual(c['id'], lead['customer_id'])
        self.assertEqual(c['name'], want['name'])
        self.assertEqual(c['email'], want['email'])
        if exact_phone:
            self.assertEqual(c['phone_e164'], want['phone'])
            if want['phone_kept']:
                self.assertIn(want['phone_kept'], lead['message'] or '',
                              'a number the dealer cannot dial is kept in the message')
        elif want['raw_phone'] and want['raw_phone'].startswith(('+49', '+33')):
            # A number with its country code reads the same at any dealer.
            self.assertEqual(c['phone_e164'], want['phone'])
        elif want['raw_phone']:
            # A North-American number without +1 at a Dutch dealer: kept as sent, on the
            # customer or in the message.
            raw = want['raw_phone']
            self.assertTrue(c['phone'] == raw or raw in (lead['message'] or ''),
                            'phone %r neither on the customer nor in the message' % raw)
        else:
            self.assertIsNone(c['phone'])

    def test_each_sample_at_a_north_american_dealer(self):
        for name, want in sorted(EXPECTED.items()):
            with self.subTest(name):
                resp = adf(sample(name), MONTREAL)
                body = expect(resp, 201, name)
                self.assertEqual(set(body), {'items'})
                self.assertEqual(len(body['items']), 1)
                lead = body['items'][0]
                self.assertEqual(lead['dealer_id'], D['montreal-motors'])
                self.assertIs(lead['matched'], False)
                self.assertIs(lead['merged'], False)
                self.check(lead, want)

    def test_each_sample_at_a_dutch_dealer(self):
        for name, want in sorted(EXPECTED.items()):
            with self.subTest(name):
                lead = expect(adf(sample(name), AMSTEL), 201, name)['items'][0]
                self.assertEqual(lead['dealer_id'], D['garage-amstel'])
                self.check(lead, want, exact_phone=False)

    def test_accents_intact_in_the_inbox(self):
        lead = expect(adf(sample('c-configurator-tradein-de.xml'), AMSTEL), 201)['items'][0]
        listed = [x for x in SRV.list_all('/api/v1/leads', T[SALES])
                  if x['id'] == lead['id']]
        self.assertEqual(listed[0]['customer_name'], 'Jürgen Müller')
        self.assertEqual(listed[0]['make'], 'Škoda')

    def test_legacy_header_sample(self):
        resp = adf(sample('f-nonconformant-legacy-header.xml'), SALES)
        lead = expect(resp, 201)['items'][0]
        self.assertEqual(get_lead(lead['id'])['customer']['name'], 'Dale Whitfield')
        self.assertEqual(lead['vehicle_interest']['vin'], '1FTEW1E50KFA00000')

    def test_staff_token_works_too(self):
        lead = expect(adf(sample('e-testdrive-email-only.xml'), SALES), 201)['items'][0]
        self.assertEqual(lead['dealer_id'], D['garage-amstel'])

    def test_the_same_document_twice_is_merged(self):
        first = expect(adf(sample('b-minimal-used.xml'), AMSTEL), 201)['items'][0]
        before = lead_count()
        second = expect(adf(sample('b-minimal-used.xml'), AMSTEL), 201)['items'][0]
        self.assertIs(second['merged'], True)
        self.assertIs(second['matched'], True)
        self.assertEqual(second['id'], first['id'])
        self.assertEqual(second['repeats'], first['repeats'] + 1)
        self.assertEqual(lead_count(), before)

    def test_admin_names_the_dealer(self):
        doc = sample('e-testdrive-email-only.xml')
        with Nothing(self, BRUXELLES_ADMIN):
            assert_error(adf(doc, ADMIN), 422, 'validation_failed', ['dealer_id'])
        lead = expect(adf(doc, ADMIN, query='?dealer_id=' + D['bruxelles-auto']), 201)['items'][0]
        self.assertEqual(lead['dealer_id'], D['bruxelles-auto'])


# -- documents of our own --------------------------------------------------------------

class Documents(unittest.TestCase):

    def test_several_prospects(self):
        emails = [mail() for _ in range(3)]
        doc = document(*(person(email=e, full='Multi %d' % i) for i, e in enumerate(emails)))
        before = lead_count()
        items = expect(adf(doc), 201)['items']
        self.assertEqual(len(items), 3)
        self.assertEqual(len({x['id'] for x in items}), 3)
        self.assertEqual(lead_count(), before + 3)
        for i, (lead, e) in enumerate(zip(items, emails)):
            c = get_lead(lead['id'])['customer']
            self.assertEqual((c['name'], c['email']), ('Multi %d' % i, e))

    def test_content_types(self):
        for ctype in ('application/xml', 'text/xml', 'application/adf+xml',
                      'application/xml; charset=utf-8', 'Application/XML'):
            with self.subTest(ctype):
                expect(adf(document(person()), ctype=ctype), 201)
        with Nothing(self):
            for ctype in ('text/plain', 'application/json', 'application/x-www-form-urlencoded',
                          'multipart/form-data; boundary=x', None):
                with self.subTest(ctype):
                    assert_error(adf(document(person()), ctype=ctype), 415,
                                 'unsupported_media_type')

    def test_iso_8859_1(self):
        doc = document(prospect(first='François', last='Lefèvre', email=mail(), make='Citroën',
                                model='C4 Picasso', comments='Très intéressé, à bientôt'),
                       decl='<?xml version="1.0" encoding="ISO-8859-1"?>\n<?adf version="1.0"?>\n')
        lead = expect(adf(doc.encode('iso-8859-1')), 201)['items'][0]
        self.assertEqual(get_lead(lead['id'])['customer']['name'], 'François Lefèvre')
        self.assertEqual(lead['make'], 'Citroën')
        self.assertEqual(lead['message'], 'Très intéressé, à bientôt')

    def test_byte_order_mark(self):
        for name in ('e-testdrive-email-only.xml', 'd-lease-resend-fr-cdata.xml'):
            with self.subTest(name):
                lead = expect(adf(b'\xef\xbb\xbf' + sample(name)), 201)['items'][0]
                self.assertEqual(get_lead(lead['id'])['customer']['name'], EXPECTED[name]['name'])

    def test_missing_vendor_name_and_provider(self):
        lead = expect(adf(document(person(vendor=None))), 201)['items'][0]
        self.assertEqual(lead['source'], 'adf')
        lead = expect(adf(document(person(vendor='Vendor BV', provider='Portal X'))), 201)['items'][0]
        self.assertEqual(lead['source'], 'Portal X', 'the provider names the source')
        lead = expect(adf(document(person(vendor='Vendor BV'))), 201)['items'][0]
        self.assertEqual(lead['source'], 'Vendor BV')

    def test_mobile_phone_type(self):
        digits = '1%07d' % random.randrange(0, 10 ** 7)
        lead = expect(adf(document(person(email=None, phones=[('mobile', '06-' + digits)]))),
                      201)['items'][0]
        self.assertEqual(get_lead(lead['id'])['customer']['phone_e164'], '+316' + digits)

    def test_trade_in_in_miles_and_vin_linked(self):
        vin = 'WVWZZZ1KZAW%06d' % random.randrange(0, 10 ** 6)
        trade = {'year': 2012, 'make': 'Volkswagen', 'model': 'Passat', 'vin': vin,
                 'odometer': '<odometer units="mi">10000</odometer>'}
        lead = expect(adf(document(person(trade=trade))), 201)['items'][0]
        t = lead['trade_in']
        assert_subset(self, t, {'make': 'Volkswagen', 'model': 'Passat', 'year': 2012,
                                'vin': vin}, 'trade_in')
        self.assertTrue(16000 <= t['mileage_km'] <= 16100, '10000 mi in km: %r' % t)
        c = get_lead(lead['id'])['customer']
        self.assertIn(vin, [v['vin'] for v in c['vehicles']])

    def test_matches_an_existing_customer(self):
        digits = '1%07d' % random.randrange(0, 10 ** 7)
        c = expect(SRV.request('POST', '/api/v1/customers',
                               {'name': 'Known Person', 'phone': '06 ' + digits},
                               token=T[SALES]), 201)
        lead = expect(adf(document(person(email=None, phones=[('voice', '+31 6 ' + digits)]))),
                      201)['items'][0]
        self.assertIs(lead['matched'], True)
        self.assertEqual(lead['customer_id'], c['id'])
        email = mail()
        c2 = expect(SRV.request('POST', '/api/v1/customers', {'name': 'Known Mail', 'email': email},
                                token=T[SALES]), 201)
        lead = expect(adf(document(person(email=email.upper()))), 201)['items'][0]
        self.assertEqual(lead['customer_id'], c2['id'])

    def test_sql_looking_strings_stored_literally(self):
        evil = "Robert'); DROP TABLE leads;--"
        lead = expect(adf(document(person(full=evil, make=evil, comments="1' OR '1'='1"))),
                      201)['items'][0]
        got = get_lead(lead['id'])
        self.assertEqual(got['customer']['name'], evil)
        self.assertEqual(got['make'], evil)
        self.assertEqual(got['message'], "1' OR '1'='1")
        self.assertGreater(lead_count(), 0)


# -- all or nothing ----------------------------------------------------------------------

class AllOrNothing(unittest.TestCase):

    def test_prospect_without_contact(self):
        doc = document(person(), prospect(full='No Contact'), person())
        with Nothing(self):
            err = assert_error(adf(doc), 422, 'validation_failed')
        self.assertIn('prospect 2', err['message'])

    def test_prospect_without_name(self):
        doc = document(person(), person(), prospect(email=mail()))
        with Nothing(self):
            err = assert_error(adf(doc), 422, 'validation_failed')
        self.assertIn('prospect 3', err['message'])
        self.assertIn('name', err['message'])

    def test_single_prospect_without_contact(self):
        with Nothing(self):
            err = assert_error(adf(document(prospect(first='Only', last='Name'))), 422,
                               'validation_failed')
        self.assertIn('e-mail or phone', err['message'])

    def test_a_prospect_refused_late_undoes_the_earlier_ones(self):
        # Prospect 2 parses, but its only contact is a number nobody can dial: the
        # customer cannot be made after prospect 1 was written, and all is undone.
        first_email = mail()
        doc = document(person(email=first_email), prospect(full='Bad Number', phones=[('voice', '12')]),
                       person())
        with Nothing(self):
            err = assert_error(adf(doc), 422, 'validation_failed')
        self.assertIn('prospect 2', err['message'])
        hits = SRV.list_all('/api/v1/customers?q=' + harness.urlquote(first_email), T[SALES])
        self.assertEqual(hits, [], 'the first prospect\'s customer was left behind')

    def test_a_bad_prospect_among_the_samples(self):
        good = sample('e-testdrive-email-only.xml').decode('utf-8')
        body = good[good.index('<prospect>'):good.index('</adf>')]
        doc = document(body, prospect(full='Nobody Reachable'))
        with Nothing(self):
            err = assert_error(adf(doc), 422, 'validation_failed')
        self.assertIn('prospect 2', err['message'])


# -- hostile documents -----------------------------------------------------------------

class Hostile(unittest.TestCase):

    def assert_no_passwd_anywhere(self, resp=None):
        if resp is not None:
            self.assertNotIn(PASSWD_MARK.encode(), resp.raw)
            self.assertNotIn(b'root:', resp.raw)
        for lead in SRV.list_all('/api/v1/leads', T[SALES]):
            self.assertNotIn('root:', json.dumps(lead))
        for c in SRV.list_all('/api/v1/customers', T[SALES], limit=5):
            self.assertNotIn('root:', json.dumps(c))

    def test_xxe(self):
        body = ('<adf><prospect><customer><contact><name part="full">X &x; X</name>'
                '<email>xxe@example.test</email></contact><comments>&x;</comments>'
                '</customer></prospect></adf>')
        docs = {
            'internal subset, SYSTEM entity':
                '<?xml version="1.0"?>\n<!DOCTYPE adf [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                + body,
            'after the adf PI':
                '<?xml version="1.0"?>\n<?adf version="1.0"?>\n'
                '<!DOCTYPE adf [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + body,
            'after the legacy header':
                '<?ADF VERSION="1.0"?>\n<?xml version="1.0"?>\n'
                '<!DOCTYPE adf [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + body,
            'external DTD':
                '<?xml version="1.0"?>\n<!DOCTYPE adf SYSTEM "file:///etc/passwd">\n'
                + body.replace('&x;', ''),
            'parameter entity':
                '<?xml version="1.0"?>\n<!DOCTYPE adf [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
                + body.replace('&x;', ''),
            'internal entity':
                '<?xml version="1.0"?>\n<!DOCTYPE adf [<!ENTITY x "harmless">]>\n' + body,
            'http entity':
                '<?xml version="1.0"?>\n<!DOCTYPE adf [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]>\n'
                + body,
        }
        with Nothing(self):
            for what, doc in docs.items():
                with self.subTest(what):
                    started = time.monotonic()
                    resp = adf(doc)
                    self.assertLess(time.monotonic() - started, 1.0)
                    assert_error(resp, 400, 'bad_request')
                    self.assert_no_passwd_anywhere(resp)
        # The same attack in UTF-16 is refused too (whatever the status, nothing leaks).
        doc16 = docs['internal subset, SYSTEM entity'].replace(
            '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode('utf-16')
        with Nothing(self):
            resp = adf(doc16)
            self.assertIn(resp.status, (400, 422), resp.describe())
            self.assert_no_passwd_anywhere(resp)

    def test_billion_laughs(self):
        lol = ['<!ENTITY lol "lol">']
        for i in range(1, 10):
            lol.append('<!ENTITY lol%d "%s">' % (i, ('&lol%d;' % (i - 1) if i > 1 else '&lol;') * 10))
        doc = ('<?xml version="1.0"?>\n<!DOCTYPE adf [%s]>\n<adf><prospect><customer><contact>'
               '<name part="full">&lol9;</name><email>lol@example.test</email></contact>'
               '</customer></prospect></adf>' % ''.join(lol))
        blow = 'x' * 50000
        quadratic = ('<?xml version="1.0"?>\n<!DOCTYPE adf [<!ENTITY a "%s">]>\n<adf><prospect>'
                     '<customer><contact><name part="full">Q</name><email>q@example.test</email>'
                     '</contact><comments>%s</comments></customer></prospect></adf>'
                     % (blow, '&a;' * 20000))
        with Nothing(self):
            for what, d in (('billion laughs', doc), ('quadratic blow-up', quadratic)):
                with self.subTest(what):
                    started = time.monotonic()
                    resp = adf(d)
                    elapsed = time.monotonic() - started
                    assert_error(resp, 400, 'bad_request')
                    self.assertLess(elapsed, 1.0, 'refused in %.2f s' % elapsed)
        self.assertTrue(SRV.alive())

    def test_over_one_mib(self):
        pad = 'x' * (1024 * 1024 + 100)
        doc = document(person(comments=pad)).encode()
        with Nothing(self):
            assert_error(SRV.stream('POST', '/api/v1/leads/adf', [doc],
                                    headers={'Content-Type': 'application/xml'},
                                    token=T[AMSTEL]), 413, 'payload_too_large')
            chunks = [doc[i:i + 65536] for i in range(0, len(doc), 65536)]
            resp = SRV.stream('POST', '/api/v1/leads/adf', chunks, chunked=True,
                              headers={'Content-Type': 'application/xml'}, token=T[AMSTEL])
            assert_error(resp, 413, 'payload_too_large')

    def test_just_under_one_mib_is_read(self):
        # Big but within the limit: answered (accepted or refused as too long a text), never
        # a crash or a 413.
        doc = document(person(comments='y' * (1024 * 1024 - 4096))).encode()
        resp = SRV.stream('POST', '/api/v1/leads/adf', [doc],
                          headers={'Content-Type': 'application/xml'}, token=T[AMSTEL])
        self.assertIn(resp.status, (201, 422), resp.describe())
        self.assertTrue(SRV.alive())

    def test_malformed_names_the_line(self):
        mismatched = ('<?xml version="1.0"?>\n<?adf version="1.0"?>\n<adf>\n<prospect>\n'
                      '<customer>\n<contact><name part="full">X</name><email>m@example.test</email>'
                      '</contact>\n</custom>\n</prospect>\n</adf>\n')
        unquoted = ('<?xml version="1.0"?>\n<adf>\n<prospect>\n<vehicle interest=buy>\n'
                    '</vehicle></prospect></adf>')
        cases = {
            'mismatched tag': (mismatched, 'line 7'),
            'unquoted attribute': (unquoted, 'line 4'),
            'legacy header, mismatched tag':
                ('<?ADF VERSION="1.0"?>\n' + mismatched.split('\n', 1)[1], 'line 7'),
        }
        with Nothing(self):
            for what, (doc, line) in cases.items():
                with self.subTest(what):
                    err = assert_error(adf(doc), 422, 'validation_failed')
                    self.assertIn(line, err['message'])

    def test_malformed(self):
        whole = sample('a-web-eprice.xml')
        cases = {
            'truncated': whole[:len(whole) // 2],
            'empty': b'',
            'not xml': b'hello, this is a lead',
            'json': json.dumps({'source': 'web'}).encode(),
            'root is not adf': b'<?xml version="1.0"?>\n<lead><prospect/></lead>',
            'no prospect': b'<?xml version="1.0"?>\n<?adf version="1.0"?>\n<adf></adf>',
            'two roots': document(person()).encode() + b'<adf/>',
            'bad utf-8': document(person(full='Bad \udcff')).encode('utf-8', 'surrogateescape'),
            'raw NUL': document(person(full='Nul\x00Name')).encode(),
            'NUL reference':
                document(person(comments='c')).replace('<comments>c', '<comments>&#0;').encode(),
            'undefined entity': document(person(comments='c')).replace('<comments>c', '<comments>&nbsp;').encode(),
        }
        with Nothing(self):
            for what, doc in cases.items():
                with self.subTest(what):
                    resp = adf(doc)
                    err = assert_error(resp, 422, 'validation_failed')
                    self.assertTrue(err['message'])
        self.assertTrue(SRV.alive())

    def test_anonymous_and_bad_keys(self):
        doc = document(person())
        with Nothing(self):
            assert_error(adf(doc, who=None), 401, 'unauthenticated')
            assert_error(adf(doc, who='fck_not-a-real-key'), 401, 'unauthenticated')
            assert_error(adf(doc, who='fcs_not-a-real-session'), 401, 'unauthenticated')


if __name__ == '__main__':
    unittest.main()
