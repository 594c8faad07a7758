/**
 * The shape of the code, checked like its behaviour (test/architecture.test.ts
 * runs these rules in `npm test`). Data flows one way:
 *   profile, scenario -> engine -> checks -> metrics -> verdict -> baseline -> reporters -> live
 * and each folder may import (at run time: types are free) only the folders
 * it is allowed below: the allowed graph is acyclic, so no two folders can
 * depend on each other's code.
 * The simulator is apart and shares only the profile with the harness.
 */
const base = ['src/errors\\.ts', 'src/read-input\\.ts', 'src/v8-flags\\.ts', 'src/source/'];
const may = {
  source: [],
  profile: [],
  scenario: ['profile'],
  metrics: [],
  // the wire protocols (WebSocket, Server-Sent Events): at the engine's level, beside it, knowing nothing of the run
  transport: [],
  checks: ['profile', 'metrics'],
  // real browsers on the frontend page (--page): fed through the same checks, started by the engine
  browser: ['profile', 'scenario', 'checks', 'metrics', 'transport'],
  engine: ['profile', 'scenario', 'checks', 'metrics', 'transport', 'browser'],
  verdict: ['profile', 'scenario', 'metrics', 'engine'],
  baseline: ['profile', 'scenario', 'metrics', 'verdict'],
  reporters: ['profile', 'scenario', 'metrics', 'verdict', 'baseline'],
  // the live view (dashboard, exports) reads the run as it goes: after the verdict, beside the reporters, whose page it shares
  live: ['profile', 'scenario', 'metrics', 'engine', 'verdict', 'reporters'],
  simulator: ['profile'],
  // learn drafts a profile from a recording it makes through the harness's transports
  learn: ['profile', 'transport'],
};

const folderRules = Object.entries(may).map(([folder, allowed]) => ({
  name: `${folder}-imports-only-${allowed.join('-') || 'itself'}`,
  comment: `src/${folder}/ may import ${allowed.length ? allowed.map((f) => `src/${f}/`).join(', ') : 'nothing of the project'} (and the shared base files), nothing later in the pipeline`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: {
    // a type is gone after compiling: the rule is about values (code that runs)
    dependencyTypesNot: ['type-only'],
    path: '^src/',
    pathNot: [`^src/${folder}/`, ...allowed.map((f) => `^src/${f}/`), ...base.map((b) => `^${b}`)],
  },
}));

module.exports = {
  forbidden: [
    ...folderRules,
    {
      name: 'no-circular',
      comment: 'modules that import each other at run time, even through others (a cycle of type imports only is harmless: it is gone after compiling)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'commander-only-in-cli',
      comment: 'only the CLI parses argv',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: 'node_modules/commander/' },
    },
    {
      name: 'terminal-styling-only-in-reporters',
      comment: 'chalk and cli-table3 are for the people-facing output only',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/reporters/' },
      to: { path: 'node_modules/(chalk|cli-table3)/' },
    },
    {
      name: 'only-the-cli-and-the-library-use-learn',
      comment: 'learn sits beside the run, not in its pipeline: only the CLI and src/index.ts call it',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$', '^src/learn/'] },
      to: { path: '^src/learn/' },
    },
    {
      name: 'ws-only-in-its-transport',
      comment: 'the harness speaks WebSocket through src/transport/websocket.ts only (the engine sees a Transport); the simulator serves it itself',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/transport/websocket\\.ts$', '^src/simulator/'] },
      to: { path: 'node_modules/ws/' },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'core code is callable as a library: the CLI sits on top of it',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/'] },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
