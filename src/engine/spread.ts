/**
 * Spreading clients over several loopback destination addresses. One
 * (source, destination address, port) tuple has about 28,000 ephemeral
 * ports, and connects slow sharply past ~14,000 to one address:port;
 * 127.0.0.1, 127.0.0.2, ... all reach loopback, so a target listening on
 * several of them takes many more clients. Pure.
 *   20,000 clients -> 2 addresses; ws://127.0.0.1:9003/x, 2 -> ws://127.0.0.1:9003/x, ws://127.0.0.2:9003/x
 */
export const CLIENTS_PER_ADDRESS = 10_000;

export function defaultSpread(clients: number): number {
  return Math.max(1, Math.min(254, Math.ceil(clients / CLIENTS_PER_ADDRESS)));
}

export function loopbackHosts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
}

/** The URL on n loopback addresses; a target not on 127.x.x.x cannot be spread and stays one URL. */
export function spreadUrls(url: string, n: number): string[] {
  if (n <= 1) return [url];
  const u = new URL(url);
  if (!/^127\.\d+\.\d+\.\d+$/.test(u.hostname)) return [url];
  return loopbackHosts(n).map((host) => {
    const v = new URL(url);
    v.hostname = host;
    return v.toString();
  });
}

/**
 * Whether client i runs every check under a sample share: spread evenly, so
 * any prefix of the clients holds about that share.
 *   share 0.25: clients 3, 7, 11, ... are checked in full
 */
export function isSampled(index: number, share: number): boolean {
  if (share >= 1) return true;
  return Math.floor((index + 1) * share) > Math.floor(index * share);
}
