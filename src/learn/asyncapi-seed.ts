import { readInput } from '../read-input.js';
import { readAsyncApi } from '../profile/asyncapi.js';
import type { JsonSchema } from '../profile/index.js';
import type { LearnHints } from './infer.js';
import { LearnFailure } from './infer.js';

/**
 * `learn --asyncapi <file>`: what the document already says (channel
 * names, message names, payload schemas, the path) is taken from it; the
 * envelope, cadences, rising and shared fields are still watched.
 */
export async function seedFromAsyncApi(file: string): Promise<Partial<LearnHints>> {
  const read = await readAsyncApi(readInput(file, '--asyncapi'));
  if (read.channels.length === 0) throw new LearnFailure(`${file}: ${read.problems[0] ?? 'no channel with a message'}`);
  const channels = new Map<string, { name: string; payload?: JsonSchema }>();
  for (const c of read.channels) channels.set(c.type, { name: c.name, ...(c.payload ? { payload: c.payload } : {}) });
  return { channels };
}
