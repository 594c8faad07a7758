import { redactUrl } from '../verdict/redact.js';
import type { ExportStats } from '../verdict/report.js';

/**
 * The count of one export's pushes and failures. The first failure is said
 * once (`problem`, one line: the CLI prints it); later ones are only counted,
 * so a dead endpoint costs one line and a number in the report.
 */
export class PushStats {
  private pushes = 0;
  private failed = 0;
  private firstError?: string;

  constructor(
    private readonly kind: string,
    private readonly to: string,
    private readonly problem: (line: string) => void,
  ) {}

  ok(): void {
    this.pushes += 1;
  }

  fail(err: unknown): void {
    this.pushes += 1;
    this.failed += 1;
    if (this.firstError !== undefined) return;
    const text = err instanceof Error ? (err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message) : String(err);
    // a URL in an error (fetch names it) is redacted like every URL reported
    this.firstError = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, (u) => redactUrl(u));
    this.problem(`export ${this.kind} to ${redactUrl(this.to)}: ${this.firstError}; later failures are counted in the report`);
  }

  stats(): ExportStats {
    return { kind: this.kind, to: this.kind === 'ndjson' ? this.to : redactUrl(this.to), pushes: this.pushes, failed: this.failed, ...(this.firstError ? { firstError: this.firstError } : {}) };
  }
}
