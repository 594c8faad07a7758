/**
 * V8 flags of every process that handles many sockets: the harness's worker
 * processes, the simulator's workers, and the embedded simulator. Every
 * frame received or written leaves short-lived garbage (ws buffers, event
 * arguments, write requests); a 64 MB young generation (Node 20's default
 * is 16 MB) scavenges a quarter as often, and most of it is dead by then:
 * bench/harness.js measured 20-25 % less CPU per message, for the bare ws
 * client too. Flags of heap size are read at process start, so they go on
 * the command line of a spawned process, not into a running one.
 */
export const BUSY_PROCESS_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=64'];
