import { histogramOf } from '../summary.js';
import { ms } from '../criteria/format.js';
import type { AdvisoryRule } from './types.js';

/**
 * `late_welcome` and `late_first_message`: the connection timeline against
 * the profile's plan (`timeline:`, each figure from the start of the
 * connect), on the p99 of the connections, as the handshake criterion reads
 * the welcome. A profile without the figure has nothing to judge.
 *   plan welcome 600 ms: upgrade p99 3 ms, welcome p99 5 ms -> nothing
 *   plan firstMessage 1100 ms: first tps p99 1620 ms -> late_first_message
 */
export const lateWelcome: AdvisoryRule = {
  id: 'late_welcome',
  find({ snapshot, profile }) {
    const plan = profile.timeline;
    const late: string[] = [];
    const upgrade = histogramOf(snapshot, 'connect_us');
    if (plan.upgradeMs !== undefined && upgrade.count > 0 && upgrade.p99 > plan.upgradeMs) late.push(`upgrade done at p99 ${ms(upgrade.p99)}, planned by ${ms(plan.upgradeMs)}`);
    const welcome = histogramOf(snapshot, 'timeline_welcome_us');
    if (plan.welcomeMs !== undefined && welcome.count > 0 && welcome.p99 > plan.welcomeMs) late.push(`welcome at p99 ${ms(welcome.p99)}, planned by ${ms(plan.welcomeMs)}`);
    return late.length ? `${late.join('; ')} (from the start of the connect, ${welcome.count || upgrade.count} connections)` : undefined;
  },
};

export const lateFirstMessage: AdvisoryRule = {
  id: 'late_first_message',
  find({ snapshot, profile }) {
    const planned = profile.timeline.firstMessageMs;
    const first = histogramOf(snapshot, 'timeline_first_us');
    if (planned === undefined || first.count === 0 || first.p99 <= planned) return undefined;
    const names = profile.channels.filter((c) => c.autoStart).map((c) => c.messageType).join(', ');
    return `first ${names} at p99 ${ms(first.p99)} from the start of the connect, planned by ${ms(planned)} (${first.count} connections)`;
  },
};
