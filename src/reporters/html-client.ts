/**
 * The script report.html runs in the browser: it reads the chart data from
 * the page's JSON block and draws each chart with uPlot (inlined before it).
 * Plain ES2017 in a string, since it is shipped as text, not compiled for
 * Node. Labels go through uPlot, which sets them with textContent.
 * `window.lsbCharts` holds the uPlot instances, so a test can read what
 * each chart holds; `data-rendered` on each container says it was drawn,
 * and `window.lsbOverlays` what was drawn over each plot (threshold lines,
 * run markers). Times are the reader's local time, 24-hour, with the zone.
 * `window.lsbDraw(charts)` draws them again from new data (the live
 * dashboard, live/dashboard-script.ts): a chart of the same series gets the
 * new points, any other is made anew; `window.lsbAppend(tails, keep)` adds
 * the newest seconds to what each time chart has.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('lsb-data').textContent);
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  var charts = {};
  var overlays = {};
  /** The data each chart draws now: overlays and legends read it, so a redraw with new data shows the new figures. */
  var current = {};
  window.lsbCharts = charts;
  window.lsbOverlays = overlays;
  var markColour = { ramp: '#6b7280', steady: '#15803d', cut: '#d97706', churn: '#7c3aed' };

  // The reader's locale, unless the browser's is no tag Intl accepts (a headless
  // shell says "en-US@posix"): then en-US rather than a RangeError and no charts.
  function dateFormat(options) {
    try { return new Intl.DateTimeFormat(undefined, options); } catch (e) { return new Intl.DateTimeFormat('en-US', options); }
  }
  var clock = dateFormat({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  var zoneFmt = dateFormat({ timeZoneName: 'short' });
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function zone(d) {
    var z = zoneFmt.formatToParts(d).filter(function (p) { return p.type === 'timeZoneName'; })[0];
    return z ? z.value : '';
  }
  function timeOf(sec) { return clock.format(new Date(sec * 1000)); }
  /** 2026-01-15 13:00:00 CET: the date as digits in their order, the time and zone the reader's. */
  function dateTime(ms) {
    var d = new Date(ms);
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + clock.format(d) + ' ' + zone(d);
  }
  Array.prototype.forEach.call(document.querySelectorAll('time[datetime]'), function (el) {
    var ms = Date.parse(el.getAttribute('datetime'));
    if (!isNaN(ms)) el.textContent = dateTime(ms);
  });

  /** Threshold lines and run markers, drawn over the series; what was drawn is kept for tests. */
  function overlay(id) {
    return function (u) {
      var c = current[id];
      var ctx = u.ctx, b = u.bbox, px = window.devicePixelRatio || 1;
      var drawn = { thresholds: [], markers: [] };
      ctx.save();
      ctx.font = (11 * px) + 'px system-ui, sans-serif';
      ctx.lineWidth = px;
      var row = 0;
      (c.markers || []).forEach(function (m) {
        // the run starts and ends within a second of its first and last points: drawn at the edge
        var t = Math.min(Math.max(m.t, u.scales.x.min), u.scales.x.max);
        if (Math.abs(t - m.t) > 1.5) return;
        var x = Math.round(u.valToPos(t, 'x', true));
        ctx.strokeStyle = ctx.fillStyle = markColour[m.kind] || '#6b7280';
        ctx.setLineDash(m.kind === 'cut' || m.kind === 'churn' ? [4 * px, 3 * px] : []);
        ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
        // labels along the bottom, on two rows so that neighbours do not overprint; the top is the limits'
        var w = ctx.measureText(m.label).width;
        ctx.fillText(m.label, Math.min(x + 3 * px, b.left + b.width - w - 2 * px), b.top + b.height - (17 + 13 * (row++ % 2)) * px);
        drawn.markers.push({ kind: m.kind, label: m.label, t: m.t });
      });
      (c.thresholds || []).forEach(function (t) {
        var sc = u.scales[t.scale];
        ctx.strokeStyle = ctx.fillStyle = '#b91c1c';
        ctx.setLineDash([6 * px, 4 * px]);
        var inside = t.value >= sc.min && t.value <= sc.max;
        // a limit far above the data would squash it: then the line is named at the top edge
        var y = inside ? Math.round(u.valToPos(t.value, t.scale, true)) : b.top;
        if (inside) { ctx.beginPath(); ctx.moveTo(b.left, y); ctx.lineTo(b.left + b.width, y); ctx.stroke(); }
        ctx.textAlign = 'right';
        ctx.fillText((inside ? '' : '\u2191 ') + t.label, b.left + b.width - 4 * px, inside ? y - 3 * px : b.top + 11 * px);
        ctx.textAlign = 'left';
        drawn.thresholds.push({ label: t.label, value: t.value, inside: inside });
      });
      ctx.restore();
      overlays[c.id] = drawn;
    };
  }

  function nines(v) {
    if (v <= 0) return '0 %';
    var p = 100 * (1 - Math.pow(10, -v));
    return (Math.round(p * 1000) / 1000) + ' %';
  }
  function fixed(v) {
    return v == null ? '-' : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  }
  function width(el) {
    return Math.max(320, Math.floor(el.getBoundingClientRect().width));
  }

  function columns(c) { return [c.x].concat(c.series.map(function (s) { return s.values; })); }

  function draw(c) {
    var box = document.getElementById('chart-' + c.id);
    if (!box) return;
    var plot = box.querySelector('.plot');
    var had = charts[c.id];
    current[c.id] = c;
    box.setAttribute('data-points', String(c.x.length));
    if (had && c.x.length > 0 && had.series.length === c.series.length + 1 && c.series.every(function (s, i) { return had.series[i + 1].label === s.label; })) {
      had.setData(columns(c));
      return;
    }
    if (had) { had.destroy(); delete charts[c.id]; }
    plot.textContent = '';
    plot.className = 'plot';
    if (c.x.length === 0) {
      plot.textContent = 'Nothing to draw: this run recorded no data for this chart.';
      plot.className += ' empty';
      box.setAttribute('data-rendered', 'empty');
      return;
    }
    var zeroBased = { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } };
    // to the data, with a margin: memory that grows 5 % must not look flat
    var dataBased = { range: function (u, min, max) {
      if (min == null || max == null) return [0, 1];
      var pad = Math.max((max - min) * 0.1, Math.abs(max) * 0.005, 0.5);
      return [Math.max(0, min - pad), max + pad];
    } };
    var scales = { x: { time: c.xKind === 'time' }, y: zeroBased };
    var first = new Date(c.x[0] * 1000);
    var xAxis = { label: c.xKind === 'time' ? 'local time (' + zone(first) + ')' : 'percentile' };
    if (c.xKind === 'time') xAxis.values = function (u, splits) { return splits.map(timeOf); };
    if (c.xKind === 'nines') {
      xAxis.splits = function (u) {
        var out = [];
        for (var i = 0; i <= Math.floor(u.scales.x.max); i += 1) out.push(i);
        return out;
      };
      xAxis.values = function (u, splits) { return splits.map(nines); };
      scales.x.range = function (u, min, max) { return [0, max]; };
    }
    var axes = [xAxis, { label: c.yLabel, scale: 'y', size: 60 }];
    if (c.y2) {
      scales.y2 = c.y2.fromZero === false ? dataBased : zeroBased;
      axes.push({ label: c.y2.label, scale: 'y2', side: 1, size: 60, grid: { show: false } });
    }
    // with no cursor on the chart (idx null), the legend shows the run's figures
    var series = [c.xKind === 'nines'
      ? { label: 'percentile', value: function (u, v, si, idx) { return idx == null ? current[c.id].xSummary : v == null ? '-' : nines(v); } }
      : { label: 'time', value: function (u, v, si, idx) { var k = current[c.id]; return idx == null ? timeOf(k.x[0]) + ' \u2013 ' + timeOf(k.x[k.x.length - 1]) + ' (' + k.xSummary + ')' : v == null ? '-' : timeOf(v); } }];
    c.series.forEach(function (s, i) {
      var colour = palette[i % palette.length];
      var one = {
        label: s.label,
        stroke: colour,
        width: 2,
        scale: c.y2 && c.y2.series.indexOf(s.label) >= 0 ? 'y2' : 'y',
        value: function (u, v, si, idx) { var now = current[c.id].series[i]; return idx == null ? (now ? now.summary : s.summary) : fixed(v); },
        points: { show: c.x.length < 4 }
      };
      if (c.bars) {
        one.fill = colour + '99';
        one.paths = uPlot.paths.bars({ size: [0.45, 24], align: i === 0 ? -1 : 1 });
        one.points = { show: false };
      }
      series.push(one);
    });
    var u = new uPlot({ width: width(plot), height: 240, scales: scales, axes: axes, series: series, hooks: { draw: [overlay(c.id)] } }, columns(c), plot);
    charts[c.id] = u;
    box.setAttribute('data-rendered', 'true');
  }
  data.charts.forEach(draw);
  window.lsbDraw = function (list) { list.forEach(draw); };
  /**
   * The live dashboard's new seconds: each time chart's points past the last
   * it has, appended, the oldest dropped past keep; a series the tail lacks
   * gets gaps, one it adds waits for the next whole charts.
   */
  window.lsbAppend = function (tails, keep) {
    tails.forEach(function (t) {
      var c = current[t.id];
      if (!c || c.xKind !== 'time') return;
      var last = c.x.length ? c.x[c.x.length - 1] : -Infinity;
      var from = 0;
      while (from < t.x.length && t.x[from] <= last) from += 1;
      if (from === t.x.length) return;
      var drop = Math.max(0, c.x.length + t.x.length - from - keep);
      var series = c.series.map(function (s) {
        var mine = t.series.filter(function (ts) { return ts.label === s.label; })[0];
        var add = mine ? mine.values.slice(from) : t.x.slice(from).map(function () { return null; });
        return Object.assign({}, s, { values: s.values.slice(drop).concat(add) });
      });
      draw(Object.assign({}, c, { x: c.x.slice(drop).concat(t.x.slice(from)), series: series }));
    });
  };

  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      Object.keys(charts).forEach(function (id) {
        var u = charts[id];
        u.setSize({ width: width(u.root.parentNode), height: 240 });
      });
    });
  });
  document.body.setAttribute('data-charts-ready', 'true');
})();
`;

/**
 * Runs before uPlot, which formats numbers with Intl.NumberFormat(navigator.language)
 * as it loads: where that tag is no tag Intl accepts (a headless shell's
 * "en-US@posix"), the page reads en-US instead of throwing and drawing nothing.
 */
export const LOCALE_GUARD = String.raw`(function () {
  try { new Intl.NumberFormat(navigator.language); } catch (e) {
    Object.defineProperty(Navigator.prototype, 'language', { get: function () { return 'en-US'; }, configurable: true });
    Object.defineProperty(Navigator.prototype, 'languages', { get: function () { return ['en-US']; }, configurable: true });
  }
})();`;
