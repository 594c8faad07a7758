/**
 * The live dashboard's script, beside report.html's own (reporters/html-client.ts,
 * which draws the charts): it listens to the server's one event stream and
 * puts each update in the page. Sections arrive rendered and escaped by the
 * report's own renderer (reporters/html.ts); everything else is set as text.
 * `data-live-updates` on the body counts the updates, `data-live-done` marks the
 * end, for tests and for people's scripts.
 */
export const DASHBOARD_SCRIPT = String.raw`(function () {
  'use strict';
  var status = function () { return document.getElementById('live-status'); };
  var updates = 0;
  function setStatus(text, href) {
    var el = status();
    if (!el) return;
    el.textContent = text;
    if (href) {
      var a = document.createElement('a');
      a.href = href;
      a.id = 'live-report';
      a.textContent = 'the report';
      el.appendChild(document.createTextNode(' \u2014 '));
      el.appendChild(a);
    }
  }
  var events = new EventSource('events');
  window.lsbEvents = events;
  events.addEventListener('update', function (e) {
    var m = JSON.parse(e.data);
    Object.keys(m.sections || {}).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el) return;
      var box = document.createElement('div');
      box.innerHTML = m.sections[id];
      if (box.firstElementChild) el.replaceWith(box.firstElementChild);
    });
    if (m.charts) window.lsbDraw(m.charts);
    if (m.status) setStatus(m.status, m.report);
    updates += 1;
    document.body.setAttribute('data-live-updates', String(updates));
    if (m.final) {
      document.body.setAttribute('data-live-done', 'true');
      events.close();
    }
  });
  // a new second: the time charts' new points, appended
  events.addEventListener('append', function (e) {
    var m = JSON.parse(e.data);
    window.lsbAppend(m.charts, m.keep);
    if (m.status) setStatus(m.status);
    updates += 1;
    document.body.setAttribute('data-live-updates', String(updates));
  });
  events.addEventListener('second', function (e) {
    var m = JSON.parse(e.data);
    setStatus(m.status);
  });
})();
`;
