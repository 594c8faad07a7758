import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Throwaway certificates, made with the openssl CLI (CI installs it: see
 * .ci/run), one per TLS failure the harness must name:
 *   self     self-signed, for 127.0.0.1 and localhost
 *   ca       a private CA; good, wrong and expired are signed by it
 *   good     for 127.0.0.1 and localhost
 *   wrong    for wrong.example only (the host name does not match)
 *   expired  for 127.0.0.1, its validity ended a day before it began
 */
export interface CertFile {
  /** PEM file of the certificate, for --ca / --tls-cert. */
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

export interface Certs {
  dir: string;
  self: CertFile;
  ca: CertFile;
  good: CertFile;
  wrong: CertFile;
  expired: CertFile;
  remove(): void;
}

const LOOPBACK_SAN = 'subjectAltName=IP:127.0.0.1,DNS:localhost';

/** EC P-256: a key in milliseconds, where RSA takes a good part of a second. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore', timeout: 20_000 });
}

export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'lsb-hard-cert-'));
  const file = (name: string): CertFile => {
    const certPath = join(dir, `${name}.pem`);
    const keyPath = join(dir, `${name}.key`);
    return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  };
  const selfSigned = (name: string, subject: string, ext: string[]) =>
    openssl(['req', '-x509', ...NEW_KEY, '-nodes', '-days', '1', '-subj', subject, ...ext.flatMap((e) => ['-addext', e]), '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`)]);
  selfSigned('self', '/CN=127.0.0.1', [LOOPBACK_SAN]);
  selfSigned('ca', '/CN=livestream-bench test CA', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign']);
  const signed = (name: string, san: string, days: string) => {
    openssl(['req', ...NEW_KEY, '-nodes', '-subj', `/CN=${name}`, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`)]);
    writeFileSync(join(dir, `${name}.ext`), `${san}\n`);
    // -days -1: notAfter a day before notBefore, so the certificate is expired from the start
    openssl(['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-days', days, '-extfile', join(dir, `${name}.ext`), '-out', join(dir, `${name}.pem`)]);
  };
  signed('good', LOOPBACK_SAN, '1');
  signed('wrong', 'subjectAltName=DNS:wrong.example', '1');
  signed('expired', LOOPBACK_SAN, '-1');
  return {
    dir,
    self: file('self'),
    ca: file('ca'),
    good: file('good'),
    wrong: file('wrong'),
    expired: file('expired'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
