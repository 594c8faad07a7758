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
};

/**
 * Failures no retry can mend within a run: a wrong host name, a certificate
 * the harness will not trust, a path or credential the target rejects.
 * Refusals, timeouts and 5xx may be a target still starting, so clients
 * keep retrying under the reconnect policy for those.
 */
export function isPermanent(kind: string): boolean {
  return kind === 'dns' || kind.startsWith('tls_') || /^http_4\d\d$/.test(kind);
}

/** Plain words for a failure class, e.g. `http_503` -> "HTTP 503 on the upgrade". */
export function describeConnectKind(kind: string): string {
  const http = /^http_(\d+)$/.exec(kind);
  if (http) return `HTTP ${http[1]} on the upgrade`;
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
  else if (TLS_CODES[code]) kind = TLS_CODES[code];
  const text = http ? `HTTP ${http[1]} on the upgrade` : (WORDS[kind] ?? message.split('\n')[0]);
  return { kind, text };
}
