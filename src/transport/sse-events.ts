import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { StreamEvents } from './types.js';

/** Bytes of `data: ` and the two newlines around an event's data line. */
const DATA_FRAMING = 8;

/** What a stream's events set for the next connection of its session: the resume point and the delay. */
export interface ResumeState {
  lastEventId: string | undefined;
  retryMs: number | undefined;
}

/**
 * The events of one SSE response, parsed by eventsource-parser from the
 * text the socket delivers and handed to the connection's owner: each
 * event's `data:` is one message, `id:` the session's resume point,
 * `retry:` its delay, a comment line a keepalive. Apart from the socket so
 * that the receive path can be driven without one (bench/hot-path.js).
 */
export class EventFeed {
  /** A violation ends the connection: nothing more is parsed. */
  closing = false;
  private readonly parser: EventSourceParser;

  constructor(
    private readonly events: StreamEvents,
    private readonly session: ResumeState,
    private readonly maxBytes: number,
    /** An event over the cap: the connection is ended for it. */
    private readonly tooBig: () => void,
  ) {
    this.parser = createParser({
      // bounds what a line or an event that never ends can hold; one that ends within a chunk is measured below
      maxBufferSize: maxBytes,
      onEvent: (e) => {
        if (this.closing) return;
        if (e.data.length > this.maxBytes) {
          this.closing = true;
          return this.tooBig();
        }
        if (e.id !== undefined) this.session.lastEventId = e.id;
        const framing = DATA_FRAMING + (e.id !== undefined ? e.id.length + 5 : 0) + (e.event !== undefined ? e.event.length + 8 : 0);
        this.events.onMessage(e.data, false, e.data.length + framing, e.event);
      },
      onRetry: (ms) => {
        this.session.retryMs = ms;
      },
      onComment: (text) => this.events.onKeepalive?.(text.length + 3),
      onError: (err) => {
        if (err.type !== 'max-buffer-size-exceeded' || this.closing) return;
        this.closing = true;
        this.tooBig();
      },
    });
  }

  feed(chunk: string): void {
    if (!this.closing) this.parser.feed(chunk);
  }
}
