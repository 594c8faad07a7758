import type { ViolationKind } from '../../metrics/names.js';
import { listKinds, result, sampledNote } from './format.js';
import type { Criterion } from './types.js';

/** The violations that say a frame was not what the profile describes. */
export const MESSAGE_KINDS: readonly ViolationKind[] = ['binary_frame', 'invalid_utf8', 'invalid_json', 'schema', 'welcome_not_first', 'timestamp_implausible', 'channel_silent', 'oversized_frame', 'protocol_error', 'event_type_mismatch'];

/** `message_types`: every frame valid, every subscribed channel delivering; 0 violations. */
export const messageTypes: Criterion = {
  id: 'message_types',
  title: () => 'All message types received correctly',
  fixed: '0 violations',
  needsStream: true,
  judge({ metrics: m }) {
    const v = listKinds(m.violations, MESSAGE_KINDS);
    return result('message_types', v.total === 0 && m.frames > 0,
      `${v.total} violation(s) in ${m.frames} frames`, '0 violations', v.text + sampledNote(m.checked, 'schema'));
  },
};
