/**
 * The temporary project of the package test: its files, and a package.json + lockfile that
 * depend on the packed tarball with the dependency versions of this checkout's lockfile.
 */

/** Files of the consumer project, by name. */
export const CONSUMER_FILES: Readonly<Record<string, string>> = {
  // Plain Node ESM, no TypeScript anywhere: the DSL and the generators from the package names.
  // Run directly it prints its MAC's Verilog and writes the generator's mac_i8.v; as a design
  // file (`npugen verify emit-mac.mjs`) it only exports the design.
  'emit-mac.mjs': `import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { defineModule, SInt, UInt, emitVerilogText } from 'npugen';
import { buildMacI8 } from 'npugen/generators';

const mac = defineModule('mac_dsl', (m) => {
  const a = m.input('a', SInt(8));
  const b = m.input('b', SInt(8));
  const en = m.input('en', UInt(1));
  const acc = m.reg('acc', SInt(32), { reset: 0n, enable: en });
  acc.next(acc.add(a.mul(b)).wrap(32));
  m.output('acc_out', SInt(32)).drive(acc);
});
export default mac;

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(emitVerilogText(mac));
  writeFileSync('mac_i8.v', emitVerilogText(buildMacI8()));
}
`,
  // Strict TypeScript against the declarations. The @ts-expect-error line fails the type check
  // if the declarations were missing or 'any' (then nothing would be an error there).
  'golden.ts': `import { INT8, bf16, floatConvert, fp32, fp8_e4m3, narrowInt } from 'npugen/golden';

declare const console: { log(text: string): void };

const e4m3: number = floatConvert(fp32, fp8_e4m3, 0x43e80000);
const bf16One: number = floatConvert(fp32, bf16, 0x3f800000);
const wrapped: bigint = narrowInt(200n, INT8, 'WRAP');
console.log(JSON.stringify({ e4m3, bf16One, wrapped: wrapped.toString() }));

export function misuse(): bigint {
  // @ts-expect-error narrowInt takes a bigint value, not a number
  return narrowInt(200, INT8, 'WRAP');
}
`,
  // skipLibCheck off: the package's own declarations must type-check too (TypeScript's default
  // libraries are skipped: checking them costs seconds and says nothing about npugen).
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [], skipLibCheck: false, skipDefaultLibCheck: true },
    files: ['golden.ts'],
  }),
  'mac_i8.yaml': 'generator: mac\nname: mac_i8\nparams: { a: int8, b: int8, accumulator: int32, overflow: wrap }\n',
};

interface LockEntry {
  readonly dev?: boolean;
  readonly [key: string]: unknown;
}

/**
 * package.json and package-lock.json of a project depending on `tarball`. The lock lists the
 * package's non-dev dependencies exactly as this checkout's lock resolved them (npm marks the
 * ones only devDependencies need with dev: true), so `npm ci --offline` needs only the npm cache
 * that installing the checkout filled. A runtime dependency missing from package.json is marked
 * dev in the checkout's lock, is left out here, and the consumer's import of it fails.
 */
export function buildConsumerLock(lockText: string, manifestText: string, tarball: string): { manifest: object; lockfile: object } {
  const lock = JSON.parse(lockText) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(manifestText) as { name: string; version: string; dependencies?: Record<string, string>; bin?: unknown; engines?: unknown; license?: string };
  const spec = `file:${tarball}`;
  const runtime = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && entry.dev !== true && !key.startsWith(`node_modules/${manifest.name}/`));
  const root = { name: 'npugen-consumer', version: '1.0.0', dependencies: { [manifest.name]: spec } };
  return {
    manifest: { ...root, private: true, type: 'module' },
    lockfile: {
      name: root.name, version: root.version, lockfileVersion: 3, requires: true,
      packages: {
        '': root,
        [`node_modules/${manifest.name}`]: {
          version: manifest.version, resolved: spec, license: manifest.license,
          dependencies: manifest.dependencies ?? {}, bin: manifest.bin, engines: manifest.engines,
        },
        ...Object.fromEntries(runtime),
      },
    },
  };
}
