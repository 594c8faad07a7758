/**
 * The script report.html runs in the browser: it reads the chart data from
 * the page's JSON block and draws each chart with uPlot (inlined before it).
 * Plain ES2017 in a string, since it is shipped as text, not compiled for
 * Node. Labels go through uPlot, which sets them with textContent.
 * `window.lsbCharts` holds the uPlot instances, so a test can read what
 * each chart holds; `data-rendered` on each container says it was drawn.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('lsb-data').textContent);
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  var charts = {};
  window.lsbCharts = charts;

  function nines(v) {
    if (v <= 0) return '0 %';
    var p = 100 * (1 - Math.pow(10, -v));
    return (Math.round(p * 1000) / 1000) + ' %';
  }
  function fixed(v) {
    return v == null ? '--' : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  }
  function width(el) {
    return Math.max(320, Math.floor(el.getBoundingClientRect().width));
  }

  data.charts.forEach(function (c) {
    var box = document.getElementById('chart-' + c.id);
    if (!box) return;
    var plot = box.querySelector('.plot');
    if (c.x.length === 0) {
      plot.textContent = 'Nothing to draw: this run recorded no data for this chart.';
      plot.className += ' empty';
      box.setAttribute('data-rendered', 'empty');
      return;
    }
    var zeroBased = { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } };
    var scales = { x: { time: c.xKind === 'time' }, y: zeroBased };
    var xAxis = { label: c.xKind === 'time' ? 'time' : 'percentile' };
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
      scales.y2 = zeroBased;
      axes.push({ label: c.y2.label, scale: 'y2', side: 1, size: 60, grid: { show: false } });
    }
    var series = [c.xKind === 'nines' ? { label: 'percentile', value: function (u, v) { return v == null ? '--' : nines(v); } } : {}];
    c.series.forEach(function (s, i) {
      var colour = palette[i % palette.length];
      var one = {
        label: s.label,
        stroke: colour,
        width: 2,
        scale: c.y2 && c.y2.series.indexOf(s.label) >= 0 ? 'y2' : 'y',
        value: function (u, v) { return fixed(v); },
        points: { show: c.x.length < 4 }
      };
      if (c.bars) {
        one.fill = colour + '99';
        one.paths = uPlot.paths.bars({ size: [0.45, 24], align: i === 0 ? -1 : 1 });
        one.points = { show: false };
      }
      series.push(one);
    });
    var u = new uPlot({ width: width(plot), height: 240, scales: scales, axes: axes, series: series },
      [c.x].concat(c.series.map(function (s) { return s.values; })), plot);
    charts[c.id] = u;
    box.setAttribute('data-rendered', 'true');
  });

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
