#!/usr/bin/env python3
"""Prints the table of bench/network.sh from its result lines.

    bench/table.py RESULTS STORE SCALE STARTUP_MS SEED_SECONDS

RESULTS holds the "BENCH …", "DASH …" and "MEM …" lines the run wrote.
"""
import sys


def fields(line):
    out = {}
    for part in line.split()[1:]:
        if '=' in part:
            k, v = part.split('=', 1)
            out[k] = v
    return out


def main():
    path, store, scale, startup_ms, seed_s = sys.argv[1:6]
    bench, dash, mem = {}, {}, {}
    for line in open(path):
        if line.startswith('BENCH '):
            f = fields(line)
            bench[f['name']] = f
        elif line.startswith('DASH '):
            f = fields(line)
            v = line.split('=', 1)[1].split()[1:]
            dash[f['name']] = [float(x) for x in v] if len(v) == 2 and v[0] != 'HTTP' else None
        elif line.startswith('MEM '):
            mem = fields(line)

    ref = float(bench['healthz']['rps']) if 'healthz' in bench else None
    rows = []

    def ok(cond):
        return 'yes' if cond else 'NO'

    def wrk_row(name, label, target=None, check=None):
        b = bench.get(name)
        if not b:
            rows.append((label, 'skipped', '', '', '', target or '', ''))
            return
        rps = float(b['rps'])
        ratio = '%.3f' % (rps / ref) if ref else ''
        statuses = b.get('statuses', '')
        rows.append((label, '%.0f req/s' % rps, '%.1f ms' % float(b['p50_ms']), '%.1f ms' % float(b['p99_ms']),
                     ratio, target or '', ok(check(b)) if check else '',
                     ))
        if statuses:
            rows[-1] = rows[-1] + (statuses,)

    wrk_row('healthz', 'GET /healthz (reference)')
    wrk_row('search', 'customer search, %s conns' % 'few', 'p99 < 20 ms', lambda b: float(b['p99_ms']) < 20)
    wrk_row('search_busy', 'customer search, saturated')
    wrk_row('availability', 'availability, one week')
    wrk_row('booking', 'online booking (distinct slots)')
    wrk_row('leads', 'lead intake (POST /leads)')

    def dash_row(name, label, target, limit):
        d = dash.get(name)
        if name not in dash:
            rows.append((label, 'skipped', '', '', '', target, ''))
        elif d is None:
            rows.append((label, 'failed', '', '', '', target, 'NO'))
        else:
            rows.append((label, 'median %.0f ms' % d[0], '', 'max %.0f ms' % d[1], '', target,
                         ok(limit is None or d[1] < limit)))

    dash_row('dealer_30d', 'dealer dashboard, 30 days', '< 200 ms', 200)
    dash_row('dealer_365d', 'dealer dashboard, 365 days', '', None)
    dash_row('network_30d', 'network dashboard, 30 days', '< 2 s', 2000)
    dash_row('network_365d', 'network dashboard, 365 days', '', None)
    load = int(mem.get('rss_max_kb', 0)) / 1024
    hwm = int(mem.get('VmHWM_kb', 0)) / 1024
    rows.append(('server RSS under load (max sampled)', '%.0f MB' % load, '', '', '', '< 128 MB', ok(load < 128)))
    rows.append(('  peak VmHWM (incl. argon2id sign-ins)', '%.0f MB' % hwm, '', '', '', '', ''))
    rows.append(('  RssAnon / RssFile at the end', '%.0f / %.0f MB' % (int(mem.get('RssAnon_kb', 0)) / 1024,
                                                                    int(mem.get('RssFile_kb', 0)) / 1024),
                 '', '', '', '', ''))
    rows.append(('start-up, seeded database (median of 3)', '%s ms' % startup_ms, '', '', '', '< 1 s',
                 ok(int(startup_ms) < 1000)))
    rows.append(('seeding', seed_s + (' s' if seed_s != 'reused' else ''), '', '', '', '', ''))

    head = ('%s, scale %s' % (store, scale), 'figure', 'p50', 'p99', 'vs healthz', 'target', 'met')
    widths = [max(len(str(r[i])) if i < len(r) else 0 for r in rows + [head]) for i in range(7)]
    line = '+'.join('-' * (w + 2) for w in widths)
    print(line)
    print('|'.join(' %-*s ' % (w, h) for w, h in zip(widths, head)))
    print(line)
    for r in rows:
        print('|'.join(' %-*s ' % (w, c) for w, c in zip(widths, r[:7])) + ('  ' + r[7] if len(r) > 7 else ''))
    print(line)


if __name__ == '__main__':
    main()
