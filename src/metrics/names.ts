/**
 * Every counter and histogram name, once. The Recorder and every reader of
 * a snapshot are typed by these tables, so a misspelt name does not compile
 * (it used to read as 0). Names are the keys of report.json's `snapshot`:
 * never rename one, add beside them.
 *
 * A family is a name with a key after a colon: `received:<channel>`,
 * `connect_error:refused`. The key is data (a channel, a close code, a
 * message type); the family is checked.
 */
export const COUNTERS = {
  clients_planned: 'clients the run (or shard) planned at its peak',
  connect_attempts: 'WebSocket opens tried, first tries and reconnects',
  connect_first_ok: 'clients whose first open succeeded',
  connect_first_failed: 'clients whose first open failed',
  connections_full: 'connections checked in full',
  connections_light: 'connections with cheap accounting only (--check-sample)',
  welcomes: 'welcome messages received',
  held: 'clients open from before the steady phase to its end, never dropped',
  stream_ms: 'client-milliseconds open in the steady phase',
  frames: 'frames received (kept as a field on the hot path)',
  bytes: 'wire bytes received (kept as a field on the hot path)',
  violations: 'violations of every kind',
  disconnects_unintended: 'closes the harness did not cause',
  socket_errors: 'socket errors on an open connection the harness did not cause',
  reconnected: 'opens after a loss the harness did not cause',
  reconnect_gave_up: 'clients that used up the reconnect policy',
  cut_rounds_planned: 'chaos rounds planned',
  cut_reopened: 'cut connections opened again',
  cut_back: 'cut connections streaming again',
  cut_away_ms: 'client-milliseconds away after a harness cut, in the steady phase',
  cut_missed: 'messages due while away after a harness cut',
  churn_planned: 'churn closes planned (--churn)',
  churn_closes: 'connections the harness closed for churn',
  churn_skipped: 'planned churn closes not made (the client was not open and streaming)',
  churn_reopened: 'connections opened again at once after a churn close',
  churn_reopen_failed: 'reopens after a churn close that failed',
  churn_away_ms: 'client-milliseconds from a churn close to the reopen, in the steady phase',
  churn_missed: 'channel messages stamped while a churned client had no socket (not loss; cadence.ts churnGap)',
  stopped_early: 'slices that ended the run early: every first open failed, the same way (engine/first-attempts.ts)',
  sim_ticks_skipped: 'ticks the embedded simulator skipped (overloaded)',
  heartbeats: 'keepalive comment lines received (SSE `: ...`)',
  heartbeats_steady: 'keepalive comment lines received in the steady phase (with stream_ms, their rate per connection)',
  resume_lost: 'ticks lost across resumes (SSE Last-Event-ID): a part of lost, the resume_gap violations in ticks',
  resumed: 'connections opened asking the server to resume (SSE Last-Event-ID)',
} as const;

/** Counter families; the key after the colon is data. */
export const COUNTER_FAMILIES = {
  connect_error: 'failed opens by kind (refused, timeout, tls, http_401, ...)',
  disconnect_code: 'unintended closes by close code',
  cuts: 'harness cuts by mode (abrupt, close)',
  violation: 'violations by kind (see VIOLATIONS)',
  finding: 'violations by finding, one root cause within a kind: `<kind> <message type> <field>` (the first example of each is in the samples)',
  messages: 'frames by message type (summed from the series at snapshot)',
  received: 'channel messages received, by channel',
  expected: 'channel messages expected, by channel',
  lost: 'channel messages lost, by channel',
  duplicates: 'channel messages received twice, by channel',
  silent: 'channel streams that never delivered, by channel',
  cadence_streams: 'channel streams judged for cadence, by channel',
  cadence_off: 'channel streams off cadence, by channel',
  cadence_stall_gaps: 'off-cadence gaps read during the harness\'s own event-loop stalls, not judged (checks/cadence.ts stallCouldExplain), by channel',
  gap_count: 'gaps between messages, by channel',
  gap_sum_ms: 'sum of those gaps in ms, by channel',
  message_bytes: 'bytes of the received messages (their text, no frame header), by channel',
} as const;

/** Histograms: times in µs, rates in B/s (see histogram.ts). */
export const HISTOGRAMS = {
  connect_us: 'TCP + upgrade time',
  welcome_us: 'open -> welcome',
  timeline_welcome_us: 'connect start -> welcome',
  timeline_first_us: 'connect start -> first message of a self-starting channel',
  latency_us: 'one-way latency, clock offset corrected',
  bandwidth_Bps: 'wire bytes per second per connection over the steady phase',
  reconnect_open_us: 'loss -> open again',
  reconnect_first_message_us: 'loss -> first channel message',
  cut_reopen_us: 'harness cut -> open again',
  cut_first_message_us: 'harness cut -> first channel message',
  churn_reopen_us: 'churn close -> open again',
  drain_us: 'end of the steady phase -> every tick in or given up',
} as const;

export const HISTOGRAM_FAMILIES = {
  gap_us: 'gaps between messages, by channel',
  first_us: 'subscribe or open -> first message, by channel',
} as const;

/** Violation kinds a sample (and `violation:<kind>`) carries. */
export const VIOLATIONS = {
  binary_frame: 'a binary frame',
  invalid_utf8: 'a text frame that is not UTF-8',
  invalid_json: 'a frame that is not JSON',
  schema: 'envelope or payload against the profile schema',
  welcome_not_first: 'the first message was not the welcome',
  timestamp_implausible: 'timestamp far from the client clock',
  channel_silent: 'a subscribed channel never delivered',
  oversized_frame: 'a frame above --max-frame',
  protocol_error: 'the target broke the WebSocket protocol',
  timestamp_went_back: 'a timestamp earlier than the one before',
  value_went_back: 'a rising value fell',
  value_stuck: 'a rising value did not move',
  tick_mismatch: 'clients saw different values for one tick',
  values_per_client: 'one tick carried per-client values',
  invariant_broken: 'a message broke one of the profile\'s invariants',
  duplicate: 'a message received twice',
  lost: 'messages missing on a channel',
  cadence: 'a channel stream off cadence',
  connect_failed: 'an open failed',
  socket_error: 'a socket error on an open connection',
  disconnect: 'a close the harness did not cause',
  reconnect_gave_up: 'the reconnect policy was used up',
  cut_not_back: 'a cut connection not streaming again by the end',
  event_type_mismatch: 'an SSE event: field that disagrees with the envelope type',
  resume_gap: 'ticks a resumed stream (SSE Last-Event-ID) never sent',
} as const;

export type CounterName = keyof typeof COUNTERS;
export type CounterFamily = keyof typeof COUNTER_FAMILIES;
export type CounterKey = CounterName | `${CounterFamily}:${string}`;
export type HistogramName = keyof typeof HISTOGRAMS;
export type HistogramFamily = keyof typeof HISTOGRAM_FAMILIES;
export type HistogramKey = HistogramName | `${HistogramFamily}:${string}`;
export type ViolationKind = keyof typeof VIOLATIONS;

/** A snapshot's counters: absent is 0. */
export type Counters = Partial<Record<CounterKey, number>>;
/** A snapshot's encoded histograms. */
export type EncodedHistograms = Partial<Record<HistogramKey, string>>;

/** The keys of one counter family and their values, the family prefix cut off. */
export function familyOf(counters: Counters, family: CounterFamily): Record<string, number> {
  const prefix = `${family}:`;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counters)) if (k.startsWith(prefix) && v !== undefined) out[k.slice(prefix.length)] = v;
  return out;
}
