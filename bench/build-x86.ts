/** The bench's x86-64 program (bench/gen.ts) through tinyelf's builder API. */
import { x86 } from '../src/index.js';
import { R32, R64, type Mem, type X86Program } from './gen.js';

/**
 * The program through the builder API, written as a user would: the package's x86 functions and
 * registers taken once, one `mem({...})` call per memory operand (its size included).
 */
export function buildX86(p: X86Program): () => Uint8Array {
  const { X86Builder, mem } = x86;
  const regs64 = R64.map((n) => x86[n]);
  const regs32 = R32.map((n) => x86[n]);
  const memOf = (m: Mem, size?: 32 | 64) => mem({ base: regs64[m.base], index: m.index === undefined ? undefined : regs64[m.index], scale: m.scale, disp: m.disp, size });
  return () => {
    const a = new X86Builder('x86_64');
    const labels: x86.Label[] = [];
    for (let i = 0; i < p.labels; i++) labels.push(a.label());
    const ops = p.ops;
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!;
      const l = p.labelAt[i]!;
      if (l >= 0) a.bind(labels[l]!);
      switch (o.k) {
        case 'load': a.mov(regs64[o.dst]!, memOf(o.m, 64)); break;
        case 'store': a.mov(memOf(o.m, 32), regs32[o.src]!); break;
        case 'lea': a.lea(regs64[o.dst]!, memOf(o.m)); break;
        case 'alui': a[o.op](regs64[o.dst]!, o.imm); break;
        case 'alur': a[o.op](regs64[o.dst]!, regs64[o.src]!); break;
        case 'movi': a.mov(regs32[o.dst]!, o.imm); break;
        case 'cmpm': a.cmp(memOf(o.m, 32), o.imm); break;
        case 'jcc': a[o.cc](labels[o.target]!); break;
        case 'jmp': a.jmp(labels[o.target]!); break;
      }
    }
    return a.assemble();
  };
}
