#!/usr/bin/env python3
"""Builds the request lists of bench/network.sh from a seeded network.

    bench/fragments.py BASE_URL DB OUTDIR [DEALERS]

Logs in as the seed's staff (password forecourt-bench) and writes into OUTDIR:

  search.txt        token<TAB>/api/v1/customers?q=…&limit=20, for DEALERS dealers
                    (the biggest half and a random half): fragments of real
                    generated names (accents typed or not, any case), phone
                    digits, plates with their punctuation, e-mail and VIN parts,
                    as staff type them into the search box
  availability.txt  <TAB>/api/v1/public/dealers/{slug}/availability?… for every
                    dealer, one week from tomorrow
  book.txt          slug<TAB>start<TAB>service: distinct free slots the
                    availability API offers two to three weeks ahead
  leads.txt         token<TAB>e-mail of an existing customer of that dealer
  info.json         the tokens and the dealers chosen (for the dashboards)
"""
import json
import os
import random
import sys
import time
import unicodedata
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import DB, call, login  # noqa: E402


def strip_accents(s):
    return ''.join(c for c in unicodedata.normalize('NFKD', s) if not unicodedata.combining(c))


def variants(rnd, s):
    """How people type a name: as written, lower case, without accents, upper case."""
    return rnd.choice([s, s.lower(), strip_accents(s).lower(), s.upper(), strip_accents(s)])


def fragment(rnd, cust, plates):
    name, first, last, phone, e164, email, kind = cust
    kinds = [('last', 30), ('first_last', 10), ('phone', 20), ('plate', 20), ('email', 10), ('vin', 5),
             ('name', 5)]
    while True:
        k = rnd.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        if k == 'last' and last and len(last) >= 3:
            return variants(rnd, last[:rnd.randint(3, min(6, len(last)))])
        if k == 'first_last' and first and last:
            return variants(rnd, first + ' ' + last[:rnd.randint(1, min(4, len(last)))])
        if k == 'name' and name:
            return variants(rnd, name)
        if k == 'phone' and (phone or e164):
            if e164 and rnd.random() < 0.5:
                return e164[-rnd.randint(5, 8):]
            if phone:
                return phone[:rnd.randint(6, min(12, len(phone)))]
        if k == 'plate' and plates:
            p = rnd.choice(plates)[0]
            if p:
                return variants(rnd, p[:rnd.randint(4, len(p))])
        if k == 'email' and email:
            local = email.split('@')[0]
            return local[:rnd.randint(min(5, len(local)), len(local))]
        if k == 'vin' and plates:
            v = rnd.choice(plates)[1]
            if v:
                return v[-rnd.randint(6, 8):]


def main():
    base, dburl, out = sys.argv[1], sys.argv[2], sys.argv[3]
    ndealers = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(2026)
    db = DB(dburl)
    admin = login(base, 'admin@network.test')
    dealers = db.rows('SELECT d.id, d.slug, COUNT(c.id) FROM dealers d JOIN customers c ON c.dealer_id = d.id '
                      'GROUP BY d.id, d.slug ORDER BY 3 DESC, 1')
    dealers = [(i, s, int(n)) for i, s, n in dealers]
    half = ndealers // 2
    chosen = dealers[:half] + rnd.sample(dealers[half:], min(ndealers - half, len(dealers) - half))
    info = {'admin': admin, 'dealers': []}
    search, leads = [], []
    for did, slug, count in chosen:
        token = login(base, 'sales1@%s.test' % slug)
        admin_token = login(base, 'admin@%s.test' % slug)
        info['dealers'].append({'id': did, 'slug': slug, 'customers': count, 'token': token,
                                'admin_token': admin_token})
        off = rnd.randint(0, max(0, count - 300))
        custs = db.rows('SELECT name, first_name, last_name, phone, phone_e164, email, kind FROM customers '
                        'WHERE dealer_id = ? ORDER BY id LIMIT 300 OFFSET %d' % off, did)
        plates = db.rows('SELECT v.plate, v.vin FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id '
                         'WHERE o.dealer_id = ? AND o.until IS NULL ORDER BY o.id LIMIT 300 OFFSET %d' % off, did)
        for c in custs:
            q = fragment(rnd, c, plates)
            search.append('%s\t/api/v1/customers?q=%s&limit=20' % (token, urllib.parse.quote(q)))
            if c[5]:
                leads.append('%s\t%s' % (token, c[5]))
    rnd.shuffle(search)
    with open(os.path.join(out, 'search.txt'), 'w') as f:
        f.write('\n'.join(search) + '\n')
    with open(os.path.join(out, 'leads.txt'), 'w') as f:
        f.write('\n'.join(leads) + '\n')

    today = time.gmtime()
    day = lambda n: time.strftime('%Y-%m-%d', time.gmtime(time.mktime(today) + n * 86400))  # noqa: E731
    services = ['oil', 'tires', 'service', 'inspection']
    avail = ['\t/api/v1/public/dealers/%s/availability?services=%s&from=%s&days=7' % (s, services[i % 4], day(1))
             for i, (_, s, _) in enumerate(dealers)]
    rnd.shuffle(avail)
    with open(os.path.join(out, 'availability.txt'), 'w') as f:
        f.write('\n'.join(avail) + '\n')

    slots = []
    for _, slug, _ in dealers:
        st, body = call(base, 'GET', '/api/v1/public/dealers/%s/availability?services=tires&from=%s&days=7'
                        % (slug, day(15)))
        if st == 200:
            slots += ['%s\t%s\ttires' % (slug, s['start']) for s in body.get('slots', [])]
    rnd.shuffle(slots)
    with open(os.path.join(out, 'book.txt'), 'w') as f:
        f.write('\n'.join(slots[:40000]) + '\n')
    info['biggest_dealer'] = info['dealers'][0]
    with open(os.path.join(out, 'info.json'), 'w') as f:
        json.dump(info, f)
    print('fragments: %d searches over %d dealers, %d availability paths, %d free slots, %d lead senders'
          % (len(search), len(chosen), len(avail), len(slots), len(leads)))


if __name__ == '__main__':
    main()
