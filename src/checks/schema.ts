import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonSchema, TargetProfile } from '../profile/index.js';

/**
 * Envelope and payload validators for every message type a profile knows,
 * compiled once by Ajv (the JSON Schema standard, not a hand-written walk).
 */
export interface MessageValidator {
  /** undefined when the message is valid, else the first problem in plain words. */
  check(message: unknown, type: string): string | undefined;
  knows(type: string): boolean;
}

const compiled = new WeakMap<TargetProfile, MessageValidator>();

/** Validators of a profile, compiled once per process (compiling blocks the event loop). */
export function compileValidators(profile: TargetProfile): MessageValidator {
  let v = compiled.get(profile);
  if (!v) {
    v = compile(profile);
    compiled.set(profile, v);
  }
  return v;
}

function compile(profile: TargetProfile): MessageValidator {
  const ajv = new Ajv({ allErrors: false, strict: false });
  const { typeField, payloadField, timestampField } = profile.envelope;
  const envelope = (type: string, payloadSchema: JsonSchema): JsonSchema => ({
    type: 'object',
    required: [typeField, payloadField, timestampField],
    properties: {
      [typeField]: { const: type },
      [payloadField]: payloadSchema,
      // ms and µs are whole numbers; seconds carry their fraction
      [timestampField]: { type: profile.envelope.timestampUnit === 's' ? 'number' : 'integer', minimum: 0 },
    },
  });
  const validators = new Map<string, ValidateFunction>();
  for (const c of profile.channels) validators.set(c.messageType, ajv.compile(envelope(c.messageType, c.payloadSchema)));
  for (const [type, schema] of Object.entries(profile.replySchemas)) validators.set(type, ajv.compile(envelope(type, schema)));

  return {
    knows: (type) => validators.has(type),
    check(message, type) {
      const validate = validators.get(type);
      if (!validate) return `unknown message type ${JSON.stringify(type)}`;
      if (validate(message)) return undefined;
      const e = validate.errors?.[0];
      return e ? `${type}${e.instancePath || ''} ${e.message ?? 'is invalid'}` : `${type} is invalid`;
    },
  };
}
