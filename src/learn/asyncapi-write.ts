import type { ProfileDocument } from '../profile/index.js';
export function asyncApiYaml(_doc: ProfileDocument, _header: string): string {
  return '';
}
