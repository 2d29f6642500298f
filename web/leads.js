/*
 * Forecourt lead pages, rendered into the shell of app.js.
 *
 *   #/leads                      the inbox: GET /api/v1/leads, in the server's
 *                                order (new leads oldest first, so the most
 *                                overdue is on top; then the other open ones
 *                                newest first; then closed ones); filters
 *                                "mine / all" and status, kept in the URL
 *                                (#/leads?scope=all&status=open) with
 *                                replaceState so Back from a lead returns to
 *                                the same view. Overdue leads are flagged red
 *                                with the time since they arrived; the ages
 *                                tick every 30 s.
 *   #/leads/<id>                 one lead: the customer's online journey on
 *                                top (journey.* events, oldest first), the
 *                                lead (interest, trade-in, message), the
 *                                pipeline with one-click moves to the legal
 *                                next steps (lost asks for a reason in a
 *                                dialog), reassignment, the call / e-mail log
 *                                (only on channels the server lists in
 *                                contact_channels) and the customer's whole
 *                                timeline below.
 *
 * The pipeline rules mirror the server's (PATCH /api/v1/leads/{id}):
 * new → contacted → qualified → test_drive → offer → won, forward only,
 * steps may be skipped, won only after new, lost from any open status with a
 * reason; won and lost are final. The server stays the judge: a 409 reloads
 * the lead and says it changed meanwhile.
 *
 * Helpers come from app.js (window.Forecourt.kit); data reaches the DOM only
 * through textContent and attribute setters, never innerHTML.
 */
(function () {
  'use strict';

  var F = window.Forecourt;
  if (!F || !F.kit) return;
  var k = F.kit;
  var el = k.el;
  var t = k.t;
  var str = k.str;

  var LIST_LIMIT = 50;
  var AGE_TICK_MS = 30000;
  var PIPELINE = ['new', 'contacted', 'qualified', 'test_drive', 'offer', 'won'];
  var STATUS_FILTERS = ['open', 'new', 'contacted', 'qualified', 'test_drive', 'offer', 'won', 'lost', 'any'];
  var LOST_REASONS = ['bought_elsewhere', 'price', 'financing', 'no_response', 'not_ready', 'vehicle_unavailable', 'other'];
  var CONTACT_CHANNELS = ['phone', 'email', 'sms'];
  var OUTCOMES = {
    phone: ['reached', 'no_answer', 'voicemail', 'callback', 'not_interested'],
    email: ['sent', 'replied'],
    sms: ['sent', 'replied']
  };
  var MONEY_KEYS = ['price', 'monthly', 'monthly_payment', 'monthly_rate', 'deposit', 'down_payment', 'amount',
    'total', 'balloon', 'residual', 'value', 'valuation', 'offer'];

  var inboxHash = '#/leads';   /* the last inbox view, for the way back */

  /* ------------------------------------------------------------------ */
  /* Labels and small formatters                                          */
  /* ------------------------------------------------------------------ */

  /* t() with a fallback when the key is unknown (t answers the key). */
  function tOr(key, fallback, params) {
    var text = t(key, params);
    return text === key ? fallback : text;
  }

  function humanise(code) {
    var words = String(code || '').replace(/[._]+/g, ' ').trim();
    return words ? words.charAt(0).toUpperCase() + words.slice(1) : '';
  }

  function statusLabel(status) { return tOr('leads.status.' + status, humanise(status)); }
  function channelLabel(channel) { return tOr('leads.channels.' + channel, humanise(channel)); }
  function lostReasonLabel(reason) {
    var r = str(reason);
    return LOST_REASONS.indexOf(r) >= 0 ? t('leads.lost.reasons.' + r) : r;
  }
  function outcomeLabel(outcome) { return tOr('leads.contact.outcomes.' + outcome, humanise(outcome)); }

  function statusChip(status, testid) {
    var s = str(status);
    return el('span', { className: 'lead-status lead-status--' + s.replace(/[^a-z_]/g, ''), 'data-testid': testid || 'lead-status', 'data-status': s },
      statusLabel(s));
  }

  /* 95 minutes → "1 h 35 min"; 3 days → "3 d 2 h". */
  function duration(ms) {
    var min = Math.max(0, Math.floor(ms / 60000));
    if (min < 1) return t('leads.age.justNow');
    if (min < 60) return t('leads.age.minutes', { m: k.formatNumber(min) });
    var h = Math.floor(min / 60);
    if (h < 24) return min % 60 ? t('leads.age.hoursMinutes', { h: k.formatNumber(h), m: min % 60 }) : t('leads.age.hours', { h: k.formatNumber(h) });
    var d = Math.floor(h / 24);
    return h % 24 ? t('leads.age.daysHours', { d: k.formatNumber(d), h: h % 24 }) : t('leads.age.days', { d: k.formatNumber(d) });
  }

  function ageSince(iso) {
    var at = new Date(iso).getTime();
    return isNaN(at) ? '' : duration(Date.now() - at);
  }

  /* "3 h 5 min ago", or "just now". */
  function agoText(iso) {
    var at = new Date(iso).getTime();
    if (isNaN(at)) return '';
    return Date.now() - at < 60000 ? t('leads.age.justNow') : t('leads.age.ago', { age: duration(Date.now() - at) });
  }

  function vehicleText(v, lead) {
    var o = v && typeof v === 'object' ? v : {};
    var name = [str(o.make) || str(lead && lead.make), str(o.model) || str(lead && lead.model)].filter(Boolean).join(' ');
    var parts = [];
    if (name) parts.push(name);
    if (str(o.trim)) parts.push(str(o.trim));
    if (typeof o.year === 'number') parts.push(String(o.year));
    return parts.join(' · ');
  }

  function conditionLabel(condition) {
    return condition === 'new' || condition === 'used' ? t('leads.condition.' + condition) : '';
  }

  function isClosed(status) { return status === 'won' || status === 'lost'; }

  /* The statuses a lead may move to in one click from `status`. */
  function nextSteps(status) {
    var at = PIPELINE.indexOf(status);
    if (at < 0 || isClosed(status)) return [];
    return PIPELINE.slice(at + 1).filter(function (s) { return !(s === 'won' && status === 'new'); });
  }

  function leadUrl(id) { return '#/leads/' + encodeURIComponent(id); }

  function namesOfUsers(users) {
    var map = Object.create(null);
    users.forEach(function (u) { if (u && u.id) map[u.id] = str(u.name) || str(u.email); });
    return map;
  }

  function userName(names, id) {
    if (!id) return '';
    var me = k.user();
    if (me && id === me.id) return str(me.name) || str(me.email);
    return (names && names[id]) || t('timeline.actors.colleague');
  }

  /* ------------------------------------------------------------------ */
  /* Inbox                                                                */
  /* ------------------------------------------------------------------ */

  function renderLeads(container, seq, head) {
    var info = k.routeInfo();
    if (info.parts[1]) return renderLeadPage(container, seq, head, info.parts[1]);
    return renderInbox(container, seq, info.query);
  }

  function defaultScope() {
    var me = k.user();
    return me && me.role === 'sales' ? 'mine' : 'all';
  }

  function inboxUrl(scope, status) {
    var q = [];
    if (scope !== defaultScope()) q.push('scope=' + encodeURIComponent(scope));
    if (status !== 'open') q.push('status=' + encodeURIComponent(status));
    return '#/leads' + (q.length ? '?' + q.join('&') : '');
  }

  function renderInbox(container, seq, query) {
    var scope = query.scope === 'mine' || query.scope === 'all' ? query.scope : defaultScope();
    var status = STATUS_FILTERS.indexOf(query.status) >= 0 ? query.status : 'open';

    /* Filters: a segmented "mine / all" and a status select. */
    var group = k.uniqueId('lead-scope');
    var legendId = k.uniqueId('lead-scope-legend');
    var scopeInputs = {};
    var scopeSet = el('fieldset', { className: 'segmented', 'aria-labelledby': legendId },
      el('legend', { className: 'segmented__legend', id: legendId }, t('leads.inbox.scope')));
    ['mine', 'all'].forEach(function (value) {
      var input = el('input', { type: 'radio', name: group, value: value, id: k.uniqueId('lead-scope-' + value),
        checked: value === scope, 'data-testid': 'lead-filter-' + value });
      scopeInputs[value] = input;
      scopeSet.appendChild(el('span', { className: 'segmented__option' }, input, el('label', { for: input.id }, t('leads.inbox.' + value))));
    });
    var statusField = k.field({ tag: 'select', id: 'lead-status-filter', name: 'status', labelKey: 'leads.inbox.status',
      testid: 'lead-filter-status', options: STATUS_FILTERS.map(function (s) {
        return { value: s, label: s === 'open' || s === 'any' ? t('leads.inbox.statusFilter.' + s) : statusLabel(s) };
      }) });
    statusField.input.value = status;
    var toolbar = el('div', { className: 'lead-toolbar', 'data-testid': 'lead-filters' }, scopeSet, statusField.row);
    container.appendChild(toolbar);

    var region = el('section', { className: 'card card--table lead-inbox', 'aria-busy': 'true', 'aria-label': t('leads.inbox.caption') });
    var statusLine = el('p', { className: 'list-status', role: 'status', 'data-testid': 'leads-status' }, t('list.loading'));
    var footer = el('div', { className: 'table-footer' });
    region.appendChild(statusLine);
    region.appendChild(footer);
    container.appendChild(region);

    var tbody = null;
    var count = 0;
    var overdueCount = 0;
    var controller = null;
    var names = {};
    var ageNodes = [];
    var timer = setInterval(tickAges, AGE_TICK_MS);
    k.onLeave(function () {
      clearInterval(timer);
      if (controller) controller.abort();
    });

    function tickAges() {
      ageNodes.forEach(function (a) { a.node.textContent = ageText(a.lead); });
    }

    function ageText(lead) {
      var age = ageSince(lead.received_at);
      return lead.overdue === true ? t('leads.inbox.overdueAge', { age: age }) : age;
    }

    function table() {
      var headRow = el('tr');
      ['customer', 'source', 'vehicle', 'assigned', 'age'].forEach(function (c) {
        headRow.appendChild(el('th', { scope: 'col', className: 'lead-col--' + c }, t('leads.inbox.columns.' + c)));
      });
      tbody = el('tbody');
      var tableNode = el('table', { className: 'table lead-table', 'data-testid': 'leads-table' },
        el('caption', { className: 'visually-hidden' }, t('leads.inbox.caption')), el('thead', null, headRow), tbody);
      region.insertBefore(el('div', { className: 'table-scroll' }, tableNode), statusLine);
    }

    function cell(column, content, extra) {
      return el('td', { className: 'lead-col--' + column + (extra ? ' ' + extra : ''), 'data-label': t('leads.inbox.columns.' + column) }, content);
    }

    function row(lead) {
      var overdue = lead.overdue === true;
      var href = leadUrl(lead.id);
      var name = str(lead.customer_name) || t('customers.unnamed');
      var link = el('a', { className: 'lead-link', href: href, 'data-testid': 'lead-name' }, name);
      var who = el('div', { className: 'lead-cell__main' }, link,
        el('div', { className: 'lead-cell__sub' }, statusChip(lead.status, 'lead-row-status'),
          lead.repeats > 0 ? el('span', { className: 'lead-repeats', title: t('leads.inbox.repeatsTitle') }, t('leads.inbox.repeats', { n: k.formatNumber(lead.repeats + 1) })) : null));
      var source = el('div', { className: 'lead-cell__main' },
        el('span', { className: 'lead-source' }, str(lead.source)),
        el('span', { className: 'lead-cell__sub muted' }, channelLabel(str(lead.channel))));
      var interest = vehicleText(lead.vehicle_interest, lead);
      var vehicle = interest ? el('div', { className: 'lead-cell__main' }, el('span', null, interest),
        conditionLabel(lead.condition) ? el('span', { className: 'lead-cell__sub muted' }, conditionLabel(lead.condition)) : null) : el('span', { className: 'muted' }, t('list.none'));
      var ageNode = el('span', { className: 'lead-age__text' }, ageText(lead));
      ageNodes.push({ node: ageNode, lead: lead });
      var when = el('div', { className: 'lead-age' + (overdue ? ' lead-age--overdue' : ''), 'data-testid': 'lead-age',
        title: k.formatDateTime(lead.received_at) },
        overdue ? el('span', { className: 'lead-flag', 'aria-hidden': 'true' }, '!') : null, ageNode);
      var tr = el('tr', { className: 'lead-row' + (overdue ? ' lead-row--overdue' : ''), 'data-testid': 'lead-row', 'data-id': lead.id,
        'data-status': str(lead.status), 'data-overdue': overdue ? 'true' : 'false' },
        cell('customer', who), cell('source', source), cell('vehicle', vehicle),
        cell('assigned', lead.assigned_to ? userName(names, lead.assigned_to) : el('span', { className: 'muted' }, t('leads.unassigned'))),
        cell('age', when));
      /* The whole row opens the lead with a mouse; the link is the keyboard's way. */
      tr.addEventListener('click', function (event) {
        if (event.target.closest('a, button, input, select')) return;
        if (window.getSelection && String(window.getSelection())) return;
        location.hash = href;
      });
      return tr;
    }

    function load(cursor) {
      if (controller) controller.abort();
      var mine = new AbortController();
      controller = mine;
      region.setAttribute('aria-busy', 'true');
      var url = '/leads?limit=' + LIST_LIMIT + (status !== 'any' ? '&status=' + encodeURIComponent(status) : '') +
        (scope === 'mine' ? '&assigned_to=me' : '') + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      Promise.all([k.api('GET', url, undefined, { signal: mine.signal }), k.userNames()]).then(function (results) {
        var r = results[0];
        if (r.aborted || controller !== mine || !k.isCurrent(seq)) return;
        controller = null;
        names = results[1] || {};
        region.removeAttribute('aria-busy');
        footer.replaceChildren();
        if (r.status === 401) { k.sessionExpired(); return; }
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.items)) {
          statusLine.className = 'list-status list-status--error';
          statusLine.setAttribute('data-testid', 'leads-status');
          statusLine.textContent = t(r.status === 403 ? 'errors.forbidden' : (r.status === 0 ? 'errors.network' : 'list.error'));
          var retry = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'leads-retry' }, t('list.retry'));
          retry.addEventListener('click', function () { load(cursor); });
          statusLine.appendChild(document.createTextNode(' '));
          statusLine.appendChild(retry);
          return;
        }
        var items = r.data.items.filter(function (l) { return l && l.id; });
        if (!count && !items.length) {
          statusLine.className = 'list-status lead-empty';
          statusLine.setAttribute('data-testid', 'leads-empty');
          statusLine.textContent = t(scope === 'mine' ? 'leads.inbox.emptyMine' : 'leads.inbox.empty');
          return;
        }
        if (!tbody) table();
        items.forEach(function (lead) {
          if (lead.overdue === true) overdueCount++;
          tbody.appendChild(row(lead));
        });
        count += items.length;
        statusLine.className = 'list-status list-status--count';
        statusLine.textContent = overdueCount ? k.tn('leads.inbox.countOverdue', count, { overdue: k.formatNumber(overdueCount) })
          : k.tn('leads.inbox.count', count);
        if (r.data.next_cursor) {
          var next = r.data.next_cursor;
          var more = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'leads-more' }, t('list.more'));
          more.addEventListener('click', function () { more.disabled = true; load(next); });
          footer.appendChild(more);
        }
      });
    }

    function apply() {
      var want = inboxUrl(scope, status);
      inboxHash = want;
      if (location.hash !== want) history.replaceState(null, '', want);
      /* Start afresh. */
      var scroll = $tableScroll();
      if (scroll) scroll.parentNode.removeChild(scroll);
      tbody = null;
      count = 0;
      overdueCount = 0;
      ageNodes = [];
      statusLine.className = 'list-status';
      statusLine.setAttribute('data-testid', 'leads-status');
      statusLine.textContent = t('list.loading');
      footer.replaceChildren();
      load(null);
    }

    function $tableScroll() { return k.$('.table-scroll', region); }

    ['mine', 'all'].forEach(function (value) {
      scopeInputs[value].addEventListener('change', function () {
        if (!scopeInputs[value].checked) return;
        scope = value;
        apply();
      });
    });
    statusField.input.addEventListener('change', function () {
      status = statusField.input.value;
      apply();
    });

    apply();
    return null;
  }

  /* ------------------------------------------------------------------ */
  /* One lead                                                             */
  /* ------------------------------------------------------------------ */

  function section(testid, titleKey, extraClass) {
    var titleId = k.uniqueId(testid + '-title');
    var title = el('h2', { className: 'card__title', id: titleId }, t(titleKey));
    var content = el('div', { className: 'section__content' });
    var node = el('section', { className: 'card section' + (extraClass ? ' ' + extraClass : ''), 'aria-labelledby': titleId, 'data-testid': testid },
      title, content);
    return { node: node, content: content, title: title };
  }

  /* ---- the online journey ---- */

  var JOURNEY_ICONS = {
    page_view: 'web', page: 'web', configurator: 'configurator', finance_quote: 'finance', finance: 'finance',
    trade_in_valuation: 'finance', test_drive_request: 'car', stock_view: 'car', vehicle_view: 'car', form_submit: 'email',
    brochure_download: 'email', chat: 'phone', call_back_request: 'phone'
  };
  var EXTRA_ICONS = {
    configurator: 'M4 6h10 M18 6h2 M14 4v4 M4 12h4 M12 12h8 M8 10v4 M4 18h12 M20 18h0 M16 16v4',
    finance: 'M12 3v18 M16.5 7.5c-.8-1.2-2.4-2-4.5-2-2.5 0-4 1.2-4 3s1.5 2.6 4 3.2 4.5 1.4 4.5 3.3-1.8 3.2-4.5 3.2c-2.2 0-3.9-.9-4.7-2.2',
    car: 'M5 16.5h14 M4 16.5v-4l2-5h12l2 5v4 M4 12.5h16 M7 19.5a1.5 1.5 0 1 0 0-3 M17 19.5a1.5 1.5 0 1 0 0-3'
  };

  function svgIcon(name) {
    if (!EXTRA_ICONS[name]) return k.channelIcon(name);
    var icon = k.channelIcon('other');
    var path = icon.querySelector('path');
    if (path) path.setAttribute('d', EXTRA_ICONS[name]);
    return icon;
  }

  function journeyType(ev) {
    return str(ev.type).replace(/^journey\./, '');
  }

  function journeyTitle(ev) {
    var type = journeyType(ev);
    return tOr('leads.journey.types.' + type, humanise(type) || t('timeline.types.unknown'));
  }

  /* The data of a step as label/value pairs: one level deep, at most 12. */
  function journeyFacts(ev) {
    var p = ev.payload && typeof ev.payload === 'object' ? ev.payload : {};
    var data = p.data && typeof p.data === 'object' && !Array.isArray(p.data) ? p.data : {};
    var currency = /^[A-Z]{3}$/.test(str(data.currency)) ? str(data.currency) : '';
    var facts = [];
    function value(key, v) {
      if (typeof v === 'number') {
        if (currency && MONEY_KEYS.indexOf(key) >= 0) {
          try {
            return new Intl.NumberFormat(k.lang(), { style: 'currency', currency: currency,
              minimumFractionDigits: Number.isInteger(v) ? 0 : 2, maximumFractionDigits: 2 }).format(v);
          } catch (e) { /* below */ }
        }
        return k.formatNumber(v);
      }
      if (typeof v === 'boolean') return t(v ? 'form.yes' : 'form.no');
      if (typeof v === 'string') return v;
      if (Array.isArray(v)) return k.listFormat(v.filter(function (x) { return typeof x === 'string' || typeof x === 'number'; }).map(String));
      return '';
    }
    Object.keys(data).forEach(function (key) {
      if (facts.length >= 12 || key === 'currency') return;
      var v = data[key];
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        Object.keys(v).forEach(function (sub) {
          var text = value(sub, v[sub]);
          if (text && facts.length < 12) facts.push({ key: key + '_' + sub, label: tOr('leads.journey.fields.' + sub, humanise(sub)), value: text });
        });
        return;
      }
      var text = value(key, v);
      if (text) facts.push({ key: key, label: tOr('leads.journey.fields.' + key, humanise(key)), value: text });
    });
    return facts;
  }

  function journeyList(events) {
    var steps = events.slice().sort(function (a, b) {
      return new Date(a.at).getTime() - new Date(b.at).getTime();
    });
    var ol = el('ol', { className: 'journey', 'data-testid': 'journey-steps' });
    steps.forEach(function (ev, i) {
      var type = journeyType(ev);
      var facts = journeyFacts(ev);
      var dl = null;
      if (facts.length) {
        dl = el('dl', { className: 'journey__facts' });
        facts.forEach(function (f) {
          dl.appendChild(el('div', { className: 'journey__fact', 'data-key': f.key },
            el('dt', null, f.label), el('dd', null, clipText(f.value, 200))));
        });
      }
      var prev = i > 0 ? new Date(steps[i - 1].at).getTime() : NaN;
      var gap = !isNaN(prev) ? new Date(ev.at).getTime() - prev : NaN;
      ol.appendChild(el('li', { className: 'journey__step', 'data-testid': 'journey-step', 'data-type': type },
        el('span', { className: 'journey__icon' }, svgIcon(JOURNEY_ICONS[type] || 'web')),
        el('div', { className: 'journey__body' },
          el('div', { className: 'journey__head' },
            el('span', { className: 'journey__title', 'data-testid': 'journey-title' }, journeyTitle(ev)),
            k.timeNode(ev.at, 'journey__time'),
            gap > 60000 ? el('span', { className: 'journey__gap muted' }, t('leads.journey.after', { time: duration(gap) })) : null),
          dl)));
    });
    return ol;
  }

  function clipText(text, max) { return k.clip(String(text), max); }

  /* ---- the timeline (the customer page's markup, lead events in words) ---- */

  function eventTitle(ev, names) {
    var type = str(ev.type);
    var p = ev.payload && typeof ev.payload === 'object' ? ev.payload : {};
    if (type.indexOf('journey.') === 0) return t('leads.timeline.journey', { step: journeyTitle(ev) });
    switch (type) {
      case 'lead.received': return t('leads.timeline.received', { source: str(p.source) });
      case 'lead.repeated': return t('leads.timeline.repeated', { source: str(p.source) });
      case 'lead.status_changed': return t('leads.timeline.statusChanged', { status: statusLabel(str(p.to)) });
      case 'lead.assigned': return t('leads.timeline.assigned', { name: userName(names, str(p.assigned_to)) });
      case 'email.sent': return t('leads.timeline.emailSent');
      case 'call.logged':
        if (str(p.lead_id)) return t('leads.timeline.contact.' + (CONTACT_CHANNELS.indexOf(str(p.channel)) >= 0 || str(p.channel) === 'walk_in' ? str(p.channel) : 'phone'));
        return k.eventTitle(ev);
      default: return k.eventTitle(ev);
    }
  }

  function eventSummary(ev) {
    var type = str(ev.type);
    var p = ev.payload && typeof ev.payload === 'object' ? ev.payload : {};
    var parts = [];
    if (type.indexOf('journey.') === 0) {
      journeyFacts(ev).slice(0, 6).forEach(function (f) { parts.push(f.label + ': ' + f.value); });
      return clipText(parts.join(' · '), 400);
    }
    switch (type) {
      case 'lead.received':
      case 'lead.repeated': {
        var v = vehicleText(p.vehicle_interest, null);
        if (v) parts.push(v);
        if (str(p.message)) parts.push(str(p.message));
        return clipText(parts.join(' · '), 400);
      }
      case 'lead.status_changed':
        if (str(p.lost_reason)) parts.push(t('leads.lost.reasonShown', { reason: lostReasonLabel(p.lost_reason) }));
        return parts.join(' · ');
      case 'lead.assigned':
        return '';
      case 'call.logged':
      case 'email.sent':
        if (str(p.lead_id) || str(p.outcome) || str(p.note)) {
          if (str(p.outcome)) parts.push(outcomeLabel(str(p.outcome)));
          if (str(p.note)) parts.push(str(p.note));
          if (str(p.text)) parts.push(str(p.text));
          return clipText(parts.join(' · '), 400);
        }
        return k.eventSummary(ev);
      default:
        return k.eventSummary(ev);
    }
  }

  function timelineItem(ev, names) {
    var channel = str(ev.channel);
    var actor = ev.actor && typeof ev.actor === 'object' ? ev.actor : {};
    var who = k.actorName(names, str(actor.id), str(actor.kind));
    var summary = eventSummary(ev);
    var meta = el('div', { className: 'event__meta' },
      el('span', { className: 'event__channel', 'data-testid': 'event-channel' }, k.channelLabel(channel)));
    var when = k.timeNode(ev.at, 'event__time');
    if (when) { meta.appendChild(document.createTextNode(' · ')); meta.appendChild(when); }
    if (who) meta.appendChild(document.createTextNode(' · ' + who));
    var journey = str(ev.type).indexOf('journey.') === 0;
    return el('li', { className: 'event event--' + channel.replace(/[^a-z_]/g, '') + (journey ? ' event--journey' : ''), 'data-testid': 'timeline-item', 'data-type': str(ev.type) },
      el('span', { className: 'event__icon', title: k.channelLabel(channel) }, journey ? svgIcon(JOURNEY_ICONS[journeyType(ev)] || 'web') : k.channelIcon(channel)),
      el('div', { className: 'event__body' },
        el('div', { className: 'event__title', 'data-testid': 'event-title' }, eventTitle(ev, names)),
        meta,
        summary ? el('p', { className: 'event__text', 'data-testid': 'event-text' }, summary) : null));
  }

  /* ---- the page ---- */

  function renderLeadPage(container, seq, head, id) {
    var base = '/leads/' + encodeURIComponent(id);
    var lead = null;
    var names = {};
    var users = [];

    var back = el('a', { className: 'back-link', href: inboxHash, 'data-testid': 'lead-back' },
      el('span', { 'aria-hidden': 'true' }, '← '), t('leads.page.back'));
    container.insertBefore(el('nav', { className: 'crumbs', 'aria-label': t('leads.page.crumbs') }, back), head.header);
    var leadText = k.$('.page__lead', head.header);
    if (leadText) leadText.parentNode.removeChild(leadText);
    head.header.classList.add('page__header--split', 'lead-header');
    head.h1.textContent = t('list.loading');
    var subtitle = el('p', { className: 'page__lead lead-header__sub', 'data-testid': 'lead-subtitle' });
    var badges = el('div', { className: 'lead-header__badges' });
    var actions = el('div', { className: 'page__actions', 'data-testid': 'lead-actions' });
    head.header.appendChild(badges);
    head.header.appendChild(actions);
    head.header.appendChild(subtitle);

    var live = el('div', { className: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'lead-announce' });
    var pageMessage = k.formMessage('lead-page-error');
    var body = el('div', { className: 'lead-page', 'data-testid': 'lead-page', 'aria-busy': 'true' });
    container.appendChild(live);
    container.appendChild(pageMessage);
    container.appendChild(body);

    var controllers = [];
    k.onLeave(function () { controllers.forEach(function (c) { c.abort(); }); });
    function get(path) {
      var c = new AbortController();
      controllers.push(c);
      return k.api('GET', path, undefined, { signal: c.signal }).then(function (r) {
        controllers.splice(controllers.indexOf(c), 1);
        return r;
      });
    }

    function announce(key, params) { live.textContent = t(key, params); }

    var journey = section('lead-journey', 'leads.journey.title', 'lead-journey');
    var details = section('lead-details', 'leads.page.details');
    var followUp = section('lead-follow-up', 'leads.page.followUp');
    var timeline = section('lead-timeline', 'leads.page.timeline');

    /* ---- header ---- */

    function renderHeader() {
      var name = lead.customer ? k.customerName(lead.customer) : (str(lead.customer_name) || t('customers.unnamed'));
      head.h1.textContent = name;
      k.setDocumentTitle(t('leads.page.documentTitle', { name: name }));
      var interest = vehicleText(lead.vehicle_interest, lead);
      subtitle.textContent = t('leads.page.subtitle', {
        interest: interest || t('leads.page.noInterest'),
        channel: channelLabel(str(lead.channel)),
        source: str(lead.source),
        when: agoText(lead.received_at)
      });
      badges.replaceChildren(statusChip(lead.status, 'lead-status'));
      if (lead.overdue === true) {
        badges.appendChild(el('span', { className: 'lead-badge lead-badge--overdue', 'data-testid': 'lead-overdue' },
          t('leads.page.overdue', { age: ageSince(lead.received_at) })));
      }
      if (lead.repeats > 0) badges.appendChild(el('span', { className: 'lead-badge' }, t('leads.inbox.repeats', { n: k.formatNumber(lead.repeats + 1) })));
      actions.replaceChildren();
      if (lead.customer_id) {
        actions.appendChild(el('a', { className: 'button button--secondary', href: k.customerUrl(lead.customer_id), 'data-testid': 'lead-customer-link' },
          t('leads.page.openCustomer')));
      }
    }

    /* ---- journey ---- */

    function renderJourney() {
      var events = Array.isArray(lead.journey) ? lead.journey.filter(function (e) { return e && typeof e === 'object'; }) : [];
      journey.content.replaceChildren();
      if (!events.length) {
        journey.content.appendChild(el('p', { className: 'muted', 'data-testid': 'journey-empty' },
          t('leads.journey.empty', { channel: channelLabel(str(lead.channel)) })));
        return;
      }
      journey.content.appendChild(el('p', { className: 'section__hint' }, k.tn('leads.journey.summary', events.length)));
      journey.content.appendChild(journeyList(events));
    }

    /* ---- the lead itself ---- */

    function prop(labelKey, value, testid) {
      return el('div', { className: 'prop' },
        el('dt', null, t(labelKey)),
        el('dd', { className: 'prop__text', 'data-testid': testid }, value || el('span', { className: 'muted' }, t('list.none'))));
    }

    function tradeInText(ti) {
      if (!ti || typeof ti !== 'object') return '';
      var parts = [];
      var name = [str(ti.make), str(ti.model)].filter(Boolean).join(' ');
      if (name) parts.push(name);
      if (typeof ti.year === 'number') parts.push(String(ti.year));
      if (typeof ti.mileage_km === 'number') parts.push(t('timeline.summary.mileage', { km: k.formatNumber(ti.mileage_km) }));
      if (str(ti.vin)) parts.push(t('timeline.summary.vin', { vin: str(ti.vin) }));
      return parts.join(' · ');
    }

    function renderDetails() {
      var vi = lead.vehicle_interest && typeof lead.vehicle_interest === 'object' ? lead.vehicle_interest : {};
      var interest = vehicleText(vi, lead);
      var interestNode = interest ? el('span', null, interest,
        conditionLabel(str(vi.condition) || str(lead.condition)) ? el('span', { className: 'chip lead-chip' }, conditionLabel(str(vi.condition) || str(lead.condition))) : null,
        str(vi.vin) ? el('span', { className: 'mono muted lead-extra' }, str(vi.vin)) : null,
        str(vi.stock_number) ? el('span', { className: 'muted lead-extra' }, t('leads.page.stock', { number: str(vi.stock_number) })) : null) : null;
      var c = lead.customer || {};
      var contact = [str(c.phone), str(c.email)].filter(Boolean).join(' · ');
      var response = null;
      if (lead.first_response_at) {
        var at = k.formatDateTime(lead.first_response_at);
        response = typeof lead.response_min !== 'number' ? at
          : (lead.response_min < 1 ? t('leads.page.respondedFast', { at: at }) : t('leads.page.respondedIn', { time: duration(lead.response_min * 60000), at: at }));
      } else if (!isClosed(lead.status)) {
        response = t('leads.page.notAnswered', { age: ageSince(lead.received_at) });
      }
      var dl = el('dl', { className: 'props' },
        prop('leads.page.interest', interestNode, 'lead-interest'),
        prop('leads.page.tradeIn', tradeInText(lead.trade_in), 'lead-trade-in'),
        prop('leads.page.message', str(lead.message) ? el('span', { className: 'lead-message', 'data-testid': 'lead-message' }, str(lead.message)) : null, 'lead-message-prop'),
        prop('leads.page.contact', contact, 'lead-contact'),
        prop('leads.page.source', t('leads.page.sourceValue', { source: str(lead.source), channel: channelLabel(str(lead.channel)) }), 'lead-source'),
        prop('leads.page.received', k.formatDateTime(lead.received_at), 'lead-received'),
        prop('leads.page.response', response, 'lead-response'));
      if (lead.status === 'lost' && str(lead.lost_reason)) {
        dl.appendChild(prop('leads.page.lostReason', lostReasonLabel(lead.lost_reason), 'lead-lost-reason'));
      }
      details.content.replaceChildren(dl);
    }

    /* ---- follow-up: pipeline, reassignment, contact log ---- */

    var followMessage = k.formMessage('follow-up-error');

    function pipelineNode() {
      var current = str(lead.status);
      var at = PIPELINE.indexOf(current);
      var legal = nextSteps(current);
      var ol = el('ol', { className: 'pipeline' + (current === 'lost' ? ' pipeline--lost' : ''), 'data-testid': 'lead-pipeline',
        'aria-label': t('leads.pipeline.label') });
      PIPELINE.forEach(function (s, i) {
        var stateName = current === 'lost' ? 'closed' : (i < at ? 'done' : (i === at ? 'current' : 'next'));
        var li = el('li', { className: 'pipeline__step pipeline__step--' + stateName, 'data-step': s });
        var label = statusLabel(s);
        if (legal.indexOf(s) >= 0) {
          var button = el('button', { type: 'button', className: 'pipeline__button', 'data-testid': 'status-' + s,
            'aria-label': t('leads.pipeline.moveTo', { status: label }) },
            el('span', { className: 'pipeline__dot', 'aria-hidden': 'true' }), el('span', { className: 'pipeline__label' }, label));
          button.addEventListener('click', function () { changeStatus(s, null, button); });
          li.appendChild(button);
        } else {
          li.appendChild(el('span', { className: 'pipeline__static', 'aria-current': i === at ? 'step' : null,
            title: s === 'won' && current === 'new' ? t('leads.pipeline.wonNeedsContact') : null },
          el('span', { className: 'pipeline__dot', 'aria-hidden': 'true' }), el('span', { className: 'pipeline__label' }, label),
          i === at ? el('span', { className: 'visually-hidden' }, ' ' + t('leads.pipeline.current')) : null));
        }
        ol.appendChild(li);
      });
      return ol;
    }

    function changeStatus(status, reason, button) {
      if (button && button.disabled) return Promise.resolve(false);
      var buttons = k.$all('button', followUp.content);
      buttons.forEach(function (b) { b.disabled = true; });
      k.showFormMessage(followMessage, null);
      var body = { status: status };
      if (reason) body.lost_reason = reason;
      return k.api('PATCH', base, body).then(function (r) {
        if (!k.isCurrent(seq)) return false;
        buttons.forEach(function (b) { b.disabled = false; });
        if (r.status === 401) { k.sessionExpired(); return false; }
        if (r.status === 200 && r.data) {
          return reload().then(function () {
            announce('leads.pipeline.moved', { status: statusLabel(status) });
            var focus = k.$('.pipeline__button', followUp.content) || k.$('[data-testid="lead-pipeline"]', followUp.content);
            if (focus && focus.focus) focus.focus();
            return true;
          });
        }
        if (r.status === 409) {
          return reload().then(function () { k.showFormMessage(followMessage, 'leads.errors.changed'); return false; });
        }
        k.showFormMessage(followMessage, r.status === 422 ? 'leads.errors.invalid' : k.writeErrorKey(r));
        return false;
      });
    }

    function lostDialog(opener) {
      var titleId = k.uniqueId('lost-title');
      var reason = k.field({ tag: 'select', id: 'lost-reason', name: 'reason', labelKey: 'leads.lost.reason', testid: 'lost-reason',
        options: [{ value: '', label: t('leads.lost.choose') }].concat(LOST_REASONS.map(function (r) { return { value: r, label: t('leads.lost.reasons.' + r) }; })) });
      var other = k.field({ id: 'lost-other', name: 'other', labelKey: 'leads.lost.other', testid: 'lost-other', maxlength: 200 });
      other.row.hidden = true;
      var error = k.formMessage('lost-error');
      var cancel = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'lost-cancel' }, t('form.cancel'));
      var confirm = el('button', { type: 'submit', className: 'button button--danger', 'data-testid': 'lost-confirm' }, t('leads.lost.confirm'));
      var form = el('form', { className: 'form', method: 'dialog', novalidate: true },
        reason.row, other.row, error, el('div', { className: 'dialog__actions' }, cancel, confirm));
      var dialog = el('dialog', { className: 'dialog', 'aria-labelledby': titleId, 'data-testid': 'lost-dialog' },
        el('h2', { className: 'dialog__title', id: titleId }, t('leads.lost.title')),
        el('p', { className: 'dialog__text' }, t('leads.lost.text')), form);
      var done = false;
      reason.input.addEventListener('change', function () {
        other.row.hidden = reason.input.value !== 'other';
        reason.setError(null);
        if (!other.row.hidden) other.input.focus();
      });
      dialog.addEventListener('close', function () {
        if (dialog.parentNode) dialog.parentNode.removeChild(dialog);
        if (!done && opener.isConnected) opener.focus();
      });
      cancel.addEventListener('click', function () { dialog.close(); });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (confirm.disabled) return;
        reason.setError(null);
        other.setError(null);
        k.showFormMessage(error, null);
        var value = reason.input.value;
        if (!value) { reason.setError('leads.lost.errors.reason'); reason.input.focus(); return; }
        if (value === 'other') {
          value = other.input.value.trim();
          if (!value) { other.setError('leads.lost.errors.other'); other.input.focus(); return; }
        }
        confirm.disabled = true;
        cancel.disabled = true;
        k.api('PATCH', base, { status: 'lost', lost_reason: value }).then(function (r) {
          if (!k.isCurrent(seq)) return;
          confirm.disabled = false;
          cancel.disabled = false;
          if (r.status === 401) { dialog.close(); k.sessionExpired(); return; }
          if (r.status === 200) {
            done = true;
            dialog.close();
            reload().then(function () { announce('leads.lost.done'); head.h1.focus(); });
            return;
          }
          if (r.status === 409) {
            done = true;
            dialog.close();
            reload().then(function () { k.showFormMessage(followMessage, 'leads.errors.changed'); });
            return;
          }
          k.showFormMessage(error, r.status === 422 ? 'leads.errors.invalid' : k.writeErrorKey(r));
        });
      });
      container.appendChild(dialog);
      dialog.showModal();
      reason.input.focus();
    }

    function reassignNode() {
      var staff = users.filter(function (u) { return u && u.id && u.dealer_id && u.dealer_id === lead.dealer_id; });
      if (!staff.length) return null;
      var select = k.field({ tag: 'select', id: 'reassign', name: 'assigned_to', labelKey: 'leads.assign.label', testid: 'reassign-select',
        options: staff.map(function (u) { return { value: u.id, label: (str(u.name) || str(u.email)) + ' · ' + k.roleLabel(u.role) }; }) });
      if (!lead.assigned_to) {
        select.input.insertBefore(el('option', { value: '' }, t('leads.unassigned')), select.input.firstChild);
      }
      select.input.value = str(lead.assigned_to);
      var submit = el('button', { type: 'submit', className: 'button button--secondary', 'data-testid': 'reassign-submit', disabled: true }, t('leads.assign.submit'));
      var form = el('form', { className: 'lead-assign', novalidate: true, 'data-testid': 'reassign-form' },
        select.row, el('div', { className: 'lead-assign__actions' }, submit));
      select.input.addEventListener('change', function () {
        submit.disabled = !select.input.value || select.input.value === str(lead.assigned_to);
      });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (submit.disabled) return;
        var to = select.input.value;
        submit.disabled = true;
        k.showFormMessage(followMessage, null);
        k.api('PATCH', base, { assigned_to: to }).then(function (r) {
          if (!k.isCurrent(seq)) return;
          if (r.status === 401) { k.sessionExpired(); return; }
          if (r.status === 200) {
            reload().then(function () {
              announce('leads.assign.done', { name: userName(names, to) });
              var again = k.$('[data-testid="reassign-select"]', followUp.content);
              if (again) again.focus();
            });
            return;
          }
          submit.disabled = false;
          if (r.status === 409) { reload().then(function () { k.showFormMessage(followMessage, 'leads.errors.changed'); }); return; }
          k.showFormMessage(followMessage, r.status === 422 ? 'leads.assign.invalid' : k.writeErrorKey(r));
        });
      });
      return form;
    }

    var contactDraft = { channel: null, outcome: '', note: '' };

    function contactNode() {
      var allowed = Array.isArray(lead.contact_channels)
        ? CONTACT_CHANNELS.filter(function (c) { return lead.contact_channels.indexOf(c) >= 0; }) : [];
      var titleId = k.uniqueId('contact-title');
      var wrap = el('div', { className: 'lead-contact', 'data-testid': 'contact-log' },
        el('h3', { className: 'lead-subtitle', id: titleId }, t('leads.contact.title')));
      if (!allowed.length) {
        wrap.appendChild(el('p', { className: 'muted', 'data-testid': 'contact-none' }, t('leads.contact.none')));
        return wrap;
      }
      if (allowed.indexOf(contactDraft.channel) < 0) contactDraft.channel = allowed[0];
      var group = k.uniqueId('contact-channel');
      var legendId = k.uniqueId('contact-legend');
      var radios = {};
      var set = el('fieldset', { className: 'segmented', 'aria-labelledby': legendId },
        el('legend', { className: 'segmented__legend', id: legendId }, t('leads.contact.channel')));
      allowed.forEach(function (c) {
        var input = el('input', { type: 'radio', name: group, value: c, id: k.uniqueId('contact-' + c), checked: c === contactDraft.channel,
          'data-testid': 'contact-channel-' + c });
        radios[c] = input;
        set.appendChild(el('span', { className: 'segmented__option' }, input, el('label', { for: input.id }, channelLabel(c))));
      });
      var outcome = k.field({ tag: 'select', id: 'contact-outcome', name: 'outcome', labelKey: 'leads.contact.outcome', testid: 'contact-outcome', options: [] });
      function fillOutcomes() {
        var list = OUTCOMES[contactDraft.channel] || [];
        outcome.input.replaceChildren(el('option', { value: '' }, t('leads.contact.noOutcome')));
        list.forEach(function (o) { outcome.input.appendChild(el('option', { value: o }, outcomeLabel(o))); });
        outcome.input.value = list.indexOf(contactDraft.outcome) >= 0 ? contactDraft.outcome : '';
      }
      fillOutcomes();
      var note = k.field({ tag: 'textarea', id: 'contact-note', name: 'note', labelKey: 'leads.contact.note', testid: 'contact-note', rows: 3, maxlength: 2000,
        placeholder: t('leads.contact.placeholder') });
      note.input.value = contactDraft.note;
      var withheld = CONTACT_CHANNELS.filter(function (c) { return allowed.indexOf(c) < 0; });
      var hint = withheld.length ? el('p', { className: 'field__hint', 'data-testid': 'contact-withheld' },
        t('leads.contact.withheld', { channels: k.listFormat(withheld.map(channelLabel)) })) : null;
      var submit = el('button', { type: 'submit', className: 'button button--primary', 'data-testid': 'contact-submit' }, t('leads.contact.submit'));
      var error = k.formMessage('contact-error');
      var form = el('form', { className: 'log-form lead-contact__form', novalidate: true, 'data-testid': 'contact-form', 'aria-labelledby': titleId },
        el('div', { className: 'log-form__top' }, set, outcome.row), note.row, hint, error, el('div', { className: 'form__actions' }, submit));
      allowed.forEach(function (c) {
        radios[c].addEventListener('change', function () {
          if (!radios[c].checked) return;
          contactDraft.channel = c;
          fillOutcomes();
        });
      });
      outcome.input.addEventListener('change', function () { contactDraft.outcome = outcome.input.value; });
      note.input.addEventListener('input', function () { contactDraft.note = note.input.value; });
      note.input.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
      });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (submit.disabled) return;
        k.showFormMessage(error, null);
        var payload = { channel: contactDraft.channel };
        if (outcome.input.value) payload.outcome = outcome.input.value;
        var text = note.input.value.trim();
        if (text) payload.note = text;
        if (!payload.outcome && !payload.note) { note.setError('leads.contact.errors.empty'); note.input.focus(); return; }
        note.setError(null);
        submit.disabled = true;
        k.api('POST', base + '/contacts', payload).then(function (r) {
          if (!k.isCurrent(seq)) return;
          submit.disabled = false;
          if (r.status === 401) { k.sessionExpired(); return; }
          if (r.status === 201 || r.status === 200) {
            contactDraft = { channel: contactDraft.channel, outcome: '', note: '' };
            var shown = r.data && Array.isArray(r.data.timeline) ? Promise.resolve(show(r.data)) : reload();
            shown.then(function () {
              announce('leads.contact.logged', { channel: channelLabel(payload.channel) });
              var again = k.$('[data-testid="contact-note"]', followUp.content);
              if (again) again.focus();
            });
            return;
          }
          if (r.status === 409) { reload().then(function () { k.showFormMessage(followMessage, 'leads.errors.closed'); }); return; }
          if (r.status === 422 && k.fieldErrors(r).channel) { k.showFormMessage(error, 'leads.contact.errors.consent'); return; }
          k.showFormMessage(error, r.status === 422 ? 'leads.errors.invalid' : k.writeErrorKey(r));
        });
      });
      wrap.appendChild(form);
      return wrap;
    }

    function renderFollowUp() {
      var closed = isClosed(str(lead.status));
      var parts = [followMessage];
      var steps = el('div', { className: 'lead-steps', 'data-testid': 'lead-status-actions' },
        el('h3', { className: 'lead-subtitle' }, t('leads.pipeline.title')), pipelineNode());
      if (!closed) {
        var lost = el('button', { type: 'button', className: 'button button--secondary lead-lost-button', 'data-testid': 'status-lost' },
          t('leads.lost.open'));
        lost.addEventListener('click', function () { lostDialog(lost); });
        steps.appendChild(el('div', { className: 'lead-steps__more' },
          el('p', { className: 'field__hint' }, t(str(lead.status) === 'new' ? 'leads.pipeline.hintNew' : 'leads.pipeline.hint')), lost));
      } else {
        steps.appendChild(el('p', { className: 'lead-closed', 'data-testid': 'lead-closed' },
          t(lead.status === 'won' ? 'leads.pipeline.closedWon' : 'leads.pipeline.closedLost', { date: k.formatDateTime(lead.closed_at) })));
      }
      parts.push(steps);
      if (!closed) {
        var assign = reassignNode();
        if (assign) parts.push(el('div', { className: 'lead-assign-wrap' }, el('h3', { className: 'lead-subtitle' }, t('leads.assign.title')), assign));
        parts.push(contactNode());
      } else if (lead.assigned_to) {
        parts.push(el('p', { className: 'muted' }, t('leads.assign.was', { name: userName(names, lead.assigned_to) })));
      }
      followUp.content.replaceChildren.apply(followUp.content, parts);
    }

    function renderTimeline() {
      var items = Array.isArray(lead.timeline) ? lead.timeline.filter(function (e) { return e && typeof e === 'object'; }) : [];
      var list = el('ol', { className: 'timeline', 'data-testid': 'timeline' });
      items.forEach(function (ev) { list.appendChild(timelineItem(ev, names)); });
      timeline.content.replaceChildren(
        el('p', { className: 'section__hint' }, t('leads.page.timelineHint')),
        items.length ? list : el('p', { className: 'muted', 'data-testid': 'timeline-empty' }, t('timeline.empty')));
    }

    function renderAll() {
      renderHeader();
      renderJourney();
      renderDetails();
      renderFollowUp();
      renderTimeline();
    }

    function show(doc) {
      lead = doc;
      renderAll();
      return true;
    }

    function reload() {
      return get(base).then(function (r) {
        if (!k.isCurrent(seq) || r.aborted) return false;
        if (r.status === 401) { k.sessionExpired(); return false; }
        if (r.status !== 200 || !r.data) { k.showFormMessage(pageMessage, k.writeErrorKey(r)); return false; }
        k.showFormMessage(pageMessage, null);
        return show(r.data);
      });
    }

    Promise.all([get(base), k.fetchAll('/users', 2000)]).then(function (results) {
      var r = results[0];
      if (!k.isCurrent(seq) || r.aborted) return;
      users = results[1] || [];
      names = namesOfUsers(users);
      body.removeAttribute('aria-busy');
      if (r.status === 401) { k.sessionExpired(); return; }
      if (r.status === 404 || r.status === 400) {
        head.h1.textContent = t('leads.page.notFound');
        k.setDocumentTitle(t('leads.page.notFound'));
        body.appendChild(el('p', { className: 'card card--empty', 'data-testid': 'lead-not-found' }, t('leads.page.notFoundText')));
        return;
      }
      if (r.status !== 200 || !r.data) {
        head.h1.textContent = t('pages.leads.title');
        var retry = el('button', { type: 'button', className: 'button button--secondary' }, t('list.retry'));
        retry.addEventListener('click', function () { k.renderRoute(); });
        body.appendChild(el('p', { className: 'list-status list-status--error', role: 'alert' },
          t(r.status === 403 ? 'errors.forbidden' : 'errors.generic'), ' ', retry));
        return;
      }
      lead = r.data;
      body.appendChild(journey.node);
      body.appendChild(el('div', { className: 'lead-grid' }, details.node, followUp.node));
      body.appendChild(timeline.node);
      renderAll();
    });

    return null;
  }

  F.registerPage('leads', renderLeads);
})();
