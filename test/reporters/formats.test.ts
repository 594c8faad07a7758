import { describe, expect, it } from 'vitest';
import { BenchError } from '../../src/errors.js';
import { parseFormats, renderReportFiles } from '../../src/reporters/formats.js';
import { fixtureReport } from './fixture.js';

describe('--format', () => {
  it('picks formats in a fixed order; all is every one', () => {
    expect(parseFormats('html, md')).toEqual(['md', 'html']);
    expect(parseFormats('all')).toEqual(['json', 'md', 'junit', 'html']);
  });

  it('names unknown formats in a usage error', () => {
    try {
      parseFormats('md,pdf');
      expect.unreachable();
    } catch (err) {
      expect((err as BenchError).code).toBe('LSB_USAGE');
      expect((err as Error).message).toContain('unknown: pdf');
    }
    expect(() => parseFormats(' , ')).toThrow(BenchError);
  });

  it('renders each chosen format to its file name', () => {
    const files = renderReportFiles(fixtureReport(), ['json', 'junit']);
    expect(Object.keys(files)).toEqual(['report.json', 'junit.xml']);
    expect(JSON.parse(files['report.json']).schemaVersion).toBe(1);
  });
});
