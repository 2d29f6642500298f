#!/usr/bin/env node
/*
 * Browser test of the public booking pages, against the real server.
 *
 *   node booking.test.js --bin build/forecourt --web web
 *
 * Same harness as shell.test.js (lib.js): a fresh temp dir and database,
 * `<bin> serve --demo` on a free loopback port, Debian's Chromium through
 * playwright-core, a fresh browser context per test, SIGTERM at the end,
 * closing line "N passed, N failed".
 *
 *  - The server answers /book/<slug> and /manage/<token> with the booking
 *    page (web/book/index.html); an unknown dealer gets a clear message.
 *  - English, on a 360×740 screen, keyboard only for the service choice and
 *    the time pick: "oil", a day at least two days ahead, its first time
 *    (held for 5 minutes), name / phone / e-mail (field errors first),
 *    confirm → the reference; the calendar link answers text/calendar.
 *  - The manage page of that booking: move it to another time (PATCH), then
 *    cancel it (DELETE); the calendar file follows (SEQUENCE, CANCEL).
 *  - French (the browser's language; the selector switches to Dutch and
 *    back): oil + tires; the chosen time is taken behind the page's back,
 *    so the hold answers 409 and the page offers the alternatives; one of
 *    them is booked; the manage page is in French too.
 *  - A hold the customer leaves is given back: an inspection (only the
 *    inspection lane can do it, so a held time is gone for everyone) at
 *    time A, "back", time B: the availability offers A again at once, not
 *    after the hold's 5 minutes; leaving the page gives B back too.
 * Screenshots: <tmp>/book-360.png, <tmp>/book-details-360.png,
 * <tmp>/confirmation.png, <tmp>/manage.png, <tmp>/book-alternatives.png.
 */
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');

const { PASSWORD, tid, textOf, expectText, expectVisible, eventually, htmlLang, runSuite, todayIn, addDays } = require('./lib');

const SLUG = 'garage-amstel';
const ZONE = 'Europe/Amsterdam';

/* ---------------------------------------------------------------------- */
/* Helpers of this suite                                                    */
/* ---------------------------------------------------------------------- */


async function apiJson(base, method, p, body, token) {
  const headers = {};
  if (body) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/api/v1${p}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: res.status, data, headers: res.headers };
}

async function apiToken(base, email) {
  const r = await apiJson(base, 'POST', '/auth/login', { email, password: PASSWORD });
  assert.equal(r.status, 200, `API login ${email}`);
  return r.data.token;
}

async function activeInfo(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    return a ? { testid: a.getAttribute('data-testid'), date: a.getAttribute('data-date'), start: a.getAttribute('data-start'),
      visible: a.matches(':focus-visible'), tag: a.tagName } : {};
  });
}

/* Tab (never more than `max` times) until the focused element matches. */
async function tabTo(page, predicate, what, max = 40) {
  for (let i = 0; i < max; i++) {
    const info = await activeInfo(page);
    if (predicate(info)) return info;
    await page.keyboard.press('Tab');
  }
  throw new Error(`keyboard: could not reach ${what} with Tab`);
}

async function noHorizontalScroll(page) {
  const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(sw <= cw, `page fits the screen (scrollWidth ${sw} > ${cw})`);
}

/* No t() key leaked to the screen. */
async function assertNoRawKeys(page) {
  const text = await page.locator('body').innerText();
  const leak = /\b(?:book|board|form|errors)\.[a-zA-Z][\w.-]*/.exec(text);
  assert.equal(leak, null, `untranslated key on screen: ${leak && leak[0]}`);
}

async function calendar(page, href) {
  const res = await page.request.get(href);
  assert.equal(res.status(), 200, 'calendar file answers 200');
  assert.match(res.headers()['content-type'] || '', /^text\/calendar/, 'calendar file is text/calendar');
  const body = await res.text();
  assert.match(body, /^BEGIN:VCALENDAR\r\n/);
  assert.match(body, /\r\nBEGIN:VEVENT\r\n/);
  return body;
}

async function waitForDays(page) {
  await expectVisible(page, 'times-title');
  await eventually(async () => assert.ok(await page.locator('[data-testid="day"]:not([disabled])').count() > 0, 'free days shown'));
}

/* Shared between the tests (they run in order). */
const shared = { booking: null };

/* ---------------------------------------------------------------------- */
/* Tests                                                                    */
/* ---------------------------------------------------------------------- */

runSuite({
  script: 'booking.test.js',
  tests: (env) => {
    const { t, tmp } = env;
    const base = () => env.base();

    return [
      {
        name: 'the server answers /book/<slug> and /manage/<token> with the booking page',
        async direct() {
          for (const p of [`/book/${SLUG}`, `/book/${SLUG}?lang=fr`, '/manage/fcb_unknown', `/book/?d=${SLUG}`]) {
            const res = await fetch(`${base()}${p}`);
            assert.equal(res.status, 200, `${p} answers 200`);
            assert.match(res.headers.get('content-type') || '', /^text\/html/, `${p} is HTML`);
            assert.match(await res.text(), /\/book\/book\.js/, `${p} is the booking page`);
          }
        }
      },

      {
        name: 'en: an unknown dealer and an unknown manage link get a clear message',
        locale: 'en-GB',
        async run(page) {
          await page.goto('/book/no-such-garage');
          await expectText(page, 'step-title', t('en', 'book.notFound.title'));
          await tid(page, 'lang-select').selectOption('nl');
          await expectText(page, 'step-title', t('nl', 'book.notFound.title'));
          await page.goto('/book/?lang=fr');
          await expectText(page, 'step-title', t('fr', 'book.noDealer.title'));
          await page.goto('/manage/fcb_nothing_here');
          await expectText(page, 'step-title', t('en', 'book.manage.notFound'));
          assert.equal(await htmlLang(page), 'en');
        }
      },

      {
        name: 'en, 360×740, keyboard only: oil, a day ≥ 2 days ahead, the first time → held → confirmed with a reference',
        locale: 'en-US',
        viewport: { width: 360, height: 740 },
        async run(page) {
          const requests = [];
          page.on('request', (req) => { if (req.url().includes('/api/v1/')) requests.push({ method: req.method(), url: req.url(), headers: req.headers() }); });

          await page.goto(`/book/${SLUG}`);
          await expectText(page, 'dealer-name', 'Garage Amstel');
          await expectText(page, 'step-title', t('en', 'book.services.title'));
          assert.equal(await htmlLang(page), 'en');
          assert.equal(await tid(page, 'lang-select').inputValue(), 'en');
          await assertNoRawKeys(page);
          await noHorizontalScroll(page);

          /* Step 1 by keyboard: Tab to "oil", Space, Tab to the button, Enter. */
          const oil = await tabTo(page, (i) => i.testid === 'service-oil', 'the oil checkbox');
          assert.ok(oil.visible, 'the focused checkbox shows a focus ring (:focus-visible)');
          await page.keyboard.press('Space');
          assert.equal(await tid(page, 'service-oil').isChecked(), true);
          assert.ok((await textOf(page, 'services-total')).includes('149'), 'the total shows the price');
          await tabTo(page, (i) => i.testid === 'services-continue', 'the continue button');
          await page.keyboard.press('Enter');

          /* Step 2: the day strip, then the times of the chosen day. */
          await expectText(page, 'step-title', t('en', 'book.time.title'));
          await waitForDays(page);
          await noHorizontalScroll(page);
          const minDay = addDays(todayIn(ZONE), 2);
          let day = await tabTo(page, (i) => i.testid === 'day', 'the day strip');
          for (let i = 0; i < 20 && day.date < minDay; i++) {
            await page.keyboard.press('ArrowRight');
            day = await activeInfo(page);
            assert.equal(day.testid, 'day', 'arrow keys stay in the day strip');
          }
          assert.ok(day.date >= minDay, `a day at least two days ahead (${day.date})`);
          await page.keyboard.press('Enter');
          await eventually(async () => assert.equal(await page.locator(`[data-testid="day"][data-date="${day.date}"]`).getAttribute('aria-pressed'), 'true'));
          await eventually(async () => {
            const firstStart = await tid(page, 'time').first().getAttribute('data-start');
            assert.equal(firstStart.slice(0, 10), day.date, 'times of the chosen day');
          });
          const firstTime = await tid(page, 'time').first().getAttribute('data-start');
          await page.screenshot({ path: path.join(tmp, 'book-360.png'), fullPage: true });
          console.log(`# screenshot: ${path.join(tmp, 'book-360.png')}`);
          await eventually(async () => assert.ok((await textOf(page, 'live')).length > 0, 'the new times are announced (aria-live)'));
          await page.keyboard.press('Tab');
          const timeInfo = await activeInfo(page);
          assert.equal(timeInfo.testid, 'time', 'Tab goes from the day strip to the times');
          assert.equal(timeInfo.start, firstTime, 'the first time of the day');
          const [hold] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith(`/public/dealers/${SLUG}/holds`) && r.request().method() === 'POST'),
            page.keyboard.press('Enter')
          ]);
          assert.equal(hold.status(), 201, 'the time is held');
          const held = await hold.json();
          assert.deepEqual(hold.request().postDataJSON(), { services: ['oil'], start: firstTime });

          /* Step 3: held for 5 minutes; details. */
          await expectText(page, 'step-title', t('en', 'book.details.title'));
          await expectVisible(page, 'hold-notice');
          assert.ok((await textOf(page, 'hold-notice')).includes('5'), 'says the time is held for 5 minutes');
          await eventually(async () => assert.match(await textOf(page, 'hold-countdown'), /[0-4]:[0-5]\d/));
          await tid(page, 'confirm').click();
          await expectText(page, 'error-name', t('en', 'book.errors.nameRequired'));
          await expectText(page, 'error-phone', t('en', 'book.errors.contactRequired'));
          assert.equal(await tid(page, 'field-name').getAttribute('aria-invalid'), 'true');
          assert.equal(await activeInfo(page).then((i) => i.testid), 'field-name', 'focus on the first field in error');
          await tid(page, 'field-name').fill('Ada Lovelace');
          await tid(page, 'field-phone').fill('06 1122 3344');
          await tid(page, 'field-email').fill('ada@example.com');
          await tid(page, 'field-plate').fill('ab-123-c');
          await page.screenshot({ path: path.join(tmp, 'book-details-360.png'), fullPage: true });
          await noHorizontalScroll(page);
          const [booked] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith(`/public/dealers/${SLUG}/bookings`) && r.request().method() === 'POST'),
            tid(page, 'confirm').click()
          ]);
          assert.equal(booked.status(), 201);
          const sent = booked.request().postDataJSON();
          assert.equal(sent.hold_token, held.hold_token, 'the booking carries the hold');
          assert.deepEqual(sent.customer, { name: 'Ada Lovelace', phone: '06 1122 3344', email: 'ada@example.com' });
          assert.deepEqual(sent.vehicle, { plate: 'AB-123-C' });
          assert.equal(sent.language, 'en');
          assert.deepEqual(sent.services, ['oil']);
          const body = await booked.json();
          assert.match(body.reference, /^FC-[A-Z0-9]{5}$/);

          /* Step 4: the confirmation. */
          await expectText(page, 'reference', body.reference);
          await expectText(page, 'done-title', t('en', 'book.done.title'));
          assert.ok((await textOf(page, 'email-sent')).includes('ada@example.com'));
          const when = await textOf(page, 'done-when');
          assert.ok(when.includes(String(Number(day.date.slice(8)))), `the date is shown (${when})`);
          await noHorizontalScroll(page);
          await assertNoRawKeys(page);
          await page.screenshot({ path: path.join(tmp, 'confirmation.png'), fullPage: true });
          console.log(`# screenshot: ${path.join(tmp, 'confirmation.png')}`);

          const href = await tid(page, 'calendar-link').getAttribute('href');
          assert.equal(href, `/api/v1/public/bookings/${encodeURIComponent(body.manage_token)}/calendar.ics`);
          const ics = await calendar(page, href);
          assert.match(ics, /\r\nMETHOD:PUBLISH\r\n/);
          assert.match(ics, /\r\nSEQUENCE:0\r\n/);
          assert.ok(ics.includes(body.reference), 'the calendar event names the reference');
          const manageHref = await tid(page, 'manage-link').getAttribute('href');
          assert.equal(manageHref, `/manage/${encodeURIComponent(body.manage_token)}?lang=en`);

          /* The public calls go without cookies or CSRF tokens. */
          for (const r of requests.filter((x) => x.method !== 'GET')) assert.equal(r.headers.cookie, undefined, 'no cookie on public calls');
          shared.booking = { reference: body.reference, token: body.manage_token, start: body.start, manageHref, ics: href };
        }
      },

      {
        name: 'en: the manage page moves the booking to another time, then cancels it',
        locale: 'en-GB',
        async run(page) {
          assert.ok(shared.booking, 'a booking from the test before');
          const b = shared.booking;
          await page.goto(b.manageHref);
          await expectText(page, 'step-title', t('en', 'book.manage.title'));
          await expectText(page, 'booking-reference', b.reference);
          await expectText(page, 'booking-status', t('en', 'book.manage.status.booked'));
          const before = await textOf(page, 'booking-when');

          /* Move: pick another time of the same day, confirm. */
          await tid(page, 'move').click();
          await expectVisible(page, 'move-section');
          await waitForDays(page);
          await eventually(async () => assert.equal(await page.locator('[data-testid="day"][aria-pressed="true"]').getAttribute('data-date'), b.start.slice(0, 10)));
          const other = page.locator(`[data-testid="move-section"] [data-testid="time"]:not([data-start="${b.start}"])`).first();
          const newStart = await other.getAttribute('data-start');
          await other.click();
          assert.equal(await other.getAttribute('aria-pressed'), 'true');
          assert.equal(await tid(page, 'move-confirm').isDisabled(), false);
          const [moved] = await Promise.all([
            page.waitForResponse((r) => r.url().includes('/api/v1/public/bookings/') && r.request().method() === 'PATCH'),
            tid(page, 'move-confirm').click()
          ]);
          assert.equal(moved.status(), 200);
          assert.deepEqual(moved.request().postDataJSON(), { start: newStart });
          await expectVisible(page, 'manage-notice');
          await eventually(async () => assert.notEqual(await textOf(page, 'booking-when'), before));
          const view = await apiJson(env.base(), 'GET', `/public/bookings/${encodeURIComponent(b.token)}`);
          assert.equal(view.data.start, newStart, 'the server has the new time');
          assert.match(await calendar(page, b.ics), /\r\nSEQUENCE:1\r\n/);
          await page.screenshot({ path: path.join(tmp, 'manage.png'), fullPage: true });

          /* Cancel: a dialog asks first; "keep" keeps it. */
          await tid(page, 'cancel').click();
          await expectVisible(page, 'cancel-dialog');
          await tid(page, 'cancel-keep').click();
          await tid(page, 'cancel-dialog').waitFor({ state: 'detached' });
          await expectText(page, 'booking-status', t('en', 'book.manage.status.booked'));
          await tid(page, 'cancel').click();
          const [cancelled] = await Promise.all([
            page.waitForResponse((r) => r.url().includes('/api/v1/public/bookings/') && r.request().method() === 'DELETE'),
            tid(page, 'cancel-confirm').click()
          ]);
          assert.equal(cancelled.status(), 200);
          await expectText(page, 'booking-status', t('en', 'book.manage.status.cancelled'));
          await expectText(page, 'manage-notice', t('en', 'book.manage.cancelled'));
          assert.equal(await tid(page, 'move').count(), 0, 'a cancelled booking cannot be moved');
          const ics = await calendar(page, b.ics);
          assert.match(ics, /\r\nMETHOD:CANCEL\r\n/);
          assert.match(ics, /\r\nSTATUS:CANCELLED\r\n/);
          await assertNoRawKeys(page);
        }
      },

      {
        name: 'en: a hold the customer leaves (back, another time, the page closed) is given back at once',
        locale: 'en-GB',
        async run(page) {
          const offered = async (day) => {
            const r = await apiJson(env.base(), 'GET', `/public/dealers/${SLUG}/availability?services=inspection&from=${day}&days=1`);
            assert.equal(r.status, 200);
            return r.data.slots.map((s) => s.start);
          };
          await page.goto(`/book/${SLUG}?lang=en`);
          await tid(page, 'service-inspection').check();
          await tid(page, 'services-continue').click();
          await waitForDays(page);
          const minDay = addDays(todayIn(ZONE), 2);
          const dates = await page.locator('[data-testid="day"]:not([disabled])').evaluateAll((els) => els.map((e) => e.getAttribute('data-date')));
          const date = dates.find((d) => d >= minDay);
          assert.ok(date, `a free day from ${minDay}`);
          await page.locator(`[data-testid="day"][data-date="${date}"]`).click();
          await eventually(async () => assert.equal((await tid(page, 'time').first().getAttribute('data-start')).slice(0, 10), date));
          const times = await tid(page, 'time').evaluateAll((els) => els.map((e) => e.getAttribute('data-start')));
          assert.ok(times.length >= 4, 'several times that day');
          const timeA = times[0];
          const timeB = times[times.length - 1];
          assert.ok((await offered(date)).includes(timeA), 'A is free to begin with');

          /* Time A: held, so nobody else is offered it (one lane). */
          const [holdA] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/holds') && r.request().method() === 'POST'),
            page.locator(`[data-testid="time"][data-start="${timeA}"]`).click()
          ]);
          assert.equal(holdA.status(), 201);
          const tokenA = (await holdA.json()).hold_token;
          await expectText(page, 'step-title', t('en', 'book.details.title'));
          assert.ok(!(await offered(date)).includes(timeA), 'a held time is not offered');

          /* Back to the times: A is given back. */
          const [released] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes('/holds/')),
            tid(page, 'details-back').click()
          ]);
          assert.equal(released.status(), 204);
          assert.equal(new URL(released.url()).pathname, `/api/v1/public/dealers/${SLUG}/holds/${encodeURIComponent(tokenA)}`);
          await expectText(page, 'step-title', t('en', 'book.time.title'));
          await eventually(async () => assert.ok((await offered(date)).includes(timeA), 'A is offered again'));

          /* Time B: held; A stays free. */
          await eventually(async () => assert.equal((await tid(page, 'time').first().getAttribute('data-start')).slice(0, 10), date));
          const [holdB] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/holds') && r.request().method() === 'POST'),
            page.locator(`[data-testid="time"][data-start="${timeB}"]`).click()
          ]);
          assert.equal(holdB.status(), 201);
          await expectText(page, 'step-title', t('en', 'book.details.title'));
          const now = await offered(date);
          assert.ok(now.includes(timeA), 'A still offered while B is held');
          assert.ok(!now.includes(timeB), 'B is held');

          /* Leaving the page gives B back (pagehide, keepalive). */
          await page.goto('about:blank');
          await eventually(async () => assert.ok((await offered(date)).includes(timeB), 'B is offered again after the page was left'));
        }
      },

      {
        name: 'fr (browser language, selector to nl and back): oil + tires; a taken time shows the alternatives; one is booked',
        locale: 'fr-FR',
        async run(page) {
          await page.goto(`/book/${SLUG}`);
          await expectText(page, 'step-title', t('fr', 'book.services.title'));
          assert.equal(await htmlLang(page), 'fr');

          /* The selector switches in place and keeps the choice in the URL. */
          await tid(page, 'service-oil').check();
          await tid(page, 'lang-select').selectOption('nl');
          await expectText(page, 'step-title', t('nl', 'book.services.title'));
          assert.equal(await htmlLang(page), 'nl');
          assert.equal(new URL(page.url()).searchParams.get('lang'), 'nl');
          assert.equal(await tid(page, 'service-oil').isChecked(), true, 'the choice survives the switch');
          await tid(page, 'lang-select').selectOption('fr');
          await expectText(page, 'step-title', t('fr', 'book.services.title'));
          await tid(page, 'service-tires').check();
          await tid(page, 'services-continue').click();
          await expectText(page, 'step-title', t('fr', 'book.time.title'));
          await waitForDays(page);
          await assertNoRawKeys(page);

          /* Pick a day three days ahead or later, then take its first time
           * from under the page's nose: two phone bookings fill both bays. */
          const minDay = addDays(todayIn(ZONE), 3);
          const dates = await page.locator('[data-testid="day"]:not([disabled])').evaluateAll((els) => els.map((e) => e.getAttribute('data-date')));
          const date = dates.find((d) => d >= minDay);
          assert.ok(date, `a free day from ${minDay} (have ${dates.join(', ')})`);
          await page.locator(`[data-testid="day"][data-date="${date}"]`).click();
          await eventually(async () => assert.equal((await tid(page, 'time').first().getAttribute('data-start')).slice(0, 10), date));
          const taken = await tid(page, 'time').first().getAttribute('data-start');
          const token = await apiToken(env.base(), 'service@garage-amstel.test');
          for (let i = 0; i < 2; i++) {
            const r = await apiJson(env.base(), 'POST', '/appointments',
              { channel: 'phone', services: ['oil', 'tires'], start: taken, customer: { name: `Bay filler ${i}`, phone: `+3161000000${i}` } }, token);
            assert.equal(r.status, 201, `phone booking ${i} (${JSON.stringify(r.data)})`);
          }
          const [hold] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/holds') && r.request().method() === 'POST'),
            tid(page, 'time').first().click()
          ]);
          assert.equal(hold.status(), 409);
          await expectVisible(page, 'alternatives');
          assert.ok((await textOf(page, 'alternatives')).includes(t('fr', 'book.time.taken')));
          const alts = (await hold.json()).error.alternatives;
          assert.ok(alts.length > 0, 'the server offers alternatives');
          assert.equal(await tid(page, 'alternative').count(), Math.min(6, alts.length));
          assert.equal(await tid(page, 'alternative').first().getAttribute('data-start'), alts[0].start);
          await eventually(async () => assert.equal(await activeInfo(page).then((i) => i.testid), 'alternative', 'focus moves to the alternatives'));
          await page.screenshot({ path: path.join(tmp, 'book-alternatives.png'), fullPage: true });

          const [hold2] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/holds') && r.request().method() === 'POST'),
            tid(page, 'alternative').first().click()
          ]);
          assert.equal(hold2.status(), 201);
          await expectText(page, 'step-title', t('fr', 'book.details.title'));
          await tid(page, 'field-name').fill('Camille Martin');
          await tid(page, 'field-email').fill('camille@example.fr');
          await tid(page, 'more-toggle').click();
          await tid(page, 'field-mileage').fill('52 300');
          await tid(page, 'field-vin').fill('WDBEA30D3HA39117');   /* 16 characters: wrong */
          await tid(page, 'confirm').click();
          await expectText(page, 'error-vin', t('fr', 'book.errors.vinInvalid'));
          await tid(page, 'field-vin').fill('');
          const [booked] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/bookings') && r.request().method() === 'POST'),
            tid(page, 'confirm').click()
          ]);
          assert.equal(booked.status(), 201);
          const sent = booked.request().postDataJSON();
          assert.equal(sent.start, alts[0].start, 'the alternative is booked');
          assert.deepEqual(sent.services, ['oil', 'tires']);
          assert.deepEqual(sent.vehicle, { mileage_km: 52300 });
          assert.equal(sent.language, 'fr');
          const body = await booked.json();
          await expectText(page, 'reference', body.reference);
          await expectText(page, 'done-title', t('fr', 'book.done.title'));
          await assertNoRawKeys(page);

          /* Its manage page, in French. */
          await tid(page, 'manage-link').click();
          await expectText(page, 'step-title', t('fr', 'book.manage.title'));
          await expectText(page, 'booking-status', t('fr', 'book.manage.status.booked'));
          await expectText(page, 'booking-reference', body.reference);
          assert.equal(await htmlLang(page), 'fr');
          const services = await textOf(page, 'booking-services');
          assert.ok(services.includes('Vidange') && services.includes('Changement de pneus'), `service names in French: ${services}`);
        }
      }
    ];
  }
});
