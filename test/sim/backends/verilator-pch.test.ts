/** The PCH back end as data: the makefile variables it reads and the compile it describes (real use: test/sim/verilator-pch.test.ts). */
import { describe, expect, it } from 'vitest';
import { isGcc, parseMakeVars, pchCompile, verilatorPchProbe } from '../../../sim/backends/verilator-pch.ts';

// What Verilator 5.006's makefile printed for a -O0 cpp-main probe on Debian 12 (trimmed), with make's chatter around it.
const OUTPUT = [
  "make: Entering directory '/x/obj_dir'",
  'NPUGEN_MAKEVAR cxx=g++',
  'NPUGEN_MAKEVAR cxxflags=',
  'NPUGEN_MAKEVAR cppflags=-I.  -MMD -I/usr/share/verilator/include -DVM_TRACE=0 -faligned-new     -O0  ',
  'NPUGEN_MAKEVAR optFast=-Os',
  'NPUGEN_MAKEVAR optSlow=',
  'NPUGEN_MAKEVAR root=/usr/share/verilator',
].join('\n');

describe('verilator PCH back end', () => {
  it('reads the makefile variables (values may hold "="), and refuses output missing one', () => {
    const vars = parseMakeVars(OUTPUT);
    expect(vars).toEqual({ cxx: 'g++', cxxflags: '', cppflags: '-I.  -MMD -I/usr/share/verilator/include -DVM_TRACE=0 -faligned-new     -O0', optFast: '-Os', optSlow: '', root: '/usr/share/verilator' });
    expect(parseMakeVars(OUTPUT.replace(/\nNPUGEN_MAKEVAR root=.*/, ''))).toBeUndefined();
  });

  it('compiles verilated.h with the fast or the slow files\' flags, without the dependency-file flag', () => {
    const vars = parseMakeVars(OUTPUT)!;
    const fast = pchCompile(vars, 'verilated.h.gch', '/c');
    expect([fast.command, ...fast.args]).toEqual(['g++', '-I.', '-I/usr/share/verilator/include', '-DVM_TRACE=0', '-faligned-new', '-O0', '-Os',
      '-x', 'c++-header', '/usr/share/verilator/include/verilated.h', '-o', 'verilated.h.gch']);
    expect(pchCompile(vars, 'verilated.h.gch', '/c', 'slow').args.slice(0, 5)).toEqual(['-I.', '-I/usr/share/verilator/include', '-DVM_TRACE=0', '-faligned-new', '-O0']);
    expect(pchCompile(vars, 'verilated.h.gch', '/c', 'slow').args[5]).toBe('-x');
  });

  it('probes --binary builds as --main --timing without --build (Verilator has no --no-build)', () => {
    const { verilate } = verilatorPchProbe({ style: 'binary', cppOpt: undefined, cwd: '/p' });
    expect(verilate.args.slice(0, 4)).toEqual(['--cc', '--main', '--exe', '--timing']);
    expect(verilate.args).not.toContain('--build');
    expect(verilatorPchProbe({ style: 'cpp-main', cppOpt: '-O0', cwd: '/p' }).printVars.args).toEqual(expect.arrayContaining(['OPT_FAST=-O0', 'OPT_SLOW=-O0', 'OPT_GLOBAL=-O0']));
  });

  it('uses a PCH with GCC only', () => {
    expect(isGcc('g++ (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.')).toBe(true);
    expect(isGcc('Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu\nThread model: posix')).toBe(false);
    expect(isGcc('Apple clang version 15.0.0 (clang-1500.3.9.4)')).toBe(false);
  });
});
