/*
 * Forecourt web shell.
 *
 * Design: one classic script (no build step, no framework, nothing fetched
 * from outside the server). index.html holds two hidden views, sign-in and
 * the signed-in shell; this script
 *   - picks the language (saved choice in localStorage "fc_lang", else the
 *     signed-in user's locale, else navigator.languages, else English) and
 *     fills every element marked data-i18n from i18n/<lang>.json;
 *   - asks GET /api/v1/me whether the fc_session cookie is valid and shows
 *     the matching view;
 *   - signs in and out through the API. The session lives in the HttpOnly
 *     cookie the server sets; the page never stores the bearer token. The
 *     CSRF token from login or /me stays in memory only and goes with every
 *     write as X-CSRF-Token;
 *   - renders the pages of the hash routes (#/dealers, ...) into <main>,
 *     choosing the navigation from the user's role;
 *   - the customer pages (#/customers: search as you type and quick-add;
 *     #/customers/<id>: contact details, consents, vehicles, timeline, GDPR
 *     export and erasure), see the "Customers" section below.
 *
 * Safety promise: data from the server reaches the DOM only through
 * textContent / createTextNode / attribute setters, never innerHTML.
 */
(function () {
  'use strict';

  var SUPPORTED_LANGS = ['en', 'fr', 'nl'];
  var DEFAULT_LANG = 'en';
  var LANG_STORAGE_KEY = 'fc_lang';
  var API = '/api/v1';
  var LIST_LIMIT = 50;
  var LOOKUP_LIMIT = 500;

  /* Every page of the shell: route id (the hash and the nav-<id> test hook)
   * → i18n key under "pages." and an optional renderer for its content. */
  var ROUTES = {
    dashboard: { key: 'dashboard' },
    network: { key: 'network' },
    dealers: { key: 'dealers', render: renderDealers },
    users: { key: 'users', render: renderUsers },
    audit: { key: 'audit' },
    customers: { key: 'customers', render: renderCustomers },
    leads: { key: 'leads' },
    workshop: { key: 'workshop' },
    'day-board': { key: 'dayboard' },
    settings: { key: 'settings' }
  };

  /* Navigation by role, in display order. The server decides what a role
   * may see; this only decides what the menu offers. */
  var NAV_BY_ROLE = {
    admin: ['dashboard', 'dealers', 'users', 'audit'],
    brand_manager: ['network', 'dealers'],
    dealer_admin: ['dashboard', 'customers', 'leads', 'day-board', 'workshop', 'users', 'audit', 'settings'],
    sales: ['dashboard', 'customers', 'leads'],
    service_advisor: ['customers', 'day-board'],
    technician: ['day-board']
  };

  var state = {
    lang: DEFAULT_LANG,
    dicts: {},          /* lang → parsed i18n JSON */
    user: null,         /* the signed-in user, or null */
    csrf: null,         /* CSRF token for cookie-authenticated writes */
    view: null,         /* 'signin' | 'shell' */
    renderSeq: 0,       /* bumps on each page render; stale async work checks it */
    focusOnRender: false,
    cleanup: [],        /* run when the page is left (abort requests, timers) */
    leaveGuards: [],    /* asked before the page is left; false = stay */
    userNames: null,    /* promise of user id → name, for "who" on a customer page */
    customerQuery: ''   /* the last customer search, for the way back */
  };

  /* ------------------------------------------------------------------ */
  /* Small DOM helpers                                                    */
  /* ------------------------------------------------------------------ */

  function $(selector, root) {
    return (root || document).querySelector(selector);
  }

  function $all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function byTestId(id, root) {
    return $('[data-testid="' + id + '"]', root);
  }

  /* el('td', {className: 'x', 'data-testid': 'y'}, child, 'text', ...):
   * strings become text nodes, so data can never turn into markup. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    var name;
    if (attrs) {
      for (name in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, name)) continue;
        var value = attrs[name];
        if (value === undefined || value === null || value === false) continue;
        if (name === 'className') node.className = value;
        else if (name === 'text') node.textContent = value;
        else if (name.slice(0, 2) === 'on' && typeof value === 'function') node.addEventListener(name.slice(2), value);
        else node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function storageGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function storageSet(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: keep going */ }
  }

  /* ------------------------------------------------------------------ */
  /* i18n                                                                 */
  /* ------------------------------------------------------------------ */

  /* "fr-CA" → "fr", "NL" → "nl", "de" → null. */
  function matchLang(tag) {
    if (typeof tag !== 'string' || !tag) return null;
    var primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    return SUPPORTED_LANGS.indexOf(primary) >= 0 ? primary : null;
  }

  function savedLang() {
    return matchLang(storageGet(LANG_STORAGE_KEY));
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
    if (state.dicts[lang]) return Promise.resolve(state.dicts[lang]);
    return fetch('/i18n/' + lang + '.json', { credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error('i18n ' + lang + ': HTTP ' + res.status);
        return res.json();
      })
      .then(function (dict) {
        state.dicts[lang] = dict;
        return dict;
      });
  }

  function lookup(dict, key) {
    var parts = key.split('.');
    var node = dict;
    for (var i = 0; i < parts.length; i++) {
      if (!node || typeof node !== 'object') return undefined;
      node = node[parts[i]];
    }
    return typeof node === 'string' ? node : undefined;
  }

  /* t('home.title', {name: 'Ada'}): the current language, then English,
   * then the key itself (a visible key is a bug that tests can spot). */
  function t(key, params) {
    var text = lookup(state.dicts[state.lang], key);
    if (text === undefined) text = lookup(state.dicts[DEFAULT_LANG], key);
    if (text === undefined) text = key;
    if (params) {
      text = text.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
      });
    }
    return text;
  }

  /* Fill every [data-i18n] (text) and [data-i18n-<attr>] (attribute). */
  function applyI18n(root) {
    $all('[data-i18n]', root).forEach(function (node) {
      node.textContent = t(node.getAttribute('data-i18n'));
    });
    ['aria-label', 'placeholder', 'title'].forEach(function (attr) {
      $all('[data-i18n-' + attr + ']', root).forEach(function (node) {
        node.setAttribute(attr, t(node.getAttribute('data-i18n-' + attr)));
      });
    });
  }

  function setLang(lang) {
    var wanted = matchLang(lang) || DEFAULT_LANG;
    return loadDict(DEFAULT_LANG)
      .then(function () { return loadDict(wanted); })
      .catch(function () { wanted = DEFAULT_LANG; })
      .then(function () {
        state.lang = wanted;
        document.documentElement.setAttribute('lang', wanted);
        var select = byTestId('lang-select');
        if (select) select.value = wanted;
        applyI18n(document);
        if (state.view === 'shell') {
          renderChrome();
          renderRoute();
        } else {
          setDocumentTitle(t('login.title'));
        }
      });
  }

  function setDocumentTitle(page) {
    document.title = page ? t('app.documentTitle', { page: page }) : t('app.name');
  }

  /* ------------------------------------------------------------------ */
  /* API                                                                  */
  /* ------------------------------------------------------------------ */

  /* Resolves (never rejects) to {status, data}; status 0 = network error.
   * Writes carry the CSRF token; the session itself is the cookie. */
  /* opts (optional): {signal: AbortSignal, headers: {...}}. An aborted
   * request resolves to {status: 0, aborted: true}. The result carries the
   * ETag response header as `etag` (or null). */
  function api(method, path, body, opts) {
    var headers = { Accept: 'application/json' };
    var init = { method: method, credentials: 'same-origin', cache: 'no-store', headers: headers };
    var name;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && method !== 'HEAD' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    if (opts && opts.headers) {
      for (name in opts.headers) {
        if (Object.prototype.hasOwnProperty.call(opts.headers, name)) headers[name] = opts.headers[name];
      }
    }
    if (opts && opts.signal) init.signal = opts.signal;
    return fetch(API + path, init)
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          if (text) {
            try { data = JSON.parse(text); } catch (e) { data = null; }
          }
          return { status: res.status, data: data, etag: res.headers.get('ETag') };
        });
      })
      .catch(function (err) {
        var aborted = !!(err && err.name === 'AbortError') || !!(opts && opts.signal && opts.signal.aborted);
        return { status: 0, data: null, etag: null, aborted: aborted };
      });
  }

  function errorCode(result) {
    return result && result.data && result.data.error && typeof result.data.error.code === 'string'
      ? result.data.error.code : '';
  }

  /* Fetch a whole list (following next_cursor up to `max` items), for
   * lookups such as brand and dealer names. Resolves to [] on any error. */
  function fetchAll(path, max) {
    var items = [];
    function page(cursor) {
      var sep = path.indexOf('?') >= 0 ? '&' : '?';
      var url = path + sep + 'limit=' + LOOKUP_LIMIT + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      return api('GET', url).then(function (r) {
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.items)) return items;
        items = items.concat(r.data.items);
        if (r.data.next_cursor && items.length < max) return page(r.data.next_cursor);
        return items;
      });
    }
    return page(null);
  }

  /* ------------------------------------------------------------------ */
  /* Views                                                                */
  /* ------------------------------------------------------------------ */

  function showView(name) {
    state.view = name;
    $all('[data-view]').forEach(function (view) {
      view.hidden = view.getAttribute('data-view') !== name;
    });
    /* The one language selector travels to the visible view. */
    var slot = $('[data-view="' + name + '"] [data-role="lang-slot"]');
    var lang = $('[data-role="lang"]');
    if (slot && lang && lang.parentNode !== slot) slot.appendChild(lang);
    document.body.classList.remove('is-booting');
  }

  function setMessage(node, key) {
    if (!node) return;
    if (key) {
      node.setAttribute('data-i18n', key);
      node.textContent = t(key);
      node.hidden = false;
    } else {
      node.removeAttribute('data-i18n');
      node.textContent = '';
      node.hidden = true;
    }
  }

  /* ---- sign-in ---------------------------------------------------- */

  function showSignin(noticeKey) {
    state.user = null;
    state.csrf = null;
    state.focusOnRender = false;
    state.renderSeq++;
    state.userNames = null;
    runCleanup();
    var page = $('[data-role="page"]');
    if (page) page.replaceChildren();
    setMessage(byTestId('shell-notice'), null);
    setMessage(byTestId('login-notice'), noticeKey || null);
    setLoginError(null);
    resetSubmit();
    showView('signin');
    setDocumentTitle(t('login.title'));
    var email = byTestId('login-email');
    var password = byTestId('login-password');
    password.value = '';
    (email.value ? password : email).focus();
  }

  function setLoginError(key, fields) {
    setMessage(byTestId('login-error'), key);
    var email = byTestId('login-email');
    var password = byTestId('login-password');
    [email, password].forEach(function (input) {
      if (key) input.setAttribute('aria-describedby', 'login-error');
      else input.removeAttribute('aria-describedby');
      input.removeAttribute('aria-invalid');
    });
    (fields || []).forEach(function (input) { input.setAttribute('aria-invalid', 'true'); });
  }

  function resetSubmit() {
    var submit = byTestId('login-submit');
    submit.disabled = false;
    submit.removeAttribute('aria-busy');
    submit.setAttribute('data-i18n', 'login.submit');
    submit.textContent = t('login.submit');
  }

  function onLoginSubmit(event) {
    event.preventDefault();
    var email = byTestId('login-email');
    var password = byTestId('login-password');
    var submit = byTestId('login-submit');
    if (submit.disabled) return;

    var address = email.value.trim();
    var missing = [];
    if (!address) missing.push(email);
    if (!password.value) missing.push(password);
    if (missing.length) {
      setLoginError('login.errors.required', missing);
      missing[0].focus();
      return;
    }

    setMessage(byTestId('login-notice'), null);
    setLoginError(null);
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    submit.setAttribute('data-i18n', 'login.submitting');
    submit.textContent = t('login.submitting');

    api('POST', '/auth/login', { email: address, password: password.value }).then(function (r) {
      if (r.status === 200 && r.data && r.data.user) {
        password.value = '';
        resetSubmit();
        state.focusOnRender = true; /* move focus to the page heading */
        return enterShell(r.data.user, r.data.csrf_token);
      }
      resetSubmit();
      var errCode = errorCode(r);
      if (r.status === 401 || errCode === 'unauthenticated') {
        setLoginError('login.errors.credentials', [email, password]);
        password.value = '';
        password.focus();
      } else if (r.status === 429 || errCode === 'rate_limited') {
        setLoginError('login.errors.rateLimited');
      } else if (r.status === 422 || r.status === 400 || errCode === 'validation_failed') {
        setLoginError('login.errors.validation', [email, password]);
        email.focus();
      } else if (r.status === 0) {
        setLoginError('login.errors.network');
      } else {
        setLoginError('login.errors.generic');
      }
    });
  }

  /* ---- shell ------------------------------------------------------ */

  function enterShell(user, csrf) {
    state.user = user;
    state.csrf = typeof csrf === 'string' ? csrf : null;
    /* No saved choice: the user's own locale wins over the browser's. */
    var lang = savedLang() || matchLang(user.locale) || state.lang;
    /* Load the language before showing the shell, so it never flashes
     * in the sign-in page's language. */
    return loadDict(lang).catch(function () { return null; }).then(function () {
      showView('shell');
      setMessage(byTestId('shell-notice'), null);
      /* A language chosen while the dictionary loaded wins over the guess. */
      lang = savedLang() || lang;
      if (lang !== state.lang) return setLang(lang); /* re-renders chrome and route */
      renderChrome();
      renderRoute();
      return null;
    });
  }

  function navFor(user) {
    return (user && NAV_BY_ROLE[user.role]) || [];
  }

  function initials(name) {
    var words = String(name || '').trim().split(/\s+/).filter(Boolean);
    if (!words.length) return '';
    var first = Array.from(words[0])[0] || '';
    var last = words.length > 1 ? (Array.from(words[words.length - 1])[0] || '') : '';
    return (first + last).toLocaleUpperCase();
  }

  function roleLabel(role) {
    return NAV_BY_ROLE[role] ? t('roles.' + role) : t('roles.unknown');
  }

  function renderChrome() {
    var user = state.user;
    if (!user) return;
    byTestId('user-name').textContent = user.name || user.email || '';
    byTestId('user-role').textContent = roleLabel(user.role);
    $('[data-role="user-initials"]').textContent = initials(user.name || user.email);
    byTestId('user').setAttribute('title', t('shell.signedInAs', { name: user.name || user.email || '', role: roleLabel(user.role) }));

    var list = $('[data-role="nav-list"]');
    var current = currentRoute();
    list.replaceChildren();
    navFor(user).forEach(function (id) {
      var link = el('a', {
        className: 'sidenav__link',
        href: '#/' + id,
        'data-testid': 'nav-' + id,
        'data-route': id,
        'aria-current': id === current ? 'page' : null
      }, el('span', { className: 'sidenav__icon', 'aria-hidden': 'true' }), t('pages.' + ROUTES[id].key + '.title'));
      list.appendChild(el('li', null, link));
    });
  }

  function markActiveNav(route) {
    $all('[data-route]', $('[data-role="nav-list"]')).forEach(function (link) {
      if (link.getAttribute('data-route') === route) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
  }

  function onLogout() {
    var button = byTestId('logout');
    if (button.disabled) return;
    button.disabled = true;
    api('POST', '/auth/logout').then(function (r) {
      button.disabled = false;
      if (r.status === 204 || r.status === 200 || r.status === 401) {
        /* Next user starts on the welcome page, not on our last route. */
        if (location.hash) history.replaceState(null, '', location.pathname + location.search);
        showSignin('login.signedOut');
      } else {
        setMessage(byTestId('shell-notice'), 'shell.logoutFailed');
      }
    });
  }

  /* Any 401 while signed in: the cookie expired or was revoked. */
  function sessionExpired() {
    showSignin('login.expired');
  }

  /* ------------------------------------------------------------------ */
  /* Routing and pages                                                    */
  /* ------------------------------------------------------------------ */

  /* '#/dealers' → 'dealers'; '', '#', '#/' → 'home'. */
  function currentRoute() {
    var hash = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
    return safeDecode(hash) || 'home';
  }

  /* '#/customers/01AB?q=x' → {parts: ['customers', '01AB'], query: {q: 'x'}}. */
  function routeInfo() {
    var raw = location.hash.replace(/^#\/?/, '');
    var qpos = raw.indexOf('?');
    var path = qpos >= 0 ? raw.slice(0, qpos) : raw;
    var query = {};
    if (qpos >= 0) {
      raw.slice(qpos + 1).split('&').forEach(function (pair) {
        if (!pair) return;
        var eq = pair.indexOf('=');
        var key = safeDecode((eq >= 0 ? pair.slice(0, eq) : pair).replace(/\+/g, ' '));
        query[key] = safeDecode((eq >= 0 ? pair.slice(eq + 1) : '').replace(/\+/g, ' '));
      });
    }
    return { parts: path.split('/').filter(Boolean).map(safeDecode), query: query };
  }

  function safeDecode(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }

  function pageHeader(title, text) {
    var h1 = el('h1', { className: 'page__title', 'data-testid': 'page-title', tabindex: '-1' }, title);
    var header = el('header', { className: 'page__header' }, h1);
    if (text) header.appendChild(el('p', { className: 'page__lead', 'data-testid': 'page-lead' }, text));
    return { header: header, h1: h1 };
  }

  function renderRoute() {
    if (state.view !== 'shell' || !state.user) return;
    var seq = ++state.renderSeq;
    var route = currentRoute();
    var container = $('[data-role="page"]');
    var allowed = navFor(state.user);
    var head;

    runCleanup();
    container.replaceChildren();
    container.setAttribute('data-page', route);
    markActiveNav(route);

    if (route === 'home') {
      var name = state.user.name || state.user.email || '';
      head = pageHeader(t('home.title', { name: name }), t('home.intro'));
      container.appendChild(head.header);
      container.appendChild(el('div', { className: 'card card--welcome', 'data-testid': 'welcome' },
        el('p', null, t('home.role', { role: roleLabel(state.user.role) })),
        shortcutList(allowed)));
      setDocumentTitle(t('nav.home'));
    } else if (!ROUTES[route] || allowed.indexOf(route) < 0) {
      head = pageHeader(t('page.notFound.title'), t('page.notFound.text'));
      container.appendChild(head.header);
      container.appendChild(el('p', null, el('a', { href: '#/', className: 'link' }, t('page.notFound.back'))));
      setDocumentTitle(t('page.notFound.title'));
    } else {
      var def = ROUTES[route];
      var title = t('pages.' + def.key + '.title');
      head = pageHeader(title, t('pages.' + def.key + '.text'));
      container.appendChild(head.header);
      setDocumentTitle(title);
      if (def.render) {
        /* A renderer may return an element to focus on arrival (the
         * customer search box), instead of the page heading. */
        var focusTarget = def.render(container, seq, head);
        if (focusTarget && typeof focusTarget.focus === 'function') {
          state.focusOnRender = false;
          focusTarget.focus();
        }
      } else {
        container.appendChild(el('div', { className: 'card card--empty', 'data-testid': 'coming-soon' },
          el('span', { className: 'card__badge', 'aria-hidden': 'true' }),
          el('p', null, t('page.comingSoon'))));
      }
    }

    if (state.focusOnRender) {
      state.focusOnRender = false;
      head.h1.focus();
    }
  }

  function shortcutList(routes) {
    var list = el('ul', { className: 'shortcuts' });
    routes.forEach(function (id) {
      var key = ROUTES[id].key;
      list.appendChild(el('li', null,
        el('a', { className: 'shortcut', href: '#/' + id, 'data-testid': 'shortcut-' + id },
          el('span', { className: 'shortcut__title' }, t('pages.' + key + '.title')),
          el('span', { className: 'shortcut__text' }, t('pages.' + key + '.text')))));
    });
    return list;
  }

  function runCleanup() {
    var list = state.cleanup;
    state.cleanup = [];
    state.leaveGuards = [];
    list.forEach(function (fn) {
      try { fn(); } catch (e) { /* leaving the page anyway */ }
    });
  }

  function onLeave(fn) {
    state.cleanup.push(fn);
  }

  /* A page with unsaved edits registers fn() (true = leave, false = stay,
   * e.g. from confirm()); asked before another route or another language
   * redraws it. The guards go when the page is left, with its cleanup. */
  function guardLeave(fn) {
    state.leaveGuards.push(fn);
  }

  function mayLeave() {
    return state.leaveGuards.every(function (fn) {
      try { return fn() !== false; } catch (e) { return true; }
    });
  }

  function isCurrent(seq) {
    return seq === state.renderSeq && state.view === 'shell';
  }

  /* Pages kept in scripts of their own (leads.js, dashboards.js, loaded after
   * this one) fill in the renderer of their ROUTES entry with
   * Forecourt.registerPage(id, render) and use the shell's helpers from
   * Forecourt.kit; nothing else of this closure is reachable. A page that
   * registers after its route was shown re-renders it. */
  window.Forecourt = Object.freeze({
    registerPage: function (id, render) {
      if (!Object.prototype.hasOwnProperty.call(ROUTES, id) || typeof render !== 'function') return;
      ROUTES[id].render = render;
      if (state.view === 'shell' && currentRoute() === id) renderRoute();
    },
    kit: Object.freeze({
      API: API, el: el, $: $, $all: $all, byTestId: byTestId, t: t, tn: tn, api: api, fetchAll: fetchAll,
      errorCode: errorCode, fieldErrors: fieldErrors, writeErrorKey: writeErrorKey, isCurrent: isCurrent,
      onLeave: onLeave, guardLeave: guardLeave, sessionExpired: sessionExpired, renderRoute: renderRoute, routeInfo: routeInfo,
      setDocumentTitle: setDocumentTitle, uniqueId: uniqueId, field: field, formMessage: formMessage,
      showFormMessage: showFormMessage, str: str, formatNumber: formatNumber, formatDateTime: formatDateTime,
      formatDate: formatDate, timeNode: timeNode, listFormat: listFormat, clip: clip, initials: initials,
      roleLabel: roleLabel, customerName: customerName, customerUrl: customerUrl, userNames: userNames,
      actorName: actorName, channelLabel: channelLabel, channelIcon: channelIcon, eventTitle: eventTitle,
      eventSummary: eventSummary,
      lang: function () { return state.lang; },
      user: function () { return state.user; }
    })
  });

  /*
   * A paged table backed by a list endpoint ({items, next_cursor}).
   * opts: path, testid, rowTestid, captionKey, emptyKey,
   *       columns: [{labelKey, className, cell(item, lookups) → Node|string}],
   *       lookups(): Promise of whatever cell() needs (names for ids).
   */
  function listTable(container, seq, opts) {
    var region = el('section', { className: 'card card--table', 'aria-busy': 'true' });
    var status = el('p', { className: 'list-status', role: 'status', 'data-testid': 'list-status' }, t('list.loading'));
    region.appendChild(status);
    container.appendChild(region);

    var table = null;
    var tbody = null;
    var footer = null;
    var count = 0;
    var lookupsPromise = opts.lookups ? opts.lookups() : Promise.resolve({});

    function showError(r) {
      region.removeAttribute('aria-busy');
      var key = r.status === 403 ? 'errors.forbidden' : 'list.error';
      status.textContent = t(key);
      status.className = 'list-status list-status--error';
      var retry = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'list-retry' }, t('list.retry'));
      retry.addEventListener('click', function () { renderRoute(); });
      status.appendChild(document.createTextNode(' '));
      status.appendChild(retry);
    }

    function ensureTable() {
      if (table) return;
      var headRow = el('tr');
      opts.columns.forEach(function (col) {
        headRow.appendChild(el('th', { scope: 'col', className: col.className }, t(col.labelKey)));
      });
      tbody = el('tbody');
      table = el('table', { className: 'table', 'data-testid': opts.testid },
        el('caption', { className: 'visually-hidden' }, t(opts.captionKey)),
        el('thead', null, headRow), tbody);
      footer = el('div', { className: 'table-footer' });
      region.insertBefore(el('div', { className: 'table-scroll' }, table), status);
      region.appendChild(footer);
    }

    function load(cursor) {
      var url = opts.path + '?limit=' + LIST_LIMIT + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      region.setAttribute('aria-busy', 'true');
      return Promise.all([api('GET', url), lookupsPromise]).then(function (results) {
        var r = results[0];
        var lookups = results[1] || {};
        if (!isCurrent(seq)) return;
        if (r.status === 401) { sessionExpired(); return; }
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.items)) { showError(r); return; }
        region.removeAttribute('aria-busy');

        var items = r.data.items;
        if (!count && !items.length) {
          status.textContent = t(opts.emptyKey);
          status.setAttribute('data-testid', 'list-empty');
          return;
        }
        ensureTable();
        items.forEach(function (item) {
          var row = el('tr', { 'data-testid': opts.rowTestid, 'data-id': item && item.id });
          opts.columns.forEach(function (col) {
            var value = col.cell(item || {}, lookups);
            row.appendChild(el('td', { className: col.className }, value === '' || value === null || value === undefined ? t('list.none') : value));
          });
          tbody.appendChild(row);
        });
        count += items.length;
        status.textContent = t('list.count', { count: count });
        status.className = 'list-status list-status--count';

        footer.replaceChildren();
        if (r.data.next_cursor) {
          var more = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'list-more' }, t('list.more'));
          more.addEventListener('click', function () {
            more.disabled = true;
            load(r.data.next_cursor);
          });
          footer.appendChild(more);
        }
      });
    }

    load(null);
  }

  function str(value) {
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }

  function mono(value) {
    var text = str(value);
    return text ? el('span', { className: 'mono' }, text) : '';
  }

  function indexBy(items, key) {
    var map = Object.create(null);
    items.forEach(function (item) { if (item && item[key] !== undefined) map[item[key]] = item; });
    return map;
  }

  function brandLookups() {
    return fetchAll('/brands', LOOKUP_LIMIT * 4).then(function (brands) {
      return { brands: indexBy(brands, 'id') };
    });
  }

  function brandChips(ids, brands) {
    if (!Array.isArray(ids) || !ids.length) return '';
    var labels = ids.map(function (id) {
      var brand = brands && brands[id];
      return str(brand && (brand.name || brand.slug)) || str(id);
    }).sort(function (a, b) { return a.localeCompare(b, state.lang); });
    var wrap = el('span', { className: 'chips' });
    labels.forEach(function (label) { wrap.appendChild(el('span', { className: 'chip' }, label)); });
    return wrap;
  }

  function renderDealers(container, seq) {
    listTable(container, seq, {
      path: '/dealers',
      testid: 'dealers-table',
      rowTestid: 'dealer-row',
      captionKey: 'dealers.caption',
      emptyKey: 'dealers.empty',
      lookups: brandLookups,
      columns: [
        { labelKey: 'dealers.columns.name', className: 'cell-strong', cell: function (d) { return str(d.name); } },
        { labelKey: 'dealers.columns.slug', cell: function (d) { return mono(d.slug); } },
        { labelKey: 'dealers.columns.timezone', cell: function (d) { return str(d.timezone); } },
        { labelKey: 'dealers.columns.locale', cell: function (d) { return mono(d.locale); } },
        { labelKey: 'dealers.columns.brands', cell: function (d, l) { return brandChips(d.brand_ids, l.brands); } }
      ]
    });
  }

  function renderUsers(container, seq) {
    listTable(container, seq, {
      path: '/users',
      testid: 'users-table',
      rowTestid: 'user-row',
      captionKey: 'users.caption',
      emptyKey: 'users.empty',
      lookups: function () {
        return Promise.all([fetchAll('/dealers', LOOKUP_LIMIT * 4), brandLookups()]).then(function (r) {
          return { dealers: indexBy(r[0], 'id'), brands: r[1].brands };
        });
      },
      columns: [
        { labelKey: 'users.columns.name', className: 'cell-strong', cell: function (u) { return str(u.name); } },
        { labelKey: 'users.columns.email', cell: function (u) { return str(u.email); } },
        { labelKey: 'users.columns.role', cell: function (u) {
          return u.role ? el('span', { className: 'role role--' + String(u.role).replace(/[^a-z_]/g, '') }, roleLabel(u.role)) : '';
        } },
        { labelKey: 'users.columns.scope', cell: function (u, l) {
          if (u.dealer_id) { var d = l.dealers[u.dealer_id]; return str(d && d.name) || str(u.dealer_id); }
          if (u.brand_id) { var b = l.brands[u.brand_id]; return str(b && (b.name || b.slug)) || str(u.brand_id); }
          return '';
        } }
      ]
    });
  }

  /* ------------------------------------------------------------------ */
  /* Customers                                                            */
  /* ------------------------------------------------------------------ */

  /*
   * #/customers            search as you type (GET /customers?q=), newest
   *                        first without a query, and the quick-add form;
   * #/customers?q=text     the same, with that search (kept in the URL with
   *                        replaceState, so Back from a customer returns to it);
   * #/customers/<id>       one customer: contact details (inline edit with
   *                        If-Match), consents, vehicles, the timeline, GDPR
   *                        export and erasure.
   */

  var SEARCH_DEBOUNCE_MS = 200;
  var SEARCH_LIMIT = 20;
  var TIMELINE_LIMIT = 30;
  var CONSENT_CHANNELS = ['email', 'sms', 'phone', 'post'];
  var CUSTOMER_LANGS = ['en', 'fr', 'nl', 'fr-CA'];
  var STANDARD_EVENTS = ['customer.created', 'customer.merged', 'customer.erased', 'consent.granted',
    'consent.withdrawn', 'vehicle.linked', 'vehicle.reading', 'call.logged', 'note.added'];
  var EVENT_CHANNELS = ['web', 'phone', 'email', 'walk_in', 'workshop', 'telematics', 'network'];
  var CONSENT_SOURCE = 'in_person';

  var idCounter = 0;
  function uniqueId(prefix) {
    idCounter += 1;
    return prefix + '-' + idCounter;
  }

  /* Plural-aware t(): key.one / key.other (… as Intl.PluralRules says). */
  function tn(key, count, params) {
    var rule = 'other';
    try { rule = new Intl.PluralRules(state.lang).select(count); } catch (e) { rule = count === 1 ? 'one' : 'other'; }
    var full = key + '.' + rule;
    if (lookup(state.dicts[state.lang], full) === undefined && lookup(state.dicts[DEFAULT_LANG], full) === undefined) {
      full = key + '.other';
    }
    var all = { count: formatNumber(count) };
    if (params) Object.keys(params).forEach(function (k) { all[k] = params[k]; });
    return t(full, all);
  }

  function formatNumber(n) {
    try { return new Intl.NumberFormat(state.lang).format(n); } catch (e) { return String(n); }
  }

  /* Times are shown in the browser's own locale and time zone. */
  function formatDateTime(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) return '';
    try { return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }); } catch (e) { return d.toLocaleString(); }
  }

  function formatDate(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) return '';
    try { return d.toLocaleDateString(undefined, { dateStyle: 'long' }); } catch (e) { return d.toLocaleDateString(); }
  }

  function timeNode(iso, className) {
    var text = formatDateTime(iso);
    if (!text) return null;
    return el('time', { className: className, datetime: str(iso) }, text);
  }

  function customerName(c) {
    if (!c) return '';
    if (c.erased) return t('customers.erasedName');
    var name = str(c.name) || [str(c.first_name), str(c.last_name)].filter(Boolean).join(' ') || str(c.company_name);
    return name || t('customers.unnamed');
  }

  function customerUrl(id) {
    return '#/customers/' + encodeURIComponent(id);
  }

  function searchUrl(q) {
    return '#/customers' + (q ? '?q=' + encodeURIComponent(q) : '');
  }

  function plateChips(vehicles) {
    if (!Array.isArray(vehicles) || !vehicles.length) return null;
    var wrap = el('span', { className: 'plates' });
    vehicles.forEach(function (v) {
      var label = str(v && v.plate) || str(v && v.vin);
      if (label) wrap.appendChild(el('span', { className: v.plate ? 'plate' : 'plate plate--vin' }, label));
    });
    return wrap.childNodes.length ? wrap : null;
  }

  function languageLabel(code) {
    if (!code) return '';
    var key = 'customers.languages.' + code;
    var text = t(key);
    return text === key ? String(code) : text;
  }

  function channelLabel(channel) {
    var key = 'timeline.channels.' + channel;
    var text = t(key);
    return text === key ? String(channel) : text;
  }

  function consentChannelLabel(channel) {
    var key = 'consents.channels.' + channel;
    var text = t(key);
    return text === key ? String(channel) : text;
  }

  function consentSourceLabel(source) {
    if (!source) return '';
    var key = 'consents.sources.' + source;
    var text = t(key);
    return text === key ? String(source) : text;
  }

  /* Names of the dealer's staff for "who did it"; {} when not allowed. */
  function userNames() {
    if (!state.userNames) {
      state.userNames = fetchAll('/users', LOOKUP_LIMIT * 4).then(function (users) {
        var map = Object.create(null);
        users.forEach(function (u) { if (u && u.id) map[u.id] = str(u.name) || str(u.email); });
        return map;
      });
    }
    return state.userNames;
  }

  function actorName(names, id, kind) {
    if (!id) return '';
    if (state.user && id === state.user.id) return str(state.user.name) || str(state.user.email);
    if (names && names[id]) return names[id];
    if (kind === 'api_key') return t('timeline.actors.apiKey');
    if (kind === 'system') return t('timeline.actors.system');
    return t('timeline.actors.colleague');
  }

  /* A labelled input with its own error line (aria-describedby/invalid). */
  function field(opts) {
    var id = uniqueId(opts.id || 'field');
    var errorId = id + '-error';
    var hintId = opts.hintKey ? id + '-hint' : null;
    var control;
    if (opts.tag === 'select') {
      control = el('select', { id: id, name: opts.name, 'data-testid': opts.testid });
      (opts.options || []).forEach(function (o) {
        control.appendChild(el('option', { value: o.value }, o.label));
      });
    } else if (opts.tag === 'textarea') {
      control = el('textarea', { id: id, name: opts.name, rows: opts.rows || 3, maxlength: opts.maxlength,
        'data-testid': opts.testid, placeholder: opts.placeholder });
    } else {
      control = el('input', {
        id: id, name: opts.name, type: opts.type || 'text', autocomplete: opts.autocomplete || 'off',
        inputmode: opts.inputmode, maxlength: opts.maxlength, spellcheck: opts.spellcheck,
        autocapitalize: opts.autocapitalize, 'data-testid': opts.testid, placeholder: opts.placeholder,
        required: opts.required
      });
    }
    if (opts.value !== undefined && opts.value !== null) control.value = opts.value;
    var labelNode = el('label', { for: id }, t(opts.labelKey));
    if (opts.optional) labelNode.appendChild(el('span', { className: 'field__optional' }, ' ' + t('form.optional')));
    var error = el('div', { className: 'field__error', id: errorId, 'data-testid': opts.testid ? opts.testid + '-error' : null, hidden: true });
    var row = el('div', { className: 'field' + (opts.className ? ' ' + opts.className : '') }, labelNode, control);
    if (hintId) row.appendChild(el('div', { className: 'field__hint', id: hintId }, t(opts.hintKey)));
    row.appendChild(error);
    var describedBy = [hintId, opts.describedBy].filter(Boolean).join(' ');
    if (describedBy) control.setAttribute('aria-describedby', describedBy);
    return {
      row: row,
      input: control,
      setError: function (key) {
        if (key) {
          error.textContent = t(key);
          error.hidden = false;
          control.setAttribute('aria-invalid', 'true');
          control.setAttribute('aria-describedby', (describedBy ? describedBy + ' ' : '') + errorId);
        } else {
          error.textContent = '';
          error.hidden = true;
          control.removeAttribute('aria-invalid');
          if (describedBy) control.setAttribute('aria-describedby', describedBy);
          else control.removeAttribute('aria-describedby');
        }
      }
    };
  }

  function fieldErrors(result) {
    var e = result && result.data && result.data.error;
    return (e && e.fields && typeof e.fields === 'object') ? e.fields : {};
  }

  function formMessage(testid, kind) {
    return el('div', {
      className: 'form__error' + (kind ? ' form__error--' + kind : ''),
      role: kind === 'info' ? 'status' : 'alert',
      'data-testid': testid,
      hidden: true
    });
  }

  function showFormMessage(node, key, params) {
    if (!key) { node.textContent = ''; node.hidden = true; return; }
    node.textContent = t(key, params);
    node.hidden = false;
  }

  /* A generic message for an unexpected answer of a write. */
  function writeErrorKey(r) {
    if (r.status === 0) return 'errors.network';
    if (r.status === 403) return 'errors.forbidden';
    if (r.status === 404) return 'customers.errors.gone';
    return 'errors.generic';
  }

  function renderCustomers(container, seq, head) {
    var info = routeInfo();
    if (info.parts[1]) return renderCustomerPage(container, seq, head, info.parts[1]);
    return renderCustomerSearch(container, seq, str(info.query.q));
  }

  /* ---- search and quick-add ----------------------------------------- */

  function renderCustomerSearch(container, seq, initialQuery) {
    var listId = uniqueId('customer-results');
    var statusId = uniqueId('customer-status');
    var quickId = uniqueId('quick-add');

    var input = el('input', {
      id: uniqueId('customer-search'), type: 'search', className: 'search__input', 'data-testid': 'customer-search',
      role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
      'aria-describedby': statusId, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
      maxlength: '200', placeholder: t('customers.search.placeholder')
    });
    input.value = initialQuery;
    var addToggle = el('button', {
      type: 'button', className: 'button button--primary search__add', 'data-testid': 'quick-add-toggle',
      'aria-expanded': 'false', 'aria-controls': quickId
    }, el('span', { className: 'button__icon', 'aria-hidden': 'true' }, '+'), t('customers.quickAdd.open'));

    var toolbar = el('div', { className: 'search' },
      el('div', { className: 'search__field' },
        el('label', { className: 'search__label', for: input.id }, t('customers.search.label')),
        el('div', { className: 'search__box' }, el('span', { className: 'search__icon', 'aria-hidden': 'true' }), input)),
      addToggle);
    container.appendChild(toolbar);

    var quick = quickAddForm(quickId, seq, function close(restoreFocus) {
      quick.section.hidden = true;
      addToggle.setAttribute('aria-expanded', 'false');
      if (restoreFocus) addToggle.focus();
    });
    container.appendChild(quick.section);

    function openQuickAdd(prefill) {
      quick.section.hidden = false;
      addToggle.setAttribute('aria-expanded', 'true');
      quick.prefill(prefill);
      quick.focus();
    }
    addToggle.addEventListener('click', function () {
      if (quick.section.hidden) openQuickAdd(input.value.trim());
      else quick.close(false);
    });

    /* Results: a listbox the search box controls (aria-activedescendant);
     * options are links, so a click or middle-click opens them too. */
    var heading = el('h2', { className: 'results__title', 'data-testid': 'results-title' });
    var status = el('p', { className: 'results__status', id: statusId, role: 'status', 'data-testid': 'customer-status' });
    var listbox = el('div', { className: 'results__list', id: listId, role: 'listbox', 'aria-label': t('customers.search.resultsLabel'),
      'data-testid': 'customer-results' });
    var footer = el('div', { className: 'results__footer' });
    var results = el('section', { className: 'card results', 'aria-busy': 'true' },
      el('div', { className: 'results__head' }, heading, status), listbox, footer);
    container.appendChild(results);

    var controller = null;
    var timer = null;
    var items = [];
    var active = -1;
    var shownQuery = null;   /* the query the listed items answer */

    onLeave(function () {
      if (timer) clearTimeout(timer);
      if (controller) controller.abort();
    });

    function setActive(index) {
      var options = $all('[role="option"]', listbox);
      if (!options.length) index = -1;
      else if (index >= options.length) index = options.length - 1;
      else if (index < -1) index = -1;
      active = index;
      options.forEach(function (opt, i) {
        opt.setAttribute('aria-selected', i === index ? 'true' : 'false');
        opt.classList.toggle('is-active', i === index);
      });
      if (index >= 0) {
        input.setAttribute('aria-activedescendant', options[index].id);
        if (options[index].scrollIntoView) options[index].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function open(index) {
      var item = items[index];
      if (item) location.hash = customerUrl(item.id);
    }

    function resultOption(c, index) {
      var contact = [str(c.phone), str(c.email)].filter(Boolean).join(' · ');
      var opt = el('a', {
        id: listId + '-' + index, role: 'option', tabindex: '-1', 'aria-selected': 'false',
        className: 'result', href: customerUrl(c.id), 'data-testid': 'customer-result', 'data-id': c.id
      },
      el('span', { className: 'result__avatar', 'aria-hidden': 'true' }, initials(customerName(c))),
      el('span', { className: 'result__main' },
        el('span', { className: 'result__name', 'data-testid': 'result-name' }, customerName(c)),
        el('span', { className: 'result__contact', 'data-testid': 'result-contact' }, contact || t('customers.noContact'))),
      plateChips(c.vehicles));
      opt.addEventListener('mouseenter', function () { setActive(index); });
      return opt;
    }

    function setStatus(text, kind) {
      status.textContent = text;
      status.className = 'results__status' + (kind ? ' results__status--' + kind : '');
    }

    function syncUrl(q) {
      state.customerQuery = q;
      var want = searchUrl(q);
      if (location.hash !== want) history.replaceState(null, '', want);
    }

    function search(q, cursor) {
      if (!isCurrent(seq)) return;
      if (timer) { clearTimeout(timer); timer = null; }
      if (controller) controller.abort();
      var mine = new AbortController();
      controller = mine;
      if (!cursor) {
        syncUrl(q);
        heading.textContent = q ? t('customers.search.resultsTitle') : t('customers.search.newestTitle');
      }
      results.setAttribute('aria-busy', 'true');
      if (!cursor) setStatus(t('customers.search.searching'));
      var url = '/customers?limit=' + SEARCH_LIMIT + (q ? '&q=' + encodeURIComponent(q) : '') +
        (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      api('GET', url, undefined, { signal: mine.signal }).then(function (r) {
        if (r.aborted || controller !== mine || !isCurrent(seq)) return;
        controller = null;
        results.removeAttribute('aria-busy');
        if (r.status === 401) { sessionExpired(); return; }
        footer.replaceChildren();
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.items)) {
          setStatus(t(r.status === 0 ? 'errors.network' : (r.status === 403 ? 'errors.forbidden' : 'list.error')), 'error');
          var retry = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'search-retry' }, t('list.retry'));
          retry.addEventListener('click', function () { search(q, cursor); });
          footer.appendChild(retry);
          return;
        }
        if (!cursor) {
          items = [];
          listbox.replaceChildren();
          active = -1;
          input.removeAttribute('aria-activedescendant');
        }
        shownQuery = q;
        heading.textContent = q ? t('customers.search.resultsTitle') : t('customers.search.newestTitle');
        r.data.items.forEach(function (c) {
          if (!c || !c.id) return;
          listbox.appendChild(resultOption(c, items.length));
          items.push(c);
        });
        input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
        if (!items.length) {
          if (q) {
            setStatus(t('customers.search.none', { q: q }), 'empty');
            var add = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'search-add' },
              t('customers.search.addNew', { q: q }));
            add.addEventListener('click', function () { openQuickAdd(q); });
            footer.appendChild(add);
          } else {
            setStatus(t('customers.search.emptyDb'), 'empty');
          }
          return;
        }
        setStatus(q ? tn('customers.search.found', items.length) : tn('customers.search.shown', items.length));
        if (r.data.next_cursor) {
          var next = r.data.next_cursor;
          var more = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'customer-more' }, t('list.more'));
          more.addEventListener('click', function () {
            more.disabled = true;
            search(q, next);
          });
          footer.appendChild(more);
        }
      });
    }

    input.addEventListener('input', function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        search(input.value.trim(), null);
      }, SEARCH_DEBOUNCE_MS);
    });

    input.addEventListener('keydown', function (event) {
      if (event.isComposing) return;
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        setActive(active + 1);
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        setActive(active - 1);
      } else if (event.key === 'Enter') {
        event.preventDefault();
        if (active >= 0) { open(active); return; }
        /* Nothing picked: the first result, if it answers what is typed. */
        var q = input.value.trim();
        if (timer || controller || shownQuery !== q) { search(q, null); return; }
        /* Nothing found: Enter starts adding what was typed. */
        if (items.length) open(0);
        else if (q) openQuickAdd(q);
      } else if (event.key === 'Escape' && active >= 0) {
        event.preventDefault();
        setActive(-1);
      }
    });

    search(initialQuery.trim(), null);
    return input;
  }

  /* "06 12…" or "+31…" looks like a phone number, "a@b" like an e-mail. */
  function splitPrefill(text) {
    var value = String(text || '').trim();
    if (!value) return {};
    if (value.indexOf('@') > 0) return { email: value };
    if (/^\+?[\d\s().\/-]{6,}$/.test(value)) return { phone: value };
    if (/\d/.test(value)) return {};
    return { name: value };
  }

  function quickAddForm(sectionId, seq, close) {
    var titleId = uniqueId('quick-add-title');
    var name = field({ id: 'qa-name', name: 'name', labelKey: 'customers.fields.name', testid: 'quick-add-name', autocomplete: 'off', required: true, maxlength: 200 });
    var contactHintId = uniqueId('qa-contact-hint');
    var phone = field({ id: 'qa-phone', name: 'phone', type: 'tel', labelKey: 'customers.fields.phone', testid: 'quick-add-phone', inputmode: 'tel', maxlength: 40, describedBy: contactHintId });
    var email = field({ id: 'qa-email', name: 'email', type: 'email', labelKey: 'customers.fields.email', testid: 'quick-add-email', inputmode: 'email', spellcheck: 'false', autocapitalize: 'off', maxlength: 254, describedBy: contactHintId });
    var consent = el('input', { type: 'checkbox', id: uniqueId('qa-consent'), 'data-testid': 'quick-add-consent' });
    var submit = el('button', { type: 'submit', className: 'button button--primary', 'data-testid': 'quick-add-submit' }, t('customers.quickAdd.submit'));
    var cancel = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'quick-add-cancel' }, t('form.cancel'));
    var error = formMessage('quick-add-error');

    var dupText = el('p', { className: 'duplicate__text' }, t('customers.duplicate.text'));
    var dupName = el('span', { className: 'duplicate__name', 'data-testid': 'duplicate-name' });
    var dupContact = el('span', { className: 'duplicate__contact', 'data-testid': 'duplicate-contact' });
    var dupOpen = el('a', { className: 'button button--primary', 'data-testid': 'duplicate-open', href: '#/customers' }, t('customers.duplicate.open'));
    var dupCreate = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'duplicate-create' }, t('customers.duplicate.createAnyway'));
    var duplicate = el('div', { className: 'duplicate', role: 'alert', 'data-testid': 'duplicate-notice', hidden: true },
      dupText, el('div', { className: 'duplicate__card' }, dupName, dupContact),
      el('div', { className: 'duplicate__actions' }, dupOpen, dupCreate));

    var form = el('form', { className: 'form quick-add__form', 'data-testid': 'quick-add-form', novalidate: true },
      name.row,
      el('div', { className: 'field-pair' }, phone.row, email.row),
      el('p', { className: 'field__hint quick-add__hint', id: contactHintId }, t('customers.quickAdd.hint')),
      el('div', { className: 'check' }, consent, el('label', { for: consent.id }, t('customers.quickAdd.consent'))),
      error, duplicate,
      el('div', { className: 'form__actions' }, submit, cancel));
    var section = el('section', { className: 'card quick-add', id: sectionId, 'aria-labelledby': titleId, 'data-testid': 'quick-add', hidden: true },
      el('h2', { className: 'card__title', id: titleId }, t('customers.quickAdd.title')), form);

    function clearErrors() {
      [name, phone, email].forEach(function (f) { f.setError(null); });
      showFormMessage(error, null);
    }

    function hideDuplicate() {
      duplicate.hidden = true;
    }

    function busy(on) {
      submit.disabled = on;
      dupCreate.disabled = on;
      if (on) submit.setAttribute('aria-busy', 'true'); else submit.removeAttribute('aria-busy');
    }

    function showDuplicate(existingId) {
      dupOpen.setAttribute('href', customerUrl(existingId));
      dupName.textContent = '';
      dupContact.textContent = '';
      duplicate.hidden = false;
      api('GET', '/customers/' + encodeURIComponent(existingId)).then(function (r) {
        if (!isCurrent(seq) || r.status !== 200 || !r.data) return;
        dupName.textContent = customerName(r.data);
        dupContact.textContent = [str(r.data.phone), str(r.data.email)].filter(Boolean).join(' · ');
      });
      dupOpen.focus();
    }

    function send(allowDuplicate) {
      clearErrors();
      var body = { name: name.input.value.trim() };
      var phoneValue = phone.input.value.trim();
      var emailValue = email.input.value.trim();
      var first = null;
      if (!body.name) { name.setError('customers.errors.nameRequired'); first = first || name.input; }
      if (!phoneValue && !emailValue) {
        phone.setError('customers.errors.contactRequired');
        email.input.setAttribute('aria-invalid', 'true');
        first = first || phone.input;
      }
      if (first) { hideDuplicate(); first.focus(); return; }
      if (phoneValue) body.phone = phoneValue;
      if (emailValue) body.email = emailValue;
      if (consent.checked) {
        body.consents = { email: true };
        body.consent_source = CONSENT_SOURCE;
      }
      if (allowDuplicate) body.allow_duplicate = true;
      busy(true);
      api('POST', '/customers', body).then(function (r) {
        if (!isCurrent(seq)) return;
        busy(false);
        if (r.status === 401) { sessionExpired(); return; }
        if (r.status === 201 && r.data && r.data.id) {
          location.hash = customerUrl(r.data.id);
          return;
        }
        if (r.status === 409) {
          var existing = r.data && r.data.error && r.data.error.existing_id;
          if (existing) { showDuplicate(String(existing)); return; }
        }
        hideDuplicate();
        if (r.status === 422) {
          var fields = fieldErrors(r);
          var focus = null;
          if (fields.name) { name.setError('customers.errors.nameRequired'); focus = focus || name.input; }
          if (fields.phone) { phone.setError('customers.errors.phoneInvalid'); focus = focus || phone.input; }
          if (fields.email) {
            if (!emailValue && !phoneValue) phone.setError('customers.errors.contactRequired');
            else email.setError('customers.errors.emailInvalid');
            focus = focus || (emailValue ? email.input : phone.input);
          }
          if (!focus) showFormMessage(error, 'customers.errors.invalid');
          if (focus) focus.focus();
          return;
        }
        showFormMessage(error, writeErrorKey(r));
      });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (submit.disabled) return;
      send(false);
    });
    dupCreate.addEventListener('click', function () {
      if (dupCreate.disabled) return;
      send(true);
    });
    [name, phone, email].forEach(function (f) {
      f.input.addEventListener('input', hideDuplicate);
    });
    cancel.addEventListener('click', function () { close(true); });
    section.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { event.preventDefault(); close(true); }
    });

    return {
      section: section,
      close: close,
      prefill: function (text) {
        var guess = splitPrefill(text);
        if (!name.input.value && guess.name) name.input.value = guess.name;
        if (!phone.input.value && guess.phone) phone.input.value = guess.phone;
        if (!email.input.value && guess.email) email.input.value = guess.email;
      },
      focus: function () {
        var target = [name.input, phone.input, email.input].filter(function (i) { return !i.value; })[0] || name.input;
        target.focus();
      }
    };
  }

  /* ---- one customer ------------------------------------------------- */

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var CHANNEL_ICONS = {
    phone: 'M6.5 3.5h3l1.5 4.5-2 1.5a11 11 0 0 0 5.5 5.5l1.5-2 4.5 1.5v3a2 2 0 0 1-2 2A15.5 15.5 0 0 1 4.5 5.5a2 2 0 0 1 2-2z',
    email: 'M3.5 5.5h17v13h-17z M3.5 6.5l8.5 6.5 8.5-6.5',
    walk_in: 'M12 2.8a2 2 0 1 1 0 4 2 2 0 0 1 0-4z M12 9v6 M7.5 21l4.5-6 4.5 6 M7 12l5-3 5 3',
    web: 'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z M3 12h18 M12 3c2.6 2.6 3.5 5.6 3.5 9s-.9 6.4-3.5 9 M12 3C9.4 5.6 8.5 8.6 8.5 12s.9 6.4 3.5 9',
    workshop: 'M14.5 4.5a4.5 4.5 0 0 0-5 6L3.5 16.5l4 4 6-6a4.5 4.5 0 0 0 6-5l-2.7 2.7-3-.6-.6-3z',
    telematics: 'M4.5 10a10.5 10.5 0 0 1 15 0 M7.5 13a6.2 6.2 0 0 1 9 0 M12 16.5v4.5 M12 16.5a.2.2 0 1 1 0-.1',
    network: 'M4 20.5v-10l8-6.5 8 6.5v10z M9.5 20.5v-6h5v6',
    other: 'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z M12 8v5 M12 16v.5'
  };

  function channelIcon(channel) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '18');
    svg.setAttribute('height', '18');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'icon');
    var path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', CHANNEL_ICONS[channel] || CHANNEL_ICONS.other);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.8');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(path);
    return svg;
  }

  function listFormat(values, type) {
    try { return new Intl.ListFormat(state.lang, { style: 'long', type: type || 'conjunction' }).format(values); } catch (e) { return values.join(', '); }
  }

  function eventTitle(ev) {
    var type = str(ev.type);
    var payload = (ev.payload && typeof ev.payload === 'object') ? ev.payload : {};
    if (STANDARD_EVENTS.indexOf(type) >= 0) {
      var channel = str(payload.channel);
      var key = 'timeline.types.' + type;
      if ((type === 'consent.granted' || type === 'consent.withdrawn') && !channel) key += 'Plain';
      return t(key, { channel: channel ? consentChannelLabel(channel) : '' });
    }
    /* "quote.sent" → "Quote sent": readable, and still recognisable. */
    var words = type.replace(/[._]+/g, ' ').trim();
    return words ? words.charAt(0).toUpperCase() + words.slice(1) : t('timeline.types.unknown');
  }

  function clip(text, max) {
    var chars = Array.from(text);
    return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : text;
  }

  function eventSummary(ev) {
    var p = (ev.payload && typeof ev.payload === 'object' && !Array.isArray(ev.payload)) ? ev.payload : {};
    var parts = [];
    switch (ev.type) {
      case 'call.logged':
      case 'note.added':
        if (str(p.text)) parts.push(str(p.text));
        break;
      case 'consent.granted':
      case 'consent.withdrawn':
        if (str(p.source)) parts.push(t('timeline.summary.source', { source: consentSourceLabel(str(p.source)) }));
        if (str(p.note)) parts.push(str(p.note));
        break;
      case 'vehicle.linked':
        if (str(p.plate)) parts.push(str(p.plate));
        if (str(p.vin)) parts.push(t('timeline.summary.vin', { vin: str(p.vin) }));
        break;
      case 'vehicle.reading':
        if (typeof p.mileage_km === 'number') parts.push(t('timeline.summary.mileage', { km: formatNumber(p.mileage_km) }));
        if (p.correction === true) parts.push(t('timeline.summary.correction'));
        if (Array.isArray(p.fault_codes) && p.fault_codes.length) {
          parts.push(t('timeline.summary.faults', { codes: p.fault_codes.map(str).filter(Boolean).join(', ') }));
        }
        if (str(p.software_version)) parts.push(t('timeline.summary.software', { version: str(p.software_version) }));
        break;
      default:
        if (str(p.text)) parts.push(str(p.text));
        Object.keys(p).forEach(function (key) {
          if (key === 'text' || parts.length >= 6) return;
          var v = p[key];
          if (typeof v === 'string' || typeof v === 'number') parts.push(key.replace(/_/g, ' ') + ': ' + String(v));
          else if (typeof v === 'boolean') parts.push(key.replace(/_/g, ' ') + ': ' + (v ? t('form.yes') : t('form.no')));
        });
    }
    return clip(parts.join(' · '), 400);
  }

  function renderCustomerPage(container, seq, head, id) {
    var page = { doc: null, etag: null, names: {} };
    var base = '/customers/' + encodeURIComponent(id);

    var back = el('a', { className: 'back-link', href: searchUrl(state.customerQuery), 'data-testid': 'customer-back' },
      el('span', { 'aria-hidden': 'true' }, '← '), t('customers.page.back'));
    container.insertBefore(el('nav', { className: 'crumbs', 'aria-label': t('customers.page.crumbs') }, back), head.header);
    var lead = $('.page__lead', head.header);
    if (lead) lead.parentNode.removeChild(lead);
    head.header.classList.add('page__header--split');
    head.h1.textContent = t('list.loading');
    var since = el('p', { className: 'page__lead', 'data-testid': 'customer-since' });
    var actions = el('div', { className: 'page__actions', 'data-testid': 'customer-actions' });
    head.header.appendChild(since);
    head.header.appendChild(actions);

    var live = el('div', { className: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'customer-announce' });
    var erasedNotice = el('div', { className: 'notice notice--erased', 'data-testid': 'erased-notice', hidden: true });
    var body = el('div', { className: 'customer', 'data-testid': 'customer-page', 'aria-busy': 'true' });
    container.appendChild(live);
    container.appendChild(erasedNotice);
    container.appendChild(body);

    var controllers = [];
    onLeave(function () { controllers.forEach(function (c) { c.abort(); }); });
    function get(path) {
      var c = new AbortController();
      controllers.push(c);
      return api('GET', path, undefined, { signal: c.signal }).then(function (r) {
        controllers.splice(controllers.indexOf(c), 1);
        return r;
      });
    }

    function announce(key, params) {
      live.textContent = t(key, params);
    }

    function setDoc(r) {
      page.doc = r.data;
      page.etag = r.etag || (r.data && typeof r.data.version === 'number' ? '"v' + r.data.version + '"' : null);
    }

    /* Settles to true when the customer could be (re)loaded. */
    function reloadDoc() {
      return get(base).then(function (r) {
        if (!isCurrent(seq) || r.aborted) return false;
        if (r.status === 401) { sessionExpired(); return false; }
        if (r.status !== 200 || !r.data) return false;
        setDoc(r);
        return true;
      });
    }

    function section(testid, titleKey) {
      var titleId = uniqueId(testid + '-title');
      var content = el('div', { className: 'section__content' });
      var node = el('section', { className: 'card section', 'aria-labelledby': titleId, 'data-testid': testid },
        el('h2', { className: 'card__title', id: titleId }, t(titleKey)), content);
      return { node: node, content: content };
    }

    var contact = section('customer-contact', 'customers.page.contact');
    var consents = section('customer-consents', 'consents.title');
    var vehicles = section('customer-vehicles', 'vehicles.title');
    var timeline = section('customer-timeline', 'timeline.title');

    /* ---- header, actions, erased state ---- */

    function renderHeader() {
      var d = page.doc;
      var name = customerName(d);
      head.h1.textContent = name;
      setDocumentTitle(name);
      since.textContent = t('customers.page.since', { date: formatDate(d.created_at) });
      body.setAttribute('data-erased', d.erased ? 'true' : 'false');
      erasedNotice.hidden = !d.erased;
      erasedNotice.textContent = d.erased ? t('customers.erase.done', { date: formatDateTime(d.updated_at) }) : '';
      actions.replaceChildren();
      if (d.erased) return;
      var file = 'customer-' + String(id).replace(/[^A-Za-z0-9_-]/g, '') + '.json';
      actions.appendChild(el('a', {
        className: 'button button--secondary', href: API + base + '/export', download: file, 'data-testid': 'customer-export'
      }, t('customers.page.export')));
      var erase = el('button', { type: 'button', className: 'button button--danger', 'data-testid': 'customer-erase' }, t('customers.page.erase'));
      erase.addEventListener('click', function () { confirmErase(erase); });
      actions.appendChild(erase);
    }

    function confirmErase(opener) {
      var titleId = uniqueId('erase-title');
      var textId = uniqueId('erase-text');
      var error = formMessage('erase-error');
      var cancel = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'erase-cancel' }, t('form.cancel'));
      var confirm = el('button', { type: 'button', className: 'button button--danger', 'data-testid': 'erase-confirm' }, t('customers.erase.confirm'));
      var dialog = el('dialog', { className: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': textId, 'data-testid': 'erase-dialog' },
        el('h2', { className: 'dialog__title', id: titleId }, t('customers.erase.title', { name: customerName(page.doc) })),
        el('p', { id: textId, className: 'dialog__text' }, t('customers.erase.text')),
        error,
        el('div', { className: 'dialog__actions' }, cancel, confirm));
      var done = false;
      dialog.addEventListener('close', function () {
        if (dialog.parentNode) dialog.parentNode.removeChild(dialog);
        if (!done && opener.isConnected) opener.focus();
      });
      cancel.addEventListener('click', function () { dialog.close(); });
      confirm.addEventListener('click', function () {
        if (confirm.disabled) return;
        confirm.disabled = true;
        cancel.disabled = true;
        api('DELETE', base).then(function (r) {
          if (!isCurrent(seq)) return;
          confirm.disabled = false;
          cancel.disabled = false;
          if (r.status === 401) { dialog.close(); sessionExpired(); return; }
          if (r.status !== 204 && r.status !== 200) { showFormMessage(error, writeErrorKey(r)); return; }
          done = true;
          dialog.close();
          reloadDoc().then(function (ok) {
            if (!ok) return;
            renderAll();
            reloadTimeline();
            announce('customers.erase.announce');
            head.h1.focus();
          });
        });
      });
      container.appendChild(dialog);
      dialog.showModal();
      cancel.focus();
    }

    /* ---- contact details, edited in place ---- */

    var CONTACT_FIELDS = ['name', 'email', 'phone', 'language'];
    var contactMessage = formMessage('contact-message');

    function contactValue(f) {
      var d = page.doc;
      if (f === 'name') return str(d.name) ? el('span', { 'data-testid': 'contact-name-value' }, customerName(d)) : null;
      if (f === 'email') {
        return str(d.email) ? el('a', { href: 'mailto:' + str(d.email), 'data-testid': 'contact-email-value' }, str(d.email)) : null;
      }
      if (f === 'phone') {
        if (!str(d.phone)) return null;
        var e164 = str(d.phone_e164);
        var link = /^\+\d{4,16}$/.test(e164) ? el('a', { className: 'prop__phone', href: 'tel:' + e164 }, str(d.phone))
          : el('span', { className: 'prop__phone' }, str(d.phone));
        return el('span', { 'data-testid': 'contact-phone-value' }, link,
          e164 && e164 !== str(d.phone) ? el('span', { className: 'muted mono prop__extra', 'data-testid': 'contact-phone-e164' }, e164) : null);
      }
      return d.language ? el('span', { 'data-testid': 'contact-language-value' }, languageLabel(str(d.language))) : null;
    }

    function renderContact(editing, errorKey, draft) {
      var d = page.doc;
      var focusNode = null;
      var dl = el('dl', { className: 'props' });
      CONTACT_FIELDS.forEach(function (f) {
        var label = t('customers.fields.' + f);
        if (f === editing && !d.erased) {
          var inputId = uniqueId('edit-' + f);
          var errId = inputId + '-error';
          var control;
          if (f === 'language') {
            control = el('select', { id: inputId, 'data-testid': 'edit-language-input' },
              el('option', { value: '' }, t('customers.page.notSet')));
            CUSTOMER_LANGS.forEach(function (code) { control.appendChild(el('option', { value: code }, languageLabel(code))); });
            var current = str(d.language);
            if (current && CUSTOMER_LANGS.indexOf(current) < 0) control.appendChild(el('option', { value: current }, current));
          } else {
            control = el('input', {
              id: inputId, type: f === 'email' ? 'email' : (f === 'phone' ? 'tel' : 'text'), autocomplete: 'off',
              spellcheck: f === 'name' ? null : 'false', maxlength: f === 'email' ? '254' : '200',
              inputmode: f === 'phone' ? 'tel' : (f === 'email' ? 'email' : null), 'data-testid': 'edit-' + f + '-input'
            });
          }
          control.value = draft !== undefined ? draft : str(d[f]);
          var err = el('div', { className: 'field__error', id: errId, 'data-testid': 'edit-' + f + '-error', hidden: !errorKey }, errorKey ? t(errorKey) : '');
          if (errorKey) {
            control.setAttribute('aria-invalid', 'true');
            control.setAttribute('aria-describedby', errId);
          }
          var save = el('button', { type: 'submit', className: 'button button--primary button--small', 'data-testid': 'save-' + f }, t('form.save'));
          var cancel = el('button', { type: 'button', className: 'button button--secondary button--small', 'data-testid': 'cancel-' + f }, t('form.cancel'));
          var form = el('form', { className: 'inline-edit', novalidate: true, 'data-testid': 'edit-' + f + '-form' },
            el('div', { className: 'inline-edit__row' }, control, save, cancel), err);
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            if (save.disabled) return;
            saveField(f, control.value, save);
          });
          cancel.addEventListener('click', function () { closeEdit(f); });
          form.addEventListener('keydown', function (event) {
            if (event.key === 'Escape') { event.preventDefault(); closeEdit(f); }
          });
          dl.appendChild(el('div', { className: 'prop prop--editing', 'data-testid': 'contact-' + f },
            el('dt', null, el('label', { for: inputId }, label)), el('dd', null, form)));
          focusNode = control;
          return;
        }
        var value = contactValue(f);
        var dd = el('dd', { className: 'prop__value' }, value || el('span', { className: 'muted' }, t(d.erased ? 'customers.page.erasedValue' : 'customers.page.notSet')));
        if (!d.erased) {
          var edit = el('button', {
            type: 'button', className: 'link-button prop__edit', 'data-testid': 'edit-' + f, 'data-field': f,
            'aria-label': t('customers.page.editField', { field: label })
          }, t('form.edit'));
          edit.addEventListener('click', function () {
            showFormMessage(contactMessage, null);
            renderContact(f);
          });
          dd.appendChild(edit);
        }
        dl.appendChild(el('div', { className: 'prop', 'data-testid': 'contact-' + f }, el('dt', null, label), dd));
      });
      contact.content.replaceChildren(contactMessage, dl);
      if (focusNode) {
        focusNode.focus();
        if (focusNode.select && focusNode.tagName === 'INPUT') focusNode.select();
      }
    }

    function closeEdit(f) {
      renderContact(null);
      var button = $('[data-testid="edit-' + f + '"]', contact.content);
      if (button) button.focus();
    }

    function saveField(f, raw, button) {
      var d = page.doc;
      var value = String(raw).trim();
      if (f === 'name' && !value) { renderContact(f, 'customers.errors.nameRequired', raw); return; }
      if (value === str(d[f])) { closeEdit(f); return; }
      var patch = {};
      patch[f] = value || null;
      button.disabled = true;
      api('PATCH', base, patch, { headers: page.etag ? { 'If-Match': page.etag } : {} }).then(function (r) {
        if (!isCurrent(seq)) return;
        button.disabled = false;
        if (r.status === 401) { sessionExpired(); return; }
        if (r.status === 200 && r.data) {
          setDoc(r);
          renderHeader();
          closeEdit(f);
          announce('customers.page.saved', { field: t('customers.fields.' + f) });
          return;
        }
        if (r.status === 412 || r.status === 404) {
          reloadDoc().then(function (ok) {
            if (!ok) { renderContact(f, writeErrorKey(r), raw); return; }
            renderAll();
            reloadTimeline();
            if (!page.doc.erased) showFormMessage(contactMessage, 'customers.errors.stale');
          });
          return;
        }
        if (r.status === 422) {
          var fields = fieldErrors(r);
          var key = 'customers.errors.invalid';
          if (f === 'name') key = 'customers.errors.nameRequired';
          else if (f === 'language') key = 'customers.errors.languageInvalid';
          else if (!value) key = 'customers.errors.contactKeep';
          else if (fields.phone || f === 'phone') key = 'customers.errors.phoneInvalid';
          else if (fields.email || f === 'email') key = 'customers.errors.emailInvalid';
          renderContact(f, key, raw);
          return;
        }
        renderContact(f, writeErrorKey(r), raw);
      });
    }

    /* ---- consents per channel ---- */

    function renderConsents() {
      var d = page.doc;
      var list = el('ul', { className: 'consents' });
      CONSENT_CHANNELS.forEach(function (channel) {
        var c = d.consents && d.consents[channel];
        var granted = !!(c && c.granted === true);
        var stateKey = !c ? 'unknown' : (granted ? 'granted' : 'withdrawn');
        var labelId = uniqueId('consent-' + channel);
        var meta = c
          ? [actorName(page.names, str(c.by), 'user'), formatDateTime(c.at), consentSourceLabel(str(c.source))].filter(Boolean).join(' · ')
          : t('consents.neverAsked');
        var item = el('li', { className: 'consent', 'data-testid': 'consent-' + channel, 'data-state': stateKey },
          el('div', { className: 'consent__main' },
            el('span', { className: 'consent__channel', id: labelId }, consentChannelLabel(channel)),
            el('span', { className: 'status status--' + stateKey, 'data-testid': 'consent-status-' + channel }, t('consents.state.' + stateKey))),
          el('div', { className: 'consent__meta', 'data-testid': 'consent-meta-' + channel }, meta));
        if (!d.erased) {
          var toggle = el('button', {
            type: 'button', role: 'switch', className: 'switch', 'aria-checked': granted ? 'true' : 'false',
            'aria-labelledby': labelId, 'data-testid': 'consent-toggle-' + channel,
            title: t(granted ? 'consents.withdrawAction' : 'consents.grantAction', { channel: consentChannelLabel(channel) })
          }, el('span', { className: 'switch__thumb', 'aria-hidden': 'true' }));
          toggle.addEventListener('click', function () { setConsent(channel, !granted, toggle); });
          item.appendChild(toggle);
        }
        list.appendChild(item);
      });
      consents.content.replaceChildren(
        el('p', { className: 'section__hint' }, t('consents.hint')), consentMessage, list);
    }

    var consentMessage = formMessage('consent-error');

    function setConsent(channel, granted, toggle) {
      if (toggle.disabled) return;
      toggle.disabled = true;
      showFormMessage(consentMessage, null);
      api('POST', base + '/consents', { channel: channel, granted: granted, source: CONSENT_SOURCE }).then(function (r) {
        if (!isCurrent(seq)) return;
        toggle.disabled = false;
        if (r.status === 401) { sessionExpired(); return; }
        if ((r.status === 201 || r.status === 200) && r.data && r.data.consents) {
          setDoc(r);
          renderConsents();
          var again = $('[data-testid="consent-toggle-' + channel + '"]', consents.content);
          if (again) again.focus();
          announce(granted ? 'consents.announceGranted' : 'consents.announceWithdrawn', { channel: consentChannelLabel(channel) });
          reloadTimeline();
          return;
        }
        showFormMessage(consentMessage, writeErrorKey(r));
      });
    }

    /* ---- vehicles ---- */

    var vehicleList = el('div', { className: 'vehicles' });
    var vehicleForm = null;

    function renderVehicleList() {
      var list = Array.isArray(page.doc.vehicles) ? page.doc.vehicles : [];
      if (!list.length) {
        vehicleList.replaceChildren(el('p', { className: 'muted', 'data-testid': 'vehicles-empty' }, t('vehicles.empty')));
        return;
      }
      var ul = el('ul', { className: 'vehicle-list', 'data-testid': 'vehicle-list' });
      list.forEach(function (v) {
        if (!v) return;
        var title = [str(v.make), str(v.model)].filter(Boolean).join(' ') || t('vehicles.unknownMake');
        var details = [];
        if (typeof v.model_year === 'number') details.push(t('vehicles.modelYear', { year: String(v.model_year) }));
        if (typeof v.mileage_km === 'number') details.push(t('timeline.summary.mileage', { km: formatNumber(v.mileage_km) }));
        ul.appendChild(el('li', { className: 'vehicle', 'data-testid': 'vehicle', 'data-id': v.id },
          el('span', { className: str(v.plate) ? 'plate plate--large' : 'plate plate--large plate--none' }, str(v.plate) || t('vehicles.noPlate')),
          el('span', { className: 'vehicle__main' },
            el('span', { className: 'vehicle__title', 'data-testid': 'vehicle-title' }, title),
            details.length ? el('span', { className: 'vehicle__details' }, details.join(' · ')) : null,
            str(v.vin) ? el('span', { className: 'vehicle__vin mono', 'data-testid': 'vehicle-vin' }, str(v.vin)) : null)));
      });
      vehicleList.replaceChildren(ul);
    }

    function decodedText(v) {
      var label = str(v.plate) || str(v.vin);
      var text = t(v.existing ? 'vehicles.addedExisting' : 'vehicles.added', { vehicle: label });
      var dec = v.decoded && typeof v.decoded === 'object' ? v.decoded : null;
      var make = str(v.make) || str(dec && dec.manufacturer);
      if (!make) return text;
      var what = make;
      var years = typeof v.model_year === 'number' ? [v.model_year]
        : (dec && Array.isArray(dec.model_years) ? dec.model_years.filter(function (y) { return typeof y === 'number'; }) : []);
      if (years.length) {
        years = years.slice().sort(function (a, b) { return b - a; }).map(String);
        what += ', ' + t('vehicles.modelYear', { year: listFormat(years, 'disjunction') });
      }
      return text + ' ' + t(dec ? 'vehicles.decoded' : 'vehicles.known', { what: what });
    }

    function buildVehicleForm() {
      var plate = field({ id: 'veh-plate', name: 'plate', labelKey: 'vehicles.plate', testid: 'vehicle-plate', maxlength: 20, autocapitalize: 'characters', spellcheck: 'false' });
      var vin = field({ id: 'veh-vin', name: 'vin', labelKey: 'vehicles.vin', testid: 'vehicle-vin-input', maxlength: 17, autocapitalize: 'characters', spellcheck: 'false' });
      var submit = el('button', { type: 'submit', className: 'button button--secondary', 'data-testid': 'vehicle-submit' }, t('vehicles.add'));
      var error = formMessage('vehicle-error');
      var notice = el('div', { className: 'notice notice--inline', role: 'status', 'data-testid': 'vehicle-notice', hidden: true });
      var form = el('form', { className: 'mini-form', novalidate: true, 'data-testid': 'vehicle-form', 'aria-label': t('vehicles.formLabel') },
        el('div', { className: 'mini-form__row' }, plate.row, vin.row),
        el('div', { className: 'mini-form__actions' }, submit, el('p', { className: 'field__hint' }, t('vehicles.hint'))),
        error, notice);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (submit.disabled) return;
        plate.setError(null);
        vin.setError(null);
        showFormMessage(error, null);
        notice.hidden = true;
        var plateValue = plate.input.value.trim().toUpperCase();
        var vinValue = vin.input.value.replace(/[\s-]+/g, '').toUpperCase();
        if (!plateValue && !vinValue) { plate.setError('vehicles.errors.plateOrVin'); plate.input.focus(); return; }
        var payload = { customer_id: id };
        if (plateValue) payload.plate = plateValue;
        if (vinValue) payload.vin = vinValue;
        submit.disabled = true;
        api('POST', '/vehicles', payload).then(function (r) {
          if (!isCurrent(seq)) return;
          submit.disabled = false;
          if (r.status === 401) { sessionExpired(); return; }
          if ((r.status === 201 || r.status === 200) && r.data) {
            plate.input.value = '';
            vin.input.value = '';
            notice.textContent = decodedText(r.data);
            notice.hidden = false;
            reloadDoc().then(function (ok) { if (ok) { renderHeader(); renderVehicleList(); } });
            reloadTimeline();
            plate.input.focus();
            return;
          }
          if (r.status === 422) {
            var fields = fieldErrors(r);
            if (fields.vin) {
              if (vinValue) { vin.setError('vehicles.errors.vinInvalid'); vin.input.focus(); } else { plate.setError('vehicles.errors.plateOrVin'); plate.input.focus(); }
            } else if (fields.plate) {
              plate.setError('vehicles.errors.plateInvalid');
              plate.input.focus();
            } else {
              showFormMessage(error, fields.customer_id ? 'customers.errors.gone' : 'customers.errors.invalid');
            }
            return;
          }
          showFormMessage(error, writeErrorKey(r));
        });
      });
      return form;
    }

    function renderVehicles() {
      renderVehicleList();
      if (page.doc.erased) {
        vehicleForm = null;
        vehicles.content.replaceChildren(vehicleList);
        return;
      }
      if (!vehicleForm) vehicleForm = buildVehicleForm();
      vehicles.content.replaceChildren(vehicleList, vehicleForm);
    }

    /* ---- timeline ---- */

    var timelineList = el('ol', { className: 'timeline', 'data-testid': 'timeline', 'aria-busy': 'true' });
    var timelineStatus = el('p', { className: 'timeline__status muted', 'data-testid': 'timeline-status' });
    var timelineFooter = el('div', { className: 'timeline__footer' });
    var timelineController = null;
    var logForm = null;
    onLeave(function () { if (timelineController) timelineController.abort(); });

    function eventItem(ev) {
      var channel = str(ev.channel);
      var actor = ev.actor && typeof ev.actor === 'object' ? ev.actor : {};
      var who = actorName(page.names, str(actor.id), str(actor.kind));
      var summary = eventSummary(ev);
      var metaParts = el('div', { className: 'event__meta' },
        el('span', { className: 'event__channel', 'data-testid': 'event-channel' }, channelLabel(channel)));
      var when = timeNode(ev.at, 'event__time');
      if (when) { metaParts.appendChild(document.createTextNode(' · ')); metaParts.appendChild(when); }
      if (who) metaParts.appendChild(document.createTextNode(' · ' + who));
      return el('li', { className: 'event event--' + channel.replace(/[^a-z_]/g, ''), 'data-testid': 'timeline-item', 'data-type': str(ev.type) },
        el('span', { className: 'event__icon', title: channelLabel(channel) }, channelIcon(channel)),
        el('div', { className: 'event__body' },
          el('div', { className: 'event__title', 'data-testid': 'event-title' }, eventTitle(ev)),
          metaParts,
          summary ? el('p', { className: 'event__text', 'data-testid': 'event-text' }, summary) : null));
    }

    function loadTimeline(cursor) {
      if (timelineController) timelineController.abort();
      var mine = new AbortController();
      timelineController = mine;
      timelineList.setAttribute('aria-busy', 'true');
      if (!cursor) timelineStatus.textContent = t('list.loading');
      var url = base + '/timeline?limit=' + TIMELINE_LIMIT + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      api('GET', url, undefined, { signal: mine.signal }).then(function (r) {
        if (r.aborted || timelineController !== mine || !isCurrent(seq)) return;
        timelineController = null;
        timelineList.removeAttribute('aria-busy');
        timelineFooter.replaceChildren();
        if (r.status === 401) { sessionExpired(); return; }
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.items)) {
          timelineStatus.textContent = t('timeline.error');
          var retry = el('button', { type: 'button', className: 'button button--secondary' }, t('list.retry'));
          retry.addEventListener('click', function () { loadTimeline(cursor); });
          timelineFooter.appendChild(retry);
          return;
        }
        if (!cursor) timelineList.replaceChildren();
        r.data.items.forEach(function (ev) { if (ev) timelineList.appendChild(eventItem(ev)); });
        timelineStatus.textContent = timelineList.childNodes.length ? '' : t('timeline.empty');
        if (r.data.next_cursor) {
          var next = r.data.next_cursor;
          var more = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'timeline-more' }, t('timeline.more'));
          more.addEventListener('click', function () { more.disabled = true; loadTimeline(next); });
          timelineFooter.appendChild(more);
        }
      });
    }

    function reloadTimeline() {
      loadTimeline(null);
    }

    function buildLogForm() {
      var group = uniqueId('log-type');
      var channelTouched = false;
      function radio(value, key, checked) {
        var input = el('input', { type: 'radio', name: group, value: value, id: uniqueId('log-' + value), checked: checked, 'data-testid': 'log-type-' + value.split('.')[0] });
        return { input: input, node: el('span', { className: 'segmented__option' }, input, el('label', { for: input.id }, t(key))) };
      }
      var call = radio('call.logged', 'timeline.form.call', true);
      var note = radio('note.added', 'timeline.form.note', false);
      var channel = field({ tag: 'select', id: 'log-channel', name: 'channel', labelKey: 'timeline.form.channel', testid: 'log-channel',
        options: [{ value: 'phone', label: channelLabel('phone') }, { value: 'walk_in', label: channelLabel('walk_in') }] });
      var text = field({ tag: 'textarea', id: 'log-text', name: 'text', labelKey: 'timeline.form.text', testid: 'log-text', rows: 3, maxlength: 4000,
        placeholder: t('timeline.form.placeholder') });
      var submit = el('button', { type: 'submit', className: 'button button--primary', 'data-testid': 'log-submit' }, t('timeline.form.submit'));
      var error = formMessage('log-error');
      var legendId = uniqueId('log-legend');
      var form = el('form', { className: 'log-form', novalidate: true, 'data-testid': 'log-form', 'aria-labelledby': legendId },
        el('div', { className: 'log-form__top' },
          el('fieldset', { className: 'segmented' },
            el('legend', { className: 'segmented__legend', id: legendId }, t('timeline.form.legend')), call.node, note.node),
          channel.row),
        text.row, error,
        el('div', { className: 'form__actions' }, submit));
      channel.input.addEventListener('change', function () { channelTouched = true; });
      [call, note].forEach(function (r) {
        r.input.addEventListener('change', function () {
          if (!channelTouched) channel.input.value = r.input.value === 'call.logged' ? 'phone' : 'walk_in';
        });
      });
      text.input.addEventListener('keydown', function (event) {
        /* Ctrl/Cmd+Enter sends, Enter alone is a new line. */
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
      });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (submit.disabled) return;
        text.setError(null);
        showFormMessage(error, null);
        var value = text.input.value.trim();
        if (!value) { text.setError('timeline.errors.textRequired'); text.input.focus(); return; }
        var type = note.input.checked ? 'note.added' : 'call.logged';
        submit.disabled = true;
        api('POST', base + '/events', { type: type, channel: channel.input.value, payload: { text: value } }).then(function (r) {
          if (!isCurrent(seq)) return;
          submit.disabled = false;
          if (r.status === 401) { sessionExpired(); return; }
          if (r.status === 201 || r.status === 200) {
            text.input.value = '';
            announce('timeline.form.added');
            reloadTimeline();
            text.input.focus();
            return;
          }
          showFormMessage(error, r.status === 422 ? 'timeline.errors.invalid' : writeErrorKey(r));
        });
      });
      return form;
    }

    function renderTimelineSection() {
      if (page.doc.erased) logForm = null;
      else if (!logForm) logForm = buildLogForm();
      timeline.content.replaceChildren();
      if (logForm) timeline.content.appendChild(logForm);
      timeline.content.appendChild(timelineStatus);
      timeline.content.appendChild(timelineList);
      timeline.content.appendChild(timelineFooter);
    }

    function renderAll() {
      renderHeader();
      renderContact(null);
      renderConsents();
      renderVehicles();
      renderTimelineSection();
    }

    /* ---- first load ---- */

    Promise.all([get(base), userNames()]).then(function (results) {
      var r = results[0];
      if (!isCurrent(seq) || r.aborted) return;
      body.removeAttribute('aria-busy');
      page.names = results[1] || {};
      if (r.status === 401) { sessionExpired(); return; }
      if (r.status === 404 || r.status === 400) {
        head.h1.textContent = t('customers.page.notFound');
        setDocumentTitle(t('customers.page.notFound'));
        body.appendChild(el('p', { className: 'card card--empty', 'data-testid': 'customer-not-found' }, t('customers.page.notFoundText')));
        return;
      }
      if (r.status !== 200 || !r.data) {
        head.h1.textContent = t('pages.customers.title');
        var retry = el('button', { type: 'button', className: 'button button--secondary' }, t('list.retry'));
        retry.addEventListener('click', function () { renderRoute(); });
        body.appendChild(el('p', { className: 'list-status list-status--error', role: 'alert' }, t(r.status === 403 ? 'errors.forbidden' : 'errors.generic'), ' ', retry));
        return;
      }
      setDoc(r);
      body.appendChild(el('div', { className: 'customer__grid' },
        el('div', { className: 'customer__col' }, contact.node, consents.node, vehicles.node),
        el('div', { className: 'customer__col customer__col--timeline' }, timeline.node)));
      renderAll();
      reloadTimeline();
    });

    return null;
  }

  /* ------------------------------------------------------------------ */
  /* Start-up                                                             */
  /* ------------------------------------------------------------------ */

  function wireEvents() {
    byTestId('login-form').addEventListener('submit', onLoginSubmit);
    byTestId('logout').addEventListener('click', onLogout);
    byTestId('lang-select').addEventListener('change', function (event) {
      if (state.view === 'shell' && !mayLeave()) { event.target.value = state.lang; return; }
      var lang = matchLang(event.target.value) || DEFAULT_LANG;
      storageSet(LANG_STORAGE_KEY, lang);
      setLang(lang);
    });
    window.addEventListener('hashchange', function (event) {
      /* Stay: put the old address back (replaceState fires no hashchange). */
      if (state.view === 'shell' && !mayLeave()) { history.replaceState(null, '', event.oldURL); return; }
      state.focusOnRender = true;
      renderRoute();
    });
    /* The skip link must not become a hash route. */
    $('.skip-link').addEventListener('click', function (event) {
      event.preventDefault();
      var target = state.view === 'shell' ? $('#main') : byTestId('login-email');
      if (target) target.focus();
    });
  }

  function boot() {
    wireEvents();
    var lang = savedLang() || browserLang() || DEFAULT_LANG;
    var me = api('GET', '/me');
    setLang(lang).then(function () { return me; }).then(function (r) {
      if (r.status === 200 && r.data && r.data.user) return enterShell(r.data.user, r.data.csrf_token);
      showSignin(null);
      return null;
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
