import { exitCodeFor, main } from './main.js';

/** The process entry: runs the CLI on argv and leaves the exit code for Node to use. */
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = exitCodeFor(err);
  },
);
