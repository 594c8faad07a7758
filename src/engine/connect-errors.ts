/**
 * Plain-words classes of a failed connection attempt, so a report says
 * "connection refused" or "HTTP 503 on the upgrade" instead of a stack trace.
 */
export interface ConnectFailure {
  /** Stable class: refused, dns, timeout, reset, tls_self_signed, http_503, ... */
  kind: string;
  /** One line for people. */
  text: string;
}

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_self_signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_self_signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls_untrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_wrong_host',
  CERT_HAS_EXPIRED: 'tls_expired',
  CERT_NOT_YET_VALID: 'tls_not_yet_valid',
};

const WORDS: Record<string, string> = {
  refused: 'connection refused',
  dns: 'host name not found',
  timeout: 'no answer within the connect timeout',
  reset: 'connection reset by the target',
  tls_self_signed: 'TLS certificate is self-signed (use --ca or --insecure)',
  tls_untrusted: 'TLS certificate is not trusted (use --ca or --insecure)',
  tls_wrong_host: 'TLS certificate does not match the host name',
  tls_expired: 'TLS certificate has expired',
  tls_not_yet_valid: 'TLS certificate is not valid yet (check the clocks)',
  tls_not_tls: 'the target does not speak TLS (use ws:// rather than wss://)',
  tls_error: 'TLS handshake failed',
  unreachable: 'no route to the host',
  not_http: 'the target does not answer in HTTP: not a WebSocket server (check the host and port)',
};

/** Plain words for the HTTP statuses a wrong target typically answers the upgrade with. */
const HTTP_WORDS: Record<string, string> = {
  '401': 'the target wants credentials (--token-env or --header)',
  '403': 'the target refused these credentials',
  '404': 'no stream at this path',
};

function httpWords(status: string): string {
  const why = HTTP_WORDS[status] ?? (status.startsWith('3') ? 'a redirect, which is not followed (use the final URL)' : status.startsWith('2') ? 'not a WebSocket endpoint' : undefined);
  return `HTTP ${status} on the upgrade${why ? `: ${why}` : ''}`;
}

/**
 * Failures no retry can mend within a run: a wrong host name, a certificate
 * the harness will not trust, a path or credential the target rejects.
 * Refusals, timeouts and 5xx may be a target still starting, so clients
 * keep retrying under the reconnect policy for those.
 */
export function isPermanent(kind: string): boolean {
  // 2xx/3xx: the URL is an HTTP page or a redirect, not a stream; that will not change either
  return kind === 'dns' || kind.startsWith('tls_') || /^http_[234]\d\d$/.test(kind);
}

/** Plain words for a failure class, e.g. `http_503` -> "HTTP 503 on the upgrade". */
export function describeConnectKind(kind: string): string {
  const http = /^http_(\d+)$/.exec(kind);
  if (http) return httpWords(http[1]);
  return WORDS[kind] ?? kind;
}

export function classifyConnectError(err: unknown): ConnectFailure {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const message = e?.message ?? String(err);
  const http = /Unexpected server response: (\d+)/.exec(message);
  let kind = 'error';
  if (http) kind = `http_${http[1]}`;
  else if (code === 'ECONNREFUSED') kind = 'refused';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') kind = 'dns';
  else if (code === 'ETIMEDOUT' || /handshake has timed out/i.test(message)) kind = 'timeout';
  else if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) kind = 'reset';
  // Node's HTTP parser on an answer that is no HTTP at all (an SSH or SMTP banner, a database port)
  else if (code.startsWith('HPE_') || /^Parse Error/.test(message)) kind = 'not_http';
  else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') kind = 'unreachable';
  else if (TLS_CODES[code]) kind = TLS_CODES[code];
  else if (/wrong version number|packet length too long/i.test(message)) kind = 'tls_not_tls';
  else if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) kind = 'tls_error';
  if (http) return { kind, text: httpWords(http[1]) };
  // OpenSSL's message, `write EPROTO 80CC...:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/...`, reduced to its reason
  if (kind === 'tls_error') return { kind, text: `${WORDS[kind]}: ${opensslReason(message)}` };
  return { kind, text: WORDS[kind] ?? message.split('\n')[0] };
}

function opensslReason(message: string): string {
  const m = /:SSL routines:[^:]*:([^:]+)/.exec(message);
  return (m ? m[1] : message.split('\n')[0]).trim();
}

/** Whether a failure's line is one of the classes' own words, not an unclassified error's first line. */
function isClassWords(text: string): boolean {
  return Object.values(WORDS).includes(text) || /^(HTTP \d+ on the upgrade|TLS handshake failed)/.test(text);
}

/**
 * The failed attempts by class, in words, for a report line:
 *   { refused: 4 } -> "connection refused x4"
 * An unclassified `error` is named by the first line of one of them (from
 * the samples kept), so the cause shows, not the word "error".
 */
export function describeConnectErrors(byKind: Readonly<Record<string, number>>, failedLines: readonly string[] = []): string {
  const other = failedLines.find((t) => !isClassWords(t));
  return Object.entries(byKind)
    .map(([k, v]) => `${k === 'error' && other ? other : describeConnectKind(k)} x${v}`)
    .join(', ');
}
