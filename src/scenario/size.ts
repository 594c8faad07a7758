/** Sizes are read by the one units module; kept here for the imports that name this file. */
export { formatSize, parseSize, readSize } from '../source/units.js';
