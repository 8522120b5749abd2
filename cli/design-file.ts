/**
 * Loading a design: a YAML file naming a generator and its params, or a TypeScript/JavaScript
 * module whose default export is a design (or a function returning one). Every problem in a
 * YAML file is reported with file:line:col, the key, and what was expected.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import type { Design } from '../dsl/ir/nodes.ts';
import { DesignError } from '../dsl/diagnostics/diagnostic.ts';
import { GENERATORS, findGenerator } from '../catalog/index.ts';
import { ParamError, parseParams } from '../dsl/npu/params.ts';
import { IDENTIFIER_RULE, isIdentifier } from '../formats/identifier.ts';
import { isReservedWord } from '../dsl/passes/reserved-words.ts';
import type { TransactionModel } from '../sim/models/types.ts';
import { suggestion } from './did-you-mean.ts';
import { evaluateDesignModule } from './design-eval.ts';
import { checkKeys, DesignFileError, parseLocatedYaml, type At, type LocatedYaml } from './located-yaml.ts';

/** A design whose names would make unsafe or colliding output files (`npugen gen`). */
export class DesignNameError extends Error {
  override readonly name = 'DesignNameError';
}

export { DesignFileError } from './located-yaml.ts';

export interface LoadedDesign {
  readonly design: Design;
  /** The generator, its parsed params and its golden model when the design came from a YAML file. */
  readonly generator?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly model?: TransactionModel;
}

/** A design built by a generator from a YAML file: always has its golden model. */
export interface GeneratedDesign extends LoadedDesign {
  readonly generator: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly model: TransactionModel;
}

const TOP_KEYS = ['generator', 'name', 'params'] as const;

/** Longest design or module name: it becomes file names such as `<name>_stim.hex` (255 bytes at most). */
export const MAX_NAME_LENGTH = 200;

/** Why `name` cannot be a design or module name, or undefined when it can. */
export function designNameProblem(name: string): string | undefined {
  if (!isIdentifier(name)) return `is not a legal identifier (${IDENTIFIER_RULE}); it would not be a safe file name in the output directory`;
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long; names become file names, so at most ${MAX_NAME_LENGTH}`;
  if (isReservedWord(name)) return `is a Verilog/SystemVerilog keyword, so \`module ${name} (\` would not parse; choose another name, e.g. ${name}_0`;
  if (name.startsWith('npugen_')) return 'starts with npugen_: the prefix npugen_ is reserved for the generated testbench';
  return undefined;
}

/**
 * Every module name becomes a Verilog module and a file name: each must be a plain identifier
 * (so it cannot name a path outside the output directory), not a keyword, not too long, and
 * must not collide with the generated testbench's names.
 */
export function checkDesignNames(design: Design): void {
  for (const n of [design.top, ...design.modules.map((m) => m.name)]) {
    const why = designNameProblem(n);
    if (why !== undefined) throw new DesignNameError(`design name '${n.length > 60 ? `${n.slice(0, 40)}...` : n}' ${why}`);
  }
}

/** A generator build about to start: its design name and parsed params (see `LoadOptions.beforeBuild`). */
export interface PlannedBuild {
  readonly generator: string;
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface LoadOptions {
  /**
   * Called for a YAML design after its params parse and before its generator builds anything
   * (a 1024x1024 array takes minutes and gigabytes): a resource budget can refuse it by throwing.
   */
  readonly beforeBuild?: (build: PlannedBuild) => void;
}

export async function loadDesign(file: string, options: LoadOptions = {}): Promise<LoadedDesign> {
  const ext = path.extname(file);
  let loaded: LoadedDesign;
  if (ext === '.yaml' || ext === '.yml') loaded = loadYamlDesign(file, await readText(file), options);
  else if (['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].includes(ext)) loaded = await loadModuleDesign(file);
  else throw new DesignFileError(file, 1, 1, `unsupported design file type '${ext || '(none)'}'; expected .yaml, .yml, .ts, .mts or .js`);
  checkDesignNames(loaded.design);
  return loaded;
}

/** Design files are small; a larger one is a wrong path (a data file), not a design. */
const MAX_DESIGN_FILE_BYTES = 16 * 1024 * 1024;

async function readText(file: string): Promise<string> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new DesignFileError(file, 0, 0, 'is a directory; give a design file (.yaml or .ts)');
    if (info.size > MAX_DESIGN_FILE_BYTES) throw new DesignFileError(file, 0, 0, `is ${info.size} bytes; a design file is at most ${MAX_DESIGN_FILE_BYTES} bytes (is this the right file?)`);
    return await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof DesignFileError) throw e;
    throw new DesignFileError(file, 0, 0, `cannot read design file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

async function loadModuleDesign(file: string): Promise<LoadedDesign> {
  let mod: { default?: unknown };
  try {
    await stat(file);
  } catch (e) {
    throw new DesignFileError(file, 0, 0, `cannot read design file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  // In a worker with a time limit first: an endless loop or a never-settling top-level await
  // in the module is then a located error, not a hung or silently ended CLI.
  const evaluated = await evaluateDesignModule(path.resolve(file));
  const limit = 'raise the limit with NPUGEN_DESIGN_TIMEOUT=SECONDS if the design is just large';
  if (evaluated.kind === 'timeout') throw new DesignFileError(file, 1, 1, `evaluating the design module timed out after ${evaluated.seconds} s (an endless loop?); ${limit}`);
  if (evaluated.kind === 'unsettled') throw new DesignFileError(file, 1, 1, 'the design module never finished loading: a top-level await waits on a promise that never settles; resolve or remove it');
  if (evaluated.kind === 'error') {
    const e = Object.assign(new Error(evaluated.message), { name: evaluated.name, ...(evaluated.diagnostics ? { diagnostics: evaluated.diagnostics } : {}) });
    throw designModuleError(file, e, evaluated.stage === 'import' ? 'cannot load design module' : 'the default export (a function) threw');
  }
  if (evaluated.kind === 'design') return checkedDesign(file, evaluated.value);
  // Not plain data (cannot cross to this thread): evaluate it here, as it has been shown to finish.
  try {
    mod = (await importModule(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
  } catch (e) {
    throw designModuleError(file, e, 'cannot load design module');
  }
  const exported = defaultExport(mod);
  let d: unknown;
  try {
    d = typeof exported === 'function' ? (exported as () => unknown)() : exported;
  } catch (e) {
    throw designModuleError(file, e, 'the default export (a function) threw');
  }
  return checkedDesign(file, d);
}

function checkedDesign(file: string, d: unknown): LoadedDesign {
  if (!isDesign(d)) throw new DesignFileError(file, 1, 1, 'the default export must be a design (the result of defineModule or a generator) or a function returning one');
  return { design: d };
}

/** A design module's failure: DSL diagnostics as they are, anything else located at the file. */
function designModuleError(file: string, e: unknown, what: string): Error {
  if (e instanceof DesignError) return e;
  // A design importing npugen's sources by relative path (the repository's examples) while the
  // CLI runs from dist/ builds with a second copy of the DSL, whose DesignError is another class.
  if (isForeignDesignError(e)) return new DesignError(e.diagnostics);
  const message = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  const hint = /Cannot find (package|module) 'npugen'/.test(message)
    ? "; a design imports npugen by name only where npugen is installed (npm install npugen in the design's folder or a parent), otherwise by path to npugen's dsl/index.ts"
    : '';
  return new DesignFileError(file, 1, 1, `${what}: ${message.split('\n')[0]}${hint}`);
}

/**
 * The module's default export. A .ts file outside an ESM package is compiled as CommonJS, and
 * importing CommonJS wraps its exports: the design is then at `default.default`.
 */
function defaultExport(mod: { default?: unknown }): unknown {
  const d = mod.default;
  if (typeof d === 'object' && d !== null && !isDesign(d) && 'default' in d) return (d as { default: unknown }).default;
  return d;
}

/**
 * Imports a design module. Node runs JavaScript itself. TypeScript goes through tsx's scoped
 * `tsImport` (loaded only then; ~0.3 s to start), never through a plain import(): when the CLI
 * itself runs from its sources under tsx's global hooks, a plain import() of a `.ts` file outside
 * an ESM package loads it as CommonJS while it is being imported as ESM ("Cannot require() ES
 * Module ... in a cycle").
 */
async function importModule(url: string): Promise<unknown> {
  if (/\.[cm]?ts$/.test(url)) {
    const { tsImport } = await import('tsx/esm/api');
    return await tsImport(url, import.meta.url);
  }
  return await import(url);
}

function isForeignDesignError(e: unknown): e is { diagnostics: DesignError['diagnostics'] } {
  return e instanceof Error && e.name === 'DesignError' && Array.isArray((e as { diagnostics?: unknown }).diagnostics);
}

function isDesign(d: unknown): d is Design {
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'design';
}

/** Parses and validates a YAML design file, then runs its generator. */
export function loadYamlDesign(file: string, text: string, options: LoadOptions = {}): GeneratedDesign {
  const { doc, root, at } = parseLocatedYaml(file, text, 'generator, name and params');
  checkKeys(root, TOP_KEYS, '', at);
  const genNode = root.get('generator', true) as YamlNode | undefined;
  const generator = scalarString(genNode, 'generator', 'a generator name', at, root);
  const known = [...GENERATORS.keys()];
  const gen = findGenerator(generator);
  if (!gen) throw at(genNode, `generator: unknown generator '${generator}'${suggestion(generator, known)}; known: ${known.join(', ')}`);
  const nameNode = root.get('name', true) as YamlNode | undefined;
  const name = scalarString(nameNode, 'name', 'a design name', at, root);
  if (!isIdentifier(name)) throw at(nameNode, `name: '${name}' is not a legal identifier; use letters, digits and _ (not starting with a digit), e.g. mac_i8`);
  const nameProblem = designNameProblem(name);
  if (nameProblem !== undefined) throw at(nameNode, `name: '${name.length > 60 ? `${name.slice(0, 40)}...` : name}' ${nameProblem}`);
  const paramsNode = root.get('params', true) as YamlNode | undefined;
  if (paramsNode !== undefined && !isMap(paramsNode)) throw at(paramsNode, 'params: expected a mapping of parameter names to values');
  if (paramsNode) checkKeys(paramsNode, Object.keys(gen.params), 'params.', at);
  const raw = paramsNode ? paramsOf(doc, () => at(paramsNode, 'params: too many YAML alias expansions (at most 100); write the values out')) : {};
  try {
    options.beforeBuild?.({ generator, name, params: parseParams(gen.params, raw) });
    const { design, model, params } = gen.instantiate(raw, name);
    return { design, generator, params, model };
  } catch (e) {
    if (e instanceof ParamError) {
      const node = paramsNode?.get(e.key, true) as YamlNode | undefined;
      throw at(node ?? paramsNode ?? root, e.message);
    }
    // Parameter combinations a generator rejects (e.g. an accumulator too narrow for the products).
    if (e instanceof RangeError || e instanceof TypeError) throw at(paramsNode ?? genNode, `params: ${e.message}`);
    throw e;
  }
}

/**
 * The params as plain values, with YAML aliases (`a: &f int8`, `b: *f`) resolved through the
 * document; the alias budget keeps a "billion laughs" file from expanding without bound.
 */
function paramsOf(doc: LocatedYaml['doc'], tooMany: () => DesignFileError): Record<string, unknown> {
  try {
    return ((doc.toJS({ maxAliasCount: 100 }) as { params?: Record<string, unknown> }).params) ?? {};
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) throw tooMany();
    throw e;
  }
}

function scalarString(node: YamlNode | undefined, key: string, what: string, at: At, parent: YamlNode): string {
  if (node === undefined) throw at(parent, `${key}: required (${what})`);
  if (!isScalar(node) || typeof node.value !== 'string') throw at(node, `${key}: expected ${what} (a string)`);
  return node.value;
}
