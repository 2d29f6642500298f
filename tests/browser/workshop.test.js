#!/usr/bin/env node
/*
 * Browser test of the workshop set-up page (#/workshop), against the real
 * server.
 *
 *   node workshop.test.js --bin build/forecourt --web web
 *
 * Same harness as shell.test.js (lib.js): a fresh temp dir and database,
 * `<bin> serve --demo` on a free loopback port, Debian's Chromium through
 * playwright-core, a fresh browser context per test, SIGTERM at the end,
 * closing line "N passed, N failed". The tests run in order on one
 * database; each starts from what the one before saved.
 *
 *  - The three i18n files have the same keys.
 *  - A service advisor has no workshop page (not in the menu; the URL says
 *    "not found").
 *  - English, as Garage Amstel's dealer admin: the demo workshop is shown
 *    (labelled per weekday); Saturday becomes 08:00–12:00 and 13:00–15:00,
 *    a closure and a "wash" service are added; saving sends If-Match and
 *    keeps the resource ids; after a reload the page shows all of it, and
 *    the public profile, the availability and the booking page follow.
 *  - Dutch (the user's own language): a time that is no time is caught
 *    before sending; an interval that ends before it starts is sent, and
 *    the server's 422 is shown at Saturday's row, on the field, with focus
 *    there.
 *  - French: someone saves through the API between loading and saving;
 *    the save answers 412, the page says so and reloads their version by
 *    keyboard; saving again works.
 *  - A new dealer (made through the API) has no workshop: the page starts
 *    empty, says so, and its first save (no If-Match) sets one up that
 *    customers can book; the bay gets its id from the server.
 *  - Keyboard only: Tab from the heading to Saturday's first time, type,
 *    Enter saves; Space opens Sunday; the lane moves up a place (focus
 *    follows it); Tab reaches Save, Enter saves.
 *  - Unsaved edits: another page (menu) or language asks with confirm();
 *    cancelled, the page and the edit stay; accepted, the other page opens
 *    and the beforeunload listener is gone; after a save nothing asks.
 * Screenshots: <tmp>/workshop.png, <tmp>/workshop-422.png,
 * <tmp>/workshop-412.png.
 */
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');

const { PASSWORD, tid, textOf, expectText, expectVisible, eventually, htmlLang, signIn, navIds, runSuite, todayIn, addDays } = require('./lib');

const SLUG = 'garage-amstel';
const ZONE = 'Europe/Amsterdam';
const ADMIN = 'admin@garage-amstel.test';
const SERVICE = 'service@garage-amstel.test';

/* ---------------------------------------------------------------------- */
/* Helpers of this suite                                                    */
/* ---------------------------------------------------------------------- */


/* 0 = Sunday … 6 = Saturday. */
function weekday(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, 12)).getUTCDay();
}

function weekdayName(lang, index) {
  return new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + index, 12)));
}

async function apiJson(base, method, p, body, token, headers) {
  const h = Object.assign({}, headers || {});
  if (body) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/api/v1${p}`, { method, headers: h, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: res.status, data, etag: res.headers.get('etag') };
}

async function apiToken(base, email) {
  const r = await apiJson(base, 'POST', '/auth/login', { email, password: PASSWORD });
  assert.equal(r.status, 200, `API login ${email}`);
  return r.data;
}

async function slotsOn(base, services, day) {
  const r = await apiJson(base, 'GET', `/public/dealers/${SLUG}/availability?services=${services}&from=${day}&days=1`);
  assert.equal(r.status, 200, `availability of ${services} on ${day}: ${JSON.stringify(r.data)}`);
  return r.data.slots.map((s) => s.start);
}

const field = (page, key) => page.locator(`[data-key="${key}"]`);

async function activeKey(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    return a ? { key: a.getAttribute('data-key'), testid: a.getAttribute('data-testid'), visible: a.matches(':focus-visible') } : {};
  });
}

/* Tab (never more than `max` times) until the focused element matches. */
async function tabTo(page, predicate, what, max) {
  for (let i = 0; i < max; i++) {
    const info = await activeKey(page);
    if (predicate(info)) return info;
    await page.keyboard.press('Tab');
  }
  throw new Error(`keyboard: could not reach ${what} with Tab`);
}

/* No t() key leaked to the screen. */
async function assertNoRawKeys(page) {
  const text = await page.locator('#main').innerText();
  const leak = /\b(?:workshop|pages|errors|form|languages)\.[a-zA-Z][\w.-]*/.exec(text);
  assert.equal(leak, null, `untranslated key on screen: ${leak && leak[0]}`);
}

/* Signs in as the dealer admin, picks `lang` (null: the user's own, nl),
 * opens the page from the menu and waits for the loaded form. */
async function openWorkshop(page, t, lang) {
  await page.goto('/');
  const ok = await signIn(page, ADMIN, PASSWORD);
  assert.equal(ok.status, 200);
  await expectVisible(page, 'shell');
  if (lang) {
    await tid(page, 'lang-select').selectOption(lang);
    await eventually(async () => assert.equal(await htmlLang(page), lang));
  }
  const shown = lang || 'nl';
  await tid(page, 'nav-workshop').click();
  await expectText(page, 'page-title', t(shown, 'pages.workshop.title'));
  await expectVisible(page, 'workshop-form');
  await eventually(async () => assert.equal(await tid(page, 'workshop').getAttribute('aria-busy'), null, 'loaded'));
  return shown;
}

async function save(page, expectStatus) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => /\/api\/v1\/dealers\/[^/]+\/workshop$/.test(r.url()) && r.request().method() === 'PUT'),
    tid(page, 'workshop-save').click()
  ]);
  assert.equal(res.status(), expectStatus, `PUT answered ${res.status()}: ${await res.text()}`);
  return res;
}

function flatKeys(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? flatKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/* Shared between the tests (they run in order). */
const shared = { closure: null, saturday: null };

/* ---------------------------------------------------------------------- */
/* Tests                                                                    */
/* ---------------------------------------------------------------------- */

runSuite({
  script: 'workshop.test.js',
  tests: (env) => {
    const { t, tmp, dicts } = env;
    const base = () => env.base();

    return [
      {
        name: 'the i18n files have the same keys in en, fr and nl, and every text is non-empty',
        async direct() {
          const en = flatKeys(dicts.en).sort();
          for (const lang of ['fr', 'nl']) {
            const other = flatKeys(dicts[lang]).sort();
            assert.deepEqual(other.filter((k) => !en.includes(k)), [], `keys only in ${lang}.json`);
            assert.deepEqual(en.filter((k) => !other.includes(k)), [], `keys missing in ${lang}.json`);
          }
          for (const lang of ['en', 'fr', 'nl']) {
            for (const k of flatKeys(dicts[lang]).filter((x) => x.startsWith('workshop.'))) {
              assert.ok(t(lang, k).trim().length > 0, `${lang}: ${k} is empty`);
            }
          }
        }
      },

      {
        name: 'en: a service advisor has no workshop page',
        locale: 'en-US',
        async run(page) {
          await page.goto('/');
          const ok = await signIn(page, SERVICE, PASSWORD);
          assert.equal(ok.status, 200);
          await expectVisible(page, 'shell');
          assert.ok(!(await navIds(page)).includes('workshop'), 'not in the menu');
          const lang = await htmlLang(page);
          await page.evaluate(() => { location.hash = '#/workshop'; });
          await expectText(page, 'page-title', t(lang, 'page.notFound.title'));
          assert.equal(await tid(page, 'workshop-form').count(), 0);
        }
      },

      {
        name: 'en: Saturday hours, a closure and a new service are saved, shown after a reload, and offered to customers',
        locale: 'en-US',
        async run(page) {
          await openWorkshop(page, t, 'en');
          assert.ok((await navIds(page)).includes('day-board'), 'the dealer admin has the day board too');

          /* The demo workshop, labelled. */
          assert.equal(await field(page, 'hours.sat.0.from').inputValue(), '09:00');
          assert.equal(await field(page, 'hours.sat.0.to').inputValue(), '12:00');
          assert.equal(await field(page, 'hours.sat.1.from').count(), 0);
          assert.equal(await tid(page, 'hours-closed-sun').isChecked(), true, 'Sunday is closed');
          const satFrom = await field(page, 'hours.sat.0.from').getAttribute('id');
          assert.equal((await page.locator(`label[for="${satFrom}"]`).textContent()).trim(),
            `${t('en', 'workshop.hours.intervalLabel', { day: 'Saturday', n: 1 })}, ${t('en', 'workshop.hours.from')}`);
          assert.deepEqual(await page.locator('[data-testid="resource"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))),
            ['bay-1', 'bay-2', 'lane']);
          assert.equal(await page.locator('[data-testid="service"]').count(), 5);
          assert.equal(await field(page, 'reserved_share').inputValue(), '20');
          await assertNoRawKeys(page);

          /* A closure on a working day that has free times now. */
          let closure = addDays(todayIn(ZONE), 3);
          while (weekday(closure) === 0 || weekday(closure) === 6) closure = addDays(closure, 1);
          assert.ok((await slotsOn(base(), 'oil', closure)).length > 0, `oil is bookable on ${closure} before the closure`);
          shared.closure = closure;
          let saturday = addDays(todayIn(ZONE), 2);
          while (weekday(saturday) !== 6) saturday = addDays(saturday, 1);
          shared.saturday = saturday;
          const before = await slotsOn(base(), 'tires', saturday);
          assert.ok(!before.some((s) => s.slice(11, 16) === '14:30'), 'no 14:30 on Saturday before');

          /* Saturday: 08:00–12:00 and 13:00–15:00. */
          await field(page, 'hours.sat.0.from').fill('08:00');
          await tid(page, 'interval-add-sat').click();
          await eventually(async () => assert.equal((await activeKey(page)).key, 'hours.sat.1.from', 'focus on the new interval'));
          await field(page, 'hours.sat.1.from').fill('13:00');
          await field(page, 'hours.sat.1.to').fill('15:00');
          await expectVisible(page, 'workshop-dirty');

          await tid(page, 'closure-date').fill(closure);
          await tid(page, 'closure-add').click();
          await eventually(async () => assert.equal(await page.locator(`[data-testid="closure"][data-date="${closure}"]`).count(), 1));
          assert.equal((await activeKey(page)).key, 'closures.new', 'focus back in the date box for the next one');

          await tid(page, 'service-add').click();
          await eventually(async () => assert.equal((await activeKey(page)).key, 'services.5.code', 'focus on the new code'));
          await field(page, 'services.5.code').fill('wash');
          await field(page, 'services.5.name.en').fill('Car wash');
          await field(page, 'services.5.name.fr').fill('Lavage');
          await field(page, 'services.5.name.nl').fill('Wasbeurt');
          await field(page, 'services.5.duration').fill('30');
          await field(page, 'services.5.skill').selectOption('maintenance');
          await field(page, 'services.5.price').fill('19.5');
          const priceId = await field(page, 'services.5.price').getAttribute('id');
          assert.equal((await page.locator(`label[for="${priceId}"]`).textContent()).trim(), t('en', 'workshop.services.price'));

          const res = await save(page, 200);
          assert.equal(res.request().headers()['if-match'], '"v1"', 'the save is conditional');
          const sent = res.request().postDataJSON();
          assert.deepEqual(sent.opening_hours.sat, [['08:00', '12:00'], ['13:00', '15:00']]);
          assert.deepEqual(sent.resources.map((r) => r.id), ['bay-1', 'bay-2', 'lane'], 'resource ids kept');
          assert.deepEqual(sent.services[5], { code: 'wash', name: { en: 'Car wash', fr: 'Lavage', nl: 'Wasbeurt' }, duration_min: 30, skill: 'maintenance', price: 19.5 });
          assert.equal(sent.reserved_share, 0.2);
          assert.ok(sent.closures.includes(closure));
          assert.equal(res.headers().etag, '"v2"');
          await expectText(page, 'workshop-saved', t('en', 'workshop.saved'));
          assert.equal(await tid(page, 'workshop-dirty').isVisible(), false);
          await page.screenshot({ path: path.join(tmp, 'workshop.png'), fullPage: true });
          console.log(`# screenshot: ${path.join(tmp, 'workshop.png')}`);

          /* A reload shows what was saved. */
          await page.reload();
          await expectVisible(page, 'workshop-form');
          await eventually(async () => assert.equal(await field(page, 'hours.sat.1.to').inputValue(), '15:00'));
          assert.equal(await field(page, 'hours.sat.0.from').inputValue(), '08:00');
          assert.equal(await field(page, 'hours.sat.1.from').inputValue(), '13:00');
          assert.equal(await page.locator(`[data-testid="closure"][data-date="${closure}"]`).count(), 1);
          const wash = page.locator('[data-testid="service"][data-code="wash"]');
          assert.equal(await wash.count(), 1, 'the new service, saved');
          assert.equal(await field(page, 'services.5.name.fr').inputValue(), 'Lavage');
          assert.equal(await field(page, 'services.5.code').getAttribute('readonly'), '', 'a saved code is read-only');

          /* Customers see it. */
          const profile = await apiJson(base(), 'GET', `/public/dealers/${SLUG}`);
          const offered = profile.data.services.find((s) => s.code === 'wash');
          assert.deepEqual(offered, { code: 'wash', name: { en: 'Car wash', fr: 'Lavage', nl: 'Wasbeurt' }, duration_min: 30, price: 19.5 });
          const washWeek = await apiJson(base(), 'GET', `/public/dealers/${SLUG}/availability?services=wash&from=${addDays(todayIn(ZONE), 1)}&days=7`);
          assert.equal(washWeek.status, 200);
          assert.ok(washWeek.data.slots.length > 0, 'the new service has free times');
          assert.deepEqual(await slotsOn(base(), 'oil', closure), [], `nothing on the closure ${closure}`);
          const after = await slotsOn(base(), 'tires', saturday);
          assert.ok(after.some((s) => s.slice(11, 16) === '14:30'), `14:30 on Saturday ${saturday} now (${after.join(', ')})`);
          assert.ok(after.some((s) => s.slice(11, 16) === '08:00'), 'and 08:00');
          assert.ok(!after.some((s) => s.slice(11, 16) === '12:30'), 'but not over the break');

          await page.goto(`/book/${SLUG}?lang=en`);
          await expectVisible(page, 'service-wash');
          const washId = await tid(page, 'service-wash').getAttribute('id');
          assert.ok((await page.locator(`label[for="${washId}"]`).textContent()).includes('Car wash'), 'the booking page names it');
        }
      },

      {
        name: 'nl (the user\'s language): a malformed time is caught here; an interval ending before it starts gets the server\'s 422 at the field',
        locale: 'nl-NL',
        async run(page) {
          const lang = await openWorkshop(page, t, null);
          assert.equal(lang, 'nl');
          assert.equal((await page.locator('[data-testid="ws-hours"] h2').textContent()).trim(), t('nl', 'workshop.hours.title'));
          assert.equal((await page.locator('[data-testid="ws-services"] h2').textContent()).trim(), t('nl', 'workshop.services.title'));
          const satFrom = await field(page, 'hours.sat.0.from').getAttribute('id');
          assert.equal((await page.locator(`label[for="${satFrom}"]`).textContent()).trim(),
            `${t('nl', 'workshop.hours.intervalLabel', { day: weekdayName('nl', 5), n: 1 })}, ${t('nl', 'workshop.hours.from')}`);
          const closedId = await tid(page, 'hours-closed-sat').getAttribute('id');
          assert.equal((await page.locator(`label[for="${closedId}"]`).textContent()).trim(), t('nl', 'workshop.hours.closed'));
          assert.equal(await tid(page, 'workshop-save').textContent(), t('nl', 'workshop.save'));
          await assertNoRawKeys(page);

          /* Not a time: caught before anything is sent. */
          let puts = 0;
          page.on('request', (r) => { if (r.method() === 'PUT') puts++; });
          await field(page, 'hours.sat.0.from').fill('8 uur');
          await tid(page, 'workshop-save').click();
          await expectText(page, 'hours-error-sat', t('nl', 'workshop.errors.time'));
          assert.equal(await field(page, 'hours.sat.0.from').getAttribute('aria-invalid'), 'true');
          assert.equal((await activeKey(page)).key, 'hours.sat.0.from', 'focus on the field in error');
          await expectText(page, 'workshop-error-text', t('nl', 'workshop.errors.invalid'));
          assert.equal(puts, 0, 'nothing sent');

          /* 15:00–13:30: the server says no (422), the page shows it at Saturday. */
          await field(page, 'hours.sat.0.from').fill('8:00');
          await field(page, 'hours.sat.1.from').fill('15:00');
          await field(page, 'hours.sat.1.to').fill('13:30');
          const res = await save(page, 422);
          const err = await res.json();
          assert.ok(err.error.fields.opening_hours, `the server names opening_hours (${JSON.stringify(err)})`);
          assert.deepEqual(res.request().postDataJSON().opening_hours.sat, [['08:00', '12:00'], ['15:00', '13:30']], '"8:00" was tidied to 08:00');
          await expectText(page, 'hours-error-sat', t('nl', 'workshop.errors.order'));
          const to = field(page, 'hours.sat.1.to');
          assert.equal(await to.getAttribute('aria-invalid'), 'true');
          const describedBy = (await to.getAttribute('aria-describedby')).split(' ');
          const described = await page.evaluate((ids) => ids.map((id) => (document.getElementById(id) || {}).textContent).join(' '), describedBy);
          assert.ok(described.includes(t('nl', 'workshop.errors.order')), 'the field is described by the message');
          assert.equal((await activeKey(page)).key, 'hours.sat.1.to', 'focus on the field in error');
          await expectText(page, 'workshop-error-text', t('nl', 'workshop.errors.invalid'));
          await page.screenshot({ path: path.join(tmp, 'workshop-422.png'), fullPage: false });

          /* Nothing was stored. */
          const token = (await apiToken(base(), ADMIN)).token;
          const now = await apiJson(base(), 'GET', `/dealers/${(await apiJson(base(), 'GET', '/me', null, token)).data.user.dealer_id}/workshop`, null, token);
          assert.deepEqual(now.data.opening_hours.sat, [['08:00', '12:00'], ['13:00', '15:00']]);
        }
      },

      {
        name: 'fr: a save made elsewhere meanwhile answers 412; the page says so and reloads their version by keyboard',
        locale: 'fr-FR',
        async run(page) {
          await openWorkshop(page, t, 'fr');
          assert.equal((await page.locator('[data-testid="ws-closures"] h2').textContent()).trim(), t('fr', 'workshop.closures.title'));
          const addrId = await field(page, 'address').getAttribute('id');
          assert.equal((await page.locator(`label[for="${addrId}"]`).textContent()).trim(), t('fr', 'workshop.contact.address'));
          await assertNoRawKeys(page);

          /* Someone else saves through the API. */
          const login = await apiToken(base(), ADMIN);
          const me = await apiJson(base(), 'GET', '/me', null, login.token);
          const wsPath = `/dealers/${me.data.user.dealer_id}/workshop`;
          const cur = await apiJson(base(), 'GET', wsPath, null, login.token);
          assert.equal(cur.status, 200);
          cur.data.phone = '+31 20 555 0199';
          const put = await apiJson(base(), 'PUT', wsPath, cur.data, login.token, { 'If-Match': cur.etag });
          assert.equal(put.status, 200, JSON.stringify(put.data));

          await field(page, 'address').fill('Rue du Test 1');
          const res = await save(page, 412);
          assert.equal(res.request().headers()['if-match'], cur.etag, 'sent the version it had loaded');
          await expectText(page, 'workshop-error-text', t('fr', 'workshop.conflict'));
          assert.equal(await tid(page, 'workshop-error').getAttribute('role'), 'alert');
          await eventually(async () => assert.equal((await activeKey(page)).testid, 'workshop-conflict-reload', 'focus on "reload"'));
          await page.screenshot({ path: path.join(tmp, 'workshop-412.png'), fullPage: false });
          console.log(`# screenshot: ${path.join(tmp, 'workshop-412.png')}`);

          await page.keyboard.press('Enter');
          await eventually(async () => assert.equal(await field(page, 'phone').inputValue(), '+31 20 555 0199', 'their phone'));
          assert.equal(await field(page, 'address').inputValue(), 'Demo street 1', 'my edit is gone');
          await expectText(page, 'workshop-saved', t('fr', 'workshop.reloaded'));
          assert.equal(await tid(page, 'workshop-error').isVisible(), false);

          await field(page, 'address').fill('Rue du Test 1');
          const again = await save(page, 200);
          assert.equal(again.request().headers()['if-match'], put.etag);
          await expectText(page, 'workshop-saved', t('fr', 'workshop.saved'));
          const profile = await apiJson(base(), 'GET', `/public/dealers/${SLUG}`);
          assert.equal(profile.data.address, 'Rue du Test 1');
          assert.equal(profile.data.phone, '+31 20 555 0199');
        }
      },

      {
        name: 'en: a new dealer without a workshop sets one up from nothing (PUT without If-Match), and customers can book',
        locale: 'en-US',
        async run(page) {
          const admin = (await apiToken(base(), 'admin@forecourt.test')).token;
          const dealer = await apiJson(base(), 'POST', '/dealers',
            { slug: 'rotterdam-cars', name: 'Rotterdam Cars', timezone: ZONE, locale: 'en' }, admin);
          assert.equal(dealer.status, 201, JSON.stringify(dealer.data));
          const user = await apiJson(base(), 'POST', '/users', { email: 'boss@rotterdam-cars.test', name: 'Rita Visser',
            password: 'workshop-from-nothing', role: 'dealer_admin', dealer_id: dealer.data.id, locale: 'en' }, admin);
          assert.equal(user.status, 201, JSON.stringify(user.data));
          assert.equal((await apiJson(base(), 'GET', '/public/dealers/rotterdam-cars')).status, 404, 'no bookings without a workshop');

          await page.goto('/');
          assert.equal((await signIn(page, 'boss@rotterdam-cars.test', 'workshop-from-nothing')).status, 200);
          await tid(page, 'nav-workshop').click();
          await expectText(page, 'workshop-new', t('en', 'workshop.notSetUp'));
          for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) assert.equal(await tid(page, `hours-closed-${d}`).isChecked(), true, `${d} closed`);
          await expectText(page, 'resource-empty', t('en', 'workshop.resources.empty'));
          await expectText(page, 'service-empty', t('en', 'workshop.services.empty'));
          assert.equal(await field(page, 'slot_step_min').inputValue(), '30');
          assert.equal(await field(page, 'horizon_days').inputValue(), '60');

          /* Monday to Friday open with the default 08:00–17:00. */
          for (const d of ['mon', 'tue', 'wed', 'thu', 'fri']) {
            await tid(page, `hours-closed-${d}`).uncheck();
            await eventually(async () => assert.equal(await field(page, `hours.${d}.0.to`).inputValue(), '17:00'));
          }
          await tid(page, 'resource-add').click();
          await eventually(async () => assert.equal((await activeKey(page)).key, 'resources.0.name'));
          await page.keyboard.type('Bay A');
          await page.locator('[data-testid="resource"]').first().locator('[data-testid="resource-skill-maintenance"]').check();
          await tid(page, 'service-add').click();
          await field(page, 'services.0.code').fill('oil');
          await field(page, 'services.0.name.en').fill('Oil change');
          await field(page, 'services.0.skill').selectOption('maintenance');
          await field(page, 'services.0.price').fill('99');
          assert.equal(await tid(page, 'service-no-bay').count(), 0);
          /* A skill no bay has: said, not forbidden. */
          const maintenance = page.locator('[data-testid="resource"]').first().locator('[data-testid="resource-skill-maintenance"]');
          await maintenance.uncheck();
          await expectText(page, 'service-no-bay', t('en', 'workshop.services.noBay'));
          const skillDesc = await field(page, 'services.0.skill').getAttribute('aria-describedby');
          assert.equal(await page.evaluate((id) => document.getElementById(id).textContent, skillDesc), t('en', 'workshop.services.noBay'));
          await maintenance.check();
          await eventually(async () => assert.equal(await tid(page, 'service-no-bay').count(), 0));
          assert.equal(await field(page, 'services.0.price').inputValue(), '99', 'nothing typed was lost');
          const res = await save(page, 200);
          assert.equal(res.request().headers()['if-match'], undefined, 'nothing to match yet');
          assert.equal(res.headers().etag, '"v1"');
          const sent = res.request().postDataJSON();
          assert.deepEqual(sent.resources, [{ name: 'Bay A', skills: ['maintenance'] }], 'a new bay goes without an id');
          assert.equal(sent.services[0].duration_min, 60, 'a new service lasts an hour unless changed');
          await tid(page, 'workshop-new').waitFor({ state: 'detached' });
          const id = await page.locator('[data-testid="resource"]').first().getAttribute('data-id');
          assert.ok(id, 'the server gave the bay an id');
          assert.equal((await textOf(page, 'resource-id')), t('en', 'workshop.resources.id', { id }));

          const profile = await apiJson(base(), 'GET', '/public/dealers/rotterdam-cars');
          assert.equal(profile.status, 200);
          assert.deepEqual(profile.data.services.map((s) => s.code), ['oil']);
          const week = await apiJson(base(), 'GET', `/public/dealers/rotterdam-cars/availability?services=oil&from=${addDays(todayIn(ZONE), 1)}&days=7`);
          assert.ok(week.data.slots.length > 0, 'free times');
          assert.ok(week.data.slots.every((s) => weekday(s.start.slice(0, 10)) >= 1 && weekday(s.start.slice(0, 10)) <= 5), 'on weekdays only');

          /* A second save is conditional on the first. */
          await field(page, 'phone').fill('+31 10 555 0100');
          const again = await save(page, 200);
          assert.equal(again.request().headers()['if-match'], '"v1"');
        }
      },

      {
        name: 'en, keyboard only: Tab to Saturday, type, Enter saves; Space opens Sunday; a bay moves up; Tab reaches Save and Enter saves',
        locale: 'en-GB',
        async run(page) {
          await openWorkshop(page, t, 'en');
          /* From the heading (focused on arrival) onwards, keys only. */
          await page.locator('[data-testid="page-title"]').focus();
          const reached = await tabTo(page, (i) => i.key === 'hours.sat.0.from', 'Saturday\'s first time', 120);
          assert.ok(reached.visible, 'the focused field shows a focus ring (:focus-visible)');
          await page.keyboard.press('Control+A');
          await page.keyboard.type('07:30');
          const [first] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/workshop') && r.request().method() === 'PUT'),
            page.keyboard.press('Enter')
          ]);
          assert.equal(first.status(), 200);
          assert.deepEqual(first.request().postDataJSON().opening_hours.sat[0], ['07:30', '12:00']);
          await expectText(page, 'workshop-saved', t('en', 'workshop.saved'));
          assert.equal((await activeKey(page)).key, 'hours.sat.0.from', 'focus stays where it was');

          await tabTo(page, (i) => i.testid === 'hours-closed-sun', 'Sunday\'s "closed"', 20);
          await page.keyboard.press('Space');
          await eventually(async () => assert.equal(await field(page, 'hours.sun.0.from').count(), 1, 'Sunday opens'));
          assert.equal((await activeKey(page)).testid, 'hours-closed-sun', 'focus stays on the checkbox');
          /* The inspection lane becomes the second choice: ↑ on it. */
          await tabTo(page, (i) => i.key === 'resources.2.up', 'the lane\'s "move up"', 120);
          await page.keyboard.press('Enter');
          await eventually(async () => assert.equal((await activeKey(page)).key, 'resources.1.up', 'focus follows the moved bay'));
          assert.deepEqual(await page.locator('[data-testid="resource"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))),
            ['bay-1', 'lane', 'bay-2']);
          const button = await tabTo(page, (i) => i.testid === 'workshop-save', 'the Save button', 200);
          assert.ok(button.visible, 'Save shows a focus ring');
          const [second] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/workshop') && r.request().method() === 'PUT'),
            page.keyboard.press('Enter')
          ]);
          assert.equal(second.status(), 200);
          assert.deepEqual(second.request().postDataJSON().opening_hours.sun, [['08:00', '17:00']]);
          assert.deepEqual(second.request().postDataJSON().resources.map((r) => r.id), ['bay-1', 'lane', 'bay-2'], 'ids kept, new order');
          await expectText(page, 'workshop-saved', t('en', 'workshop.saved'));
          const week = await apiJson(base(), 'GET', `/public/dealers/${SLUG}/availability?services=tires&from=${addDays(todayIn(ZONE), 2)}&days=7`);
          assert.ok(week.data.slots.some((s) => weekday(s.start.slice(0, 10)) === 0), 'Sunday is bookable now');
        }
      },

      {
        name: 'en: unsaved edits are not lost without asking: another page or language asks (cancel stays, OK leaves); none after saving',
        locale: 'en-GB',
        async run(page) {
          await openWorkshop(page, t, 'en');
          const key = 'hours.sat.0.from';
          const before = await field(page, key).inputValue();
          const edited = before === '07:15' ? '07:45' : '07:15';
          await field(page, key).fill(edited);
          await expectVisible(page, 'workshop-dirty');
          const dialogs = [];
          page.on('dialog', (d) => dialogs.push(d.type()));

          /* Another route: cancel, and the page and the edit are still there. */
          let asked = null;
          page.once('dialog', (d) => { asked = d; d.dismiss(); });
          await tid(page, 'nav-customers').click();
          await eventually(async () => assert.ok(asked, 'leaving with unsaved changes asks'));
          assert.equal(asked.type(), 'confirm');
          assert.equal(asked.message(), t('en', 'workshop.leaveConfirm'));
          await page.waitForTimeout(300);
          assert.equal(new URL(page.url()).hash, '#/workshop', 'the URL stays on the workshop');
          await expectText(page, 'page-title', t('en', 'pages.workshop.title'));
          assert.equal(await field(page, key).inputValue(), edited, 'the edit is kept');
          await expectVisible(page, 'workshop-dirty');

          /* Another language: cancel keeps English and the edit. */
          asked = null;
          page.once('dialog', (d) => { asked = d; d.dismiss(); });
          await tid(page, 'lang-select').selectOption('fr');
          await eventually(async () => assert.ok(asked, 'switching language with unsaved changes asks'));
          await page.waitForTimeout(300);
          assert.equal(await htmlLang(page), 'en');
          assert.equal(await tid(page, 'lang-select').inputValue(), 'en', 'the selector shows the language kept');
          assert.equal(await field(page, key).inputValue(), edited, 'the edit is kept');

          /* Closing the tab: the page asks through beforeunload. */
          const prevented = await page.evaluate(() => {
            const e = new Event('beforeunload', { cancelable: true });
            window.dispatchEvent(e);
            return e.defaultPrevented;
          });
          assert.equal(prevented, true, 'beforeunload is cancelled while edits are unsaved');

          /* Accept: the other page opens. */
          asked = null;
          page.once('dialog', (d) => { asked = d; d.accept(); });
          await tid(page, 'nav-customers').click();
          await eventually(async () => assert.ok(asked, 'asked again'));
          await expectText(page, 'page-title', t('en', 'pages.customers.title'));
          assert.equal(new URL(page.url()).hash, '#/customers');
          const gone = await page.evaluate(() => {
            const e = new Event('beforeunload', { cancelable: true });
            window.dispatchEvent(e);
            return e.defaultPrevented;
          });
          assert.equal(gone, false, 'the beforeunload listener went with the page');

          /* Back on the workshop: edit, save, then leave without a question. */
          const count = dialogs.length;
          await tid(page, 'nav-workshop').click();
          await expectVisible(page, 'workshop-form');
          await eventually(async () => assert.equal(await tid(page, 'workshop').getAttribute('aria-busy'), null, 'loaded'));
          assert.equal(await field(page, key).inputValue(), before, 'the edit left unsaved was not saved');
          await field(page, key).fill(edited);
          await expectVisible(page, 'workshop-dirty');
          await save(page, 200);
          await expectText(page, 'workshop-saved', t('en', 'workshop.saved'));
          await tid(page, 'lang-select').selectOption('fr');
          await eventually(async () => assert.equal(await htmlLang(page), 'fr'));
          await tid(page, 'nav-customers').click();
          await expectText(page, 'page-title', t('fr', 'pages.customers.title'));
          assert.equal(dialogs.length, count, 'no question once saved');
        }
      }
    ];
  }
});
