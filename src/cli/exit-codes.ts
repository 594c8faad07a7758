/** Exit codes are API (`docs/cli.md`); each cause has its own name. */
export const EXIT = {
  pass: 0,
  fail: 1,
  usage: 2,
  inconclusive: 3,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a judged run: pass 0, fail 1, inconclusive 3. */
export function exitForVerdict(verdict: 'pass' | 'fail' | 'inconclusive'): ExitCode {
  return verdict === 'pass' ? EXIT.pass : verdict === 'fail' ? EXIT.fail : EXIT.inconclusive;
}
