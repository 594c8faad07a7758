/**
 * The script the harness puts into every document of a page it opens,
 * before the page's own scripts run: the one observing mechanism for both
 * browsers (Firefox's BiDi has no WebSocket frame events). It wraps the
 * page's WebSocket (every socket, frame, send and close), fetch and
 * XMLHttpRequest (what a poll is), watches the `--watch` element's text,
 * and sends what it saw to the harness in batches through an exposed
 * binding. Times are taken in the page (Date.now(): the same machine clock
 * as the harness), so batching costs no accuracy.
 *
 * With `refuse`, every socket the page opens fails at once (error, then
 * close 1006), as when the upgrade is blocked: the page's fallback shows.
 * At `cutAt` it closes one open socket and hands the page a close 1006,
 * as a network cut would.
 *
 * Plain ES2017 in a string: it is shipped as text, not compiled for Node.
 */
export interface AgentConfig {
  binding: string;
  refuse: boolean;
  watch?: string;
  /** Longest frame text sent back (longer frames are cut, and then fail the JSON check). */
  maxChars: number;
  batchMs: number;
  /**
   * Epoch ms to cut one open socket, from inside the page: a call from the
   * harness (BiDi script.evaluate) while the page streams makes Firefox 140
   * throw "Permission denied to access property" in the page.
   */
  cutAt?: number;
}

export function agentScript(cfg: AgentConfig): string {
  // JSON is a JS expression; `<` escaped so no text in it can end a script element
  const config = JSON.stringify(cfg).replace(/</g, '\\u003c');
  return `(${AGENT})(${config});`;
}

const AGENT = String.raw`function (cfg) {
  'use strict';
  var w = window;
  if (w[cfg.binding + '_installed']) return;
  w[cfg.binding + '_installed'] = true;
  var queue = [];
  var timer = 0;
  var now = function () { return Date.now(); };
  var cap = function (s, n) { return s.length > n ? s.slice(0, n) : s; };
  var abs = function (u) { try { return new URL(String(u), location.href).href; } catch (e) { return String(u); } };
  function flush() {
    timer = 0;
    var f = w[cfg.binding];
    if (typeof f !== 'function') { timer = setTimeout(flush, 50); return; }
    if (queue.length === 0) return;
    var batch = queue.splice(0, queue.length);
    try { f(JSON.stringify(batch)); } catch (e) { /* the page is going away */ }
  }
  function emit(e) {
    queue.push(e);
    if (!timer) timer = setTimeout(flush, cfg.batchMs);
  }
  w.addEventListener('pagehide', flush);

  var Native = w.WebSocket;
  var nextId = 0;
  var live = [];
  if (Native && cfg.refuse) {
    var Refused = function (url) {
      var target = new EventTarget();
      var self = this;
      self.url = abs(url);
      self.readyState = 0;
      self.protocol = '';
      self.extensions = '';
      self.bufferedAmount = 0;
      self.binaryType = 'blob';
      self.onopen = self.onmessage = self.onerror = self.onclose = null;
      self.addEventListener = function (t, l, o) { target.addEventListener(t, l, o); };
      self.removeEventListener = function (t, l, o) { target.removeEventListener(t, l, o); };
      self.dispatchEvent = function (ev) { return target.dispatchEvent(ev); };
      var id = ++nextId;
      emit({ k: 'refused', id: id, url: self.url, t: now() });
      setTimeout(function () {
        self.readyState = 3;
        var er = new Event('error');
        if (typeof self.onerror === 'function') self.onerror(er);
        target.dispatchEvent(er);
        var c = new CloseEvent('close', { code: 1006, reason: '', wasClean: false });
        if (typeof self.onclose === 'function') self.onclose(c);
        target.dispatchEvent(c);
        emit({ k: 'close', id: id, t: now(), code: 1006 });
      }, 20);
    };
    Refused.prototype.send = function () { throw new DOMException('WebSocket is not open', 'InvalidStateError'); };
    Refused.prototype.close = function () {};
    Refused.CONNECTING = 0; Refused.OPEN = 1; Refused.CLOSING = 2; Refused.CLOSED = 3;
    w.WebSocket = Refused;
  } else if (Native) {
    var Watched = class extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        var self = this;
        var id = ++nextId;
        self.__lsbId = id;
        live.push(self);
        emit({ k: 'ws', id: id, url: self.url, t: now() });
        self.addEventListener('open', function () { emit({ k: 'open', id: id, t: now() }); });
        self.addEventListener('message', function (ev) {
          var d = ev.data;
          if (typeof d === 'string') emit({ k: 'msg', id: id, t: now(), data: cap(d, cfg.maxChars) });
          else emit({ k: 'msg', id: id, t: now(), bin: d && (d.byteLength || d.size) || 0 });
        });
        // registered first, before any handler of the page's: a cut can stand in for the real close
        self.addEventListener('close', function (ev) {
          if (!ev.isTrusted) return;
          var i = live.indexOf(self);
          if (i >= 0) live.splice(i, 1);
          if (self.__lsbCut) {
            ev.stopImmediatePropagation();
            emit({ k: 'close', id: id, t: now(), code: 1006 });
            self.dispatchEvent(new CloseEvent('close', { code: 1006, reason: '', wasClean: false }));
            return;
          }
          emit({ k: 'close', id: id, t: now(), code: ev.code });
        });
      }
      send(data) {
        emit({ k: 'send', id: this.__lsbId, data: typeof data === 'string' ? cap(data, 4096) : null });
        return super.send(data);
      }
    };
    w.WebSocket = Watched;
    var cut = function () {
      for (var i = 0; i < live.length; i++) {
        var s = live[i];
        if (s.readyState !== 1) continue;
        s.__lsbCut = true;
        emit({ k: 'cut', id: s.__lsbId, t: now() });
        s.close(4000, 'cut by the harness');
        return;
      }
      // none open yet: try again shortly
      setTimeout(cut, 250);
    };
    if (typeof cfg.cutAt === 'number') setTimeout(cut, Math.max(0, cfg.cutAt - now()));
  }

  var nativeFetch = w.fetch;
  if (typeof nativeFetch === 'function') {
    w.fetch = function (input, init) {
      var t = now();
      var url = abs(input && typeof input === 'object' && 'url' in input ? input.url : input);
      var method = String((init && init.method) || (input && typeof input === 'object' && input.method) || 'GET').toUpperCase();
      // arguments passed one by one: Firefox refuses a preload script's arguments object to the page's natives
      var p = init === undefined ? nativeFetch.call(w, input) : nativeFetch.call(w, input, init);
      p.then(function (r) { emit({ k: 'req', t: t, url: url, method: method, status: r.status }); },
             function () { emit({ k: 'req', t: t, url: url, method: method, status: 0 }); });
      return p;
    };
  }
  var X = w.XMLHttpRequest;
  if (X) {
    var open = X.prototype.open;
    var send = X.prototype.send;
    X.prototype.open = function (method, url, async, user, password) {
      this.__lsbReq = { method: String(method).toUpperCase(), url: abs(url) };
      // an explicit undefined async would mean false: pass only what was given
      return arguments.length > 2 ? open.call(this, method, url, async, user, password) : open.call(this, method, url);
    };
    X.prototype.send = function (body) {
      var xhr = this;
      var m = xhr.__lsbReq;
      var t = now();
      if (m) xhr.addEventListener('loadend', function () { emit({ k: 'req', t: t, url: m.url, method: m.method, status: xhr.status }); });
      return send.call(this, body === undefined ? null : body);
    };
  }

  if (cfg.watch) {
    var last;
    var found = false;
    var look = function () {
      var el;
      try { el = document.querySelector(cfg.watch); } catch (e) { return; }
      if (!el) return;
      var text = el.textContent || '';
      if (!found) { found = true; last = text; emit({ k: 'found', t: now(), text: cap(text, 200) }); return; }
      if (text !== last) { last = text; emit({ k: 'watch', t: now(), text: cap(text, 200) }); }
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
    look();
  }
}`;
