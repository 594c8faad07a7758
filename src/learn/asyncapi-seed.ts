import type { LearnHints } from './infer.js';
export async function seedFromAsyncApi(_file: string): Promise<Partial<LearnHints>> {
  return {};
}
