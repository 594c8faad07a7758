import { perBrowser } from './page-criterion.js';
import { judgePageLoad, PAGE_STREAMING_MS } from './page-figures.js';
import type { Criterion } from './types.js';

/** `page_load`: every browser loads the page, no uncaught error, streaming from the target within 10 s. */
export const pageLoad: Criterion = {
  id: 'page_load',
  title: () => 'Frontend startup',
  fixed: `streaming within ${PAGE_STREAMING_MS / 1000} s, 0 page errors`,
  judge: (input) => perBrowser('page_load', input, `streaming within ${PAGE_STREAMING_MS / 1000} s, 0 page errors`, judgePageLoad),
};
