/*
 * Forecourt staff app: the workshop set-up page (route #/workshop).
 *
 * A page script of its own, like dayboard.js and leads.js: app.js loads
 * first and offers its helpers as Forecourt.kit; this file registers the
 * renderer of the 'workshop' route. Styles in workshop.css, strings under
 * "workshop." in i18n/<lang>.json. The shell offers the page to dealer
 * admins only (NAV_BY_ROLE in app.js); it edits the workshop of the
 * signed-in user's own dealer, as the day board reads it.
 *
 * API: GET /api/v1/dealers/{id}/workshop (the document and its ETag
 * "v<version>"; 404 = none yet), PUT of the whole document with If-Match
 * (412 = someone else saved meanwhile: say so, offer to reload), GET
 * /api/v1/dealers/{id} for the time zone the hours are read in.
 *
 * The server is the judge of the rules (order and overlap of intervals,
 * ranges, unique codes): its 422 names one top-level field, and this page
 * then looks for the entry that breaks the rule to put the message next to
 * it, else next to the section. Checked here before sending are only what
 * the server would refuse as a malformed request (400, which names no
 * field): times that are not HH:MM, numbers that are not numbers, a
 * resource or service without its required text.
 *
 * Resource ids are kept as read (appointments refer to them); a new
 * resource goes without one and the server makes it. Resources can be
 * moved up and down: their order is the order of preference. A saved service's code
 * is read-only for the same reason. Names in languages this page does not
 * edit are kept.
 *
 * Safety: data reaches the DOM through textContent and attribute setters
 * only (kit.el turns strings into text nodes).
 */
(function () {
  'use strict';

  if (!window.Forecourt || !window.Forecourt.kit) return;
  var K = window.Forecourt.kit;
  var el = K.el, $ = K.$, $all = K.$all, t = K.t, api = K.api, str = K.str;
  var isCurrent = K.isCurrent, sessionExpired = K.sessionExpired, uniqueId = K.uniqueId;

  var DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  var KNOWN_SKILLS = ['maintenance', 'tires', 'diagnosis', 'bodywork', 'inspection'];
  var NAME_LANGS = ['en', 'fr', 'nl'];
  var MAX_INTERVALS = 4;
  var MAX_ENTRIES = 64;
  var DEFAULT_INTERVAL = ['08:00', '17:00'];
  var TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
  var CODE_RE = /^[a-z0-9_-]{1,32}$/;

  function minutes(hhmm) {
    return parseInt(hhmm.slice(0, 2), 10) * 60 + parseInt(hhmm.slice(3, 5), 10);
  }

  /* "8:5" and "0800" are forgiven as "08:05" and "08:00". */
  function tidyTime(text) {
    var s = String(text || '').trim().replace('.', ':');
    var m = /^(\d{1,2}):(\d{1,2})$/.exec(s) || /^(\d{2})(\d{2})$/.exec(s);
    if (m) s = (m[1].length === 1 ? '0' : '') + m[1] + ':' + (m[2].length === 1 ? '0' : '') + m[2];
    return s;
  }

  /* A new interval: an hour from where the last one ends. */
  function nextInterval(last) {
    if (!last || !TIME_RE.test(last[1]) || last[1] >= '23:00') return DEFAULT_INTERVAL.slice();
    var h = parseInt(last[1].slice(0, 2), 10) + 1;
    return [last[1], (h < 10 ? '0' : '') + h + last[1].slice(2)];
  }

  function languageName(lang) {
    try {
      var name = new Intl.DisplayNames([K.lang()], { type: 'language' }).of(lang);
      if (name && name !== lang) return name;
    } catch (e) { /* older browsers: the language's own name */ }
    return t('languages.' + lang);
  }

  /* 2024-01-01 was a Monday. */
  function weekdayName(index) {
    try {
      return new Intl.DateTimeFormat(K.lang(), { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + index, 12)));
    } catch (e) { return DAYS[index]; }
  }

  function dateLabel(ymd) {
    var p = ymd.split('-');
    try {
      return new Intl.DateTimeFormat(K.lang(), { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
        .format(new Date(Date.UTC(+p[0], +p[1] - 1, +p[2], 12)));
    } catch (e) { return ymd; }
  }

  function skillLabel(skill) {
    var key = 'workshop.skills.' + skill;
    var text = t(key);
    return text === key ? skill : text;
  }

  function numText(value) {
    return typeof value === 'number' && isFinite(value) ? String(value) : '';
  }

  /* The document as the form edits it: texts for the inputs. */
  function toModel(doc) {
    doc = doc && typeof doc === 'object' ? doc : {};
    var hours = doc.opening_hours && typeof doc.opening_hours === 'object' ? doc.opening_hours : {};
    var m = { hours: {}, closedKeep: {}, closures: [], resources: [], services: [] };
    DAYS.forEach(function (d) {
      m.hours[d] = (Array.isArray(hours[d]) ? hours[d] : []).map(function (iv) {
        return [str(iv && iv[0]), str(iv && iv[1])];
      });
    });
    m.closures = (Array.isArray(doc.closures) ? doc.closures : []).map(str).filter(Boolean).sort();
    m.resources = (Array.isArray(doc.resources) ? doc.resources : []).map(function (r) {
      r = r || {};
      return { id: str(r.id) || null, name: str(r.name), skills: Array.isArray(r.skills) ? r.skills.map(str).filter(Boolean) : [] };
    });
    m.services = (Array.isArray(doc.services) ? doc.services : []).map(function (s) {
      s = s || {};
      var names = {};
      if (s.name && typeof s.name === 'object') Object.keys(s.name).forEach(function (l) { names[l] = str(s.name[l]); });
      else if (typeof s.name === 'string') names.en = s.name;
      return { code: str(s.code), saved: true, name: names, duration: numText(s.duration_min), skill: str(s.skill),
        price: typeof s.price === 'number' && s.price !== 0 ? String(s.price) : (s.price === 0 ? '0' : '') };
    });
    m.slot_step_min = numText(doc.slot_step_min !== undefined ? doc.slot_step_min : 30);
    m.lead_time_hours = numText(doc.lead_time_hours !== undefined ? doc.lead_time_hours : 2);
    m.horizon_days = numText(doc.horizon_days !== undefined ? doc.horizon_days : 60);
    var share = typeof doc.reserved_share === 'number' ? doc.reserved_share : 0;
    m.reserved_pct = String(Math.round(share * 1000) / 10);
    m.address = str(doc.address);
    m.phone = str(doc.phone);
    m.email = str(doc.email);
    return m;
  }

  function renderWorkshop(container, seq) {
    var user = K.user() || {};
    var dealerId = user.dealer_id;
    var base = dealerId ? '/dealers/' + encodeURIComponent(dealerId) : null;
    var page = { etag: null, model: null, errors: {}, zone: '', busy: false, dirty: false, notice: null };

    var body = el('div', { className: 'ws', 'aria-busy': 'true', 'data-testid': 'workshop' },
      el('p', { className: 'list-status', role: 'status', 'data-testid': 'workshop-status' }, t('workshop.loading')));
    container.appendChild(body);

    if (!base) {
      body.removeAttribute('aria-busy');
      body.replaceChildren(el('p', { className: 'card card--empty', 'data-testid': 'workshop-no-dealer' }, t('workshop.noDealer')));
      return null;
    }

    /* ---- the form: sections rebuilt from page.model ---- */

    var form = el('form', { className: 'ws-form', novalidate: true, 'data-testid': 'workshop-form', 'aria-label': t('workshop.formLabel') });
    var summary = el('div', { className: 'form__error', role: 'alert', tabindex: '-1', 'data-testid': 'workshop-error', hidden: true });
    var sections = {
      hours: section('hours'),
      closures: section('closures'),
      resources: section('resources'),
      services: section('services'),
      rules: section('rules'),
      contact: section('contact')
    };
    var saveButton = el('button', { type: 'submit', className: 'button button--primary', 'data-testid': 'workshop-save' }, t('workshop.save'));
    var reloadButton = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'workshop-reload' }, t('workshop.reload'));
    var dirtyNote = el('span', { className: 'ws-bar__dirty', 'data-testid': 'workshop-dirty', hidden: true }, t('workshop.dirty'));
    var status = el('p', { className: 'ws-bar__status', role: 'status', 'data-testid': 'workshop-saved' });
    var bar = el('div', { className: 'ws-bar' }, el('div', { className: 'ws-bar__actions' }, saveButton, reloadButton, dirtyNote), status);

    form.appendChild(summary);
    Object.keys(sections).forEach(function (k) { form.appendChild(sections[k].node); });
    form.appendChild(bar);

    reloadButton.addEventListener('click', function () { load(true); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      save();
    });
    form.addEventListener('input', markDirty);
    form.addEventListener('change', markDirty);

    /* Unsaved edits are not lost without asking: closing or reloading the
     * tab gets the browser's own warning (beforeunload); another route of
     * the app or another language (which redraws the page) asks through
     * the shell's leave guard with confirm(), and stays when cancelled.
     * Both go when the page is left. */
    function onBeforeUnload(event) {
      if (!page.dirty) return;
      event.preventDefault();
      event.returnValue = '';
    }
    window.addEventListener('beforeunload', onBeforeUnload);
    K.onLeave(function () { window.removeEventListener('beforeunload', onBeforeUnload); });
    K.guardLeave(function () { return !page.dirty || window.confirm(t('workshop.leaveConfirm')); });

    function markDirty() {
      if (page.dirty) return;
      page.dirty = true;
      dirtyNote.hidden = false;
      status.textContent = '';
    }

    function section(name) {
      var titleId = uniqueId('ws-' + name);
      var content = el('div', { className: 'ws-section__body' });
      var error = el('div', { className: 'field__error ws-section__error', id: titleId + '-error', 'data-testid': name + '-error', hidden: true });
      var hint = t('workshop.' + name + '.hint');
      var node = el('section', { className: 'card ws-section', 'aria-labelledby': titleId, 'data-testid': 'ws-' + name },
        el('h2', { className: 'card__title', id: titleId }, t('workshop.' + name + '.title')),
        hint !== 'workshop.' + name + '.hint' ? el('p', { className: 'field__hint ws-section__hint', 'data-testid': name + '-hint' }, hint) : null,
        error, content);
      return { node: node, content: content, error: error, hint: $('.ws-section__hint', node) };
    }

    /* ---- small builders ---- */

    /* An error line under a control, from page.errors[key]; with errorRef
     * the message is shown elsewhere (a weekday's row) and only linked. */
    function errorFor(key, control, errorRef) {
      var msg = page.errors[key];
      if (!msg) return null;
      var id = errorRef || uniqueId('ws-err');
      control.setAttribute('aria-invalid', 'true');
      var before = control.getAttribute('aria-describedby');
      control.setAttribute('aria-describedby', (before ? before + ' ' : '') + id);
      return errorRef ? null : el('div', { className: 'field__error', id: id, 'data-testid': 'error-' + key }, msg);
    }

    /* A labelled input bound to obj[prop]. opts: key (data-key and error
     * key), labelKey or label, type, hintKey, hiddenLabel, and attributes. */
    function input(obj, prop, opts) {
      var id = uniqueId('ws-' + opts.key.replace(/[^a-z0-9]+/gi, '-'));
      var control = el(opts.tag || 'input', {
        id: id, type: opts.tag ? null : (opts.type || 'text'), 'data-key': opts.key, 'data-testid': 'ws-' + opts.key,
        autocomplete: 'off', inputmode: opts.inputmode, maxlength: opts.maxlength, min: opts.min, max: opts.max,
        step: opts.step, placeholder: opts.placeholder, spellcheck: opts.spellcheck, readonly: opts.readonly,
        rows: opts.rows, className: opts.className
      });
      control.value = obj[prop] === undefined || obj[prop] === null ? '' : obj[prop];
      control.addEventListener('input', function () { obj[prop] = control.value; });
      var label = el('label', { for: id, className: opts.hiddenLabel ? 'visually-hidden' : null }, opts.label || t(opts.labelKey));
      var row = el('div', { className: 'field ws-field' + (opts.rowClass ? ' ' + opts.rowClass : '') }, label, control);
      if (opts.hintKey) {
        var hintId = id + '-hint';
        row.appendChild(el('div', { className: 'field__hint', id: hintId }, t(opts.hintKey)));
        control.setAttribute('aria-describedby', hintId);
      }
      var err = errorFor(opts.key, control, opts.errorRef);
      if (err) row.appendChild(err);
      return row;
    }

    function smallButton(text, label, testid, onClick, extra) {
      var b = el('button', { type: 'button', className: 'button button--secondary button--small' + (extra ? ' ' + extra : ''),
        'aria-label': label, 'data-testid': testid }, text);
      b.addEventListener('click', onClick);
      return b;
    }

    function focusKey(key) {
      var node = $('[data-key="' + key + '"]', form);
      if (!node || node.disabled) return false;
      node.focus();
      return true;
    }

    function sectionError(name) {
      var s = sections[name];
      var msg = page.errors[name];
      s.error.textContent = msg || '';
      s.error.hidden = !msg;
    }

    /* ---- opening hours ---- */

    function renderHours() {
      var m = page.model;
      var list = el('div', { className: 'ws-days' });
      DAYS.forEach(function (day, index) {
        var name = weekdayName(index);
        var intervals = m.hours[day];
        var closedId = uniqueId('ws-closed-' + day);
        var closed = el('input', { type: 'checkbox', id: closedId, 'data-key': 'hours.' + day + '.closed', 'data-testid': 'hours-closed-' + day,
          checked: intervals.length === 0 });
        closed.addEventListener('change', function () {
          if (closed.checked) {
            m.closedKeep[day] = intervals.slice();
            m.hours[day] = [];
          } else {
            m.hours[day] = m.closedKeep[day] && m.closedKeep[day].length ? m.closedKeep[day] : [DEFAULT_INTERVAL.slice()];
          }
          renderHours();
          focusKey('hours.' + day + '.closed');
        });
        var legendId = uniqueId('ws-day');
        var row = el('div', { className: 'ws-day', role: 'group', 'aria-labelledby': legendId, 'data-testid': 'hours-' + day, 'data-day': day },
          el('div', { className: 'ws-day__name', id: legendId }, name),
          el('div', { className: 'check ws-day__closed' }, closed, el('label', { for: closedId }, t('workshop.hours.closed'))));
        var ivs = el('div', { className: 'ws-day__intervals' });
        var dayErrId = uniqueId('ws-day-error');
        intervals.forEach(function (iv, i) {
          var n = i + 1;
          var label = t('workshop.hours.intervalLabel', { day: name, n: n });
          var wrap = el('div', { className: 'ws-interval', 'data-testid': 'interval-' + day + '-' + i });
          wrap.appendChild(input(iv, 0, { key: 'hours.' + day + '.' + i + '.from', hiddenLabel: true, label: label + ', ' + t('workshop.hours.from'),
            maxlength: 5, placeholder: '08:00', inputmode: 'numeric', className: 'ws-time', rowClass: 'ws-field--time', errorRef: dayErrId }));
          wrap.appendChild(el('span', { className: 'ws-interval__dash', 'aria-hidden': 'true' }, '–'));
          wrap.appendChild(input(iv, 1, { key: 'hours.' + day + '.' + i + '.to', hiddenLabel: true, label: label + ', ' + t('workshop.hours.to'),
            maxlength: 5, placeholder: '17:00', inputmode: 'numeric', className: 'ws-time', rowClass: 'ws-field--time', errorRef: dayErrId }));
          wrap.appendChild(smallButton('×', t('workshop.hours.removeLabel', { day: name, n: n }), 'interval-remove-' + day + '-' + i, function () {
            intervals.splice(i, 1);
            markDirty();
            renderHours();
            if (!focusKey('hours.' + day + '.' + Math.max(0, i - 1) + '.from')) focusKey('hours.' + day + '.add');
          }, 'ws-icon-button'));
          ivs.appendChild(wrap);
        });
        if (intervals.length < MAX_INTERVALS) {
          var add = smallButton('+ ' + t('workshop.hours.add'), t('workshop.hours.addLabel', { day: name }), 'interval-add-' + day, function () {
            intervals.push(nextInterval(intervals[intervals.length - 1]));
            markDirty();
            renderHours();
            focusKey('hours.' + day + '.' + (intervals.length - 1) + '.from');
          });
          add.setAttribute('data-key', 'hours.' + day + '.add');
          ivs.appendChild(add);
        }
        row.appendChild(ivs);
        var dayErr = page.errors['hours.' + day];
        if (dayErr) row.appendChild(el('div', { className: 'field__error ws-day__error', id: dayErrId, 'data-testid': 'hours-error-' + day }, dayErr));
        list.appendChild(row);
      });
      sections.hours.content.replaceChildren(list);
      sectionError('hours');
    }

    /* ---- closures ---- */

    function renderClosures() {
      var m = page.model;
      var dateId = uniqueId('ws-closure');
      var dateInput = el('input', { type: 'date', id: dateId, 'data-key': 'closures.new', 'data-testid': 'closure-date' });
      var addButton = el('button', { type: 'button', className: 'button button--secondary', 'data-key': 'closures.add', 'data-testid': 'closure-add' },
        t('workshop.closures.add'));
      var note = el('div', { className: 'field__error', role: 'status', 'data-testid': 'closure-note', hidden: true });
      function addClosure() {
        var v = dateInput.value;
        note.hidden = true;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) {
          note.textContent = t('workshop.errors.date');
          note.hidden = false;
          dateInput.focus();
          return;
        }
        if (m.closures.indexOf(v) < 0) {
          m.closures.push(v);
          m.closures.sort();
          markDirty();
        }
        renderClosures();
        focusKey('closures.new');
      }
      addButton.addEventListener('click', addClosure);
      /* Enter in the date box adds it instead of saving the whole form. */
      dateInput.addEventListener('keydown', function (event) {
        if (event.key === 'Enter') { event.preventDefault(); addClosure(); }
      });
      var list = el('ul', { className: 'ws-chips', 'data-testid': 'closure-list' });
      m.closures.forEach(function (d, i) {
        var label = dateLabel(d);
        list.appendChild(el('li', { className: 'ws-chip', 'data-testid': 'closure', 'data-date': d },
          el('time', { datetime: d }, label),
          smallButton('×', t('workshop.closures.removeLabel', { date: label }), 'closure-remove', function () {
            m.closures.splice(i, 1);
            markDirty();
            renderClosures();
            if (!focusKey('closures.remove.' + Math.min(i, m.closures.length - 1))) focusKey('closures.new');
          }, 'ws-icon-button')));
        $all('button', list.lastChild)[0].setAttribute('data-key', 'closures.remove.' + i);
      });
      var nodes = [];
      nodes.push(m.closures.length ? list : el('p', { className: 'muted', 'data-testid': 'closure-empty' }, t('workshop.closures.empty')));
      nodes.push(el('div', { className: 'ws-add-row' },
        el('div', { className: 'field ws-field' }, el('label', { for: dateId }, t('workshop.closures.date')), dateInput), addButton));
      nodes.push(note);
      sections.closures.content.replaceChildren.apply(sections.closures.content, nodes);
      sectionError('closures');
    }

    /* ---- resources ---- */

    function skillChoices() {
      var all = KNOWN_SKILLS.slice();
      page.model.resources.forEach(function (r) { r.skills.forEach(function (s) { if (all.indexOf(s) < 0) all.push(s); }); });
      page.model.services.forEach(function (s) { if (s.skill && all.indexOf(s.skill) < 0) all.push(s.skill); });
      return all;
    }

    function renderResources() {
      var m = page.model;
      var list = el('ol', { className: 'ws-list', 'data-testid': 'resource-list' });
      var skills = skillChoices();
      m.resources.forEach(function (r, i) {
        var titleId = uniqueId('ws-res');
        var display = r.name || t('workshop.resources.unnamed');
        var boxes = el('fieldset', { className: 'ws-skills' }, el('legend', { className: 'ws-skills__legend' }, t('workshop.resources.skills')));
        skills.forEach(function (s) {
          var id = uniqueId('ws-skill');
          var box = el('input', { type: 'checkbox', id: id, value: s, checked: r.skills.indexOf(s) >= 0,
            'data-key': 'resources.' + i + '.skill.' + s, 'data-testid': 'resource-skill-' + s });
          box.addEventListener('change', function () {
            var at = r.skills.indexOf(s);
            if (box.checked && at < 0) r.skills.push(s);
            if (!box.checked && at >= 0) r.skills.splice(at, 1);
            renderServices(); /* which services some bay can do */
          });
          boxes.appendChild(el('span', { className: 'check ws-skill' }, box, el('label', { for: id }, skillLabel(s))));
        });
        var remove = smallButton(t('workshop.resources.remove'), t('workshop.resources.removeLabel', { name: display }), 'resource-remove', function () {
          m.resources.splice(i, 1);
          markDirty();
          renderResources();
          renderServices();
          if (!focusKey('resources.' + Math.min(i, m.resources.length - 1) + '.name')) focusKey('resources.add');
        }, 'button--danger');
        remove.setAttribute('data-key', 'resources.' + i + '.remove');
        /* The order is the order of preference. */
        function mover(delta, text, labelKey, testid) {
          var b = smallButton(text, t(labelKey, { name: display }), testid, function () {
            var to = i + delta;
            m.resources.splice(to, 0, m.resources.splice(i, 1)[0]);
            markDirty();
            renderResources();
            if (!focusKey('resources.' + to + '.' + testid.slice(9))) focusKey('resources.' + to + '.name');
          }, 'ws-icon-button');
          b.setAttribute('data-key', 'resources.' + i + '.' + testid.slice(9));
          b.disabled = i + delta < 0 || i + delta >= m.resources.length;
          return b;
        }
        var item = el('li', { className: 'ws-item', 'data-testid': 'resource', 'data-id': r.id || '' },
          el('div', { role: 'group', 'aria-labelledby': titleId },
            el('div', { className: 'ws-item__head' },
              el('span', { className: 'ws-item__title', id: titleId }, t('workshop.resources.itemLabel', { n: i + 1 })),
              el('span', { className: 'ws-item__id mono muted', 'data-testid': 'resource-id' }, r.id ? t('workshop.resources.id', { id: r.id }) : t('workshop.resources.new')),
              el('span', { className: 'ws-item__tools' },
                mover(-1, '↑', 'workshop.resources.upLabel', 'resource-up'),
                mover(1, '↓', 'workshop.resources.downLabel', 'resource-down'),
                remove)),
            el('div', { className: 'ws-item__grid' },
              input(r, 'name', { key: 'resources.' + i + '.name', labelKey: 'workshop.resources.name', maxlength: 100 }),
              boxes)));
        list.appendChild(item);
      });
      var add = el('button', { type: 'button', className: 'button button--secondary', 'data-key': 'resources.add', 'data-testid': 'resource-add' },
        '+ ' + t('workshop.resources.add'));
      add.addEventListener('click', function () {
        m.resources.push({ id: null, name: '', skills: [] });
        markDirty();
        renderResources();
        focusKey('resources.' + (m.resources.length - 1) + '.name');
      });
      if (m.resources.length >= MAX_ENTRIES) add.disabled = true;
      sections.resources.content.replaceChildren(
        m.resources.length ? list : el('p', { className: 'muted', 'data-testid': 'resource-empty' }, t('workshop.resources.empty')), add);
      sectionError('resources');
    }

    /* ---- services ---- */

    function serviceTitle(s) {
      return str(s.name[K.lang()]) || str(s.name.en) || s.code || t('workshop.services.newTitle');
    }

    function renderServices() {
      var m = page.model;
      var list = el('ol', { className: 'ws-list', 'data-testid': 'service-list' });
      var skills = skillChoices();
      var bayCan = {};
      m.resources.forEach(function (r) { r.skills.forEach(function (sk) { bayCan[sk] = true; }); });
      m.services.forEach(function (s, i) {
        var titleId = uniqueId('ws-svc');
        var key = 'services.' + i;
        var skillId = uniqueId('ws-svc-skill');
        var select = el('select', { id: skillId, 'data-key': key + '.skill', 'data-testid': 'ws-' + key + '.skill' });
        if (!s.skill) select.appendChild(el('option', { value: '' }, t('workshop.services.chooseSkill')));
        skills.forEach(function (sk) { select.appendChild(el('option', { value: sk }, skillLabel(sk))); });
        select.value = s.skill || '';
        select.addEventListener('change', function () {
          s.skill = select.value;
          renderServices();
          focusKey(key + '.skill');
        });
        var skillRow = el('div', { className: 'field ws-field' }, el('label', { for: skillId }, t('workshop.services.skill')), select);
        /* The server accepts a skill no bay has; such a service is simply
         * never free. Say so, without stopping the save. */
        if (s.skill && !bayCan[s.skill]) {
          var warnId = skillId + '-warn';
          skillRow.appendChild(el('div', { className: 'field__hint ws-warn', id: warnId, 'data-testid': 'service-no-bay' }, t('workshop.services.noBay')));
          select.setAttribute('aria-describedby', warnId);
        }
        var skillErr = errorFor(key + '.skill', select);
        if (skillErr) skillRow.appendChild(skillErr);
        var names = el('div', { className: 'ws-item__names' });
        NAME_LANGS.forEach(function (lang) {
          names.appendChild(input(s.name, lang, { key: key + '.name.' + lang, maxlength: 200,
            label: t('workshop.services.nameIn', { lang: languageName(lang) }) }));
        });
        var remove = smallButton(t('workshop.services.remove'), t('workshop.services.removeLabel', { name: serviceTitle(s) }), 'service-remove', function () {
          m.services.splice(i, 1);
          markDirty();
          renderServices();
          if (!focusKey('services.' + Math.min(i, m.services.length - 1) + '.code')) focusKey('services.add');
        }, 'button--danger');
        var item = el('li', { className: 'ws-item', 'data-testid': 'service', 'data-code': s.saved ? s.code : '' }, el('div', { role: 'group', 'aria-labelledby': titleId },
          el('div', { className: 'ws-item__head' },
            el('span', { className: 'ws-item__title', id: titleId }, serviceTitle(s)),
            el('span', { className: 'ws-item__tools' }, remove)),
          el('div', { className: 'ws-item__grid ws-item__grid--service' },
            input(s, 'code', { key: key + '.code', labelKey: 'workshop.services.code', maxlength: 32, spellcheck: 'false', readonly: s.saved,
              hintKey: s.saved ? null : 'workshop.services.codeHint' }),
            names,
            input(s, 'duration', { key: key + '.duration', labelKey: 'workshop.services.duration', type: 'number', min: 5, max: 600, step: 5, inputmode: 'numeric' }),
            skillRow,
            input(s, 'price', { key: key + '.price', labelKey: 'workshop.services.price', type: 'number', min: 0, step: 'any', inputmode: 'decimal' }))));
        list.appendChild(item);
      });
      var add = el('button', { type: 'button', className: 'button button--secondary', 'data-key': 'services.add', 'data-testid': 'service-add' },
        '+ ' + t('workshop.services.add'));
      add.addEventListener('click', function () {
        m.services.push({ code: '', saved: false, name: {}, duration: '60', skill: '', price: '' });
        markDirty();
        renderServices();
        focusKey('services.' + (m.services.length - 1) + '.code');
      });
      if (m.services.length >= MAX_ENTRIES) add.disabled = true;
      sections.services.content.replaceChildren(
        m.services.length ? list : el('p', { className: 'muted', 'data-testid': 'service-empty' }, t('workshop.services.empty')), add);
      sectionError('services');
    }

    /* ---- rules and contact ---- */

    function renderRules() {
      var m = page.model;
      sections.rules.content.replaceChildren(el('div', { className: 'ws-grid' },
        input(m, 'slot_step_min', { key: 'slot_step_min', labelKey: 'workshop.rules.slotStep', hintKey: 'workshop.rules.slotStepHint', type: 'number', min: 5, max: 240, step: 5, inputmode: 'numeric' }),
        input(m, 'lead_time_hours', { key: 'lead_time_hours', labelKey: 'workshop.rules.leadTime', hintKey: 'workshop.rules.leadTimeHint', type: 'number', min: 0, max: 720, step: 'any', inputmode: 'decimal' }),
        input(m, 'horizon_days', { key: 'horizon_days', labelKey: 'workshop.rules.horizon', hintKey: 'workshop.rules.horizonHint', type: 'number', min: 1, max: 365, step: 1, inputmode: 'numeric' }),
        input(m, 'reserved_pct', { key: 'reserved_share', labelKey: 'workshop.rules.reserved', hintKey: 'workshop.rules.reservedHint', type: 'number', min: 0, max: 90, step: 'any', inputmode: 'decimal' })));
    }

    function renderContact() {
      var m = page.model;
      sections.contact.content.replaceChildren(
        input(m, 'address', { key: 'address', labelKey: 'workshop.contact.address', tag: 'textarea', rows: 2, maxlength: 300 }),
        el('div', { className: 'ws-grid' },
          input(m, 'phone', { key: 'phone', labelKey: 'workshop.contact.phone', type: 'tel', maxlength: 40 }),
          input(m, 'email', { key: 'email', labelKey: 'workshop.contact.email', type: 'email', maxlength: 254, spellcheck: 'false' })));
    }

    function renderAll() {
      if (sections.hours.hint) sections.hours.hint.textContent = t('workshop.hours.hint', { zone: page.zone || '—' });
      renderHours();
      renderClosures();
      renderResources();
      renderServices();
      renderRules();
      renderContact();
    }

    /* ---- checks before sending (what would be a 400) ---- */

    function numberValue(key) {
      var node = $('[data-key="' + key + '"]', form);
      if (node && node.validity && node.validity.badInput) return NaN;
      return null;
    }

    function checkLocal() {
      var m = page.model;
      var errors = {};
      DAYS.forEach(function (day) {
        m.hours[day].forEach(function (iv, i) {
          iv[0] = tidyTime(iv[0]);
          iv[1] = tidyTime(iv[1]);
          if (!TIME_RE.test(iv[0]) || iv[0] === '24:00') errors['hours.' + day + '.' + i + '.from'] = t('workshop.errors.time');
          if (!TIME_RE.test(iv[1])) errors['hours.' + day + '.' + i + '.to'] = t('workshop.errors.time');
          if (errors['hours.' + day + '.' + i + '.from'] || errors['hours.' + day + '.' + i + '.to']) errors['hours.' + day] = t('workshop.errors.time');
        });
      });
      m.resources.forEach(function (r, i) {
        if (!r.name.trim()) errors['resources.' + i + '.name'] = t('workshop.errors.resourceName');
      });
      m.services.forEach(function (s, i) {
        var key = 'services.' + i;
        s.code = s.code.trim();
        if (!s.code) errors[key + '.code'] = t('workshop.errors.codeRequired');
        if (!s.skill) errors[key + '.skill'] = t('workshop.errors.skillRequired');
        if (!Object.keys(s.name).some(function (l) { return str(s.name[l]).trim(); })) errors[key + '.name.en'] = t('workshop.errors.serviceName');
        if (!/^\d+$/.test(String(s.duration).trim())) errors[key + '.duration'] = t('workshop.errors.duration');
        if (String(s.price).trim() !== '' && !isFinite(Number(s.price))) errors[key + '.price'] = t('workshop.errors.price');
        if (numberValue(key + '.price') !== null) errors[key + '.price'] = t('workshop.errors.price');
      });
      [['slot_step_min', 'slot_step_min', true], ['lead_time_hours', 'lead_time_hours', false],
        ['horizon_days', 'horizon_days', true], ['reserved_pct', 'reserved_share', false]].forEach(function (f) {
        var v = String(m[f[0]]).trim();
        var ok = f[2] ? /^\d+$/.test(v) : (v !== '' && isFinite(Number(v)));
        if (!ok || numberValue(f[1]) !== null) errors[f[1]] = t('workshop.errors.' + f[1]);
      });
      return errors;
    }

    function toDoc() {
      var m = page.model;
      var hours = {};
      DAYS.forEach(function (d) { hours[d] = m.hours[d].map(function (iv) { return [iv[0], iv[1]]; }); });
      var doc = {
        opening_hours: hours,
        closures: m.closures.slice(),
        resources: m.resources.map(function (r) {
          var out = {};
          if (r.id) out.id = r.id;
          out.name = r.name.trim();
          out.skills = r.skills.slice();
          return out;
        }),
        services: m.services.map(function (s) {
          var name = {};
          Object.keys(s.name).forEach(function (l) { var v = str(s.name[l]).trim(); if (v) name[l] = v; });
          var out = { code: s.code, name: name, duration_min: parseInt(s.duration, 10), skill: s.skill };
          if (String(s.price).trim() !== '') out.price = Number(s.price);
          return out;
        }),
        slot_step_min: parseInt(m.slot_step_min, 10),
        lead_time_hours: Number(m.lead_time_hours),
        horizon_days: parseInt(m.horizon_days, 10),
        reserved_share: Math.round(Number(m.reserved_pct) * 10) / 1000
      };
      ['address', 'phone', 'email'].forEach(function (k) { if (m[k].trim()) doc[k] = m[k].trim(); });
      return doc;
    }

    /* ---- locating a server 422 ---- */

    function locateHours() {
      var m = page.model;
      for (var d = 0; d < DAYS.length; d++) {
        var day = DAYS[d];
        var ivs = m.hours[day];
        if (ivs.length > MAX_INTERVALS) return { key: 'hours.' + day, focus: 'hours.' + day + '.0.from', msg: t('workshop.errors.tooMany') };
        var prevEnd = 0;
        for (var i = 0; i < ivs.length; i++) {
          var a = minutes(ivs[i][0]);
          var b = minutes(ivs[i][1]);
          if (a >= b) return { key: 'hours.' + day, focus: 'hours.' + day + '.' + i + '.to', mark: ['hours.' + day + '.' + i + '.to'], msg: t('workshop.errors.order') };
          if (a < prevEnd) return { key: 'hours.' + day, focus: 'hours.' + day + '.' + i + '.from', mark: ['hours.' + day + '.' + i + '.from'], msg: t('workshop.errors.overlap') };
          prevEnd = b;
        }
      }
      return null;
    }

    function locateServices() {
      var list = page.model.services;
      for (var i = 0; i < list.length; i++) {
        var s = list[i];
        var key = 'services.' + i;
        if (!CODE_RE.test(s.code)) return { key: key + '.code', msg: t('workshop.errors.code') };
        for (var j = 0; j < i; j++) if (list[j].code === s.code) return { key: key + '.code', msg: t('workshop.errors.codeTwice') };
        var d = parseInt(s.duration, 10);
        if (d < 5 || d > 600) return { key: key + '.duration', msg: t('workshop.errors.duration') };
        if (String(s.price).trim() !== '' && Number(s.price) < 0) return { key: key + '.price', msg: t('workshop.errors.price') };
      }
      return null;
    }

    /* fields: {name: message} of a 422 → page.errors; the key to focus. */
    function serverErrors(fields) {
      var errors = {};
      var focus = null;
      Object.keys(fields).forEach(function (f) {
        var found = null;
        if (f === 'opening_hours') {
          found = locateHours();
          if (found) {
            errors[found.key] = found.msg;
            (found.mark || []).forEach(function (k) { errors[k] = found.msg; });
            focus = focus || found.focus;
          } else {
            errors.hours = t('workshop.errors.opening_hours');
            focus = focus || 'hours.mon.closed';
          }
        } else if (f === 'services' || f === 'code' || f === 'skill') {
          found = locateServices();
          if (found) { errors[found.key] = found.msg; focus = focus || found.key; } else { errors.services = t('workshop.errors.services'); focus = focus || 'services.add'; }
        } else if (f === 'resources' || f === 'name' || f === 'skills' || f === 'id') {
          errors.resources = t('workshop.errors.resources');
          focus = focus || 'resources.add';
        } else if (f === 'closures') {
          errors.closures = t('workshop.errors.closures');
          focus = focus || 'closures.new';
        } else if (['slot_step_min', 'lead_time_hours', 'horizon_days', 'reserved_share'].indexOf(f) >= 0) {
          errors[f] = t('workshop.errors.' + f);
          focus = focus || f;
        } else if (['address', 'phone', 'email'].indexOf(f) >= 0) {
          errors[f] = t('workshop.errors.tooLong');
          focus = focus || f;
        } else {
          errors.form = str(fields[f]) ? f + ': ' + str(fields[f]) : t('errors.generic');
        }
      });
      return { errors: errors, focus: focus };
    }

    /* ---- messages ---- */

    function showSummary(text, action, kind) {
      summary.replaceChildren();
      summary.className = 'form__error';
      if (kind) summary.setAttribute('data-kind', kind); else summary.removeAttribute('data-kind');
      if (!text) { summary.hidden = true; return; }
      summary.appendChild(el('span', { 'data-testid': 'workshop-error-text' }, text));
      if (action) { summary.appendChild(document.createTextNode(' ')); summary.appendChild(action); }
      summary.hidden = false;
    }

    function focusFirstError(preferred) {
      if (preferred && focusKey(preferred)) return;
      var bad = $('[aria-invalid="true"]', form);
      if (bad) { bad.focus(); return; }
      summary.focus();
    }

    function setBusy(on) {
      page.busy = on;
      saveButton.disabled = on;
      reloadButton.disabled = on;
      if (on) saveButton.setAttribute('aria-busy', 'true'); else saveButton.removeAttribute('aria-busy');
      saveButton.textContent = t(on ? 'workshop.saving' : 'workshop.save');
    }

    /* ---- load and save ---- */

    function show(doc, etag) {
      page.model = toModel(doc);
      page.etag = etag;
      page.errors = {};
      page.dirty = false;
      dirtyNote.hidden = true;
      showSummary(null);
      renderAll();
    }

    function load(reloading) {
      if (page.busy) return;
      body.setAttribute('aria-busy', 'true');
      var dealer = page.zone ? Promise.resolve(null) : api('GET', base);
      Promise.all([api('GET', base + '/workshop'), dealer]).then(function (results) {
        var r = results[0];
        var d = results[1];
        if (!isCurrent(seq)) return;
        body.removeAttribute('aria-busy');
        if (r.status === 401) { sessionExpired(); return; }
        if (d && d.status === 200 && d.data) page.zone = str(d.data.timezone);
        if (r.status === 404 && !reloading && !page.model) {
          page.notice = el('p', { className: 'form__error form__error--info', role: 'status', 'data-testid': 'workshop-new' }, t('workshop.notSetUp'));
          body.replaceChildren(page.notice, form);
          show({}, null);
          return;
        }
        if (r.status !== 200 || !r.data) {
          var retry = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'workshop-retry' }, t('list.retry'));
          retry.addEventListener('click', function () { load(reloading); });
          var text = t(r.status === 0 ? 'errors.network' : (r.status === 403 ? 'errors.forbidden' : 'workshop.loadError'));
          if (page.model) { showSummary(text, retry); summary.focus(); return; }
          body.replaceChildren(el('p', { className: 'list-status list-status--error', role: 'alert', 'data-testid': 'workshop-load-error' }, text, ' ', retry));
          return;
        }
        if (!form.parentNode) body.replaceChildren(form);
        show(r.data, r.etag);
        if (reloading) {
          status.textContent = t('workshop.reloaded');
          reloadButton.focus();
        }
      });
    }

    function save() {
      if (page.busy || !page.model) return;
      var active = document.activeElement && form.contains(document.activeElement) ? document.activeElement.getAttribute('data-key') : null;
      status.textContent = '';
      var local = checkLocal();
      page.errors = local;
      if (Object.keys(local).length) {
        renderAll();
        showSummary(t('workshop.errors.invalid'));
        focusFirstError(null);
        return;
      }
      var doc = toDoc();
      setBusy(true);
      var opts = page.etag ? { headers: { 'If-Match': page.etag } } : undefined;
      api('PUT', base + '/workshop', doc, opts).then(function (r) {
        if (!isCurrent(seq)) return;
        setBusy(false);
        if (r.status === 401) { sessionExpired(); return; }
        if (r.status === 200 && r.data) {
          if (page.notice && page.notice.parentNode) page.notice.parentNode.removeChild(page.notice);
          show(r.data, r.etag);
          status.textContent = t('workshop.saved');
          if (!active || !focusKey(active)) saveButton.focus();
          return;
        }
        if (r.status === 412) {
          page.errors = {};
          renderAll();
          var reload = el('button', { type: 'button', className: 'button button--secondary button--small', 'data-testid': 'workshop-conflict-reload' },
            t('workshop.reloadTheirs'));
          reload.addEventListener('click', function () { load(true); });
          showSummary(t('workshop.conflict'), reload, 'conflict');
          reload.focus();
          return;
        }
        if (r.status === 422) {
          var found = serverErrors(K.fieldErrors(r));
          page.errors = found.errors;
          renderAll();
          showSummary(found.errors.form || t('workshop.errors.invalid'));
          focusFirstError(found.focus);
          return;
        }
        page.errors = {};
        renderAll();
        var key = r.status === 0 ? 'errors.network' : (r.status === 403 ? 'errors.forbidden' : (r.status === 400 ? 'workshop.errors.rejected' : 'errors.generic'));
        showSummary(t(key));
        summary.focus();
      });
    }

    load(false);
    return null;
  }

  window.Forecourt.registerPage('workshop', renderWorkshop);
})();
