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
 *
 * `-fno-subst`: Verilator 5.006 stops with "Internal Error: V3EmitCFunc.h:1031: Reduction over
 * single bit value should have been folded" on `^(~i0)` over a 68-bit port `i0` tied to
 * `{67'h0, x}` (found by the fuzz campaign, batches 12 and 17: each 500-design build failed).
 * The wide-op expansion leaves a one-bit reduction that its substitution pass exposes after
 * the constant folding has run; with the substitution off (or the expansion off) the model
 * builds and simulates correctly. No upstream report was found for this one.
 *
 * `-fno-dfg-peephole-remove-sel-from-lhs-of-concat`: with the two flags above, Verilator 5.006
 * still made `$signed({i0[53], i0} + 55'h7fffffffffffff) <= $signed(55'h1)` 0 (it is -1 <= 1,
 * true) in a submodule whose port `i0` is `{{52{n[1]}}, n}` with `n = {1'h0, {1'h0, x}[1]}`,
 * the constant 0 after inlining, two instance levels below the top (fuzz campaign batch 17,
 * design 24, bench/results/fuzz-cases/fz2vvk-d24-verilator.json). `-fno-dfg` or
 * `-fno-dfg-peephole` fix it; of the DFG peephole patterns the wrong answer needs exactly three
 * enabled: this one, REPLACE_CONCAT_ZERO_AND_SEL_TOP_WITH_SHIFTR and REPLACE_EXTEND (with only
 * those three on it shows; turning off any one of them fixes it; we turn off this one, which
 * also fixes the full 4,109-node case). V3Const folds the same
 * expression correctly. No upstream issue found (searched the tracker for DFG concat/select
 * peephole and signed comparison wrong results; #6000 needs fold-binary, already off); the
 * reproducer is in docs/fuzzing.md.
 * `-fno-const-bit-op-tree`: Verilator 5.006's bit-op-tree optimization (V3Const, run again after
 * the wide-op expansion) gave `~a ^ (b ^ ~a)` as `~b` when `b` is a term it cannot merge (an AND
 * of two bits): in an XOR tree it keeps one running parity for the NOTs it passes, but a term it
 * "freezes" also took the parity seen so far, so the NOT was counted twice. Found by the fuzz
 * campaign (batch 15, design 136, bench/results/fuzz-cases/fz2jnm-d136-verilator.json:
 * `^{n, {3'h0, &i0}, n}` with `n = (5'h0 == {4'h0, o4})` across a submodule boundary gave the
 * complement of `&i0`). This is verilator/verilator#4059, fixed by PR #4070 in 5.010 (the
 * frozen node of an XOR tree no longer carries the polarity). `-fno-gate`, `-fno-expand` or
 * `-O0` hide it here only by changing the tree's shape; the flag switches off just that one
 * optimization.
 * Used by sim/backends/verilator.ts (every Verilator build) and generators/fpga/fusesoc.ts (the
 * generated core). Tested: test/sim/backends/verilator-workarounds.test.ts.
 */
export const VERILATOR_WORKAROUNDS: readonly string[] = [
  '-fno-dfg-peephole-fold-binary', '-fno-subst', '-fno-dfg-peephole-remove-sel-from-lhs-of-concat',
  '-fno-const-bit-op-tree',
];
