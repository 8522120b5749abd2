#!/usr/bin/env node
// The npugen command: loads the TypeScript CLI through tsx, so no build step stands
// between a checkout and a working binary.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
