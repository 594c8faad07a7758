import { OPTIONS } from './options.js';

/**
 * JSON Schema of a scenario file: the shape (keys, types, ranges), made
 * from the option table, one property per scenario key (`simulator.seed`
 * nests). What a schema cannot say (a time that parses, a channel the
 * profile knows, a threshold line) is each option's parser, in
 * semantics.ts. Unknown keys are errors everywhere, so a typo never
 * silently falls back to a default.
 */
type Node = { type: 'object'; properties: Record<string, unknown>; additionalProperties: false };
const strict = (): Node => ({ type: 'object', properties: {}, additionalProperties: false });

function build(): Node {
  const root = strict();
  root.properties.$schema = { type: 'string' };
  for (const o of OPTIONS) {
    if (!o.key) continue;
    const path = o.key.split('.');
    let node = root;
    for (const seg of path.slice(0, -1)) node = (node.properties[seg] ??= strict()) as Node;
    node.properties[path[path.length - 1]] = o.kind.schema;
  }
  return root;
}

export const SCENARIO_SCHEMA = build();

export { allowedKeys } from '../source/yaml-doc.js';
