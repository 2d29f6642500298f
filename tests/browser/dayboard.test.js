#!/usr/bin/env node
/*
 * Browser test of the workshop day board (#/day-board), against the real
 * server.
 *
 *   node dayboard.test.js --bin build/forecourt --web web
 *
 * Same harness as shell.test.js (lib.js): a fresh temp dir and database,
 * `<bin> serve --demo` on a free loopback port, Debian's Chromium through
 * playwright-core, a fresh browser context per test, SIGTERM at the end,
 * closing line "N passed, N failed".
 *
 *  - A tire change is booked online (public API) for a day at least two
 *    days ahead. As service@garage-amstel.test (English picked in the
 *    selector) the board opens on today; "Next day" leads to that day,
 *    where the booking sits in its bay. Check in (mileage and the tire set
 *    taken into storage), Start, Ready, Collected: one click each, every
 *    write with X-CSRF-Token; the mileage became a vehicle reading.
 *  - The same customer books again: the new appointment shows the stored
 *    tire set.
 *  - Move: two inspections booked online on one day (the inspection lane is
 *    the only resource with that skill). From the board, one moves to a
 *    free time (the PATCH carries the dealer's offset for that date and
 *    X-CSRF-Token; the server and the card agree); by keyboard only, onto
 *    the other's time: 409, the message and the alternatives, one of which
 *    moves it; the other moves to another day and leaves the board.
 *  - Walk-in: when the demo workshop is not open now (or not long enough
 *    for the service), a 24-hour workshop is configured first through the
 *    API as admin@forecourt.test; the walk-in form books "now" and the new
 *    appointment is on today's board. In Dutch, the user's own language.
 * Screenshots: <tmp>/dayboard.png, <tmp>/dayboard-checkin.png,
 * <tmp>/dayboard-walkin.png.
 */
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');

const { PASSWORD, tid, textOf, expectText, expectVisible, eventually, htmlLang, signIn, runSuite, todayIn, addDays } = require('./lib');

const SLUG = 'garage-amstel';
const ZONE = 'Europe/Amsterdam';
const SERVICE = 'service@garage-amstel.test';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/* ---------------------------------------------------------------------- */
/* Helpers of this suite                                                    */
/* ---------------------------------------------------------------------- */


function dayTitle(ymd, lang) {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(Date.UTC(y, m - 1, d, 12)));
}

async function apiJson(base, method, p, body, token) {
  const headers = {};
  if (body) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/api/v1${p}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: res.status, data };
}

async function apiToken(base, email) {
  const r = await apiJson(base, 'POST', '/auth/login', { email, password: PASSWORD });
  assert.equal(r.status, 200, `API login ${email}`);
  return r.data.token;
}

/* The first free online slot for `services` on or after `minDay`. */
async function freeSlot(base, services, minDay) {
  const from = todayIn(ZONE);
  const r = await apiJson(base, 'GET', `/public/dealers/${SLUG}/availability?services=${services.join(',')}&from=${from}&days=21`);
  assert.equal(r.status, 200, 'availability');
  const slot = r.data.slots.find((s) => s.start.slice(0, 10) >= minDay);
  assert.ok(slot, `a free slot from ${minDay}`);
  return slot;
}

function card(page, reference) {
  return page.locator(`[data-testid="appointment"][data-reference="${reference}"]`);
}

async function signInService(page, lang, t) {
  await page.goto('/');
  const ok = await signIn(page, SERVICE, PASSWORD);
  assert.equal(ok.status, 200);
  await expectVisible(page, 'shell');
  if (lang) {
    await tid(page, 'lang-select').selectOption(lang);
    await eventually(async () => assert.equal(await htmlLang(page), lang));
  }
  await tid(page, 'nav-day-board').click();
  await expectText(page, 'page-title', t(lang || 'nl', 'pages.dayboard.title'));
  await expectVisible(page, 'board-grid');
}

/* Minutes after midnight, now, in the dealer's zone; and the weekday. */
function localNow() {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' })
    .formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return { min: Number(get('hour')) * 60 + Number(get('minute')), wd: get('weekday').toLowerCase().slice(0, 3) };
}

/* As the board writes a time (K.lang() 'en', the dealer's zone). */
function timeText(iso) {
  return new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit', timeZone: ZONE }).format(new Date(iso));
}

/* "HH:MM" of an instant on the dealer's wall clock. */
function wallTime(iso) {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: ZONE }).format(new Date(iso));
}

async function slotsFrom(base, services, from, days) {
  const r = await apiJson(base, 'GET', `/public/dealers/${SLUG}/availability?services=${services.join(',')}&from=${from}&days=${days}`);
  assert.equal(r.status, 200, 'availability');
  return r.data.slots;
}

const shared = { booking: null, customer: null };

/* ---------------------------------------------------------------------- */
/* Tests                                                                    */
/* ---------------------------------------------------------------------- */

runSuite({
  script: 'dayboard.test.js',
  tests: (env) => {
    const { t, tmp } = env;

    return [
      {
        name: 'set-up: a tire change booked online for a day at least two days ahead',
        async direct() {
          const slot = await freeSlot(env.base(), ['tires'], addDays(todayIn(ZONE), 2));
          shared.customer = { name: 'Jasper Hoekstra', email: 'jasper@example.nl', phone: '0687654321' };
          const r = await apiJson(env.base(), 'POST', `/public/dealers/${SLUG}/bookings`, {
            services: ['tires'], start: slot.start, customer: shared.customer, vehicle: { plate: 'JH-12-KL' }, language: 'nl'
          });
          assert.equal(r.status, 201, JSON.stringify(r.data));
          shared.booking = r.data;
        }
      },

      {
        name: 'en: the booking is on its day; Check in (mileage, tire set), Start, Ready, Collected in one click each',
        locale: 'en-GB',
        async run(page) {
          const b = shared.booking;
          assert.ok(b, 'the booking of the set-up');
          const writes = [];
          page.on('request', (req) => {
            if (req.url().includes('/api/v1/appointments') && req.method() !== 'GET') writes.push({ method: req.method(), url: req.url(), headers: req.headers() });
          });
          await signInService(page, 'en', t);

          /* Today first; then "Next day" until the booking's day. */
          const today = todayIn(ZONE);
          await expectText(page, 'board-title', dayTitle(today, 'en'));
          assert.equal(await tid(page, 'board-date').inputValue(), today);
          const day = b.start.slice(0, 10);
          for (let d = today; d < day; d = addDays(d, 1)) {
            await tid(page, 'board-next').click();
            await expectText(page, 'board-title', dayTitle(addDays(d, 1), 'en'));
          }
          assert.equal(new URL(page.url()).hash, `#/day-board?date=${day}`, 'the day is kept in the URL');
          const c = card(page, b.reference);
          await expectVisible(page, 'appointment');
          await c.waitFor();
          assert.equal(await c.getAttribute('data-status'), 'booked');
          assert.equal((await c.locator('[data-testid="appointment-name"]').innerText()).trim(), shared.customer.name);
          assert.equal((await c.locator('[data-testid="appointment-plate"]').innerText()).trim(), 'JH-12-KL');
          assert.equal((await c.locator('[data-testid="appointment-services"]').innerText()).trim(), 'Tire change');
          assert.equal((await c.locator('[data-testid="appointment-status"]').innerText()).trim(), t('en', 'board.status.booked'));
          assert.equal(await c.locator('[data-testid="action-no_show"]').count(), 1, 'no-show is offered for a booked visit');
          /* Placed in its bay's column, below the header. */
          const staff = await apiToken(env.base(), SERVICE);
          const appt = await apiJson(env.base(), 'GET', `/appointments/${b.id}`, null, staff);
          const head = await page.locator(`[data-testid="board-column"][data-resource="${appt.data.resource_id}"]`).boundingBox();
          const box = await c.boundingBox();
          assert.ok(box.x >= head.x - 1 && box.x + box.width <= head.x + head.width + 1, 'the card sits in its bay\'s column');
          await page.screenshot({ path: path.join(tmp, 'dayboard.png'), fullPage: false });
          console.log(`# screenshot: ${path.join(tmp, 'dayboard.png')}`);

          /* Check in: mileage and the tire set taken into storage. */
          await c.locator('[data-testid="action-checked_in"]').click();
          await expectVisible(page, 'checkin-dialog');
          await expectVisible(page, 'checkin-tires');
          await tid(page, 'checkin-mileage').fill('45 210');
          await tid(page, 'tire-size').fill('205/55 R16');
          await tid(page, 'tire-brand').fill('Michelin');
          await tid(page, 'tire-season').selectOption('summer');
          await tid(page, 'tire-tread-fl').fill('6.5');
          await tid(page, 'tire-tread-fr').fill('6,4');
          await tid(page, 'tire-tread-rl').fill('6');
          await tid(page, 'tire-tread-rr').fill('6.1');
          await tid(page, 'tire-location').fill('B-12');
          await page.screenshot({ path: path.join(tmp, 'dayboard-checkin.png'), fullPage: false });
          const [checkin] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith(`/api/v1/appointments/${b.id}`) && r.request().method() === 'PATCH'),
            tid(page, 'checkin-submit').click()
          ]);
          assert.equal(checkin.status(), 200);
          assert.deepEqual(checkin.request().postDataJSON(), {
            status: 'checked_in', mileage_km: 45210,
            tire_set: { size: '205/55 R16', brand: 'Michelin', season: 'summer', location: 'B-12', tread_mm: { fl: 6.5, fr: 6.4, rl: 6, rr: 6.1 } }
          });
          await tid(page, 'checkin-dialog').waitFor({ state: 'detached' });
          await eventually(async () => assert.equal(await c.getAttribute('data-status'), 'checked_in'));
          await expectText(page, 'board-notice', t('en', 'board.announce.checked_in', { name: shared.customer.name }));

          /* Start, Ready, Collected: one click each. */
          for (const [action, status] of [['in_progress', 'in_progress'], ['ready', 'ready'], ['collected', 'collected']]) {
            const [res] = await Promise.all([
              page.waitForResponse((r) => r.url().endsWith(`/api/v1/appointments/${b.id}`) && r.request().method() === 'PATCH'),
              c.locator(`[data-testid="action-${action}"]`).click()
            ]);
            assert.equal(res.status(), 200, `${action} answers 200`);
            assert.deepEqual(res.request().postDataJSON(), { status });
            await eventually(async () => assert.equal(await c.getAttribute('data-status'), status));
            assert.equal((await c.locator('[data-testid="appointment-status"]').innerText()).trim(), t('en', `board.status.${status}`));
          }
          assert.equal(await c.locator('.appt__actions button').count(), 0, 'nothing left to do once collected');

          /* Every write went with the CSRF token of the cookie session. */
          assert.equal(writes.length, 4);
          for (const w of writes) assert.ok(w.headers['x-csrf-token'], `${w.method} ${w.url} carries X-CSRF-Token`);

          /* The server agrees: collected, the mileage, the stored set. */
          const token = await apiToken(env.base(), SERVICE);
          const got = await apiJson(env.base(), 'GET', `/appointments/${b.id}`, null, token);
          assert.equal(got.data.status, 'collected');
          assert.equal(got.data.mileage_km, 45210);
          assert.equal(got.data.stored_tires.size, '205/55 R16');
          assert.equal(got.data.stored_tires.location, 'B-12');
        }
      },

      {
        name: 'en: the customer\'s next booking shows the tire set in storage',
        locale: 'en-GB',
        async run(page) {
          const first = shared.booking;
          const slot = await freeSlot(env.base(), ['tires'], addDays(first.start.slice(0, 10), 1));
          const r = await apiJson(env.base(), 'POST', `/public/dealers/${SLUG}/bookings`,
            { services: ['tires'], start: slot.start, customer: shared.customer, language: 'en' });
          assert.equal(r.status, 201, JSON.stringify(r.data));
          assert.equal(r.data.customer_id, first.customer_id, 'the same customer');
          await signInService(page, 'en', t);
          await tid(page, 'board-date').fill(slot.start.slice(0, 10));
          await expectText(page, 'board-title', dayTitle(slot.start.slice(0, 10), 'en'));
          const tires = card(page, r.data.reference).locator('[data-testid="appointment-tires"]');
          await tires.waitFor({ state: 'visible' });
          const text = (await tires.innerText()).trim();
          assert.ok(text.includes('205/55 R16') && text.includes('Michelin') && text.includes('B-12'), `stored set shown: ${text}`);
          assert.ok(text.startsWith(t('en', 'board.stored', { tires: '' }).trim()), `labelled: ${text}`);

          /* The check-in dialog says which set goes back on the car. */
          await card(page, r.data.reference).locator('[data-testid="action-checked_in"]').click();
          await expectVisible(page, 'checkin-current-tires');
          assert.ok((await textOf(page, 'checkin-current-tires')).includes('205/55 R16'));
          await tid(page, 'checkin-cancel').click();
          await tid(page, 'checkin-dialog').waitFor({ state: 'detached' });
          assert.equal(await card(page, r.data.reference).getAttribute('data-status'), 'booked', 'cancel changes nothing');
        }
      },

      {
        name: 'en: a booked appointment moves from the board: to a free time, onto a taken one (alternatives, keyboard only), to another day',
        locale: 'en-GB',
        async run(page) {
          /* Two inspections on one day: the lane is the only resource for them. */
          const first = await freeSlot(env.base(), ['inspection'], addDays(todayIn(ZONE), 2));
          const day = first.start.slice(0, 10);
          const book = async (start, customer) => {
            const r = await apiJson(env.base(), 'POST', `/public/dealers/${SLUG}/bookings`,
              { services: ['inspection'], start, customer, language: 'en' });
            assert.equal(r.status, 201, JSON.stringify(r.data));
            return r.data;
          };
          const a = await book(first.start, { name: 'Anouk de Wit', email: 'anouk@example.nl', phone: '0611112222' });
          const after = (await slotsFrom(env.base(), ['inspection'], day, 1)).filter((s) => s.start.slice(0, 10) === day);
          const bSlot = after.find((s) => Date.parse(s.start) >= Date.parse(a.end) + 60 * 60000);
          assert.ok(bSlot, 'a second free inspection time that day');
          const b = await book(bSlot.start, { name: 'Bram Jansen', email: 'bram@example.nl', phone: '0633334444' });
          const free = (await slotsFrom(env.base(), ['inspection'], day, 1))
            .filter((s) => s.start.slice(0, 10) === day && s.start !== a.start && Date.parse(s.start) >= Date.parse(b.end));
          assert.ok(free.length, 'a free time after both');
          const target = free[free.length - 1];
          const staff = await apiToken(env.base(), SERVICE);
          const startOf = async (id) => (await apiJson(env.base(), 'GET', `/appointments/${id}`, null, staff)).data.start;

          await signInService(page, 'en', t);
          await tid(page, 'board-date').fill(day);
          await expectText(page, 'board-title', dayTitle(day, 'en'));
          const ca = card(page, a.reference);
          const cb = card(page, b.reference);
          await ca.waitFor();
          await cb.waitFor();
          assert.equal(await cb.locator('[data-testid="action-move"]').count(), 1, 'a booked card offers Move');

          /* 1. To a free time, with the mouse. */
          await ca.locator('[data-testid="action-move"]').click();
          const form = ca.locator('[data-testid="move-form"]');
          await form.waitFor();
          assert.equal(await form.locator('[data-testid="move-date"]').inputValue(), day, 'the form starts on the appointment\'s day');
          assert.equal(await form.locator('[data-testid="move-time"]').inputValue(), wallTime(a.start), '… and time');
          /* Labelled fields. */
          assert.equal(await page.getByLabel(t('en', 'board.move.time')).count(), 1);
          assert.equal(await page.getByLabel(t('en', 'board.move.date')).count(), 1);
          await form.locator('[data-testid="move-time"]').fill(wallTime(target.start));
          const [moved] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith(`/api/v1/appointments/${a.id}`) && r.request().method() === 'PATCH'),
            form.locator('[data-testid="move-submit"]').click()
          ]);
          assert.equal(moved.status(), 200, await moved.text());
          const sent = moved.request().postDataJSON();
          assert.deepEqual(Object.keys(sent), ['start']);
          assert.equal(Date.parse(sent.start), Date.parse(target.start), `sent ${sent.start} for ${target.start}`);
          assert.equal(sent.start.slice(-6), target.start.slice(-6), 'the dealer\'s offset on that date');
          assert.ok(moved.request().headers()['x-csrf-token'], 'the move carries X-CSRF-Token');
          assert.equal(Date.parse(await startOf(a.id)), Date.parse(target.start), 'the server moved it');
          await form.waitFor({ state: 'detached' });
          await eventually(async () => assert.ok((await ca.locator('.appt__time').innerText()).startsWith(timeText(target.start)),
            'the card shows the new time'));
          await expectText(page, 'board-notice', t('en', 'board.move.done', { name: 'Anouk de Wit', when: timeText(target.start) }));

          /* 2. Keyboard only: onto Bram's time; the lane is taken. */
          await ca.locator('[data-testid="action-move"]').focus();
          await page.keyboard.press('Enter');
          await form.waitFor();
          const focused = () => page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-testid'));
          assert.equal(await focused(), 'move-date', 'focus moves into the form');
          /* Tab walks the date's day, month and year first. */
          const tabUntil = async (testid) => {
            for (let i = 0; i < 6 && await focused() !== testid; i++) await page.keyboard.press('Tab');
            assert.equal(await focused(), testid, `Tab reaches ${testid}`);
          };
          await tabUntil('move-time');
          const bTime = wallTime(b.start);
          await page.keyboard.type(bTime.replace(':', ''));
          if (await form.locator('[data-testid="move-time"]').inputValue() !== bTime) {
            /* A 12-hour field (the browser's own locale): set AM/PM too
             * (the field moved on to it after the minutes). */
            await page.keyboard.type(Number(bTime.slice(0, 2)) < 12 ? 'A' : 'P');
          }
          assert.equal(await form.locator('[data-testid="move-time"]').inputValue(), bTime);
          await tabUntil('move-cancel');
          await page.keyboard.press('Tab');
          assert.equal(await focused(), 'move-submit');
          const [taken] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith(`/api/v1/appointments/${a.id}`) && r.request().method() === 'PATCH'),
            page.keyboard.press('Enter')
          ]);
          assert.equal(taken.status(), 409);
          const alternatives = (await taken.json()).error.alternatives;
          assert.ok(alternatives.length > 0, 'the server offers alternatives');
          const error = form.locator('[data-testid="move-error"]');
          await error.waitFor();
          assert.ok((await error.innerText()).startsWith(t('en', 'board.move.taken')), 'the conflict is said');
          const offered = form.locator('[data-testid="move-alternative"]');
          assert.equal(await offered.count(), alternatives.length, 'every alternative is a button');
          assert.equal(await focused(), 'move-alternative', 'focus on the first alternative');
          assert.equal(Date.parse(await startOf(a.id)), Date.parse(target.start), 'nothing moved');
          const alt = alternatives[0].start;
          assert.equal(await offered.first().getAttribute('data-start'), alt);
          const [retried] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith(`/api/v1/appointments/${a.id}`) && r.request().method() === 'PATCH'),
            page.keyboard.press('Enter')
          ]);
          assert.equal(retried.status(), 200, await retried.text());
          assert.deepEqual(retried.request().postDataJSON(), { start: alt });
          assert.equal(Date.parse(await startOf(a.id)), Date.parse(alt), 'moved to the alternative');
          const altWhen = (alt.slice(0, 10) !== day ? dayTitle(alt.slice(0, 10), 'en') + ', ' : '') + timeText(alt);
          await expectText(page, 'board-notice', t('en', alt.slice(0, 10) === day ? 'board.move.done' : 'board.move.doneAway', { name: 'Anouk de Wit', when: altWhen }));
          if (alt.slice(0, 10) === day) {
            await eventually(async () => assert.ok((await ca.locator('.appt__time').innerText()).startsWith(timeText(alt))));
          }

          /* 3. Bram to another day: off this day's board. */
          const later = (await slotsFrom(env.base(), ['inspection'], addDays(day, 1), 7))[0];
          assert.ok(later, 'a free inspection time on a later day');
          await cb.locator('[data-testid="action-move"]').click();
          const formB = cb.locator('[data-testid="move-form"]');
          await formB.locator('[data-testid="move-date"]').fill(later.start.slice(0, 10));
          await formB.locator('[data-testid="move-time"]').fill(wallTime(later.start));
          const [away] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith(`/api/v1/appointments/${b.id}`) && r.request().method() === 'PATCH'),
            formB.locator('[data-testid="move-submit"]').click()
          ]);
          assert.equal(away.status(), 200, await away.text());
          assert.equal(away.request().postDataJSON().start.slice(-6), later.start.slice(-6), 'the offset of that later date');
          assert.equal(Date.parse(await startOf(b.id)), Date.parse(later.start));
          await cb.waitFor({ state: 'detached' });
          await expectText(page, 'board-notice', t('en', 'board.move.doneAway', { name: 'Bram Jansen', when: `${dayTitle(later.start.slice(0, 10), 'en')}, ${timeText(later.start)}` }));
          assert.equal((await textOf(page, 'board-title')).trim(), dayTitle(day, 'en'), 'the board stays on its day');
        }
      },
      {
        name: 'nl: a walk-in (on a workshop open now) appears on today\'s board',
        locale: 'nl-NL',
        async run(page) {
          /* Open now, for long enough? Otherwise a 24-hour workshop. */
          const admin = await apiToken(env.base(), 'admin@forecourt.test');
          const dealers = await apiJson(env.base(), 'GET', '/dealers?limit=100', null, admin);
          const dealer = dealers.data.items.find((d) => d.slug === SLUG);
          const ws = await apiJson(env.base(), 'GET', `/dealers/${dealer.id}/workshop`, null, admin);
          assert.equal(ws.status, 200);
          const now = localNow();
          const today = todayIn(ZONE);
          if (now.min + 32 > 24 * 60) {
            /* A 30-minute walk-in must end today (opening intervals end at 24:00 at the
             * latest): in the last half hour before midnight there is none to take. */
            console.log('# the last half hour before midnight in ' + ZONE + ': no walk-in can be taken today, skipped');
            return;
          }
          const toMin = (hm) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
          const open = !(ws.data.closures || []).includes(today) &&
            (ws.data.opening_hours[now.wd] || []).some(([a, b]) => toMin(a) <= now.min + 1 && now.min + 45 <= toMin(b));
          if (!open) {
            const doc = Object.assign({}, ws.data, {
              opening_hours: Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '24:00']]])),
              closures: []
            });
            const put = await apiJson(env.base(), 'PUT', `/dealers/${dealer.id}/workshop`, doc, admin);
            assert.equal(put.status, 200, `24-hour workshop: ${JSON.stringify(put.data)}`);
            console.log('# the demo workshop is closed now: configured a 24-hour workshop first');
          }

          await signInService(page, null, t);   /* Sem Bakker's own language: Dutch */
          assert.equal(await htmlLang(page), 'nl');
          await expectText(page, 'board-title', dayTitle(today, 'nl'));
          await tid(page, 'walk-in-open').click();
          await expectVisible(page, 'walkin-dialog');
          /* The form asks first. */
          await tid(page, 'walkin-submit').click();
          await expectText(page, 'walkin-name-error', t('nl', 'board.walkin.nameRequired'));
          await expectText(page, 'walkin-services-error', t('nl', 'board.walkin.servicesRequired'));
          await tid(page, 'walkin-name').fill('Karin Mulder');
          await tid(page, 'walkin-phone').fill('06 9876 5432');
          await tid(page, 'walkin-plate').fill('zz-99-aa');
          await tid(page, 'walkin-service-tires').check();
          const [made] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/api/v1/appointments') && r.request().method() === 'POST'),
            tid(page, 'walkin-submit').click()
          ]);
          const body = await made.json();
          assert.equal(made.status(), 201, JSON.stringify(body));
          assert.deepEqual(made.request().postDataJSON(), {
            channel: 'walk_in', services: ['tires'], customer: { name: 'Karin Mulder', phone: '06 9876 5432' }, vehicle: { plate: 'ZZ-99-AA' }
          });
          assert.ok(made.request().headers()['x-csrf-token'], 'the walk-in carries X-CSRF-Token');
          await tid(page, 'walkin-dialog').waitFor({ state: 'detached' });
          await expectText(page, 'board-title', dayTitle(body.start.slice(0, 10), 'nl'));
          const c = page.locator(`[data-testid="appointment"][data-id="${body.id}"]`);
          await c.waitFor();
          assert.equal((await c.locator('[data-testid="appointment-name"]').innerText()).trim(), 'Karin Mulder');
          assert.equal((await c.locator('[data-testid="appointment-status"]').innerText()).trim(), t('nl', 'board.status.booked'));
          assert.ok((await c.innerText()).includes(t('nl', 'board.channel.walk_in')), 'marked as a walk-in');
          assert.ok((await textOf(page, 'board-notice')).includes('Karin Mulder'));
          await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-testid')), 'action-checked_in',
            'focus moves to the new appointment'));
          await page.screenshot({ path: path.join(tmp, 'dayboard-walkin.png'), fullPage: false });
          console.log(`# screenshot: ${path.join(tmp, 'dayboard-walkin.png')}`);
        }
      }
    ];
  }
});
