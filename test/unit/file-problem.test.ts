import { describe, expect, it } from 'vitest';
import { fileProblem } from '../../src/read-input.js';

/** File system errors in words (the tests run as root, so EACCES cannot be made for real here). */
const fsError = (code: string) => Object.assign(new Error(`${code}: raw text, open 'x'`), { code });

describe('fileProblem: no bare ENOENT or EACCES', () => {
  it.each([
    ['ENOENT', 'no such file'],
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['EISDIR', 'is a folder, not a file'],
    ['ENOTDIR', 'a part of the path is a file, not a folder'],
  ])('%s -> %s', (code, words) => {
    expect(fileProblem(fsError(code))).toBe(words);
  });

  it('an unknown code keeps its first line', () => {
    expect(fileProblem(new Error('odd\n    at x'))).toBe('odd');
  });
});
