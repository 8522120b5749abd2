/**
 * Yosys / nextpnr-ice40 steps of bench/qor.ts, run through the runner: resource counts of
 * `synth_ice40` (no DSP) and generic `synth -flatten -lut 4`, and nextpnr-ice40 Fmax of a
 * design wrapped in a serial-IO shell (every DUT input from a shift-register flop, every output
 * into a parallel-load shift register), so designs with hundreds of ports fit the package and
 * the reported clock covers reg -> DUT -> reg paths only.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInvocation, ToolNotFoundError } from '../../sim/runner.ts';
import type { Port } from '../../formats/port.ts';

export interface Counts {
  readonly lut: number;
  readonly ff: number;
  readonly dsp: number;
  readonly carry: number;
  readonly cells: Readonly<Record<string, number>>;
}

export type Target = 'ice40' | 'generic';

const isFf = (t: string): boolean => t.startsWith('SB_DFF') || /^\$_(S?DFF|DFFE|SDFFE|SDFFCE|ALDFF|DFFSR|DLATCH)/.test(t);

export async function synthCounts(dir: string, files: readonly string[], top: string, target: Target, extra: { json?: string } = {}): Promise<Counts> {
  await mkdir(dir, { recursive: true });
  const synth = target === 'ice40' ? `synth_ice40 -top ${top}${extra.json !== undefined ? ` -json ${extra.json}` : ''}` : `synth -flatten -top ${top} -lut 4`;
  const script = [...files.map((f) => `read_verilog -defer ${f}`), synth, 'tee -q -o stat.json stat -json'].join('\n');
  await writeFile(join(dir, 'synth.ys'), `${script}\n`);
  await runInvocation({ tool: 'yosys', command: 'yosys', args: ['-q', '-l', 'yosys.log', 'synth.ys'], env: {}, cwd: dir, aptPackage: 'yosys' }, { timeoutMs: 3_600_000 });
  const stat = JSON.parse(await readFile(join(dir, 'stat.json'), 'utf8')) as { design: { num_cells_by_type: Record<string, number> } };
  const cells = stat.design.num_cells_by_type;
  let lut = 0;
  let ff = 0;
  let dsp = 0;
  let carry = 0;
  for (const [t, n] of Object.entries(cells)) {
    if (t === 'SB_LUT4' || t === '$lut') lut += n;
    else if (isFf(t)) ff += n;
    else if (t === 'SB_MAC16' || t === '$mul' || t === '$macc') dsp += n;
    else if (t === 'SB_CARRY') carry += n;
  }
  return { lut, ff, dsp, carry, cells };
}

export interface ShellPorts {
  readonly top: string;
  readonly clock: string;
  readonly reset?: string;
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];
}

/** Verilog of the serial-IO shell `pnr_shell(clk, sin, ld, sout)` around `top`. */
export function serialShell(p: ShellPorts): string {
  const ins = [...p.inputs, ...(p.reset !== undefined ? [{ name: p.reset, width: 1, signed: false }] : [])];
  const wi = ins.reduce((s, x) => s + x.width, 0);
  const wo = p.outputs.reduce((s, x) => s + x.width, 0);
  let at = 0;
  const conns = ins.map((x) => {
    const c = `    .${x.name}(isr[${at + x.width - 1}:${at}])`;
    at += x.width;
    return c;
  });
  const outs = p.outputs.map((x) => `  wire [${x.width - 1}:0] o_${x.name};`);
  return `\`default_nettype none
module pnr_shell (input wire clk, input wire sin, input wire ld, output wire sout);
  reg [${wi}:0] isr;
  always @(posedge clk) isr <= {isr[${wi - 1}:0], sin};
${outs.join('\n')}
  ${p.top} dut (
    .${p.clock}(clk),
${[...conns, ...p.outputs.map((x) => `    .${x.name}(o_${x.name})`)].join(',\n')}
  );
  reg [${wo - 1}:0] osr;
  always @(posedge clk) osr <= ld ? {${p.outputs.map((x) => `o_${x.name}`).reverse().join(', ')}} : {1'b0, osr[${wo - 1}:1]};
  assign sout = osr[0];
endmodule
\`default_nettype wire
`;
}

export interface FmaxResult {
  readonly mhz?: number;
  readonly note?: string;
}

/** Fmax of each placement seed of one synthesis, and their mean / median. */
export interface FmaxSeeds {
  readonly seeds: readonly number[];
  readonly perSeed: readonly FmaxResult[];
  readonly meanMhz?: number;
  readonly medianMhz?: number;
}

let nextpnrMissing: boolean | undefined;

/** Synthesizes the shell + design for iCE40 and places/routes it on an HX8K (CT256); Fmax of clk. */
export async function fmaxIce40(dir: string, files: readonly string[], ports: ShellPorts, seed = 1): Promise<FmaxResult> {
  return (await fmaxIce40Seeds(dir, files, ports, [seed])).perSeed[0]!;
}

/**
 * As `fmaxIce40` for several nextpnr placement seeds: one synthesis (so the seeds vary only
 * placement), one nextpnr run per seed; the mean and median over the seeds that gave an Fmax.
 */
export async function fmaxIce40Seeds(dir: string, files: readonly string[], ports: ShellPorts, seeds: readonly number[]): Promise<FmaxSeeds> {
  const all = (note: string): FmaxSeeds => ({ seeds, perSeed: seeds.map(() => ({ note })) });
  if (nextpnrMissing === true) return all('nextpnr-ice40 not installed');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'pnr_shell.v'), serialShell(ports));
  const counts = await synthCounts(dir, [...files, 'pnr_shell.v'], 'pnr_shell', 'ice40', { json: 'shell.json' });
  if (counts.lut > 7680) return all(`does not fit an iCE40 HX8K (${counts.lut} LUT4 > 7680)`);
  const perSeed: FmaxResult[] = [];
  for (const seed of seeds) {
    // Seed 1 alone keeps the single run's log name.
    const log = seeds.length === 1 ? 'nextpnr.log' : `nextpnr_seed${seed}.log`;
    try {
      await runInvocation({
        tool: 'nextpnr-ice40', command: 'nextpnr-ice40',
        args: ['--hx8k', '--package', 'ct256', '--json', 'shell.json', '--pcf-allow-unconstrained', '--freq', '200', '--timing-allow-fail', '--seed', String(seed), '--log', log, '-q'],
        env: {}, cwd: dir, aptPackage: 'nextpnr-ice40',
      }, { timeoutMs: 3_600_000 });
    } catch (e) {
      if (e instanceof ToolNotFoundError) {
        nextpnrMissing = true;
        return all('nextpnr-ice40 not installed');
      }
      perSeed.push({ note: `nextpnr failed: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const text = await readFile(join(dir, log), 'utf8');
    const found = [...text.matchAll(/Max frequency for clock\s+'[^']*':\s+([\d.]+) MHz/g)];
    const last = found[found.length - 1];
    perSeed.push(last === undefined ? { note: 'no Fmax in nextpnr log' } : { mhz: Number(last[1]) });
  }
  const mhz = perSeed.flatMap((r) => (r.mhz !== undefined ? [r.mhz] : []));
  if (mhz.length === 0) return { seeds, perSeed };
  const sorted = [...mhz].sort((a, b) => a - b);
  const h = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
  return { seeds, perSeed, meanMhz: mhz.reduce((a, b) => a + b, 0) / mhz.length, medianMhz: median };
}
