import { describe, expect, it } from 'vitest';
import { icarusCompile, icarusRun } from '../../../sim/backends/icarus.ts';
import { shellLine, shellQuote } from '../../../sim/backends/invocation.ts';
import { verilatorLint, yosysCheck } from '../../../sim/backends/lint.ts';
import { verilatorBuild, verilatorExecutable, verilatorRun } from '../../../sim/backends/verilator.ts';

describe('icarus back end', () => {
  it('compiles Verilog-2005 with the given tops and runs vvp with plusargs', () => {
    const c = icarusCompile({ sources: ['../src/a.v', '../src/tb.v'], tops: ['tb'], output: 'sim.vvp', cwd: '/r/build' });
    expect(c.command).toBe('iverilog');
    expect(c.args).toEqual(['-g2005', '-Wall', '-Wno-timescale', '-s', 'tb', '-o', 'sim.vvp', '../src/a.v', '../src/tb.v']);
    expect(c.aptPackage).toBe('iverilog');
    const r = icarusRun({ vvpFile: 'build/sim.vvp', plusargs: ['vectors=3'], cwd: '/r', vvp: '/opt/vvp' });
    expect(r).toMatchObject({ command: '/opt/vvp', args: ['-n', 'build/sim.vvp', '+vectors=3'], cwd: '/r' });
  });
});

describe('verilator back end', () => {
  it('builds with a C++ main, split output and randomized X', () => {
    const b = verilatorBuild({ sources: ['../src/tb.v'], top: 'npugen_tb', style: 'cpp-main', mainCpp: '../src/main.cpp', cwd: '/r/build' });
    expect(b.args.slice(0, 5)).toEqual(['--cc', '--exe', '--build', '--no-timing', '../src/main.cpp']);
    expect(b.args).toEqual(expect.arrayContaining(['--output-split', '20000', '--output-split-cfuncs', '2000', '--x-assign', 'unique', '--x-initial', 'unique']));
    expect(verilatorExecutable()).toBe('obj_dir/Vsim');
    const r = verilatorRun({ executable: 'build/obj_dir/Vsim', plusargs: ['vectors=3'], cwd: '/r', seed: 9 });
    expect(r.command).toBe('./build/obj_dir/Vsim');
    expect(r.args).toEqual(['+verilator+seed+9', '+verilator+rand+reset+2', '+vectors=3']);
  });

  it('uses --binary (with timing) for the wrapper-clocked style', () => {
    const b = verilatorBuild({ sources: ['w.v'], top: 'w', style: 'binary', cwd: '.' });
    expect(b.args[0]).toBe('--binary');
    expect(b.args).not.toContain('--no-timing');
  });
});

describe('verilator C++ optimization level', () => {
  const makeFlags = (b: { args: readonly string[] }): string | undefined => b.args[b.args.indexOf('-MAKEFLAGS') + 1];
  it('NPUGEN_VERILATOR_OPT sets the level of builds that ask for none; an explicit cppOpt wins; junk is ignored', () => {
    const saved = process.env['NPUGEN_VERILATOR_OPT'];
    try {
      const input = { sources: ['w.v'], top: 'w', style: 'binary', cwd: '.' } as const;
      process.env['NPUGEN_VERILATOR_OPT'] = '-O2';
      expect(makeFlags(verilatorBuild(input))).toBe('OPT_FAST=-O2 OPT_SLOW=-O2 OPT_GLOBAL=-O2');
      expect(makeFlags(verilatorBuild({ ...input, cppOpt: '-O3' }))).toBe('OPT_FAST=-O3 OPT_SLOW=-O3 OPT_GLOBAL=-O3');
      process.env['NPUGEN_VERILATOR_OPT'] = '-Ofast; rm -rf /';
      expect(verilatorBuild(input).args).not.toContain('-MAKEFLAGS');
      delete process.env['NPUGEN_VERILATOR_OPT'];
      expect(verilatorBuild(input).args).not.toContain('-MAKEFLAGS');
    } finally {
      if (saved === undefined) delete process.env['NPUGEN_VERILATOR_OPT'];
      else process.env['NPUGEN_VERILATOR_OPT'] = saved;
    }
  });

  it('a PCH goes into OPT_FAST, into OPT_SLOW at the same level (else the slow PCH), never OPT_GLOBAL; ccache gets the PCH sloppiness on top of the user\'s', () => {
    const saved = { sloppiness: process.env['CCACHE_SLOPPINESS'], opt: process.env['NPUGEN_VERILATOR_OPT'] };
    try {
      process.env['CCACHE_SLOPPINESS'] = 'locale';
      delete process.env['NPUGEN_VERILATOR_OPT'];
      const input = { sources: ['w.v'], top: 'w', style: 'cpp-main', cwd: '.', objcache: 'ccache' } as const;
      const pch = { header: '/c/p/verilated.h', optFast: '-O0', optSlow: '-O0' };
      const at0 = verilatorBuild({ ...input, cppOpt: '-O0', pch });
      expect(makeFlags(at0)).toBe("OPT_FAST='-O0 -include /c/p/verilated.h -Winvalid-pch' OPT_SLOW='-O0 -include /c/p/verilated.h -Winvalid-pch' OPT_GLOBAL=-O0");
      expect(at0.env).toEqual({ OBJCACHE: 'ccache', CCACHE_SLOPPINESS: 'locale,pch_defines,time_macros' });
      // The makefile's own levels (probed: OPT_FAST -Os, OPT_SLOW empty) stay as they are; slow
      // files get the slow PCH, or none.
      const dflt = { ...input, pch: { ...pch, optFast: '-Os', optSlow: '' } };
      expect(makeFlags(verilatorBuild(dflt))).toBe("OPT_FAST='-Os -include /c/p/verilated.h -Winvalid-pch'");
      expect(makeFlags(verilatorBuild({ ...dflt, pch: { ...dflt.pch, slowHeader: '/c/p/slow/verilated.h' } })))
        .toBe("OPT_FAST='-Os -include /c/p/verilated.h -Winvalid-pch' OPT_SLOW='-include /c/p/slow/verilated.h -Winvalid-pch'");
      expect(verilatorBuild({ ...input, cppOpt: '-O0' }).env).toEqual({ OBJCACHE: 'ccache' });
      // ccache's config-file value (from `ccache --get-config sloppiness`) wins over the variable.
      expect(verilatorBuild({ ...input, pch, ccacheSloppiness: 'include_file_mtime' }).env['CCACHE_SLOPPINESS']).toBe('include_file_mtime,pch_defines,time_macros');
    } finally {
      for (const [name, value] of [['CCACHE_SLOPPINESS', saved.sloppiness], ['NPUGEN_VERILATOR_OPT', saved.opt]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('lint back ends', () => {
  it('runs verilator --lint-only -Wall', () => {
    expect(verilatorLint({ sources: ['m.v'], top: 'm', cwd: '/x' }).args).toEqual(['--lint-only', '-Wall', '--top-module', 'm', 'm.v']);
  });

  it('describes a yosys coarse synth (no share) + check -assert (+ no latch) script as a file', () => {
    const y = yosysCheck({ sources: ['m.v'], top: 'm', cwd: '/x' });
    expect(y.args).toEqual(['-q', '-s', 'check.ys']);
    expect(y.files?.[0]?.content).toMatch(/^read_verilog m\.v\nsynth -top m -noshare -run :fine\ncheck -assert\nselect -assert-none t:\$dlatch /);
  });
});

describe('shell rendering', () => {
  it('quotes only what needs quoting', () => {
    expect(shellQuote('+stim=vectors/s.bin')).toBe('+stim=vectors/s.bin');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellLine({ tool: 't', command: 'a b', args: ['x'], env: { K: 'v w' }, cwd: '.' })).toBe("K='v w' 'a b' x");
  });
});
