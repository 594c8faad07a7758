import type { AdvisoryRule } from './types.js';

/**
 * `frame_size`: a channel's mean message size (its JSON text, as received)
 * far from the profile's `plannedBytes`: under half or over twice the plan.
 * Channels without a plan, or with nothing received, are not judged.
 *   planned 300 B: mean 129 B -> under half (the real server's 1 s channel)
 *   planned 200 B: mean 142 B -> fine
 */
export const FRAME_SIZE_FACTOR = 2;

export const frameSize: AdvisoryRule = {
  id: 'frame_size',
  find({ snapshot, metrics, profile }) {
    const off: string[] = [];
    for (const ch of metrics.channels) {
      const planned = profile.channels.find((c) => c.channel === ch.channel)?.plannedBytes ?? 0;
      const bytes = snapshot.counters[`message_bytes:${ch.channel}`] ?? 0;
      if (planned <= 0 || ch.received === 0 || bytes === 0) continue;
      const mean = bytes / ch.received;
      if (mean * FRAME_SIZE_FACTOR < planned) off.push(`${ch.channel} mean ${mean.toFixed(0)} B, under half the planned ${planned} B`);
      else if (mean > planned * FRAME_SIZE_FACTOR) off.push(`${ch.channel} mean ${mean.toFixed(0)} B, over twice the planned ${planned} B`);
    }
    return off.length ? off.join('; ') : undefined;
  },
};
