import type { RunResult } from '../engine/run.js';
import { usageError } from '../errors.js';
import { fileProblem } from '../read-input.js';
import { emptySnapshot } from '../metrics/snapshot.js';
import type { DashboardAddress, ExportSpec } from '../scenario/live-specs.js';
import { buildReport } from '../verdict/report.js';
import { Dashboard } from './dashboard.js';
import { LiveView, type LiveSink } from './live-view.js';

export interface LiveOptions {
  dashboard?: DashboardAddress;
  exports?: readonly ExportSpec[];
  /** The `scenario` label: the scenario file's name, or `flags`. */
  scenario?: string;
  /** One line for people (an export that failed); the CLI writes it to stderr. */
  problem: (line: string) => void;
  /** How often the run so far is judged when no dashboard or export asks for it each second (default every second). */
  judgeEveryMs?: number;
  /** How often `--export otlp` exports (default OTLP_EXPORT_MS; the CLI reads OTEL_METRIC_EXPORT_INTERVAL). */
  otlpIntervalMs?: number;
}

export interface Live {
  view: LiveView;
  dashboard?: Dashboard;
  /** The dashboard's URL, once it listens. */
  url?: string;
}

/** The report before anything is measured: what the dashboard shows until the first second. */
function emptyReport(settings: RunResult['settings']) {
  const now = Date.now();
  return buildReport({ settings, target: { url: settings.target ?? 'the embedded simulator', embedded: !settings.target }, startedAt: now, endedAt: now, steadyStartMs: now, steadyEndMs: now, snapshot: emptySnapshot(), interrupted: false });
}

/** Each export's code is loaded only when asked for: the OpenTelemetry SDK is no cost to a run without it. */
async function exportSink(spec: ExportSpec, options: LiveOptions): Promise<LiveSink> {
  const { problem } = options;
  if (spec.kind === 'prometheus-rw') return new (await import('./prometheus-export.js')).PrometheusExport(spec.to, problem);
  if (spec.kind === 'otlp') return new (await import('./otlp-export.js')).OtlpExport(spec.to, problem, options.otlpIntervalMs);
  return new (await import('./ndjson-export.js')).NdjsonExport(spec.to, problem);
}

/**
 * The live view of a run, with the dashboard listening and the exports
 * asked for, before the run starts (an address in use is bad usage, said
 * before any work); `view.attach(run)` then follows the run.
 */
export async function startLive(settings: RunResult['settings'], options: LiveOptions): Promise<Live> {
  const watched = options.dashboard !== undefined || (options.exports?.length ?? 0) > 0;
  const view = new LiveView(settings, options.scenario, watched ? 1000 : (options.judgeEveryMs ?? 1000));
  for (const spec of options.exports ?? []) {
    try {
      view.add(await exportSink(spec, options));
    } catch (err) {
      await view.close();
      throw usageError(`--export ${spec.kind}=${spec.to}: cannot be written (${fileProblem(err)})`);
    }
  }
  view.problem = options.problem;
  const live: Live = { view };
  if (options.dashboard) {
    const { host, port } = options.dashboard;
    live.dashboard = new Dashboard(options.dashboard, emptyReport(settings));
    try {
      live.url = await live.dashboard.listen();
    } catch (err) {
      await view.close();
      throw usageError(`--dashboard ${host.includes(':') ? `[${host}]` : host}:${port}: cannot listen (${(err as Error).message})`);
    }
    view.add(live.dashboard);
  }
  return live;
}
