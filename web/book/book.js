/*
 * Forecourt public booking pages (no account, no cookies, no framework).
 *
 *   /book/<slug>        (or /book/?d=<slug>)        book a service appointment
 *   /manage/<token>     (or /book/?manage=<token>)  see, move or cancel it
 *
 * Booking is four steps, one at a time (mobile first):
 *   1. services  – checkboxes with name, duration and price;
 *   2. time      – a strip of 14 days (free days enabled, arrow keys move
 *                  between them) and the free times of the chosen day, from
 *                  GET …/availability?services=&from=&days=14; picking a
 *                  time holds it for 5 minutes (POST …/holds);
 *   3. details   – name, phone or e-mail, plate (VIN, mileage and a note
 *                  under "more"); confirming POSTs …/bookings with the hold;
 *                  a hold the customer leaves (another time picked, "back"
 *                  to the times, the page closed) is given back at once
 *                  (DELETE …/holds/<token>), so nobody waits 5 minutes for
 *                  a time no one holds;
 *   4. done      – the reference, the time in the dealer's zone, the
 *                  calendar file and the manage link.
 * A slot taken in the meantime (409) shows the alternatives the server sends.
 *
 * Language: ?lang=, else the browser's languages, else the dealer's locale,
 * else English; the selector in the header switches in place and keeps the
 * choice in the URL. Times are always shown in the dealer's time zone.
 *
 * Safety: data reaches the DOM only through textContent and attribute
 * setters; the API is called without credentials (the public endpoints need
 * none, and a staff cookie must not turn a customer's booking into a
 * staff write).
 */
(function () {
  'use strict';

  var LANGS = ['en', 'fr', 'nl'];
  var DEFAULT_LANG = 'en';
  var API = '/api/v1';
  var DAYS = 14;
  var HOLD_MS = 5 * 60 * 1000;
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var STEPS = ['services', 'time', 'details', 'done'];

  var S = {
    lang: DEFAULT_LANG,
    dicts: {},
    mode: null,          /* 'book' | 'manage' | 'none' */
    slug: null,
    token: null,
    dealer: null,        /* public profile */
    step: 'services',
    selected: [],        /* service codes, in the dealer's order */
    pick: null,          /* picker state, see newPick() */
    alternatives: null,  /* [{start,end}] after a 409 */
    slot: null,          /* {start, end} chosen */
    hold: null,          /* {token, expires (local ms), expired} */
    form: { name: '', phone: '', email: '', plate: '', vin: '', mileage: '', notes: '', more: false },
    formErrors: {},
    formMessage: null,   /* i18n key of the form-level error */
    idemKey: null,
    busy: false,
    result: null,        /* booking answer + what was entered */
    booking: null,       /* manage: GET /public/bookings/{token} */
    manageNotice: null,  /* {key, params} */
    moving: false,
    moveTo: null,        /* slot chosen to move to */
    timer: null,
    pageMessage: null    /* [title key, text key] of a whole-page message */
  };

  /* ------------------------------------------------------------------ */
  /* DOM helpers                                                          */
  /* ------------------------------------------------------------------ */

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  /* el('p', {className, text, onclick, attr: value}, child, 'text', …):
   * strings become text nodes, never markup. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === undefined || value === null || value === false) return;
        if (name === 'className') node.className = value;
        else if (name === 'text') node.textContent = value;
        else if (name.slice(0, 2) === 'on' && typeof value === 'function') node.addEventListener(name.slice(2), value);
        else node.setAttribute(name, value === true ? '' : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  var idCounter = 0;
  function uid(prefix) { idCounter += 1; return 'bk-' + prefix + '-' + idCounter; }

  function icon(paths, size) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', String(size || 20));
    svg.setAttribute('height', String(size || 20));
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'bk-icon');
    paths.split('|').forEach(function (d) {
      var p = document.createElementNS(SVG_NS, 'path');
      p.setAttribute('d', d);
      p.setAttribute('fill', 'none');
      p.setAttribute('stroke', 'currentColor');
      p.setAttribute('stroke-width', '2');
      p.setAttribute('stroke-linecap', 'round');
      p.setAttribute('stroke-linejoin', 'round');
      svg.appendChild(p);
    });
    return svg;
  }
  var ICONS = {
    check: 'M5 12.5l4.5 4.5L19 7.5',
    calendar: 'M4 6.5h16v13H4z|M4 10.5h16|M8.5 4v4|M15.5 4v4',
    clock: 'M12 3.5a8.5 8.5 0 1 1 0 17 8.5 8.5 0 0 1 0-17z|M12 7.5V12l3 2',
    pin: 'M12 21s-6.5-6-6.5-11a6.5 6.5 0 0 1 13 0c0 5-6.5 11-6.5 11z|M12 7.8a2.2 2.2 0 1 1 0 4.4 2.2 2.2 0 0 1 0-4.4z',
    wrench: 'M14.5 4.5a4.5 4.5 0 0 0-5 6L3.5 16.5l4 4 6-6a4.5 4.5 0 0 0 6-5l-2.7 2.7-3-.6-.6-3z',
    left: 'M14.5 6l-6 6 6 6',
    right: 'M9.5 6l6 6-6 6',
    phone: 'M6.5 3.5h3l1.5 4.5-2 1.5a11 11 0 0 0 5.5 5.5l1.5-2 4.5 1.5v3a2 2 0 0 1-2 2A15.5 15.5 0 0 1 4.5 5.5a2 2 0 0 1 2-2z',
    alert: 'M12 4l9 16H3z|M12 10v4.5|M12 17.2v.3'
  };

  function announce(text) {
    var live = $('[data-testid="live"]');
    if (!live) return;
    /* Re-setting the same text is not announced again: clear first. */
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 30);
  }

  /* ------------------------------------------------------------------ */
  /* i18n                                                                 */
  /* ------------------------------------------------------------------ */

  function matchLang(tag) {
    if (typeof tag !== 'string' || !tag) return null;
    var primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    return LANGS.indexOf(primary) >= 0 ? primary : null;
  }

  function browserLang() {
    var list = (navigator.languages && navigator.languages.length) ? navigator.languages : [navigator.language];
    for (var i = 0; i < list.length; i++) {
      var lang = matchLang(list[i]);
      if (lang) return lang;
    }
    return null;
  }

  function loadDict(lang) {
    if (S.dicts[lang]) return Promise.resolve(S.dicts[lang]);
    return fetch('/i18n/' + lang + '.json', { credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) throw new Error('i18n ' + lang);
        return res.json();
      })
      .then(function (dict) { S.dicts[lang] = dict; return dict; });
  }

  function lookup(dict, key) {
    var node = dict;
    var parts = key.split('.');
    for (var i = 0; i < parts.length; i++) {
      if (!node || typeof node !== 'object') return undefined;
      node = node[parts[i]];
    }
    return typeof node === 'string' ? node : undefined;
  }

  function t(key, params) {
    var text = lookup(S.dicts[S.lang], key);
    if (text === undefined) text = lookup(S.dicts[DEFAULT_LANG], key);
    if (text === undefined) text = key;
    if (params) {
      text = text.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
      });
    }
    return text;
  }

  function tn(key, count, params) {
    var rule = 'other';
    try { rule = new Intl.PluralRules(S.lang).select(count); } catch (e) { rule = count === 1 ? 'one' : 'other'; }
    var full = key + '.' + rule;
    if (lookup(S.dicts[S.lang], full) === undefined && lookup(S.dicts[DEFAULT_LANG], full) === undefined) full = key + '.other';
    var all = { count: String(count) };
    if (params) Object.keys(params).forEach(function (k) { all[k] = params[k]; });
    return t(full, all);
  }

  function applyI18n(root) {
    $all('[data-i18n]', root).forEach(function (node) { node.textContent = t(node.getAttribute('data-i18n')); });
  }

  /* ------------------------------------------------------------------ */
  /* Formatting (always in the dealer's time zone)                        */
  /* ------------------------------------------------------------------ */

  function tz() {
    return (S.dealer && S.dealer.timezone) || (S.booking && S.booking.dealer && S.booking.dealer.timezone) || 'UTC';
  }

  function fmt(options, value) {
    try { return new Intl.DateTimeFormat(S.lang, options).format(value); } catch (e) { return ''; }
  }

  /* "2026-11-25" → a Date at noon UTC of that calendar day. */
  function ymdDate(ymd) {
    var p = ymd.split('-');
    return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2], 12));
  }

  function addDays(ymd, n) {
    var d = ymdDate(ymd);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function dayDiff(a, b) {
    return Math.round((ymdDate(b) - ymdDate(a)) / 86400000);
  }

  function todayYmd() {
    try {
      var parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz(), year: 'numeric', month: '2-digit', day: '2-digit' })
        .formatToParts(new Date());
      var get = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
      return get('year') + '-' + get('month') + '-' + get('day');
    } catch (e) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  function fmtDay(ymd, options) {
    return fmt(Object.assign({ timeZone: 'UTC' }, options), ymdDate(ymd));
  }

  function longDay(ymd) { return fmtDay(ymd, { weekday: 'long', day: 'numeric', month: 'long' }); }
  function fullDay(ymd) { return fmtDay(ymd, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }); }

  function fmtTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    return fmt({ hour: S.lang === 'en' ? 'numeric' : '2-digit', minute: '2-digit', timeZone: tz() }, d);
  }

  /* The slot's calendar day in the dealer's zone: the server writes the
   * times with the dealer's offset, so the date part is the local date. */
  function slotDay(iso) { return String(iso).slice(0, 10); }

  function whenText(start, end) {
    return t('book.whenFormat', { date: fullDay(slotDay(start)), start: fmtTime(start), end: fmtTime(end) });
  }

  function whenShort(start) {
    return t('book.whenShort', { date: fmtDay(slotDay(start), { weekday: 'short', day: 'numeric', month: 'short' }), time: fmtTime(start) });
  }

  function durationText(min) {
    var h = Math.floor(min / 60);
    var m = min % 60;
    if (!h) return t('book.duration.min', { m: m });
    if (!m) return t('book.duration.h', { h: h });
    return t('book.duration.hm', { h: h, m: m < 10 ? '0' + m : m });
  }

  var CURRENCIES = { CA: 'CAD', US: 'USD', GB: 'GBP', CH: 'CHF', SE: 'SEK', NO: 'NOK', DK: 'DKK', PL: 'PLN', CZ: 'CZK' };
  function currency() {
    var d = S.dealer || {};
    if (typeof d.currency === 'string' && /^[A-Z]{3}$/.test(d.currency)) return d.currency;
    var region = typeof d.country === 'string' ? d.country.toUpperCase()
      : (String(d.locale || '').split(/[-_]/)[1] || '').toUpperCase();
    return CURRENCIES[region] || 'EUR';
  }

  function priceText(value) {
    if (typeof value !== 'number') return '';
    try { return new Intl.NumberFormat(S.lang, { style: 'currency', currency: currency() }).format(value); } catch (e) { return value.toFixed(2); }
  }

  function zoneName(zone) {
    var city = String(zone || '').split('/').pop().replace(/_/g, ' ');
    return city || zone;
  }

  function serviceName(code) {
    var list = (S.dealer && S.dealer.services) || [];
    for (var i = 0; i < list.length; i++) {
      if (list[i].code !== code) continue;
      var n = list[i].name;
      if (typeof n === 'string') return n;
      if (n && typeof n === 'object') {
        var primary = String(S.dealer.locale || '').split(/[-_]/)[0];
        return n[S.lang] || n[S.dealer.locale] || n[primary] || n.en || n[Object.keys(n)[0]] || code;
      }
    }
    /* Manage page without the profile: the names the booking carries. */
    var own = (S.booking && S.booking.services) || [];
    for (var j = 0; j < own.length; j++) if (own[j].code === code && own[j].name) return String(own[j].name);
    return code;
  }

  function listText(values) {
    try { return new Intl.ListFormat(S.lang, { style: 'long', type: 'conjunction' }).format(values); } catch (e) { return values.join(', '); }
  }

  /* ------------------------------------------------------------------ */
  /* API                                                                  */
  /* ------------------------------------------------------------------ */

  /* Resolves (never rejects) to {status, data}; 0 = network error. */
  function api(method, path, body, headers) {
    var init = { method: method, credentials: 'omit', cache: 'no-store', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (headers) Object.keys(headers).forEach(function (k) { init.headers[k] = headers[k]; });
    return fetch(API + path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: res.status, data: data };
      });
    }).catch(function () { return { status: 0, data: null }; });
  }

  function errorOf(r) { return (r && r.data && r.data.error) || {}; }
  function alternativesOf(r) {
    var alt = errorOf(r).alternatives;
    return Array.isArray(alt) ? alt.filter(function (a) { return a && typeof a.start === 'string'; }) : [];
  }
  function genericError(r) {
    if (r.status === 0) return 'book.errors.network';
    if (r.status === 429) return 'book.errors.rateLimited';
    return 'book.errors.generic';
  }

  function newIdemKey() {
    var bytes = new Uint8Array(16);
    (window.crypto || {}).getRandomValues ? window.crypto.getRandomValues(bytes) : bytes.forEach(function (b, i) { bytes[i] = Math.random() * 256; });
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  function dealerPath() { return '/public/dealers/' + encodeURIComponent(S.slug); }
  function bookingPath() { return '/public/bookings/' + encodeURIComponent(S.token); }
  function calendarUrl(token) { return API + '/public/bookings/' + encodeURIComponent(token) + '/calendar.ics'; }
  function manageUrl(token) { return '/manage/' + encodeURIComponent(token) + '?lang=' + S.lang; }
  function bookUrl(slug) { return '/book/' + encodeURIComponent(slug) + '?lang=' + S.lang; }

  /* ------------------------------------------------------------------ */
  /* Page frame                                                           */
  /* ------------------------------------------------------------------ */

  function main() { return $('#bk-main'); }

  function setTitle(text) { document.title = text; }

  function renderHeader() {
    var name = $('[data-testid="dealer-name"]');
    var meta = $('[data-testid="dealer-meta"]');
    var d = S.dealer || (S.booking && S.booking.dealer) || null;
    name.textContent = d ? String(d.name || '') : t('book.genericTitle');
    meta.replaceChildren();
    if (!d) return;
    if (d.address) meta.appendChild(el('span', null, String(d.address)));
    if (d.phone) {
      meta.appendChild(el('a', { href: 'tel:' + String(d.phone).replace(/[^\d+]/g, ''), 'aria-label': t('book.call', { phone: d.phone }) }, String(d.phone)));
    }
  }

  /* Rebuilds <main>; keeps focus on the element with the same data-key
   * (a day, a time, a field) when there is one, else focuses `focus`. */
  function paint(build, focus) {
    var root = main();
    var active = document.activeElement;
    var key = active && root.contains(active) ? active.getAttribute('data-key') : null;
    var nodes = build();
    root.replaceChildren.apply(root, nodes);
    var again = key ? $('[data-key="' + key + '"]', root) : null;
    if (again && !again.disabled) again.focus();
    else if (focus === true) { var h = $('h1', root); if (h) h.focus(); }
    else if (focus && focus.focus) focus.focus();
  }

  function messageBox(key, params, kind, testid) {
    return el('div', { className: 'bk-msg bk-msg--' + (kind || 'error'), role: kind === 'info' ? 'status' : 'alert', 'data-testid': testid || 'message' },
      icon(kind === 'info' ? ICONS.clock : ICONS.alert, 18), el('span', null, t(key, params)));
  }

  function heading(text, testid) {
    return el('h1', { className: 'bk-h1', tabindex: '-1', 'data-testid': testid || 'step-title', 'data-key': 'h1' }, text);
  }

  function fullPageMessage(titleKey, textKey) {
    S.pageMessage = [titleKey, textKey];   /* redrawn on a language switch */
    setTitle(t(titleKey));
    paint(function () {
      var nodes = [el('section', { className: 'bk-card bk-empty', 'data-testid': 'page-message' },
        heading(t(titleKey)), el('p', { className: 'bk-lead' }, t(textKey)))];
      return nodes;
    }, true);
  }

  /* ------------------------------------------------------------------ */
  /* Booking: steps                                                       */
  /* ------------------------------------------------------------------ */

  function stepper() {
    var current = STEPS.indexOf(S.step);
    var list = el('ol', { className: 'bk-steps', 'aria-label': t('book.steps.label'), 'data-testid': 'steps' });
    STEPS.forEach(function (step, i) {
      var state = i < current ? 'done' : (i === current ? 'current' : 'todo');
      list.appendChild(el('li', { className: 'bk-steps__item bk-steps__item--' + state, 'aria-current': i === current ? 'step' : null },
        el('span', { className: 'bk-steps__num', 'aria-hidden': 'true' }, i < current ? '✓' : String(i + 1)),
        el('span', { className: 'bk-steps__label' }, t('book.steps.' + step)),
        i === current ? el('span', { className: 'visually-hidden' }, ' (' + t('book.steps.progress', { n: i + 1, total: STEPS.length }) + ')') : null));
    });
    return list;
  }

  function renderBook(focus) {
    stopTimer();
    setTitle(t('book.documentTitle', { dealer: S.dealer.name }));
    var builders = { services: buildServices, time: buildTime, details: buildDetails, done: buildDone };
    paint(function () { return [stepper()].concat(builders[S.step]()); }, focus);
    if (S.step === 'details') startTimer();
  }

  function goStep(step) {
    S.step = step;
    renderBook(true);
    window.scrollTo(0, 0);
  }

  function selectedServices() {
    return (S.dealer.services || []).filter(function (s) { return S.selected.indexOf(s.code) >= 0; });
  }

  function totals() {
    var list = selectedServices();
    var min = 0;
    var price = 0;
    var priced = true;
    list.forEach(function (s) {
      min += Number(s.duration_min) || 0;
      if (typeof s.price === 'number') price += s.price; else priced = false;
    });
    return { count: list.length, min: min, price: priced ? price : null };
  }

  function totalText() {
    var tot = totals();
    if (!tot.count) return t('book.services.totalNone');
    var text = t('book.services.total', { duration: durationText(tot.min), price: priceText(tot.price) });
    return tot.price === null ? text.replace(/\s*·\s*$/, '') : text;
  }

  /* ---- 1. services ---- */

  function buildServices() {
    var services = S.dealer.services || [];
    var nodes = [heading(t('book.services.title'))];
    if (!services.length) {
      nodes.push(el('p', { className: 'bk-card bk-empty' }, t('book.services.empty')));
      return nodes;
    }
    var error = el('div', { className: 'bk-field-error', id: uid('svc-error'), role: 'alert', 'data-testid': 'services-error', hidden: true });
    var total = el('p', { className: 'bk-total', 'aria-live': 'polite', 'data-testid': 'services-total' }, totalText());
    var fieldset = el('fieldset', { className: 'bk-services', 'data-testid': 'services' },
      el('legend', { className: 'bk-legend' }, t('book.services.legend')));
    services.forEach(function (s) {
      var id = uid('svc');
      var input = el('input', { type: 'checkbox', id: id, value: s.code, className: 'bk-service__input', 'data-testid': 'service-' + s.code,
        'data-key': 'service-' + s.code, checked: S.selected.indexOf(s.code) >= 0 });
      input.addEventListener('change', function () {
        var codes = [];
        $all('.bk-service__input', fieldset).forEach(function (box) { if (box.checked) codes.push(box.value); });
        S.selected = codes;
        S.pick = null;
        total.textContent = totalText();
        if (codes.length) error.hidden = true;
      });
      var meta = [durationText(Number(s.duration_min) || 0), priceText(s.price)].filter(Boolean).join(' · ');
      fieldset.appendChild(el('div', { className: 'bk-service' }, input,
        el('label', { for: id, className: 'bk-service__label' },
          el('span', { className: 'bk-service__name' }, serviceName(s.code)),
          el('span', { className: 'bk-service__meta' }, meta))));
    });
    var next = el('button', { type: 'submit', className: 'button button--primary bk-next', 'data-testid': 'services-continue', 'data-key': 'services-continue' }, t('book.services.continue'));
    var form = el('form', { className: 'bk-form', novalidate: true }, fieldset, total, error, el('div', { className: 'bk-actions' }, next));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!S.selected.length) {
        error.textContent = t('book.services.none');
        error.hidden = false;
        var first = $('.bk-service__input', fieldset);
        if (first) first.focus();
        return;
      }
      S.alternatives = null;
      goStep('time');
    });
    nodes.push(form);
    return nodes;
  }

  /* ---- 2. day and time (shared with the manage page) ---- */

  function newPick(services) {
    return { services: services.slice(), from: null, byDay: null, day: null, status: 'idle', seq: 0, message: null };
  }

  function loadSlots(ps, onDone) {
    var mySeq = ++ps.seq;
    ps.status = 'loading';
    if (!ps.from) ps.from = todayYmd();
    var url = dealerPath() + '/availability?services=' + ps.services.map(encodeURIComponent).join(',') +
      '&from=' + ps.from + '&days=' + DAYS;
    api('GET', url).then(function (r) {
      if (mySeq !== ps.seq) return;
      if (r.status !== 200 || !r.data || !Array.isArray(r.data.slots)) {
        ps.status = 'error';
        ps.errorKey = r.status === 0 ? 'book.errors.network' : 'book.time.error';
        onDone();
        return;
      }
      var byDay = {};
      r.data.slots.forEach(function (s) {
        if (!s || typeof s.start !== 'string') return;
        var day = slotDay(s.start);
        (byDay[day] = byDay[day] || []).push(s);
      });
      ps.byDay = byDay;
      ps.status = 'ready';
      if (!ps.day || !byDay[ps.day]) {
        ps.day = null;
        for (var i = 0; i < DAYS; i++) {
          var d = addDays(ps.from, i);
          if (byDay[d] && byDay[d].length) { ps.day = d; break; }
        }
      }
      onDone();
    });
  }

  /* opts: {ps, onPick(slot, button), pressed: start iso or null,
   *        current: start iso of the booking being moved, rerender()} */
  function buildPicker(opts) {
    var ps = opts.ps;
    var wrap = el('div', { className: 'bk-picker', 'data-testid': 'picker' });
    var today = todayYmd();
    var horizon = S.dealer && S.dealer.horizon_days ? S.dealer.horizon_days : 60;
    var from = ps.from || today;

    /* Alternatives after a 409: one tap away. */
    if (S.alternatives) {
      var altBox = el('div', { className: 'bk-alt', role: 'alert', 'data-testid': 'alternatives' },
        el('p', { className: 'bk-alt__text' }, icon(ICONS.alert, 18),
          el('span', null, t(S.alternatives.length ? 'book.time.taken' : 'book.time.takenNone'))));
      if (S.alternatives.length) {
        var altList = el('div', { className: 'bk-alt__list' });
        S.alternatives.slice(0, 6).forEach(function (slot) {
          var b = el('button', { type: 'button', className: 'bk-time bk-time--alt', 'data-testid': 'alternative', 'data-start': slot.start,
            'data-key': 'alt-' + slot.start }, whenShort(slot.start));
          b.addEventListener('click', function () { opts.onPick(slot, b); });
          altList.appendChild(b);
        });
        altBox.appendChild(altList);
      }
      wrap.appendChild(altBox);
    }

    /* Day strip with earlier / later. */
    var stripTitleId = uid('days');
    var earlier = el('button', { type: 'button', className: 'bk-pager', 'data-testid': 'days-earlier', 'data-key': 'days-earlier',
      'aria-label': t('book.time.earlier'), title: t('book.time.earlier'), disabled: from <= today }, icon(ICONS.left, 18));
    var later = el('button', { type: 'button', className: 'bk-pager', 'data-testid': 'days-later', 'data-key': 'days-later',
      'aria-label': t('book.time.later'), title: t('book.time.later'), disabled: dayDiff(today, addDays(from, DAYS)) > horizon }, icon(ICONS.right, 18));
    function page(delta) {
      var next = addDays(from, delta * DAYS);
      if (next < today) next = today;
      ps.from = next;
      ps.day = null;
      ps.byDay = null;
      loadSlots(ps, opts.rerender);
      opts.rerender();
    }
    earlier.addEventListener('click', function () { page(-1); });
    later.addEventListener('click', function () { page(1); });
    var range = fmtDay(from, { day: 'numeric', month: 'short' }) + ' – ' + fmtDay(addDays(from, DAYS - 1), { day: 'numeric', month: 'short' });
    wrap.appendChild(el('div', { className: 'bk-strip-head' },
      el('h2', { className: 'bk-h2', id: stripTitleId }, t('book.time.days')),
      el('div', { className: 'bk-strip-nav' }, earlier, el('span', { className: 'bk-range' }, range), later)));

    var strip = el('div', { className: 'bk-strip', role: 'group', 'aria-labelledby': stripTitleId, 'data-testid': 'days',
      'aria-busy': ps.status === 'loading' ? 'true' : null });
    var buttons = [];
    for (var i = 0; i < DAYS; i++) {
      var day = addDays(from, i);
      var slots = ps.byDay && ps.byDay[day] ? ps.byDay[day] : [];
      var free = slots.length;
      var ready = ps.status === 'ready';
      var label = t('book.time.dayLabel', { day: longDay(day), state: ready ? (free ? tn('book.time.dayFree', free) : t('book.time.dayNone')) : t('book.time.loading') });
      var b = el('button', {
        type: 'button', className: 'bk-day' + (day === today ? ' bk-day--today' : ''), 'data-testid': 'day', 'data-date': day,
        'data-key': 'day-' + day, 'aria-pressed': day === ps.day ? 'true' : 'false', 'aria-label': label,
        disabled: !ready || !free, tabindex: '-1'
      },
      el('span', { className: 'bk-day__wd', 'aria-hidden': 'true' }, fmtDay(day, { weekday: 'short' })),
      el('span', { className: 'bk-day__num', 'aria-hidden': 'true' }, fmtDay(day, { day: 'numeric' })),
      el('span', { className: 'bk-day__mon', 'aria-hidden': 'true' }, fmtDay(day, { month: 'short' })),
      el('span', { className: 'bk-day__dot', 'aria-hidden': 'true' }));
      b.addEventListener('click', dayClick(day));
      buttons.push(b);
      strip.appendChild(b);
    }
    /* Roving tab stop: the chosen day (or the first free one). */
    var enabled = buttons.filter(function (b) { return !b.disabled; });
    var stop = enabled.filter(function (b) { return b.getAttribute('aria-pressed') === 'true'; })[0] || enabled[0];
    if (stop) stop.setAttribute('tabindex', '0');
    strip.addEventListener('keydown', function (event) {
      var list = buttons.filter(function (b) { return !b.disabled; });
      var at = list.indexOf(document.activeElement);
      if (at < 0) return;
      var to = -1;
      var all = buttons.indexOf(document.activeElement);
      if (event.key === 'ArrowRight') to = at + 1;
      else if (event.key === 'ArrowLeft') to = at - 1;
      else if (event.key === 'Home') to = 0;
      else if (event.key === 'End') to = list.length - 1;
      else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        /* A week down or up, to the nearest free day. */
        var target = all + (event.key === 'ArrowDown' ? 7 : -7);
        var best = null;
        list.forEach(function (b) {
          var idx = buttons.indexOf(b);
          if (best === null || Math.abs(idx - target) < Math.abs(buttons.indexOf(best) - target)) best = b;
        });
        to = list.indexOf(best);
      } else return;
      event.preventDefault();
      to = Math.max(0, Math.min(list.length - 1, to));
      list.forEach(function (b) { b.setAttribute('tabindex', '-1'); });
      list[to].setAttribute('tabindex', '0');
      list[to].focus();
    });
    wrap.appendChild(strip);

    function dayClick(day) {
      return function () {
        if (ps.day === day) return;
        ps.day = day;
        S.alternatives = null;
        opts.rerender();
        var count = ps.byDay[day] ? ps.byDay[day].length : 0;
        announce(tn('book.time.shown', count, { day: longDay(day) }));
      };
    }

    /* Times of the chosen day. */
    var times = el('section', { className: 'bk-times', 'aria-live': 'off', 'data-testid': 'times' });
    if (ps.status === 'loading' || ps.status === 'idle') {
      times.appendChild(el('p', { className: 'bk-status', role: 'status', 'data-testid': 'times-loading' }, el('span', { className: 'bk-spinner', 'aria-hidden': 'true' }), t('book.time.loading')));
    } else if (ps.status === 'error') {
      var retry = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'times-retry', 'data-key': 'times-retry' }, t('book.time.retry'));
      retry.addEventListener('click', function () { loadSlots(ps, opts.rerender); opts.rerender(); });
      times.appendChild(el('div', { className: 'bk-msg bk-msg--error', role: 'alert' }, icon(ICONS.alert, 18), el('span', null, t(ps.errorKey || 'book.time.error')), retry));
    } else if (!ps.day) {
      times.appendChild(el('p', { className: 'bk-status bk-status--empty', 'data-testid': 'times-none' }, t('book.time.noneInRange')));
      if (!later.disabled) {
        var more = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'times-later', 'data-key': 'times-later' }, t('book.time.later'));
        more.addEventListener('click', function () { page(1); });
        times.appendChild(el('div', { className: 'bk-actions' }, more));
      }
    } else {
      var dayTitleId = uid('times');
      times.setAttribute('aria-labelledby', dayTitleId);
      times.appendChild(el('h2', { className: 'bk-h2', id: dayTitleId, 'data-testid': 'times-title' }, t('book.time.forDay', { day: longDay(ps.day) })));
      var groups = { morning: [], afternoon: [], evening: [] };
      ps.byDay[ps.day].forEach(function (slot) {
        var hour = parseInt(String(slot.start).slice(11, 13), 10);
        groups[hour < 12 ? 'morning' : (hour < 18 ? 'afternoon' : 'evening')].push(slot);
      });
      ['morning', 'afternoon', 'evening'].forEach(function (g) {
        if (!groups[g].length) return;
        var gid = uid('group');
        var grid = el('div', { className: 'bk-times__grid' });
        groups[g].forEach(function (slot) {
          var isCurrent = opts.current && slot.start === opts.current;
          var b = el('button', {
            type: 'button', className: 'bk-time' + (isCurrent ? ' bk-time--current' : ''), 'data-testid': 'time', 'data-start': slot.start,
            'data-key': 'time-' + slot.start, 'aria-label': t('book.time.timeLabel', { time: fmtTime(slot.start), end: fmtTime(slot.end) }),
            'aria-pressed': opts.pressed !== undefined ? (opts.pressed === slot.start ? 'true' : 'false') : null
          }, fmtTime(slot.start));
          b.addEventListener('click', function () { opts.onPick(slot, b); });
          grid.appendChild(b);
        });
        times.appendChild(el('div', { className: 'bk-times__group', role: 'group', 'aria-labelledby': gid },
          el('h3', { className: 'bk-times__label', id: gid }, t('book.time.' + g)), grid));
      });
    }
    wrap.appendChild(times);

    var ownZone = '';
    try { ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { ownZone = ''; }
    if (ownZone && ownZone !== tz()) wrap.appendChild(el('p', { className: 'bk-note', 'data-testid': 'zone-note' }, t('book.time.zone', { zone: zoneName(tz()) })));
    if (ps.message) wrap.appendChild(messageBox(ps.message, null, 'error', 'picker-error'));
    return wrap;
  }

  function buildTime() {
    var names = listText(selectedServices().map(function (s) { return serviceName(s.code); }));
    var change = el('button', { type: 'button', className: 'bk-linkbtn', 'data-testid': 'change-services', 'data-key': 'change-services', 'aria-label': t('book.time.changeLabel') }, t('book.time.change'));
    change.addEventListener('click', function () { S.alternatives = null; goStep('services'); });
    if (!S.pick || S.pick.services.join(',') !== S.selected.join(',')) {
      S.pick = newPick(S.selected);
      loadSlots(S.pick, function () { if (S.step === 'time') renderBook(false); });
    }
    return [
      heading(t('book.time.title')),
      el('p', { className: 'bk-chosen', 'data-testid': 'chosen-services' },
        el('span', null, t('book.time.chosen', { services: names }) + ' · ' + durationText(totals().min)), ' ', change),
      buildPicker({ ps: S.pick, onPick: holdSlot, rerender: function () { if (S.step === 'time') renderBook(false); } })
    ];
  }

  /* Gives a hold back (fire and forget: the answer is always 204, and a
   * hold that is not given back lapses by itself). keepalive lets the
   * request outlive the page on pagehide. */
  function releaseHold(hold, keepalive) {
    if (!hold || !hold.token || hold.released) return;
    hold.released = true;
    try {
      fetch(API + dealerPath() + '/holds/' + encodeURIComponent(hold.token),
        { method: 'DELETE', credentials: 'omit', cache: 'no-store', keepalive: !!keepalive })
        .catch(function () { /* lapses by itself */ });
    } catch (e) { /* lapses by itself */ }
  }

  function dropHold() {
    var old = S.hold;
    S.hold = null;
    stopTimer();
    releaseHold(old, false);
  }

  /* Picking a time holds it for five minutes; the details come next. A
   * hold kept already is given back once the new one is taken (so the
   * customer never ends up with neither), or when the new time is gone. */
  function holdSlot(slot, button) {
    if (S.busy) return;
    S.busy = true;
    S.pick.message = null;
    if (button) { button.setAttribute('aria-busy', 'true'); button.classList.add('is-busy'); }
    announce(t('book.time.holding', { time: fmtTime(slot.start) }));
    api('POST', dealerPath() + '/holds', { services: S.selected, start: slot.start }).then(function (r) {
      S.busy = false;
      if (button) { button.removeAttribute('aria-busy'); button.classList.remove('is-busy'); }
      if (r.status === 201 && r.data && r.data.hold_token) {
        if (S.hold && S.hold.token !== r.data.hold_token) releaseHold(S.hold, false);
        S.hold = { token: r.data.hold_token, expires: Date.now() + HOLD_MS, expired: false };
        S.slot = { start: r.data.start || slot.start, end: r.data.end || slot.end };
        S.alternatives = null;
        S.formMessage = null;
        S.idemKey = null;
        if (S.step === 'details') renderBook(true); else goStep('details');
        announce(t('book.hold.held', { time: whenShort(S.slot.start) }));
        return;
      }
      if (r.status === 409) {
        S.alternatives = alternativesOf(r);
        S.pick.day = null;
        loadSlots(S.pick, function () { if (S.step === 'time') renderBook(false); });
        if (S.step === 'details') { dropHold(); renderBook(false); focusAlternatives(); return; }
        renderBook(false);
        focusAlternatives();
        return;
      }
      if (S.step === 'details') { S.formMessage = genericError(r); renderBook(false); return; }
      S.pick.message = genericError(r);
      renderBook(false);
    });
  }

  function focusAlternatives() {
    var first = $('[data-testid="alternative"]', main()) || $('[data-testid="alternatives"]', main());
    if (first) { if (!first.hasAttribute('tabindex') && first.tagName !== 'BUTTON') first.setAttribute('tabindex', '-1'); first.focus(); }
  }

  /* ---- 3. details ---- */

  function stopTimer() {
    if (S.timer) { clearInterval(S.timer); S.timer = null; }
  }

  function startTimer() {
    stopTimer();
    var out = $('[data-testid="hold-countdown"]', main());
    if (!S.hold || S.hold.expired || !out) return;
    function tick() {
      var left = Math.max(0, S.hold.expires - Date.now());
      var s = Math.ceil(left / 1000);
      out.textContent = t('book.hold.remaining', { time: Math.floor(s / 60) + ':' + (s % 60 < 10 ? '0' : '') + (s % 60) });
      if (left <= 0) {
        stopTimer();
        S.hold.expired = true;
        var box = $('[data-testid="hold-notice"]', main());
        if (box) {
          box.className = 'bk-msg bk-msg--warn';
          box.replaceChildren(icon(ICONS.clock, 18), el('span', null, t('book.hold.expired')));
        }
        announce(t('book.hold.expired'));
      }
    }
    tick();
    S.timer = setInterval(tick, 1000);
  }

  function summaryCard() {
    var names = selectedServices().map(function (s) { return serviceName(s.code); });
    var d = S.dealer;
    var where = [d.name, d.address].filter(Boolean).join(', ');
    return el('section', { className: 'bk-summary', 'aria-label': t('book.details.summary'), 'data-testid': 'summary' },
      el('div', { className: 'bk-summary__row' }, icon(ICONS.calendar, 18),
        el('div', null, el('div', { className: 'bk-summary__label' }, t('book.details.when')),
          el('div', { className: 'bk-summary__value', 'data-testid': 'summary-when' }, whenText(S.slot.start, S.slot.end)))),
      el('div', { className: 'bk-summary__row' }, icon(ICONS.wrench, 18),
        el('div', null, el('div', { className: 'bk-summary__label' }, t('book.details.services')),
          el('div', { className: 'bk-summary__value' }, listText(names)))),
      el('div', { className: 'bk-summary__row' }, icon(ICONS.pin, 18),
        el('div', null, el('div', { className: 'bk-summary__label' }, t('book.details.where')),
          el('div', { className: 'bk-summary__value' }, where))));
  }

  function inputField(opts) {
    var id = uid(opts.name);
    var errId = id + '-error';
    var hintId = opts.hint ? id + '-hint' : null;
    var describedBy = [hintId, opts.describedBy].filter(Boolean);
    var control = el(opts.tag || 'input', {
      id: id, name: opts.name, type: opts.tag ? null : (opts.type || 'text'), autocomplete: opts.autocomplete || 'off',
      inputmode: opts.inputmode, maxlength: opts.maxlength, autocapitalize: opts.autocapitalize, spellcheck: opts.spellcheck,
      'data-testid': 'field-' + opts.name, 'data-key': 'field-' + opts.name, rows: opts.rows, required: opts.required,
      'aria-required': opts.required ? 'true' : null
    });
    control.value = S.form[opts.name] || '';
    control.addEventListener('input', function () {
      S.form[opts.name] = control.value;
      /* A corrected field loses its error at once (and a contact typed in
       * either box answers "phone or e-mail"). */
      var clear = [opts.name];
      if ((opts.name === 'email' || opts.name === 'phone') && S.formErrors.phone === 'book.errors.contactRequired') clear.push('phone');
      clear.forEach(function (name) {
        if (!S.formErrors[name]) return;
        delete S.formErrors[name];
        var input = $('[data-key="field-' + name + '"]', main());
        var msg = $('[data-testid="error-' + name + '"]', main());
        if (msg) msg.parentNode.removeChild(msg);
        if (input) {
          input.removeAttribute('aria-invalid');
          var ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && !/-error$/.test(x); });
          if (ids.length) input.setAttribute('aria-describedby', ids.join(' ')); else input.removeAttribute('aria-describedby');
        }
      });
    });
    var label = el('label', { for: id }, t(opts.label));
    if (opts.optional) label.appendChild(el('span', { className: 'field__optional' }, ' ' + t('form.optional')));
    var row = el('div', { className: 'field bk-field' }, label, control);
    if (hintId) row.appendChild(el('div', { className: 'field__hint', id: hintId }, t(opts.hint)));
    var errKey = S.formErrors[opts.name];
    if (errKey) {
      row.appendChild(el('div', { className: 'field__error', id: errId, 'data-testid': 'error-' + opts.name }, t(errKey)));
      control.setAttribute('aria-invalid', 'true');
      describedBy.push(errId);
    }
    if (describedBy.length) control.setAttribute('aria-describedby', describedBy.join(' '));
    return row;
  }

  function buildDetails() {
    var nodes = [heading(t('book.details.title')), summaryCard()];
    if (S.hold && !S.hold.expired) {
      nodes.push(el('div', { className: 'bk-msg bk-msg--info', 'data-testid': 'hold-notice' }, icon(ICONS.clock, 18),
        el('span', null, t('book.hold.held', { time: whenShort(S.slot.start) })),
        el('span', { className: 'bk-countdown', role: 'timer', 'aria-live': 'off', 'data-testid': 'hold-countdown' })));
    } else if (S.hold && S.hold.expired) {
      nodes.push(el('div', { className: 'bk-msg bk-msg--warn', 'data-testid': 'hold-notice' }, icon(ICONS.clock, 18), el('span', null, t('book.hold.expired'))));
    }
    if (S.alternatives) {
      S.pick = S.pick || newPick(S.selected);
      nodes.push(buildPicker({ ps: S.pick, onPick: holdSlot, rerender: function () { if (S.step === 'details') renderBook(false); } }));
    }
    var contactHint = uid('contact-hint');
    var more = el('details', { className: 'bk-more', 'data-testid': 'more', open: S.form.more },
      el('summary', { 'data-testid': 'more-toggle', 'data-key': 'more-toggle' }, t('book.details.more')),
      el('div', { className: 'bk-more__body' },
        inputField({ name: 'vin', label: 'book.details.vin', hint: 'book.details.vinHint', optional: true, maxlength: 17, autocapitalize: 'characters', spellcheck: 'false' }),
        inputField({ name: 'mileage', label: 'book.details.mileage', optional: true, inputmode: 'numeric', maxlength: 8 }),
        inputField({ name: 'notes', tag: 'textarea', label: 'book.details.notes', optional: true, maxlength: 1000, rows: 3 })));
    more.addEventListener('toggle', function () { S.form.more = more.open; });
    var submit = el('button', { type: 'submit', className: 'button button--primary bk-next', 'data-testid': 'confirm', 'data-key': 'confirm',
      'aria-busy': S.busy ? 'true' : null, disabled: S.busy }, t(S.busy ? 'book.details.confirming' : 'book.details.confirm'));
    var back = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'details-back', 'data-key': 'details-back' }, t('book.details.back'));
    back.addEventListener('click', function () { S.alternatives = null; dropHold(); goStep('time'); });
    var form = el('form', { className: 'bk-form bk-card', novalidate: true, 'data-testid': 'details-form' },
      inputField({ name: 'name', label: 'book.details.name', autocomplete: 'name', required: true, maxlength: 200 }),
      el('div', { className: 'bk-pair' },
        inputField({ name: 'phone', type: 'tel', label: 'book.details.phone', autocomplete: 'tel', inputmode: 'tel', maxlength: 40, describedBy: contactHint }),
        inputField({ name: 'email', type: 'email', label: 'book.details.email', autocomplete: 'email', inputmode: 'email', maxlength: 254, autocapitalize: 'off', spellcheck: 'false', describedBy: contactHint })),
      el('p', { className: 'field__hint bk-contact-hint', id: contactHint }, t('book.details.contactHint')),
      inputField({ name: 'plate', label: 'book.details.plate', optional: true, maxlength: 20, autocapitalize: 'characters', spellcheck: 'false' }),
      more,
      S.formMessage ? messageBox(S.formMessage, null, 'error', 'details-error') : null,
      el('div', { className: 'bk-actions' }, submit, back),
      el('p', { className: 'bk-note' }, t('book.details.privacy')));
    form.addEventListener('submit', function (event) { event.preventDefault(); confirmBooking(); });
    nodes.push(form);
    return nodes;
  }

  function focusFirstError() {
    var bad = $('[aria-invalid="true"]', main());
    if (bad) bad.focus();
  }

  function confirmBooking() {
    if (S.busy) return;
    var f = S.form;
    var errors = {};
    var name = f.name.trim();
    var phone = f.phone.trim();
    var email = f.email.trim();
    var vin = f.vin.replace(/[\s-]+/g, '').toUpperCase();
    var mileage = f.mileage.replace(/[\s.,']/g, '');
    if (!name) errors.name = 'book.errors.nameRequired';
    if (!phone && !email) errors.phone = 'book.errors.contactRequired';
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'book.errors.emailInvalid';
    if (phone && !/^\+?[\d\s().\/-]{6,}$/.test(phone)) errors.phone = 'book.errors.phoneInvalid';
    if (vin && !/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) { errors.vin = 'book.errors.vinInvalid'; S.form.more = true; }
    if (mileage && !/^\d{1,7}$/.test(mileage)) { errors.mileage = 'book.errors.mileageInvalid'; S.form.more = true; }
    S.formErrors = errors;
    S.formMessage = null;
    if (Object.keys(errors).length) {
      renderBook(false);
      focusFirstError();
      return;
    }
    var body = { services: S.selected, start: S.slot.start, customer: { name: name }, language: S.lang };
    if (phone) body.customer.phone = phone;
    if (email) body.customer.email = email;
    var vehicle = {};
    if (f.plate.trim()) vehicle.plate = f.plate.trim().toUpperCase();
    if (vin) vehicle.vin = vin;
    if (mileage) vehicle.mileage_km = parseInt(mileage, 10);
    if (Object.keys(vehicle).length) body.vehicle = vehicle;
    if (f.notes.trim()) body.notes = f.notes.trim();
    if (S.hold && !S.hold.expired) body.hold_token = S.hold.token;
    /* One key per attempt, kept when the network failed, so a retry can be
     * recognised as the same booking. */
    if (!S.idemKey) S.idemKey = newIdemKey();
    S.busy = true;
    renderBook(false);
    api('POST', dealerPath() + '/bookings', body, { 'Idempotency-Key': S.idemKey }).then(function (r) {
      S.busy = false;
      if (r.status !== 0) S.idemKey = null;
      if ((r.status === 201 || r.status === 200) && r.data && r.data.reference) {
        S.result = { data: r.data, name: name, email: email };
        S.hold = null;
        S.alternatives = null;
        goStep('done');
        announce(t('book.done.title'));
        return;
      }
      if (r.status === 409) {
        dropHold();
        S.alternatives = alternativesOf(r);
        S.pick = S.pick || newPick(S.selected);
        S.pick.day = null;
        loadSlots(S.pick, function () { if (S.step === 'details') renderBook(false); });
        renderBook(false);
        focusAlternatives();
        return;
      }
      if (r.status === 422) {
        var fields = errorOf(r).fields || {};
        var map = {};
        if (fields['customer.name']) map.name = 'book.errors.nameRequired';
        if (fields['customer.phone']) map.phone = 'book.errors.phoneInvalid';
        if (fields['customer.email']) map[email ? 'email' : 'phone'] = email ? 'book.errors.emailInvalid' : 'book.errors.contactRequired';
        if (fields['vehicle.vin']) { map.vin = 'book.errors.vinInvalid'; S.form.more = true; }
        if (fields['vehicle.mileage_km']) { map.mileage = 'book.errors.mileageInvalid'; S.form.more = true; }
        if (fields['vehicle.plate']) map.plate = 'book.errors.plateInvalid';
        S.formErrors = map;
        if (!Object.keys(map).length) S.formMessage = 'book.errors.invalid';
        renderBook(false);
        if (Object.keys(map).length) focusFirstError(); else focusMessage();
        return;
      }
      S.formMessage = genericError(r);
      renderBook(false);
      focusMessage();
    });
  }

  function focusMessage() {
    var box = $('[data-testid="details-error"]', main());
    if (box) { box.setAttribute('tabindex', '-1'); box.focus(); }
  }

  /* ---- 4. done ---- */

  function buildDone() {
    var b = S.result.data;
    var d = S.dealer;
    var manage = manageUrl(b.manage_token);
    var manageAbs = location.origin + manage;
    var names = (Array.isArray(b.services) ? b.services : S.selected).map(function (s) { return serviceName(typeof s === 'string' ? s : s.code); });
    var nodes = [el('section', { className: 'bk-card bk-done', 'data-testid': 'confirmation' },
      el('div', { className: 'bk-done__mark', 'aria-hidden': 'true' }, icon(ICONS.check, 30)),
      heading(t('book.done.title'), 'done-title'),
      el('p', { className: 'bk-lead' }, t('book.done.lead', { name: S.result.name })),
      el('div', { className: 'bk-ref' },
        el('div', { className: 'bk-ref__label' }, t('book.done.reference')),
        el('div', { className: 'bk-ref__value', 'data-testid': 'reference' }, String(b.reference || '')),
        el('div', { className: 'bk-ref__hint' }, t('book.done.referenceHint'))),
      el('dl', { className: 'bk-facts' },
        el('div', null, el('dt', null, t('book.details.when')), el('dd', { 'data-testid': 'done-when' }, whenText(b.start, b.end))),
        el('div', null, el('dt', null, t('book.details.services')), el('dd', null, listText(names))),
        el('div', null, el('dt', null, t('book.details.where')), el('dd', null, [d.name, d.address].filter(Boolean).join(', ')))),
      S.result.email ? el('p', { className: 'bk-note bk-note--ok', 'data-testid': 'email-sent' }, t('book.done.emailSent', { email: S.result.email })) : null,
      el('div', { className: 'bk-actions bk-actions--stack' },
        el('a', { className: 'button button--primary', href: calendarUrl(b.manage_token), download: 'appointment.ics', 'data-testid': 'calendar-link' },
          icon(ICONS.calendar, 18), t('book.done.calendar')),
        el('a', { className: 'button button--secondary', href: manage, 'data-testid': 'manage-link' }, t('book.done.manage'))),
      el('p', { className: 'bk-note' }, t('book.done.manageHint')),
      el('p', { className: 'bk-url mono', 'data-testid': 'manage-url' }, manageAbs)),
    el('p', { className: 'bk-again' }, el('a', { href: bookUrl(S.slug), 'data-testid': 'book-again' }, t('book.done.another')))];
    return nodes;
  }

  /* ------------------------------------------------------------------ */
  /* Manage page                                                          */
  /* ------------------------------------------------------------------ */

  function renderManage(focus) {
    stopTimer();
    var b = S.booking;
    var dealerName = (b.dealer && b.dealer.name) || (S.dealer && S.dealer.name) || '';
    setTitle(t('book.manageDocumentTitle', { dealer: dealerName }));
    paint(buildManage, focus);
  }

  function buildManage() {
    var b = S.booking;
    var d = b.dealer || {};
    var status = String(b.status || '');
    var names = (Array.isArray(b.services) ? b.services : []).map(function (s) { return serviceName(s && s.code); });
    var nodes = [heading(t('book.manage.title'))];
    if (S.manageNotice) {
      nodes.push(el('div', { className: 'bk-msg bk-msg--' + (S.manageNotice.kind || 'ok'), role: 'status', tabindex: '-1', 'data-testid': 'manage-notice' },
        icon(S.manageNotice.kind === 'error' ? ICONS.alert : ICONS.check, 18), el('span', null, t(S.manageNotice.key, S.manageNotice.params))));
    }
    var card = el('section', { className: 'bk-card bk-booking' + (status === 'cancelled' ? ' bk-booking--cancelled' : ''), 'data-testid': 'booking' },
      el('div', { className: 'bk-booking__top' },
        el('span', { className: 'bk-badge bk-badge--' + status.replace(/[^a-z_]/g, ''), 'data-testid': 'booking-status', 'data-status': status }, t('book.manage.status.' + status)),
        el('span', { className: 'bk-booking__ref' }, el('span', { className: 'visually-hidden' }, t('book.done.reference') + ' '),
          el('span', { className: 'mono', 'data-testid': 'booking-reference' }, String(b.reference || '')))),
      el('p', { className: 'bk-booking__when', 'data-testid': 'booking-when' }, whenText(b.start, b.end)),
      el('dl', { className: 'bk-facts' },
        el('div', null, el('dt', null, t('book.details.services')), el('dd', { 'data-testid': 'booking-services' }, listText(names))),
        el('div', null, el('dt', null, t('book.details.where')), el('dd', null, [d.name, d.address].filter(Boolean).join(', ')))));
    nodes.push(card);

    var actions = el('div', { className: 'bk-actions bk-actions--stack' });
    if (status === 'cancelled') {
      card.appendChild(el('p', { className: 'bk-note' }, t('book.manage.cancelledNote')));
      actions.appendChild(el('a', { className: 'button button--secondary', href: calendarUrl(S.token), download: 'appointment.ics', 'data-testid': 'calendar-link' },
        icon(ICONS.calendar, 18), t('book.manage.removeCalendar')));
      if (d.slug) actions.appendChild(el('a', { className: 'button button--primary', href: bookUrl(d.slug), 'data-testid': 'book-new' }, t('book.manage.bookNew')));
      card.appendChild(actions);
      return nodes;
    }
    actions.appendChild(el('a', { className: 'button button--secondary', href: calendarUrl(S.token), download: 'appointment.ics', 'data-testid': 'calendar-link' },
      icon(ICONS.calendar, 18), t('book.done.calendar')));
    if (b.can_change) {
      var move = el('button', { type: 'button', className: 'button button--primary', 'data-testid': 'move', 'data-key': 'move',
        'aria-expanded': S.moving ? 'true' : 'false' }, t('book.manage.move'));
      move.addEventListener('click', function () {
        S.moving = !S.moving;
        S.moveTo = null;
        S.alternatives = null;
        S.manageNotice = null;
        renderManage(false);
        if (S.moving) { var h = $('[data-testid="move-title"]', main()); if (h) h.focus(); }
      });
      var cancel = el('button', { type: 'button', className: 'button button--danger', 'data-testid': 'cancel', 'data-key': 'cancel' }, t('book.manage.cancel'));
      cancel.addEventListener('click', function () { confirmCancel(cancel); });
      actions.appendChild(move);
      actions.appendChild(cancel);
    } else {
      card.appendChild(el('p', { className: 'bk-note', 'data-testid': 'locked' }, d.phone ? t('book.manage.locked', { phone: d.phone }) : t('book.manage.lockedNoPhone')));
    }
    card.appendChild(actions);

    if (S.moving && b.can_change) nodes.push(buildMove());
    return nodes;
  }

  function buildMove() {
    var b = S.booking;
    var codes = (b.services || []).map(function (s) { return s.code; });
    if (!S.pick || S.pick.services.join(',') !== codes.join(',')) {
      S.pick = newPick(codes);
      /* Open on the booked day (its week, when it is further ahead). */
      var booked = slotDay(b.start);
      var today = todayYmd();
      S.pick.from = dayDiff(today, booked) >= DAYS ? addDays(booked, -3) : today;
      S.pick.day = booked;
      loadSlots(S.pick, function () { if (S.moving) renderManage(false); });
    }
    var section = el('section', { className: 'bk-card bk-move', 'aria-labelledby': 'bk-move-title', 'data-testid': 'move-section' },
      el('h2', { className: 'bk-h2 bk-h2--big', id: 'bk-move-title', tabindex: '-1', 'data-testid': 'move-title', 'data-key': 'move-title' }, t('book.manage.moveTitle')),
      buildPicker({
        ps: S.pick, current: b.start, pressed: S.moveTo ? S.moveTo.start : null,
        onPick: function (slot) {
          if (slot.start === b.start) { S.moveTo = null; S.manageNotice = { key: 'book.manage.sameTime', kind: 'info' }; renderManage(false); return; }
          S.moveTo = slot;
          S.manageNotice = null;
          S.alternatives = null;
          renderManage(false);
          var go = $('[data-testid="move-confirm"]', main());
          if (go) go.scrollIntoView({ block: 'nearest' });
        },
        rerender: function () { if (S.moving) renderManage(false); }
      }));
    var confirm = el('button', { type: 'button', className: 'button button--primary', 'data-testid': 'move-confirm', 'data-key': 'move-confirm',
      disabled: !S.moveTo || S.busy, 'aria-busy': S.busy ? 'true' : null },
      S.busy ? t('book.manage.moving') : (S.moveTo ? t('book.manage.moveConfirm', { when: whenShort(S.moveTo.start) }) : t('book.manage.movePick')));
    var keep = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'move-keep', 'data-key': 'move-keep' }, t('book.manage.moveKeep'));
    keep.addEventListener('click', function () {
      S.moving = false; S.moveTo = null; S.alternatives = null;
      renderManage(false);
      var m = $('[data-testid="move"]', main()); if (m) m.focus();
    });
    confirm.addEventListener('click', doMove);
    section.appendChild(el('div', { className: 'bk-actions bk-move__bar' }, confirm, keep));
    return section;
  }

  function reloadBooking() {
    return api('GET', bookingPath()).then(function (r) {
      if (r.status === 200 && r.data) S.booking = r.data;
      return r;
    });
  }

  function doMove() {
    if (S.busy || !S.moveTo) return;
    var to = S.moveTo;
    S.busy = true;
    renderManage(false);
    api('PATCH', bookingPath(), { start: to.start }).then(function (r) {
      S.busy = false;
      if (r.status === 200) {
        reloadBooking().then(function () {
          S.moving = false;
          S.moveTo = null;
          S.alternatives = null;
          S.pick = null;
          S.manageNotice = { key: 'book.manage.moved', params: { when: whenText(S.booking.start, S.booking.end) } };
          renderManage(false);
          focusNotice();
        });
        return;
      }
      if (r.status === 409) {
        var alt = alternativesOf(r);
        reloadBooking().then(function () {
          if (!S.booking.can_change) {
            S.moving = false;
            renderManage(true);
            return;
          }
          S.alternatives = alt;
          S.moveTo = null;
          S.pick.day = null;
          loadSlots(S.pick, function () { if (S.moving) renderManage(false); });
          renderManage(false);
          focusAlternatives();
        });
        return;
      }
      S.manageNotice = { key: genericError(r), kind: 'error' };
      renderManage(false);
      focusNotice();
    });
  }

  function focusNotice() {
    var n = $('[data-testid="manage-notice"]', main());
    if (n) n.focus();
  }

  function confirmCancel(opener) {
    var titleId = uid('cancel-title');
    var textId = uid('cancel-text');
    var keep = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'cancel-keep' }, t('book.manage.cancelKeep'));
    var yes = el('button', { type: 'button', className: 'button button--danger', 'data-testid': 'cancel-confirm' }, t('book.manage.cancelConfirm'));
    var error = el('div', { className: 'form__error', role: 'alert', hidden: true, 'data-testid': 'cancel-error' });
    var dialog = el('dialog', { className: 'dialog bk-dialog', 'aria-labelledby': titleId, 'aria-describedby': textId, 'data-testid': 'cancel-dialog' },
      el('h2', { className: 'dialog__title', id: titleId }, t('book.manage.cancelTitle')),
      el('p', { className: 'dialog__text', id: textId }, whenText(S.booking.start, S.booking.end) + '. ' + t('book.manage.cancelText')),
      error,
      el('div', { className: 'dialog__actions' }, keep, yes));
    var done = false;
    dialog.addEventListener('close', function () {
      if (dialog.parentNode) dialog.parentNode.removeChild(dialog);
      if (!done && opener.isConnected) opener.focus();
    });
    keep.addEventListener('click', function () { dialog.close(); });
    yes.addEventListener('click', function () {
      if (yes.disabled) return;
      yes.disabled = true;
      keep.disabled = true;
      api('DELETE', bookingPath()).then(function (r) {
        yes.disabled = false;
        keep.disabled = false;
        if (r.status !== 200 && r.status !== 204) {
          error.textContent = t(genericError(r));
          error.hidden = false;
          return;
        }
        done = true;
        dialog.close();
        reloadBooking().then(function () {
          S.moving = false;
          S.moveTo = null;
          S.manageNotice = { key: 'book.manage.cancelled' };
          renderManage(false);
          focusNotice();
        });
      });
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    keep.focus();
  }

  /* ------------------------------------------------------------------ */
  /* Start-up and language                                                */
  /* ------------------------------------------------------------------ */

  function parseLocation() {
    var q = new URLSearchParams(location.search);
    var path = location.pathname;
    var m;
    var out = { lang: matchLang(q.get('lang')), services: q.get('services') };
    if ((m = /^\/manage\/([^/]+)\/?$/.exec(path))) out.token = decodeURIComponent(m[1]);
    else if ((m = /^\/book\/([^/]+)\/?$/.exec(path)) && m[1] !== 'index.html') out.slug = decodeURIComponent(m[1]);
    if (!out.token && q.get('manage')) out.token = q.get('manage');
    if (!out.slug && !out.token && q.get('d')) out.slug = q.get('d');
    return out;
  }

  function render(focus) {
    renderHeader();
    applyI18n(document);
    document.documentElement.setAttribute('lang', S.lang);
    var select = $('[data-testid="lang-select"]');
    if (select) select.value = S.lang;
    if (S.mode === 'book') renderBook(focus);
    else if (S.mode === 'manage') renderManage(focus);
    else if (S.pageMessage) fullPageMessage(S.pageMessage[0], S.pageMessage[1]);
  }

  function setLang(lang, focus) {
    var wanted = matchLang(lang) || DEFAULT_LANG;
    return loadDict(DEFAULT_LANG)
      .then(function () { return loadDict(wanted); })
      .catch(function () { wanted = DEFAULT_LANG; })
      .then(function () {
        S.lang = wanted;
        render(focus);
      });
  }

  function onLangChange(event) {
    var lang = matchLang(event.target.value) || DEFAULT_LANG;
    var q = new URLSearchParams(location.search);
    q.set('lang', lang);
    history.replaceState(null, '', location.pathname + '?' + q.toString() + location.hash);
    setLang(lang, false);
  }

  /* Leaving the page gives the hold back; should the page come back from
   * the back-forward cache, the time shows as no longer held. */
  function onPageHide() {
    if (!S.hold || S.hold.expired || S.step === 'done') return;
    releaseHold(S.hold, true);
    S.hold.expired = true;
    stopTimer();
  }

  function onPageShow(event) {
    if (event.persisted && S.mode === 'book' && S.step === 'details') renderBook(false);
  }

  function boot() {
    var loc = parseLocation();
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    $('[data-testid="lang-select"]').addEventListener('change', onLangChange);
    $('.skip-link').addEventListener('click', function (event) {
      event.preventDefault();
      var h = $('h1', main());
      (h || main()).focus();
    });
    var first = loc.lang || browserLang();
    var dicts = loadDict(DEFAULT_LANG).then(function () { return first ? loadDict(first) : null; }).catch(function () { return null; });

    function finish(dealerLocale, then) {
      return dicts.then(function () {
        var lang = loc.lang || browserLang() || matchLang(dealerLocale) || DEFAULT_LANG;
        document.body.classList.remove('is-booting');
        return setLang(lang, false).then(then);
      });
    }

    if (loc.token) {
      S.mode = 'manage';
      S.token = loc.token;
      reloadBooking().then(function (r) {
        if (r.status !== 200 || !S.booking) {
          S.mode = 'none';
          return finish(null, function () {
            if (r.status === 0) fullPageMessage('book.errors.generic', 'book.errors.network');
            else fullPageMessage('book.manage.notFound', 'book.manage.notFoundText');
          });
        }
        var slug = S.booking.dealer && S.booking.dealer.slug;
        S.slug = slug;
        var profile = slug ? api('GET', '/public/dealers/' + encodeURIComponent(slug)) : Promise.resolve({ status: 0 });
        return profile.then(function (p) {
          if (p.status === 200 && p.data) S.dealer = p.data;
          return finish(S.dealer && S.dealer.locale, function () { /* focus stays at the top */ });
        });
      });
      return;
    }
    if (!loc.slug) {
      S.mode = 'none';
      finish(null, function () { fullPageMessage('book.noDealer.title', 'book.noDealer.text'); });
      return;
    }
    S.mode = 'book';
    S.slug = loc.slug;
    api('GET', dealerPath()).then(function (r) {
      if (r.status !== 200 || !r.data) {
        S.mode = 'none';
        finish(null, function () {
          if (r.status === 0) fullPageMessage('book.errors.generic', 'book.errors.network');
          else fullPageMessage('book.notFound.title', 'book.notFound.text');
        });
        return;
      }
      S.dealer = r.data;
      if (loc.services) {
        var wanted = loc.services.split(',');
        S.selected = (S.dealer.services || []).map(function (s) { return s.code; }).filter(function (c) { return wanted.indexOf(c) >= 0; });
      }
      finish(S.dealer.locale, function () {});
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
