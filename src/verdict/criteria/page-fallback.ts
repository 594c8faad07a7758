import { perBrowser } from './page-criterion.js';
import { judgePageFallback, POLL_GAP_MS } from './page-figures.js';
import type { Criterion } from './types.js';

/** `page_fallback`: with the stream refused to the page, it polls its REST fallback at least every 2 s. */
export const pageFallback: Criterion = {
  id: 'page_fallback',
  title: () => 'Fallback to polling works (from the page)',
  fixed: `a poll at least every ${POLL_GAP_MS / 1000} s once the socket has failed`,
  judge: (input) => perBrowser('page_fallback', input, `a poll at least every ${POLL_GAP_MS / 1000} s once the socket has failed`, judgePageFallback),
};
