"""Operations endpoints: /healthz, /metrics, /api/v1/openapi.json."""

import re
import unittest

import harness
from harness import expect

SRV = harness.ServerModule()
setUpModule = SRV.up
tearDownModule = SRV.down

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')


def parse_metrics(text):
    """[(name, {label: value}, float)] of every sample line; raises on a bad line."""
    samples = []
    for line in text.splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError('not a Prometheus sample line: %r' % line)
        labels = {}
        body = m.group(3) or ''
        pos = 0
        while pos < len(body):
            lm = LABEL.match(body, pos)
            if not lm:
                raise AssertionError('bad label set in %r' % line)
            labels[lm.group(1)] = lm.group(2)
            pos = lm.end()
        value = m.group(4)
        try:
            number = float(value)
        except ValueError:
            raise AssertionError('bad sample value in %r' % line)
        samples.append((m.group(1), labels, number))
    return samples


def healthz_count(samples):
    return sum(v for n, l, v in samples
               if n == 'forecourt_http_requests_total' and l.get('method') == 'GET'
               and l.get('status') == '200' and 'healthz' in l.get('route', ''))


class Health(unittest.TestCase):

    def test_healthz_ok(self):
        resp = SRV.request('GET', '/healthz')
        body = expect(resp, 200)
        self.assertEqual(body, {'status': 'ok'})
        self.assertIn('application/json', resp.headers.get('Content-Type', ''))

    def test_healthz_needs_no_credentials_and_ignores_bad_ones(self):
        resp = SRV.request('GET', '/healthz', token='not-a-real-token')
        self.assertEqual(expect(resp, 200), {'status': 'ok'})


class Metrics(unittest.TestCase):

    def scrape(self):
        resp = SRV.request('GET', '/metrics')
        expect(resp, 200)
        ctype = resp.headers.get('Content-Type', '')
        self.assertTrue(ctype.startswith('text/plain'), 'Content-Type %r' % ctype)
        text = resp.raw.decode('utf-8')
        return text, parse_metrics(text)

    def test_exposition_has_the_promised_series(self):
        SRV.request('GET', '/healthz')
        SRV.request('GET', '/api/v1/no-such-thing')
        text, samples = self.scrape()
        names = {n for n, _, _ in samples}
        for name in ('forecourt_http_requests_total',
                     'forecourt_http_request_duration_seconds_bucket',
                     'forecourt_db_connections_open',
                     'forecourt_http_connections_open',
                     'forecourt_db_queries_total'):
            self.assertIn(name, names, 'metric %s missing from:\n%s' % (name, text[:3000]))
        totals = [l for n, l, _ in samples if n == 'forecourt_http_requests_total']
        for labels in totals:
            for key in ('route', 'method', 'status'):
                self.assertIn(key, labels, 'requests_total without %s label: %r' % (key, labels))
        self.assertTrue(any(l['status'] == '404' for l in totals),
                        'a 404 answer is not counted: %r' % totals)
        for n, _, v in samples:
            if n in ('forecourt_db_connections_open', 'forecourt_http_connections_open'):
                self.assertGreaterEqual(v, 0)

    def test_histogram_is_well_formed(self):
        SRV.request('GET', '/healthz')
        text, samples = self.scrape()
        buckets = [(l, v) for n, l, v in samples
                   if n == 'forecourt_http_request_duration_seconds_bucket']
        self.assertTrue(buckets, 'no duration buckets')
        for labels, _ in buckets:
            self.assertIn('le', labels)
        self.assertTrue(any(l['le'] == '+Inf' for l, _ in buckets), 'no le="+Inf" bucket')
        # Buckets of one series are cumulative: non-decreasing with le.
        series = {}
        for labels, v in buckets:
            key = tuple(sorted((k, x) for k, x in labels.items() if k != 'le'))
            le = float('inf') if labels['le'] == '+Inf' else float(labels['le'])
            series.setdefault(key, []).append((le, v))
        for key, points in series.items():
            points.sort()
            counts = [v for _, v in points]
            self.assertEqual(counts, sorted(counts), 'buckets not cumulative for %r' % (key,))
        names = {n for n, _, _ in samples}
        self.assertIn('forecourt_http_request_duration_seconds_count', names)
        self.assertIn('forecourt_http_request_duration_seconds_sum', names)

    def test_route_label_is_the_pattern(self):
        token = SRV.login(harness.ADMIN)
        dealer_id = SRV.dealer_ids(token)['garage-amstel']
        expect(SRV.request('GET', '/api/v1/dealers/' + dealer_id, token=token), 200)
        junk = '/api/v1/zz-unknown-' + harness.unique('route')
        expect(SRV.request('GET', junk, token=token), 404)
        text, samples = self.scrape()
        routes = {l.get('route') for n, l, _ in samples if n == 'forecourt_http_requests_total'}
        self.assertIn('/api/v1/dealers/{id}', routes)
        self.assertNotIn(dealer_id, text, 'an id became a label: series would multiply')
        self.assertNotIn(junk, text, 'an unknown path became a label')

    def test_request_counter_increases(self):
        _, before = self.scrape()
        for _ in range(3):
            expect(SRV.request('GET', '/healthz'), 200)
        _, after = self.scrape()
        self.assertGreaterEqual(healthz_count(after) - healthz_count(before), 3,
                                'GET /healthz 200 counter did not grow by 3')


class OpenAPI(unittest.TestCase):

    def test_openapi_document(self):
        resp = SRV.request('GET', '/api/v1/openapi.json')
        doc = expect(resp, 200)
        self.assertIsInstance(doc, dict, 'openapi.json is not a JSON object')
        self.assertRegex(str(doc.get('openapi', '')), r'^3\.', 'not OpenAPI 3')
        self.assertIsInstance(doc.get('paths'), dict)
        paths = doc['paths']

        def norm(path):
            return re.sub(r'\{[^}]*\}', '{}', path)

        normalised = {norm(p): item for p, item in paths.items()}

        def find(path):
            for candidate in (path, path[len('/api/v1'):]):
                if norm(candidate) in normalised:
                    return normalised[norm(candidate)]
            return None

        wanted = {
            '/api/v1/auth/login': {'post'},
            '/api/v1/auth/logout': {'post'},
            '/api/v1/me': {'get'},
            '/api/v1/brands': {'get', 'post'},
            '/api/v1/dealers': {'get', 'post'},
            '/api/v1/dealers/{id}': {'get', 'patch'},
            '/api/v1/users': {'get', 'post'},
            '/api/v1/api-keys': {'post'},
            '/api/v1/audit': {'get'},
        }
        for path, methods in wanted.items():
            with self.subTest(path=path):
                item = find(path)
                self.assertIsNotNone(item, '%s not in paths: %s' % (path, sorted(paths)))
                self.assertTrue(methods <= set(item), '%s lacks %s' % (path, methods - set(item)))


if __name__ == '__main__':
    unittest.main()
