import type { ChannelDataFactory, Noise } from './channel-data.js';

/**
 * What the Aurigraph V11 channels say, tick by tick. Values are bands drawn
 * from `protocol.md` (TPS 776k-826k, latency 40-60 ms) and shaped so that
 * related figures agree: the peak is the running maximum and the average the
 * running mean of the TPS actually sent, a block's transaction count follows
 * the TPS band, active + inactive + jailed validators add up.
 */

const TPS_MID = 801_000;
const TPS_WANDER = 20_000; // slow drift either side of the middle
const TPS_JITTER = 5_000; // tick-to-tick noise; wander + jitter stays in 776k-826k
const KNOT_TICKS = 16; // the slow drift changes direction every ~16 ticks
const TOTAL_NODES = 127;
const TOTAL_VALIDATORS = 121;
/** Blocks are counted from 2024-01-01, so heights look like a young chain's. */
const GENESIS_MS = Date.UTC(2024, 0, 1);

/** Value noise: a smooth curve through random knots (cosine-eased). */
function smooth(noise: Noise, stream: number, index: number): number {
  const k = Math.floor(index / KNOT_TICKS);
  const t = (index - k * KNOT_TICKS) / KNOT_TICKS;
  const ease = (1 - Math.cos(Math.PI * t)) / 2;
  return noise(stream, k) * (1 - ease) + noise(stream, k + 1) * ease;
}

function between(lo: number, hi: number, u: number): number {
  return lo + Math.floor(u * (hi - lo + 1));
}

const tps: ChannelDataFactory = ({ noise, originOf }) => {
  // The running peak walks every tick of the day once: keep the last knot
  // pair of the wander curve rather than hash it again for each of 16 ticks.
  let knot = NaN;
  let from = 0;
  let to = 0;
  const wander = (i: number): number => {
    const k = Math.floor(i / KNOT_TICKS);
    if (k !== knot) {
      knot = k;
      from = noise(0, k);
      to = noise(0, k + 1);
    }
    const ease = (1 - Math.cos((Math.PI * (i - k * KNOT_TICKS)) / KNOT_TICKS)) / 2;
    return from * (1 - ease) + to * ease;
  };
  const currentAt = (i: number): number =>
    Math.round(TPS_MID + TPS_WANDER * (2 * wander(i) - 1) + TPS_JITTER * (2 * noise(1, i) - 1));
  // Running peak and mean since the origin, extended one tick at a time.
  let origin = NaN;
  let upTo = NaN;
  let peak = 0;
  let sum = 0;
  return {
    payloadAt(index) {
      const o = originOf(index);
      if (o !== origin || !(index >= upTo)) {
        origin = o;
        upTo = o - 1;
        peak = 0;
        sum = 0;
      }
      for (let j = upTo + 1; j <= index; j++) {
        const c = currentAt(j);
        if (c > peak) peak = c;
        sum += c;
      }
      upTo = index;
      return {
        currentTPS: currentAt(index),
        peakTPS: peak,
        averageTPS: Math.round(sum / (index - origin + 1)),
        latency: between(40, 60, 0.7 * smooth(noise, 2, index) + 0.3 * noise(3, index)),
      };
    },
  };
};

const block: ChannelDataFactory = ({ channel, noise }) => {
  const genesis = Math.floor(GENESIS_MS / channel.intervalMs);
  return {
    payloadAt(index) {
      const blockTime = Math.round(channel.intervalMs * (0.95 + 0.1 * noise(0, index)));
      const tpsNow = TPS_MID + TPS_WANDER * (2 * noise(1, index) - 1);
      return {
        blockHeight: Math.max(0, index - genesis),
        blockTime,
        transactions: Math.round((tpsNow * blockTime) / 1000),
        producer: `validator-${String(between(1, TOTAL_VALIDATORS, noise(2, index))).padStart(3, '0')}`,
      };
    },
  };
};

const network: ChannelDataFactory = ({ noise }) => ({
  payloadAt(index) {
    // Mostly every node up; now and then a few down (cubing skews towards 0).
    const down = Math.floor(noise(0, index) ** 3 * 8);
    const activeNodes = TOTAL_NODES - down;
    return {
      activeNodes,
      totalNodes: TOTAL_NODES,
      networkHealth: activeNodes / TOTAL_NODES >= 0.95 ? 'healthy' : 'degraded',
      avgLatency: between(40, 60, 0.7 * smooth(noise, 1, index) + 0.3 * noise(2, index)),
    };
  },
});

const validators: ChannelDataFactory = ({ noise }) => ({
  payloadAt(index) {
    const jailedValidators = Math.floor(noise(0, index) ** 4 * 3);
    const inactiveValidators = Math.floor(noise(1, index) * 5);
    return {
      totalValidators: TOTAL_VALIDATORS,
      activeValidators: TOTAL_VALIDATORS - jailedValidators - inactiveValidators,
      inactiveValidators,
      jailedValidators,
    };
  },
});

/** Keyed by the profile's channel names; the simulator core never names a channel. */
export const aurigraphV11Data: Readonly<Record<string, ChannelDataFactory>> = {
  tps_updates: tps,
  block_updates: block,
  network_status: network,
  validator_metrics: validators,
};
