/** Times are read by the one units module; kept here for the imports that name this file. */
export { formatDuration, parseDuration, readDuration } from '../source/units.js';
