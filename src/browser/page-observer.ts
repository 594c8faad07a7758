import { KEPT_PER_PAGE, type PageRequest, type PageRun, type PageSocket } from '../metrics/browser-results.js';
import type { PageDriver } from './driver.js';
import { agentScript } from './page-agent.js';
import type { PageStream } from './page-stream.js';
import { cutWindow, longestGap, type Window } from './timing.js';

/** What the agent sends, one event of a batch (page-agent.ts). */
type AgentEvent =
  | { k: 'ws' | 'refused'; id: number; url: string; t: number }
  | { k: 'open' | 'cut'; id: number; t: number }
  | { k: 'msg'; id: number; t: number; data?: string; bin?: number }
  | { k: 'send'; id: number; data: string | null }
  | { k: 'close'; id: number; t: number; code: number }
  | { k: 'req'; t: number; url: string; method: string; status: number }
  | { k: 'found' | 'watch'; t: number; text: string };

export interface ObserverOptions {
  role: PageRun['role'];
  url: string;
  watch?: string;
  /** The stream the load clients test: a socket to it is the page's stream. */
  targetUrl: string;
  stream?: PageStream;
  /** The envelope's type field, to count frames by message type. */
  typeField: string;
  /** Name of the page's socket ids in the stream checker, unique per browser. */
  key: string;
  maxFrameChars: number;
  /** Epoch ms the agent cuts one of the page's sockets. */
  cutAt?: number;
}

const BINDING = '__livestreamBench';

/** Host, port and path of a ws URL: what makes a socket the target's stream (the query may hold a token). */
export function streamKey(url: string): string {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'wss:' || u.protocol === 'https:' ? '443' : '80');
    return `${u.hostname}:${port}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

/** A URL with its query and credentials left out, for the report. */
export function bareUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

/**
 * One page in one browser: installs the agent, loads the page, keeps what
 * the agent and the browser's own events tell, and on `result` measures it
 * over the steady phase (pure timing in timing.ts).
 */
export class PageObserver {
  private readonly sockets = new Map<number, PageSocket>();
  private socketCount = 0;
  private readonly requests: PageRequest[] = [];
  private requestCount = 0;
  private readonly scriptRequests: { t: number; url: string }[] = [];
  private readonly pageErrors: string[] = [];
  private pageErrorCount = 0;
  private readonly consoleErrors: string[] = [];
  private consoleErrorCount = 0;
  private readonly changes: number[] = [];
  private found = false;
  private lastText?: string;
  private navStart = 0;
  private loaded = false;
  private status?: number;
  private loadMs?: number;
  private loadError?: string;
  private cutAt?: number;
  private cutSocket?: number;
  private reconnectedAt?: number;
  private failedAt?: number;
  private readonly target: string;

  constructor(private readonly page: PageDriver, private readonly o: ObserverOptions) {
    this.target = streamKey(o.targetUrl);
  }

  async load(timeoutMs: number): Promise<void> {
    const { page, o } = this;
    page.onPageError((m) => keep(this.pageErrors, (this.pageErrorCount += 1), m));
    page.onConsoleError((m) => keep(this.consoleErrors, (this.consoleErrorCount += 1), m));
    page.onResponse((r) => keep(this.requests, (this.requestCount += 1), { url: bareUrl(r.url), method: r.method, status: r.status, script: false }));
    await page.prepare(agentScript({ binding: BINDING, refuse: o.role === 'refused', watch: o.watch, maxChars: o.maxFrameChars, batchMs: 200, ...(o.cutAt !== undefined ? { cutAt: o.cutAt } : {}) }), BINDING, (json) => this.onBatch(json));
    this.navStart = Date.now();
    try {
      const { status } = await page.goto(o.url, timeoutMs);
      this.status = status;
      this.loaded = status === undefined || status < 400;
      if (!this.loaded) this.loadError = `HTTP ${status}`;
      this.loadMs = Date.now() - this.navStart;
    } catch (err) {
      this.loadError = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    }
  }

  private onBatch(json: string): void {
    let events: AgentEvent[];
    try {
      events = JSON.parse(json) as AgentEvent[];
    } catch {
      return;
    }
    if (!Array.isArray(events)) return;
    for (const e of events) this.onEvent(e);
  }

  private onEvent(e: AgentEvent): void {
    const stream = this.o.stream;
    const id = (n: number) => `${this.o.key}:${n}`;
    switch (e.k) {
      case 'ws':
      case 'refused': {
        this.socketCount += 1;
        const s: PageSocket = { url: bareUrl(String(e.url)), isTarget: streamKey(String(e.url)) === this.target, attemptAt: e.t, frames: {}, ...(e.k === 'refused' ? { refused: true } : {}) };
        this.sockets.set(e.id, s);
        break;
      }
      case 'open': {
        const s = this.sockets.get(e.id);
        if (!s) break;
        s.openedAt = e.t;
        if (s.isTarget) stream?.opened(id(e.id), e.t);
        break;
      }
      case 'send':
        stream?.sent(id(e.id), e.data, Date.now());
        break;
      case 'msg': {
        const s = this.sockets.get(e.id);
        if (!s) break;
        s.firstFrameAt ??= e.t;
        const type = typeof e.data === 'string' ? messageType(e.data, this.o.typeField) : 'binary';
        s.frames[type] = (s.frames[type] ?? 0) + 1;
        if (s.isTarget) stream?.frame(id(e.id), e.data, e.bin ?? 0, e.t);
        if (this.cutAt !== undefined && e.id !== this.cutSocket && e.t >= this.cutAt) this.reconnectedAt ??= e.t;
        break;
      }
      case 'cut':
        this.cutAt = e.t;
        this.cutSocket = e.id;
        break;
      case 'close': {
        const s = this.sockets.get(e.id);
        if (!s) break;
        s.closedAt = e.t;
        s.closeCode = e.code;
        if (e.id === this.cutSocket) s.cut = true;
        // a socket that fails before it opens, or is refused: the page's stream has failed
        if (s.openedAt === undefined) this.failedAt ??= e.t;
        if (s.isTarget) stream?.closed(id(e.id), e.t);
        break;
      }
      case 'req':
        this.scriptRequests.push({ t: e.t, url: bareUrl(e.url) });
        keep(this.requests, (this.requestCount += 1), { url: bareUrl(e.url), method: e.method, status: e.status, script: true });
        break;
      case 'found':
        this.found = true;
        this.lastText = e.text;
        break;
      case 'watch':
        this.changes.push(e.t);
        this.lastText = e.text;
        break;
    }
  }

  screenshot(): Promise<string> {
    return this.page.screenshot();
  }

  /** The page measured over the steady phase; `reconnectLimitMs` bounds how long a cut is forgiven. */
  result(steady: { startMs: number; endMs: number }, reconnectLimitMs: number): PageRun {
    const sockets = [...this.sockets.values()];
    const firstStream = sockets.filter((s) => s.isTarget && s.firstFrameAt !== undefined).map((s) => s.firstFrameAt!);
    const excluded: Window[] = this.cutAt !== undefined ? [cutWindow(this.cutAt, this.reconnectedAt, reconnectLimitMs)] : [];
    const run: PageRun = {
      role: this.o.role,
      url: bareUrl(this.o.url),
      loaded: this.loaded,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.loadMs !== undefined ? { loadMs: this.loadMs } : {}),
      ...(this.loadError ? { loadError: this.loadError } : {}),
      pageErrors: this.pageErrors,
      pageErrorCount: this.pageErrorCount,
      consoleErrors: this.consoleErrors,
      consoleErrorCount: this.consoleErrorCount,
      sockets: sockets.slice(0, KEPT_PER_PAGE),
      socketCount: this.socketCount,
      ...(firstStream.length ? { streamingMs: Math.min(...firstStream) - this.navStart } : {}),
      requests: this.requests,
      requestCount: this.requestCount,
    };
    if (this.o.watch !== undefined) {
      const g = longestGap(this.changes, steady.startMs, steady.endMs, excluded);
      run.watch = { selector: this.o.watch, found: this.found, changes: g.count, maxGapMs: Math.round(g.gapMs), maxGapAt: g.at, ...(this.lastText !== undefined ? { lastText: this.lastText } : {}) };
    }
    if (this.o.role === 'refused') run.polls = this.pollFigures(steady.endMs);
    if (this.cutAt !== undefined) run.cut = { at: this.cutAt, ...(this.reconnectedAt !== undefined ? { reconnectedAt: this.reconnectedAt } : {}) };
    return run;
  }

  private pollFigures(endMs: number): NonNullable<PageRun['polls']> {
    if (this.failedAt === undefined) return { polls: 0, maxGapMs: 0, observedMs: 0 };
    const after = this.scriptRequests.filter((r) => r.t >= this.failedAt!);
    const g = longestGap(after.map((r) => r.t), this.failedAt, endMs);
    const byUrl = new Map<string, number>();
    for (const r of after) byUrl.set(r.url, (byUrl.get(r.url) ?? 0) + 1);
    const url = [...byUrl.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    return { failedAt: this.failedAt, polls: after.length, maxGapMs: Math.round(g.gapMs), observedMs: Math.max(0, endMs - this.failedAt), ...(url ? { url } : {}) };
  }

  close(): Promise<void> {
    return this.page.close().catch(() => undefined);
  }
}

/** Keeps the first few of a list whose full count is kept beside it. */
function keep<T>(list: T[], count: number, item: T): void {
  if (count <= KEPT_PER_PAGE) list.push(item);
}

/** A frame's message type by the profile's envelope, for the socket's counts: `json` without one, `text` when not JSON. */
function messageType(text: string, typeField: string): string {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return v && typeof v === 'object' && typeof v[typeField] === 'string' ? (v[typeField] as string) : 'json';
  } catch {
    return 'text';
  }
}
