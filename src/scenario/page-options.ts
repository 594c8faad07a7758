import { didYouMean } from '../source/suggest.js';
import { list, type Kind } from './option-kinds.js';
import { secretUrl } from './option-parsers.js';

/** The kinds of the browser phase's options (--page, --browser). */

/** `--page` alone (the embedded simulator's dashboard), `--page <http(s) URL>`; `page: true` or a URL in a file. */
export const pageUrl: Kind<string | true> = {
  schema: { type: ['string', 'boolean'], description: 'an http(s):// URL, or true for the embedded simulator\'s dashboard' },
  check: (v) => (v === true ? undefined : secretUrl(['http:', 'https:']).check?.(v)),
  parse(value, at, ctx) {
    if (value === true) return true;
    if (value === false) return undefined;
    return secretUrl(['http:', 'https:']).parse(value, at, ctx);
  },
};

const BROWSER_WORDS = ['chromium', 'firefox'];

/** `chromium,firefox` or paths to browsers; a word that is neither is refused here, a missing browser when the run starts. */
export const browserList: Kind<string[]> = {
  schema: list().schema,
  check: (v) => {
    const bad = v.find((b) => !BROWSER_WORDS.includes(b) && !/[/\\]/.test(b));
    return v.length === 0 ? 'must name a browser' : bad !== undefined ? `has ${JSON.stringify(bad)}: not chromium, firefox or a path to a browser${didYouMean(bad, BROWSER_WORDS)}` : undefined;
  },
  parse(value, at, ctx) {
    const v = list().parse(value, at, ctx);
    if (v === undefined) return undefined;
    const why = browserList.check!(v);
    return why ? void at.problem(`${at.name} ${why}`) : v;
  },
};
