/**
 * Every bad usage tried on the real bin, as data: the command line (run
 * from a folder of fixtures, see `FIXTURES`), a piece of text the one line
 * must contain (the flag or value it names, or the suggestion), and the
 * exit code. usage.test.ts runs each; docs-table.test.ts checks that
 * docs/bad-input.md lists each.
 */
export interface UsageCase {
  args: string[];
  /** Text the message must contain: what is wrong, or the closest valid name. */
  names: string;
  /** Default 2: bad usage, nothing run. */
  code?: number;
  /** validate prints each problem as file:line:col on stdout (a summary goes to stderr). */
  on?: 'stdout';
  /** Non-empty stderr lines allowed (default 1; commander's "Did you mean" takes a second). */
  maxLines?: number;
  /**
   * Spawn the real bin for this case. The others call `main(argv)` in the
   * test process: the same program and exit-code mapping the bin runs, at a
   * millisecond a case instead of a Node start each.
   */
  bin?: boolean;
}

/** Files the cases name, written into the folder they run in. */
export const FIXTURES: Record<string, string> = {
  'a-file': 'a regular file, where a folder is expected\n',
  'not-pem.txt': 'hello\n',
  'bad-cert.pem': '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
  'not-json.json': '{\n',
  'not-report.json': '{"a": 1}\n',
  'clinets.yaml': 'clinets: 10\n',
  'latnecy.yaml': 'thresholds:\n  latnecy: "p99 < 500ms"\n',
  'clients-many.yaml': 'clients: many\n',
  'duration-words.yaml': 'duration: 5 minutes\n',
  'http-target.yaml': 'target: http://example.test/stream\n',
  'sse-ftp-target.yaml': 'profile: gridwatch-sse\ntarget: ftp://example.test/live\n',
  'yaml-syntax.yaml': 'clients: [1\n',
  'a-list.yaml': '- clients: 10\n',
  'empty.yaml': '',
  'unset-env.yaml': 'target: ${LSB_HARDENING_UNSET}\n',
  'unquoted.yaml': 'thresholds:\n  uptime: >= 100%\n',
  'stage-no-duration.yaml': 'stages:\n  - clients: 5\n',
  'sim-fault.yaml': 'simulator:\n  faults: [bogus]\n',
  'literal-secret.yaml': 'target: ws://127.0.0.1:9003/api/v11/live/stream\nheaders:\n  Authorization: Bearer abc123\n',
  'two-problems.yaml': 'clients: 0\nchannels: [nope]\n',
  'bare-duration.yaml': 'duration: 300\n',
  'max-frame.yaml': 'maxFrame: 10\n',
  'cut-20.yaml': 'chaos: {cut: 20}\n',
  'latency-no-stat.yaml': 'thresholds:\n  latency: < 200ms\n',
  'uptime-bare.yaml': 'thresholds:\n  uptime: share >= 99.9\n',
};

/** A saved report (written by the test from the report fixture) and a folder. */
export const REPORT = 'report.json';
export const DIR = 'a-dir';

const run = (args: string[], names: string, extra: Partial<UsageCase> = {}): UsageCase => ({ args, names, ...extra });
const suggestion = (args: string[], names: string, extra: Partial<UsageCase> = {}): UsageCase => ({ args, names, maxLines: 2, ...extra });
const BIN = { bin: true } as const;

export const USAGE_CASES: UsageCase[] = [
  // --- unknown commands, unknown flags, missing values (commander) ---
  suggestion(['srve'], 'Did you mean serve?', BIN),
  suggestion(['valdate', 'x.yaml'], 'Did you mean validate?'),
  run(['frobnicate'], "unknown command 'frobnicate' (commands: run, serve"),
  suggestion(['help', 'srve'], 'Did you mean serve?', BIN),
  run(['run', 'extra'], 'too many arguments'),
  suggestion(['--clinets', '5'], 'Did you mean --clients?', BIN),
  suggestion(['--tagret', 'ws://127.0.0.1/x'], 'Did you mean --target?'),
  suggestion(['--insecur'], 'Did you mean --insecure?'),
  suggestion(['--no-probe'], 'Did you mean --no-probes?'),
  suggestion(['run', '--jsn'], 'Did you mean --json?'),
  run(['--clients'], "option '-c, --clients <n>' argument missing", BIN),
  run(['--insecure=yes'], "unknown option '--insecure=yes'"),
  suggestion(['serve', '--prot', '0'], 'Did you mean --port?', BIN),
  suggestion(['serve', '--tls-crt', 'x.pem'], 'Did you mean --tls-cert?'),
  suggestion(['validate', '--hepl', 'x.yaml'], 'Did you mean --help?', BIN),
  suggestion(['report', '--fromat', 'md', REPORT], 'Did you mean --format?', BIN),
  suggestion(['compare', '--tolerence', 'x', REPORT, REPORT], 'Did you mean --tolerance?', BIN),
  suggestion(['merge', '--outt', 'x', REPORT], 'Did you mean --out?', BIN),
  run(['validate'], 'validate needs a file or --profile <file>'),
  run(['report'], "missing required argument 'report'"),
  run(['compare', REPORT], "missing required argument 'current'"),
  run(['merge'], "missing required argument 'reports'"),

  // --- run: each flag with a value it cannot take ---
  run(['--target', 'garbage'], 'target "garbage" is not a URL'),
  run(['--target', 'http://example.test/stream'], 'must be a ws:// or wss:// URL (got http://)'),
  run(['--target', 'ws://'], 'target "ws://" is not a URL'),
  run(['--profile', 'gridwatch-sse', '--target', 'ftp://example.test/live'], '--target must be an http:// or https:// URL for an SSE profile (got ftp://)'),
  run(['--clients', '0'], '--clients must be a whole number >= 1', BIN),
  run(['--clients', 'many'], '--clients must be a whole number >= 1 (got "many")'),
  run(['--clients', '1.5'], '--clients must be a whole number >= 1 (got "1.5")'),
  run(['--duration', '5 minutes'], '--duration must be a time such as 30s'),
  // unquoted, the shell makes two words of it: name the flag and the stray word, not "too many arguments"
  run(['--duration', '5', 'minutes'], '--duration takes one value, such as 5m; "minutes" is extra', BIN),
  run(['--insecure', 'yes'], '--insecure takes no value; "yes" is extra'),
  run(['--duration', '0'], 'duration must be more than 0'),
  run(['--duration', '300'], '--duration "300": give a unit, e.g. 300ms or 300s'),
  run(['--close-timeout', '2'], '--close-timeout "2": give a unit, e.g. 2ms or 2s'),
  run(['--ramp', '-1s'], '--ramp must be a time'),
  run(['--connect-timeout', 'abc'], '--connect-timeout must be a time'),
  run(['--connect-timeout', '0'], '--connect-timeout must be more than 0'),
  run(['--min-clients', '0'], '--min-clients must be a whole number >= 1'),
  run(['--channels', 'tps_updates,blocks'], 'channel "blocks" is unknown (known: tps_updates'),
  run(['--header', 'no-colon'], '--header must look like "Name: value"'),
  run(['--header', ': value'], '--header must look like "Name: value"'),
  run(['--token-env', 'LSB_HARDENING_UNSET'], '--token-env names LSB_HARDENING_UNSET, which is not set'),
  run(['--ca', 'missing.pem'], '--ca missing.pem: no such file'),
  run(['--ca', 'not-pem.txt'], '--ca not-pem.txt holds no PEM certificate', BIN),
  run(['--ca', 'bad-cert.pem'], '--ca bad-cert.pem holds a certificate that cannot be parsed'),
  run(['--reconnect', 'sometimes'], '--reconnect must be a preset'),
  run(['--reconnect', '1s,x0.5,10s,5'], '--reconnect factor must be a number >= 1 (got "0.5")'),
  run(['--reconnect', '1s,x2,10s,-1'], '--reconnect attempts must be a whole number >= 0'),
  run(['--reconnect', '1s,x2,10s,5,jitter=2'], '--reconnect jitter must be a number from 0 to 1'),
  run(['--reconnect', '10s,x2,1s,5'], '--reconnect cap must be at least --reconnect initial'),
  run(['--max-frame', '10'], '--max-frame must be at least 1 KiB (got 10 bytes)'),
  run(['--max-frame', '1GB'], '--max-frame must be a size such as 1MiB'),
  run(['--workers', '0'], '--workers must be a whole number from 1 to 64 (got "0")'),
  run(['--workers', '100'], 'workers must be a whole number from 1 to 64'),
  run(['--shard', '3/2'], '--shard must be i/n with 1 <= i <= n'),
  run(['--shard', '0/2'], '--shard must be i/n with 1 <= i <= n'),
  run(['--chaos', 'cut=abc'], '--chaos cut must be a share such as 10%'),
  // a bare number above 1 is no fraction: refused, saying what to write (units.ts)
  run(['--chaos', 'cut=20'], '--chaos cut "20": write 20%'),
  run(['--chaos', 'cut=10%,mode=weird'], 'chaos mode must be one of close, drop, both'),
  run(['--chaos', 'foo=1'], '--chaos has an unknown part "foo"'),
  run(['--chaos', 'mode=close'], '--chaos needs cut=<p>%'),
  run(['--sim-fault', 'bogus'], 'bad fault "bogus": unknown fault "bogus"', BIN),
  run(['--sim-fault', 'latency=300'], 'bad fault "latency=300": "300": give a unit, e.g. 300ms or 300s'),
  run(['--sim-fault', 'drop=x', '--sim-fault', 'latency=soon'], 'bad fault "drop=x"'),
  run(['--sim-fault', 'drop=1%', '--target', 'ws://127.0.0.1:9/x'], '--sim-fault apply to the embedded simulator only'),
  run(['--seed', '-1'], '--seed must be a whole number >= 0'),
  run(['--profile', 'nope'], '--profile "nope" is unknown (known: aurigraph-v11, gridwatch-sse, ticker-demo, or a profile file)'),
  run(['--fallback-url', 'ftp://example.test/x'], '--fallback-url must be an http:// or https:// URL'),
  run(['--metrics-url', 'localhost:9090'], '--metrics-url must be an http:// or https:// URL'),
  run(['--server-pid', 'abc'], '--server-pid must be a whole number >= 1'),
  run(['--server-pid', '2147483646'], '--server-pid 2147483646: no such process'),
  run(['--check-sample', '0'], '--check-sample must be more than 0% and at most 100%'),
  run(['--check-sample', 'lots'], '--check-sample must be a share such as 10% or 0.1'),
  run(['--spread', '0'], '--spread must be a whole number from 1 to 254'),
  run(['--format', 'pdf'], '--format takes a comma-separated list of json, md, junit, html (or all); unknown: pdf'),
  run(['--dashboard', '127.0.0.1:70000'], '--dashboard port must be from 0 to 65535 (got 70000)'),
  run(['--export', 'statsd=127.0.0.1:8125'], '--export must be kind=destination with kind one of prometheus-rw, otlp, ndjson (got "statsd=127.0.0.1:8125")'),
  run(['--export', 'otlp=localhost:4318'], '--export otlp needs an http:// or https:// URL'),
  run(['--export', 'ndjson=no-such-folder/live.ndjson'], '--export ndjson=no-such-folder/live.ndjson: cannot be written (no such file)'),
  run(['--baseline', 'missing.json'], '--baseline missing.json: no such file'),
  run(['--baseline', 'not-json.json'], 'not-json.json is not JSON'),
  run(['--baseline', 'not-report.json'], 'not-report.json is neither a baseline nor a livestream-bench report'),
  run(['--tolerance', 'foo'], '--tolerance must look like metric=tolerance'),
  run(['--tolerance', 'latency_p99=abc'], 'latency_p99: cannot read tolerance "abc"'),
  run(['--tolerance', 'nosuch=10%'], '"nosuch" is not a baseline metric'),
  run(['--clients', '0', '--duration', 'x', '--target', 'http://y/z'], '--clients must be a whole number >= 1 (got "0"); --duration must be a time', BIN),

  // --- run --scenario: files that cannot be read, fields that are wrong ---
  run(['--scenario', 'missing.yaml'], '--scenario missing.yaml: no such file'),
  run(['--profile', 'missing.yaml'], '--profile missing.yaml: no such file'),
  run(['--scenario', DIR], `--scenario ${DIR}: is a folder, not a file`),
  run(['--scenario', 'clinets.yaml'], 'clinets.yaml:1:1: unknown key "clinets" (did you mean "clients"?)', { maxLines: 2, ...BIN }),
  run(['--scenario', 'two-problems.yaml'], 'two-problems.yaml:2:12: channel "nope" is unknown', { maxLines: 3 }),
  run(['--scenario', 'literal-secret.yaml'], 'headers.Authorization holds a literal secret', { maxLines: 2 }),

  // --- validate: every problem as file:line:col on stdout ---
  run(['validate', 'missing.yaml'], 'validate missing.yaml: no such file'),
  run(['validate', '--profile', 'missing.yaml'], '--profile missing.yaml: no such file'),
  run(['validate', 'clinets.yaml'], 'clinets.yaml:1:1: unknown key "clinets" (did you mean "clients"?)', { on: 'stdout' }),
  run(['validate', 'latnecy.yaml'], 'latnecy.yaml:2:3: unknown key "latnecy" in thresholds: not a criterion id (did you mean "latency"?)', { on: 'stdout', ...BIN }),
  run(['validate', 'clients-many.yaml'], 'clients-many.yaml:1:10: clients must be a whole number (got "many")', { on: 'stdout' }),
  run(['validate', 'duration-words.yaml'], 'duration-words.yaml:1:11: duration must be a time such as 30s', { on: 'stdout' }),
  run(['validate', 'http-target.yaml'], 'http-target.yaml:1:9: target must be a ws:// or wss:// URL (got http://)', { on: 'stdout' }),
  run(['validate', 'sse-ftp-target.yaml'], 'sse-ftp-target.yaml:2:9: target must be an http:// or https:// URL for an SSE profile (got ftp://)', { on: 'stdout' }),
  run(['validate', 'yaml-syntax.yaml'], 'yaml-syntax.yaml:2:1: YAML: Flow sequence', { on: 'stdout' }),
  run(['validate', 'a-list.yaml'], 'a-list.yaml:1:1: a scenario must be a mapping of settings', { on: 'stdout' }),
  run(['validate', 'empty.yaml'], 'empty.yaml:1:1: a scenario must be a mapping of settings', { on: 'stdout' }),
  run(['validate', 'unset-env.yaml'], 'unset-env.yaml:1:9: target refers to ${LSB_HARDENING_UNSET}, which is not set', { on: 'stdout' }),
  run(['validate', 'unquoted.yaml'], 'a value that starts with < or > must be quoted in YAML', { on: 'stdout' }),
  run(['validate', 'stage-no-duration.yaml'], 'stage-no-duration.yaml:2:5: stages[0] needs "duration"', { on: 'stdout' }),
  run(['validate', 'bare-duration.yaml'], 'bare-duration.yaml:1:11: duration "300": give a unit, e.g. 300ms or 300s', { on: 'stdout' }),
  run(['validate', 'max-frame.yaml'], 'max-frame.yaml:1:11: maxFrame must be at least 1 KiB (got 10 bytes)', { on: 'stdout' }),
  run(['validate', 'sim-fault.yaml'], 'sim-fault.yaml:2:12: bad fault "bogus"', { on: 'stdout' }),
  run(['validate', 'cut-20.yaml'], 'cut-20.yaml:1:14: chaos.cut "20": write 20%', { on: 'stdout' }),
  run(['validate', 'uptime-bare.yaml'], 'uptime-bare.yaml:2:11: uptime: "99.9": write 99.9%', { on: 'stdout' }),
  run(['validate', 'latency-no-stat.yaml'], 'latency-no-stat.yaml:2:12: latency: "< 200ms" names no statistic; write "p99 < 200ms"', { on: 'stdout' }),

  // --- run: an output folder that cannot be written is found before any client opens ---
  // procfs answers ENOENT to mkdir under /proc: Node's recursive mkdir looped on it, and the run hung at its end
  run(['run', '--clients', '2', '--duration', '2s', '--out', '/proc/x'], '--out /proc/x: cannot create the output folder: this file system does not take a folder there', BIN),
  run(['run', '--clients', '2', '--duration', '2s', '--out', 'a-file/sub'], '--out a-file/sub: a-file is a file, not a folder'),
  run(['run', '--clients', '2', '--duration', '2s', '--out', 'a-file'], '--out a-file: a-file is a file, not a folder'),
  run(['run', '--clients', '2', '--duration', '2s', '--save-baseline', DIR], `--save-baseline ${DIR}: is a folder, not a file name`),
  run(['run', '--clients', '2', '--duration', '2s', '--save-baseline', 'a-file/baseline.json'], '--save-baseline a-file/baseline.json: a-file is a file, not a folder'),
  // only a baseline or a report of this tool is replaced: any other file is someone's work
  run(['run', '--clients', '2', '--duration', '2s', '--save-baseline', 'not-pem.txt'], '--save-baseline not-pem.txt: is there and is not a livestream-bench baseline or report, so it is not replaced'),

  // --- report, compare, merge: saved files that are missing or are not reports ---
  run(['report', 'missing.json'], 'report missing.json: no such file'),
  run(['report', DIR], `report ${DIR}: is a folder, not a file`),
  run(['report', 'not-json.json'], 'not-json.json is not JSON'),
  run(['report', 'not-report.json'], 'not-report.json is not a livestream-bench report', BIN),
  run(['report', REPORT, '--format', 'pdf'], 'unknown: pdf'),
  run(['report', REPORT, '--out', 'a-file/sub'], '--out a-file/sub: a-file is a file, not a folder', BIN),
  run(['merge', REPORT, '--out', 'a-file/sub'], '--out a-file/sub: a-file is a file, not a folder', BIN),
  run(['compare', 'missing.json', REPORT], 'compare missing.json: no such file', BIN),
  run(['compare', REPORT, 'not-json.json'], 'not-json.json is not JSON'),
  run(['compare', REPORT, REPORT, '--tolerance', 'foo'], '--tolerance must look like metric=tolerance'),
  run(['compare', REPORT, REPORT, '--scenario', 'missing.yaml'], '--scenario missing.yaml: no such file'),
  run(['merge', 'missing.json'], 'merge missing.json: no such file'),
  run(['merge', 'not-report.json'], 'not-report.json is not a livestream-bench report'),
  run(['merge', REPORT, REPORT], 'shard 1/1 is given twice', BIN),
  run(['merge', REPORT, '--format', 'pdf'], 'unknown: pdf'),

  // --- learn: the stream to watch, by its scheme or --transport ---
  run(['learn', '--target', 'ftp://example.test/live'], '--target must be a ws://, wss://, http:// or https:// URL (got ftp://)'),
  run(['learn', '--target', 'http://example.test/live', '--transport', 'websocket'], '--target must be a ws:// or wss:// URL (got http://)'),
  run(['learn', '--target', 'ws://example.test/live', '--transport', 'udp'], '--transport must be websocket or sse, got "udp"'),

  // --- serve: flags of the simulator ---
  run(['serve', '--port', '70000'], '--port must be 0-65535, got "70000"', BIN),
  run(['serve', '--port', 'abc'], '--port must be 0-65535, got "abc"'),
  run(['serve', '--seed', 'x'], '--seed must be a whole number, got "x"'),
  run(['serve', '--port', '0', '--fault', 'bogus'], 'bad fault "bogus": unknown fault "bogus"'),
  run(['serve', '--port', '0', '--fault', 'drop=200%'], 'bad fault "drop=200%": "200%" is over 100%'),
  run(['serve', '--port', '0', '--host', ''], 'host must name at least one address'),
  run(['serve', '--port', '0', '--host', '127.0.0.1,127.0.0.1'], 'host lists 127.0.0.1 twice'),
  // a host that does not resolve, or is not this machine's, is the user's mistake (2); a port in use is not (3)
  run(['serve', '--port', '0', '--host', 'nohost.invalid'], 'cannot listen on nohost.invalid:0: ENOTFOUND (no such host name)', BIN),
  run(['serve', '--port', '0', '--host', '192.0.2.1'], 'cannot listen on 192.0.2.1:0: EADDRNOTAVAIL (not an address of this machine)', BIN),
  run(['serve', '--port', '0', '--workers', '0'], '--workers must be a whole number >= 1'),
  run(['serve', '--port', '0', '--workers', '100'], 'workers must be at most 64'),
  run(['serve', '--port', '0', '--token', ''], 'token must not be empty'),
  run(['serve', '--port', '0', '--admin-token', ' '], 'admin token must not be empty'),
  run(['serve', '--port', '0', '--tls-cert', 'cert.pem'], '--tls-cert and --tls-key go together'),
  run(['serve', '--port', '0', '--tls-cert', 'missing.pem', '--tls-key', 'key.pem'], '--tls-cert missing.pem: no such file'),
  run(['serve', '--port', '0', '--tls-cert', 'not-pem.txt', '--tls-key', 'key.pem'], '--tls-cert not-pem.txt is not a PEM file'),
  run(['serve', '--port', '0', '--tls-cert', 'cert.pem', '--tls-key', 'other.key'], 'cannot be used together: key values mismatch', BIN),
];
