#!/usr/bin/env node
// The npugen command. Runs the compiled CLI in dist/ (built by `npm run build`, which `prepare`
// runs on npm ci/install and npm pack), so start-up is plain Node loading only what a command uses.
//
// In an installed package that is all. In a source checkout (cli/main.ts exists next to dist/):
// - on a fresh clone (no node_modules) it first runs scripts/setup.sh, which installs the npm
//   packages (npm ci, whose `prepare` builds dist/) and, for the demo, the simulators (apt-get,
//   when root or password-less sudo), so `npx npugen demo` works on a new machine;
// - when dist/ is missing or older than a source file (you edited the code, or pulled), it runs
//   the TypeScript sources through tsx instead, and says so on stderr: what you run is what you
//   edited. `npm run build` makes it fast again.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const compiled = path.join(root, 'dist', 'cli', 'main.js');

// Errors outside a command's own error path (an asynchronous callback, a failed start-up) are
// bugs too: one line and exit 3, the stack only with --debug, as cli/report-error.ts does.
const debug = args.includes('--debug') || process.env.NPUGEN_DEBUG === '1';
const internal = (e) => {
  const first = String(e instanceof Error ? `${e.name}: ${e.message}` : e).split('\n')[0].slice(0, 300);
  process.stderr.write(`npugen: internal error (a bug in npugen): ${first}; please report it with the command you ran${debug ? '' : ' (rerun with --debug for the stack trace)'}\n`);
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(3);
};
process.on('uncaughtException', internal);
process.on('unhandledRejection', internal);

let main = compiled;
if (existsSync(path.join(root, 'cli', 'main.ts'))) main = await prepareCheckout();
const { runCli } = await import(pathToFileURL(main).href);
process.exitCode = await runCli(args);

/** Source checkout: set up a fresh clone; pick dist/ when it is current, else the sources. */
async function prepareCheckout() {
  const missingPackages = !existsSync(path.join(root, 'node_modules', 'tsx'));
  const demoWithoutSimulator = args[0] === 'demo' && !onPath('verilator');
  if (missingPackages || demoWithoutSimulator) {
    // Setup output goes to stderr so stdout stays the command's own.
    const r = spawnSync('sh', [path.join(root, 'scripts', 'setup.sh')], { stdio: ['ignore', 2, 2], cwd: root });
    if (r.status !== 0 && missingPackages) process.exit(2);
  }
  const { distStaleReason } = await import('../scripts/dist-state.mjs');
  const why = distStaleReason(root);
  if (why === undefined) return compiled;
  process.stderr.write(`npugen: ${why}; running the TypeScript sources (npm run build makes start-up fast again)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  return path.join(root, 'cli', 'main.ts');
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try { accessSync(path.join(dir, cmd), constants.X_OK); return true; } catch { return false; }
  });
}
