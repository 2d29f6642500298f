/*
 * Shared helpers of the browser tests (shell.test.js, customers.test.js).
 *
 *   const lib = require('./lib');
 *   lib.runSuite({ script: 'x.test.js', tests: (env) => [...] });
 *
 * runSuite parses --bin/--web, makes a fresh temp dir, starts
 * `<bin> serve --demo` on a free loopback port with a new database there,
 * waits for /healthz, launches Debian's Chromium (never a downloaded
 * browser) through playwright-core and runs the tests, each in a fresh
 * browser context (no cookies, empty localStorage; page errors, console
 * errors and failed static files fail the test). A test is either
 * {name, locale, viewport?, run(page)} or {name, direct()} (no browser).
 * The server is always stopped with SIGTERM at the end; a non-zero exit code
 * or a sanitizer report on its stderr fails the run. The last line printed
 * is "N passed, N failed"; the exit code is non-zero on any failure.
 */
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { chromium } = require('playwright-core');

const CHROMIUM = '/usr/lib/chromium/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HEALTH_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;
const STEP_TIMEOUT_MS = 10000;
const TEST_TIMEOUT_MS = 90000;
const PASSWORD = 'forecourt-demo';

/* ---------------------------------------------------------------------- */
/* Command line                                                             */
/* ---------------------------------------------------------------------- */

function parseArgs(argv, script) {
  const repo = path.resolve(__dirname, '..', '..');
  const opts = { bin: path.join(repo, 'build', 'forecourt'), web: path.join(repo, 'web') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--bin' || a === '--web') && i + 1 < argv.length) opts[a.slice(2)] = argv[++i];
    else if (a.startsWith('--bin=')) opts.bin = a.slice(6);
    else if (a.startsWith('--web=')) opts.web = a.slice(6);
    else if (a === '-h' || a === '--help') {
      console.log(`usage: node ${script || 'test.js'} --bin <forecourt binary> --web <web dir>`);
      process.exit(0);
    } else {
      console.error(`unknown argument: ${a}`);
      process.exit(2);
    }
  }
  opts.bin = path.resolve(opts.bin);
  opts.web = path.resolve(opts.web);
  return opts;
}

/* ---------------------------------------------------------------------- */
/* The server under test                                                    */
/* ---------------------------------------------------------------------- */

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function httpStatus(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Server {
  constructor(bin, web, dir) {
    this.bin = bin;
    this.web = web;
    this.dir = dir;
    this.proc = null;
    this.stdout = '';
    this.stderr = '';
    this.exit = null;         /* {code, signal} once it has exited */
    this.exited = null;       /* promise of that */
    this.port = 0;
  }

  get base() { return `http://127.0.0.1:${this.port}`; }

  async start() {
    /* A port found free can be taken before the server binds it: retry. */
    for (let attempt = 1; attempt <= 3; attempt++) {
      this.port = await freePort();
      this.spawn();
      const healthy = await this.waitHealthy();
      if (healthy) return;
      if (!this.exit) throw new Error(`server not healthy within ${HEALTH_TIMEOUT_MS / 1000} s`);
      if (attempt === 3 || !/address|in use|bind/i.test(this.stderr)) {
        throw new Error(`server exited before it was healthy (code ${this.exit.code}, signal ${this.exit.signal})`);
      }
    }
  }

  spawn() {
    const args = ['serve', '--db', path.join(this.dir, 't.db'), '--addr', '127.0.0.1',
      '--port', String(this.port), '--demo', '--web', this.web];
    this.exit = null;
    this.proc = spawn(this.bin, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stderr.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => { this.stdout += d; });
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => {
      this.proc.on('error', (err) => { this.stderr += `\nspawn error: ${err.message}\n`; });
      this.proc.on('close', (code, signal) => { this.exit = { code, signal }; resolve(this.exit); });
    });
  }

  async waitHealthy() {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exit) return false;
      if (await httpStatus(`${this.base}/healthz`, 1000) === 200) return true;
      await sleep(100);
    }
    return false;
  }

  /* SIGTERM, wait; SIGKILL as a last resort. Resolves to a list of problems. */
  async stop() {
    const problems = [];
    if (!this.proc) return problems;
    if (!this.exit) {
      this.proc.kill('SIGTERM');
      const timer = sleep(STOP_TIMEOUT_MS).then(() => null);
      if (!(await Promise.race([this.exited, timer]))) {
        problems.push(`server did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killed`);
        this.proc.kill('SIGKILL');
        await this.exited;
      }
    } else {
      problems.push('server exited before it was asked to stop');
    }
    if (this.exit.code !== 0) problems.push(`server exit code ${this.exit.code} (signal ${this.exit.signal})`);
    for (const needle of ['AddressSanitizer', 'runtime error:', 'LeakSanitizer', 'ThreadSanitizer']) {
      if (this.stderr.includes(needle)) problems.push(`server stderr contains "${needle}"`);
    }
    fs.writeFileSync(path.join(this.dir, 'server.stdout.log'), this.stdout);
    fs.writeFileSync(path.join(this.dir, 'server.stderr.log'), this.stderr);
    return problems;
  }
}

/* ---------------------------------------------------------------------- */
/* Browser helpers                                                          */
/* ---------------------------------------------------------------------- */

/* The UI strings, read from the same files the page uses, so a reworded
 * message does not break the test; a few known strings are also checked
 * literally below. */
function loadDicts(web) {
  const dicts = {};
  for (const lang of ['en', 'fr', 'nl']) {
    dicts[lang] = JSON.parse(fs.readFileSync(path.join(web, 'i18n', `${lang}.json`), 'utf8'));
  }
  return dicts;
}

function makeT(dicts) {
  return (lang, key, params) => {
    let node = dicts[lang];
    for (const part of key.split('.')) node = node && node[part];
    assert.equal(typeof node, 'string', `i18n key ${key} missing in ${lang}.json`);
    return node.replace(/\{(\w+)\}/g, (whole, name) => (params && name in params ? String(params[name]) : whole));
  };
}

function matchLang(tag) {
  const primary = String(tag || '').toLowerCase().split(/[-_]/)[0];
  return ['en', 'fr', 'nl'].includes(primary) ? primary : null;
}

/* Retry an assertion until it holds or the time is up (the page is async). */
/* Today's date (YYYY-MM-DD) in an IANA zone, and date arithmetic on such
 * dates (noon UTC, so no zone's clock change moves the day). */
function todayIn(zone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function addDays(ymd, n) {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n, 12)).toISOString().slice(0, 10);
}

async function eventually(fn, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

const tid = (page, id) => page.locator(`[data-testid="${id}"]`);

async function textOf(page, id) {
  return (await tid(page, id).textContent() || '').trim();
}

async function expectText(page, id, expected) {
  await eventually(async () => assert.equal(await textOf(page, id), expected, `text of [data-testid=${id}]`));
}

async function expectVisible(page, id) {
  await tid(page, id).waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
}

async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.lang);
}

async function labelFor(page, inputId) {
  return (await page.locator(`label[for="${inputId}"]`).textContent() || '').trim();
}

/* Signs in through the form; resolves to the login response {status, body}. */
async function signIn(page, email, password) {
  await expectVisible(page, 'login-form');
  await tid(page, 'login-email').fill(email);
  await tid(page, 'login-password').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST'),
    tid(page, 'login-submit').click()
  ]);
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  return { status: response.status(), body };
}

async function navIds(page) {
  return page.locator('[data-testid="nav"] [data-testid^="nav-"]').evaluateAll(
    (links) => links.map((a) => a.getAttribute('data-testid').slice(4)));
}

async function navTexts(page) {
  return page.locator('[data-testid="nav"] [data-testid^="nav-"]').evaluateAll(
    (links) => links.map((a) => a.textContent.trim()));
}

/* ---------------------------------------------------------------------- */
/* Runner                                                                   */
/* ---------------------------------------------------------------------- */

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms); })
  ]);
}

/* One fresh browser context per test; page errors, console errors and
 * failed static files count as failures of that test. */
async function runOne(browser, base, test) {
  const context = await browser.newContext({ baseURL: base, locale: test.locale,
    viewport: test.viewport || { width: 1280, height: 800 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console error: ${msg.text()}`);
  });
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (!url.pathname.startsWith('/api/') && res.status() >= 400) problems.push(`HTTP ${res.status()} for ${url.pathname}`);
    if (res.status() >= 500) problems.push(`HTTP ${res.status()} for ${url.pathname}`);
  });
  try {
    await withTimeout(test.run(page), TEST_TIMEOUT_MS, 'test');
    assert.deepEqual(problems, [], 'no page errors, console errors or failed requests');
  } finally {
    await context.close().catch(() => {});
  }
}

/* The error as printable text: control bytes (a NUL in a server's body, say)
 * are shown escaped so the log stays text. */
function describe(err) {
  const text = (err && (err.stack || err.message)) ? String(err.stack || err.message) : String(err);
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/* ---------------------------------------------------------------------- */
/* Suite runner                                                             */
/* ---------------------------------------------------------------------- */

/* opts: {script: file name for --help, tests(env) → [test]}. env: {t, dicts,
 * tmp, base(), server}. Prints the TAP-like lines and the closing
 * "N passed, N failed"; sets the exit code. */
async function runSuiteMain(opts) {
  const args = parseArgs(process.argv.slice(2), opts.script);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forecourt-browser-'));
  console.log(`# temp dir: ${tmp}`);
  console.log(`# server:   ${args.bin}`);
  console.log(`# web:      ${args.web}`);

  let passed = 0;
  let failed = 0;
  const pass = (name) => { passed++; console.log(`ok ${passed + failed} - ${name}`); };
  const fail = (name, err) => {
    failed++;
    console.log(`not ok ${passed + failed} - ${name}`);
    console.log(describe(err).split('\n').map((l) => `#   ${l}`).join('\n'));
  };

  const server = new Server(args.bin, args.web, tmp);
  let browser = null;
  try {
    if (!fs.existsSync(args.bin)) throw new Error(`no server binary at ${args.bin}`);
    if (!fs.existsSync(path.join(args.web, 'index.html'))) throw new Error(`no index.html in ${args.web}`);
    const dicts = loadDicts(args.web);
    await server.start();
    console.log(`# listening: ${server.base}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

    const env = { t: makeT(dicts), dicts, tmp, base: () => server.base, server };
    const tests = opts.tests(env);

    for (const test of tests) {
      try {
        if (test.direct) await withTimeout(test.direct(), TEST_TIMEOUT_MS, 'test');
        else await runOne(browser, server.base, test);
        pass(test.name);
      } catch (err) {
        fail(test.name, err);
      }
    }
  } catch (err) {
    fail('set-up', err);
  } finally {
    if (browser) await browser.close().catch(() => {});
    const problems = await server.stop();
    if (problems.length) {
      fail('server shuts down cleanly', new Error(problems.join('\n')));
      const tail = server.stderr.split('\n').slice(-40).join('\n');
      if (tail.trim()) console.log(`# server stderr (last lines):\n${tail.split('\n').map((l) => `#   ${l}`).join('\n')}`);
    } else if (server.proc) {
      pass('server shuts down cleanly');
    }
  }

  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

function runSuite(opts) {
  runSuiteMain(opts).catch((err) => {
    console.error(describe(err));
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  });
}

module.exports = {
  CHROMIUM, CHROMIUM_ARGS, HEALTH_TIMEOUT_MS, STOP_TIMEOUT_MS, STEP_TIMEOUT_MS, TEST_TIMEOUT_MS, PASSWORD,
  parseArgs, freePort, httpStatus, sleep, Server,
  loadDicts, makeT, matchLang, eventually, tid, textOf, expectText, expectVisible, htmlLang, labelFor,
  signIn, navIds, navTexts, withTimeout, runOne, describe, runSuite, todayIn, addDays
};
