import { DEFAULT_PROFILE } from '../profile/index.js';
import type { Tolerances } from './tolerances.js';
import type { ReportFormat } from './format-names.js';
import { bool, share, size, text, time, whole, type Kind } from './option-kinds.js';
import * as p from './option-parsers.js';
import type { RunSettings, ThresholdTexts } from './settings.js';
import { chaosSpec, reconnectSpec } from './specs.js';
import { advisoryIds } from './advisory-ids.js';
import { churnRate } from './churn-plan.js';
import { dashboardKind, exportsKind, type DashboardAddress, type ExportSpec } from './live-specs.js';
import { browserList, pageUrl } from './page-options.js';

/**
 * The one option table of a run: each setting declared once, with its
 * flag, its scenario key, its kind (parser and schema), its default and its
 * help line. The CLI's options (cli/run-command.ts), the scenario JSON
 * Schema (schema.ts), the scenario check (semantics.ts), the flags' reading
 * (flags.ts) and the option tables in README.md and docs/scenarios.md
 * (option-docs.ts, `npm run docs:options`) are all made from it.
 *
 * Scenario keys are the camelCase of the flag; the keys that came first
 * keep their names (`headers`, `simulator.faults`, `simulator.seed`,
 * `formats`, `baseline.*`). Flags and keys are API: add, never rename.
 */

/** What a run does with its report: read by cli/run-outputs.ts. */
export interface ReportChoices {
  out?: string;
  json?: boolean;
  formats?: ReportFormat[];
  baseline?: string;
  saveBaseline?: string;
  tolerances?: Tolerances;
  /** Serve a live page of the run here (`--dashboard`). */
  dashboard?: DashboardAddress;
  /** Send the run's per-second metrics there (`--export`, repeatable). */
  exports?: ExportSpec[];
}

/** Everything the table can set. */
export type OptionValues = RunSettings & ReportChoices & { scenario?: string; description?: string };
export type OptionField = keyof OptionValues;

export interface OptionDef<F extends OptionField = OptionField, T = OptionValues[F]> {
  /** The setting it fills. */
  field: F;
  /** `--clients`; none for a scenario-only key. */
  flag?: string;
  short?: string;
  /** `<n>`; none for a switch. */
  arg?: string;
  /** Scenario key path, `clients` or `simulator.seed`; none for a flag-only option. */
  key?: string;
  help: string;
  /** The default as shown in help and docs. */
  default?: string;
  /** A flag given again adds a value (the parser gets the list). */
  repeatable?: boolean;
  /** `--no-probes`: the flag turns the setting off. */
  negate?: boolean;
  kind: Kind<T>;
  /** How a value goes in when it is not the setting itself, or joins what is there. */
  into?: (v: T, s: Partial<OptionValues>) => void;
}

/** Declares one option; `into` is required when the parsed value is not the setting's type. */
function option<F extends OptionField, T = OptionValues[F]>(def: OptionDef<F, T> & ([T] extends [OptionValues[F]] ? unknown : { into: OptionDef<F, T>['into'] })): OptionDef<F, T> {
  return def;
}

const mergeHeaders = (v: Record<string, string>, s: Partial<OptionValues>) => (s.headers = { ...s.headers, ...v });

export const RUN_OPTIONS = [
  option({ field: 'scenario', flag: '--scenario', short: '-s', arg: '<file>', kind: text(), help: 'a scenario file (YAML or JSON); flags override it' }),
  option({ field: 'description', key: 'description', kind: { schema: { type: 'string' }, parse: (v) => String(v) }, help: 'what the scenario is for; shown by validate' }),
  option({ field: 'target', flag: '--target', short: '-t', arg: '<url>', key: 'target', kind: p.target, default: 'the bundled simulator', help: 'ws:// or wss:// URL of the stream (http:// or https:// for an SSE profile)' }),
  option({ field: 'profile', flag: '--profile', arg: '<name|file>', key: 'profile', kind: p.profileName, default: DEFAULT_PROFILE, help: "the stream's profile: a built-in name or a YAML/JSON file" }),
  option({ field: 'clients', flag: '--clients', short: '-c', arg: '<n>', key: 'clients', kind: whole(1), default: '10', help: 'concurrent clients' }),
  option({ field: 'durationMs', flag: '--duration', short: '-d', arg: '<time>', key: 'duration', kind: time({ positive: true }), default: '30s', help: 'steady phase, e.g. 30s, 5m' }),
  option({ field: 'rampMs', flag: '--ramp', arg: '<time>', key: 'ramp', kind: time(), default: '5s', help: 'time over which the clients are opened' }),
  option({ field: 'stages', key: 'stages', kind: p.stages, help: 'ramp-up, hold and ramp-down stages, instead of ramp and duration' }),
  option({ field: 'channels', flag: '--channels', arg: '<list>', key: 'channels', kind: p.channels, default: 'all of the profile', help: 'channels to subscribe, comma-separated' }),
  option({ field: 'headers', flag: '--header', arg: '<name:value>', key: 'headers', kind: p.headers, repeatable: true, into: mergeHeaders, help: 'extra upgrade header (repeatable; never reported)' }),
  option({ field: 'headers', flag: '--token-env', arg: '<var>', key: 'tokenEnv', kind: p.tokenEnv, into: mergeHeaders, help: 'send "Authorization: Bearer $VAR" on the upgrade' }),
  option({ field: 'insecure', flag: '--insecure', key: 'insecure', kind: bool(), help: 'accept any TLS certificate' }),
  option({ field: 'ca', flag: '--ca', arg: '<file>', key: 'ca', kind: p.caFile, help: 'trust this PEM CA for wss:// and https://' }),
  option({ field: 'connectTimeoutMs', flag: '--connect-timeout', arg: '<time>', key: 'connectTimeout', kind: time({ positive: true }), default: '10s', help: 'TCP + upgrade timeout' }),
  option({ field: 'closeTimeoutMs', flag: '--close-timeout', arg: '<time>', key: 'closeTimeout', kind: time({ positive: true }), default: '2s', help: 'wait this long for a close handshake, then drop the socket' }),
  option({ field: 'policy', flag: '--reconnect', arg: '<policy>', key: 'reconnect', kind: reconnectSpec, default: 'the default preset', help: 'a preset: default (1s,x2,10s,5), portal (the Phase 3 portal, api.ts: 3s,x2,no cap,5), websocket-service or portal-v2 (the second frontend, websocketService.ts: 5s,x2,160s,10); or initial,xFactor,cap,attempts[,jitter=J]' }),
  option({ field: 'minClients', flag: '--min-clients', arg: '<n>', key: 'minClients', kind: whole(1), default: '10', help: 'fewest clients the concurrency criterion accepts' }),
  option({ field: 'strict', flag: '--strict', key: 'strict', kind: bool(), help: 'a skipped criterion fails the gate (a release gate measures every criterion)' }),
  option({ field: 'chaos', flag: '--chaos', arg: '<spec>', key: 'chaos', kind: chaosSpec, into: (v, s) => (s.chaos = v || undefined), default: 'cut=10%,mode=both', help: 'cut connections on purpose: cut=10%[,mode=close|drop|both][,at=10s][,every=20s], or off' }),
  option({ field: 'churnPerSecond', flag: '--churn', arg: '<n>/s', key: 'churn', kind: churnRate, help: 'close and at once reopen n connections a second through the steady phase, as real pages do' }),
  option({ field: 'fallbackUrl', flag: '--fallback-url', arg: '<url>', key: 'fallbackUrl', kind: p.secretUrl(['http:', 'https:']), help: 'REST endpoint polled every second (the fallback)' }),
  option({ field: 'serverPid', flag: '--server-pid', arg: '<pid>', key: 'serverPid', kind: p.processId, help: "sample the target's CPU, memory and threads from this local process and those under it" }),
  option({ field: 'metricsUrl', flag: '--metrics-url', arg: '<url>', key: 'metricsUrl', kind: p.secretUrl(['http:', 'https:']), help: "... or from the target's Prometheus endpoint" }),
  option({ field: 'probes', flag: '--no-probes', negate: true, key: 'probes', kind: bool(), default: 'on', help: 'skip the protocol probe client (probes: false)' }),
  option({ field: 'maxFrameBytes', flag: '--max-frame', arg: '<size>', key: 'maxFrame', kind: size(1024), default: '1MiB', help: 'largest frame accepted; a larger one is a violation' }),
  option({ field: 'workers', flag: '--workers', arg: '<n>', key: 'workers', kind: whole(1, 64), default: 'from the clients and the cores', help: 'client processes on this machine' }),
  option({ field: 'shard', flag: '--shard', arg: '<i/n>', key: 'shard', kind: p.shard, help: 'run slice i of n (clients, ramp, chaos); combine the reports with `merge`' }),
  option({ field: 'checkSample', flag: '--check-sample', arg: '<share>', key: 'checkSample', kind: share(), default: '100%', help: 'full checks on this share of clients (10% or 0.1), cheap accounting on the rest' }),
  option({ field: 'spread', flag: '--spread', arg: '<n>', key: 'spread', kind: whole(1, 254), default: 'one per 10,000 clients', help: 'spread clients over loopback addresses 127.0.0.1..n (the target must listen on them)' }),
  option({ field: 'simulatorFaults', flag: '--sim-fault', arg: '<spec>', key: 'simulator.faults', kind: p.faults, repeatable: true, help: 'a fault for the embedded simulator, as `serve --fault` (repeatable)' }),
  option({ field: 'seed', flag: '--seed', arg: '<n>', key: 'simulator.seed', kind: whole(0), help: 'seed for the embedded simulator' }),
  option({
    field: 'thresholds',
    key: 'thresholds',
    kind: p.thresholds,
    // concurrency's line sets minClients: file.ts applies what the verdict's checks read
    into: (v: ThresholdTexts, s) => (s.thresholds = v),
    help: 'limits per criterion id, e.g. latency: p99 < 500ms',
  }),
  option({ field: 'failOn', flag: '--fail-on', arg: '<advisory>', key: 'failOn', kind: advisoryIds, repeatable: true, into: (v, s) => (s.failOn = [...new Set([...(s.failOn ?? []), ...v])]), help: 'make an advisory a failure, e.g. unknown_channel (repeatable; docs/criteria.md lists them)' }),
  option({ field: 'page', flag: '--page', arg: '[url]', key: 'page', kind: pageUrl, help: "open this frontend page in real browsers while the load runs (no URL: the embedded simulator's own dashboard)" }),
  option({ field: 'browsers', flag: '--browser', arg: '<list>', key: 'browser', kind: browserList, default: 'chromium', help: 'chromium, firefox, or a path to a browser, comma-separated' }),
  option({ field: 'watch', flag: '--watch', arg: '<css>', key: 'watch', kind: text(), default: "the dashboard's live figure", help: 'the page element whose text must change as data arrives' }),
  option({ field: 'pageCount', flag: '--page-count', arg: '<n>', key: 'pageCount', kind: whole(1, 50), default: '1', help: 'pages each browser opens (one more opens with its socket refused, for page_fallback)' }),
  option({ field: 'out', flag: '--out', arg: '<dir>', key: 'out', kind: text(), default: 'reports/<run-id>/', help: 'where reports go' }),
  option({ field: 'json', flag: '--json', key: 'json', kind: bool(), help: 'the JSON report on stdout, and nothing else there' }),
  option({ field: 'formats', flag: '--format', arg: '<list>', key: 'formats', kind: p.formats, default: 'all', help: 'report files: json,md,junit,html or all' }),
  option({ field: 'dashboard', flag: '--dashboard', arg: '[addr]', key: 'dashboard', kind: dashboardKind, default: '127.0.0.1, a free port', help: 'a live web page of the run; its URL goes to stderr as "dashboard: http://..."' }),
  option({ field: 'exports', flag: '--export', arg: '<kind>=<to>', key: 'export', kind: exportsKind, repeatable: true, into: (v, s) => (s.exports = [...(s.exports ?? []), ...v]), help: 'send per-second metrics (livestream_*): prometheus-rw=<url>, otlp=<url>, ndjson=<file> (repeatable)' }),
  option({ field: 'baseline', flag: '--baseline', arg: '<file>', key: 'baseline.compare', kind: text(), help: 'compare with a baseline (or report.json); a regression fails the run' }),
  option({ field: 'saveBaseline', flag: '--save-baseline', arg: '<file>', key: 'baseline.save', kind: text(), help: "keep this run's key metrics as a baseline file" }),
  option({ field: 'tolerances', flag: '--tolerance', arg: '<metric=tol>', key: 'baseline.tolerances', kind: p.tolerances, repeatable: true, into: (v, s) => (s.tolerances = { ...s.tolerances, ...v }), help: 'how much worse a baseline metric may get, e.g. latency_p99=20% (repeatable)' }),
] as const;

/** Every field of RunSettings has an option: the compiler fails here when one is added without. */
type Unset = Exclude<keyof RunSettings, (typeof RUN_OPTIONS)[number]['field']>;
const everySettingHasAnOption: [Unset] extends [never] ? true : Unset = true;
void everySettingHasAnOption;

export type AnyOption = OptionDef<OptionField, unknown>;
export const OPTIONS: readonly AnyOption[] = RUN_OPTIONS as readonly AnyOption[];

/** commander's name for a flag's value: `--max-frame` -> `maxFrame`, `--no-probes` -> `probes`. */
export function flagAttribute(flag: string): string {
  return flag.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The help line with its default: `concurrent clients (default 10)`, `... (default: the bundled simulator)`. */
export function helpLine(o: AnyOption): string {
  return o.default !== undefined && !o.negate ? `${o.help} (default${o.default.includes(' ') ? ':' : ''} ${o.default})` : o.help;
}

/** Sets a parsed value into `s`, as the option says. */
export function applyOption(o: AnyOption, value: unknown, s: Partial<OptionValues>): void {
  if (o.into) o.into(value, s);
  else (s as Record<string, unknown>)[o.field] = value;
}
