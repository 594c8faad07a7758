import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extname, join } from 'node:path';
import { usageError } from '../errors.js';
import { readInput } from '../read-input.js';
import { parseProfile, profileFromDocument, profileProblemsText } from './load.js';
import type { ProfileDocument } from './document.js';
import { isAsyncApiText } from './asyncapi.js';
import type { ChannelSpec, TargetProfile, TimestampUnit } from './types.js';

export type { ChannelSpec, ControlMessages, EnvelopeSpec, JsonSchema, ReplyTypes, TargetProfile, Timeline, TimestampUnit } from './types.js';
export type { ChannelDocument, ProfileDocument } from './document.js';
export type { Invariant } from './invariant.js';
export { invariantValues } from './invariant.js';
export { parseProfile, profileFromDocument, profileProblemsText } from './load.js';
export { isAsyncApiText } from './asyncapi.js';

/**
 * Built-in profiles are YAML files shipped in the package's `profiles/`
 * folder (beside `dist/` and `src/`), read like any user's file: a profile
 * is data, never code.
 */
const BUILTIN_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

/** The built-in a run uses without `--profile`: named in the profiles folder, not in code. */
export const DEFAULT_PROFILE = readFileSync(join(BUILTIN_DIR, 'default'), 'utf8').trim();

export function profileNames(): string[] {
  return readdirSync(BUILTIN_DIR)
    .filter((f) => extname(f) === '.yaml')
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Profiles this process knows, by the reference the user gave (a name or a file path). */
const known = new Map<string, TargetProfile>();

/**
 * The profile a `--profile` reference names: a built-in by name (undefined
 * when there is none), or a file, read and checked once per process (a bad
 * one throws the usage error listing its problems). A process that was
 * handed the document by value (a worker, the embedded simulator) adopts it
 * first, so it never reads the file itself.
 */
export function findProfile(ref: string): TargetProfile | undefined {
  const seen = known.get(ref);
  if (seen) return seen;
  if (isProfileFile(ref)) {
    const p = loadProfile(ref);
    known.set(ref, p);
    return p;
  }
  return findBuiltin(ref);
}

/**
 * The environment variable a parent process hands a profile document to a
 * child it spawns (the embedded simulator), as JSON: by value, so the child
 * serves exactly what the parent checked.
 */
export const PROFILE_DOCUMENT_ENV = 'LSB_PROFILE_DOCUMENT';

/** Makes `ref` name the profile built from this document, in this process. */
export function adoptProfile(ref: string, doc: ProfileDocument): TargetProfile {
  const p = profileOf(doc);
  known.set(ref, p);
  return p;
}

function findBuiltin(name: string): TargetProfile | undefined {
  let p = known.get(name);
  if (p) return p;
  if (!profileNames().includes(name)) return undefined;
  const file = join(BUILTIN_DIR, `${name}.yaml`);
  const parsed = parseProfile(readFileSync(file, 'utf8'));
  // a shipped profile that does not parse is a bug in the package, not bad usage
  if (!parsed.profile) throw new Error(profileProblemsText(file, parsed.problems));
  p = parsed.profile;
  known.set(name, p);
  return p;
}

/** The default profile. */
export function defaultProfile(): TargetProfile {
  return findBuiltin(DEFAULT_PROFILE)!;
}

/** A profile file looks like a path; anything else is a built-in's name. */
export function isProfileFile(ref: string): boolean {
  return /[/\\]/.test(ref) || /\.(ya?ml|json)$/i.test(ref);
}

/**
 * `--profile <name|file>`: a built-in by name, or a YAML/JSON file. Every
 * problem of a file is listed at its position in one usage error (exit 2).
 */
export function loadProfile(ref: string): TargetProfile {
  const seen = known.get(ref);
  if (seen) return seen;
  if (!isProfileFile(ref)) {
    const p = findBuiltin(ref);
    if (p) return p;
    throw usageError(`unknown profile "${ref}": give a file (YAML or JSON) or one of ${profileNames().join(', ')}`);
  }
  const parsed = parseProfile(readInput(ref, 'profile'));
  if (!parsed.profile) throw usageError(profileProblemsText(ref, parsed.problems));
  return parsed.profile;
}

/**
 * Makes `ref` loadable by the synchronous lookups above when it is an
 * AsyncAPI file: the parser is asynchronous, so the CLI calls this at its
 * boundary (run, serve, validate) and the document, once converted and
 * checked as any profile, is adopted under `ref`. Any other reference is
 * left to findProfile and loadProfile as before.
 */
export async function prepareProfile(ref: string, label = 'profile'): Promise<void> {
  if (known.has(ref) || !isProfileFile(ref)) return;
  // the label names what the user typed ("--profile x.yaml: no such file")
  const text = readInput(ref, label);
  if (!isAsyncApiText(text)) return;
  const { readAsyncApi, profileFromAsyncApi } = await import('./asyncapi.js');
  const read = profileFromAsyncApi(await readAsyncApi(text));
  if (!read.document) throw usageError(`profile ${ref} (AsyncAPI) has ${read.problems.length} problem(s):\n${read.problems.map((p) => `${ref}: ${p}`).join('\n')}`);
  const parsed = parseProfile(JSON.stringify(read.document));
  if (!parsed.profile) throw usageError(profileProblemsText(`${ref} (as a profile)`, parsed.problems));
  known.set(ref, parsed.profile);
}

/** Built again from a document another process checked, cached per document object. */
const fromDocuments = new WeakMap<ProfileDocument, TargetProfile>();
export function profileOf(doc: ProfileDocument): TargetProfile {
  let p = fromDocuments.get(doc);
  if (!p) {
    p = profileFromDocument(doc);
    fromDocuments.set(doc, p);
  }
  return p;
}

const UNIT_MS: Record<TimestampUnit, number> = { ms: 1, s: 1000, us: 0.001 };

/** A timestamp in the profile's unit, in epoch ms. */
export function timestampMs(profile: TargetProfile, value: number): number {
  return value * UNIT_MS[profile.envelope.timestampUnit];
}

/** Epoch ms in the profile's timestamp unit (integers for ms; as sent, for s and us). */
export function timestampIn(profile: TargetProfile, ms: number): number {
  const unit = profile.envelope.timestampUnit;
  return unit === 'ms' ? Math.round(ms) : unit === 'us' ? Math.round(ms * 1000) : ms / 1000;
}

export function channelByName(profile: TargetProfile, channel: string): ChannelSpec | undefined {
  return profile.channels.find((c) => c.channel === channel);
}

export function channelByType(profile: TargetProfile, messageType: string): ChannelSpec | undefined {
  return profile.channels.find((c) => c.messageType === messageType);
}
