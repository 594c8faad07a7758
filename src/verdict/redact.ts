/**
 * Secrets never reach a report or a terminal: credentials in a URL (user
 * info, and query parameters whose name says token, key, secret, password,
 * auth or signature) are replaced by a marker. Headers are never reported.
 */
const SECRET_PARAM = /token|key|secret|pass|auth|sig|credential|session/i;
export const REDACTED = '[redacted]';

export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@]*@/, `//${REDACTED}@`);
  }
  if (u.username || u.password) {
    u.username = REDACTED;
    u.password = '';
  }
  for (const name of [...u.searchParams.keys()]) if (SECRET_PARAM.test(name)) u.searchParams.set(name, REDACTED);
  return u.toString().replace(encodeURIComponent(REDACTED), REDACTED).replaceAll(encodeURIComponent(REDACTED), REDACTED);
}
