import type { ChannelSpec, TargetProfile } from '../profile/index.js';
import { DASHBOARD_WATCH } from '../source/dashboard-contract.js';

/**
 * The simulator's small live dashboard at `/`: the live figure of the
 * fastest channel and a chart of its last minute, fed by the page's own
 * stream, falling back to polling the snapshot every second while the
 * socket is down, as the portal does. Generic over the profile: the figure
 * is the first numeric payload field of the fastest channel (a count of its
 * messages when it has none). Self-contained (no CDN); everything the page
 * shows is set with textContent or drawn on a canvas; the config is JSON in
 * a data block with `<` escaped.
 */
export interface DashboardConfig {
  path: string;
  snapshot?: string;
  channel: string;
  messageType: string;
  intervalMs: number;
  field?: string;
  subscribe?: unknown;
  welcome?: string;
  typeField: string;
  payloadField: string;
}

export function fastestChannel(profile: TargetProfile): ChannelSpec | undefined {
  return [...profile.channels].sort((a, b) => a.intervalMs - b.intervalMs)[0];
}

/** The first number or integer property of a payload schema. */
export function firstNumericField(spec: ChannelSpec): string | undefined {
  const props = (spec.payloadSchema.properties ?? {}) as Record<string, { type?: unknown }>;
  return Object.keys(props).find((k) => {
    const t = props[k]?.type;
    return t === 'number' || t === 'integer' || (Array.isArray(t) && (t.includes('number') || t.includes('integer')));
  });
}

export function dashboardConfig(profile: TargetProfile): DashboardConfig | undefined {
  const ch = fastestChannel(profile);
  if (!ch) return undefined;
  const subscribe = !ch.autoStart && profile.control.subscribe ? profile.control.subscribe(ch.channel) : undefined;
  return {
    path: profile.path,
    ...(profile.fallbackPath ? { snapshot: profile.fallbackPath } : {}),
    channel: ch.channel,
    messageType: ch.messageType,
    intervalMs: ch.intervalMs,
    ...(firstNumericField(ch) ? { field: firstNumericField(ch) } : {}),
    ...(subscribe !== undefined ? { subscribe } : {}),
    ...(profile.replies.welcome ? { welcome: profile.replies.welcome } : {}),
    typeField: profile.envelope.typeField,
    payloadField: profile.envelope.payloadField,
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function dashboardHtml(profile: TargetProfile): string {
  const cfg = dashboardConfig(profile);
  const json = JSON.stringify(cfg ?? null).replace(/</g, '\\u003c');
  const id = DASHBOARD_WATCH.replace(/^#/, '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(profile.name)}: live</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:2rem;color:#111827;background:#f9fafb}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:1rem 1.5rem;max-width:44rem}
.figure{font-size:2.6rem;font-weight:600;font-variant-numeric:tabular-nums}
.muted{color:#6b7280}.state{display:inline-block;padding:0 .5rem;border-radius:4px;background:#e5e7eb}
.state[data-via=live]{background:#dcfce7}.state[data-via=polling]{background:#fef3c7}
canvas{width:100%;height:160px;display:block;margin-top:1rem}
</style></head>
<body><div class="card">
<div class="muted"><span id="live-name"></span> · <span id="live-state" class="state">connecting</span></div>
<div id="${esc(id)}" class="figure">–</div>
<canvas id="live-chart" width="700" height="160"></canvas>
<div class="muted" id="live-updated"></div>
</div>
<script type="application/json" id="live-config">${json}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}

const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('live-config').textContent);
  var fig = document.getElementById('${DASHBOARD_WATCH.replace(/^#/, '')}');
  var state = document.getElementById('live-state');
  var updated = document.getElementById('live-updated');
  var canvas = document.getElementById('live-chart');
  if (!cfg) { state.textContent = 'no channel'; return; }
  document.getElementById('live-name').textContent = cfg.channel + (cfg.field ? ' · ' + cfg.field : ' · messages');
  var token = new URLSearchParams(location.search).get('token');
  var suffix = token ? '?token=' + encodeURIComponent(token) : '';
  var points = [];
  var count = 0;
  function draw() {
    var g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (points.length < 2) return;
    var lo = Math.min.apply(null, points), hi = Math.max.apply(null, points);
    var span = hi - lo || 1;
    g.strokeStyle = '#2563eb';
    g.lineWidth = 2;
    g.beginPath();
    for (var i = 0; i < points.length; i++) {
      var x = (i / 59) * (canvas.width - 4) + 2;
      var y = canvas.height - 4 - ((points[i] - lo) / span) * (canvas.height - 8);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    }
    g.stroke();
  }
  function show(payload, via) {
    var v = cfg.field ? payload && payload[cfg.field] : ++count;
    if (typeof v !== 'number') return;
    fig.textContent = v.toLocaleString('en-US');
    state.textContent = via;
    state.setAttribute('data-via', via);
    updated.textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
    points.push(v);
    if (points.length > 60) points.shift();
    draw();
  }
  var pollTimer = 0;
  function poll() {
    fetch(cfg.snapshot + suffix, { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (pollTimer && d && d[cfg.channel]) show(d[cfg.channel], 'polling'); })
      .catch(function () {});
  }
  function startPolling() {
    if (pollTimer || !cfg.snapshot) return;
    pollTimer = setInterval(poll, 1000);
    poll();
  }
  function stopPolling() { clearInterval(pollTimer); pollTimer = 0; }
  var retries = 0;
  function connect() {
    var ws;
    try { ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + cfg.path + suffix); }
    catch (e) { startPolling(); setTimeout(connect, 2000); return; }
    var subscribe = function () { if (cfg.subscribe !== undefined) ws.send(JSON.stringify(cfg.subscribe)); };
    ws.onopen = function () { if (!cfg.welcome) subscribe(); };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (!m || typeof m !== 'object') return;
      if (cfg.welcome && m[cfg.typeField] === cfg.welcome) { subscribe(); return; }
      if (m[cfg.typeField] !== cfg.messageType) return;
      retries = 0;
      stopPolling();
      show(m[cfg.payloadField], 'live');
    };
    ws.onclose = function () {
      state.textContent = 'reconnecting';
      startPolling();
      setTimeout(connect, Math.min(1000 * Math.pow(2, retries++), 10000));
    };
  }
  connect();
})();`;
