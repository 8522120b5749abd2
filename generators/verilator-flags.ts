/**
 * Flags that keep known Verilator miscompilations out of every simulation build.
 *
 * `-fno-dfg-peephole-fold-binary`: Verilator's DFG optimizer (5.006 .. 5.036) folds a signed `<=`
 * of two constants to 0 when they are equal (verilator/verilator#6000, fixed by PR #6004 after
 * 5.036). It bites after inlining: `$signed(i1) >= $signed(20'h0)` in a submodule whose port
 * `i1` is tied to `20'h0` became 0 (Verilator canonicalizes `>=` to a swapped `<=`), found by the
 * fuzz campaign (bench/results/fuzz-cases/fz1-d39-verilator.json). The emitted Verilog is
 * correct (Icarus and yosys agree), and any rewrite of the comparison in the emitter is
 * canonicalized back by Verilator, so the fix is to skip that one fold: Verilator's V3Const
 * folds the same constants correctly afterwards. Verilator ignores peephole names it does not
 * know, so the flag is harmless on versions where the pattern is named differently.
 * Used by sim/backends/verilator.ts (every Verilator build) and generators/fpga/fusesoc.ts (the
 * generated core). Tested: test/sim/backends/verilator-workarounds.test.ts.
 */
export const VERILATOR_WORKAROUNDS: readonly string[] = ['-fno-dfg-peephole-fold-binary'];
