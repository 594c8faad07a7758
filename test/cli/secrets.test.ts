import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { redactUrl } from '../../src/verdict/redact.js';
import { runCli } from '../helpers/cli.js';

const SECRET = 'sekr1t-Zq9w';

describe('secrets never reach a report or a terminal', () => {
  it('redacts credentials in URLs', () => {
    expect(redactUrl(`wss://user:${SECRET}@host:8443/api/v11/live/stream?token=${SECRET}&channel=tps`)).toBe('wss://[redacted]@host:8443/api/v11/live/stream?token=[redacted]&channel=tps');
    expect(redactUrl(`ws://h/p?access_key=${SECRET}&sig=${SECRET}`)).not.toContain(SECRET);
    expect(redactUrl('ws://h/p?channel=tps')).toBe('ws://h/p?channel=tps');
  });

  it('keeps a header, a token from the environment and URL credentials out of every file and stream', async () => {
    const sim = await startSimulator({ port: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'lsb-secret-'));
    try {
      const target = sim.url.replace('ws://', `ws://qa:${SECRET}@`) + `?token=${SECRET}`;
      const r = await runCli(
        ['--target', target, '--clients', '10', '--duration', '2s', '--ramp', '0', '--no-probes', '--header', `X-Api-Key: ${SECRET}`, '--token-env', 'LSB_TEST_TOKEN', '--out', dir, '--json'],
        { env: { LSB_TEST_TOKEN: SECRET } },
      );
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(SECRET);
      expect(r.stderr).not.toContain(SECRET);
      const files = readdirSync(dir);
      expect(files).toContain('report.json');
      for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).not.toContain(SECRET);
      expect(JSON.parse(r.stdout).target.url).toContain('[redacted]');
    } finally {
      await sim.close();
    }
  });
});
