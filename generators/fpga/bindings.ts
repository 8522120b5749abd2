/**
 * Typed TypeScript bindings for a generated design (`<name>.ts`), built with ts-morph:
 * - `export interface <Name>Ports`: each port of the top module as literal types
 *   (`a: { readonly dir: 'input'; readonly width: 8; readonly signed: true; readonly format: 'int8' }`);
 * - `export const ports = {...} as const satisfies <Name>Ports`;
 * - `export const parameters = {...} as const`: the generator's parameters (formats by name);
 * - `top`, `latency` (when known) and `PortName`.
 * The text type-checks under `tsc --strict` on its own (no imports).
 */
import { Project, VariableDeclarationKind, type SourceFile } from 'ts-morph';
import type { PortInfo } from './ports.ts';
import { isIdentifier } from '../../formats/identifier.ts';

export interface BindingsInput {
  /** Design name (a legal identifier; checked by the caller). */
  readonly name: string;
  readonly top: string;
  readonly ports: readonly PortInfo[];
  /** Generator parameters (plain data; formats as objects are rendered by `formatOf`). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly generator?: string;
  readonly latency?: number;
  readonly banner: string;
  /** Renders a non-plain parameter value (e.g. a format object) as a string, or undefined. */
  readonly formatOf?: (value: object) => string | undefined;
}

/** `mac_i8` → `MacI8`. */
export function pascalCase(name: string): string {
  const parts = name.split(/_+/).filter((p) => p.length > 0);
  const joined = parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  return /^[A-Za-z_$]/.test(joined) ? joined : `_${joined}`;
}

function propertyName(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name);
}

function portType(p: PortInfo): string {
  const fields = [`readonly dir: '${p.dir}'`, `readonly width: ${p.width}`, `readonly signed: ${p.signed}`, `readonly format: ${JSON.stringify(p.format)}`];
  if (p.role !== undefined) fields.push(`readonly role: '${p.role}'`);
  return `{ ${fields.join('; ')} }`;
}

function portValue(p: PortInfo): string {
  const fields = [`dir: '${p.dir}'`, `width: ${p.width}`, `signed: ${p.signed}`, `format: ${JSON.stringify(p.format)}`];
  if (p.role !== undefined) fields.push(`role: '${p.role}'`);
  return `{ ${fields.join(', ')} }`;
}

/** A parameter value as a TypeScript literal expression. */
function literal(value: unknown, formatOf: BindingsInput['formatOf']): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`bindings: parameter value ${value} is not finite`);
      return String(value);
    case 'boolean':
      return String(value);
    case 'bigint':
      // A string keeps the exact value without requiring an ES2020 target for bigint literals.
      return JSON.stringify(value.toString());
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((v) => literal(v, formatOf)).join(', ')}]`;
      const named = formatOf?.(value);
      if (named !== undefined) return JSON.stringify(named);
      const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${propertyName(k)}: ${literal(v, formatOf)}`);
      return `{ ${entries.join(', ')} }`;
    }
    default:
      throw new Error(`bindings: cannot render a parameter of type ${typeof value}`);
  }
}

export function generateBindings(input: BindingsInput): string {
  const project = new Project({ useInMemoryFileSystem: true });
  const file: SourceFile = project.createSourceFile(`${input.name}.ts`, '');
  const portsType = `${pascalCase(input.name)}Ports`;
  file.addStatements((w) => {
    for (const line of input.banner.split('\n')) w.writeLine(`// ${line}`.trimEnd());
  });
  file.addInterface({
    name: portsType,
    isExported: true,
    docs: [`Ports of the top module \`${input.top}\`: direction, width in bits, signedness and the format the bits carry.`],
    properties: input.ports.map((p) => ({ name: propertyName(p.name), type: portType(p), isReadonly: true })),
  });
  file.addTypeAlias({ name: 'PortName', isExported: true, type: `keyof ${portsType}` });
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: ['The top module name.'],
    declarations: [{ name: 'top', initializer: `${JSON.stringify(input.top)} as const` }],
  });
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    declarations: [{
      name: 'ports',
      initializer: (w) => {
        w.write('{').newLine();
        w.indent(() => {
          for (const p of input.ports) w.writeLine(`${propertyName(p.name)}: ${portValue(p)},`);
        });
        w.write(`} as const satisfies ${portsType}`);
      },
    }],
  });
  if (input.generator !== undefined) {
    file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: ['The generator that built the design.'],
      declarations: [{ name: 'generator', initializer: `${JSON.stringify(input.generator)} as const` }],
    });
  }
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: ['The design parameters (formats by their canonical names).'],
    declarations: [{
      name: 'parameters',
      initializer: (w) => {
        const params = Object.entries(input.parameters ?? {});
        if (params.length === 0) {
          w.write('{} as const');
          return;
        }
        w.write('{').newLine();
        w.indent(() => {
          for (const [k, v] of params) w.writeLine(`${propertyName(k)}: ${literal(v, input.formatOf)},`);
        });
        w.write('} as const');
      },
    }],
  });
  if (input.latency !== undefined) {
    file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: ['Cycles from applying an input vector to the outputs that reflect it.'],
      declarations: [{ name: 'latency', initializer: String(input.latency) }],
    });
  }
  file.formatText({ indentSize: 2, convertTabsToSpaces: true });
  return file.getFullText();
}
