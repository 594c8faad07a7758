import { describe, expect, it } from 'vitest';
import { classifyConnectError, describeConnectErrors, describeConnectKind, isPermanent } from '../../src/engine/connect-errors.js';

/**
 * Connect failures that loopback cannot produce (no route, a clock ahead of
 * the certificate, other OpenSSL failures) or whose raw text is noise: the
 * classifier turns each into a stable class and one plain line. The errors
 * are shaped as Node and ws raise them.
 */
const error = (code: string | undefined, message: string) => Object.assign(new Error(message), code ? { code } : {});

describe('connect failures in plain words (library)', () => {
  it.each([
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.255.255.1:443', 'unreachable', 'no route to the host', false],
    ['ENETUNREACH', 'connect ENETUNREACH 10.255.255.1:443', 'unreachable', 'no route to the host', false],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN stream.example', 'dns', 'host name not found', true],
    ['CERT_NOT_YET_VALID', 'certificate is not yet valid', 'tls_not_yet_valid', 'TLS certificate is not valid yet (check the clocks)', true],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'tls_self_signed', 'TLS certificate is self-signed (use --ca or --insecure)', true],
    [
      'EPROTO',
      'write EPROTO 80CC84E5107F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 40',
      'tls_error',
      'TLS handshake failed: sslv3 alert handshake failure',
      true,
    ],
    ['HPE_INVALID_CONSTANT', 'Parse Error: Expected HTTP/, RTSP/ or ICE/', 'not_http', 'the target does not answer in HTTP: not a WebSocket server (check the host and port)', false],
    [undefined, 'Unexpected server response: 500', 'http_500', 'HTTP 500 on the upgrade', false],
    [undefined, 'Unexpected server response: 302', 'http_302', 'HTTP 302 on the upgrade: a redirect, which is not followed (use the final URL)', true],
  ] as const)('%s %s -> %s', (code, message, kind, text, permanent) => {
    const failure = classifyConnectError(error(code, message));
    expect(failure).toEqual({ kind, text });
    expect(describeConnectKind(kind)).toBe(text.replace(/: sslv3 alert handshake failure$/, ''));
    expect(isPermanent(kind)).toBe(permanent);
  });

  it('an unknown failure keeps its first line only, never a stack', () => {
    const failure = classifyConnectError(error('EWEIRD', 'something odd\n    at Socket.<anonymous> (node:net:1:1)'));
    expect(failure).toEqual({ kind: 'error', text: 'something odd' });
  });

  it('names an unclassified failure by its first line in the report, not as "error"', () => {
    expect(describeConnectErrors({ refused: 2, error: 3 }, ['connection refused', 'Invalid WebSocket frame: odd'])).toBe('connection refused x2, Invalid WebSocket frame: odd x3');
    expect(describeConnectErrors({ error: 1 })).toBe('error x1');
  });
});
