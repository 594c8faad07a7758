import { result } from './format.js';
import type { Criterion } from './types.js';

/**
 * `unintended_disconnects`: closes and errors the harness did not cause.
 * A socket error on an open connection (ECONNRESET, EPIPE) counts as well
 * as the close after it: 1 close and 1 error observe as "1 close(s), 1
 * socket error(s)" and fail. Errors while the harness cuts or stops a
 * connection are its own doing and are not counted.
 */
export const unintendedDisconnects: Criterion = {
  id: 'unintended_disconnects',
  title: () => 'Zero unintended disconnections',
  fixed: '0',
  judge({ metrics: m }) {
    const { unintended, byCode } = m.disconnects;
    // reports written before socket errors were counted have no field
    const errors = m.disconnects.socketErrors ?? 0;
    const codes = Object.entries(byCode).map(([k, v]) => `code ${k} x${v}`).join(', ');
    const observed = errors > 0 ? `${unintended} close(s), ${errors} socket error(s)` : `${unintended}`;
    const detail = [codes, errors > 0 ? `socket errors on open connections: ${errors}` : ''].filter(Boolean).join('; ');
    return result('unintended_disconnects', unintended === 0 && errors === 0, observed, '0', detail);
  },
};
