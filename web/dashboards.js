/*
 * Forecourt dashboards, rendered into the shell of app.js.
 *
 *   #/dashboard   the dealer's numbers (dealer admin, sales; an administrator
 *                 sees every dealer, so gets the network layout);
 *   #/network     a brand manager's network: the total, one row per dealer
 *                 that holds the brand, and a dealer picker that narrows the
 *                 page to one dealer (#/network?dealer=<id>).
 *
 * Both read GET /api/v1/kpis?from=&to=[&dealer_id=] (shape and definitions
 * in docs/kpis.md): {from, to, brand_id, dealers: [{dealer_id, name,
 * timezone, leads, response, conversion, bookings}], total: {dealer_count,
 * leads, response, conversion, bookings}}. A 404 (no endpoint, or nothing
 * the caller may see) is a friendly "no figures" state, not an error.
 *
 * Charts are drawn by Chart.js (web/node_modules/chart.js, installed by npm
 * from web/package.json, loaded by index.html before this script); without
 * it the figures and tables still show. Every chart has its numbers in a
 * table too (the accessible and exportable form): each table exports as CSV
 * made in the browser, UTF-8 with a byte-order mark so Excel reads accents,
 * fields quoted when needed, text that a spreadsheet would run as a formula
 * neutralised, and the separator and decimal mark of the page's language
 * (";" and "," where the decimal mark is a comma, as Excel there expects).
 *
 * Helpers come from app.js (window.Forecourt.kit); data reaches the DOM only
 * through textContent and attribute setters.
 */
(function () {
  'use strict';

  var F = window.Forecourt;
  if (!F || !F.kit) return;
  var k = F.kit;
  var el = k.el;
  var t = k.t;
  var str = k.str;

  var PRESETS = ['last7', 'last30', 'last90', 'thisMonth', 'lastMonth', 'custom'];
  var LEAD_CHANNELS = ['web', 'phone', 'email', 'walk_in', 'partner'];
  var MAX_SOURCES_CHARTED = 12;
  var MAX_DEALERS_CHARTED = 15;
  var COLORS = {
    blue: '#1565c0', teal: '#0f8b8d', amber: '#e8930c', purple: '#6f4bb2', green: '#1f8a4c',
    red: '#b42318', slate: '#8a99a8', navy: '#0e2a47', track: '#e6ebf1'
  };
  var SERIES = [COLORS.blue, COLORS.teal, COLORS.amber, COLORS.purple, COLORS.green, COLORS.slate];

  /* ------------------------------------------------------------------ */
  /* Numbers                                                              */
  /* ------------------------------------------------------------------ */

  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }

  function dash() { return t('list.none'); }

  function fmtInt(v) { return num(v) === null ? dash() : k.formatNumber(v); }

  function fmtPct(v) {
    if (num(v) === null) return dash();
    try { return new Intl.NumberFormat(k.lang(), { style: 'percent', maximumFractionDigits: 1 }).format(v); } catch (e) { return (v * 100).toFixed(1) + ' %'; }
  }

  function fmtDecimal(v, digits) {
    try { return new Intl.NumberFormat(k.lang(), { maximumFractionDigits: digits }).format(v); } catch (e) { return String(v); }
  }

  /* Minutes as people say them: "45 s", "12 min", "1 h 5 min", "2 d 3 h". */
  function fmtMinutes(v) {
    if (num(v) === null) return dash();
    if (v < 1) return t('dash.units.seconds', { s: k.formatNumber(Math.round(v * 60)) });
    if (v < 60) return t('dash.units.minutes', { m: fmtDecimal(v, v < 10 ? 1 : 0) });
    var m = Math.round(v);
    var h = Math.floor(m / 60);
    if (h < 24) return m % 60 ? t('dash.units.hoursMinutes', { h: k.formatNumber(h), m: m % 60 }) : t('dash.units.hours', { h: k.formatNumber(h) });
    var d = Math.floor(h / 24);
    return h % 24 ? t('dash.units.daysHours', { d: k.formatNumber(d), h: h % 24 }) : t('dash.units.days', { d: k.formatNumber(d) });
  }

  function fmtHours(min) { return num(min) === null ? dash() : t('dash.units.hours', { h: fmtDecimal(min / 60, 0) }); }

  /* ------------------------------------------------------------------ */
  /* Dates of the period                                                  */
  /* ------------------------------------------------------------------ */

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function isoDay(d) { return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }
  function addDays(d, n) { return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n); }
  function validDay(s) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s || '')) return false;
    var d = parseDay(s);
    return isoDay(d) === s;
  }
  function parseDay(s) {
    var p = String(s).split('-');
    return new Date(+p[0], +p[1] - 1, +p[2]);
  }

  function presetRange(preset) {
    var today = new Date();
    today = new Date(today.getFullYear(), today.getMonth(), today.getDate());
    switch (preset) {
      case 'last7': return { from: isoDay(addDays(today, -6)), to: isoDay(today) };
      case 'last90': return { from: isoDay(addDays(today, -89)), to: isoDay(today) };
      case 'thisMonth': return { from: isoDay(new Date(today.getFullYear(), today.getMonth(), 1)), to: isoDay(today) };
      case 'lastMonth': return {
        from: isoDay(new Date(today.getFullYear(), today.getMonth() - 1, 1)),
        to: isoDay(new Date(today.getFullYear(), today.getMonth(), 0))
      };
      default: return { from: isoDay(addDays(today, -29)), to: isoDay(today) };
    }
  }

  function presetOf(from, to) {
    if (!from && !to) return 'last30';
    for (var i = 0; i < PRESETS.length - 1; i++) {
      var r = presetRange(PRESETS[i]);
      if (r.from === from && r.to === to) return PRESETS[i];
    }
    return 'custom';
  }

  function fmtDay(s) {
    if (!validDay(s)) return str(s);
    try { return parseDay(s).toLocaleDateString(k.lang(), { day: 'numeric', month: 'short', year: 'numeric' }); } catch (e) { return s; }
  }

  /* ------------------------------------------------------------------ */
  /* CSV                                                                  */
  /* ------------------------------------------------------------------ */

  /* The page language's decimal mark decides the separator. */
  function csvFormat() {
    var comma = false;
    try { comma = new Intl.NumberFormat(k.lang()).format(1.5).indexOf(',') >= 0; } catch (e) { comma = false; }
    return { sep: comma ? ';' : ',', number: new Intl.NumberFormat(k.lang(), { useGrouping: false, maximumFractionDigits: 2 }) };
  }

  /* rows: arrays of cells; a cell is a string (text) or a number or null. */
  function toCsv(rows) {
    var f = csvFormat();
    var lines = rows.map(function (cells) {
      return cells.map(function (cell) {
        if (cell === null || cell === undefined) return '';
        if (typeof cell === 'number') return isFinite(cell) ? f.number.format(cell) : '';
        var text = String(cell);
        /* A spreadsheet runs =, +, - and @ at the start as a formula. */
        if (/^[=+\-@\t\r]/.test(text)) text = '\'' + text;
        if (text.indexOf(f.sep) >= 0 || /["\r\n]/.test(text) || /^\s|\s$/.test(text)) text = '"' + text.replace(/"/g, '""') + '"';
        return text;
      }).join(f.sep);
    });
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  function download(name, text) {
    var blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
    var url = URL.createObjectURL(blob);
    var a = el('a', { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function fileSlug(text) {
    var s = String(text || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return s.slice(0, 40) || 'forecourt';
  }

  /* ------------------------------------------------------------------ */
  /* Building blocks                                                      */
  /* ------------------------------------------------------------------ */

  function card(testid, titleKey, params, extraClass) {
    var titleId = k.uniqueId(testid + '-title');
    var head = el('div', { className: 'dash-card__head' }, el('h2', { className: 'card__title', id: titleId }, t(titleKey, params)));
    var body = el('div', { className: 'dash-card__body' });
    var node = el('section', { className: 'card dash-card' + (extraClass ? ' ' + extraClass : ''), 'aria-labelledby': titleId, 'data-testid': testid },
      head, body);
    return { node: node, head: head, body: body, titleId: titleId };
  }

  /* A table (caption, header, rows, optional total row) with "Export CSV".
   * columns: [{key, labelKey, csvKey?, numeric, cell(row) → text, csv(row) → cell}]. */
  function dataTable(opts) {
    var c = card(opts.testid, opts.titleKey, opts.titleParams, 'dash-table');
    var exportButton = el('button', { type: 'button', className: 'button button--secondary button--small dash-export', 'data-testid': opts.testid + '-csv' },
      el('span', { className: 'dash-export__icon', 'aria-hidden': 'true' }), t('dash.exportCsv'));
    exportButton.setAttribute('aria-label', t('dash.exportCsvLabel', { table: t(opts.titleKey, opts.titleParams) }));
    c.head.appendChild(exportButton);
    var headRow = el('tr');
    opts.columns.forEach(function (col) {
      headRow.appendChild(el('th', { scope: 'col', className: col.numeric ? 'num' : null }, t(col.labelKey)));
    });
    var tbody = el('tbody');
    function tr(row, isTotal) {
      var node = el('tr', { className: isTotal ? 'dash-total' : null, 'data-testid': isTotal ? opts.testid + '-total' : opts.testid + '-row' });
      opts.columns.forEach(function (col, i) {
        var text = col.cell(row);
        node.appendChild(el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, className: col.numeric ? 'num' : null,
          'data-label': t(col.labelKey) }, text));
      });
      return node;
    }
    opts.rows.forEach(function (row) { tbody.appendChild(tr(row, false)); });
    var table = el('table', { className: 'table dash-data', 'data-testid': opts.testid + '-table' },
      el('caption', { className: 'visually-hidden' }, t(opts.titleKey, opts.titleParams)), el('thead', null, headRow), tbody);
    if (opts.total) table.appendChild(el('tfoot', null, tr(opts.total, true)));
    c.body.appendChild(el('div', { className: 'table-scroll' }, table));
    if (opts.note) c.body.appendChild(el('p', { className: 'dash-note' }, opts.note));
    exportButton.addEventListener('click', function () {
      var rows = [opts.columns.map(function (col) { return t(col.csvKey || col.labelKey); })];
      opts.rows.forEach(function (row) { rows.push(opts.columns.map(function (col) { return col.csv(row); })); });
      if (opts.total) rows.push(opts.columns.map(function (col) { return col.csv(opts.total); }));
      download(opts.fileName + '.csv', toCsv(rows));
    });
    return c.node;
  }

  function tile(kpi, labelKey, value, sub, tone) {
    return el('div', { className: 'dash-tile' + (tone ? ' dash-tile--' + tone : ''), 'data-testid': 'kpi-tile', 'data-kpi': kpi },
      el('div', { className: 'dash-tile__label' }, t(labelKey)),
      el('div', { className: 'dash-tile__value', 'data-testid': 'kpi-value' }, value),
      sub ? el('div', { className: 'dash-tile__sub' }, sub) : null);
  }

  function tiles(block) {
    var L = block.leads || {};
    var R = block.response || {};
    var C = block.conversion || {};
    var B = block.bookings || {};
    var overdue = num(R.overdue_open) || 0;
    var target = num(R.target_min);
    return el('div', { className: 'dash-tiles', 'data-testid': 'kpi-tiles' },
      tile('leads', 'dash.kpi.leads', fmtInt(L.total),
        overdue ? t('dash.kpi.overdueNow', { n: k.formatNumber(overdue) }) : t('dash.kpi.noneOverdue'), overdue ? 'alert' : null),
      tile('median', 'dash.kpi.median', fmtMinutes(R.median_min), t('dash.kpi.p90Sub', { time: fmtMinutes(R.p90_min) })),
      tile('within_target', 'dash.kpi.withinTarget', fmtPct(R.within_target_share),
        target !== null ? t('dash.kpi.targetSub', { time: fmtMinutes(target), n: fmtInt(R.within_target), of: fmtInt(R.measured) })
          : t('dash.kpi.targetMixed', { n: fmtInt(R.within_target), of: fmtInt(R.measured) })),
      tile('conversion', 'dash.kpi.conversion', fmtPct(C.rate), t('dash.kpi.conversionSub', { won: fmtInt(C.won), drives: fmtInt(C.test_drives) })),
      tile('bookings', 'dash.kpi.bookings', fmtInt(B.total), t('dash.kpi.callsSaved', { n: fmtInt(B.phone_calls_saved) })),
      tile('online_share', 'dash.kpi.onlineShare', fmtPct(B.online_share), t('dash.kpi.onlineSub')),
      tile('no_show_rate', 'dash.kpi.noShow', fmtPct(B.no_show_rate), t('dash.kpi.noShowSub', { n: fmtInt(B.no_shows), of: fmtInt(B.no_show_base) })),
      tile('utilisation', 'dash.kpi.utilisation', fmtPct(B.utilisation),
        num(B.capacity_min) !== null ? t('dash.kpi.utilisationSub', { booked: fmtHours(B.booked_min), capacity: fmtHours(B.capacity_min) }) : t('dash.kpi.noWorkshop')));
  }

  /* ------------------------------------------------------------------ */
  /* Charts                                                               */
  /* ------------------------------------------------------------------ */

  var chartDefaultsSet = false;
  function chartLib() {
    var Chart = window.Chart;
    if (!Chart || typeof Chart !== 'function') return null;
    if (!chartDefaultsSet) {
      chartDefaultsSet = true;
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif';
      Chart.defaults.font.size = 12;
      Chart.defaults.color = '#556270';
      Chart.defaults.borderColor = '#e3e8ee';
      Chart.defaults.plugins.legend.labels.boxWidth = 12;
      Chart.defaults.plugins.legend.labels.boxHeight = 12;
      Chart.defaults.plugins.tooltip.backgroundColor = '#0e2a47';
      Chart.defaults.maintainAspectRatio = false;
      if (window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches) Chart.defaults.animation = false;
      else Chart.defaults.animation.duration = 350;
    }
    return Chart;
  }

  /* A chart card: the canvas (an image with a spoken summary) or, without
   * data or without Chart.js, a short note. */
  function chartCard(ctx, testid, titleKey, params, summary, config, extra) {
    var c = card(testid, titleKey, params, 'dash-chart');
    if (extra && extra.headline) c.head.appendChild(extra.headline);
    if (!config) {
      c.body.appendChild(el('p', { className: 'dash-nodata', 'data-testid': 'chart-empty' }, t('dash.chartEmpty')));
      return c.node;
    }
    var Chart = chartLib();
    if (!Chart) {
      c.body.appendChild(el('p', { className: 'dash-nodata' }, t('dash.chartUnavailable')));
      return c.node;
    }
    var canvas = el('canvas', { role: 'img', 'aria-label': summary, 'data-testid': 'kpi-chart', 'data-chart': testid });
    canvas.appendChild(document.createTextNode(summary));
    c.body.appendChild(el('div', { className: 'dash-canvas' + (extra && extra.tall ? ' dash-canvas--tall' : '') }, canvas));
    ctx.pending.push(function () {
      try { ctx.charts.push(new Chart(canvas, config)); } catch (e) { /* a chart that cannot draw leaves its table */ }
    });
    return c.node;
  }

  function percentAxis() {
    return { beginAtZero: true, max: 100, ticks: { callback: function (v) { return fmtPct(v / 100); } } };
  }

  function sourcesChart(ctx, block) {
    var entries = sortedSources(block);
    var shown = entries.slice(0, MAX_SOURCES_CHARTED);
    var rest = entries.slice(MAX_SOURCES_CHARTED).reduce(function (sum, e) { return sum + e.n; }, 0);
    if (rest) shown.push({ source: t('dash.otherSources'), n: rest });
    var total = entries.reduce(function (sum, e) { return sum + e.n; }, 0);
    var summary = t('dash.charts.sourcesSummary', { list: shown.slice(0, 5).map(function (e) { return e.source + ' ' + k.formatNumber(e.n); }).join(', ') });
    var config = total ? {
      type: 'bar',
      data: { labels: shown.map(function (e) { return e.source; }),
        datasets: [{ label: t('dash.kpi.leads'), data: shown.map(function (e) { return e.n; }), backgroundColor: COLORS.blue, borderRadius: 4, maxBarThickness: 28 }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } } }
    } : null;
    return chartCard(ctx, 'chart-sources', 'dash.charts.sources', null, summary, config, { tall: shown.length > 6 });
  }

  function responseChart(ctx, block) {
    var R = block.response || {};
    var values = [num(R.median_min), num(R.p90_min), num(R.target_min)];
    var headline = el('div', { className: 'dash-headline' },
      el('span', { className: 'dash-headline__value' }, fmtPct(R.within_target_share)),
      el('span', { className: 'dash-headline__label' }, t('dash.charts.withinTarget')));
    var summary = t('dash.charts.responseSummary', { median: fmtMinutes(R.median_min), p90: fmtMinutes(R.p90_min), share: fmtPct(R.within_target_share) });
    var config = values[0] !== null || values[1] !== null ? {
      type: 'bar',
      data: { labels: [t('dash.charts.median'), t('dash.charts.p90'), t('dash.charts.target')],
        datasets: [{ label: t('dash.charts.minutes'), data: values.map(function (v) { return v === null ? null : Math.round(v * 10) / 10; }),
          backgroundColor: [COLORS.blue, COLORS.teal, COLORS.track], borderColor: [COLORS.blue, COLORS.teal, COLORS.slate],
          borderWidth: [0, 0, 1], borderRadius: 4, maxBarThickness: 56 }] },
      options: { plugins: { legend: { display: false },
        tooltip: { callbacks: { label: function (item) { return fmtMinutes(item.raw); } } } },
      scales: { y: { beginAtZero: true, title: { display: true, text: t('dash.charts.minutes') } }, x: { grid: { display: false } } } }
    } : null;
    return chartCard(ctx, 'chart-response', 'dash.charts.response', null, summary, config, { headline: headline });
  }

  function funnelChart(ctx, block) {
    var L = block.leads || {};
    var R = block.response || {};
    var C = block.conversion || {};
    var steps = [
      { label: t('dash.funnel.received'), n: num(L.total) || 0 },
      { label: t('dash.funnel.answered'), n: num(R.answered) || 0 },
      { label: t('dash.funnel.testDrives'), n: num(C.test_drives) || 0 },
      { label: t('dash.funnel.won'), n: num(C.won) || 0 }
    ];
    var base = steps[0].n;
    var summary = steps.map(function (s) { return s.label + ' ' + k.formatNumber(s.n); }).join(', ');
    var config = base ? {
      type: 'bar',
      data: { labels: steps.map(function (s) { return s.label; }),
        datasets: [{ label: t('dash.kpi.leads'), data: steps.map(function (s) { return s.n; }),
          backgroundColor: [COLORS.navy, COLORS.blue, COLORS.teal, COLORS.green], borderRadius: 4, maxBarThickness: 34 }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false },
        tooltip: { callbacks: { label: function (item) {
          return t('dash.funnel.tooltip', { n: k.formatNumber(item.raw), share: fmtPct(base ? item.raw / base : null) });
        } } } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } } }
    } : null;
    return chartCard(ctx, 'chart-funnel', 'dash.charts.funnel', null, summary, config);
  }

  /* Three half-doughnut gauges: online share, no-show rate, utilisation. */
  function workshopChart(ctx, block) {
    var B = block.bookings || {};
    var c = card('chart-workshop', 'dash.charts.workshop', null, 'dash-chart');
    var gauges = el('div', { className: 'dash-gauges' });
    var Chart = chartLib();
    [
      { key: 'online_share', label: 'dash.kpi.onlineShare', v: num(B.online_share), color: COLORS.teal },
      { key: 'no_show_rate', label: 'dash.kpi.noShow', v: num(B.no_show_rate), color: COLORS.red },
      { key: 'utilisation', label: 'dash.kpi.utilisation', v: num(B.utilisation), color: COLORS.blue }
    ].forEach(function (g) {
      var text = fmtPct(g.v);
      var figure = el('figure', { className: 'dash-gauge', 'data-kpi': g.key });
      if (Chart && g.v !== null) {
        var summary = t(g.label) + ': ' + text;
        var canvas = el('canvas', { role: 'img', 'aria-label': summary, 'data-testid': 'kpi-chart', 'data-chart': 'gauge-' + g.key });
        canvas.appendChild(document.createTextNode(summary));
        figure.appendChild(el('div', { className: 'dash-gauge__canvas' }, canvas));
        var v = Math.max(0, Math.min(1, g.v));
        ctx.pending.push(function () {
          try {
            ctx.charts.push(new Chart(canvas, {
              type: 'doughnut',
              data: { labels: [t(g.label), ''], datasets: [{ data: [v, 1 - v], backgroundColor: [g.color, COLORS.track], borderWidth: 0 }] },
              options: { rotation: -90, circumference: 180, cutout: '72%', plugins: { legend: { display: false }, tooltip: { enabled: false } } }
            }));
          } catch (e) { /* the value below still shows */ }
        });
      } else {
        figure.appendChild(el('div', { className: 'dash-gauge__canvas dash-gauge__canvas--empty', 'aria-hidden': 'true' }));
      }
      figure.appendChild(el('figcaption', null,
        el('span', { className: 'dash-gauge__value' }, text), el('span', { className: 'dash-gauge__label' }, t(g.label))));
      gauges.appendChild(figure);
    });
    c.body.appendChild(gauges);
    c.body.appendChild(el('p', { className: 'dash-note' }, t('dash.charts.workshopNote', {
      bookings: fmtInt(B.total), saved: fmtInt(B.phone_calls_saved)
    })));
    return c.node;
  }

  function topDealers(dealers) {
    return dealers.slice().sort(function (a, b) { return (num(b.leads && b.leads.total) || 0) - (num(a.leads && a.leads.total) || 0); })
      .slice(0, MAX_DEALERS_CHARTED);
  }

  function dealerLeadsChart(ctx, dealers) {
    var shown = topDealers(dealers);
    var any = shown.some(function (d) { return num(d.leads && d.leads.total); });
    var config = any ? {
      type: 'bar',
      data: { labels: shown.map(function (d) { return str(d.name); }),
        datasets: LEAD_CHANNELS.map(function (ch, i) {
          return { label: t('leads.channels.' + ch), data: shown.map(function (d) { var by = d.leads && d.leads.by_channel; return (by && num(by[ch])) || 0; }),
            backgroundColor: SERIES[i % SERIES.length], borderRadius: 2, maxBarThickness: 36 };
        }) },
      options: { plugins: { legend: { position: 'bottom' } }, scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    } : null;
    return chartCard(ctx, 'chart-dealer-leads', 'dash.charts.dealerLeads', null,
      shown.map(function (d) { return str(d.name) + ' ' + fmtInt(d.leads && d.leads.total); }).join(', '), config,
      { tall: true });
  }

  function dealerResponseChart(ctx, dealers) {
    var shown = topDealers(dealers);
    var any = shown.some(function (d) { return num(d.response && d.response.median_min) !== null; });
    var config = any ? {
      type: 'bar',
      data: { labels: shown.map(function (d) { return str(d.name); }),
        datasets: [
          { label: t('dash.charts.median'), data: shown.map(function (d) { return num(d.response && d.response.median_min); }), backgroundColor: COLORS.blue, borderRadius: 3, maxBarThickness: 28 },
          { label: t('dash.charts.p90'), data: shown.map(function (d) { return num(d.response && d.response.p90_min); }), backgroundColor: COLORS.teal, borderRadius: 3, maxBarThickness: 28 }
        ] },
      options: { plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: function (item) { return item.dataset.label + ': ' + fmtMinutes(item.raw); } } } },
        scales: { y: { beginAtZero: true, title: { display: true, text: t('dash.charts.minutes') } }, x: { grid: { display: false } } } }
    } : null;
    return chartCard(ctx, 'chart-dealer-response', 'dash.charts.dealerResponse', null,
      shown.map(function (d) { return str(d.name) + ' ' + fmtMinutes(d.response && d.response.median_min); }).join(', '), config, { tall: true });
  }

  function dealerWorkshopChart(ctx, dealers) {
    var shown = topDealers(dealers);
    function pct(v) { v = num(v); return v === null ? null : Math.round(v * 1000) / 10; }
    var any = shown.some(function (d) { var b = d.bookings || {}; return num(b.online_share) !== null || num(b.utilisation) !== null || num(b.no_show_rate) !== null; });
    var config = any ? {
      type: 'bar',
      data: { labels: shown.map(function (d) { return str(d.name); }),
        datasets: [
          { label: t('dash.kpi.onlineShare'), data: shown.map(function (d) { return pct(d.bookings && d.bookings.online_share); }), backgroundColor: COLORS.teal, borderRadius: 3, maxBarThickness: 22 },
          { label: t('dash.kpi.noShow'), data: shown.map(function (d) { return pct(d.bookings && d.bookings.no_show_rate); }), backgroundColor: COLORS.red, borderRadius: 3, maxBarThickness: 22 },
          { label: t('dash.kpi.utilisation'), data: shown.map(function (d) { return pct(d.bookings && d.bookings.utilisation); }), backgroundColor: COLORS.blue, borderRadius: 3, maxBarThickness: 22 }
        ] },
      options: { plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: function (item) { return item.dataset.label + ': ' + fmtPct(item.raw / 100); } } } },
        scales: { y: percentAxis(), x: { grid: { display: false } } } }
    } : null;
    return chartCard(ctx, 'chart-dealer-workshop', 'dash.charts.dealerWorkshop', null,
      shown.map(function (d) { return str(d.name) + ' ' + fmtPct(d.bookings && d.bookings.online_share); }).join(', '), config, { tall: true });
  }

  /* ------------------------------------------------------------------ */
  /* Tables                                                               */
  /* ------------------------------------------------------------------ */

  function sortedSources(block) {
    var by = block.leads && block.leads.by_source && typeof block.leads.by_source === 'object' ? block.leads.by_source : {};
    return Object.keys(by).map(function (s) { return { source: s, n: num(by[s]) || 0 }; })
      .filter(function (e) { return e.n > 0; })
      .sort(function (a, b) { return b.n - a.n || a.source.localeCompare(b.source); });
  }

  function pct100(v) { v = num(v); return v === null ? null : Math.round(v * 10000) / 100; }
  function round2(v) { v = num(v); return v === null ? null : Math.round(v * 100) / 100; }

  function sourcesTable(block, fileBase) {
    var entries = sortedSources(block);
    var total = entries.reduce(function (sum, e) { return sum + e.n; }, 0);
    var channels = block.leads && block.leads.by_channel && typeof block.leads.by_channel === 'object' ? block.leads.by_channel : {};
    var note = LEAD_CHANNELS.filter(function (ch) { return num(channels[ch]); })
      .map(function (ch) { return t('leads.channels.' + ch) + ' ' + k.formatNumber(channels[ch]); }).join(' · ');
    return dataTable({
      testid: 'table-sources', titleKey: 'dash.tables.sources', fileName: fileBase + '-sources',
      rows: entries,
      total: entries.length ? { source: t('dash.tables.total'), n: total, total: true } : null,
      note: entries.length ? (note ? t('dash.tables.byChannel', { list: note }) : null) : t('dash.tables.noLeads'),
      columns: [
        { labelKey: 'dash.columns.source', cell: function (e) { return e.source; }, csv: function (e) { return e.source; } },
        { labelKey: 'dash.columns.leads', numeric: true, cell: function (e) { return k.formatNumber(e.n); }, csv: function (e) { return e.n; } },
        { labelKey: 'dash.columns.share', csvKey: 'dash.csv.share', numeric: true, cell: function (e) { return fmtPct(total ? e.n / total : null); },
          csv: function (e) { return total ? Math.round(e.n / total * 10000) / 100 : null; } }
      ]
    });
  }

  /* The figures of one block as rows: label, shown value, CSV value. */
  function figureRows(block) {
    var L = block.leads || {};
    var R = block.response || {};
    var C = block.conversion || {};
    var B = block.bookings || {};
    var by = B.by_channel && typeof B.by_channel === 'object' ? B.by_channel : {};
    var rows = [
      ['leads', fmtInt(L.total), num(L.total)],
      ['answered', fmtInt(R.answered), num(R.answered)],
      ['median', fmtMinutes(R.median_min), round2(R.median_min)],
      ['p90', fmtMinutes(R.p90_min), round2(R.p90_min)],
      ['target', num(R.target_min) === null ? dash() : fmtMinutes(R.target_min), num(R.target_min)],
      ['withinTarget', fmtPct(R.within_target_share), pct100(R.within_target_share)],
      ['overdue', fmtInt(R.overdue_open), num(R.overdue_open)],
      ['testDrives', fmtInt(C.test_drives), num(C.test_drives)],
      ['won', fmtInt(C.won), num(C.won)],
      ['conversion', fmtPct(C.rate), pct100(C.rate)],
      ['bookings', fmtInt(B.total), num(B.total)],
      ['bookingsWeb', fmtInt(by.web), num(by.web)],
      ['bookingsPhone', fmtInt(by.phone), num(by.phone)],
      ['bookingsWalkIn', fmtInt(by.walk_in), num(by.walk_in)],
      ['onlineShare', fmtPct(B.online_share), pct100(B.online_share)],
      ['noShows', fmtInt(B.no_shows), num(B.no_shows)],
      ['noShowRate', fmtPct(B.no_show_rate), pct100(B.no_show_rate)],
      ['utilisation', fmtPct(B.utilisation), pct100(B.utilisation)],
      ['bookedHours', fmtHours(B.booked_min), num(B.booked_min) === null ? null : round2(B.booked_min / 60)],
      ['capacityHours', fmtHours(B.capacity_min), num(B.capacity_min) === null ? null : round2(B.capacity_min / 60)]
    ];
    return rows.map(function (r) { return { key: r[0], label: t('dash.figures.' + r[0]), csvLabel: t('dash.csvFigures.' + r[0]), shown: r[1], value: r[2] }; });
  }

  function figuresTable(block, fileBase) {
    return dataTable({
      testid: 'table-figures', titleKey: 'dash.tables.figures', fileName: fileBase + '-figures',
      rows: figureRows(block),
      columns: [
        { labelKey: 'dash.columns.figure', cell: function (r) { return r.label; }, csv: function (r) { return r.csvLabel; } },
        { labelKey: 'dash.columns.value', numeric: true, cell: function (r) { return r.shown; }, csv: function (r) { return r.value; } }
      ]
    });
  }

  function dealersTable(dealers, total, fileBase) {
    function g(d, a, b) { return d && d[a] ? d[a][b] : null; }
    var columns = [
      { labelKey: 'dash.columns.dealer', cell: function (d) { return d.total ? t('dash.tables.networkTotal') : str(d.name); },
        csv: function (d) { return d.total ? t('dash.tables.networkTotal') : str(d.name); } },
      { labelKey: 'dash.columns.leads', numeric: true, cell: function (d) { return fmtInt(g(d, 'leads', 'total')); }, csv: function (d) { return num(g(d, 'leads', 'total')); } },
      { labelKey: 'dash.columns.overdue', numeric: true, cell: function (d) { return fmtInt(g(d, 'response', 'overdue_open')); }, csv: function (d) { return num(g(d, 'response', 'overdue_open')); } },
      { labelKey: 'dash.columns.median', csvKey: 'dash.csv.median', numeric: true, cell: function (d) { return fmtMinutes(g(d, 'response', 'median_min')); }, csv: function (d) { return round2(g(d, 'response', 'median_min')); } },
      { labelKey: 'dash.columns.p90', csvKey: 'dash.csv.p90', numeric: true, cell: function (d) { return fmtMinutes(g(d, 'response', 'p90_min')); }, csv: function (d) { return round2(g(d, 'response', 'p90_min')); } },
      { labelKey: 'dash.columns.withinTarget', csvKey: 'dash.csv.withinTarget', numeric: true, cell: function (d) { return fmtPct(g(d, 'response', 'within_target_share')); }, csv: function (d) { return pct100(g(d, 'response', 'within_target_share')); } },
      { labelKey: 'dash.columns.conversion', csvKey: 'dash.csv.conversion', numeric: true, cell: function (d) { return fmtPct(g(d, 'conversion', 'rate')); }, csv: function (d) { return pct100(g(d, 'conversion', 'rate')); } },
      { labelKey: 'dash.columns.testDrives', numeric: true, cell: function (d) { return fmtInt(g(d, 'conversion', 'test_drives')); }, csv: function (d) { return num(g(d, 'conversion', 'test_drives')); } },
      { labelKey: 'dash.columns.bookings', numeric: true, cell: function (d) { return fmtInt(g(d, 'bookings', 'total')); }, csv: function (d) { return num(g(d, 'bookings', 'total')); } },
      { labelKey: 'dash.columns.onlineShare', csvKey: 'dash.csv.onlineShare', numeric: true, cell: function (d) { return fmtPct(g(d, 'bookings', 'online_share')); }, csv: function (d) { return pct100(g(d, 'bookings', 'online_share')); } },
      { labelKey: 'dash.columns.noShow', csvKey: 'dash.csv.noShow', numeric: true, cell: function (d) { return fmtPct(g(d, 'bookings', 'no_show_rate')); }, csv: function (d) { return pct100(g(d, 'bookings', 'no_show_rate')); } },
      { labelKey: 'dash.columns.utilisation', csvKey: 'dash.csv.utilisation', numeric: true, cell: function (d) { return fmtPct(g(d, 'bookings', 'utilisation')); }, csv: function (d) { return pct100(g(d, 'bookings', 'utilisation')); } }
    ];
    var rows = dealers.slice().sort(function (a, b) { return str(a.name).localeCompare(str(b.name), k.lang()); });
    var totalRow = total ? Object.assign({ total: true }, total) : null;
    return dataTable({
      testid: 'table-dealers', titleKey: 'dash.tables.dealers', fileName: fileBase + '-dealers', rows: rows, total: totalRow, columns: columns
    });
  }

  /* ------------------------------------------------------------------ */
  /* The page                                                             */
  /* ------------------------------------------------------------------ */

  function renderDashboard(container, seq, head, route) {
    var info = k.routeInfo();
    var q = info.query;
    var from = validDay(q.from) ? q.from : '';
    var to = validDay(q.to) ? q.to : '';
    var dealerId = route === 'network' && q.dealer ? String(q.dealer) : '';
    var ctx = { charts: [], pending: [] };
    var controller = null;
    k.onLeave(function () {
      if (controller) controller.abort();
      destroyCharts();
    });

    function destroyCharts() {
      ctx.charts.forEach(function (c) { try { c.destroy(); } catch (e) { /* gone already */ } });
      ctx.charts = [];
      ctx.pending = [];
    }

    /* ---- period and dealer controls ---- */
    var preset = presetOf(from, to);
    var presetField = k.field({ tag: 'select', id: 'dash-period', name: 'period', labelKey: 'dash.period.label', testid: 'dash-period',
      options: PRESETS.map(function (p) { return { value: p, label: t('dash.period.' + p) }; }) });
    presetField.input.value = preset;
    var fromField = k.field({ id: 'dash-from', name: 'from', type: 'date', labelKey: 'dash.period.from', testid: 'dash-from' });
    var toField = k.field({ id: 'dash-to', name: 'to', type: 'date', labelKey: 'dash.period.to', testid: 'dash-to' });
    var range = from || to ? { from: from, to: to } : presetRange('last30');
    fromField.input.value = range.from;
    toField.input.value = range.to;
    var applyButton = el('button', { type: 'submit', className: 'button button--primary', 'data-testid': 'dash-apply' }, t('dash.period.apply'));
    var custom = el('div', { className: 'dash-custom', hidden: preset !== 'custom' }, fromField.row, toField.row, applyButton);
    var dealerField = null;
    var controls = el('form', { className: 'dash-controls', novalidate: true, 'data-testid': 'dash-controls', 'aria-label': t('dash.period.controls') },
      presetField.row, custom);
    var periodError = k.formMessage('dash-period-error');
    container.appendChild(controls);
    container.appendChild(periodError);

    var meta = el('p', { className: 'dash-meta', 'data-testid': 'dash-meta' });
    var live = el('div', { className: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'dash-status' });
    var body = el('div', { className: 'dash', 'data-testid': 'dashboard', 'aria-busy': 'true' });
    container.appendChild(meta);
    container.appendChild(live);
    container.appendChild(body);

    function syncUrl() {
      var parts = [];
      if (dealerId) parts.push('dealer=' + encodeURIComponent(dealerId));
      if (from) parts.push('from=' + from);
      if (to) parts.push('to=' + to);
      var want = '#/' + route + (parts.length ? '?' + parts.join('&') : '');
      if (location.hash !== want) history.replaceState(null, '', want);
    }

    presetField.input.addEventListener('change', function () {
      var p = presetField.input.value;
      custom.hidden = p !== 'custom';
      if (p === 'custom') { fromField.input.focus(); return; }
      var r = presetRange(p);
      fromField.input.value = r.from;
      toField.input.value = r.to;
      from = p === 'last30' ? '' : r.from;
      to = p === 'last30' ? '' : r.to;
      load();
    });
    controls.addEventListener('submit', function (event) {
      event.preventDefault();
      fromField.setError(null);
      toField.setError(null);
      var a = fromField.input.value;
      var b = toField.input.value;
      if (!validDay(a)) { fromField.setError('dash.period.errors.date'); fromField.input.focus(); return; }
      if (!validDay(b)) { toField.setError('dash.period.errors.date'); toField.input.focus(); return; }
      if (a > b) { toField.setError('dash.period.errors.order'); toField.input.focus(); return; }
      from = a;
      to = b;
      load();
    });

    function dealerPicker(dealers) {
      if (route !== 'network' || dealerField) return;
      if (dealers.length < 2 && !dealerId) return;
      dealerField = k.field({ tag: 'select', id: 'dash-dealer', name: 'dealer', labelKey: 'dash.dealer.label', testid: 'dash-dealer',
        options: [{ value: '', label: t('dash.dealer.all') }].concat(dealers.slice()
          .sort(function (a, b) { return str(a.name).localeCompare(str(b.name), k.lang()); })
          .map(function (d) { return { value: str(d.dealer_id), label: str(d.name) }; })) });
      dealerField.input.value = dealerId;
      dealerField.input.addEventListener('change', function () {
        dealerId = dealerField.input.value;
        load();
      });
      controls.insertBefore(dealerField.row, controls.firstChild);
    }

    /* ---- states ---- */

    function showEmpty() {
      body.replaceChildren(el('div', { className: 'card card--empty dash-empty', 'data-testid': 'kpi-empty' },
        el('span', { className: 'card__badge', 'aria-hidden': 'true' }),
        el('div', null, el('p', { className: 'dash-empty__title' }, t('dash.empty.title')), el('p', null, t('dash.empty.text')))));
      meta.textContent = '';
    }

    function showError(r) {
      var retry = el('button', { type: 'button', className: 'button button--secondary', 'data-testid': 'dash-retry' }, t('list.retry'));
      retry.addEventListener('click', load);
      body.replaceChildren(el('p', { className: 'card list-status list-status--error', role: 'alert', 'data-testid': 'dash-error' },
        t(r.status === 403 ? 'errors.forbidden' : (r.status === 0 ? 'errors.network' : 'dash.error')), ' ', retry));
    }

    function load() {
      syncUrl();
      k.showFormMessage(periodError, null);
      if (controller) controller.abort();
      var mine = new AbortController();
      controller = mine;
      body.setAttribute('aria-busy', 'true');
      live.textContent = t('dash.loading');
      var params = [];
      if (from) params.push('from=' + from);
      if (to) params.push('to=' + to);
      if (dealerId) params.push('dealer_id=' + encodeURIComponent(dealerId));
      var needAll = route === 'network' && dealerId && !dealerField;
      var all = needAll ? k.api('GET', '/kpis' + (from || to ? '?' + params.filter(function (p) { return p.indexOf('dealer_id=') !== 0; }).join('&') : ''), undefined, { signal: mine.signal })
        : Promise.resolve(null);
      Promise.all([k.api('GET', '/kpis' + (params.length ? '?' + params.join('&') : ''), undefined, { signal: mine.signal }), all]).then(function (results) {
        var r = results[0];
        if (r.aborted || controller !== mine || !k.isCurrent(seq)) return;
        controller = null;
        body.removeAttribute('aria-busy');
        live.textContent = '';
        if (r.status === 401) { k.sessionExpired(); return; }
        destroyCharts();
        if (r.status === 404) { showEmpty(); return; }
        if (r.status === 400 || r.status === 422) {
          k.showFormMessage(periodError, 'dash.period.errors.server');
          body.replaceChildren();
          return;
        }
        if (r.status !== 200 || !r.data || !Array.isArray(r.data.dealers)) { showError(r); return; }
        if (results[1] && results[1].status === 200 && results[1].data && Array.isArray(results[1].data.dealers)) dealerPicker(results[1].data.dealers);
        else dealerPicker(r.data.dealers);
        render(r.data);
        live.textContent = t('dash.loaded');
      });
    }

    function render(doc) {
      var dealers = doc.dealers.filter(function (d) { return d && typeof d === 'object'; });
      var period = t('dash.meta.period', { from: fmtDay(doc.from), to: fmtDay(doc.to) });
      var single = dealers.length === 1 && (route === 'dashboard' || dealerId);
      body.replaceChildren();
      if (!dealers.length) { showEmpty(); return; }
      var fileBase = 'forecourt-' + (single ? fileSlug(dealers[0].name) : 'network') + '-' + str(doc.from) + '-' + str(doc.to);
      if (single) {
        var d = dealers[0];
        meta.textContent = t('dash.meta.dealer', { dealer: str(d.name), period: period });
        body.appendChild(tiles(d));
        body.appendChild(el('div', { className: 'dash-grid' },
          sourcesChart(ctx, d), responseChart(ctx, d), funnelChart(ctx, d), workshopChart(ctx, d)));
        body.appendChild(el('div', { className: 'dash-grid dash-grid--tables' }, sourcesTable(d, fileBase), figuresTable(d, fileBase)));
      } else {
        var total = doc.total && typeof doc.total === 'object' ? doc.total : {};
        meta.textContent = t('dash.meta.network', { count: k.formatNumber(dealers.length), period: period });
        body.appendChild(el('h2', { className: 'dash-section-title' }, t('dash.networkTotal')));
        body.appendChild(tiles(total));
        body.appendChild(el('div', { className: 'dash-grid' },
          dealerLeadsChart(ctx, dealers), dealerResponseChart(ctx, dealers), funnelChart(ctx, total), dealerWorkshopChart(ctx, dealers)));
        body.appendChild(dealersTable(dealers, total, fileBase));
        body.appendChild(el('div', { className: 'dash-grid dash-grid--tables' }, sourcesTable(total, fileBase), figuresTable(total, fileBase)));
        if (dealers.length > MAX_DEALERS_CHARTED) {
          body.appendChild(el('p', { className: 'dash-note' }, t('dash.charts.topDealers', { n: MAX_DEALERS_CHARTED, count: k.formatNumber(dealers.length) })));
        }
      }
      /* Charts are made once their canvases are in the page (sized). */
      var pending = ctx.pending;
      ctx.pending = [];
      pending.forEach(function (fn) { fn(); });
    }

    load();
    return null;
  }

  F.registerPage('dashboard', function (container, seq, head) { return renderDashboard(container, seq, head, 'dashboard'); });
  F.registerPage('network', function (container, seq, head) { return renderDashboard(container, seq, head, 'network'); });
})();
