import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What a push got back. */
export interface PostAnswer {
  status: number;
  /** The body, when the status is not 2xx (for the one-line error); empty otherwise. */
  text: string;
}

/**
 * POSTs to one endpoint, once a second, over a kept-alive connection:
 * node:http rather than fetch, which costs about a millisecond of CPU a
 * request more (undici's streams and abort plumbing), and an export's
 * share of the run must stay a few milliseconds a second.
 */
export class Poster {
  private readonly url: URL;
  private readonly agent: HttpAgent;

  constructor(url: string) {
    this.url = new URL(url);
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  }

  post(headers: Readonly<Record<string, string>>, body: Uint8Array, timeoutMs: number): Promise<PostAnswer> {
    const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(this.url, { method: 'POST', agent: this.agent, headers: { ...headers, 'content-length': String(body.byteLength) } }, (res: IncomingMessage) => {
        const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
        let text = '';
        if (ok) res.resume();
        else res.setEncoding('utf8').on('data', (d: string) => (text = (text + d).slice(0, 1000)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
