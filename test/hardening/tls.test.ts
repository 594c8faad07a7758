import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { makeCerts, type CertFile, type Certs } from './certs.js';
import { expectNoStack, expectNoTmp, readReport, SHORT, statusOf, tlsWsTarget, tmpOut, type ReportJson, type Target } from './helpers.js';

/**
 * wss:// end to end: the simulator serving TLS with a throwaway certificate
 * is connected to with --ca (or --insecure) and refused without; each way a
 * certificate can be wrong is named in plain words and as a class.
 */
let certs: Certs;
const sims: RunningSimulator[] = [];
const targets: Target[] = [];

beforeAll(() => {
  certs = makeCerts();
});

afterAll(async () => {
  await Promise.all([...sims.map((s) => s.close()), ...targets.map((t) => t.close())]);
  certs?.remove();
});

async function tlsSimulator(cert: CertFile): Promise<string> {
  const sim = await startSimulator({ port: 0, seed: 3, tls: { cert: cert.cert, key: cert.key } });
  sims.push(sim);
  expect(sim.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\//);
  return sim.url;
}

async function tlsServer(cert: CertFile): Promise<string> {
  const t = await tlsWsTarget(cert.cert, cert.key);
  targets.push(t);
  return t.url;
}

async function run(url: string, extra: string[] = []): Promise<{ code: number | null; stderr: string; report: ReportJson }> {
  const dir = tmpOut();
  const r = await runCli([...SHORT, '--target', url, '--out', dir, ...extra]);
  expectNoStack(r);
  expectNoTmp(dir);
  return { code: r.code, stderr: r.stderr, report: readReport(dir) };
}

/** Connected and welcomed over TLS: the stream itself is judged, not the certificate. */
function expectConnected(res: { code: number | null; stderr: string; report: ReportJson }): void {
  expect(res.report.metrics.connectErrors, res.stderr).toEqual({});
  expect(statusOf(res.report, 'connect')).toBe('pass');
  expect(statusOf(res.report, 'handshake')).toBe('pass');
  expect(res.report.metrics.clients.connectedFirstTry).toBe(2);
  // judged: pass, or fail on a timing criterion of a 1 s run on a busy machine; never bad usage or a harness fault
  expect([0, 1]).toContain(res.code);
}

function expectRefused(res: { code: number | null; stderr: string; report: ReportJson }, kind: string, words: string): void {
  expect(res.code, res.stderr).toBe(1);
  expect(res.stderr).toContain(`livestream-bench: cannot connect to the target: ${words}`);
  expect(res.report.metrics.connectErrors[kind]).toBe(2);
  expect(statusOf(res.report, 'connect')).toBe('fail');
}

describe.concurrent('wss:// and certificates (the real bin)', () => {
  it('self-signed certificate, no --ca: tls_self_signed', async () => {
    expectRefused(await run(await tlsSimulator(certs.self)), 'tls_self_signed', 'TLS certificate is self-signed (use --ca or --insecure)');
  });

  it('self-signed certificate with --ca <that certificate>: connects', async () => {
    expectConnected(await run(await tlsSimulator(certs.self), ['--ca', certs.self.certPath]));
  });

  it('self-signed certificate with --insecure: connects', async () => {
    expectConnected(await run(await tlsSimulator(certs.self), ['--insecure']));
  });

  it('certificate of a private CA, no --ca: tls_untrusted', async () => {
    expectRefused(await run(await tlsSimulator(certs.good)), 'tls_untrusted', 'TLS certificate is not trusted (use --ca or --insecure)');
  });

  it('certificate of a private CA with --ca <the CA>: connects', async () => {
    expectConnected(await run(await tlsSimulator(certs.good), ['--ca', certs.ca.certPath]));
  });

  it('certificate for another host name (trusted CA): tls_wrong_host', async () => {
    expectRefused(await run(await tlsServer(certs.wrong), ['--ca', certs.ca.certPath]), 'tls_wrong_host', 'TLS certificate does not match the host name');
  });

  it('expired certificate (trusted CA): tls_expired', async () => {
    expectRefused(await run(await tlsServer(certs.expired), ['--ca', certs.ca.certPath]), 'tls_expired', 'TLS certificate has expired');
  });
});
