/**
 * Deterministic name legalization: user names are kept unless they are Verilog reserved words
 * (then `name_`); generated names never collide with user names (a numeric suffix is added).
 */
import { isReservedWord } from '../../dsl/passes/reserved-words.ts';

export class NameTable {
  private readonly used = new Set<string>();

  /** Reserves a user name, legalized; returns the emitted name. */
  user(name: string): string {
    return this.fresh(isReservedWord(name) ? `${name}_` : name);
  }

  /** A fresh generated name from a hint. */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name) || isReservedWord(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }
}
