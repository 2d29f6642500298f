/*
 * Forecourt staff app: the workshop day board (route #/day-board).
 *
 * A page script of its own, like leads.js and dashboards.js: app.js loads
 * first and offers its helpers as Forecourt.kit; this file registers the
 * renderer of the 'day-board' route with Forecourt.registerPage. Styles in
 * dayboard.css, strings under "board." in i18n/<lang>.json.
 *
 * API: GET /api/v1/appointments?date= (the day, by resource),
 * GET /api/v1/dealers/{id}/workshop (service names, skills, opening hours),
 * GET /api/v1/appointments/{id} (the customer's stored tire set),
 * PATCH /api/v1/appointments/{id} (status steps, mileage, tire set, a move
 * to another start) and
 * POST /api/v1/appointments (walk-ins). The session is the cookie; kit.api
 * sends the CSRF token from /me with every write.
 *
 * Safety: data reaches the DOM through textContent and attribute setters
 * only (kit.el turns strings into text nodes).
 */
(function () {
  'use strict';

  if (!window.Forecourt || !window.Forecourt.kit) return;
  var K = window.Forecourt.kit;
  var el = K.el, $ = K.$, $all = K.$all, t = K.t, tn = K.tn, api = K.api, str = K.str;
  var field = K.field, formMessage = K.formMessage, showFormMessage = K.showFormMessage;
  var fieldErrors = K.fieldErrors, writeErrorKey = K.writeErrorKey, isCurrent = K.isCurrent, onLeave = K.onLeave;
  var sessionExpired = K.sessionExpired, routeInfo = K.routeInfo, setDocumentTitle = K.setDocumentTitle;
  var uniqueId = K.uniqueId, formatNumber = K.formatNumber, listFormat = K.listFormat;

  /*
   * #/day-board              today in the dealer's time zone;
   * #/day-board?date=Y-M-D   that day (kept in the URL with replaceState).
   *
   * One column per resource (bay, lane…), one row per quarter of an hour;
   * the rows grow with their cards, so a short appointment never hides its
   * details and a time lines up across all columns. Each card offers the
   * next legal step of its status in one click (check-in asks for the
   * mileage and, for tire services, the set taken into storage). "Walk-in"
   * books the first suitable bay from now. "Move" on a booked card opens a
 * small form in the card (date and time in the dealer's zone, sent as
 * RFC 3339 with that zone's offset on that date); a taken time offers the
 * server's alternatives as buttons. The customer's stored tire set
   * (GET /appointments/{id}) is added to a card when there is one. The
   * board refreshes itself every minute while nothing is being edited.
   */

  var BOARD_NEXT = {
    booked: ['checked_in', 'no_show'],
    checked_in: ['in_progress'],
    in_progress: ['ready'],
    ready: ['collected']
  };
  var BOARD_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  var BOARD_ROW_MIN = 15;
  var BOARD_REFRESH_MS = 60000;
  var TIRE_WHEELS = ['fl', 'fr', 'rl', 'rr'];
  var TIRE_SEASONS = ['summer', 'winter', 'all_season'];

  function ymdToDate(ymd) {
    var p = ymd.split('-');
    return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2], 12));
  }

  function ymdAdd(ymd, days) {
    var d = ymdToDate(ymd);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function todayIn(zone) {
    try {
      var parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
      var get = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
      return get('year') + '-' + get('month') + '-' + get('day');
    } catch (e) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  function boardDayTitle(ymd) {
    try {
      return new Intl.DateTimeFormat(K.lang(), { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(ymdToDate(ymd));
    } catch (e) { return ymd; }
  }

  /* Minutes after midnight, read from an RFC 3339 time written in the
   * dealer's offset (the board's zone), so no conversion is needed. */
  function localMinutes(iso, day) {
    var s = String(iso || '');
    if (s.slice(0, 10) > day) return 24 * 60;
    if (s.slice(0, 10) < day) return 0;
    return parseInt(s.slice(11, 13), 10) * 60 + parseInt(s.slice(14, 16), 10);
  }

  function hhmm(min) {
    var h = Math.floor(min / 60);
    var m = min % 60;
    return (h < 10 ? '0' : '') + h + ':' + (m < 10 ? '0' : '') + m;
  }

  function hhmmToMin(text) {
    var m = /^(\d{1,2}):(\d{2})$/.exec(String(text || ''));
    return m ? parseInt(m[1], 10) * 60 + parseInt(m[2], 10) : null;
  }

  /* Minutes east of UTC of `zone` at the instant `ms` (Intl, so daylight
   * saving time is the zone's own). */
  function zoneOffsetMin(zone, ms) {
    var parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit'
    }).formatToParts(new Date(ms));
    var get = function (type) { return parseInt(parts.filter(function (p) { return p.type === type; })[0].value, 10); };
    var wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
    return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
  }

  /* The wall-clock time `ymd` `hm` (HH:MM) in `zone` as RFC 3339 with the
   * offset in force then: "2026-03-29T10:00:00+02:00". The offset is taken
   * at the guessed instant and checked once more, which settles the days
   * the clocks change. */
  function localToRfc3339(ymd, hm, zone) {
    var p = ymd.split('-');
    var wall = Date.UTC(+p[0], +p[1] - 1, +p[2], parseInt(hm.slice(0, 2), 10), parseInt(hm.slice(3, 5), 10));
    var off = zoneOffsetMin(zone, wall);
    off = zoneOffsetMin(zone, wall - off * 60000);
    var abs = Math.abs(off);
    return ymd + 'T' + hm + ':00' + (off < 0 ? '-' : '+') + hhmm(abs);
  }

  function renderDayBoard(container, seq) {
    var info = routeInfo();
    var board = {
      date: /^\d{4}-\d{2}-\d{2}$/.test(str(info.query.date)) ? str(info.query.date) : null,
      data: null,
      zone: null,
      workshop: null,
      tires: Object.create(null),
      tireQueue: [],
      tireActive: 0,
      controller: null,
      dialogOpen: false,
      moveForm: null,
      shown: ''
    };
    var dealerId = K.user() && K.user().dealer_id;

    /* ---- toolbar ---- */
    var prev = el('button', { type: 'button', className: 'button button--secondary board-nav__step', 'data-testid': 'board-prev' },
      el('span', { 'aria-hidden': 'true' }, '‹'), el('span', { className: 'board-nav__text' }, t('board.prev')));
    var next = el('button', { type: 'button', className: 'button button--secondary board-nav__step', 'data-testid': 'board-next' },
      el('span', { className: 'board-nav__text' }, t('board.next')), el('span', { 'aria-hidden': 'true' }, '›'));
    var dateInput = el('input', { type: 'date', id: uniqueId('board-date'), className: 'board-nav__date', 'data-testid': 'board-date' });
    var todayButton = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'board-today' }, t('board.today'));
    var walkInButton = el('button', { type: 'button', className: 'button button--primary', 'data-testid': 'walk-in-open' },
      el('span', { className: 'button__icon', 'aria-hidden': 'true' }, '+'), t('board.walkIn'));
    container.appendChild(el('div', { className: 'board-bar' },
      el('div', { className: 'board-nav', role: 'group', 'aria-label': t('board.toolbar') },
        prev,
        el('label', { className: 'visually-hidden', for: dateInput.id }, t('board.date')),
        dateInput, next, todayButton),
      walkInButton));

    var title = el('h2', { className: 'board-title', 'data-testid': 'board-title', tabindex: '-1' });
    var todayChip = el('span', { className: 'board-today', hidden: true }, t('board.todayBadge'));
    var count = el('span', { className: 'board-count', 'data-testid': 'board-count' });
    container.appendChild(el('div', { className: 'board-head' }, title, todayChip, count));

    var notice = el('div', { className: 'board-notice', role: 'status', 'data-testid': 'board-notice' });
    container.appendChild(notice);
    var region = el('section', { className: 'card board', 'aria-busy': 'true', 'data-testid': 'board' },
      el('p', { className: 'list-status', role: 'status' }, t('board.loading')));
    container.appendChild(region);

    function say(text) {
      notice.textContent = '';
      notice.className = 'board-notice';
      if (text) {
        notice.textContent = text;
        notice.classList.add('is-shown');
      }
    }

    var timer = setInterval(function () {
      if (!isCurrent(seq) || board.dialogOpen || document.hidden || !board.date) return;
      if (board.moveForm && board.moveForm.isConnected) return;
      load(board.date, { quiet: true });
    }, BOARD_REFRESH_MS);
    onLeave(function () {
      clearInterval(timer);
      if (board.controller) board.controller.abort();
    });

    prev.addEventListener('click', function () { if (board.date) load(ymdAdd(board.date, -1)); });
    next.addEventListener('click', function () { if (board.date) load(ymdAdd(board.date, 1)); });
    todayButton.addEventListener('click', function () { load(board.zone ? todayIn(board.zone) : null); });
    dateInput.addEventListener('change', function () {
      if (/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) load(dateInput.value);
    });
    walkInButton.addEventListener('click', function () { openWalkIn(walkInButton); });

    /* ---- data ---- */

    function workshop() {
      if (board.workshop) return Promise.resolve(board.workshop);
      if (!dealerId) return Promise.resolve(null);
      return api('GET', '/dealers/' + encodeURIComponent(dealerId) + '/workshop').then(function (r) {
        if (r.status === 200 && r.data) board.workshop = r.data;
        return board.workshop;
      });
    }

    function serviceDef(code) {
      var list = (board.workshop && board.workshop.services) || [];
      for (var i = 0; i < list.length; i++) if (list[i] && list[i].code === code) return list[i];
      return null;
    }

    function serviceLabel(code) {
      var def = serviceDef(code);
      var n = def && def.name;
      if (typeof n === 'string') return n;
      if (n && typeof n === 'object') return str(n[K.lang()]) || str(n.en) || str(n[Object.keys(n)[0]]) || str(code);
      return str(code);
    }

    function isTireVisit(appt) {
      return (appt.services || []).some(function (code) {
        var def = serviceDef(code);
        return def ? def.skill === 'tires' : /tire|tyre|pneu|band/i.test(String(code));
      });
    }

    function timeText(iso) {
      var d = new Date(iso);
      if (!iso || isNaN(d.getTime())) return '';
      try {
        return new Intl.DateTimeFormat(K.lang(), { hour: K.lang() === 'en' ? 'numeric' : '2-digit', minute: '2-digit', timeZone: board.zone || undefined }).format(d);
      } catch (e) { return String(iso).slice(11, 16); }
    }

    function rangeText(a) {
      return t('board.times', { start: timeText(a.start), end: timeText(a.end) });
    }

    function load(date, opts) {
      opts = opts || {};
      if (board.controller) board.controller.abort();
      var mine = new AbortController();
      board.controller = mine;
      if (!opts.quiet) region.setAttribute('aria-busy', 'true');
      var url = '/appointments' + (date ? '?date=' + encodeURIComponent(date) : '');
      return Promise.all([api('GET', url, undefined, { signal: mine.signal }), workshop()]).then(function (results) {
        var r = results[0];
        if (r.aborted || board.controller !== mine || !isCurrent(seq)) return false;
        board.controller = null;
        region.removeAttribute('aria-busy');
        if (r.status === 401) { sessionExpired(); return false; }
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.resources)) {
          if (opts.quiet) return false;
          var retry = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'board-retry' }, t('list.retry'));
          retry.addEventListener('click', function () { load(date); });
          region.replaceChildren(el('p', { className: 'list-status list-status--error', role: 'alert' },
            t(r.status === 0 ? 'errors.network' : (r.status === 403 ? 'errors.forbidden' : 'board.error')), ' ', retry));
          return false;
        }
        var text = JSON.stringify(r.data);
        var same = text === board.shown && opts.quiet;
        board.data = r.data;
        board.zone = str(r.data.timezone) || board.zone;
        board.date = str(r.data.date) || date;
        var want = '#/day-board?date=' + board.date;
        if (location.hash !== want) history.replaceState(null, '', want);
        if (!same || opts.focusId) {
          board.shown = text;
          paint(opts);
        }
        return true;
      });
    }

    function allAppointments() {
      var d = board.data;
      var list = [];
      d.resources.forEach(function (res) { (res.appointments || []).forEach(function (a) { if (a) list.push(a); }); });
      (d.unassigned || []).forEach(function (a) { if (a) list.push(a); });
      return list;
    }

    /* ---- drawing ---- */

    function hoursOf(day) {
      var wd = BOARD_WEEKDAYS[ymdToDate(day).getUTCDay()];
      var w = board.workshop;
      var closed = w && Array.isArray(w.closures) && w.closures.indexOf(day) >= 0;
      var list = closed ? [] : ((w && w.opening_hours && w.opening_hours[wd]) || []);
      return list.map(function (iv) { return [hhmmToMin(iv[0]), hhmmToMin(iv[1])]; })
        .filter(function (iv) { return iv[0] !== null && iv[1] !== null && iv[1] > iv[0]; });
    }

    function paint(opts) {
      var d = board.data;
      var day = board.date;
      var isToday = board.zone && day === todayIn(board.zone);
      title.textContent = boardDayTitle(day);
      todayChip.hidden = !isToday;
      dateInput.value = day;
      var appts = allAppointments();
      count.textContent = tn('board.count', appts.length);
      setDocumentTitle(t('pages.dayboard.title') + ' · ' + boardDayTitle(day));

      var hours = hoursOf(day);
      var lo = hours.length ? Math.min.apply(null, hours.map(function (iv) { return iv[0]; })) : 8 * 60;
      var hi = hours.length ? Math.max.apply(null, hours.map(function (iv) { return iv[1]; })) : 18 * 60;
      if (hi - lo > 14 * 60) { lo = 7 * 60; hi = 19 * 60; }   /* round the clock: a working day */
      appts.forEach(function (a) {
        lo = Math.min(lo, localMinutes(a.start, day));
        hi = Math.max(hi, localMinutes(a.end, day));
      });
      var nowMin = null;
      if (isToday) {
        try {
          var parts = new Intl.DateTimeFormat('en-GB', { timeZone: board.zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
          nowMin = hhmmToMin(parts);
        } catch (e) { nowMin = null; }
        if (nowMin !== null && hours.length && nowMin >= lo - 60 && nowMin <= hi + 60) { lo = Math.min(lo, nowMin); hi = Math.max(hi, nowMin + 1); }
      }
      lo = Math.max(0, Math.floor(lo / 60) * 60);
      hi = Math.min(24 * 60, Math.ceil(hi / 60) * 60);
      var rows = Math.max(1, (hi - lo) / BOARD_ROW_MIN);

      var columns = d.resources.map(function (res) {
        return { id: str(res.id), name: str(res.name) || str(res.id), items: (res.appointments || []).filter(Boolean) };
      });
      if (d.unassigned && d.unassigned.length) columns.push({ id: '', name: t('board.unassigned'), items: d.unassigned.filter(Boolean) });

      var grid = el('div', { className: 'board-grid', 'data-testid': 'board-grid' });
      grid.style.gridTemplateColumns = '64px repeat(' + Math.max(1, columns.length) + ', minmax(220px, 1fr))';
      grid.style.gridTemplateRows = 'auto repeat(' + rows + ', minmax(18px, auto))';

      grid.appendChild(el('div', { className: 'board-corner', 'aria-hidden': 'true' }));
      columns.forEach(function (col, i) {
        var h = el('div', { className: 'board-col-head', 'data-testid': 'board-column', 'data-resource': col.id },
          el('span', { className: 'board-col-head__name' }, col.name),
          el('span', { className: 'board-col-head__count' }, String(col.items.length)));
        h.style.gridColumn = String(i + 2);
        grid.appendChild(h);
      });

      function open(min) {
        return hours.some(function (iv) { return min >= iv[0] && min < iv[1]; });
      }
      for (var r = 0; r < rows; r++) {
        var min = lo + r * BOARD_ROW_MIN;
        var line = el('div', { className: 'board-line' + (min % 60 === 0 ? ' board-line--hour' : '') + (open(min) ? '' : ' board-line--closed'), 'aria-hidden': 'true' });
        line.style.gridRow = String(r + 2);
        line.style.gridColumn = '2 / -1';
        grid.appendChild(line);
        if (min % 60 === 0) {
          var label = el('div', { className: 'board-hour', 'aria-hidden': 'true' }, hhmm(min));
          label.style.gridRow = (r + 2) + ' / span ' + Math.min(4, rows - r);
          label.style.gridColumn = '1';
          grid.appendChild(label);
        }
      }
      if (nowMin !== null && nowMin >= lo && nowMin < hi) {
        /* The line sits inside its quarter-hour row, at the minute. */
        var nowRow = Math.floor((nowMin - lo) / BOARD_ROW_MIN);
        var at = Math.round(((nowMin - lo) % BOARD_ROW_MIN) / BOARD_ROW_MIN * 100) + '%';
        var mark = el('div', { className: 'board-now__mark' });
        var nowLabel = el('span', { className: 'board-now__label' }, t('board.now', { time: hhmm(nowMin) }));
        mark.style.top = at;
        nowLabel.style.top = at;
        var now = el('div', { className: 'board-now', 'data-testid': 'board-now' }, mark, nowLabel);
        now.style.gridRow = String(nowRow + 2);
        now.style.gridColumn = '1 / -1';
        grid.appendChild(now);
      }

      columns.forEach(function (col, i) {
        col.items.slice().sort(function (a, b) { return String(a.start).localeCompare(String(b.start)); }).forEach(function (a) {
          var s = Math.max(0, Math.floor((localMinutes(a.start, day) - lo) / BOARD_ROW_MIN));
          var e = Math.max(s + 1, Math.ceil((localMinutes(a.end, day) - lo) / BOARD_ROW_MIN));
          var card = appointmentCard(a, col.name);
          card.style.gridColumn = String(i + 2);
          card.style.gridRow = (s + 2) + ' / ' + (Math.min(e, rows) + 2);
          grid.appendChild(card);
        });
      });

      var children = [el('div', { className: 'board-scroll' }, grid)];
      if (!appts.length) {
        children.unshift(el('p', { className: 'board-empty', 'data-testid': 'board-empty' },
          t(hours.length ? 'board.empty' : 'board.closed')));
      }
      /* Keep keyboard focus where it was across a redraw. */
      var active = document.activeElement;
      var focusKey = active && region.contains(active) ? active.getAttribute('data-key') : null;
      region.replaceChildren.apply(region, children);
      var target = null;
      if (opts && opts.focusId) {
        var card = $('[data-testid="appointment"][data-id="' + cssEscape(opts.focusId) + '"]', region);
        target = card && ($('.appt__actions .button', card) || card);
        if (card && card.scrollIntoView) card.scrollIntoView({ block: 'nearest' });
      } else if (focusKey) {
        target = $('[data-key="' + cssEscape(focusKey) + '"]', region);
      }
      if (target) target.focus();
      else if (!(opts && opts.quiet)) {
        /* Today: open the board at the current time rather than at dawn. */
        var nowLine = $('[data-testid="board-now"]', region);
        var scroller = $('.board-scroll', region);
        if (nowLine && scroller) scroller.scrollTop = Math.max(0, nowLine.offsetTop - 120);
      }
      queueTires(appts);
    }

    function cssEscape(text) {
      return window.CSS && CSS.escape ? CSS.escape(text) : String(text).replace(/["\\]/g, '\\$&');
    }

    function tireText(set) {
      if (!set) return '';
      var parts = [str(set.size), str(set.brand), set.season ? t('board.season.' + set.season) : '', set.location ? t('board.rack', { location: str(set.location) }) : ''];
      var tread = set.tread_mm && typeof set.tread_mm === 'object' ? TIRE_WHEELS.map(function (w) { return set.tread_mm[w]; }).filter(function (v) { return typeof v === 'number'; }) : [];
      if (tread.length) parts.push(tread.map(function (v) { return formatNumber(v); }).join(' / ') + ' mm');
      return parts.filter(Boolean).join(' · ');
    }

    function appointmentCard(a, resourceName) {
      var status = str(a.status);
      var nameId = uniqueId('appt-name');
      var name = str(a.customer_name) || t('customers.unnamed');
      var services = (a.services || []).map(serviceLabel);
      var card = el('article', {
        className: 'appt appt--' + status.replace(/[^a-z_]/g, ''), 'data-testid': 'appointment', 'data-id': str(a.id),
        'data-status': status, 'data-reference': str(a.reference), 'aria-labelledby': nameId, tabindex: '-1', 'data-key': 'card-' + str(a.id)
      });
      card.appendChild(el('div', { className: 'appt__head' },
        el('span', { className: 'appt__time' }, rangeText(a)),
        el('span', { className: 'badge badge--' + status.replace(/[^a-z_]/g, ''), 'data-testid': 'appointment-status' }, t('board.status.' + status))));
      card.appendChild(el('h3', { className: 'appt__name', id: nameId },
        el('span', { className: 'visually-hidden' }, resourceName + ', ' + rangeText(a) + ': '),
        el('span', { 'data-testid': 'appointment-name' }, name)));
      card.appendChild(el('div', { className: 'appt__line' },
        str(a.plate) ? el('span', { className: 'plate', 'data-testid': 'appointment-plate' }, str(a.plate)) : el('span', { className: 'plate plate--none' }, t('board.noPlate')),
        el('span', { className: 'appt__services', 'data-testid': 'appointment-services' }, listFormat(services))));
      var meta = [str(a.reference), t('board.channel.' + str(a.channel)) === 'board.channel.' + str(a.channel) ? str(a.channel) : t('board.channel.' + str(a.channel))];
      if (str(a.customer_phone)) meta.push(str(a.customer_phone));
      if (typeof a.mileage_km === 'number') meta.push(formatNumber(a.mileage_km) + ' km');
      var metaLine = el('div', { className: 'appt__meta' });
      meta.filter(Boolean).forEach(function (part, i) {
        if (i) metaLine.appendChild(document.createTextNode(' · '));
        metaLine.appendChild(el('span', null, part));
      });
      card.appendChild(metaLine);
      var tires = el('div', { className: 'appt__tires', 'data-testid': 'appointment-tires', hidden: true });
      var known = board.tires[a.id];
      if (known) { tires.textContent = t('board.stored', { tires: tireText(known) }); tires.hidden = false; }
      card.appendChild(tires);
      var steps = BOARD_NEXT[status] || [];
      if (steps.length) {
        var actions = el('div', { className: 'appt__actions' });
        steps.forEach(function (to, i) {
          var b = el('button', {
            type: 'button', className: 'button button--small ' + (i === 0 ? 'button--primary' : 'button--secondary'),
            'data-testid': 'action-' + to, 'data-key': 'action-' + str(a.id) + '-' + to,
            'aria-label': t('board.actionLabel', { action: t('board.actions.' + to), name: name, time: rangeText(a) })
          }, t('board.actions.' + to));
          b.addEventListener('click', function () { step(a, to, b); });
          actions.appendChild(b);
        });
        if (status === 'booked') {
          var move = el('button', {
            type: 'button', className: 'button button--small button--secondary', 'data-testid': 'action-move',
            'data-key': 'action-' + str(a.id) + '-move', 'aria-expanded': 'false',
            'aria-label': t('board.actionLabel', { action: t('board.move.open'), name: name, time: rangeText(a) })
          }, t('board.move.open'));
          move.addEventListener('click', function () { openMove(a, card, move); });
          actions.appendChild(move);
        }
        card.appendChild(actions);
      }
      return card;
    }

    /* Stored tire sets, a few requests at a time; cards fill in as they come. */
    function queueTires(appts) {
      appts.forEach(function (a) {
        if (a.id && a.customer_id && !(a.id in board.tires) && board.tireQueue.indexOf(a.id) < 0) board.tireQueue.push(a.id);
      });
      while (board.tireActive < 4 && board.tireQueue.length) fetchTires(board.tireQueue.shift());
    }

    function fetchTires(id) {
      board.tireActive++;
      return api('GET', '/appointments/' + encodeURIComponent(id)).then(function (r) {
        board.tireActive--;
        if (!isCurrent(seq)) return null;
        if (r.status === 200 && r.data) {
          board.tires[id] = r.data.stored_tires && typeof r.data.stored_tires === 'object' ? r.data.stored_tires : null;
          var slot = $('[data-testid="appointment"][data-id="' + cssEscape(id) + '"] [data-testid="appointment-tires"]', region);
          if (slot && board.tires[id]) {
            slot.textContent = t('board.stored', { tires: tireText(board.tires[id]) });
            slot.hidden = false;
          }
        }
        if (board.tireQueue.length) fetchTires(board.tireQueue.shift());
        return board.tires[id];
      });
    }

    /* ---- status steps ---- */

    function step(a, to, button) {
      if (to === 'checked_in') { openCheckIn(a, button); return; }
      if (button.disabled) return;
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      patch(a, { status: to }).then(function (r) {
        if (!isCurrent(seq)) return;
        button.disabled = false;
        button.removeAttribute('aria-busy');
        if (r.status === 200) return;
        say(t(writeErrorKey(r)));
      });
    }

    /* PATCH, then redraw the day with focus on the card. 409: someone else
     * moved it first; redraw and say so. */
    function patch(a, body) {
      return api('PATCH', '/appointments/' + encodeURIComponent(a.id), body).then(function (r) {
        if (!isCurrent(seq)) return r;
        if (r.status === 401) { sessionExpired(); return r; }
        if (r.status === 200) {
          if (body.tire_set) delete board.tires[a.id];
          load(board.date, { focusId: a.id }).then(function () {
            if (body.status) say(t('board.announce.' + body.status, { name: str(a.customer_name) || str(a.reference) }));
          });
        } else if (r.status === 409 && !body.mileage_km && !body.tire_set) {
          load(board.date, { focusId: a.id }).then(function () { say(t('board.stale')); });
        }
        return r;
      });
    }

    /* ---- moving a booked appointment ---- */

    function whenText(iso) {
      var day = str(iso).slice(0, 10);
      return (day !== board.date ? boardDayTitle(day) + ', ' : '') + timeText(iso);
    }

    /* The form lives in the card; while it is open the minute refresh
     * waits (board.moveForm), so it is not redrawn away. */
    function openMove(a, card, opener) {
      var open = $('[data-testid="move-form"]', region);
      if (open) {
        open.querySelector('[data-testid="move-cancel"]').click();
        if (open.parentNode === card) return;
      }
      var name = str(a.customer_name) || str(a.reference);
      var titleId = uniqueId('move-title');
      var date = field({ id: 'mv-date', name: 'date', type: 'date', labelKey: 'board.move.date', testid: 'move-date', required: true });
      var time = field({ id: 'mv-time', name: 'time', type: 'time', labelKey: 'board.move.time', testid: 'move-time', required: true });
      date.input.value = str(a.start).slice(0, 10);
      time.input.value = str(a.start).slice(11, 16);
      var error = formMessage('move-error');
      var choices = el('div', { className: 'move__alternatives', role: 'group', 'data-testid': 'move-alternatives', hidden: true });
      var cancel = el('button', { type: 'button', className: 'button button--small button--secondary', 'data-testid': 'move-cancel' }, t('form.cancel'));
      var submit = el('button', { type: 'submit', className: 'button button--small button--primary', 'data-testid': 'move-submit' }, t('board.move.submit'));
      var form = el('form', { className: 'form move', novalidate: true, 'aria-labelledby': titleId, 'data-testid': 'move-form' },
        el('p', { className: 'move__title', id: titleId }, t('board.move.title', { name: name })),
        el('div', { className: 'field-pair' }, date.row, time.row),
        error, choices,
        el('div', { className: 'move__actions' }, cancel, submit));
      card.appendChild(form);
      opener.setAttribute('aria-expanded', 'true');
      board.moveForm = form;
      date.input.focus();

      function close(refocus) {
        if (board.moveForm === form) board.moveForm = null;
        opener.setAttribute('aria-expanded', 'false');
        if (form.parentNode) form.parentNode.removeChild(form);
        if (refocus && opener.isConnected) opener.focus();
      }
      cancel.addEventListener('click', function () { close(true); });
      form.addEventListener('keydown', function (event) {
        if (event.key === 'Escape') { event.preventDefault(); close(true); }
      });

      function send(start) {
        if (submit.disabled) return;
        showFormMessage(error, null);
        submit.disabled = true;
        submit.setAttribute('aria-busy', 'true');
        $all('button', choices).forEach(function (b) { b.disabled = true; });
        api('PATCH', '/appointments/' + encodeURIComponent(a.id), { start: start }).then(function (r) {
          if (!isCurrent(seq)) return;
          submit.disabled = false;
          submit.removeAttribute('aria-busy');
          $all('button', choices).forEach(function (b) { b.disabled = false; });
          if (r.status === 401) { close(false); sessionExpired(); return; }
          if (r.status === 200 && r.data) {
            var moved = r.data;
            var away = str(moved.start).slice(0, 10) !== board.date;
            var message = t(away ? 'board.move.doneAway' : 'board.move.done', { name: name, when: whenText(moved.start) });
            close(false);
            load(board.date, { focusId: a.id }).then(function () {
              if (away) title.focus();
              say(message);
            });
            return;
          }
          var alternatives = r.data && r.data.error && r.data.error.alternatives;
          if (r.status === 409 && Array.isArray(alternatives)) { offer(alternatives); return; }
          if (r.status === 409) {
            close(false);
            load(board.date, { focusId: a.id }).then(function () { say(t('board.stale')); });
            return;
          }
          if (r.status === 422) {
            var fields = fieldErrors(r);
            if (fields.start) { time.setError('board.move.errors.closed'); time.input.focus(); return; }
          }
          showFormMessage(error, writeErrorKey(r));
        });
      }

      function offer(list) {
        choices.replaceChildren();
        list = list.filter(function (alt) { return alt && alt.start; });
        error.textContent = t('board.move.taken') + ' ' + t(list.length ? 'board.move.alternatives' : 'board.move.noAlternatives');
        error.hidden = false;
        list.forEach(function (alt) {
          var when = whenText(alt.start);
          var b = el('button', {
            type: 'button', className: 'button button--small button--secondary', 'data-testid': 'move-alternative',
            'data-start': str(alt.start), 'aria-label': t('board.move.alternativeLabel', { when: when })
          }, when);
          b.addEventListener('click', function () { send(str(alt.start)); });
          choices.appendChild(b);
        });
        choices.setAttribute('aria-label', t('board.move.alternativesLabel'));
        choices.hidden = !list.length;
        var first = $('button', choices);
        if (first) first.focus();
      }

      form.addEventListener('submit', function (event) {
        event.preventDefault();
        date.setError(null);
        time.setError(null);
        choices.hidden = true;
        choices.replaceChildren();
        var ymd = date.input.value;
        var hm = time.input.value.slice(0, 5);
        var bad = null;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) { date.setError('board.move.errors.date'); bad = date.input; }
        if (!/^\d{2}:\d{2}$/.test(hm)) { time.setError('board.move.errors.time'); bad = bad || time.input; }
        if (bad) { bad.focus(); return; }
        var start;
        try { start = localToRfc3339(ymd, hm, board.zone || 'UTC'); } catch (e) { start = null; }
        if (!start) { showFormMessage(error, 'errors.generic'); return; }
        send(start);
      });
    }

    /* ---- dialogs ---- */

    function dialogShell(testid, titleText, introText) {
      var titleId = uniqueId(testid + '-title');
      var dialog = el('dialog', { className: 'dialog dialog--form', 'aria-labelledby': titleId, 'data-testid': testid },
        el('h2', { className: 'dialog__title', id: titleId }, titleText));
      if (introText) dialog.appendChild(el('p', { className: 'dialog__text' }, introText));
      return dialog;
    }

    function showDialog(dialog, opener, first) {
      board.dialogOpen = true;
      dialog.addEventListener('close', function () {
        board.dialogOpen = false;
        if (dialog.parentNode) dialog.parentNode.removeChild(dialog);
        if (!dialog.getAttribute('data-done') && opener && opener.isConnected) opener.focus();
      });
      container.appendChild(dialog);
      dialog.showModal();
      if (first) first.focus();
    }

    function openCheckIn(a, opener) {
      var name = str(a.customer_name) || str(a.reference);
      var dialog = dialogShell('checkin-dialog', t('board.checkin.title', { name: name }),
        [str(a.reference), str(a.plate), listFormat((a.services || []).map(serviceLabel))].filter(Boolean).join(' · '));
      var form = el('form', { className: 'form checkin', novalidate: true, 'data-testid': 'checkin-form' });
      var mileage = null;
      if (a.vehicle_id) {
        mileage = field({ id: 'ci-mileage', name: 'mileage', labelKey: 'board.checkin.mileage', testid: 'checkin-mileage', inputmode: 'numeric', maxlength: 9, hintKey: 'board.checkin.mileageHint' });
        form.appendChild(mileage.row);
      } else {
        form.appendChild(el('p', { className: 'field__hint', 'data-testid': 'checkin-no-vehicle' }, t('board.checkin.noVehicle')));
      }
      var tireFields = null;
      if (isTireVisit(a)) {
        var size = field({ id: 'ci-size', name: 'size', labelKey: 'board.checkin.size', testid: 'tire-size', maxlength: 40, placeholder: '205/55 R16' });
        var brand = field({ id: 'ci-brand', name: 'brand', labelKey: 'board.checkin.brand', testid: 'tire-brand', maxlength: 60 });
        var season = field({ tag: 'select', id: 'ci-season', name: 'season', labelKey: 'board.checkin.season', testid: 'tire-season',
          options: [{ value: '', label: t('board.checkin.seasonNone') }].concat(TIRE_SEASONS.map(function (s) {
            var label = t('board.season.' + s);
            return { value: s, label: label.charAt(0).toUpperCase() + label.slice(1) };
          })) });
        var location = field({ id: 'ci-location', name: 'location', labelKey: 'board.checkin.location', testid: 'tire-location', maxlength: 60 });
        var tread = {};
        var treadGrid = el('div', { className: 'tread' });
        TIRE_WHEELS.forEach(function (w) {
          tread[w] = field({ id: 'ci-tread-' + w, name: 'tread-' + w, labelKey: 'board.checkin.' + w, testid: 'tire-tread-' + w, inputmode: 'decimal', maxlength: 5 });
          treadGrid.appendChild(tread[w].row);
        });
        var treadLegendId = uniqueId('tread-legend');
        var treadError = el('div', { className: 'field__error', 'data-testid': 'tire-tread-error', hidden: true });
        var stored = board.tires[a.id];
        var current = el('p', { className: 'tires-current', 'data-testid': 'checkin-current-tires', hidden: !stored }, stored ? t('board.checkin.current', { tires: tireText(stored) }) : '');
        if (!(a.id in board.tires)) {
          fetchTires(a.id).then(function (set) {
            if (set && current.isConnected) { current.textContent = t('board.checkin.current', { tires: tireText(set) }); current.hidden = false; }
          });
        }
        var fs = el('fieldset', { className: 'tires-fieldset', 'data-testid': 'checkin-tires' },
          el('legend', null, t('board.checkin.tires')),
          el('p', { className: 'field__hint' }, t('board.checkin.tiresHint')),
          current,
          el('div', { className: 'field-pair' }, size.row, brand.row),
          el('div', { className: 'field-pair' }, season.row, location.row),
          el('div', { className: 'tread-group', role: 'group', 'aria-labelledby': treadLegendId },
            el('div', { className: 'tread-group__label', id: treadLegendId }, t('board.checkin.tread')), treadGrid, treadError));
        form.appendChild(fs);
        tireFields = { size: size, brand: brand, season: season, location: location, tread: tread, treadError: treadError };
      }
      var error = formMessage('checkin-error');
      var cancel = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'checkin-cancel' }, t('form.cancel'));
      var submit = el('button', { type: 'submit', className: 'button button--primary', 'data-testid': 'checkin-submit' }, t('board.checkin.submit'));
      form.appendChild(error);
      form.appendChild(el('div', { className: 'dialog__actions' }, cancel, submit));
      dialog.appendChild(form);
      cancel.addEventListener('click', function () { dialog.close(); });

      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (submit.disabled) return;
        showFormMessage(error, null);
        var body = { status: 'checked_in' };
        var firstBad = null;
        if (mileage) {
          mileage.setError(null);
          var km = mileage.input.value.replace(/[\s.,']/g, '');
          if (km && !/^\d{1,7}$/.test(km)) { mileage.setError('board.checkin.errors.mileageInvalid'); firstBad = mileage.input; }
          else if (km) body.mileage_km = parseInt(km, 10);
        }
        if (tireFields) {
          var f = tireFields;
          f.size.setError(null);
          f.treadError.hidden = true;
          var set = {};
          if (f.size.input.value.trim()) set.size = f.size.input.value.trim();
          if (f.brand.input.value.trim()) set.brand = f.brand.input.value.trim();
          if (f.season.input.value) set.season = f.season.input.value;
          if (f.location.input.value.trim()) set.location = f.location.input.value.trim();
          var treads = {};
          var treadBad = false;
          TIRE_WHEELS.forEach(function (w) {
            var input = f.tread[w].input;
            input.removeAttribute('aria-invalid');
            var v = input.value.trim().replace(',', '.');
            if (!v) return;
            var n = Number(v);
            if (!/^\d{1,2}(\.\d{1,2})?$/.test(v) || n > 20) { treadBad = true; input.setAttribute('aria-invalid', 'true'); firstBad = firstBad || input; }
            else treads[w] = n;
          });
          if (treadBad) { f.treadError.textContent = t('board.checkin.errors.treadInvalid'); f.treadError.hidden = false; }
          if (Object.keys(treads).length) set.tread_mm = treads;
          if (Object.keys(set).length) {
            if (!set.size && !set.location) { f.size.setError('board.checkin.errors.tiresIncomplete'); firstBad = firstBad || f.size.input; }
            body.tire_set = set;
          }
        }
        if (firstBad) { firstBad.focus(); return; }
        submit.disabled = true;
        submit.setAttribute('aria-busy', 'true');
        patch(a, body).then(function (r) {
          submit.disabled = false;
          submit.removeAttribute('aria-busy');
          if (r.status === 200) { dialog.setAttribute('data-done', '1'); dialog.close(); return; }
          if (r.status === 401) { dialog.close(); return; }
          if (r.status === 422) {
            var fields = fieldErrors(r);
            if (fields.mileage_km && mileage) { mileage.setError('board.checkin.errors.mileageLower'); mileage.input.focus(); return; }
            if (tireFields && Object.keys(fields).some(function (k) { return k.indexOf('tire_set') === 0; })) {
              if (fields['tire_set.tread_mm']) { tireFields.treadError.textContent = t('board.checkin.errors.treadInvalid'); tireFields.treadError.hidden = false; }
              else { tireFields.size.setError('board.checkin.errors.tiresIncomplete'); tireFields.size.input.focus(); }
              return;
            }
            showFormMessage(error, 'board.checkin.errors.invalid');
            return;
          }
          if (r.status === 409) {
            dialog.setAttribute('data-done', '1');
            dialog.close();
            load(board.date, { focusId: a.id }).then(function () { say(t('board.stale')); });
            return;
          }
          showFormMessage(error, writeErrorKey(r));
        });
      });
      showDialog(dialog, opener, mileage ? mileage.input : submit);
    }

    function openWalkIn(opener) {
      workshop().then(function () {
        if (!isCurrent(seq)) return;
        var dialog = dialogShell('walkin-dialog', t('board.walkin.title'), t('board.walkin.text'));
        var name = field({ id: 'wi-name', name: 'name', labelKey: 'board.walkin.name', testid: 'walkin-name', required: true, maxlength: 200, autocomplete: 'off' });
        var phone = field({ id: 'wi-phone', name: 'phone', type: 'tel', labelKey: 'board.walkin.phone', testid: 'walkin-phone', inputmode: 'tel', maxlength: 40 });
        var plate = field({ id: 'wi-plate', name: 'plate', labelKey: 'board.walkin.plate', testid: 'walkin-plate', maxlength: 20, autocapitalize: 'characters', spellcheck: 'false', optional: true });
        var legendId = uniqueId('wi-services');
        var servicesError = el('div', { className: 'field__error', 'data-testid': 'walkin-services-error', hidden: true });
        var boxes = el('div', { className: 'service-checks' });
        ((board.workshop && board.workshop.services) || []).forEach(function (s) {
          if (!s || !s.code) return;
          var input = el('input', { type: 'checkbox', id: uniqueId('wi-svc'), value: s.code, 'data-testid': 'walkin-service-' + s.code });
          boxes.appendChild(el('div', { className: 'check service-check' }, input,
            el('label', { for: input.id }, serviceLabel(s.code),
              typeof s.duration_min === 'number' ? el('span', { className: 'service-check__meta' }, ' · ' + s.duration_min + ' min') : null)));
        });
        var fs = el('fieldset', { className: 'services-fieldset', 'aria-describedby': null },
          el('legend', { id: legendId }, t('board.walkin.services')), boxes, servicesError);
        var error = formMessage('walkin-error');
        var cancel = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'walkin-cancel' }, t('form.cancel'));
        var submit = el('button', { type: 'submit', className: 'button button--primary', 'data-testid': 'walkin-submit' }, t('board.walkin.submit'));
        var form = el('form', { className: 'form walkin', novalidate: true, 'data-testid': 'walkin-form' },
          name.row, el('div', { className: 'field-pair' }, phone.row, plate.row), fs, error,
          el('div', { className: 'dialog__actions' }, cancel, submit));
        dialog.appendChild(form);
        cancel.addEventListener('click', function () { dialog.close(); });
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          if (submit.disabled) return;
          name.setError(null);
          phone.setError(null);
          servicesError.hidden = true;
          showFormMessage(error, null);
          var codes = $all('input[type="checkbox"]', boxes).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
          var first = null;
          if (!name.input.value.trim()) { name.setError('board.walkin.nameRequired'); first = name.input; }
          if (!phone.input.value.trim()) { phone.setError('board.walkin.contactRequired'); first = first || phone.input; }
          if (!codes.length) {
            servicesError.textContent = t('board.walkin.servicesRequired');
            servicesError.hidden = false;
            first = first || $('input', boxes);
          }
          if (first) { first.focus(); return; }
          var body = { channel: 'walk_in', services: codes, customer: { name: name.input.value.trim(), phone: phone.input.value.trim() } };
          if (plate.input.value.trim()) body.vehicle = { plate: plate.input.value.trim().toUpperCase() };
          submit.disabled = true;
          submit.setAttribute('aria-busy', 'true');
          api('POST', '/appointments', body).then(function (r) {
            if (!isCurrent(seq)) return;
            submit.disabled = false;
            submit.removeAttribute('aria-busy');
            if (r.status === 401) { dialog.close(); sessionExpired(); return; }
            if ((r.status === 201 || r.status === 200) && r.data && r.data.id) {
              var made = r.data;
              dialog.setAttribute('data-done', '1');
              dialog.close();
              if (made.stored_tires !== undefined) board.tires[made.id] = made.stored_tires && typeof made.stored_tires === 'object' ? made.stored_tires : null;
              load(str(made.start).slice(0, 10) || null, { focusId: made.id }).then(function () {
                var resName = '';
                (board.data && board.data.resources || []).forEach(function (res) { if (res.id === made.resource_id) resName = str(res.name); });
                say(t('board.walkin.done', { name: str(made.customer_name) || body.customer.name, resource: resName || t('board.unassigned'), time: rangeText(made) }));
              });
              return;
            }
            if (r.status === 409) {
              var alt = r.data && r.data.error && Array.isArray(r.data.error.alternatives) ? r.data.error.alternatives : [];
              var text = t('board.walkin.noneFree');
              if (alt.length && alt[0] && alt[0].start) {
                var when = str(alt[0].start);
                var whenText = (when.slice(0, 10) !== todayIn(board.zone || 'UTC') ? boardDayTitle(when.slice(0, 10)) + ', ' : '') + timeText(when);
                text += ' ' + t('board.walkin.nextFree', { time: whenText });
              }
              error.textContent = text;
              error.hidden = false;
              return;
            }
            if (r.status === 422) {
              var fields = fieldErrors(r);
              var focus = null;
              if (fields['customer.name'] || fields.customer) { name.setError('board.walkin.nameRequired'); focus = name.input; }
              if (fields['customer.phone']) { phone.setError('board.walkin.phoneInvalid'); focus = focus || phone.input; }
              if (fields['customer.email']) { phone.setError('board.walkin.contactRequired'); focus = focus || phone.input; }
              if (fields.services) { servicesError.textContent = t('board.walkin.servicesRequired'); servicesError.hidden = false; focus = focus || $('input', boxes); }
              if (focus) focus.focus(); else showFormMessage(error, 'customers.errors.invalid');
              return;
            }
            showFormMessage(error, r.status === 0 ? 'errors.network' : (r.status === 403 ? 'errors.forbidden' : 'errors.generic'));
          });
        });
        showDialog(dialog, opener, name.input);
      });
    }

    load(board.date);
    return null;
  }

  window.Forecourt.registerPage('day-board', renderDayBoard);
})();
