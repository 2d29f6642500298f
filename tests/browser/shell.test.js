#!/usr/bin/env node
/*
 * Browser test of the Forecourt web shell, against the real server.
 *
 *   node shell.test.js --bin build/forecourt --web web [--keep-going]
 *
 * What it does: makes a fresh temp dir, starts `<bin> serve --demo` on a free
 * loopback port with a new database there, waits for /healthz, then drives
 * Debian's Chromium (/usr/lib/chromium/chromium, never a downloaded browser)
 * through playwright-core: sign-in errors, signing in and out, the cookie
 * session surviving a reload, navigation by role, the Dealers list as each
 * role sees it, and the three languages. Every test gets a fresh browser
 * context (no cookies, empty localStorage). A screenshot of the signed-in
 * shell is left at <tmp>/shell.png.
 *
 * The server is always stopped with SIGTERM at the end; a non-zero exit
 * code or a sanitizer report on its stderr fails the run. The last line
 * printed is "N passed, N failed"; the exit code is non-zero on any failure.
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

function parseArgs(argv) {
  const repo = path.resolve(__dirname, '..', '..');
  const opts = { bin: path.join(repo, 'build', 'forecourt'), web: path.join(repo, 'web') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--bin' || a === '--web') && i + 1 < argv.length) opts[a.slice(2)] = argv[++i];
    else if (a.startsWith('--bin=')) opts.bin = a.slice(6);
    else if (a.startsWith('--web=')) opts.web = a.slice(6);
    else if (a === '-h' || a === '--help') {
      console.log('usage: node shell.test.js --bin <forecourt binary> --web <web dir>');
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

async function dealerNames(page) {
  await expectVisible(page, 'dealers-table');
  return page.locator('[data-testid="dealer-row"] td:first-child').evaluateAll(
    (cells) => cells.map((c) => c.textContent.trim()));
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                    */
/* ---------------------------------------------------------------------- */

function defineTests(env) {
  const { t, tmp } = env;

  return [
    {
      name: 'en: wrong password, sign in as sales, reload keeps the session, sign out',
      locale: 'en-US',
      async run(page) {
        await page.goto('/');
        await expectVisible(page, 'login-form');
        assert.equal(await htmlLang(page), 'en');
        await expectText(page, 'login-submit', t('en', 'login.submit'));
        assert.equal(await labelFor(page, 'login-email'), t('en', 'login.email'));
        assert.equal(await tid(page, 'lang-select').inputValue(), 'en');

        /* Wrong password: the translated error, still on the sign-in page. */
        const bad = await signIn(page, 'sales@garage-amstel.test', 'not-the-password');
        assert.equal(bad.status, 401);
        assert.equal(bad.body && bad.body.error && bad.body.error.code, 'unauthenticated');
        await expectVisible(page, 'login-error');
        await expectText(page, 'login-error', t('en', 'login.errors.credentials'));
        assert.match(await textOf(page, 'login-error'), /wrong e-mail address or password/i);
        assert.equal(await tid(page, 'shell').isVisible(), false);

        /* Right password: the shell, for a salesperson. */
        const ok = await signIn(page, 'sales@garage-amstel.test', PASSWORD);
        assert.equal(ok.status, 200);
        assert.equal(ok.body.user.role, 'sales');
        await expectVisible(page, 'shell');
        assert.equal(await tid(page, 'login-form').isVisible(), false);
        await expectText(page, 'user-name', 'Sanne de Vries');

        /* No saved choice: the user's locale wins over the browser's. */
        const lang = matchLang(ok.body.user.locale) || 'en';
        await eventually(async () => assert.equal(await htmlLang(page), lang));
        await expectText(page, 'user-role', t(lang, 'roles.sales'));
        await expectText(page, 'page-title', t(lang, 'home.title', { name: 'Sanne de Vries' }));

        assert.deepEqual(await navIds(page), ['customers', 'leads']);
        assert.equal(await tid(page, 'nav-audit').count(), 0);
        assert.deepEqual(await navTexts(page), [t(lang, 'pages.customers.title'), t(lang, 'pages.leads.title')]);

        /* The session is the HttpOnly cookie, not something in storage. */
        const stored = await page.evaluate(() => ({
          cookie: document.cookie,
          local: JSON.stringify(Object.assign({}, window.localStorage)),
          session: JSON.stringify(Object.assign({}, window.sessionStorage))
        }));
        assert.ok(!stored.cookie.includes('fc_session'), 'fc_session must be HttpOnly');
        for (const where of [stored.local, stored.session]) {
          assert.ok(!where.includes(ok.body.token), 'token must not be stored by the page');
        }
        const cookies = await page.context().cookies();
        const session = cookies.find((c) => c.name === 'fc_session');
        assert.ok(session, 'server sets the fc_session cookie');
        assert.equal(session.httpOnly, true, 'fc_session is HttpOnly');

        /* A page of the role, by hash route. */
        await tid(page, 'nav-customers').click();
        await eventually(async () => assert.equal(new URL(page.url()).hash, '#/customers'));
        await expectText(page, 'page-title', t(lang, 'pages.customers.title'));
        await expectText(page, 'coming-soon', t(lang, 'page.comingSoon'));
        assert.equal(await tid(page, 'nav-customers').getAttribute('aria-current'), 'page');

        /* A route the role does not have. */
        await page.goto('/#/audit');
        await expectVisible(page, 'shell');
        await expectText(page, 'page-title', t(lang, 'page.notFound.title'));

        /* Reload: still signed in, thanks to the cookie. */
        await page.goto('/#/leads');
        await page.reload();
        await expectVisible(page, 'shell');
        await expectText(page, 'user-name', 'Sanne de Vries');
        await expectText(page, 'page-title', t(lang, 'pages.leads.title'));

        /* Sign out: back to sign-in, and the cookie no longer works. */
        const [logout] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout')),
          tid(page, 'logout').click()
        ]);
        assert.equal(logout.status(), 204);
        assert.ok(logout.request().headers()['x-csrf-token'], 'logout sends X-CSRF-Token');
        await expectVisible(page, 'login-form');
        assert.equal(await tid(page, 'shell').isVisible(), false);
        await expectText(page, 'login-notice', t(lang, 'login.signedOut'));
        await page.reload();
        await expectVisible(page, 'login-form');
        assert.equal(await tid(page, 'shell').isVisible(), false);
      }
    },

    {
      name: 'fr: French sign-in page, admin sees the French navigation and all demo dealers',
      locale: 'fr-FR',
      async run(page) {
        await page.goto('/');
        await expectVisible(page, 'login-form');
        assert.equal(await htmlLang(page), 'fr');
        await expectText(page, 'signin-title', t('fr', 'login.title'));
        await expectText(page, 'login-submit', 'Se connecter');
        assert.equal(await labelFor(page, 'login-password'), 'Mot de passe');
        assert.equal(await labelFor(page, 'login-email'), t('fr', 'login.email'));
        assert.equal(await tid(page, 'lang-select').inputValue(), 'fr');

        /* Choosing French explicitly saves it, so it wins over the user's locale. */
        await tid(page, 'lang-select').selectOption('fr');
        await eventually(async () => assert.equal(await page.evaluate(() => localStorage.getItem('fc_lang')), 'fr'));

        const ok = await signIn(page, 'admin@forecourt.test', PASSWORD);
        assert.equal(ok.status, 200);
        await expectVisible(page, 'shell');
        await expectText(page, 'user-name', 'Ada Admin');
        await expectText(page, 'user-role', 'Administrateur');
        assert.equal(await htmlLang(page), 'fr');
        assert.deepEqual(await navIds(page), ['dashboard', 'dealers', 'users', 'audit']);
        assert.deepEqual(await navTexts(page), ['Tableau de bord', 'Concessions', 'Utilisateurs', 'Audit']);
        await expectText(page, 'page-title', 'Bienvenue, Ada Admin');

        await tid(page, 'nav-dealers').click();
        await expectText(page, 'page-title', 'Concessions');
        const names = await eventually(async () => {
          const list = await dealerNames(page);
          assert.ok(list.length >= 3, `dealers listed: ${JSON.stringify(list)}`);
          return list;
        });
        for (const name of ['Garage Amstel', 'Bruxelles Auto', 'Montréal Motors']) {
          assert.ok(names.includes(name), `${name} listed (got ${JSON.stringify(names)})`);
        }
        const montreal = tid(page, 'dealer-row').filter({ hasText: 'Montréal Motors' });
        assert.equal(await montreal.count(), 1);
        const row = await montreal.locator('td').allTextContents();
        assert.ok(row.some((c) => c.includes('America/Montreal')), `Montréal row: ${JSON.stringify(row)}`);
        assert.ok(row.some((c) => c.includes('Borealis') && c.includes('Cirrus')), `Montréal brands: ${JSON.stringify(row)}`);

        await page.screenshot({ path: path.join(tmp, 'shell.png'), fullPage: true });
        console.log(`# screenshot: ${path.join(tmp, 'shell.png')}`);

        /* Users: the whole installation, names intact. */
        await tid(page, 'nav-users').click();
        await expectText(page, 'page-title', 'Utilisateurs');
        await expectVisible(page, 'users-table');
        const users = await page.locator('[data-testid="user-row"] td:first-child').allTextContents();
        for (const name of ['Ada Admin', 'Hugo Quint', 'Sanne de Vries', 'Émilie Dubois', 'Jürgen Müller']) {
          assert.ok(users.map((u) => u.trim()).includes(name), `${name} listed (got ${JSON.stringify(users)})`);
        }
      }
    },

    {
      name: 'nl: the language selector switches to Dutch, the choice is kept, technician navigation',
      locale: 'en-US',
      async run(page) {
        await page.goto('/');
        await expectVisible(page, 'login-form');
        assert.equal(await htmlLang(page), 'en');
        await tid(page, 'lang-select').selectOption('nl');
        await expectText(page, 'login-submit', 'Inloggen');
        assert.equal(await labelFor(page, 'login-password'), 'Wachtwoord');
        assert.equal(await htmlLang(page), 'nl');
        assert.equal(await page.evaluate(() => localStorage.getItem('fc_lang')), 'nl');

        await page.reload();
        await expectVisible(page, 'login-form');
        await expectText(page, 'login-submit', 'Inloggen');
        assert.equal(await tid(page, 'lang-select').inputValue(), 'nl');

        /* Missing fields: a translated message, no request. */
        await tid(page, 'login-submit').click();
        await expectText(page, 'login-error', t('nl', 'login.errors.required'));

        const ok = await signIn(page, 'tech@garage-amstel.test', PASSWORD);
        assert.equal(ok.status, 200);
        await expectVisible(page, 'shell');
        await expectText(page, 'user-name', 'Tom Visser');
        await expectText(page, 'user-role', 'Monteur');
        await expectText(page, 'page-title', 'Welkom, Tom Visser');
        assert.deepEqual(await navIds(page), ['day-board']);
        assert.deepEqual(await navTexts(page), ['Dagplanning werkplaats']);

        /* Switching in the top bar re-renders the shell in place. */
        await tid(page, 'lang-select').selectOption('en');
        await expectText(page, 'page-title', 'Welcome, Tom Visser');
        assert.deepEqual(await navTexts(page), ['Workshop day board']);
        assert.equal(await htmlLang(page), 'en');
        assert.equal(await page.evaluate(() => localStorage.getItem('fc_lang')), 'en');
      }
    },

    {
      name: 'brand manager: Dealers lists only the dealers holding Aurora',
      locale: 'en-US',
      async run(page) {
        await page.goto('/');
        await tid(page, 'lang-select').selectOption('en');
        const ok = await signIn(page, 'hq@aurora.test', PASSWORD);
        assert.equal(ok.status, 200);
        assert.equal(ok.body.user.role, 'brand_manager');
        await expectVisible(page, 'shell');
        await expectText(page, 'user-name', 'Hugo Quint');
        await expectText(page, 'user-role', t('en', 'roles.brand_manager'));
        assert.deepEqual(await navIds(page), ['network', 'dealers']);
        assert.deepEqual(await navTexts(page), ['Network dashboard', 'Dealers']);

        await tid(page, 'nav-dealers').click();
        await expectText(page, 'page-title', 'Dealers');
        const names = await eventually(async () => {
          const list = await dealerNames(page);
          assert.ok(list.length >= 2, `dealers listed: ${JSON.stringify(list)}`);
          return list;
        });
        assert.deepEqual([...names].sort(), ['Bruxelles Auto', 'Garage Amstel']);
        assert.equal(await page.getByText('Montréal Motors').count(), 0);
      }
    },

    {
      name: 'navigation by role: dealer admin and service advisor',
      locale: 'fr-FR',
      async run(page) {
        await page.goto('/');
        let ok = await signIn(page, 'admin@bruxelles-auto.test', PASSWORD);
        assert.equal(ok.status, 200);
        await expectVisible(page, 'shell');
        await expectText(page, 'user-name', 'Émilie Dubois');
        const lang = matchLang(ok.body.user.locale) || 'fr';
        await expectText(page, 'user-role', t(lang, 'roles.dealer_admin'));
        assert.deepEqual(await navIds(page),
          ['dashboard', 'customers', 'leads', 'workshop', 'users', 'audit', 'settings']);

        /* A dealer admin's Users page: own staff only. */
        await tid(page, 'nav-users').click();
        await expectVisible(page, 'users-table');
        const users = (await page.locator('[data-testid="user-row"] td:first-child').allTextContents()).map((s) => s.trim());
        assert.ok(users.includes('Émilie Dubois'), `own user listed (got ${JSON.stringify(users)})`);
        assert.ok(!users.includes('Sanne de Vries'), `other dealer's staff hidden (got ${JSON.stringify(users)})`);

        await tid(page, 'logout').click();
        await expectVisible(page, 'login-form');

        ok = await signIn(page, 'service@garage-amstel.test', PASSWORD);
        assert.equal(ok.status, 200);
        await expectVisible(page, 'shell');
        await expectText(page, 'user-name', 'Sem Bakker');
        assert.deepEqual(await navIds(page), ['customers', 'day-board']);
      }
    },

    {
      name: 'en: repeated failures show the rate-limit message',
      locale: 'en-US',
      async run(page) {
        await page.goto('/');
        /* An account of its own, so the demo users stay usable. */
        let last = null;
        for (let i = 0; i < 15 && (!last || last.status !== 429); i++) {
          last = await signIn(page, 'nobody@forecourt.test', `wrong-${i}`);
          assert.ok(last.status === 401 || last.status === 429, `status ${last.status}`);
        }
        assert.equal(last.status, 429, 'the server rate-limits repeated failures');
        assert.equal(last.body && last.body.error && last.body.error.code, 'rate_limited');
        await expectText(page, 'login-error', t('en', 'login.errors.rateLimited'));
        assert.match(await textOf(page, 'login-error'), /too many attempts/i);
      }
    },

    {
      name: 'data is shown as text: a dealer named with markup is not interpreted',
      locale: 'en-US',
      async run(page) {
        /* Create the dealer through the API with a bearer token (no CSRF). */
        const login = await fetch(`${env.base()}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: 'admin@forecourt.test', password: PASSWORD })
        });
        assert.equal(login.status, 200, 'API login');
        const { token } = await login.json();
        const auth = { Authorization: `Bearer ${token}` };
        const brands = await (await fetch(`${env.base()}/api/v1/brands`, { headers: auth })).json();
        assert.ok(Array.isArray(brands.items) && brands.items.length, 'GET /brands lists the demo brands');
        const name = 'Garage <img src=x onerror="window.__fcInjected=1"> & <b>Élan</b>';
        const created = await fetch(`${env.base()}/api/v1/dealers`, {
          method: 'POST',
          headers: Object.assign({ 'Content-Type': 'application/json' }, auth),
          body: JSON.stringify({ slug: 'markup-test', name, timezone: 'Europe/Paris', locale: 'fr',
            brand_ids: [brands.items[0].id] })
        });
        assert.equal(created.status, 201, `POST /dealers: ${await created.clone().text()}`);

        await page.goto('/#/dealers');
        const ok = await signIn(page, 'admin@forecourt.test', PASSWORD);
        assert.equal(ok.status, 200);
        await expectVisible(page, 'dealers-table');
        const row = tid(page, 'dealer-row').filter({ hasText: 'markup-test' });
        await row.waitFor({ state: 'visible' });
        assert.equal((await row.locator('td').first().textContent()).trim(), name);
        assert.equal(await row.locator('img, b').count(), 0, 'no element made from data');
        assert.equal(await page.evaluate(() => window.__fcInjected), undefined, 'no script ran');
      }
    }
  ];
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
  const context = await browser.newContext({ baseURL: base, locale: test.locale, viewport: { width: 1280, height: 800 } });
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

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forecourt-browser-'));
  console.log(`# temp dir: ${tmp}`);
  console.log(`# server:   ${opts.bin}`);
  console.log(`# web:      ${opts.web}`);

  let passed = 0;
  let failed = 0;
  const pass = (name) => { passed++; console.log(`ok ${passed + failed} - ${name}`); };
  const fail = (name, err) => {
    failed++;
    console.log(`not ok ${passed + failed} - ${name}`);
    console.log(describe(err).split('\n').map((l) => `#   ${l}`).join('\n'));
  };

  const server = new Server(opts.bin, opts.web, tmp);
  let browser = null;
  try {
    if (!fs.existsSync(opts.bin)) throw new Error(`no server binary at ${opts.bin}`);
    if (!fs.existsSync(path.join(opts.web, 'index.html'))) throw new Error(`no index.html in ${opts.web}`);
    const dicts = loadDicts(opts.web);
    await server.start();
    console.log(`# listening: ${server.base}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

    /* Static files the shell needs, with types a browser accepts. */
    const env = { t: makeT(dicts), tmp, base: () => server.base };
    const tests = [{
      name: 'static files are served with usable content types',
      async direct() {
        const wanted = { '/': /^text\/html/, '/app.js': /javascript/, '/app.css': /^text\/css/,
          '/favicon.svg': /^image\/svg\+xml/, '/i18n/en.json': /json/, '/i18n/fr.json': /json/, '/i18n/nl.json': /json/ };
        for (const [p, type] of Object.entries(wanted)) {
          const res = await fetch(server.base + p);
          assert.equal(res.status, 200, `GET ${p}`);
          assert.match(res.headers.get('content-type') || '', type, `Content-Type of ${p}`);
          await res.arrayBuffer();
        }
        const fr = await (await fetch(`${server.base}/i18n/fr.json`)).json();
        assert.equal(fr.login.password, 'Mot de passe', 'UTF-8 JSON served intact');
      }
    }].concat(defineTests(env));

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

main().catch((err) => {
  console.error(describe(err));
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
