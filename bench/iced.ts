/**
 * The bench's x86-64 program (bench/gen.ts) through iced-x86's BlockEncoder: the warm row and the
 * whole-process script (iced-cold.ts) share it. Instruction i sits at the fake address 16·i; a
 * branch names its label's first instruction, and BlockEncoder picks the branch sizes.
 */
import { R32, R64, type Mem, type X86Program } from './gen.js';

export function icedProgram(iced: any, p: X86Program): () => Uint8Array {
  const { Instruction, BlockEncoder, MemoryOperand, Code, Register } = iced;
  const reg64 = R64.map((n) => Register[n.toUpperCase()]);
  const reg32 = R32.map((n) => Register[n.toUpperCase()]);
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const mo = (m: Mem) => new MemoryOperand(reg64[m.base], m.index !== undefined ? reg64[m.index] : Register.None, m.scale, BigInt(m.disp), m.disp === 0 ? 0 : 1, false, Register.None);
  const fits8 = (v: number) => v >= -128 && v <= 127;
  const labelIp: bigint[] = [];
  p.labelAt.forEach((l, i) => l >= 0 && (labelIp[l] = BigInt(i * 16)));
  return () => {
    const enc = new BlockEncoder(64, 0);
    p.ops.forEach((o, i) => {
      let ins: any;
      switch (o.k) {
        case 'load': ins = Instruction.createRegMem(Code.Mov_r64_rm64, reg64[o.dst], mo(o.m)); break;
        case 'store': ins = Instruction.createMemReg(Code.Mov_rm32_r32, mo(o.m), reg32[o.src]); break;
        case 'lea': ins = Instruction.createRegMem(Code.Lea_r64_m, reg64[o.dst], mo(o.m)); break;
        case 'alui': ins = Instruction.createRegI32(Code[`${cap(o.op)}_rm64_imm${fits8(o.imm) ? 8 : 32}`], reg64[o.dst], o.imm); break;
        case 'alur': ins = Instruction.createRegReg(Code[`${cap(o.op)}_rm64_r64`], reg64[o.dst], reg64[o.src]); break;
        case 'movi': ins = Instruction.createRegU32(Code.Mov_r32_imm32, reg32[o.dst], o.imm); break;
        case 'cmpm': ins = Instruction.createMemI32(Code.Cmp_rm32_imm8, mo(o.m), o.imm); break;
        case 'jcc': ins = Instruction.createBranch(Code[`${cap(o.cc)}_rel8_64`], labelIp[o.target]); break;
        case 'jmp': ins = Instruction.createBranch(Code.Jmp_rel8_64, labelIp[o.target]); break;
      }
      ins.ip = BigInt(i * 16);
      enc.add(ins);
      ins.free?.();
    });
    const out = enc.encode(0n) as Uint8Array;
    enc.free?.();
    return out;
  };
}
