import type { Kind } from './option-kinds.js';

/**
 * The live view's settings: where `--dashboard` listens and where each
 * `--export` goes. Secure by default: the dashboard listens on loopback
 * and a free port unless an address is given.
 */

export interface DashboardAddress {
  host: string;
  /** 0: a free port. */
  port: number;
}

export const EXPORT_KINDS = ['prometheus-rw', 'otlp', 'ndjson'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportSpec {
  kind: ExportKind;
  /** A URL (prometheus-rw, otlp) or a file (ndjson). */
  to: string;
}

export const DEFAULT_DASHBOARD: DashboardAddress = { host: '127.0.0.1', port: 0 };

/**
 * `--dashboard` alone, `--dashboard 8080`, `--dashboard 0.0.0.0:8080`,
 * `--dashboard [::1]:0`; in a scenario `dashboard: true` or the same text.
 */
export function readDashboard(value: unknown): DashboardAddress | string {
  if (value === true) return DEFAULT_DASHBOARD;
  if (typeof value !== 'string' || value.trim() === '') return 'must be an address such as 127.0.0.1:8080 or a port';
  const v = value.trim();
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(v) ?? /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)()$/.exec(v);
  if (!m) return `must be host:port, a port or a host (got ${JSON.stringify(value)})`;
  const port = m[2] === '' ? 0 : Number(m[2]);
  if (port > 65535) return `port must be from 0 to 65535 (got ${port})`;
  const host = (m[1] ?? DEFAULT_DASHBOARD.host).replace(/^\[(.*)\]$/, '$1');
  if (/^\d+$/.test(host)) return `must be host:port, a port or a host (got ${JSON.stringify(value)})`;
  return { host, port };
}

export const dashboardKind: Kind<DashboardAddress> = {
  schema: { type: ['boolean', 'string'], description: 'true, a port, or host:port (default 127.0.0.1 and a free port)' },
  parse(value, at) {
    if (value === false) return undefined;
    const r = readDashboard(value);
    return typeof r === 'string' ? void at.problem(`${at.name} ${r}`) : r;
  },
};

/** One `kind=to`: `prometheus-rw=http://127.0.0.1:9090/api/v1/write`, `otlp=http://...:4318/v1/metrics`, `ndjson=live.ndjson`. */
export function readExport(text: string): ExportSpec | string {
  const eq = text.indexOf('=');
  const kind = eq < 0 ? text : text.slice(0, eq);
  const to = eq < 0 ? '' : text.slice(eq + 1).trim();
  if (!(EXPORT_KINDS as readonly string[]).includes(kind)) return `must be kind=destination with kind one of ${EXPORT_KINDS.join(', ')} (got ${JSON.stringify(text)})`;
  if (to === '') return `${kind} needs a destination after "=" (${kind === 'ndjson' ? 'a file' : 'a URL'})`;
  if (kind !== 'ndjson') {
    let u: URL;
    try {
      u = new URL(to);
    } catch {
      return `${kind} needs an http:// or https:// URL (got ${JSON.stringify(to)})`;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${kind} needs an http:// or https:// URL (got ${JSON.stringify(to)})`;
  }
  return { kind: kind as ExportKind, to };
}

export const exportsKind: Kind<ExportSpec[]> = {
  schema: { type: 'array', items: { type: 'string', pattern: '^(prometheus-rw|otlp|ndjson)=.+' }, description: 'kind=destination: prometheus-rw=<url>, otlp=<url>, ndjson=<file>' },
  parse(value, at) {
    const list = Array.isArray(value) ? value : [value];
    const out: ExportSpec[] = [];
    let bad = false;
    list.forEach((v, i) => {
      const r = readExport(String(v));
      if (typeof r === 'string') {
        bad = true;
        (Array.isArray(value) && at.source === 'scenario' ? at.part(i) : at).problem(`${Array.isArray(value) && at.source === 'scenario' ? at.part(i).name : at.name} ${r}`);
      } else out.push(r);
    });
    return bad ? undefined : out;
  },
};
