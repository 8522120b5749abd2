/** The check pipeline: every check over a module; all diagnostics reported together. */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Design, ModuleIR } from '../ir/nodes.ts';
import { checkNames } from './check-names.ts';
import { checkDrivers, checkInstancePorts, checkUnusedInputs } from './check-drivers.ts';
import { checkTypes } from './check-types.ts';
import { checkCombLoops } from './check-loops.ts';

/**
 * Runs all checks on one module of a design. `poisoned` lists nodes whose type already failed
 * an op's rule, so one mistake is not reported again at every sink it reaches.
 */
export function checkModule(design: Design, m: ModuleIR, poisoned: ReadonlySet<number> = new Set()): Diagnostic[] {
  const out: Diagnostic[] = [...checkNames(m), ...checkDrivers(m), ...checkInstancePorts(design, m), ...checkTypes(design, m, poisoned)];
  // A loop search over a graph with dangling drivers would only restate those errors.
  if (!out.some((d) => d.severity === 'error')) out.push(...checkCombLoops(design, m));
  out.push(...checkUnusedInputs(m));
  return out;
}

/** Runs all checks on every module of a design. */
export function checkDesign(design: Design): Diagnostic[] {
  return design.modules.flatMap((m) => checkModule(design, m));
}
