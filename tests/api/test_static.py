"""Static files: the web app, content types, caching, and no way out of the web directory."""

import os
import unittest

import harness
from harness import expect

SRV = harness.ServerModule()
setUpModule = SRV.up
tearDownModule = SRV.down

PASSWD_MARK = b'root:'


def sibling_path():
    """A URL path that would reach this very file through '..' from the web dir, or None."""
    rel = os.path.relpath(os.path.abspath(__file__), os.path.abspath(harness.WEB))
    if not rel.startswith('..'):
        return None
    return '/' + rel.replace(os.sep, '/')


class Static(unittest.TestCase):

    def get(self, path, headers=None):
        return SRV.request('GET', path, headers=headers)

    def test_index(self):
        resp = self.get('/')
        expect(resp, 200)
        self.assertTrue(resp.headers.get('Content-Type', '').startswith('text/html'),
                        resp.headers.get('Content-Type'))
        self.assertIn(b'<html', resp.raw.lower())
        self.assertIsNotNone(resp.headers.get('Cache-Control'), 'no Cache-Control on /')

    def test_index_html_path(self):
        resp = self.get('/index.html')
        expect(resp, 200)
        self.assertEqual(resp.raw, self.get('/').raw)

    def test_script_and_style_types(self):
        for path, ctype in (('/app.js', 'text/javascript'), ('/app.css', 'text/css')):
            with self.subTest(path):
                resp = self.get(path)
                expect(resp, 200)
                self.assertTrue(resp.raw, 'empty file')
                self.assertEqual(resp.headers.get('Content-Type', '').split(';')[0].strip(), ctype)
                self.assertIsNotNone(resp.headers.get('Cache-Control'),
                                     'no Cache-Control on ' + path)

    def test_other_types(self):
        types = {'.svg': 'image/svg+xml', '.json': 'application/json', '.html': 'text/html'}
        found = 0
        for root, _, files in os.walk(harness.WEB):
            for name in files:
                ext = os.path.splitext(name)[1]
                if ext not in types:
                    continue
                path = '/' + os.path.relpath(os.path.join(root, name), harness.WEB).replace(os.sep, '/')
                with self.subTest(path):
                    resp = self.get(path)
                    expect(resp, 200)
                    self.assertEqual(resp.headers.get('Content-Type', '').split(';')[0].strip(),
                                     types[ext])
                    with open(os.path.join(root, name), 'rb') as f:
                        self.assertEqual(resp.raw, f.read())
                    found += 1
        self.assertGreater(found, 0, 'no .svg/.json/.html files in the web directory')

    def test_conditional_get(self):
        for path in ('/app.js', '/app.css', '/'):
            with self.subTest(path):
                first = self.get(path)
                expect(first, 200)
                etag = first.headers.get('ETag')
                self.assertIsNotNone(etag, 'no ETag on ' + path)
                again = self.get(path, {'If-None-Match': etag})
                expect(again, 304)
                self.assertEqual(again.raw, b'')
                self.assertEqual(again.headers.get('ETag'), etag)
                other = self.get(path, {'If-None-Match': '"something-else"'})
                expect(other, 200)
                self.assertEqual(other.raw, first.raw)

    def test_missing_file(self):
        for path in ('/no-such-file.js', '/i18n/xx-nope.json', '/app.js.bak'):
            with self.subTest(path):
                expect(self.get(path), 404)

    def test_traversal_is_404(self):
        for path in ('/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd',
                     '/../../../../../../../../etc/passwd'):
            with self.subTest(path):
                resp = self.get(path)
                expect(resp, 404)
                self.assertNotIn(PASSWD_MARK, resp.raw)

    def test_other_traversal_spellings_never_leak(self):
        for path in ('/%252e%252e/%252e%252e/etc/passwd', '/..%5c..%5cetc%5cpasswd',
                     '/....//....//etc/passwd', '/.%2e/.%2e/etc/passwd',
                     '/i18n/../../../../etc/passwd', '/i18n/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
                     '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd', '//etc/passwd',
                     '/%2fetc%2fpasswd', '/etc/passwd%00.js', '/app.js%00'):
            with self.subTest(path):
                resp = self.get(path)
                self.assertIn(resp.status, (400, 404), resp.describe())
                self.assertNotIn(PASSWD_MARK, resp.raw)

    def test_files_beside_the_web_dir_are_not_served(self):
        path = sibling_path()
        if path is None:
            self.skipTest('the tests do not live beside the web directory')
        with open(__file__, 'rb') as f:
            mine = f.read()
        for p in (path, path.replace('../', '%2e%2e/'), path.replace('../', '..%2f')):
            with self.subTest(p):
                resp = self.get(p)
                expect(resp, 404)
                self.assertNotEqual(resp.raw, mine)


if __name__ == '__main__':
    unittest.main()
