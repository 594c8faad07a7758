import { perBrowser } from './page-criterion.js';
import { judgeUiUpdates, UI_GAP_FACTOR } from './page-figures.js';
import type { Criterion } from './types.js';

/** `ui_updates`: the watched element's text changes at least once per 2 x the fastest channel's interval, over the steady phase. */
export const uiUpdates: Criterion = {
  id: 'ui_updates',
  title: () => 'Data flows to UI components',
  fixed: `a change at least every ${UI_GAP_FACTOR} x the fastest interval`,
  judge: (input) => {
    const interval = input.browsers?.[0]?.fastestIntervalMs;
    const threshold = interval ? `a change at least every ${(UI_GAP_FACTOR * interval) / 1000} s (${UI_GAP_FACTOR} x ${interval / 1000} s)` : `a change at least every ${UI_GAP_FACTOR} x the fastest interval`;
    return perBrowser('ui_updates', input, threshold, judgeUiUpdates);
  },
};
