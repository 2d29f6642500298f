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
 * The server, browser and runner helpers live in lib.js.
 */
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');

const {
  PASSWORD, tid, textOf, expectText, expectVisible, eventually, htmlLang, labelFor, matchLang,
  signIn, navIds, navTexts, runSuite
} = require('./lib');

/* ---------------------------------------------------------------------- */
/* Helpers of this suite                                                    */
/* ---------------------------------------------------------------------- */

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

        assert.deepEqual(await navIds(page), ['dashboard', 'customers', 'leads']);
        assert.equal(await tid(page, 'nav-audit').count(), 0);
        assert.deepEqual(await navTexts(page), [t(lang, 'pages.dashboard.title'), t(lang, 'pages.customers.title'), t(lang, 'pages.leads.title')]);

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
        await expectVisible(page, 'customer-search');   /* customers.test.js tests the page itself */
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
          ['dashboard', 'customers', 'leads', 'day-board', 'workshop', 'users', 'audit', 'settings']);

        /* A dealer principal works from the day board too. */
        await tid(page, 'nav-day-board').click();
        await expectText(page, 'page-title', t(lang, 'pages.dayboard.title'));
        await expectVisible(page, 'board-grid');

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

runSuite({
  script: 'shell.test.js',
  tests(env) {
    /* Static files the shell needs, with types a browser accepts. */
    return [{
      name: 'static files are served with usable content types',
      async direct() {
        const wanted = { '/': /^text\/html/, '/app.js': /javascript/, '/app.css': /^text\/css/,
          '/favicon.svg': /^image\/svg\+xml/, '/i18n/en.json': /json/, '/i18n/fr.json': /json/, '/i18n/nl.json': /json/ };
        for (const [p, type] of Object.entries(wanted)) {
          const res = await fetch(env.base() + p);
          assert.equal(res.status, 200, `GET ${p}`);
          assert.match(res.headers.get('content-type') || '', type, `Content-Type of ${p}`);
          await res.arrayBuffer();
        }
        const fr = await (await fetch(`${env.base()}/i18n/fr.json`)).json();
        assert.equal(fr.login.password, 'Mot de passe', 'UTF-8 JSON served intact');
      }
    }].concat(defineTests(env));
  }
});
