import { createServer, type Server, type Socket } from 'node:net';
import { harnessError, usageError, type BenchError } from '../errors.js';

/**
 * The simulator's listening sockets: one TCP listener per address, all on the
 * same port, each handing its accepted sockets to one sink (the HTTP server
 * of this process; a cluster passes the listening sockets to its workers). Why several: above ~14,000
 * connections to one address:port a client machine runs short of ephemeral
 * ports for that destination and connects slow sharply; 127.0.0.1, 127.0.0.2,
 * ... all reach loopback, so clients spread over them keep the ramp on time.
 *
 * Port 0 means "any free port": the first address gets one from the kernel
 * and the others ask for that same port. If another program holds it on a
 * later address, every listener is closed and the whole set tried again on a
 * fresh port, up to PORT_TRIES times, then it fails naming the address.
 * Example: hosts 127.0.0.1,127.0.0.2, port 0 -> 127.0.0.1:41179 from the
 * kernel, then 127.0.0.2:41179.
 */

const PORT_TRIES = 5;

/**
 * Connections accepted by the kernel and not yet by the process: a burst of
 * connects while a tick's writes hold the event loop waits here instead of
 * being dropped (a dropped SYN is retried after 1 s, 3 s, ...). Capped by
 * net.core.somaxconn (4096 on these machines).
 */
export const BACKLOG = 4096;

export interface ListenerOptions {
  readonly hosts: readonly string[];
  readonly port: number;
}

function listenOne(host: string, port: number, sink: (socket: Socket) => void): Promise<Server> {
  const server = createServer(sink);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: BACKLOG }, () => {
      server.removeListener('error', reject);
      // Later errors are accept() failures such as EMFILE under a flood of
      // connections: transient, and no reason to stop serving the rest.
      server.on('error', () => {});
      resolve(server);
    });
  });
}

function closeAll(servers: readonly Server[]): Promise<void> {
  return Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => undefined);
}

/**
 * Why an address would not listen, when the address itself is the mistake:
 * a name that does not resolve, or an address this machine does not have.
 * Those are bad configuration (exit 2); anything else, such as a port
 * another program holds (EADDRINUSE), is the harness unable to run (exit 3).
 */
const BAD_ADDRESS: Readonly<Record<string, string>> = {
  ENOTFOUND: 'no such host name',
  EADDRNOTAVAIL: 'not an address of this machine',
  EAFNOSUPPORT: 'an address family this machine does not support',
};

/** One address that would not listen, and why (an errno such as EADDRINUSE). */
class ListenFailure extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly errno: string,
    readonly original: unknown,
  ) {
    const why = BAD_ADDRESS[errno];
    super(`cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}: ${errno}${why ? ` (${why})` : ''}`);
  }

  /** LSB_USAGE when the address given is wrong, LSB_HARNESS otherwise. */
  toBenchError(): BenchError {
    return BAD_ADDRESS[this.errno] ? usageError(this.message) : harnessError(this.message, this.original);
  }
}

export class Listeners {
  private listening: Server[] = [];
  private boundPort = 0;

  constructor(
    private readonly options: ListenerOptions,
    private readonly sink: (socket: Socket) => void,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  /** Listens on every address; resolves with the port they share. Fails with LSB_USAGE for an address that is wrong, else LSB_HARNESS. */
  async open(): Promise<number> {
    const { hosts, port } = this.options;
    let clash: ListenFailure | undefined;
    for (let attempt = 0; attempt < (port === 0 ? PORT_TRIES : 1); attempt++) {
      const opened: Server[] = [];
      try {
        let shared = port;
        for (const host of hosts) {
          const server = await this.listenOn(host, shared);
          opened.push(server);
          shared = (server.address() as { port: number }).port;
        }
        this.listening = opened;
        this.boundPort = shared;
        return shared;
      } catch (err) {
        await closeAll(opened);
        if (!(err instanceof ListenFailure)) throw err;
        // Only a later address clashing on the port the first one got is worth another try.
        if (!(port === 0 && opened.length > 0 && err.errno === 'EADDRINUSE')) throw err.toBenchError();
        clash = err;
      }
    }
    throw harnessError(
      `${clash?.message ?? 'cannot listen'}: the port the first address got was taken there on each of ${PORT_TRIES} tries; ` +
        'give --port explicitly or drop that address',
      clash?.original,
    );
  }

  /** The listening servers, to pass to other processes (cluster.ts). */
  servers(): readonly Server[] {
    return this.listening;
  }

  /** Stops accepting; sockets already handed over are the sink's to close. */
  close(): Promise<void> {
    const servers = this.listening;
    this.listening = [];
    return closeAll(servers);
  }

  private async listenOn(host: string, port: number): Promise<Server> {
    try {
      return await listenOne(host, port, this.sink);
    } catch (err) {
      throw new ListenFailure(host, port, (err as NodeJS.ErrnoException).code ?? String(err), err);
    }
  }
}
