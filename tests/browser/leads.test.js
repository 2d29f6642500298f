#!/usr/bin/env node
/*
 * Browser test of the Forecourt lead pages and dashboards, against the real
 * server.
 *
 *   node leads.test.js --bin build/forecourt --web web
 *
 * Same harness as shell.test.js and customers.test.js (lib.js): a fresh temp
 * dir and database, `<bin> serve --demo` on a free loopback port, Debian's
 * Chromium through playwright-core, a fresh browser context per test,
 * SIGTERM at the end (a non-zero exit or sanitizer output on stderr fails the
 * run), closing line "N passed, N failed".
 *
 * A lead with an online journey (page view, configurator, finance quote)
 * arrives through the API with an API key of Garage Amstel; as
 * sales@garage-amstel.test, in English and in Dutch: the inbox shows it on
 * top, its page shows the journey first, "Contacted" is one click, a call is
 * logged (only channels the customer can be reached on are offered), the
 * lead is reassigned (en) and marked lost with a reason, after which it is
 * closed and leaves the open inbox. Also: an ADF lead from a partner portal
 * shows in the inbox; an overdue lead is flagged red with its waiting time;
 * data with markup is shown as text; the pages fit a 390 px screen. The
 * dealer dashboard and the brand manager's network page draw their charts
 * with Chart.js and export CSV files with the expected header row once
 * GET /api/v1/kpis exists (a 404 is checked as the page's "no figures"
 * state and the chart checks are skipped with a message). Screenshots:
 * <tmp>/leads-inbox.png, <tmp>/lead-en.png, <tmp>/lead-nl.png,
 * <tmp>/lead-390.png, <tmp>/leads-inbox-390.png, <tmp>/dashboard.png,
 * <tmp>/dashboard-390.png, <tmp>/network-fr.png.
 */
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const {
  PASSWORD, tid, textOf, expectText, expectVisible, eventually, htmlLang, signIn, sleep, runSuite
} = require('./lib');

const SALES = 'sales@garage-amstel.test';
const SALES_NAME = 'Sanne de Vries';
const DEALER_ADMIN = 'admin@garage-amstel.test';
const DEALER_ADMIN_NAME = 'Dirk Amstel';
const BRAND_MANAGER = 'hq@aurora.test';
const SOURCE = 'brand-website';

/* ---------------------------------------------------------------------- */
/* API behind the page's back                                               */
/* ---------------------------------------------------------------------- */

async function apiToken(base, email) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD })
  });
  assert.equal(res.status, 200, `API login of ${email}`);
  return (await res.json()).token;
}

async function apiCall(base, token, method, p, body, contentType) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
  const res = await fetch(`${base}/api/v1${p}`, {
    method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body))
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: res.status, data };
}

/* The API key of Garage Amstel (made once by its dealer admin). */
async function dealerKey(env) {
  if (env.apiKey) return env.apiKey;
  const token = await apiToken(env.base(), DEALER_ADMIN);
  const me = await apiCall(env.base(), token, 'GET', '/me');
  assert.equal(me.status, 200);
  const key = await apiCall(env.base(), token, 'POST', '/api-keys', { name: 'Website lead form', dealer_id: me.data.user.dealer_id });
  assert.equal(key.status, 201, `API key: ${JSON.stringify(key.data)}`);
  env.apiKey = key.data.key;
  env.dealerId = me.data.user.dealer_id;
  return env.apiKey;
}

function minutesAgo(n) { return new Date(Date.now() - n * 60000).toISOString(); }

/* A lead from the brand website with the journey the customer went through. */
async function createWebLead(env, customer, message) {
  const key = await dealerKey(env);
  const r = await apiCall(env.base(), key, 'POST', '/leads', {
    source: SOURCE,
    channel: 'web',
    customer,
    vehicle_interest: { condition: 'new', make: 'Aurora', model: 'Nova', year: 2027, trim: 'GT' },
    trade_in: { make: 'Volkswagen', model: 'Golf', year: 2016, mileage_km: 142000 },
    message,
    online_journey: [
      { type: 'page_view', at: minutesAgo(50), data: { path: '/models/nova', title: 'Aurora Nova' } },
      { type: 'configurator', at: minutesAgo(42), data: { trim: 'GT', colour: 'Polar white', wheels: '19"' } },
      { type: 'finance_quote', at: minutesAgo(35), data: { monthly: 389, months: 48, deposit: 5000, currency: 'EUR' } }
    ]
  });
  assert.equal(r.status, 201, `POST /leads: ${JSON.stringify(r.data)}`);
  assert.equal(r.data.status, 'new');
  return r.data;
}

/* ---------------------------------------------------------------------- */
/* Page helpers                                                             */
/* ---------------------------------------------------------------------- */

async function assertNoRawKeys(page) {
  const text = await page.locator('body').innerText();
  const leak = /\b(?:leads|dash|timeline|form|errors|list|page|pages|customers)\.[a-zA-Z][\w.-]*/.exec(text);
  assert.equal(leak, null, `untranslated key on screen: ${leak && leak[0]}`);
}

async function signInAs(page, email, lang, t, name) {
  await page.goto('/');
  const ok = await signIn(page, email, PASSWORD);
  assert.equal(ok.status, 200);
  await expectVisible(page, 'shell');
  if (lang) {
    await tid(page, 'lang-select').selectOption(lang);
    await eventually(async () => assert.equal(await htmlLang(page), lang));
  }
  if (name) await expectText(page, 'page-title', t(lang || 'en', 'home.title', { name }));
}

async function firstTimelineType(page) {
  return tid(page, 'timeline-item').first().getAttribute('data-type');
}

async function noSideways(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${what}: no sideways scrolling at 390 px (scrollWidth ${width})`);
}

async function shot(page, env, name, fullPage = true) {
  const file = path.join(env.tmp, name);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage });
  console.log(`# screenshot: ${file}`);
}

/* ---------------------------------------------------------------------- */
/* The follow-up of one lead, in one language                               */
/* ---------------------------------------------------------------------- */

async function leadFlow(page, env, lang, person) {
  const { t } = env;
  const lead = await createWebLead(env, person.customer, person.message);
  if (person.withdrawSms) {
    /* The customer said no to SMS: the page must not offer it. */
    const token = await apiToken(env.base(), SALES);
    const c = await apiCall(env.base(), token, 'POST', `/customers/${lead.customer_id}/consents`,
      { channel: 'sms', granted: false, source: 'in_person' });
    assert.ok(c.status === 201 || c.status === 200, `withdraw SMS consent: ${c.status}`);
  }

  /* The user's locale (nl) is kept when lang is nl; en is picked. */
  await signInAs(page, SALES, lang === 'nl' ? null : lang, t, null);
  await eventually(async () => assert.equal(await htmlLang(page), lang));
  await expectText(page, 'page-title', t(lang, 'home.title', { name: SALES_NAME }));

  /* The inbox: the new lead on top, with who, what, from where and how long. */
  const [list] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/leads' && r.request().method() === 'GET'),
    tid(page, 'nav-leads').click()
  ]);
  assert.equal(list.status(), 200);
  const query = new URL(list.url()).searchParams;
  assert.equal(query.get('status'), 'open', 'open leads by default');
  assert.equal(query.get('assigned_to'), 'me', 'a salesperson starts with her own leads');
  await expectText(page, 'page-title', t(lang, 'pages.leads.title'));
  await expectVisible(page, 'leads-table');
  const first = tid(page, 'lead-row').first();
  await eventually(async () => assert.equal(await first.getAttribute('data-id'), lead.id, 'the new lead is first'));
  assert.equal((await first.locator('[data-testid="lead-name"]').textContent()).trim(), person.name);
  const rowText = await first.innerText();
  assert.ok(rowText.includes(SOURCE), `source shown: ${rowText}`);
  assert.ok(rowText.includes(t(lang, 'leads.channels.web')), `channel shown: ${rowText}`);
  assert.ok(rowText.includes('Aurora Nova'), `vehicle shown: ${rowText}`);
  assert.ok(rowText.includes(SALES_NAME), `assignee shown: ${rowText}`);
  assert.equal(await first.getAttribute('data-overdue'), 'false');
  assert.equal((await first.locator('[data-testid="lead-row-status"]').textContent()).trim(), t(lang, 'leads.status.new'));
  const age = (await first.locator('[data-testid="lead-age"]').textContent()).trim();
  assert.ok(age === t(lang, 'leads.age.justNow') || age === t(lang, 'leads.age.minutes', { m: 1 }), `age: ${age}`);
  /* "All" shows the same lead for a dealer with one salesperson; the filter is in the URL. */
  await tid(page, 'lead-filter-all').check();
  await eventually(async () => assert.equal(new URL(page.url()).hash, '#/leads?scope=all'));
  await eventually(async () => assert.equal(await tid(page, 'lead-row').first().getAttribute('data-id'), lead.id));
  if (lang === 'en') await shot(page, env, 'leads-inbox.png', false);

  /* The lead: the online journey comes first, oldest step on top. */
  await tid(page, 'lead-row').first().locator('[data-testid="lead-name"]').click();
  await eventually(async () => assert.equal(new URL(page.url()).hash, `#/leads/${lead.id}`));
  await expectText(page, 'page-title', person.name);
  await expectVisible(page, 'lead-journey');
  const sections = await page.locator('[data-testid="lead-page"] > section, [data-testid="lead-page"] > div > section')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid')));
  assert.equal(sections[0], 'lead-journey', `journey on top: ${JSON.stringify(sections)}`);
  assert.deepEqual(await tid(page, 'journey-step').evaluateAll((s) => s.map((x) => x.dataset.type)),
    ['page_view', 'configurator', 'finance_quote'], 'journey oldest first');
  assert.deepEqual((await tid(page, 'journey-title').allTextContents()).map((s) => s.trim()),
    ['page_view', 'configurator', 'finance_quote'].map((s) => t(lang, `leads.journey.types.${s}`)));
  const journeyText = await tid(page, 'lead-journey').innerText();
  assert.ok(journeyText.includes('Polar white') && journeyText.includes('/models/nova'), `journey data: ${journeyText}`);
  assert.ok(/389/.test(journeyText) && /€/.test(journeyText), `finance quote as money: ${journeyText}`);
  assert.ok((await textOf(page, 'lead-interest')).includes('Aurora Nova'));
  assert.ok((await textOf(page, 'lead-trade-in')).includes('Volkswagen Golf'));
  await expectText(page, 'lead-message', person.message);
  await expectText(page, 'lead-status', t(lang, 'leads.status.new'));
  /* The whole timeline below: the lead and each journey step. */
  const types = await tid(page, 'timeline-item').evaluateAll((items) => items.map((i) => i.dataset.type));
  for (const type of ['lead.received', 'customer.created', 'journey.page_view', 'journey.configurator', 'journey.finance_quote']) {
    assert.ok(types.includes(type), `timeline has ${type}: ${JSON.stringify(types)}`);
  }
  /* Legal next steps only: not "won" before contact. */
  assert.equal(await tid(page, 'status-won').count(), 0, 'won is not offered while new');
  assert.equal(await tid(page, 'status-new').count(), 0);
  await expectVisible(page, 'status-offer');

  /* One click: Contacted. */
  const [patched] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${lead.id}`) && r.request().method() === 'PATCH'),
    tid(page, 'status-contacted').click()
  ]);
  assert.equal(patched.status(), 200);
  assert.deepEqual(patched.request().postDataJSON(), { status: 'contacted' });
  assert.ok(patched.request().headers()['x-csrf-token'], 'writes carry X-CSRF-Token');
  await expectText(page, 'lead-status', t(lang, 'leads.status.contacted'));
  await expectText(page, 'lead-announce', t(lang, 'leads.pipeline.moved', { status: t(lang, 'leads.status.contacted') }));
  await eventually(async () => assert.equal(await firstTimelineType(page), 'lead.status_changed'));
  assert.equal(await tid(page, 'status-contacted').count(), 0, 'no way back');
  await expectVisible(page, 'status-won');
  assert.ok((await textOf(page, 'lead-response')).length > 0);

  /* Log a call: only the channels the customer can be reached on. */
  await expectVisible(page, 'contact-form');
  assert.equal(await tid(page, 'contact-channel-phone').isChecked(), true);
  assert.equal(await tid(page, 'contact-channel-email').count(), 1);
  if (person.withdrawSms) {
    assert.equal(await tid(page, 'contact-channel-sms').count(), 0, 'SMS not offered after the consent was withdrawn');
    assert.ok((await textOf(page, 'contact-withheld')).includes(t(lang, 'leads.channels.sms')));
  } else {
    assert.equal(await tid(page, 'contact-channel-sms').count(), 1);
  }
  /* Nothing to log yet: said next to the note. */
  await tid(page, 'contact-submit').click();
  await expectText(page, 'contact-note-error', t(lang, 'leads.contact.errors.empty'));
  await tid(page, 'contact-outcome').selectOption('reached');
  await tid(page, 'contact-note').fill(person.note);
  const [logged] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${lead.id}/contacts`) && r.request().method() === 'POST'),
    tid(page, 'contact-submit').click()
  ]);
  assert.equal(logged.status(), 201);
  assert.deepEqual(logged.request().postDataJSON(), { channel: 'phone', outcome: 'reached', note: person.note });
  await eventually(async () => {
    const top = tid(page, 'timeline-item').first();
    assert.equal(await top.getAttribute('data-type'), 'call.logged');
    const text = (await top.locator('[data-testid="event-text"]').textContent()).trim();
    assert.equal(text, `${t(lang, 'leads.contact.outcomes.reached')} · ${person.note}`);
    assert.equal((await top.locator('[data-testid="event-title"]').textContent()).trim(), t(lang, 'leads.timeline.contact.phone'));
    assert.ok((await top.textContent()).includes(SALES_NAME), 'who logged it');
  });
  assert.equal(await tid(page, 'contact-note').inputValue(), '', 'the form is ready for the next one');

  if (lang === 'en') {
    /* Reassign to the dealer admin. */
    const select = tid(page, 'reassign-select');
    assert.equal(await tid(page, 'reassign-submit').isDisabled(), true, 'nothing to do for the same person');
    const dirk = await select.locator('option', { hasText: DEALER_ADMIN_NAME }).getAttribute('value');
    await select.selectOption(dirk);
    const [assigned] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${lead.id}`) && r.request().method() === 'PATCH'),
      tid(page, 'reassign-submit').click()
    ]);
    assert.equal(assigned.status(), 200);
    assert.deepEqual(assigned.request().postDataJSON(), { assigned_to: dirk });
    await expectText(page, 'lead-announce', t(lang, 'leads.assign.done', { name: DEALER_ADMIN_NAME }));
    await eventually(async () => {
      const top = tid(page, 'timeline-item').first();
      assert.equal(await top.getAttribute('data-type'), 'lead.assigned');
      assert.equal((await top.locator('[data-testid="event-title"]').textContent()).trim(),
        t(lang, 'leads.timeline.assigned', { name: DEALER_ADMIN_NAME }));
    });
  }

  await assertNoRawKeys(page);
  await shot(page, env, `lead-${lang}.png`);
  if (lang === 'en') {
    await page.setViewportSize({ width: 390, height: 844 });
    await sleep(150);
    await noSideways(page, 'lead page');
    await shot(page, env, 'lead-390.png');
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  /* Lost, with a reason: asked for in a dialog. */
  await tid(page, 'status-lost').click();
  await expectVisible(page, 'lost-dialog');
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'lost-reason'));
  await tid(page, 'lost-confirm').click();
  await expectText(page, 'lost-reason-error', t(lang, 'leads.lost.errors.reason'));
  /* Escape cancels, focus returns. */
  await page.keyboard.press('Escape');
  await tid(page, 'lost-dialog').waitFor({ state: 'detached' });
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'status-lost'));
  await tid(page, 'status-lost').click();
  await tid(page, 'lost-reason').selectOption('bought_elsewhere');
  const [lost] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${lead.id}`) && r.request().method() === 'PATCH'),
    tid(page, 'lost-confirm').click()
  ]);
  assert.equal(lost.status(), 200);
  assert.deepEqual(lost.request().postDataJSON(), { status: 'lost', lost_reason: 'bought_elsewhere' });
  await tid(page, 'lost-dialog').waitFor({ state: 'detached' });
  await expectText(page, 'lead-status', t(lang, 'leads.status.lost'));
  await expectVisible(page, 'lead-closed');
  await expectText(page, 'lead-lost-reason', t(lang, 'leads.lost.reasons.bought_elsewhere'));
  assert.equal(await tid(page, 'contact-form').count(), 0, 'a closed lead is not chased');
  assert.equal(await tid(page, 'status-lost').count(), 0);
  assert.equal(await page.locator('.pipeline__button').count(), 0, 'no moves from lost');
  await eventually(async () => {
    const top = tid(page, 'timeline-item').first();
    assert.equal(await top.getAttribute('data-type'), 'lead.status_changed');
    assert.ok((await top.innerText()).includes(t(lang, 'leads.lost.reasons.bought_elsewhere')));
  });
  await assertNoRawKeys(page);

  /* Back to the inbox, as it was left: the closed lead is no longer open. */
  await tid(page, 'lead-back').click();
  await eventually(async () => assert.equal(new URL(page.url()).hash, '#/leads?scope=all'));
  await eventually(async () => {
    const ids = await tid(page, 'lead-row').evaluateAll((rows) => rows.map((r) => r.dataset.id));
    assert.ok(!ids.includes(lead.id), 'lost lead left the open list');
  });
  await tid(page, 'lead-filter-status').selectOption('lost');
  await eventually(async () => {
    const ids = await tid(page, 'lead-row').evaluateAll((rows) => rows.map((r) => r.dataset.id));
    assert.ok(ids.includes(lead.id), 'found under "lost"');
  });
  assert.equal(new URL(page.url()).hash, '#/leads?scope=all&status=lost');
  return lead;
}

/* ---------------------------------------------------------------------- */
/* Dashboards                                                               */
/* ---------------------------------------------------------------------- */

async function kpisAvailable(env) {
  const token = await apiToken(env.base(), SALES);
  const r = await apiCall(env.base(), token, 'GET', '/kpis');
  if (r.status === 404) {
    console.log('# skip: GET /api/v1/kpis answers 404 (not built yet): chart and CSV checks skipped; the "no figures" state is checked');
    return null;
  }
  assert.equal(r.status, 200, `GET /kpis: ${JSON.stringify(r.data)}`);
  return r.data;
}

async function readDownload(page, env, testid, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), tid(page, testid).click()]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const file = path.join(env.tmp, name);
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  return bytes.subarray(3).toString('utf8');
}

async function chartsDrawn(page) {
  return page.evaluate(() => {
    const canvases = Array.from(document.querySelectorAll('canvas[data-testid="kpi-chart"]'));
    return canvases.filter((c) => window.Chart && window.Chart.getChart(c)).map((c) => c.dataset.chart);
  });
}

function defineTests(env) {
  const { t } = env;
  return [
    {
      name: 'en: web lead with its online journey on top of the inbox; contacted, call logged, reassigned, lost with a reason',
      locale: 'en-US',
      async run(page) {
        await leadFlow(page, env, 'en', {
          name: 'Sophie Lefèvre',
          customer: { first_name: 'Sophie', last_name: 'Lefèvre', email: 'sophie.lefevre@example.be', phone: '+32 470 12 34 56', language: 'fr' },
          message: 'Can I test drive the Nova on Saturday?',
          note: 'Test drive Saturday 10:00, bring the Golf papers',
          withdrawSms: true
        });
      }
    },
    {
      name: 'nl (user locale): the same flow in Dutch',
      locale: 'nl-NL',
      async run(page) {
        await leadFlow(page, env, 'nl', {
          name: 'Jeroen Brouwer',
          customer: { first_name: 'Jeroen', last_name: 'Brouwer', email: 'jeroen.brouwer@example.nl', phone: '06 87 65 43 21', language: 'nl' },
          message: 'Graag een offerte, inruil mogelijk?',
          note: 'Offerte gemaild, belt donderdag terug'
        });
      }
    },
    {
      name: 'ADF lead in the inbox; overdue flagged red; markup shown as text; inbox fits 390 px',
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
      async run(page) {
        const key = await dealerKey(env);
        const adf = `<?xml version="1.0" encoding="UTF-8"?>
<?adf version="1.0"?>
<adf><prospect status="new">
  <requestdate>2026-11-20T09:14:00+01:00</requestdate>
  <vehicle interest="buy" status="used"><year>2021</year><make>Aurora</make><model>Vela</model></vehicle>
  <customer><contact><name part="first">Anaïs</name><name part="last">Müller</name>
    <email>anais.muller@example.fr</email></contact><comments>Encore disponible ?</comments></customer>
  <vendor><vendorname>Garage Amstel</vendorname></vendor>
  <provider><name part="full">AutoScout Partner</name></provider>
</prospect></adf>`;
        const imported = await apiCall(env.base(), key, 'POST', '/leads/adf', adf, 'application/xml');
        assert.equal(imported.status, 201, `ADF: ${JSON.stringify(imported.data)}`);
        const adfLead = imported.data.items[0];
        const evil = 'Bob <img src=x onerror="window.__fcInjected=1"> & <b>Co</b>';
        const marked = await createWebLead(env, { name: evil, email: 'bob@example.com' }, '<script>window.__fcInjected=2</script><i>hi</i>');

        /* The list says this lead waits for two hours and a quarter: overdue. */
        await page.route((url) => url.pathname === '/api/v1/leads', async (route) => {
          const response = await route.fetch();
          const body = await response.json();
          for (const item of body.items || []) {
            if (item.id === marked.id) { item.overdue = true; item.received_at = minutesAgo(135); }
          }
          await route.fulfill({ response, json: body });
        });
        await page.goto('/#/leads');
        assert.equal((await signIn(page, SALES, PASSWORD)).status, 200);
        await tid(page, 'lang-select').selectOption('en');
        await eventually(async () => assert.equal(await htmlLang(page), 'en'));
        await expectVisible(page, 'leads-table');
        const overdue = page.locator(`[data-testid="lead-row"][data-id="${marked.id}"]`);
        await eventually(async () => assert.equal(await overdue.getAttribute('data-overdue'), 'true'));
        const age = (await overdue.locator('[data-testid="lead-age"]').textContent()).trim();
        assert.equal(age, `!${t('en', 'leads.inbox.overdueAge', { age: t('en', 'leads.age.hoursMinutes', { h: 2, m: 15 }) })}`);
        const colour = await overdue.locator('[data-testid="lead-age"]').evaluate((n) => getComputedStyle(n).color);
        assert.equal(colour, 'rgb(180, 35, 24)', 'overdue in red');
        assert.equal((await overdue.locator('[data-testid="lead-name"]').textContent()).trim(), evil);
        assert.ok((await textOf(page, 'leads-status')).includes(t('en', 'leads.inbox.countOverdue.other', { count: 3, overdue: 1 }).split(' · ')[1]));

        /* The ADF lead: partner portal, named by its provider. */
        const adfRow = page.locator(`[data-testid="lead-row"][data-id="${adfLead.id}"]`);
        const adfText = await adfRow.innerText();
        assert.ok(adfText.includes('Anaïs Müller'), adfText);
        assert.ok(adfText.includes('AutoScout Partner') && adfText.includes(t('en', 'leads.channels.partner')), adfText);
        assert.ok(adfText.includes('Aurora Vela') && adfText.includes(t('en', 'leads.condition.used')), adfText);
        await noSideways(page, 'inbox');
        await assertNoRawKeys(page);
        await shot(page, env, 'leads-inbox-390.png', false);

        /* Its page: no journey, said so; the markup stays text. */
        await overdue.locator('[data-testid="lead-name"]').click();
        await expectText(page, 'page-title', evil);
        await expectVisible(page, 'journey-steps');
        await expectText(page, 'lead-message', '<script>window.__fcInjected=2</script><i>hi</i>');
        assert.equal(await page.locator('[data-role="page"] img, [data-role="page"] b, [data-role="page"] i, [data-role="page"] script').count(), 0,
          'no element made from data');
        assert.equal(await page.evaluate(() => window.__fcInjected), undefined, 'no script ran');
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        await page.goto(`/#/leads/${adfLead.id}`);
        await expectText(page, 'page-title', 'Anaïs Müller');
        await expectText(page, 'journey-empty', t('en', 'leads.journey.empty', { channel: t('en', 'leads.channels.partner') }));
        /* Only e-mail: no phone or SMS offered. */
        assert.equal(await tid(page, 'contact-channel-email').isChecked(), true);
        assert.equal(await tid(page, 'contact-channel-phone').count(), 0);
        await noSideways(page, 'lead page');

        /* An unknown lead. */
        await page.goto('/#/leads/01AAAAAAAAAAAAAAAAAAAAAAAA');
        await expectText(page, 'page-title', t('en', 'leads.page.notFound'));
        await expectVisible(page, 'lead-not-found');
      }
    },
    {
      name: 'en: the dealer dashboard draws its charts with Chart.js and exports CSV (or says there are no figures yet)',
      locale: 'en-US',
      async run(page) {
        const kpis = await kpisAvailable(env);
        await signInAs(page, SALES, 'en', t, SALES_NAME);
        await tid(page, 'nav-dashboard').click();
        await expectText(page, 'page-title', t('en', 'pages.dashboard.title'));
        assert.equal(await page.evaluate(() => typeof window.Chart), 'function', 'Chart.js loaded from /node_modules');
        if (!kpis) {
          await expectVisible(page, 'kpi-empty');
          assert.ok((await textOf(page, 'kpi-empty')).includes(t('en', 'dash.empty.title')));
          await assertNoRawKeys(page);
          await shot(page, env, 'dashboard.png');
          return;
        }
        const dealer = kpis.dealers[0];
        assert.ok(dealer.leads.total >= 3, `leads counted: ${dealer.leads.total}`);
        await expectVisible(page, 'kpi-tiles');
        const leadsTile = page.locator('[data-testid="kpi-tile"][data-kpi="leads"] [data-testid="kpi-value"]');
        await eventually(async () => assert.equal((await leadsTile.textContent()).trim(), new Intl.NumberFormat('en').format(dealer.leads.total)));
        await eventually(async () => {
          const drawn = await chartsDrawn(page);
          for (const id of ['chart-sources', 'chart-response', 'chart-funnel']) assert.ok(drawn.includes(id), `${id} drawn: ${JSON.stringify(drawn)}`);
        });
        await sleep(500); /* let the animations finish before the screenshot */
        /* CSV of the leads by source: header row in the page's language. */
        const csv = await readDownload(page, env, 'table-sources-csv', 'sources.csv');
        const lines = csv.split('\r\n');
        assert.equal(lines[0], [t('en', 'dash.columns.source'), t('en', 'dash.columns.leads'), t('en', 'dash.csv.share')].join(','));
        assert.ok(lines.some((l) => l.startsWith(`${SOURCE},`)), `a row for ${SOURCE}: ${csv}`);
        const figures = await readDownload(page, env, 'table-figures-csv', 'figures.csv');
        assert.equal(figures.split('\r\n')[0], `${t('en', 'dash.columns.figure')},${t('en', 'dash.columns.value')}`);
        assert.ok(figures.includes(`${t('en', 'dash.csvFigures.leads')},${dealer.leads.total}`), figures);
        /* Another period: the query follows. */
        const [again] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/kpis'),
          tid(page, 'dash-period').selectOption('last7')
        ]);
        assert.equal(again.status(), 200);
        assert.ok(/^\d{4}-\d{2}-\d{2}$/.test(new URL(again.url()).searchParams.get('from')), 'from sent');
        assert.ok(new URL(page.url()).hash.startsWith('#/dashboard?from='), 'the period is kept in the URL');
        /* A new lead arrives: back on the last 30 days, the numbers have moved. */
        await createWebLead(env, { name: 'Lotte Janssen', email: 'lotte.janssen@example.nl' }, 'Nieuwe lead voor het dashboard');
        const [fresh] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/kpis'),
          tid(page, 'dash-period').selectOption('last30')
        ]);
        assert.equal(fresh.status(), 200);
        assert.equal(new URL(fresh.url()).search, '', 'the default period is the server\'s');
        const after = (await fresh.json()).dealers[0].leads.total;
        assert.equal(after, dealer.leads.total + 1, 'the new lead is counted');
        await eventually(async () => assert.equal((await leadsTile.textContent()).trim(), new Intl.NumberFormat('en').format(after)));
        await eventually(async () => assert.ok((await chartsDrawn(page)).includes('chart-sources')));
        await sleep(500);
        await assertNoRawKeys(page);
        await shot(page, env, 'dashboard.png');
        await page.setViewportSize({ width: 390, height: 844 });
        await sleep(400);
        await noSideways(page, 'dashboard');
        await shot(page, env, 'dashboard-390.png');
      }
    },
    {
      name: 'fr: the brand manager\'s network page: one row per dealer and the total, CSV with ";"',
      locale: 'fr-FR',
      async run(page) {
        const kpis = await kpisAvailable(env);
        await signInAs(page, BRAND_MANAGER, 'fr', t, 'Hugo Quint');
        await tid(page, 'nav-network').click();
        await expectText(page, 'page-title', t('fr', 'pages.network.title'));
        if (!kpis) {
          await expectVisible(page, 'kpi-empty');
          await assertNoRawKeys(page);
          return;
        }
        const token = await apiToken(env.base(), BRAND_MANAGER);
        const network = await apiCall(env.base(), token, 'GET', '/kpis');
        assert.equal(network.status, 200);
        const names = network.data.dealers.map((d) => d.name).sort((a, b) => a.localeCompare(b, 'fr'));
        await expectVisible(page, 'table-dealers-table');
        await eventually(async () => assert.deepEqual(
          (await page.locator('[data-testid="table-dealers-row"] th').allTextContents()).map((s) => s.trim()), names));
        await expectVisible(page, 'table-dealers-total');
        assert.ok((await textOf(page, 'table-dealers-total')).startsWith(t('fr', 'dash.tables.networkTotal')));
        await eventually(async () => assert.ok((await chartsDrawn(page)).includes('chart-dealer-leads')));
        const csv = await readDownload(page, env, 'table-dealers-csv', 'dealers.csv');
        const lines = csv.split('\r\n');
        assert.ok(lines[0].startsWith(`${t('fr', 'dash.columns.dealer')};${t('fr', 'dash.columns.leads')};`), lines[0]);
        assert.ok(lines[0].includes(t('fr', 'dash.csv.median')), lines[0]);
        assert.equal(lines.filter(Boolean).length, names.length + 2, 'header, dealers, total');
        assert.ok(lines[lines.length - 2].startsWith(t('fr', 'dash.tables.networkTotal')));
        /* One dealer only. */
        await tid(page, 'dash-dealer').selectOption({ label: names[0] });
        await eventually(async () => assert.ok(new URL(page.url()).hash.startsWith('#/network?dealer=')));
        await expectVisible(page, 'table-sources-table');
        await assertNoRawKeys(page);
        await tid(page, 'dash-dealer').selectOption('');
        await expectVisible(page, 'table-dealers-table');
        await sleep(500);
        await shot(page, env, 'network-fr.png');
      }
    }
  ];
}

runSuite({ script: 'leads.test.js', tests: defineTests });
