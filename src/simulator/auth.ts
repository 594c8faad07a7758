import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Bearer tokens: the admin API's, and the optional one clients must present
 * on the stream (`--token`). Compared as digests so that neither length nor
 * content leaks through timing.
 */

function same(given: string, token: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** `Authorization: Bearer <token>` matches. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m !== null && same(m[1].trim(), token);
}

/**
 * A client presents the stream token in the header, or as `?token=` (browsers
 * cannot set headers on a WebSocket upgrade, so the query is how a portal
 * would send it).
 */
export function presentsToken(req: IncomingMessage, url: URL, token: string): boolean {
  if (bearerMatches(req.headers.authorization, token)) return true;
  const query = url.searchParams.get('token');
  return query !== null && same(query, token);
}
