#!/usr/bin/env node
/*
 * Browser test of the Forecourt customer pages, against the real server.
 *
 *   node customers.test.js --bin build/forecourt --web web
 *
 * Same harness as shell.test.js (lib.js): a fresh temp dir and database,
 * `<bin> serve --demo` on a free loopback port, Debian's Chromium through
 * playwright-core, a fresh browser context per test, SIGTERM at the end
 * (a non-zero exit or sanitizer output on stderr fails the run), closing
 * line "N passed, N failed".
 *
 * As sales@garage-amstel.test (user locale nl, so the UI starts in Dutch),
 * once with the language selector set to English and once to French:
 * quick-add "Émilie Dubois" / "06 12 34 56 78" (with field errors first),
 * her page (phone normalised to +31612345678, e-mail consent, inline edits
 * with If-Match and a stale-version conflict, consent toggles, GDPR export),
 * a vehicle by plate and VIN (decoded make and model year), a logged call on
 * top of the timeline, search as you type ("emilie", "GH-123"; debounced,
 * stale requests aborted; arrow keys and Enter), the duplicate notice, and
 * erasure (erased state, no longer found). Also: data with markup is shown
 * as text, and the page fits a 390 px wide screen. Screenshots:
 * <tmp>/customer.png, <tmp>/customer-390.png, <tmp>/customer-fr.png,
 * <tmp>/search.png, <tmp>/duplicate.png, <tmp>/customers-search.png (390 px).
 */
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const {
  PASSWORD, tid, textOf, expectText, expectVisible, eventually, htmlLang, signIn, sleep, runSuite
} = require('./lib');

const SALES = 'sales@garage-amstel.test';
const NAME = 'Émilie Dubois';
const PHONE = '06 12 34 56 78';
const PHONE_E164 = '+31612345678';
const PLATE = 'GH-123-X';
const VIN = 'WDBEA30D3HA391172';   /* Mercedes-Benz; model year 1987 or 2017 */

/* ---------------------------------------------------------------------- */
/* Helpers of this suite                                                    */
/* ---------------------------------------------------------------------- */

/* A bearer token for API calls made behind the page's back. */
async function apiToken(base, email) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD })
  });
  assert.equal(res.status, 200, 'API login');
  return (await res.json()).token;
}

async function apiCall(base, token, method, p, body) {
  const res = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: Object.assign({ Authorization: `Bearer ${token}` }, body ? { 'Content-Type': 'application/json' } : {}),
    body: body ? JSON.stringify(body) : undefined
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : null };
}

function customerIdOf(page) {
  const m = /^#\/customers\/([^/?]+)$/.exec(new URL(page.url()).hash);
  return m ? decodeURIComponent(m[1]) : null;
}

async function activeTestId(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-testid'));
}

async function resultNames(page) {
  return page.locator('[data-testid="customer-result"] [data-testid="result-name"]').allTextContents();
}

/* No t() key leaked to the screen (t() shows the key when one is missing). */
async function assertNoRawKeys(page) {
  const text = await page.locator('body').innerText();
  const leak = /\b(?:customers|consents|vehicles|timeline|form|errors|list|page|pages)\.[a-zA-Z][\w.-]*/.exec(text);
  assert.equal(leak, null, `untranslated key on screen: ${leak && leak[0]}`);
}

async function signInAs(page, lang, t) {
  await page.goto('/');
  const ok = await signIn(page, SALES, PASSWORD);
  assert.equal(ok.status, 200);
  await expectVisible(page, 'shell');
  /* The user's locale (nl) until a language is picked. */
  await eventually(async () => assert.equal(await htmlLang(page), 'nl'));
  await tid(page, 'lang-select').selectOption(lang);
  await eventually(async () => assert.equal(await htmlLang(page), lang));
  await expectText(page, 'page-title', t(lang, 'home.title', { name: 'Sanne de Vries' }));
}

/* Types like a person (one key at a time) into the search box and waits for
 * the answer to exactly that query. */
async function searchFor(page, text, t, lang) {
  const box = tid(page, 'customer-search');
  await box.fill('');
  const answered = page.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === '/api/v1/customers' && u.searchParams.get('q') === text.trim();
  });
  await box.pressSequentially(text, { delay: 40 });
  await answered;
  await eventually(async () => {
    const status = await textOf(page, 'customer-status');
    assert.notEqual(status, t(lang, 'customers.search.searching'));
  });
}

/* ---------------------------------------------------------------------- */
/* The whole flow, in one language                                          */
/* ---------------------------------------------------------------------- */

async function customerFlow(page, env, lang) {
  const { t, tmp } = env;
  const writes = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/v1/') && req.method() !== 'GET') {
      writes.push({ method: req.method(), url: req.url(), headers: req.headers() });
    }
  });

  await signInAs(page, lang, t);

  /* Arrival: the search box has focus; quick-add is one click away. */
  await tid(page, 'nav-customers').click();
  await expectText(page, 'page-title', t(lang, 'pages.customers.title'));
  await expectVisible(page, 'customer-search');
  await eventually(async () => assert.equal(await activeTestId(page), 'customer-search'));
  assert.equal(await page.locator(`label[for="${await tid(page, 'customer-search').getAttribute('id')}"]`).textContent(),
    t(lang, 'customers.search.label'));
  assert.ok((await textOf(page, 'quick-add-toggle')).endsWith(t(lang, 'customers.quickAdd.open')));

  await tid(page, 'quick-add-toggle').click();
  await expectVisible(page, 'quick-add-form');
  assert.equal(await tid(page, 'quick-add-toggle').getAttribute('aria-expanded'), 'true');
  await eventually(async () => assert.equal(await activeTestId(page), 'quick-add-name'));

  /* Field errors next to the fields: first the browser's own check... */
  await tid(page, 'quick-add-name').fill(NAME);
  await tid(page, 'quick-add-submit').click();
  await expectText(page, 'quick-add-phone-error', t(lang, 'customers.errors.contactRequired'));
  assert.equal(await tid(page, 'quick-add-phone').getAttribute('aria-invalid'), 'true');
  assert.match(await tid(page, 'quick-add-phone').getAttribute('aria-describedby'), /error/);
  /* ...then the server's 422. */
  await tid(page, 'quick-add-phone').fill('123');
  const [bad] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/customers') && r.request().method() === 'POST'),
    tid(page, 'quick-add-submit').click()
  ]);
  assert.equal(bad.status(), 422);
  await expectText(page, 'quick-add-phone-error', t(lang, 'customers.errors.phoneInvalid'));
  assert.equal(await tid(page, 'quick-add-name-error').isVisible(), false);

  /* Now right; marketing by e-mail agreed. Enter submits. */
  await tid(page, 'quick-add-phone').fill(PHONE);
  await tid(page, 'quick-add-consent').check();
  const [created] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/customers') && r.request().method() === 'POST'),
    tid(page, 'quick-add-phone').press('Enter')
  ]);
  assert.equal(created.status(), 201);
  const body = created.request().postDataJSON();
  assert.deepEqual(body, { name: NAME, phone: PHONE, consents: { email: true }, consent_source: 'in_person' });
  const post = writes.find((w) => w.method === 'POST' && w.url.endsWith('/api/v1/customers'));
  assert.ok(post.headers['x-csrf-token'], 'writes carry X-CSRF-Token');
  assert.match(post.headers['content-type'], /^application\/json/);
  const id = (await created.json()).id;

  /* Her page. */
  await eventually(async () => assert.equal(customerIdOf(page), id));
  await expectText(page, 'page-title', NAME);
  await expectVisible(page, 'customer-contact');
  const phoneText = await textOf(page, 'contact-phone-value');
  assert.ok(phoneText.includes(PHONE_E164) || phoneText.includes(PHONE), `phone shown: ${phoneText}`);
  assert.ok(phoneText.includes(PHONE_E164), `normalised phone shown: ${phoneText}`);
  if (!env.phoneSuppressed) {
    await expectText(page, 'consent-status-email', t(lang, 'consents.state.granted'));
    assert.equal(await tid(page, 'consent-toggle-email').getAttribute('aria-checked'), 'true');
    assert.ok((await textOf(page, 'consent-meta-email')).includes(t(lang, 'consents.sources.in_person')));
  } else {
    /* Her phone was erased in an earlier run: on the suppression list, so
     * the ticked consent is recorded as not given. */
    await expectText(page, 'consent-status-email', t(lang, 'consents.state.withdrawn'));
    assert.equal(await tid(page, 'consent-toggle-email').getAttribute('aria-checked'), 'false');
    assert.ok((await textOf(page, 'consent-meta-email')).includes(t(lang, 'consents.sources.suppression_list')));
  }
  assert.ok((await textOf(page, 'consent-meta-email')).includes('Sanne de Vries'), 'who recorded the consent');
  await expectText(page, 'consent-status-sms', t(lang, 'consents.state.unknown'));
  await expectVisible(page, 'timeline-item');
  const types = await page.locator('[data-testid="timeline-item"]').evaluateAll((items) => items.map((i) => i.dataset.type));
  assert.ok(types.includes('customer.created'), `timeline: ${JSON.stringify(types)}`);
  const createdItem = tid(page, 'timeline-item').filter({ has: page.locator('[data-testid="event-title"]', { hasText: t(lang, 'timeline.types.customer.created') }) });
  assert.equal(await createdItem.count(), 1, 'customer.created shown as readable text');

  /* A vehicle by plate and VIN: decoded make and model year. */
  await tid(page, 'vehicle-plate').fill(PLATE);
  await tid(page, 'vehicle-vin-input').fill(VIN);
  const [veh] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/vehicles') && r.request().method() === 'POST'),
    tid(page, 'vehicle-submit').click()
  ]);
  assert.equal(veh.status(), 201);
  assert.deepEqual(veh.request().postDataJSON(), { customer_id: id, plate: PLATE, vin: VIN });
  await expectVisible(page, 'vehicle-notice');
  const notice = await textOf(page, 'vehicle-notice');
  assert.ok(notice.includes('Mercedes-Benz') && notice.includes('1987'), `decoded: ${notice}`);
  await eventually(async () => {
    const plates = await tid(page, 'vehicle').allTextContents();
    assert.ok(plates.some((p) => p.includes(PLATE) && p.includes('Mercedes-Benz') && p.includes(VIN)), `vehicles: ${JSON.stringify(plates)}`);
  });

  /* Log a call: it is the newest entry of the timeline. */
  const callText = lang === 'fr' ? 'Rappeler samedi pour l’essai' : 'Call back on Saturday about the test drive';
  await tid(page, 'log-text').fill(callText);
  const [logged] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/events') && r.request().method() === 'POST'),
    tid(page, 'log-submit').click()
  ]);
  assert.equal(logged.status(), 201);
  assert.deepEqual(logged.request().postDataJSON(), { type: 'call.logged', channel: 'phone', payload: { text: callText } });
  await eventually(async () => {
    const first = tid(page, 'timeline-item').first();
    assert.equal(await first.getAttribute('data-type'), 'call.logged');
    assert.equal((await first.locator('[data-testid="event-text"]').textContent()).trim(), callText);
    assert.equal((await first.locator('[data-testid="event-title"]').textContent()).trim(), t(lang, 'timeline.types.call.logged'));
    assert.equal((await first.locator('[data-testid="event-channel"]').textContent()).trim(), t(lang, 'timeline.channels.phone'));
    assert.ok((await first.textContent()).includes('Sanne de Vries'), 'who logged it');
  });
  assert.equal(await tid(page, 'log-text').inputValue(), '');

  /* A note from a walk-in, with the keyboard only. */
  await tid(page, 'log-type-note').check();
  assert.equal(await tid(page, 'log-channel').inputValue(), 'walk_in');
  await tid(page, 'log-text').fill('Liked the blue one');
  await tid(page, 'log-text').press('Control+Enter');
  await eventually(async () => {
    const first = tid(page, 'timeline-item').first();
    assert.equal(await first.getAttribute('data-type'), 'note.added');
    assert.equal((await first.locator('[data-testid="event-channel"]').textContent()).trim(), t(lang, 'timeline.channels.walk_in'));
  });

  /* Consent toggle: SMS on. */
  await tid(page, 'consent-toggle-sms').click();
  await expectText(page, 'consent-status-sms', t(lang, 'consents.state.granted'));
  assert.equal(await tid(page, 'consent-toggle-sms').getAttribute('aria-checked'), 'true');
  const consentPost = writes.find((w) => w.url.endsWith('/consents'));
  assert.ok(consentPost, 'consent POST sent');
  await eventually(async () => assert.equal(await tid(page, 'timeline-item').first().getAttribute('data-type'), 'consent.granted'));

  /* She has only a phone: clearing it is refused next to the field (422). */
  await tid(page, 'edit-phone').click();
  await tid(page, 'edit-phone-input').fill('');
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PATCH'),
    tid(page, 'save-phone').click()
  ]);
  assert.equal(refused.status(), 422);
  await expectText(page, 'edit-phone-error', t(lang, 'customers.errors.contactKeep'));
  assert.equal(await tid(page, 'edit-phone-input').getAttribute('aria-invalid'), 'true');
  await tid(page, 'edit-phone-input').press('Escape');
  assert.ok((await textOf(page, 'contact-phone-value')).includes(PHONE_E164));

  /* Inline edit: e-mail (Enter saves), sent with If-Match. */
  await tid(page, 'edit-email').click();
  await eventually(async () => assert.equal(await activeTestId(page), 'edit-email-input'));
  await tid(page, 'edit-email-input').fill('emilie.dubois@example.fr');
  const [patched] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PATCH'),
    tid(page, 'edit-email-input').press('Enter')
  ]);
  assert.equal(patched.status(), 200);
  assert.match(patched.request().headers()['if-match'] || '', /^"v\d+"$/, 'PATCH carries If-Match');
  await expectText(page, 'contact-email-value', 'emilie.dubois@example.fr');
  await eventually(async () => assert.equal(await activeTestId(page), 'edit-email'));

  /* Escape cancels an edit. */
  await tid(page, 'edit-name').click();
  await tid(page, 'edit-name-input').fill('Someone else');
  await tid(page, 'edit-name-input').press('Escape');
  await expectText(page, 'contact-name-value', NAME);

  /* Language through a select. */
  await tid(page, 'edit-language').click();
  await tid(page, 'edit-language-input').selectOption('fr');
  await tid(page, 'save-language').click();
  await expectText(page, 'contact-language-value', t(lang, 'customers.languages.fr'));

  if (lang === 'en') {
    /* Someone else changes her meanwhile: the stale version is refused (412). */
    const token = await apiToken(env.base(), SALES);
    const other = await apiCall(env.base(), token, 'PATCH', `/customers/${id}`, { notes: 'changed elsewhere' });
    assert.equal(other.status, 200, 'PATCH behind the page');
    await tid(page, 'edit-name').click();
    await tid(page, 'edit-name-input').fill('Emilie Dubois-Martin');
    const [stale] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH'),
      tid(page, 'save-name').click()
    ]);
    assert.equal(stale.status(), 412);
    await expectText(page, 'contact-message', t(lang, 'customers.errors.stale'));
    await expectText(page, 'contact-name-value', NAME);

    /* The GDPR export downloads her data. */
    const [download] = await Promise.all([page.waitForEvent('download'), tid(page, 'customer-export').click()]);
    const file = path.join(tmp, 'export.json');
    await download.saveAs(file);
    const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(exported.customer.name, NAME);
    assert.ok(exported.timeline.some((e) => e.type === 'call.logged'), 'export has the timeline');
  }

  await assertNoRawKeys(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  const shot = path.join(tmp, lang === 'en' ? 'customer.png' : `customer-${lang}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`# screenshot: ${shot}`);
  if (lang === 'en') {
    await page.setViewportSize({ width: 390, height: 844 });
    await sleep(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 390, `no sideways scrolling at 390 px (scrollWidth ${overflow})`);
    const narrow = path.join(tmp, 'customer-390.png');
    await page.screenshot({ path: narrow, fullPage: true });
    console.log(`# screenshot: ${narrow}`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  /* Back to the search: "emilie" (no accent) finds her, as you type. */
  await tid(page, 'customer-back').click();
  await expectVisible(page, 'customer-search');
  await eventually(async () => assert.equal(await activeTestId(page), 'customer-search'));
  const searches = [];
  const onReq = (req) => {
    const u = new URL(req.url());
    if (u.pathname === '/api/v1/customers' && req.method() === 'GET' && u.searchParams.has('q')) searches.push(u.searchParams.get('q'));
  };
  page.on('request', onReq);
  await searchFor(page, 'emilie', t, lang);
  page.off('request', onReq);
  assert.ok(searches.length <= 2, `debounced: ${JSON.stringify(searches)}`);
  assert.equal(searches[searches.length - 1], 'emilie');
  await eventually(async () => assert.deepEqual(await resultNames(page), [NAME]));
  await expectText(page, 'customer-status', t(lang, 'customers.search.found.one', { count: 1 }));
  assert.ok((await tid(page, 'customer-result').first().textContent()).includes(PLATE), 'plates shown in results');
  assert.equal(new URL(page.url()).hash, '#/customers?q=emilie', 'the query is kept in the URL');
  if (lang === 'en') {
    await page.screenshot({ path: path.join(tmp, 'search.png') });
    console.log(`# screenshot: ${path.join(tmp, 'search.png')}`);
  }

  /* Keyboard: ArrowDown selects, Enter opens. */
  await tid(page, 'customer-search').press('ArrowDown');
  assert.equal(await tid(page, 'customer-result').first().getAttribute('aria-selected'), 'true');
  const activeId = await tid(page, 'customer-search').getAttribute('aria-activedescendant');
  assert.equal(activeId, await tid(page, 'customer-result').first().getAttribute('id'));
  await tid(page, 'customer-search').press('Enter');
  await eventually(async () => assert.equal(customerIdOf(page), id));
  await expectText(page, 'page-title', NAME);

  /* Browser Back returns to the same search. */
  await page.goBack();
  await expectVisible(page, 'customer-search');
  await eventually(async () => assert.equal(await tid(page, 'customer-search').inputValue(), 'emilie'));
  await eventually(async () => assert.deepEqual(await resultNames(page), [NAME]));

  /* "GH-123" finds her by her vehicle's plate. */
  await searchFor(page, 'GH-123', t, lang);
  await eventually(async () => assert.deepEqual(await resultNames(page), [NAME]));

  /* A stale request is aborted when typing goes on (slow answer for "Émi"). */
  await page.route((url) => url.pathname === '/api/v1/customers' && url.searchParams.get('q') === 'Émi', async (route) => {
    await sleep(1500);
    try { await route.continue(); } catch { /* the page gave up on it: expected */ }
  });
  const failed = [];
  const onFail = (req) => { if (new URL(req.url()).searchParams.get('q') === 'Émi') failed.push(req.failure() && req.failure().errorText); };
  page.on('requestfailed', onFail);
  await tid(page, 'customer-search').fill('');
  await tid(page, 'customer-search').pressSequentially('Émi');
  await sleep(450);             /* debounce passed: "Émi" is on its way */
  await searchFor(page, 'Émilie', t, lang);
  await eventually(async () => assert.equal(failed.length, 1, 'the "Émi" request was aborted'));
  page.off('requestfailed', onFail);
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await eventually(async () => assert.deepEqual(await resultNames(page), [NAME]));

  /* Quick-add the same phone again: the existing customer is offered. */
  await tid(page, 'quick-add-toggle').click();
  /* What was searched for is taken over as the name. */
  await eventually(async () => assert.equal(await tid(page, 'quick-add-name').inputValue(), 'Émilie'));
  await tid(page, 'quick-add-name').fill(NAME);
  await tid(page, 'quick-add-phone').fill(PHONE);
  const [dup] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/customers') && r.request().method() === 'POST'),
    tid(page, 'quick-add-submit').click()
  ]);
  assert.equal(dup.status(), 409);
  await expectVisible(page, 'duplicate-notice');
  assert.ok((await textOf(page, 'duplicate-notice')).includes(t(lang, 'customers.duplicate.text')));
  await expectText(page, 'duplicate-name', NAME);
  assert.equal(await tid(page, 'duplicate-open').getAttribute('href'), `#/customers/${id}`);
  await expectText(page, 'duplicate-create', t(lang, 'customers.duplicate.createAnyway'));
  if (lang === 'en') await page.screenshot({ path: path.join(tmp, 'duplicate.png') });

  if (lang === 'fr') {
    /* "Create anyway" makes a second record and opens it; erase that one. */
    const [again] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/customers') && r.request().method() === 'POST'),
      tid(page, 'duplicate-create').click()
    ]);
    assert.equal(again.status(), 201);
    assert.equal(again.request().postDataJSON().allow_duplicate, true);
    const twin = (await again.json()).id;
    assert.notEqual(twin, id);
    await eventually(async () => assert.equal(customerIdOf(page), twin));
    await expectText(page, 'page-title', NAME);
    await eraseHere(page, t, lang);
    await page.goto(`/#/customers/${encodeURIComponent(id)}`);
  } else {
    await tid(page, 'duplicate-open').click();
  }
  await eventually(async () => assert.equal(customerIdOf(page), id));
  await expectText(page, 'page-title', NAME);

  /* Erase her personal data. */
  await eraseHere(page, t, lang);
  env.phoneSuppressed = true;
  assert.equal(await tid(page, 'contact-phone-value').count(), 0, 'phone gone');
  assert.equal(await tid(page, 'log-form').count(), 0, 'no writes on an erased customer');
  assert.equal(await tid(page, 'customer-erase').count(), 0);
  await eventually(async () => {
    const first = tid(page, 'timeline-item').first();
    assert.equal(await first.getAttribute('data-type'), 'customer.erased');
    assert.equal((await first.locator('[data-testid="event-title"]').textContent()).trim(), t(lang, 'timeline.types.customer.erased'));
  });
  const call = tid(page, 'timeline-item').filter({ has: page.locator('[data-testid="event-title"]', { hasText: t(lang, 'timeline.types.call.logged') }) });
  assert.equal(await call.count(), 1, 'the call stays on the timeline');
  assert.equal(await call.locator('[data-testid="event-text"]').count(), 0, 'its text is gone');
  assert.equal(await page.getByText(callText).count(), 0);
  await assertNoRawKeys(page);

  /* Search no longer finds her, by name or by plate. */
  await tid(page, 'customer-back').click();
  await expectVisible(page, 'customer-search');
  await searchFor(page, 'emilie', t, lang);
  await expectText(page, 'customer-status', t(lang, 'customers.search.none', { q: 'emilie' }));
  assert.equal(await tid(page, 'customer-result').count(), 0);
  await searchFor(page, 'GH-123', t, lang);
  assert.equal(await tid(page, 'customer-result').count(), 0);
  await expectVisible(page, 'search-add');
  /* Enter on a search that found nothing starts a quick-add. */
  await tid(page, 'customer-search').press('Enter');
  await expectVisible(page, 'quick-add-form');
  await eventually(async () => assert.equal(await activeTestId(page), 'quick-add-name'));
  await page.keyboard.press('Escape');
  assert.equal(await tid(page, 'quick-add').isVisible(), false);
}

async function eraseHere(page, t, lang) {
  await tid(page, 'customer-erase').click();
  await expectVisible(page, 'erase-dialog');
  assert.equal(await activeTestId(page), 'erase-cancel', 'the safe choice has focus');
  /* Cancel first: nothing happens. */
  await tid(page, 'erase-cancel').click();
  await tid(page, 'erase-dialog').waitFor({ state: 'detached' });
  assert.equal(await activeTestId(page), 'customer-erase');
  await tid(page, 'customer-erase').click();
  await expectVisible(page, 'erase-dialog');
  const [del] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'DELETE'),
    tid(page, 'erase-confirm').click()
  ]);
  assert.equal(del.status(), 204);
  assert.ok(del.request().headers()['x-csrf-token'], 'DELETE carries X-CSRF-Token');
  await expectVisible(page, 'erased-notice');
  await expectText(page, 'page-title', t(lang, 'customers.erasedName'));
  assert.equal(await tid(page, 'customer-page').getAttribute('data-erased'), 'true');
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                    */
/* ---------------------------------------------------------------------- */

function defineTests(env) {
  const { t } = env;
  return [
    {
      name: 'en: quick-add, customer page, vehicle, timeline, search, duplicate, erase',
      locale: 'en-US',
      async run(page) { await customerFlow(page, env, 'en'); }
    },
    {
      name: 'fr: the same flow in French, with "create anyway"',
      locale: 'fr-FR',
      async run(page) { await customerFlow(page, env, 'fr'); }
    },
    {
      name: 'data is shown as text: markup in a name and a note is not interpreted',
      locale: 'en-US',
      async run(page) {
        const name = 'Bob <img src=x onerror="window.__fcInjected=1"> & <b>Co</b>';
        const note = '<script>window.__fcInjected=2</script><i>hi</i>';
        const token = await apiToken(env.base(), SALES);
        const c = await apiCall(env.base(), token, 'POST', '/customers', { name, email: 'bob@example.com' });
        assert.equal(c.status, 201);
        const ev = await apiCall(env.base(), token, 'POST', `/customers/${c.data.id}/events`,
          { type: 'quote.sent', channel: 'email', payload: { text: note, amount: 1200 } });
        assert.equal(ev.status, 201);

        await page.goto('/');
        await tid(page, 'lang-select').selectOption('en');
        assert.equal((await signIn(page, SALES, PASSWORD)).status, 200);
        await page.goto('/#/customers?q=bob');
        await eventually(async () => assert.deepEqual(await resultNames(page), [name]));
        await tid(page, 'customer-result').first().click();
        await expectText(page, 'page-title', name);
        const first = tid(page, 'timeline-item').first();
        await eventually(async () => assert.equal(await first.getAttribute('data-type'), 'quote.sent'));
        assert.equal((await first.locator('[data-testid="event-title"]').textContent()).trim(), 'Quote sent');
        assert.equal((await first.locator('[data-testid="event-text"]').textContent()).trim(), `${note} · amount: 1200`);
        assert.equal((await first.locator('[data-testid="event-channel"]').textContent()).trim(), t('en', 'timeline.channels.email'));
        assert.equal(await page.locator('[data-role="page"] img, [data-role="page"] b, [data-role="page"] i, [data-role="page"] script').count(), 0,
          'no element made from data');
        assert.equal(await page.evaluate(() => window.__fcInjected), undefined, 'no script ran');
      }
    },
    {
      name: 'an unknown customer id shows "not found"',
      locale: 'en-US',
      async run(page) {
        await page.goto('/');
        await tid(page, 'lang-select').selectOption('en');
        assert.equal((await signIn(page, SALES, PASSWORD)).status, 200);
        await page.goto('/#/customers/01AAAAAAAAAAAAAAAAAAAAAAAA');
        await expectText(page, 'page-title', t('en', 'customers.page.notFound'));
        await expectVisible(page, 'customer-not-found');
        assert.equal(await tid(page, 'customer-back').getAttribute('href'), '#/customers');
      }
    },
    {
      name: 'nl (user locale): empty search lists the newest, "load more" pages on, quick-add prefilled from the search',
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
      async run(page) {
        const token = await apiToken(env.base(), SALES);
        for (let i = 1; i <= 23; i++) {
          const r = await apiCall(env.base(), token, 'POST', '/customers',
            { name: `Klant ${String(i).padStart(2, '0')}`, email: `klant${i}@example.nl` });
          assert.equal(r.status, 201);
          await sleep(2);   /* ids (and so "newest first") follow the clock */
        }
        await page.goto('/#/customers');
        const [newest, ok] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/customers' && r.request().method() === 'GET'),
          signIn(page, SALES, PASSWORD)
        ]);
        assert.equal(ok.status, 200);
        assert.equal(newest.status(), 200, `GET ${new URL(newest.url()).search} with 23 customers: ${await newest.text()}`);
        await expectVisible(page, 'customer-search');
        assert.equal(await htmlLang(page), 'nl');
        await expectText(page, 'results-title', t('nl', 'customers.search.newestTitle'));
        await eventually(async () => {
          const names = await resultNames(page);
          assert.equal(names.length, 20);
          assert.equal(names[0], 'Klant 23', 'newest first');
        });
        await expectText(page, 'customer-status', t('nl', 'customers.search.shown.other', { count: 20 }));
        /* Earlier tests on this server left customers too: the list holds them all. */
        const everyone = await apiCall(env.base(), token, 'GET', '/customers?limit=500');
        const total = everyone.data.items.length;
        assert.ok(total >= 23);
        await tid(page, 'customer-more').click();
        await eventually(async () => assert.equal((await resultNames(page)).length, total));
        assert.equal(await tid(page, 'customer-more').count(), 0);

        /* With a query, paging works too. */
        await searchFor(page, 'klant', t, 'nl');
        await eventually(async () => assert.equal((await resultNames(page)).length, 20));
        await tid(page, 'customer-more').click();
        await eventually(async () => assert.equal((await resultNames(page)).length, 23));
        const names = await resultNames(page);
        assert.equal(new Set(names).size, 23, 'no customer twice');

        /* Nothing found: add it, the typed phone number prefilled. */
        await searchFor(page, '0612 999 888', t, 'nl');
        await expectText(page, 'customer-status', t('nl', 'customers.search.none', { q: '0612 999 888' }));
        await tid(page, 'search-add').click();
        await expectVisible(page, 'quick-add-form');
        assert.equal(await tid(page, 'quick-add-phone').inputValue(), '0612 999 888');
        assert.equal(await activeTestId(page), 'quick-add-name');
        await tid(page, 'quick-add-name').press('Escape');
        assert.equal(await tid(page, 'quick-add').isVisible(), false);
        assert.equal(await activeTestId(page), 'quick-add-toggle');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(overflow <= 390, `no sideways scrolling at 390 px (scrollWidth ${overflow})`);
        await assertNoRawKeys(page);
        await page.screenshot({ path: path.join(env.tmp, 'customers-search.png'), fullPage: false });
      }
    }
  ];
}

runSuite({ script: 'customers.test.js', tests: defineTests });
