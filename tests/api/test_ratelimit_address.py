"""The per-address login limit: 20 failures from one address block every account.

Its own module because it blocks all logins from 127.0.0.1 on its server.
"""

import unittest

import harness
from harness import (ADMIN, BRAND_MANAGER, BRUXELLES_ADMIN, DEALER_ADMIN, SALES,
                     SERVICE_ADVISOR, TECHNICIAN, assert_error, expect)

SRV = harness.ServerModule()
setUpModule = SRV.up
tearDownModule = SRV.down


class AddressRateLimit(unittest.TestCase):

    def test_twenty_failures_block_the_address(self):
        admin = SRV.login(ADMIN)                 # a session made before the block
        # 4 failures on each of 5 accounts: no account reaches its own limit of 5.
        victims = (BRAND_MANAGER, DEALER_ADMIN, SALES, SERVICE_ADVISOR, TECHNICIAN)
        n = 0
        for email in victims:
            for i in range(4):
                n += 1
                with self.subTest(attempt=n, email=email):
                    assert_error(SRV.login_response(email, 'wrong-%d' % i), 401,
                                 'unauthenticated')
        self.assertEqual(n, 20)
        # Now any account from this address is refused, right password or not.
        resp = SRV.login_response(BRUXELLES_ADMIN)
        assert_error(resp, 429, 'rate_limited')
        retry = resp.headers.get('Retry-After')
        self.assertIsNotNone(retry, '429 without Retry-After')
        self.assertRegex(retry, r'^\d+$')
        self.assertGreater(int(retry), 0)
        assert_error(SRV.login_response(ADMIN), 429, 'rate_limited')
        # A forged forwarding header does not get around the limit.
        resp = SRV.request('POST', '/api/v1/auth/login',
                           {'email': ADMIN, 'password': harness.DEMO_PASSWORD},
                           headers={'X-Forwarded-For': '203.0.113.7',
                                    'X-Real-IP': '203.0.113.7'})
        assert_error(resp, 429, 'rate_limited', msg='X-Forwarded-For must not be trusted')
        # Sessions that already exist keep working.
        body = expect(SRV.request('GET', '/api/v1/me', token=admin), 200)
        self.assertEqual(body['user']['email'], ADMIN)


if __name__ == '__main__':
    unittest.main()
