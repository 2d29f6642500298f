#!/usr/bin/env python3
"""Run the black-box API tests against a real Forecourt server.

    tests/api/run.py --bin build/forecourt --web web [-v] [-k PATTERN] [MODULE ...]

Discovers tests/api/test_*.py (unittest), runs them one module after another
(each module starts its own server), prints every failure with its traceback,
and ends with exactly one line `N passed, N failed` (`, N skipped` appended
when tests were skipped). Exits 0 only when nothing failed.

A test counts once: a test with failing subtests is one failed test. An error
in a module's or class's set-up or tear-down (for example a server that leaked
memory or crashed at shutdown) counts as one failed test of its own.
"""

import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class CountingResult(unittest.TextTestResult):
    """Records the outcome of each test id once (failed wins over passed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome = {}   # test id -> 'passed' | 'failed' | 'skipped'

    def _set(self, test, outcome):
        tid = test.id()
        if self.outcome.get(tid) == 'failed':
            return
        self.outcome[tid] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._set(test, 'passed')

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set(test, 'failed')

    def addError(self, test, err):
        super().addError(test, err)
        self._set(test, 'failed')

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._set(test, 'skipped')

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._set(test, 'passed')

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._set(test, 'failed')

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._set(test, 'failed')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--bin', default=os.path.join(HERE, '..', '..', 'build', 'forecourt'),
                    help='the forecourt binary (default build/forecourt)')
    ap.add_argument('--web', default=os.path.join(HERE, '..', '..', 'web'),
                    help='the static web directory (default web/)')
    ap.add_argument('-v', '--verbose', action='store_true', help='one line per test')
    ap.add_argument('-k', dest='patterns', action='append', default=[],
                    help='only tests whose id contains this substring (repeatable)')
    ap.add_argument('modules', nargs='*',
                    help='test modules to run (e.g. test_auth); default all')
    args = ap.parse_args(argv)

    bin_path = os.path.abspath(args.bin)
    if not os.access(bin_path, os.X_OK):
        print('run.py: %s is not an executable file' % bin_path, file=sys.stderr)
        print('0 passed, 1 failed')
        return 2

    sys.path.insert(0, HERE)
    import harness
    harness.configure(bin_path, args.web)

    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = ['*%s*' % p for p in args.patterns]
    if args.modules:
        suite = unittest.TestSuite()
        for name in args.modules:
            name = os.path.splitext(os.path.basename(name))[0]
            suite.addTests(loader.loadTestsFromName(name))
    else:
        suite = loader.discover(HERE, pattern='test_*.py', top_level_dir=HERE)

    started = time.monotonic()
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2 if args.verbose else 1,
                                     resultclass=CountingResult)
    result = runner.run(suite)
    elapsed = time.monotonic() - started

    passed = sum(1 for o in result.outcome.values() if o == 'passed')
    failed = sum(1 for o in result.outcome.values() if o == 'failed')
    skipped = sum(1 for o in result.outcome.values() if o == 'skipped')
    # Anything reported that has no outcome of its own still counts as failed
    # (a subtest is counted through the test it belongs to).
    for test, _ in result.errors + result.failures:
        owner = getattr(test, 'test_case', test)
        if owner.id() not in result.outcome:
            failed += 1
    if result.testsRun == 0 and failed == 0:
        print('run.py: no tests found', file=sys.stderr)
        failed = 1
    line = '%d passed, %d failed' % (passed, failed)
    if skipped:
        line += ', %d skipped' % skipped
    print('(%.1fs)' % elapsed)
    print(line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
