"""Vehicles: VIN decoding (every row of shared/data/vins.tsv), create or link by VIN/plate,
vehicles shared between dealers, search, readings (mileage never backwards), and the
readings reaching the owner's timeline."""

import json
import os
import random
import string
import time
import unittest
from datetime import datetime, timezone

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, MONTREAL_SALES, SALES,
                     TECHNICIAN, assert_error, expect, unique)

SRV = harness.ServerModule()
T = {}
D = {}
VINS_TSV = os.path.join(os.path.dirname(harness.REPO), 'shared', 'data', 'vins.tsv')
VEHICLE_KEYS = {'id', 'vin', 'plate', 'make', 'model', 'model_year', 'software_version',
                'warranty_end', 'mileage_km', 'mileage_at', 'created_at', 'updated_at', 'owners',
                'readings'}
DECODE_KEYS = {'vin', 'valid', 'check_digit', 'wmi', 'manufacturer', 'region', 'country',
               'model_years', 'errors'}
READING_KEYS = {'id', 'at', 'source', 'mileage_km', 'correction', 'fault_codes',
                'software_version', 'dealer_id'}
OWNER_KEYS = {'customer_id', 'name', 'since', 'until', 'dealer_id'}


def setUpModule():
    SRV.up()
    T.update(SRV.tokens(ADMIN, BRAND_MANAGER, DEALER_ADMIN, SALES, TECHNICIAN, BRUXELLES_ADMIN,
                        MONTREAL_SALES))
    D.update(SRV.dealer_ids(T[ADMIN]))


def tearDownModule():
    SRV.down()


def api(who, method, path, body=None, **kw):
    return SRV.request(method, '/api/v1' + path, body, token=T.get(who, who), **kw)


def plate():
    return '%s-%03d-%s' % (''.join(random.choice('BDFGHJKLNPRSTVXZ') for _ in range(2)),
                           random.randrange(1000), random.choice('BDFGHJKLNPRSTVXZ'))


def new_customer(who=SALES, **fields):
    body = {'name': 'Eigenaar ' + ''.join(random.choice(string.ascii_lowercase) for _ in range(6)),
            'email': unique('veh') + '@example.test'}
    body.update(fields)
    return expect(api(who, 'POST', '/customers', body), 201, 'create customer')


def new_vehicle(who=SALES, **fields):
    body = {'plate': plate()}
    body.update(fields)
    return expect(api(who, 'POST', '/vehicles', body), 201, 'create vehicle')


def reading(vid, who=SALES, **fields):
    body = {'source': 'workshop'}
    body.update(fields)
    return api(who, 'POST', '/vehicles/%s/readings' % vid, body)


def vehicles_of(who):
    return SRV.list_all('/api/v1/vehicles', T[who])


def vehicle_search(q):
    return expect(api(SALES, 'GET', '/vehicles?q=' + harness.urlquote(q)), 200)['items']


def read_vins():
    rows = []
    with open(VINS_TSV, encoding='utf-8') as f:
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            vin, check, maker, year, _source = line.rstrip('\n').split('\t')[:5]
            rows.append((vin, check, maker, None if year == '-' else int(year)))
    return rows


class VinDecode(unittest.TestCase):

    def test_every_row_of_the_shared_table(self):
        rows = read_vins()
        self.assertGreaterEqual(len(rows), 10)
        for vin, check, maker, year in rows:
            with self.subTest(vin=vin):
                d = expect(api(SALES, 'GET', '/vin/' + vin), 200)
                harness.assert_keys(self, d, DECODE_KEYS, 'VIN decode')
                self.assertEqual(d['vin'], vin)
                self.assertEqual(d['check_digit'], check)
                self.assertEqual(d['manufacturer'], maker)
                self.assertEqual(d['wmi'], vin[:3])
                self.assertIs(d['valid'], check != 'bad')
                if check == 'bad':
                    self.assertTrue(d['errors'])
                else:
                    self.assertEqual(d['errors'], [])
                if year is not None:
                    self.assertIn(year, d['model_years'])
                for y in d['model_years']:
                    self.assertIsInstance(y, int)

    def test_documented_examples(self):
        d = expect(api(SALES, 'GET', '/vin/WDBEA30D3HA391172'), 200)
        self.assertEqual((d['check_digit'], d['manufacturer'], d['valid']),
                         ('ok', 'Mercedes-Benz', True))
        self.assertIn(1987, d['model_years'])
        d = expect(api(SALES, 'GET', '/vin/1XPTD40X0JD456115'), 200)
        self.assertEqual((d['check_digit'], d['valid']), ('bad', False))
        good = expect(api(SALES, 'GET', '/vin/1XPTD40X6JD456115'), 200)
        self.assertEqual((good['check_digit'], good['valid']), ('ok', True))
        d = expect(api(SALES, 'GET', '/vin/WVWZZZ1KZ6W612305'), 200)
        self.assertEqual((d['check_digit'], d['valid'], d['manufacturer']),
                         ('n/a', True, 'Volkswagen'))

    def test_malformed_vins(self):
        for vin in ('ABC', 'WVWZZZ1KZ6W61230', 'WVWZZZ1KZ6W6123055', 'WVWZZZ1KZ6W61230O',
                    'WVWZZZ1KZ6W61230I', 'QVWZZZ1KZ6W612305', 'WVWZZZ1KZ6W6123-5'):
            with self.subTest(vin=vin):
                d = expect(api(SALES, 'GET', '/vin/' + harness.urlquote(vin)), 200)
                self.assertIs(d['valid'], False)
                self.assertTrue(d['errors'], d)
        d = expect(api(SALES, 'GET', '/vin/wvwzzz1kz6w612305'), 200)
        self.assertEqual(d['vin'], 'WVWZZZ1KZ6W612305')
        self.assertIs(d['valid'], True)

    def test_any_signed_in_user(self):
        key = expect(api(DEALER_ADMIN, 'POST', '/api-keys',
                         {'name': 'vin ' + unique('k'), 'dealer_id': D['garage-amstel']}), 201)
        for who in (ADMIN, BRAND_MANAGER, TECHNICIAN, MONTREAL_SALES, key['key']):
            with self.subTest(who=who[:20]):
                self.assertEqual(expect(api(who, 'GET', '/vin/WVWZZZ1KZ6W612305'), 200)
                                 ['manufacturer'], 'Volkswagen')
        assert_error(SRV.request('GET', '/api/v1/vin/WVWZZZ1KZ6W612305'), 401, 'unauthenticated')


class Create(unittest.TestCase):

    def test_vin_fills_make_and_year(self):
        v = new_vehicle(plate=None, vin='1FACP45EXLF192944', mileage_km=120000,
                        warranty_end='2027-05-31')
        harness.assert_keys(self, v, VEHICLE_KEYS | {'existing', 'decoded'}, 'vehicle')
        self.assertIs(v['existing'], False)
        self.assertEqual(v['vin'], '1FACP45EXLF192944')
        self.assertEqual(v['make'], 'Ford')
        self.assertEqual(v['decoded']['manufacturer'], 'Ford')
        if len(v['decoded']['model_years']) == 1:
            self.assertEqual(v['model_year'], v['decoded']['model_years'][0])
        self.assertEqual(v['mileage_km'], 120000)
        harness.assert_rfc3339(self, v['mileage_at'])
        self.assertEqual(v['warranty_end'], '2027-05-31')
        self.assertEqual(len(v['readings']), 1)
        r = v['readings'][0]
        harness.assert_keys(self, r, READING_KEYS, 'reading')
        self.assertEqual(r['mileage_km'], 120000)
        self.assertEqual(r['dealer_id'], D['garage-amstel'])
        got = expect(api(SALES, 'GET', '/vehicles/' + v['id']), 200)
        self.assertEqual(got['id'], v['id'])
        self.assertEqual(got['readings'], v['readings'])
        self.assertNotIn('existing', got)

    def test_single_candidate_year_and_given_values_win(self):
        v = new_vehicle(vin='WVWZZZ1KZ6W612305')
        self.assertEqual(v['make'], 'Volkswagen')
        self.assertEqual(v['model_year'], 2006)
        self.assertIsNone(v['model'])
        m = new_vehicle(vin='WDBEA30D3HA391172', make='Mercedes', model='E 300')
        self.assertEqual(m['make'], 'Mercedes', 'a given make is kept')
        self.assertEqual(m['model'], 'E 300')
        self.assertGreater(len(m['decoded']['model_years']), 1)
        self.assertIsNone(m['model_year'], 'several candidates: no year guessed')
        g = new_vehicle(vin='JN1DA31D63T505967', model_year=2003)
        self.assertEqual(g['model_year'], 2003)

    def test_plate_only(self):
        p = 'ÄB-12 ÇD ' + str(random.randrange(100))
        v = new_vehicle(plate=p, make='Fiat', model='Panda', model_year=2019)
        self.assertIsNone(v['vin'])
        self.assertEqual(v['plate'], p)
        self.assertEqual((v['make'], v['model'], v['model_year']), ('Fiat', 'Panda', 2019))
        self.assertEqual(v['owners'], [])
        self.assertEqual(v['readings'], [])
        self.assertIsNone(v['mileage_km'])

    def test_same_vin_again_is_the_same_vehicle(self):
        vin = '1GCHK29U21E231713'
        first = new_vehicle(vin=vin, plate=None)
        again = new_vehicle(vin=vin, plate=None)
        self.assertIs(again['existing'], True)
        self.assertEqual(again['id'], first['id'])
        lower = new_vehicle(vin=vin.lower(), plate=None)
        self.assertEqual(lower['id'], first['id'])
        self.assertIs(lower['existing'], True)
        self.assertEqual(sum(1 for v in vehicles_of(SALES) if v['vin'] == vin), 1)

    def test_validation(self):
        before = len(vehicles_of(SALES))
        other = new_customer(BRUXELLES_ADMIN)
        cases = [({}, 'vin'), ({'plate': ''}, 'vin'), ({'make': 'Fiat'}, 'vin'),
                 ({'vin': '1XPTD40X0JD456115'}, 'vin'), ({'vin': 'WVWZZZ1KZ6W61230O'}, 'vin'),
                 ({'vin': 'WVWZZZ1KZ6W61230I'}, 'vin'), ({'vin': 'QVWZZZ1KZ6W612305'}, 'vin'),
                 ({'vin': 'WVWZZZ1KZ6W61230'}, 'vin'), ({'vin': 'WVWZZZ1KZ6W6123055'}, 'vin'),
                 ({'plate': plate(), 'customer_id': other['id']}, 'customer_id'),
                 ({'plate': plate(), 'customer_id': '01ZZZZZZZZZZZZZZZZZZZZZZZZ'}, 'customer_id'),
                 ({'plate': plate(), 'warranty_end': '2027-13-01'}, 'warranty_end'),
                 ({'plate': plate(), 'mileage_km': -1}, 'mileage_km')]
        for body, field in cases:
            with self.subTest(body=body):
                assert_error(api(SALES, 'POST', '/vehicles', body), 422, 'validation_failed',
                             [field])
        self.assertEqual(len(vehicles_of(SALES)), before)
        # The refused VIN was not stored half-way: posting it validly later is new.
        v = new_vehicle(vin='1XPTD40X6JD456115', customer_id=new_customer()['id'])
        self.assertIs(v['existing'], False)

    def test_ranges_and_lengths(self):
        before = len(vehicles_of(SALES))
        next_year = datetime.now(timezone.utc).year + 1
        for body, field in (({'model_year': 1885}, 'model_year'),
                            ({'model_year': next_year + 1}, 'model_year'),
                            ({'mileage_km': 5000001}, 'mileage_km'),
                            ({'plate': 'P' * 21}, 'plate'),
                            ({'make': 'M' * 61}, 'make'),
                            ({'model': 'M' * 61}, 'model')):
            full = {'plate': plate()}
            full.update(body)
            with self.subTest(body=str(body)[:40]):
                assert_error(api(SALES, 'POST', '/vehicles', full), 422, 'validation_failed',
                             [field])
        self.assertEqual(len(vehicles_of(SALES)), before)
        v = new_vehicle(model_year=next_year, make='M' * 60, mileage_km=5000000)
        self.assertEqual((v['model_year'], v['mileage_km']), (next_year, 5000000))
        self.assertEqual(new_vehicle(model_year=1886, plate='P' * 20)['plate'], 'P' * 20)

    def test_warranty_end_format(self):
        before = len(vehicles_of(SALES))
        for bad in ('31-05-2027', '2027/05/31', '20270531', '2027-5-31', 'soon'):
            with self.subTest(bad):
                resp = api(SALES, 'POST', '/vehicles', {'plate': plate(), 'warranty_end': bad})
                assert_error(resp, 422, 'validation_failed', ['warranty_end'])
        self.assertEqual(len(vehicles_of(SALES)), before)

    def test_other_dealers_customer_leaves_nothing(self):
        other = new_customer(BRUXELLES_ADMIN)
        vin = '2GCEC19Z0S1245490'
        assert_error(api(SALES, 'POST', '/vehicles', {'vin': vin, 'customer_id': other['id']}),
                     422, 'validation_failed', ['customer_id'])
        self.assertIs(new_vehicle(vin=vin)['existing'], False)
        got = expect(api(BRUXELLES_ADMIN, 'GET', '/customers/' + other['id']), 200)
        self.assertEqual(got['vehicles'], [])

    def test_hostile_input(self):
        before = len(vehicles_of(SALES))
        for raw in (b'{', b'', b'[]', b'"x"', b'{"plate": "AB-1",}'):
            with self.subTest(raw=raw):
                assert_error(SRV.request('POST', '/api/v1/vehicles', raw=raw, token=T[SALES]), 400,
                             'bad_request')
        for body in ({'plate': 5}, {'plate': plate(), 'model_year': '2019'},
                     {'plate': plate(), 'mileage_km': '10'}, {'plate': plate(), 'mileage_km': 1.5},
                     {'plate': plate(), 'customer_id': 7}, {'vin': ['x']},
                     {'plate': plate(), 'colour': 'red'}, {'plate': plate(), 'existing': True},
                     {'plate': 'A\u0000B'}, {'plate': plate(), 'model': 'x\u0000'}):
            with self.subTest(body=body):
                assert_error(api(SALES, 'POST', '/vehicles', body), 400, 'bad_request')
        big = json.dumps({'plate': plate(), 'model': 'x' * (1024 * 1024 + 1)}).encode()
        assert_error(SRV.stream('POST', '/api/v1/vehicles', [big], token=T[SALES]), 413,
                     'payload_too_large')
        self.assertEqual(len(vehicles_of(SALES)), before)
        sqli = "Robert'); DROP TABLE vehicles;--"
        v = new_vehicle(model=sqli, make='Renault Mégane 李 🚗')
        got = expect(api(SALES, 'GET', '/vehicles/' + v['id']), 200)
        self.assertEqual(got['model'], sqli)
        self.assertEqual(got['make'], 'Renault Mégane 李 🚗')
        self.assertEqual(len(vehicles_of(SALES)), before + 1)

    def test_unknown_vehicle(self):
        for vid in ('01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'nope', harness.urlquote("' OR 1=1 --")):
            with self.subTest(vid):
                assert_error(api(SALES, 'GET', '/vehicles/' + vid), 404, 'not_found')
                assert_error(reading(vid, mileage_km=1), 404, 'not_found')


class Linking(unittest.TestCase):

    def test_link_to_customer(self):
        c = new_customer()
        p = plate()
        v = new_vehicle(plate=p, customer_id=c['id'], mileage_km=100)
        self.assertEqual(len(v['owners']), 1)
        o = v['owners'][0]
        harness.assert_keys(self, o, OWNER_KEYS, 'owner')
        self.assertEqual((o['customer_id'], o['name'], o['until'], o['dealer_id']),
                         (c['id'], c['name'], None, D['garage-amstel']))
        harness.assert_rfc3339(self, o['since'])
        cust = expect(api(SALES, 'GET', '/customers/' + c['id']), 200)
        self.assertEqual([x['id'] for x in cust['vehicles']], [v['id']])
        cv = cust['vehicles'][0]
        self.assertEqual((cv['plate'], cv['mileage_km']), (p, 100))
        tl = expect(api(SALES, 'GET', '/customers/%s/timeline' % c['id']), 200)['items']
        linked = [e for e in tl if e['type'] == 'vehicle.linked']
        self.assertEqual(len(linked), 1)
        self.assertEqual(linked[0]['payload'].get('vehicle_id'), v['id'])
        # Plate searchable in customer search, with and without dashes.
        for q in (p, p.replace('-', ''), p.lower()):
            hits = expect(api(SALES, 'GET', '/customers?limit=5&q=' + harness.urlquote(q)), 200)
            self.assertIn(c['id'], [x['id'] for x in hits['items']], q)

    def test_link_existing_vehicle_later(self):
        vin = 'JN1DA31D63T505967'
        c = new_customer()
        expect(api(SALES, 'POST', '/vehicles', {'vin': vin}), (200, 201))
        v = new_vehicle(plate=None, vin=vin, customer_id=c['id'])
        self.assertIs(v['existing'], True)
        self.assertIn(c['id'], [o['customer_id'] for o in v['owners'] if o['until'] is None])
        hits = expect(api(SALES, 'GET', '/customers?limit=5&q=' + vin[-8:]), 200)
        self.assertIn(c['id'], [x['id'] for x in hits['items']])


class Search(unittest.TestCase):

    def test_plate_and_vin_fragments(self):
        p = 'GH-123-' + random.choice('BDFGHJKLN') + str(random.randrange(10, 99))
        v = new_vehicle(plate=p)
        w = new_vehicle(plate=None, vin='2G4WF52L6S1472882')
        for q in ('GH-123', 'gh123', 'gh 123', p.lower(), p.replace('-', ' ')):
            with self.subTest(q=q):
                items = vehicle_search(q)
                self.assertIn(v['id'], [x['id'] for x in items])
        for q in ('2g4wf52', 'S1472882', '2G4WF52L6S1472882'):
            with self.subTest(q=q):
                items = vehicle_search(q)
                self.assertEqual([x['id'] for x in items], [w['id']])
        self.assertEqual(expect(api(SALES, 'GET', '/vehicles?q=ZZ-999-QQ'), 200)['items'], [])
        items = expect(api(SALES, 'GET', '/vehicles?q=' + harness.urlquote("' OR '1'='1")),
                       200)['items']
        self.assertEqual(items, [])

    def test_paging_and_bad_parameters(self):
        for _ in range(3):
            new_vehicle()
        everything = vehicles_of(SALES)
        seen = []
        cursor = None
        for _ in range(500):
            url = '/vehicles?limit=2' + ('&cursor=' + harness.urlquote(cursor) if cursor else '')
            page = expect(api(SALES, 'GET', url), 200)
            seen += [x['id'] for x in page['items']]
            cursor = page['next_cursor']
            if not cursor:
                break
        self.assertEqual(sorted(seen), sorted(x['id'] for x in everything))
        self.assertEqual(len(seen), len(set(seen)))
        for query in ('limit=0', 'limit=501', 'cursor=nope'):
            with self.subTest(query):
                assert_error(api(SALES, 'GET', '/vehicles?' + query), 400, 'bad_request')


class Readings(unittest.TestCase):

    def test_mileage_never_backwards(self):
        v = new_vehicle(mileage_km=10000)
        time.sleep(0.005)      # readings in distinct milliseconds: "newest first" is well defined
        r = expect(reading(v['id'], mileage_km=12000, fault_codes=['P0301', 'P0420']), 201)
        self.assertEqual(r['mileage_km'], 12000)
        self.assertEqual(r['readings'][0]['fault_codes'], ['P0301', 'P0420'])
        self.assertEqual([x['mileage_km'] for x in r['readings']], [12000, 10000], 'newest first')
        err = assert_error(reading(v['id'], mileage_km=11999), 422, 'validation_failed',
                           ['mileage_km'])
        self.assertTrue(err['fields']['mileage_km'])
        assert_error(reading(v['id'], mileage_km=11999, correction=False), 422,
                     'validation_failed', ['mileage_km'])
        now = expect(api(SALES, 'GET', '/vehicles/' + v['id']), 200)
        self.assertEqual(now['mileage_km'], 12000)
        self.assertEqual(len(now['readings']), 2, 'the refused reading was not stored')
        time.sleep(0.005)
        same = expect(reading(v['id'], mileage_km=12000), 201)
        self.assertEqual(same['mileage_km'], 12000, 'the same mileage again is not backwards')
        time.sleep(0.005)
        fixed = expect(reading(v['id'], mileage_km=11000, correction=True), 201)
        self.assertEqual(fixed['mileage_km'], 11000)
        self.assertEqual(len(fixed['readings']), 4)
        self.assertIs(fixed['readings'][0]['correction'], True)
        self.assertEqual(fixed['readings'][0]['mileage_km'], 11000)

    def test_correction_supersedes_the_wrong_reading(self):
        """After 12000 was corrected to 11000, 11500 is a normal reading again."""
        v = new_vehicle(mileage_km=10000)
        time.sleep(0.005)
        expect(reading(v['id'], mileage_km=12000), 201)
        time.sleep(0.005)
        expect(reading(v['id'], mileage_km=11000, correction=True), 201)
        time.sleep(0.005)
        r = expect(reading(v['id'], mileage_km=11500), 201, 'a reading above the corrected value')
        self.assertEqual(r['mileage_km'], 11500)

    def test_reading_event_says_which_vehicle(self):
        c = new_customer()
        v = new_vehicle(customer_id=c['id'])
        expect(reading(v['id'], source='workshop', mileage_km=4321, fault_codes=['P0300']), 201)
        tl = expect(api(SALES, 'GET', '/customers/%s/timeline' % c['id']), 200)['items']
        ev = [e for e in tl if e['type'] == 'vehicle.reading']
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]['payload'].get('vehicle_id'), v['id'], ev[0])
        self.assertEqual(ev[0]['payload'].get('mileage_km'), 4321, ev[0])
        self.assertEqual(ev[0]['payload'].get('fault_codes'), ['P0300'], ev[0])

    def test_backdated_reading_cannot_exceed_a_later_one(self):
        """A reading dated before a later, lower one would make the mileage go backwards."""
        v = new_vehicle(mileage_km=10000)
        resp = reading(v['id'], mileage_km=50000, at='2021-01-01T00:00:00Z')
        assert_error(resp, 422, 'validation_failed', ['mileage_km'])
        now = expect(api(SALES, 'GET', '/vehicles/' + v['id']), 200)
        self.assertEqual([x['mileage_km'] for x in now['readings']], [10000])
        expect(reading(v['id'], mileage_km=20000), 201)

    def test_latest_reading_is_the_mileage(self):
        """Readings sent quickly one after another (same millisecond): the last one counts."""
        v = new_vehicle()
        wrong = []
        for i in range(60):
            km = 1000 + 10 * i
            r = expect(reading(v['id'], mileage_km=km), 201)
            if r['mileage_km'] != km:
                wrong.append((km, r['mileage_km']))
        self.assertEqual(wrong, [], '(sent, shown) where the answer showed an older mileage')
        readings = expect(api(SALES, 'GET', '/vehicles/' + v['id']), 200)['readings']
        # The vehicle shows its 50 newest readings, newest first.
        self.assertEqual([x['mileage_km'] for x in readings],
                         [1000 + 10 * i for i in range(59, 9, -1)], 'newest first')

    def test_backdated_lower_reading_is_history(self):
        v = new_vehicle(mileage_km=10000)
        r = expect(reading(v['id'], mileage_km=500, at='2020-01-01T00:00:00Z'), 201)
        self.assertEqual([x['mileage_km'] for x in r['readings']], [10000, 500])
        self.assertEqual(r['readings'][1]['at'], '2020-01-01T00:00:00Z')
        self.assertEqual(r['mileage_km'], 10000, 'an old reading does not lower the mileage')

    def test_software_and_fault_codes_only(self):
        v = new_vehicle()
        r = expect(reading(v['id'], source='telematics', software_version='4.2.1'), 201)
        self.assertEqual(r['software_version'], '4.2.1')
        self.assertIsNone(r['readings'][0]['mileage_km'])
        time.sleep(0.005)
        r = expect(reading(v['id'], source='customer', fault_codes=['U0100']), 201)
        self.assertEqual(r['readings'][0]['fault_codes'], ['U0100'])
        self.assertEqual(r['readings'][0]['source'], 'customer')
        time.sleep(0.005)
        odd = "4.2'); DROP TABLE vehicle_readings;-- é"
        r = expect(reading(v['id'], source='telematics', software_version=odd), 201)
        self.assertEqual(r['software_version'], odd)
        self.assertEqual(r['readings'][0]['software_version'], odd)
        self.assertEqual(len(r['readings']), 3)

    def test_validation(self):
        v = new_vehicle(mileage_km=100)
        cases = [({'source': 'workshop'}, 'mileage_km'), ({'source': 'dealer', 'mileage_km': 200},
                                                          'source'),
                 ({'mileage_km': 200}, 'source'), ({'source': 'workshop', 'mileage_km': -5},
                                                   'mileage_km'),
                 ({'source': 'workshop', 'mileage_km': 200, 'at': '2999-01-01T00:00:00Z'}, 'at'),
                 ({'source': 'workshop', 'mileage_km': 200, 'at': 'yesterday'}, 'at')]
        for body, field in cases:
            with self.subTest(body=body):
                assert_error(api(SALES, 'POST', '/vehicles/%s/readings' % v['id'], body), 422,
                             'validation_failed', [field])
        for body in ({'source': 'workshop', 'mileage_km': '200'},
                     {'source': 'workshop', 'fault_codes': 'P0301'},
                     {'source': 'workshop', 'fault_codes': [1]},
                     {'source': 'workshop', 'mileage_km': 200, 'correction': 'yes'},
                     {'source': 'workshop', 'mileage_km': 200, 'odometer': 1},
                     {'source': 'workshop', 'software_version': 'a\u0000b'}):
            with self.subTest(body=body):
                assert_error(api(SALES, 'POST', '/vehicles/%s/readings' % v['id'], body), 400,
                             'bad_request')
        for raw in (b'{', b'[]', b'"x"', b''):
            with self.subTest(raw=raw):
                assert_error(SRV.request('POST', '/api/v1/vehicles/%s/readings' % v['id'], raw=raw,
                                         token=T[SALES]), 400, 'bad_request')
        big = json.dumps({'source': 'workshop', 'software_version': 'x' * (1024 * 1024 + 1)})
        assert_error(SRV.stream('POST', '/api/v1/vehicles/%s/readings' % v['id'], [big.encode()],
                                token=T[SALES]), 413, 'payload_too_large')
        assert_error(SRV.request('POST', '/api/v1/vehicles/%s/readings' % v['id'],
                                 raw=b'{"source":"workshop","mileage_km":200}', token=T[SALES],
                                 headers={'Content-Type': 'text/plain'}), 415,
                     'unsupported_media_type')
        now = expect(api(SALES, 'GET', '/vehicles/' + v['id']), 200)
        self.assertEqual(len(now['readings']), 1)
        self.assertEqual(now['mileage_km'], 100)

    def test_readings_reach_the_owners_timeline(self):
        c = new_customer()
        v = new_vehicle(customer_id=c['id'])
        expect(reading(v['id'], source='workshop', mileage_km=4000), 201)
        expect(reading(v['id'], source='telematics', fault_codes=['P0171']), 201)
        tl = expect(api(SALES, 'GET', '/customers/%s/timeline' % c['id']), 200)['items']
        readings = [e for e in tl if e['type'] == 'vehicle.reading']
        self.assertEqual(len(readings), 2, tl)
        self.assertEqual(sorted(e['channel'] for e in readings), ['telematics', 'workshop'])
        for e in readings:
            self.assertEqual(e['customer_id'], c['id'])
            self.assertEqual(e['dealer_id'], D['garage-amstel'])
        # A vehicle without owner has nobody's timeline to reach; nothing fails.
        expect(reading(new_vehicle()['id'], mileage_km=5), 201)


class SharedBetweenDealers(unittest.TestCase):

    def test_same_vin_at_two_dealers(self):
        vin = '1M8GDM9AXKP042788'     # used by no other test of this module
        amstel_owner = new_customer()
        a = new_vehicle(plate=None, vin=vin, customer_id=amstel_owner['id'], mileage_km=30000)
        self.assertIs(a['existing'], False)
        # Montréal does not know it yet.
        for who in (MONTREAL_SALES, BRUXELLES_ADMIN):
            with self.subTest(who=who):
                assert_error(api(who, 'GET', '/vehicles/' + a['id']), 404, 'not_found')
                assert_error(reading(a['id'], who, mileage_km=40000), 404, 'not_found')
                self.assertEqual(expect(api(who, 'GET', '/vehicles?q=' + vin), 200)['items'], [])
        # Montréal posts the same VIN: the same vehicle, known to it from now on.
        mtl_owner = new_customer(MONTREAL_SALES)
        m = new_vehicle(MONTREAL_SALES, plate=None, vin=vin, customer_id=mtl_owner['id'],
                        mileage_km=31000)
        self.assertEqual(m['id'], a['id'])
        self.assertIs(m['existing'], True)
        got = expect(api(MONTREAL_SALES, 'GET', '/vehicles/' + a['id']), 200)
        self.assertEqual([o['customer_id'] for o in got['owners']], [mtl_owner['id']])
        self.assertEqual({o['dealer_id'] for o in got['owners']}, {D['montreal-motors']})
        self.assertEqual([r['mileage_km'] for r in got['readings']], [31000])
        self.assertEqual({r['dealer_id'] for r in got['readings']}, {D['montreal-motors']})
        self.assertNotIn(amstel_owner['name'], json.dumps(got, ensure_ascii=False))
        self.assertEqual([x['id'] for x in
                          expect(api(MONTREAL_SALES, 'GET', '/vehicles?q=' + vin), 200)['items']],
                         [a['id']])
        # Amstel still sees only its own.
        mine = expect(api(SALES, 'GET', '/vehicles/' + a['id']), 200)
        self.assertEqual([o['customer_id'] for o in mine['owners']], [amstel_owner['id']])
        self.assertEqual([r['mileage_km'] for r in mine['readings']], [30000])
        self.assertNotIn(mtl_owner['name'], json.dumps(mine, ensure_ascii=False))
        # Mileage shown is each dealer's own.
        self.assertEqual(got['mileage_km'], 31000)
        self.assertEqual(mine['mileage_km'], 30000)
        # Montréal's reading does not land on Amstel's customer's timeline.
        tl = expect(api(SALES, 'GET', '/customers/%s/timeline' % amstel_owner['id']), 200)['items']
        for e in tl:
            self.assertEqual(e['dealer_id'], D['garage-amstel'], e)
            self.assertNotEqual(e['payload'].get('mileage_km'), 31000, e)
        self.assertNotIn(mtl_owner['name'], json.dumps(tl, ensure_ascii=False))
        # Montréal's readings do not hold Amstel back: a lower mileage there is its own business.
        expect(reading(a['id'], MONTREAL_SALES, mileage_km=31500), 201)
        resp = reading(a['id'], SALES, mileage_km=30500)
        self.assertEqual(resp.status, 201, resp.describe())
        self.assertNotIn(b'31500', resp.raw)
        # Bruxelles still does not know it.
        assert_error(api(BRUXELLES_ADMIN, 'GET', '/vehicles/' + a['id']), 404, 'not_found')

    def test_plate_only_vehicles_are_not_shared(self):
        p = plate()
        a = new_vehicle(plate=p)
        b = new_vehicle(MONTREAL_SALES, plate=p)
        self.assertIs(b['existing'], False)
        self.assertNotEqual(a['id'], b['id'])
        assert_error(api(MONTREAL_SALES, 'GET', '/vehicles/' + a['id']), 404, 'not_found')

    def test_lists_are_per_dealer(self):
        a = new_vehicle()
        ids = {x['id'] for x in vehicles_of(MONTREAL_SALES)}
        self.assertNotIn(a['id'], ids)
        admin_ids = {x['id'] for x in SRV.list_all('/api/v1/vehicles?dealer_id=' +
                                                   D['garage-amstel'], T[ADMIN])}
        self.assertIn(a['id'], admin_ids)

    def test_brand_manager_sees_no_vehicles(self):
        assert_error(api(BRAND_MANAGER, 'GET', '/vehicles'), 403, 'forbidden')
        assert_error(api(BRAND_MANAGER, 'POST', '/vehicles', {'plate': plate()}), 403,
                     'forbidden')


if __name__ == '__main__':
    unittest.main()
