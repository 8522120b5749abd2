#!/usr/bin/env node
// The npugen command: loads the TypeScript CLI through tsx, so no build step stands between a
// checkout and a working binary. On a fresh checkout (no node_modules) it first runs
// scripts/setup.sh, which installs the npm packages and, for the demo, the simulators
// (apt-get, when root or password-less sudo), so `npx npugen demo` works on a new machine.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try { accessSync(path.join(dir, cmd), constants.X_OK); return true; } catch { return false; }
  });
}

const missingPackages = !existsSync(path.join(root, 'node_modules', 'tsx'));
const demoWithoutSimulator = args[0] === 'demo' && !onPath('verilator');
if ((missingPackages || demoWithoutSimulator) && existsSync(path.join(root, 'scripts', 'setup.sh'))) {
  // Setup output goes to stderr so stdout stays the command's own.
  const r = spawnSync('sh', [path.join(root, 'scripts', 'setup.sh')], { stdio: ['ignore', 2, 2], cwd: root });
  if (r.status !== 0 && missingPackages) process.exit(2);
}

const { register } = await import('tsx/esm/api');
register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(args);
