import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveLabels } from '../metrics/live-names.js';
import { chartData } from '../reporters/html-charts.js';
import { pageSections, renderHtml } from '../reporters/html.js';
import type { DashboardAddress } from '../scenario/live-specs.js';
import type { CriterionResult } from '../verdict/criteria.js';
import { rowsOf, type Report } from '../verdict/report.js';
import { chartTail, lastXOf, tailContextSeconds } from './chart-tail.js';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import type { LiveFrame } from './frame.js';
import type { LiveSeconds, LiveSink } from './live-view.js';
import type { LiveCriterion } from './so-far.js';

/** Viewers at once; one more gets 503. Each holds one event stream. */
const MAX_VIEWERS = 64;
/** A viewer whose unread updates pass this is let go: a stuck tab must not grow the heap. */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** Seconds the charts show: the last 15 minutes of a long run (the report has it all). */
export const CHART_SECONDS = 900;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** `1m 05s / 5m 00s`: elapsed over total. */
export function clockText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function statusLine(frame: LiveFrame): string {
  const failing = frame.failing.length ? `failing so far: ${frame.failing.join(', ')}` : 'nothing failing so far';
  if (frame.phase === 'done') return `run over: ${frame.failing.length ? `failed: ${frame.failing.join(', ')}` : 'nothing failed'}`;
  return `live: ${frame.phase} ${clockText(frame.elapsedMs)} / ${clockText(frame.totalMs)}, ${frame.open}/${frame.planned} clients, ${frame.messagesPerSec} msg/s; ${failing}`;
}

/** The report as the live page shows it: the running statuses, the verdict not yet given. */
function liveReport(report: Report, criteria: readonly LiveCriterion[], final: boolean): Report {
  if (final) return report;
  const failing = criteria.filter((c) => c.status === 'fail').map((c) => c.id);
  return {
    ...report,
    verdict: (failing.length ? 'fail' : 'running') as Report['verdict'],
    verdictReason: failing.length ? `so far failing: ${failing.join(', ')} (the verdict is given at the end)` : 'running: nothing has failed so far (the verdict is given at the end)',
    criteria: criteria as CriterionResult[],
    // the charts show the last CHART_SECONDS; the page stays small in a long run
    series: report.series.slice(-CHART_SECONDS),
  };
}

/**
 * `--dashboard`: the run's live page. GET only, loopback unless told, a
 * Host header naming this server only (a page elsewhere cannot read it by
 * DNS rebinding). `/` is report.html's page with the live script, `/events`
 * one event stream per viewer (server-sent events), `/report.html` the
 * report once written.
 */
export class Dashboard implements LiveSink {
  private readonly server: Server;
  private readonly viewers = new Set<ServerResponse>();
  /** The page as of the latest judgement, rendered when a viewer asks for it (most seconds nobody does). */
  private shown: Report;
  private page?: string;
  /** The run's end, for a viewer that comes after it. */
  private lastUpdate = '';
  /** A judgement came that no viewer has had yet. */
  private unsent = false;
  /** The seconds kept so far, as of the latest frame. */
  private seconds?: LiveSeconds;
  /** The last x every viewer has of each time chart: a new second goes out as the points past it. */
  private sentX: Record<string, number> = {};
  private reportFile?: string;
  private port = 0;
  private status = 'live: starting';

  constructor(
    private readonly address: DashboardAddress,
    initial: Report,
  ) {
    this.shown = liveReport(initial, initial.criteria.map((c) => ({ ...c, status: 'pending' as const, observed: 'not judged yet' })), false);
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Listens; resolves to the page's URL. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.address.port, this.address.host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `http://${host}:${this.port}/`;
  }

  /**
   * On loopback (the default) only a Host naming this server is answered: a
   * page on another site cannot reach it by DNS rebinding. Bound to another
   * address on purpose (`--dashboard 0.0.0.0:8080`), it is shared, and any
   * name people reach it by is fine.
   */
  private allowedHost(host: string | undefined): boolean {
    if (!host) return false;
    if (!isLoopback(this.address.host)) return true;
    const names = ['127.0.0.1', 'localhost', '[::1]', this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host];
    return names.some((n) => host === `${n}:${this.port}`);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const headers = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
    if (!this.allowedHost(req.headers.host)) return void res.writeHead(421, headers).end('wrong host\n');
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      this.page ??= renderHtml(this.shown, { script: DASHBOARD_SCRIPT, status: this.status });
      return void res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(this.page);
    }
    if (path === '/events') return this.subscribe(req, res, headers);
    if (path === '/report.html' && this.reportFile) {
      readFile(this.reportFile).then(
        (body) => res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(body),
        () => res.writeHead(404, headers).end('not found\n'),
      );
      return;
    }
    res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found\n');
  }

  private subscribe(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
    if (this.viewers.size >= MAX_VIEWERS) return void res.writeHead(503, headers).end('too many viewers\n');
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    this.viewers.add(res);
    // the run as it is now, at once: a viewer that comes late has every second since, then the new ones
    if (this.lastUpdate) res.write(this.lastUpdate);
    else if (this.unsent) this.sendUpdate();
    else res.write(this.event('update', this.update()));
    req.on('close', () => this.viewers.delete(res));
  }

  private event(event: string, data: unknown): string {
    return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  private broadcast(event: string, data: unknown): string {
    const text = this.event(event, data);
    for (const v of this.viewers) {
      if (v.writableLength > MAX_BUFFERED) {
        this.viewers.delete(v);
        v.destroy();
      } else v.write(text);
    }
    return text;
  }

  /** The latest judgement's report with the seconds kept so far: what the charts draw now. */
  private current(context = CHART_SECONDS): Report {
    const seconds = this.seconds;
    if (!seconds) return this.shown;
    const resources = seconds.resources?.()?.[0];
    const recent = resources ? { resources: { ...resources, points: resources.points.slice(-context) } } : {};
    return { ...this.shown, series: rowsOf(seconds.series().slice(-context)), ...recent };
  }

  /**
   * Each second the status line; with a viewer and a new second, the time
   * charts' new points, which the page appends (the whole charts come with
   * each judgement and to each new viewer): computed over the last
   * seconds only, so a second costs the same at the run's first minute as
   * at its thirtieth. Nobody watching, nothing is drawn.
   */
  second(frame: LiveFrame, _labels: LiveLabels, seconds?: LiveSeconds): void {
    this.status = statusLine(frame);
    this.seconds = seconds;
    if (this.viewers.size === 0 || !seconds || frame.points.length === 0) return void this.broadcast('second', { status: this.status });
    const context = tailContextSeconds(this.shown.metrics.channels.map((c) => c.intervalMs)) + frame.points.length;
    const tail = chartTail(chartData(this.current(context)), this.sentX);
    lastXOf(tail, this.sentX);
    this.broadcast('append', { charts: tail, keep: CHART_SECONDS, status: this.status });
  }

  judged(report: Report, criteria: readonly LiveCriterion[], final: boolean): void {
    this.shown = liveReport(report, criteria, final);
    if (final) this.status = `run over: ${report.verdict}, ${report.verdictReason}`;
    this.page = undefined;
    // with nobody watching, the sections and charts are made when a viewer comes (most of a CI run)
    this.unsent = true;
    if (this.viewers.size > 0) this.sendUpdate();
  }

  /** The latest judgement's sections and the whole charts, with every second kept so far. */
  private update(): { sections: Record<string, string>; charts: ReturnType<typeof chartData>; status: string; final: false } {
    const charts = chartData(this.current());
    this.sentX = lastXOf(charts);
    return { sections: pageSections(this.shown, this.status), charts, status: this.status, final: false };
  }

  /** The latest judgement to every viewer; the end comes with reportWritten(), once the files are there. */
  private sendUpdate(): void {
    this.unsent = false;
    this.broadcast('update', this.update());
  }

  /** The report's files are written (`file`: report.html, when it is one of them): the page links to it and serves it. */
  reportWritten(file: string | undefined, report: Report): void {
    this.reportFile = file;
    this.unsent = false;
    this.lastUpdate = this.broadcast('update', { status: `run over: ${report.verdict}, ${report.verdictReason}`, ...(file ? { report: 'report.html' } : {}), final: true });
  }

  async finish(): Promise<void> {}

  async close(): Promise<void> {
    for (const v of this.viewers) v.end();
    this.viewers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
