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
 *     choosing the navigation from the user's role.
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
    customers: { key: 'customers' },
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
    dealer_admin: ['dashboard', 'customers', 'leads', 'workshop', 'users', 'audit', 'settings'],
    sales: ['customers', 'leads'],
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
    focusOnRender: false
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
  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    var init = { method: method, credentials: 'same-origin', cache: 'no-store', headers: headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && method !== 'HEAD' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    return fetch(API + path, init)
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          if (text) {
            try { data = JSON.parse(text); } catch (e) { data = null; }
          }
          return { status: res.status, data: data };
        });
      })
      .catch(function () { return { status: 0, data: null }; });
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
    return hash ? decodeURIComponent(hash) : 'home';
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
        def.render(container, seq);
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

  function isCurrent(seq) {
    return seq === state.renderSeq && state.view === 'shell';
  }

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
  /* Start-up                                                             */
  /* ------------------------------------------------------------------ */

  function wireEvents() {
    byTestId('login-form').addEventListener('submit', onLoginSubmit);
    byTestId('logout').addEventListener('click', onLogout);
    byTestId('lang-select').addEventListener('change', function (event) {
      var lang = matchLang(event.target.value) || DEFAULT_LANG;
      storageSet(LANG_STORAGE_KEY, lang);
      setLang(lang);
    });
    window.addEventListener('hashchange', function () {
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
