#!/usr/bin/env python3
"""Checks a database filled by `forecourt seed` against the running server.

    bench/check_seed.py BASE_URL DB [N]

BASE_URL is a server on that database (http://127.0.0.1:PORT); DB is the same
database (an SQLite file, read with python's sqlite3, or a postgres:// URL,
read with psql). For N sampled customers and vehicles it checks that

  * the seed accounts log in (admin@network.test / forecourt-bench);
  * search_doc is what the server itself writes: the customer is re-saved
    through the API (PATCH, which re-indexes) and the document compared;
  * every VIN is valid for the server's decoder (GET /api/v1/vin/{vin});
  * search finds the customer by a fragment of the last name typed with
    other accents and case, by a plate fragment with punctuation, and by the
    last digits of the phone number;
  * every phone number has its E.164 form.

Exits 1 on the first class of failure, printing what differed.
"""
import os
import random
import sys
import unicodedata
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import DB, PASSWORD, call  # noqa: E402


def strip_accents(s):
    return ''.join(c for c in unicodedata.normalize('NFKD', s) if not unicodedata.combining(c))


def main():
    base, dburl = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    db = DB(dburl)
    rnd = random.Random(7)
    failures = []

    st, login = call(base, 'POST', '/api/v1/auth/login', {'email': 'admin@network.test', 'password': PASSWORD})
    if st != 200:
        print('login failed', st, login)
        return 1
    admin = login['token']

    total = int(db.rows('SELECT COUNT(*) FROM customers')[0][0])
    picks = sorted(rnd.sample(range(total), min(n, total)))
    ids = []
    for off in picks:
        ids.append(db.rows('SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET %d' % off)[0][0])

    # 1. the search document, as the server writes it
    for cid in ids:
        before = db.rows('SELECT search_doc, notes FROM customers WHERE id = ?', cid)[0]
        st, doc = call(base, 'PATCH', '/api/v1/customers/' + cid, {'notes': before[1]}, admin)
        if st != 200:
            failures.append('PATCH %s: %s %s' % (cid, st, doc))
            continue
        after = db.rows('SELECT search_doc FROM customers WHERE id = ?', cid)[0][0]
        if after != before[0]:
            failures.append('search_doc of %s:\n  seed:   %r\n  server: %r' % (cid, before[0], after))

    # 2. VINs
    vins = [r[0] for r in db.rows('SELECT vin FROM vehicles ORDER BY id LIMIT %d' % n)]
    for v in vins:
        st, d = call(base, 'GET', '/api/v1/vin/' + v, token=admin)
        if st != 200 or not d.get('valid') or d.get('check_digit') != 'ok' or not d.get('manufacturer'):
            failures.append('VIN %s: %s %s' % (v, st, d))

    # 3. search by fragments, as staff type them
    for cid in ids[: max(5, n // 3)]:
        row = db.rows('SELECT dealer_id, last_name, phone_e164, kind FROM customers WHERE id = ?', cid)[0]
        dealer, last, e164, kind = row
        queries = []
        if kind == 'person' and last and len(strip_accents(last).replace(' ', '')) >= 4:
            frag = strip_accents(last)[:4].upper()  # "MULL" for Müller, typed without accents
            queries.append(frag)
        if e164:
            queries.append(e164[-6:])
        plate = db.rows('SELECT v.plate FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id '
                        'WHERE o.customer_id = ? AND o.until IS NULL', cid)
        if plate and plate[0][0]:
            queries.append(plate[0][0][:6])  # with its dashes and spaces
        for q in queries:
            found, cursor, pages = False, None, 0
            while not found and pages < 40:
                path = '/api/v1/customers?dealer_id=%s&limit=500&q=%s' % (dealer, urllib.parse.quote(q))
                if cursor:
                    path += '&cursor=' + cursor
                st, page = call(base, 'GET', path, token=admin)
                if st != 200:
                    failures.append('search %r: %s %s' % (q, st, page))
                    break
                found = any(it['id'] == cid for it in page['items'])
                cursor = page.get('next_cursor')
                pages += 1
                if not cursor:
                    break
            if not found:
                failures.append('search %r did not find %s' % (q, cid))

    # 4. phones
    bad = db.rows("SELECT COUNT(*) FROM customers WHERE phone IS NOT NULL AND phone_e164 IS NULL")[0][0]
    if int(bad):
        failures.append('%s phone numbers without E.164' % bad)

    for f in failures:
        print('FAIL', f)
    print('%d customers re-indexed, %d VINs decoded, search and phones checked: %s' %
          (len(ids), len(vins), 'ok' if not failures else '%d failures' % len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
