import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/reporters/progress.js';

const base = { phase: 'steady' as const, elapsedMs: 5000, open: 0, planned: 12, messagesPerSec: 0, latencyP99Ms: 0, violations: 0, disconnects: 0 };

describe('the progress line', () => {
  it('counts failed opens apart from violations, with their cause', () => {
    const line = progressLine({ ...base, connectFailures: 19, connectFailure: 'the target does not answer in HTTP: not a WebSocket server (check the host and port)' });
    expect(line).toContain('violations 0');
    expect(line).toContain('failed opens 19 (the target does not answer in HTTP');
  });

  it('says nothing of failed opens when there were none', () => {
    expect(progressLine({ ...base, open: 12 })).not.toContain('failed opens');
  });
});
