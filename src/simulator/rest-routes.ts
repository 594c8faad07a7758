import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TargetProfile } from '../profile/index.js';
import { ADMIN_PREFIX, handleAdmin, type AdminTarget } from './admin-api.js';
import { presentsToken } from './auth.js';
import type { FaultSet } from '../source/fault-spec.js';
import { sendJson, sendText } from './http-util.js';
import { dashboardHtml } from './dashboard-page.js';
import { DASHBOARD_PATH } from '../source/dashboard-contract.js';

/**
 * The REST routes on the stream's port:
 *
 *   GET <the profile's fallback>  the latest payload of every channel, by channel name
 *   GET /                         a small live dashboard of the stream (dashboard-page.ts)
 *   GET /q/health                 Quarkus-style health
 *   GET /metrics                  Prometheus text
 *   /admin/...                    faults and stats, behind the admin token
 *
 * With a stream token set, the snapshot needs it too (it is the same data
 * over another road); health and metrics stay open, as a Quarkus service's
 * management endpoints usually are to its probes and scrapers.
 */

export interface RestContext {
  readonly profile: TargetProfile;
  readonly adminToken: string;
  readonly token: string | undefined;
  readonly admin: AdminTarget;
  faultSet(): FaultSet;
  snapshot(): Record<string, unknown>;
  connections(): number;
  metricsText(): Promise<string>;
  readonly metricsContentType: string;
  /** Extra data of every health check (a worker's index). */
  readonly healthData: Record<string, unknown>;
}

// Browsers polling the fallback from a dev server on another origin may read it.
const CORS = { 'access-control-allow-origin': '*' };

export function handleRest(req: IncomingMessage, res: ServerResponse, ctx: RestContext): void {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const path = url.pathname;
  const fail = (err: unknown): void => {
    if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    else res.destroy();
  };
  if (path.startsWith(ADMIN_PREFIX)) {
    handleAdmin(req, res, path, ctx.adminToken, ctx.admin).catch(fail);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { error: `${req.method} not allowed` }, { allow: 'GET, HEAD' });
  }
  const faults = ctx.faultSet();
  if (path === ctx.profile.fallbackPath) {
    if (ctx.token !== undefined && !presentsToken(req, url, ctx.token)) {
      return sendJson(res, 401, { error: 'token required (Authorization: Bearer <token> or ?token=)' }, { ...CORS, 'www-authenticate': 'Bearer' });
    }
    if (faults.restDown) return sendJson(res, 503, { error: 'snapshot unavailable (fault: rest-down)' }, { ...CORS, 'retry-after': '5' });
    return sendJson(res, 200, ctx.snapshot(), CORS);
  }
  if (path === DASHBOARD_PATH) return sendText(res, 200, 'text/html; charset=utf-8', dashboardHtml(ctx.profile));
  if (path === '/q/health') return health(res, ctx, faults);
  if (path === '/metrics') {
    ctx.metricsText().then((text) => sendText(res, 200, ctx.metricsContentType, text), fail);
    return;
  }
  sendJson(res, 404, { error: 'not found' });
}

/**
 * As Quarkus (SmallRye Health) answers: the overall status is DOWN as soon
 * as one check is DOWN, and then the HTTP status is 503. The stream check is
 * DOWN under `socket-down`, the snapshot check under `rest-down`.
 */
function health(res: ServerResponse, ctx: RestContext, faults: FaultSet): void {
  const checks = [
    { name: 'live-stream', status: faults.socketDown ? 'DOWN' : 'UP', data: { connections: ctx.connections(), ...ctx.healthData } },
    { name: 'live-snapshot', status: faults.restDown ? 'DOWN' : 'UP', data: { ...ctx.healthData } },
  ];
  const down = checks.some((c) => c.status === 'DOWN');
  sendJson(res, down ? 503 : 200, { status: down ? 'DOWN' : 'UP', checks }, CORS);
}
