import type { Server, Socket } from 'node:net';
import { profileOf } from '../profile/index.js';
import type { WorkerStart } from './cluster.js';
import { BACKLOG } from './listeners.js';
import { resolveOptions } from './options.js';
import { Rpc } from './rpc.js';
import { Simulator, type ClusterLink } from './simulator.js';

/**
 * A worker process of a simulator cluster (cluster.ts forks it from dist/).
 * It accepts from the listening sockets the primary passes it, shared with
 * the other workers (see cluster.ts for why). It pushes its stats to the primary every STATS_PUSH_MS, and
 * stops when the primary asks, when the primary goes away (IPC disconnect),
 * or on SIGINT/SIGTERM (Ctrl-C reaches every process of the group): each way
 * its clients get a 1001 close, and the process ends when nothing is left
 * to do, without process.exit.
 */

const STATS_PUSH_MS = 500;

let sim: Simulator | undefined;
let pushTimer: NodeJS.Timeout | undefined;
let lastTicks = 0;
let stopping: Promise<void> | undefined;
const servers: Server[] = [];

function stop(): Promise<void> {
  stopping ??= (async () => {
    clearInterval(pushTimer);
    // stop taking connections first (close() stops accepting at once; its
    // callback would wait for every connection to end, so it is not awaited)
    for (const server of servers) server.close();
    await sim?.close();
  })();
  return stopping;
}

function letGo(): void {
  if (process.connected) process.disconnect();
}

function pushStats(): void {
  if (!sim) return;
  const stats = sim.stats();
  // The lags of the ticks since the last push (the ring holds the latest).
  const fresh = Math.min(stats.ticks - lastTicks, 10_000);
  lastTicks = stats.ticks;
  const lags = fresh > 0 ? sim.sendLags().slice(-fresh) : [];
  rpc.note('stats', { stats, lags });
}

function start(body: unknown): void {
  const start = body as WorkerStart;
  // Checked by the primary already: built again here from the data.
  const profile = profileOf(start.profile);
  const options = resolveOptions({ ...start.options, profile, port: 0 });
  const link: ClusterLink = {
    workerIndex: start.workerIndex,
    workers: start.workers,
    setFaults: async (specs) => {
      await rpc.request('setFaults', specs);
    },
    stats: () => rpc.request('getStats'),
    metricsText: () => rpc.request<string>('getMetrics'),
  };
  sim = new Simulator(options, link);
  sim.start();
  pushTimer = setInterval(pushStats, STATS_PUSH_MS);
  pushTimer.unref();
}

const rpc = new Rpc(process, {
  start,
  listen: (_body, handle) => {
    const server = handle as Server | undefined;
    if (!server) throw new Error('no listening socket came with "listen"');
    // a signal may have stopped this worker while the primary was still handing out sockets
    if (stopping) {
      server.close();
      return;
    }
    servers.push(server);
    // Node's handle passing listens again with its default backlog (511),
    // which connects overflowed at 45,000 clients on a saturated machine;
    // listen() on a listening socket only sets the backlog, so raise it back.
    (server as unknown as { _handle?: { listen(backlog: number): number } })._handle?.listen(BACKLOG);
    // accept() failures such as EMFILE are transient: keep serving the rest
    server.on('error', () => {});
    server.on('connection', (socket: Socket) => {
      if (sim && !stopping) sim.accept(socket);
      else socket.destroy();
    });
  },
  faults: (body) => {
    sim?.setFaults(body as string[]);
    pushStats();
  },
  metrics: () => sim?.metricsJson() ?? [],
  stop: async () => {
    await stop();
    // Answer first, then let go of the channel so the process can end.
    setImmediate(letGo);
  },
});

process.on('disconnect', () => void stop());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stop().then(letGo);
  });
}
