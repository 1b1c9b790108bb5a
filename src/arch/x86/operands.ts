import type { Expr } from '../../core/expr.js';
import type { Reg } from './registers.js';

/**
 * Operand kinds of the instruction table, in the Intel manual's vocabulary.
 *
 * - `r8`…`r64`: a general register of that size; `al ax eax rax cl`: that register only (implicit,
 *   not encoded).
 * - `rm8`…`rm64`: a register or memory operand of that size (ModRM r/m field); `m`: memory of any
 *   size (lea). `mnosize`: memory written without a size word, which nasm refuses ("mismatch in
 *   operand sizes") because the operand is a structure no size word names (lgdt's base and limit,
 *   lss's far pointer, bound's pair) or no data at all (invlpg, clflush).
 * - `imm8`: 8-bit field, value -128..255. `imm8s`: 8-bit field sign-extended to the operand size.
 *   `imm16`, `imm32`: fields of that width, value signed or unsigned in the field width.
 *   `imm32s`: 32-bit field sign-extended to 64 bits. `imm64`: full 64 bits. `imm32u`: a 64-bit
 *   destination written through its 32-bit half (zero-extended, the `mov r64, imm` shortcut).
 *   `one`: the constant 1 (the D0/D1 shift forms).
 * - `rel8`, `rel32`: branch displacement from the end of the instruction (`rel32` is rel16 in
 *   16-bit mode).
 * - `moffs8`…`moffs64`: a memory operand that is only an address (A0–A3 forms).
 * - `dx ecx edx`: that register only (in/out port, monitor/mwait). `es cs ss ds fs gs`: that
 *   segment register only (push/pop). `sreg`: any segment register (ModRM.reg of mov).
 *   `creg`, `dreg`: a control or debug register (ModRM.reg of mov crN/drN).
 * - `m16`, `m32`, `m64`: memory only, of that size (movbe, cmpxchg8b, mov sreg).
 * - `far16`, `far32`, `far64`: `far [mem]`, a pointer of selector and 16/32/64-bit offset in memory.
 * - `ptr16`, `ptr32`: `selector:offset` written in the instruction (far jmp/call), offset of that width.
 */
export type OpKind =
  | 'r8' | 'r16' | 'r32' | 'r64'
  | 'al' | 'ax' | 'eax' | 'rax' | 'cl'
  | 'rm8' | 'rm16' | 'rm32' | 'rm64' | 'm' | 'mnosize'
  | 'imm8' | 'imm8s' | 'imm16' | 'imm32' | 'imm32s' | 'imm32u' | 'imm64' | 'one'
  | 'rel8' | 'rel32'
  | 'moffs8' | 'moffs16' | 'moffs32' | 'moffs64'
  | 'dx' | 'ecx' | 'edx' | 'es' | 'cs' | 'ss' | 'ds' | 'fs' | 'gs' | 'sreg' | 'creg' | 'dreg'
  | 'm16' | 'm32' | 'm64' | 'far16' | 'far32' | 'far64' | 'ptr16' | 'ptr32';

export type Size = 8 | 16 | 32 | 64;

/** A register operand. */
export interface RegOperand {
  t: 'reg';
  reg: Reg;
  /** 1-based source column, for error messages (0 from the builder). */
  col: number;
}

/** A memory operand `size [seg: base + index*scale + disp]`. */
export interface MemOperand {
  t: 'mem';
  size: Size | undefined;
  base: Reg | undefined;
  index: Reg | undefined;
  scale: 1 | 2 | 4 | 8;
  disp: Expr | undefined;
  /** `rel` (RIP-relative) / `abs` written in the operand; undefined = the `default rel|abs` setting. */
  rel: boolean | undefined;
  seg: Reg | undefined;
  /** `[qword addr]`: a full 64-bit absolute address (only the moffs forms of mov take it). */
  wide?: boolean;
  /**
   * `[byte rax+1]`, `[dword rax+1]`, `[word bx+1]`: the displacement's size, chosen by the writer
   * instead of by its value (an address without a base register always takes its full size).
   */
  dispSize?: 1 | 2 | 4;
  col: number;
  /** `far [mem]`: the operand is a far pointer in memory (jmp/call far). */
  far?: boolean;
  /**
   * The displacement as a number, when the operand's maker had it as an int32 (the builder's
   * `mem()`): the same value as `disp`, which the fast encoder then need not convert from a BigInt.
   */
  dispNumber?: number;
}

/** An immediate, a branch target or a constant; `size` and `strict` come from `dword`, `strict byte` etc. */
export interface ImmOperand {
  t: 'imm';
  e: Expr;
  size: Size | undefined;
  strict: boolean;
  /** `short` / `near` before a branch target. */
  dist: 'short' | 'near' | undefined;
  col: number;
  /** `selector:offset` (a far pointer): the selector; `e` is the offset. */
  seg?: Expr;
}

export type Operand = RegOperand | MemOperand | ImmOperand;

/** One parsed instruction: what both the text syntax and the builder hand to the encoder. */
export interface X86Insn {
  mn: string;
  ops: Operand[];
  /** Prefix bytes written before the mnemonic (`rep`, `lock`, …), in source order. */
  prefixes: number[];
  bits: 16 | 32 | 64;
  /** `default rel` was in effect. */
  defaultRel: boolean;
  /** A segment register written as a prefix word (`fs lodsb`): its override byte. */
  seg?: number;
  /** `a16`/`a32`/`a64` before the mnemonic: the address size the instruction must use. */
  addrSize?: 16 | 32 | 64;
  /** `o16`/`o32`/`o64` before the mnemonic: the operand size the instruction must use. */
  opSize?: 16 | 32 | 64;
  /** Set by the encoder: the bytes do not depend on the address or on symbols … */
  pure?: boolean;
  /** … so they are kept, with the `atLeast` they were made for. */
  cache?: { atLeast: number; bytes: Uint8Array };
}

export function describeOperand(o: Operand): string {
  if (o.t === 'reg') return `register ${o.reg.name}`;
  if (o.t === 'mem') return o.size ? `a ${o.size}-bit memory operand` : 'a memory operand without a size';
  return o.seg ? 'a far pointer (selector:offset)' : 'an immediate';
}

export function describeKind(k: OpKind): string {
  switch (k) {
    case 'r8': case 'r16': case 'r32': case 'r64': return `a ${k.slice(1)}-bit register`;
    case 'al': case 'ax': case 'eax': case 'rax': case 'cl': return k;
    case 'rm8': case 'rm16': case 'rm32': case 'rm64': return `a ${k.slice(2)}-bit register or memory operand`;
    case 'm': return 'a memory operand';
    case 'mnosize': return 'a memory operand without a size word';
    case 'imm8': case 'imm8s': return 'an 8-bit immediate';
    case 'imm16': return 'a 16-bit immediate';
    case 'imm32': case 'imm32s': case 'imm32u': return 'a 32-bit immediate';
    case 'imm64': return 'a 64-bit immediate';
    case 'one': return 'the constant 1';
    case 'rel8': return 'a short branch target (within -128..127 bytes)';
    case 'rel32': return 'a branch target';
    case 'dx': case 'ecx': case 'edx': case 'es': case 'cs': case 'ss': case 'ds': case 'fs': case 'gs': return k;
    case 'sreg': return 'a segment register';
    case 'creg': return 'a control register';
    case 'dreg': return 'a debug register';
    case 'm16': case 'm32': case 'm64': return `a ${k.slice(1)}-bit memory operand`;
    case 'far16': case 'far32': case 'far64': return `a far pointer in memory (far [mem]) with a ${k.slice(3)}-bit offset`;
    case 'ptr16': case 'ptr32': return `a far pointer (selector:offset) with a ${k.slice(3)}-bit offset`;
    default: return `a ${k.slice(5)}-bit absolute memory address`;
  }
}

export interface MemSpec {
  size?: Size | undefined;
  base?: Reg | undefined;
  index?: Reg | undefined;
  scale?: number;
  disp?: Expr | undefined;
  rel?: boolean | undefined;
  seg?: Reg | undefined;
  col?: number;
}

/**
 * Builds a memory operand, rewriting index-only forms the way nasm does because they are shorter:
 * `[rax*1]` is `[rax]`, `[rax*2]` is `[rax+rax]`, `[rax*3|5|9]` is `[rax+rax*2|4|8]` (an index
 * without a base costs a 4-byte displacement). Returns an error message for an invalid scale.
 */
export function makeMem(spec: MemSpec): MemOperand | string {
  let base = spec.base;
  let index = spec.index;
  let scale = spec.scale ?? 1;
  if (index && !base) {
    if (scale === 1) [base, index] = [index, undefined];
    else if (scale === 2 || scale === 3 || scale === 5 || scale === 9) {
      base = index;
      scale = scale === 2 ? 1 : scale - 1;
    }
  }
  if (!index) scale = 1;
  if (scale !== 1 && scale !== 2 && scale !== 4 && scale !== 8) return `scale must be 1, 2, 4 or 8, not ${scale}`;
  return { t: 'mem', size: spec.size, base, index, scale, disp: spec.disp, rel: spec.rel, seg: spec.seg, col: spec.col ?? 0 };
}
