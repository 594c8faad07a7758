import { BASELINE_METRIC_IDS } from './tolerances.js';
import { REPORT_FORMATS } from '../reporters/format-names.js';
import { CHAOS_MODES } from './stages.js';

/**
 * JSON Schema of a scenario file: the shape (keys, types, ranges). What a
 * schema cannot say (a time that parses, a channel the profile knows, a
 * threshold line) is checked after it, in file.ts. Unknown keys are errors
 * everywhere, so a typo never silently falls back to a default.
 */
const time = { type: ['string', 'number'], description: 'a time such as 30s, 5m, 250ms; a bare number is seconds' };
const share = { type: ['string', 'number'], description: 'a share such as 10% (or a number 0..1)' };
const strict = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, additionalProperties: false, ...extra });

export const SCENARIO_SCHEMA = strict({
  $schema: { type: 'string' },
  description: { type: 'string' },
  target: { type: 'string', minLength: 1 },
  profile: { type: 'string', minLength: 1 },
  clients: { type: 'integer', minimum: 1 },
  duration: time,
  ramp: time,
  stages: {
    type: 'array',
    minItems: 1,
    items: strict({ duration: time, clients: { type: 'integer', minimum: 0 } }, { required: ['duration', 'clients'] }),
  },
  channels: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  headers: { type: 'object', additionalProperties: { type: 'string' } },
  insecure: { type: 'boolean' },
  connectTimeout: time,
  reconnect: {
    type: ['string', 'object'],
    properties: {
      initial: time,
      factor: { type: 'number', minimum: 1 },
      cap: time,
      attempts: { type: 'integer', minimum: 0 },
      jitter: { type: 'number', minimum: 0, maximum: 1 },
    },
    required: ['initial', 'factor', 'cap', 'attempts'],
    additionalProperties: false,
  },
  minClients: { type: 'integer', minimum: 1 },
  fallbackUrl: { type: 'string', minLength: 1 },
  serverPid: { type: 'integer', minimum: 1 },
  metricsUrl: { type: 'string', minLength: 1 },
  out: { type: 'string', minLength: 1 },
  formats: { type: 'array', items: { enum: [...REPORT_FORMATS] }, uniqueItems: true, minItems: 1 },
  simulator: strict({ faults: { type: 'array', items: { type: 'string' } }, seed: { type: 'integer', minimum: 0 } }),
  // keyed by criterion id; the verdict's checks know the ids and read the lines (file.ts)
  thresholds: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
  chaos: strict({ cut: share, mode: { enum: [...CHAOS_MODES] }, at: time, every: time }, { required: ['cut'] }),
  baseline: strict({
    compare: { type: 'string', minLength: 1 },
    save: { type: 'string', minLength: 1 },
    tolerances: strict(Object.fromEntries(BASELINE_METRIC_IDS.map((id) => [id, { type: ['string', 'number'] }]))),
  }),
});

/** Keys each object of the schema allows, by JSON pointer of the object, for did-you-mean. */
export function allowedKeys(schema: unknown, pointer: string): string[] {
  let node = schema as Record<string, unknown> | undefined;
  for (const seg of pointer.split('/').filter(Boolean)) {
    if (!node) return [];
    const props = node.properties as Record<string, unknown> | undefined;
    if (/^\d+$/.test(seg) && node.items) node = node.items as Record<string, unknown>;
    else node = props?.[seg] as Record<string, unknown> | undefined;
  }
  return Object.keys((node?.properties as Record<string, unknown> | undefined) ?? {});
}
