import type { IncomingMessage, ServerResponse } from 'node:http';
import { BenchError } from '../errors.js';
import { bearerMatches } from './auth.js';
import { readBody, sendJson } from './http-util.js';

/**
 * Faults at run time, behind a bearer token:
 *
 *   GET    /admin/faults   -> { "faults": ["drop=2%", ...] }
 *   PUT    /admin/faults   body { "faults": [...] } or [...]: replaces the set
 *   POST   /admin/faults   same body: adds to the set (a spec of the same name replaces)
 *   DELETE /admin/faults   clears every fault
 *   GET    /admin/stats    -> the simulator's stats()
 *
 * 401 without `Authorization: Bearer <token>`; 400 with `{ "error" }` for a
 * bad spec, and then nothing changes.
 */

export const ADMIN_PREFIX = '/admin/';
const BODY_LIMIT = 64 * 1024;

/** What the API acts on: one simulator, or (from a worker) the whole cluster. */
export interface AdminTarget {
  faults(): string[];
  setFaults(specs: readonly string[]): void | Promise<void>;
  stats(): unknown;
}

function specsFrom(body: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { faults?: unknown } | null)?.faults;
  return Array.isArray(list) && list.every((s) => typeof s === 'string') ? (list as string[]) : undefined;
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, token: string, target: AdminTarget): Promise<void> {
  if (!bearerMatches(req.headers.authorization, token)) {
    sendJson(res, 401, { error: 'admin token required (Authorization: Bearer <token>)' }, { 'www-authenticate': 'Bearer' });
    return;
  }
  if (path === '/admin/stats' && req.method === 'GET') return sendJson(res, 200, await target.stats());
  if (path !== '/admin/faults') return sendJson(res, 404, { error: 'not found' });

  switch (req.method) {
    case 'GET':
      return sendJson(res, 200, { faults: target.faults() });
    case 'DELETE':
      await target.setFaults([]);
      return sendJson(res, 200, { faults: target.faults() });
    case 'PUT':
    case 'POST': {
      const body = await readBody(req, BODY_LIMIT);
      if (body === undefined) return sendJson(res, 413, { error: `body over ${BODY_LIMIT} bytes` });
      const specs = specsFrom(body);
      if (!specs) return sendJson(res, 400, { error: 'body must be {"faults": ["spec", ...]} or ["spec", ...]' });
      try {
        await target.setFaults(req.method === 'PUT' ? specs : [...target.faults(), ...specs]);
      } catch (err) {
        if (err instanceof BenchError) return sendJson(res, 400, { error: err.message, code: err.code });
        throw err;
      }
      return sendJson(res, 200, { faults: target.faults() });
    }
    default:
      return sendJson(res, 405, { error: `${req.method} not allowed` }, { allow: 'GET, PUT, POST, DELETE' });
  }
}
