import { list } from './observed.js';

/**
 * Channels chosen in the URL (a Server-Sent Events stream has no client
 * messages: `GET /live?lines=a,b` picks the channels). Which query
 * parameter does it, and which of its names is which message type, is
 * told by URL probes, as the send probes tell a subscribe's stream: one
 * connection with the parameter left out, one per name it lists alone.
 *   ?lines=a,b watched [ta, tb]; ?lines=a saw [ta]; ?lines=b saw [tb]
 *     -> channelsParam lines; ta named a, tb named b
 *   ?lines=a watched [ta]; without lines saw [ta, tb] -> lines; ta named a
 * A type every choice brings streams by itself (autoStart). Pure: the
 * choices come from the URL, the types each probe saw from the recording.
 */

/** One URL probe: `param` left out (no `value`), or set to one `value` alone. */
export interface UrlChoice {
  readonly param: string;
  readonly value?: string;
}

/** Query parameters probed, and names per parameter: bounds the extra connections. */
const MAX_PARAMS = 3;
const MAX_VALUES = 8;

const valuesOf = (text: string) => text.split(',').map((v) => v.trim()).filter(Boolean);

/** The probes a URL calls for, each with the URL it opens; none for a URL without a query. */
export function urlChoices(url: string): { choice: UrlChoice; url: string }[] {
  const base = new URL(url);
  const out: { choice: UrlChoice; url: string }[] = [];
  for (const param of [...new Set(base.searchParams.keys())].slice(0, MAX_PARAMS)) {
    const without = new URL(url);
    without.searchParams.delete(param);
    out.push({ choice: { param }, url: without.toString() });
    const values = valuesOf(base.searchParams.get(param) ?? '');
    if (values.length < 2) continue;
    for (const value of values.slice(0, MAX_VALUES)) {
      const one = new URL(url);
      one.searchParams.set(param, value);
      out.push({ choice: { param, value }, url: one.toString() });
    }
  }
  return out;
}

export interface UrlChannels {
  /** The query parameter that chooses channels; absent when none could be told. */
  readonly param?: string;
  /** Channel name by message type, for the types the URL chose. */
  readonly names: ReadonlyMap<string, string>;
  /** The evidence, for the profile's comment. */
  readonly why: string;
  /** What could not be told, for the top of the profile. */
  readonly unknown?: string;
}

/** Which parameter chooses the channels, and the name of each type, from what each probe saw. */
export function inferUrlChannels(url: string, watched: readonly string[], seen: readonly { choice: UrlChoice; types: ReadonlySet<string> }[]): UrlChannels {
  const query = new URL(url).searchParams;
  const watchedSet = new Set(watched);
  const none: UrlChannels = { names: new Map(), why: query.size ? `the query (${list([...query.keys()])}) did not change which messages came` : 'no query in the URL' };
  for (const param of new Set(query.keys())) {
    const values = valuesOf(query.get(param) ?? '');
    const mine = seen.filter((s) => s.choice.param === param);
    const without = mine.find((s) => s.choice.value === undefined)?.types;
    const alone = new Map(mine.filter((s) => s.choice.value !== undefined).map((s) => [s.choice.value!, s.types]));
    const names = new Map<string, string>();
    let ambiguous: string | undefined;
    for (const type of watched) {
      const on = values.length === 1 ? values : values.filter((v) => alone.get(v)?.has(type));
      if (values.length > 1 && on.length === values.length) continue; // every choice brings it: it streams by itself
      if (on.length === 1 && ![...names.values()].includes(on[0])) names.set(type, on[0]);
      else ambiguous ??= `${type} came with ${on.length ? list(on.map((v) => `?${param}=${v}`)) : `no single ?${param}= choice`}`;
    }
    // one name: leaving the parameter out must bring more (a refused or silent probe is no evidence: a token parameter does that)
    const chooses = values.length > 1 ? names.size > 0 || ambiguous !== undefined : without !== undefined && without.size > watchedSet.size && [...watchedSet].every((t) => without.has(t));
    if (!chooses) continue;
    const shown = `?${param}=${values.join(',')}`;
    if (ambiguous !== undefined || (values.length === 1 && names.size !== 1)) {
      return {
        names: new Map(),
        why: `channels are chosen in the URL (${shown})`,
        unknown: `channels are chosen in the URL (${shown}) but which name is which type could not be told (${ambiguous ?? `${watched.length} types came with the one name`}): sse.channelsParam is left out, so runs must keep that query in --target`,
      };
    }
    const evidence = values.length > 1
      ? `a connection to each name alone saw only its own type (${list([...names].map(([t, n]) => `${n}: ${t}`))})`
      : `without ${param} the stream sent ${list([...(without ?? [])])}`;
    return { param, names, why: `channels are chosen in the URL (${shown}): ${evidence}` };
  }
  return none;
}
