/**
 * Generates A64 test forms from the instruction table itself (every row × registers incl. sp/zr,
 * boundary immediates, sampled bitmask immediates, shifts and extends), in GNU syntax, plus forms
 * that must be rejected. Deterministic (seeded), so the golden files can be regenerated and diffed.
 * Each half of the table (table.ts's TABLE, table-extra.ts's EXTRA_TABLE) has its own files:
 * golden/valid.txt + invalid.txt and golden/more-valid.txt + more-invalid.txt.
 *
 *   npx tsx test/aarch64/gen.ts --write     regenerates test/aarch64/golden/*.txt with llvm-mc
 */
import { decodeBitmask } from '../../src/arch/aarch64/encoder.js';
import { CONDITIONS } from '../../src/arch/aarch64/operands.js';
import { rowsByMnemonic, type Row } from '../../src/arch/aarch64/table.js';
import { SYS_OPERATIONS, SYSTEM_REGISTERS } from '../../src/arch/aarch64/system-names.js';
import { rng } from '../helpers/rng.js';
export { rng };


const hex = (v: bigint): string => '0x' + v.toString(16);

/** Every valid bitmask immediate of a width, from all N:immr:imms (5334 distinct for 64 bits, 1302 for 32). */
export function allBitmasks(width: 32 | 64): bigint[] {
  const out = new Set<bigint>();
  for (let n = 0; n <= (width === 64 ? 1 : 0); n++)
    for (let immr = 0; immr < 64; immr++)
      for (let imms = 0; imms < 64; imms++) {
        const v = decodeBitmask(n, immr, imms, width);
        if (v !== undefined) out.add(v);
      }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface Generated {
  /** Forms llvm-mc accepts, each one 4-byte instruction. */
  valid: string[];
  /** Forms that must be rejected at parse/encode time (llvm-mc must reject them too). */
  invalid: string[];
  /** Out-of-range or misaligned PC-relative targets (llvm-mc checks these only in -filetype=obj). */
  invalidRange: string[];
  /** Out-of-range targets LLVM 14 silently wraps (its imm19/adr fixups are not range-checked): ours only. */
  invalidRangeOursOnly: string[];
}

/** The table half whose forms are generated: 'first' is TABLE (golden/valid.txt), 'second' EXTRA_TABLE (golden/more-valid.txt). */
export type Half = 'first' | 'second';

export function generate(seed = 0xa64, half: Half = 'first'): Generated {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const masks = { 32: allBitmasks(32), 64: allBitmasks(64) };

  const regName = (letter: 'w' | 'x', n: number, sp: boolean): string => (n === 31 ? (sp ? (letter === 'x' ? 'sp' : 'wsp') : `${letter}zr`) : `${letter}${n}`);
  const regs = (letter: 'w' | 'x', sp: boolean): string[] => [0, 1, 7, 15, 16, 29, 30, 31, int(2, 28)].map((n) => regName(letter, n, sp));
  const ri = (letter: 'w' | 'x'): string => `${letter}${int(0, 30)}`;
  const cond = [...CONDITIONS.keys()];

  /** Candidate operand texts for one kind of one row. */
  function candidates(kind: string, row: Row, ops: readonly string[]): string[] {
    if (hashTargets) {
      const offsets = HASH_TARGETS[kind];
      if (offsets) return offsets();
    }
    const w = row.width;
    const L = w === 64 ? 'x' : 'w';
    const n = 1 << row.scale;
    if (/^[WX]/.test(kind)) {
      const letter = kind[0]!.toLowerCase() as 'w' | 'x';
      const sp = kind.endsWith('|SP');
      return regs(letter, sp);
    }
    switch (kind) {
      case 'aimm':
        return ['#0', '#1', '#4095', '#4096', `#${4095 * 4096}`, `#${int(2, 4094)}`, `#${int(1, 4095)}, lsl #12`, '#1, lsl #0'];
      case 'aimm_neg':
        return ['#-1', '#-4095', '#-4096', `#-${int(2, 4094)}`];
      case 'limm':
        return Array.from({ length: 24 }, () => hex(pick(masks[w as 32 | 64]))).map((s) => '#' + s);
      case 'rm_shift':
      case 'rm_shift_ror': {
        const shifts = kind === 'rm_shift' ? ['lsl', 'lsr', 'asr'] : ['lsl', 'lsr', 'asr', 'ror'];
        return [...regs(L, false), ...shifts.flatMap((s) => [`${ri(L)}, ${s} #0`, `${ri(L)}, ${s} #${w - 1}`, `${ri(L)}, ${s} #${int(1, w - 2)}`])];
      }
      case 'rm_extend': {
        const ext = ['uxtb', 'uxth', 'uxtw', 'sxtb', 'sxth', 'sxtw'];
        const out = ext.flatMap((e) => [`${ri('w')}, ${e}`, `${ri('w')}, ${e} #${int(0, 4)}`, `wzr, ${e} #4`]);
        if (w === 64) out.push(`${ri('x')}, uxtx #${int(0, 4)}`, `${ri('x')}, sxtx`, `xzr, sxtx #4`);
        else out.push(`${ri('w')}, uxtx #2`, `${ri('w')}, sxtx`);
        // Omitted extend and lsl are allowed when sp is Rd or Rn.
        if (ops.some((o) => o === 'sp' || o === 'wsp')) out.push(`${ri(L)}`, `${ri(L)}, lsl #${int(0, 4)}`, `${L}zr, lsl #4`);
        return out;
      }
      case 'imm16_hw':
        return ['#0', '#65535', `#${int(1, 65534)}`, ...(w === 64 ? ['#1, lsl #48', `#${int(0, 65535)}, lsl #32`] : []), `#${int(0, 65535)}, lsl #16`, '#0xffff, lsl #0'];
      case 'movz_imm': {
        const out = ['#0', '#1', '#65535', `#${hex(BigInt(int(1, 65535)) << 16n)}`];
        if (w === 64) out.push(`#${hex(BigInt(int(1, 65535)) << 48n)}`, `#${hex(BigInt(int(1, 65535)) << 32n)}`);
        return out;
      }
      case 'movn_imm': {
        const all = (1n << BigInt(w)) - 1n;
        const inv = (v: bigint): string => '#' + hex(all & ~v);
        const out = ['#-1', '#-2', '#-65536', inv(BigInt(int(1, 65534)) << 16n), inv(BigInt(int(1, 65534)))];
        if (w === 64) out.push(inv(BigInt(int(1, 65534)) << 48n), inv(BigInt(int(1, 65534)) << 32n));
        return out;
      }
      case 'mov_seq':
        return [];
      case 'lsl_amt':
      case 'immr':
      case 'imms':
        return ['#0', '#1', `#${w - 1}`, `#${int(2, w - 2)}`];
      case 'cond':
        return cond;
      case 'cond_inv':
        return cond.filter((c) => c !== 'al' && c !== 'nv');
      case 'rel26':
        return ['.', '.+4', '.-4', '.+134217724', '.-134217728', `.+${int(1, 1 << 24) * 4}`];
      case 'rel19':
        return ['.', '.+4', '.-4', '.+1048572', '.-1048576', `.-${int(1, 1 << 17) * 4}`];
      case 'rel14':
        return ['.', '.+4', '.-4', '.+32764', '.-32768', `.+${int(1, 4000) * 4}`];
      case 'adr':
        return ['.', '.+1', '.-3', '.+1048575', '.-1048576', `.+${int(1, 1 << 19)}`];
      case 'tbit':
        return ['#0', '#1', `#${w - 1}`, `#${int(2, w - 2)}`];
      case 'imm5':
        return ['#0', '#31', `#${int(1, 30)}`];
      case 'nzcv':
        return ['#0', '#15', `#${int(1, 14)}`];
      case 'bfx_lsb':
      case 'bfi_lsb':
        return ['#0', '#1', `#${w - 1}`, `#${int(2, w - 2)}`];
      case 'bfx_width':
      case 'bfi_width': {
        const lsb = Number(ops[ops.length - 1]!.slice(1));
        return ['#1', `#${w - lsb}`, `#${int(1, w - lsb)}`];
      }
      case 'imm16':
        return ['#0', '#1', '#65535', `#${int(2, 65534)}`];
      case 'mem_u12':
        return ['[x0]', '[sp]', `[x${int(1, 30)}, #${4095 * n}]`, `[sp, #${n}]`, `[x${int(1, 30)}, #${int(1, 4094) * n}]`, `[x30, #0]`];
      case 'mem_s9': {
        const out = ['[x0, #-256]', '[sp, #-1]', `[x${int(1, 30)}, #-${int(2, 255)}]`];
        if (n > 1) out.push(`[x2, #${n + 1}]`, `[x3, #255]`);
        return out;
      }
      case 'mem_pre':
        return ['[x0, #-256]!', '[sp, #255]!', `[x${int(1, 30)}, #${int(-255, 254)}]!`, '[x3, #0]!'];
      case 'mem_post':
        return ['[x0], #-256', '[sp], #255', `[x${int(1, 30)}], #${int(-255, 254)}`, '[x4], #0'];
      case 'mem_reg': {
        const s = row.scale;
        return [
          `[x${int(0, 30)}, x${int(0, 30)}]`, '[sp, xzr]', `[x1, x2, lsl #${s}]`, `[x3, w4, uxtw]`, `[x5, w6, sxtw]`,
          `[x7, w8, uxtw #${s}]`, `[x9, w10, sxtw #${s}]`, `[x11, x12, sxtx]`, `[x13, x14, sxtx #${s}]`, `[x15, x16, lsl #0]`, `[sp, wzr, uxtw #0]`,
        ];
      }
      case 'pair_off':
        return ['[x0]', `[sp, #${-64 * n}]`, `[x1, #${63 * n}]`, `[x2, #${int(-63, 62) * n}]`];
      case 'pair_pre':
        return [`[x0, #${-64 * n}]!`, `[sp, #${63 * n}]!`, `[x3, #${int(-63, 62) * n}]!`];
      case 'pair_post':
        return [`[x0], #${-64 * n}`, `[sp], #${63 * n}`, `[x4], #${int(-63, 62) * n}`];
      case 'adrp':
        return [];
      case 'mem_base':
        return ['[x0]', '[sp]', `[x${int(1, 30)}]`];
      case 'mem0':
        return ['[x0]', '[sp]', `[x${int(1, 30)}]`, `[x${int(1, 30)}, #0]`];
      case 'even_s':
      case 'even_t':
        return [0, 2, 30, 2 * int(2, 14)].map((n) => `${L}${n}`);
      case 'next_reg': {
        const prev = ops[ops.length - 1]!;
        const n = Number(prev.slice(1)) + 1;
        return [n === 31 ? `${L}zr` : `${L}${n}`];
      }
      case 'prfop':
        return [...PREFETCH_NAMES, '#0', '#31', `#${int(1, 30)}`];
      case 'bti_target':
        return ['c', 'j', 'jc'];
      case 'hint_imm':
        return ['#0', '#127', `#${int(1, 126)}`];
      case 'crm_imm':
        return ['#0', '#15', `#${int(1, 14)}`];
      case 'barrier':
        return [...BARRIER_NAMES, '#0', '#15', `#${int(1, 14)}`];
      case 'barrier_isb':
        return ['sy', '#0', '#15', `#${int(1, 14)}`];
      case 'sysreg_read':
      case 'sysreg_write': {
        const access = kind === 'sysreg_read' ? 'r' : 'w';
        // (llvm-mc 14 refuses three EL2 names once any -mattr is given, as this half's oracle run
        // does; system-names-gen.ts checked them without one)
        const named = [...SYSTEM_REGISTERS].filter(([name, [, a]]) => a.includes(access) && !MATTR_REFUSED.has(name)).map(([name]) => name);
        return [...named, 's3_3_c13_c0_2', 's2_0_c0_c0_0', 's3_7_c15_c15_7', 's1_2_c3_c4_5', `s${int(0, 3)}_${int(0, 7)}_c${int(0, 15)}_c${int(0, 15)}_${int(0, 7)}`];
      }
      case 'pstate':
        return ['spsel', 'daifset', 'daifclr'];
      case 'sys_op1':
      case 'sys_op2':
        return ['#0', '#7', `#${int(1, 6)}`];
      case 'sys_crn':
      case 'sys_crm':
        return ['c0', 'c15', `c${int(1, 14)}`];
      case 'sys_operation': {
        const withReg = row.ops.length === 2;
        return [...SYS_OPERATIONS].filter(([k, [, reg]]) => k.startsWith(row.mn + ' ') && reg === withReg).map(([k]) => k.slice(row.mn.length + 1));
      }
    }
    throw new Error(`gen: no candidates for kind ${kind}`);
  }

  /** `#offset` targets (PC-relative, as llvm-mc and GNU as read them), for the second half's run over the branch rows. */
  const HASH_TARGETS: Record<string, () => string[]> = {
    rel26: () => ['#0', '#4', '#-4', '#134217724', '#-134217728', `#${int(1, 1 << 24) * 4}`],
    rel19: () => ['#0', '#4', '#-4', '#1048572', '#-1048576', `#-${int(1, 1 << 17) * 4}`],
    rel14: () => ['#0', '#4', '#-4', '#32764', '#-32768', `#${int(1, 4000) * 4}`],
    adr: () => ['#0', '#1', '#-3', '#1048575', '#-1048576', `#${int(1, 1 << 19)}`],
    adrp: () => ['#0', '#4096', '#-4096', '#4294963200', '#-4294967296', `#${int(-(1 << 19), 1 << 19) * 4096}`],
  };
  let hashTargets = false;

  const valid = new Set<string>();
  const generateRows = (rowsByMn: Map<string, Row[]>, onlyPcRelative: boolean): void => {
  for (const [mn, rows] of rowsByMn) {
    for (const row of rows) {
      if (onlyPcRelative && !row.ops.some((k) => k in HASH_TARGETS)) continue;
      if (row.ops.includes('mov_seq') || (row.ops.includes('adrp') && !hashTargets)) continue;
      // A base line with one random candidate per operand, then each candidate of each operand
      // swapped in, so every boundary value of every operand appears at least once.
      const base: string[] = [];
      for (const k of row.ops) base.push(pick(candidates(k, row, base)));
      // (a row with no candidate for some operand, such as dc without a register, has no forms)
      if (base.some((o) => o === undefined)) continue;
      const emit = (ops: string[]): void => {
        // Loads/pairs with the same register twice in writeback forms are unpredictable; llvm-mc rejects them.
        if (/(pre|post)/.test(row.ops.join()) && sameRegWriteback(ops)) return;
        if (row.ops[0] === 'Wt' || row.ops[0] === 'Xt') {
          if (mn.startsWith('ldp') && ops[0] === ops[1]) return;
        }
        // A store-exclusive status register that is also a source is unpredictable (llvm-mc refuses it).
        if (row.ops[0] === 'Ws' && /^stl?x/.test(mn) && statusClash(ops)) return;
        valid.add(`${mn} ${ops.join(', ')}`.trim());
      };
      emit(base);
      row.ops.forEach((k, i) => {
        for (const c of candidates(k, row, base.slice(0, i))) {
          const ops = [...base];
          ops[i] = c;
          // rm_extend without an extend needs sp among the earlier operands.
          for (let j = i + 1; j < row.ops.length; j++) {
            const cs = candidates(row.ops[j]!, row, ops.slice(0, j));
            if (!cs.includes(ops[j]!)) ops[j] = pick(cs);
          }
          emit(ops);
        }
      });
    }
  }
  };
  if (half === 'first') {
    generateRows(rowsByMnemonic('first'), false);
    return { valid: [...valid], invalid: INVALID, invalidRange: INVALID_RANGE, invalidRangeOursOnly: INVALID_RANGE_OURS };
  }
  generateRows(rowsByMnemonic('second'), false);
  hashTargets = true;
  generateRows(rowsByMnemonic('both'), true);
  return { valid: [...valid], invalid: MORE_INVALID, invalidRange: MORE_INVALID_RANGE, invalidRangeOursOnly: [] };
}

const MATTR_REFUSED = new Set(['ttbr0_el2', 'vttbr_el2', 'vsttbr_el2']);
const PREFETCH_NAMES = ['pld', 'pli', 'pst'].flatMap((t) => ['l1', 'l2', 'l3'].flatMap((l) => [`${t}${l}keep`, `${t}${l}strm`]));
const BARRIER_NAMES = ['oshld', 'oshst', 'osh', 'nshld', 'nshst', 'nsh', 'ishld', 'ishst', 'ish', 'ld', 'st', 'sy'];

/** Register number of a register's text (31 for the zero register), or undefined for sp and non-registers. */
function regNumber(text: string): number | undefined {
  const m = /^(?:\[)?([wx])(\d+|zr)\b/.exec(text);
  return m ? (m[2] === 'zr' ? 31 : Number(m[2])) : undefined;
}

function statusClash(ops: string[]): boolean {
  const status = regNumber(ops[0]!);
  return ops.slice(1).some((o) => regNumber(o) === status);
}

function sameRegWriteback(ops: string[]): boolean {
  const base = /\[(\w+)/.exec(ops[ops.length - 1]!)?.[1];
  const ts = ops.slice(0, -1).map((o) => o.replace(/^w/, 'x'));
  return base !== undefined && base !== 'sp' && ts.includes(base);
}

/** Hand-picked rejects: each names the reason it must fail. */
const INVALID: string[] = [
  // bitmask immediates that do not exist
  'and x0, x1, #0', 'and x0, x1, #-1', 'orr w0, w1, #0xffffffff', 'eor x0, x1, #0x12345', 'ands w0, w1, #0x5a5a5a5b',
  'tst x0, #0x8000000000000001ff', 'orr w0, w1, #0x100000000', 'and x3, x4, #0xf0f0f0f0f0f0f0f1', 'eor w5, w6, #6148914691236517206',
  // add/sub immediates
  'add x0, x1, #4097', 'sub w0, w1, #16777216', 'add x0, x1, #1, lsl #13', 'adds x0, x1, #-4097', 'cmp x0, #4097', 'cmn w0, #0x1001000',
  // move wide
  'movz x0, #65536', 'movz w0, #1, lsl #32', 'movk x0, #1, lsl #8', 'movn x0, #-1',
  // shift amounts
  'lsl x0, x1, #64', 'lsl w0, w1, #32', 'lsr w0, w1, #32', 'asr x0, x1, #-1', 'ror w0, w1, #32', 'add x0, x1, x2, lsl #64', 'add w0, w1, w2, lsr #32',
  'add x0, x1, x2, ror #3', 'add x0, sp, x2, lsl #5', 'add x0, sp, w2, uxtw #5', 'ubfm x0, x1, #64, #0', 'extr w0, w1, w2, #32',
  // loads and stores: offsets with no scaled or unscaled encoding
  'ldr x0, [x1, #257]', 'ldr x0, [x1, #32768]', 'ldr w0, [x1, #-257]', 'ldrh w0, [x1, #8191]', 'str x0, [x1, #-260]', 'strb w0, [x1, #4096]',
  'ldr x0, [x1, #256]!', 'ldr x0, [x1], #-257', 'ldur x0, [x1, #256]', 'ldr x0, [x1, x2, lsl #2]', 'ldrh w0, [x1, x2, lsl #2]', 'ldr w0, [x1, w2]',
  'ldr x0, [x1, w2, lsl #3]', 'ldr x0, [x1, x2, uxtw]',
  'ldp x0, x1, [x2, #4]', 'ldp x0, x1, [x2, #512]', 'stp w0, w1, [sp, #-260]', 'ldp w0, w1, [x2, #256]!', 'stp x0, x1, [sp], #-520',
  // w and x mixed
  'add x0, w1, x2', 'add w0, w1, x2', 'mov x0, w1', 'ldr w0, [w1]', 'ldrb x0, [x1]', 'strh x0, [x1]', 'ldrsw w0, [x1]', 'mul x0, x1, w2',
  'csel w0, x1, w2, eq', 'ldp x0, w1, [x2]', 'madd x0, x1, x2, w3', 'sxtw w0, w1', 'udiv w0, w1, x2', 'br w0', 'cbz sp, .',
  // sp where it is not allowed (and zr where sp is needed)
  'add x0, x1, sp', 'ands sp, x0, #1', 'orr x0, sp, x1', 'mul sp, x0, x1', 'ldr x0, [xzr]', 'cmp x0, sp', 'tst sp, #1', 'neg sp, x1',
  'adds sp, x0, #1', 'sub x0, xzr, #1', 'lsl sp, x0, #1', 'csel sp, x0, x1, eq', 'ldr sp, [x0]', 'stp x0, sp, [x1]', 'mov x0, wsp',
  // others
  'ubfx x0, x1, #60, #5', 'sbfx w0, w1, #32, #1', 'bfi x0, x1, #1, #64', 'ubfiz w0, w1, #0, #0', 'ccmp x0, #32, #0, eq', 'ccmn w0, w1, #16, ne',
  'tbz w0, #32, .', 'tbnz x0, #64, .', 'svc #65536', 'brk #-1', 'cset x0, al', 'cinc w0, w1, nv', 'cneg x0, x1, al',
  'ldr x0, [x1, #8', 'add x0, x1', 'ret x0, x1', 'nop x0',
];

const INVALID_RANGE: string[] = [
  'b .+134217728', 'b .-134217732', 'bl .+134217728', 'b .+2', 'bl .-1', 'tbz w0, #1, .+32768', 'tbnz x0, #63, .-32772', 'tbz w0, #0, .+6',
  'b.eq .+3', 'cbz x0, .+2', 'ldr x0, .+1',
];

/** The second half's hand-picked rejects. */
const MORE_INVALID: string[] = [
  // unpredictable register combinations (both halves' rows)
  'stxr w0, w0, [x1]', 'stxr w1, x2, [x1]', 'stlxp w0, x0, x1, [x2]', 'stxp w2, w0, w1, [x2]', 'stlxrb w3, w4, [x3]',
  'ldp x0, x0, [x1]', 'ldpsw x3, x3, [sp]', 'ldr x0, [x0], #8', 'str w1, [x1, #4]!', 'stp x0, x1, [x1, #16]!', 'ldp x2, x3, [x3], #16', 'ldrb w5, [x5, #1]!',
  // pairs, sizes and addresses
  'casp x1, x2, x4, x5, [x0]', 'casp x0, x2, x4, x5, [x0]', 'casp w0, w1, x2, x3, [x4]', 'caspal x0, x1, x2, x4, [x5]', 'ldxr x0, [x1, #8]',
  'ldadd x0, x1, [x2, #8]', 'ldaddb x0, w1, [x2]', 'stxrb w0, x1, [x2]', 'ldxp x0, w1, [x2]', 'stadd x0, x1, [x2]', 'swp x0, x1, [x2], #8', 'ldar x0, [x1, x2]',
  'ldtr x0, [x1, #256]', 'ldtr x0, [x1], #8', 'sttrb w0, [x1, #-257]', 'ldnp x0, x1, [x2, #4]', 'ldnp x0, x1, [x2, #8]!', 'stnp w0, w1, [x2, #256]',
  // prefetch
  'prfm pldl4keep, [x0]', 'prfm #32, [x0]', 'prfm pldl1keep, [x0, #-8]', 'prfm x0, [x1]', 'prfum pldl1keep, [x0, #256]',
  // data processing
  'ngc x0, w1', 'rev32 w0, w1', 'crc32x w0, w1, w2', 'crc32b x0, x1, x2', 'smsubl x0, x1, w2, x3', 'uxtw w0, w1', 'bfc x0, #60, #5', 'adc sp, x0, x1',
  'clz w0, x1', 'rbit x0, sp', 'umnegl w0, w1, w2',
  // system
  'hint #128', 'dmb #16', 'dmb foo', 'isb ish', 'clrex #16', 'mrs x0, foo_el0', 'msr midr_el1, x0', 'mrs w0, nzcv',
  'msr daifset, #16', 'msr fpcr, #1', 'sys #8, c0, c0, #0', 'sys #0, c16, c0, #0', 'sysl x0, #0, c1, c2, #8', 'dc civac', 'dc zva, #0', 'ic iallu, x0',
  'tlbi vmalle1, x0', 'tlbi vae1', 'at s1e1r', 'dsb sy, ish', 'svc #0, #1', 'adrp x0, #1', 'mrs x0, s3_0_c16_c0_0',
];

const MORE_INVALID_RANGE: string[] = ['b #2', 'bl #134217728', 'cbz x0, #-1048580', 'tbz x0, #1, #32768', 'adr x0, #1048576', 'adrp x0, #4294967296', 'ldr x0, #6'];

const INVALID_RANGE_OURS: string[] = [
  'b.eq .+1048576', 'b.ne .-1048580', 'cbz x0, .+1048576', 'cbnz w0, .-1048580', 'ldr x0, .+1048576', 'ldrsw x0, .-1048580',
  'adr x0, .+1048576', 'adr x0, .-1048577',
];

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--write')) {
  const { writeGolden } = await import('./oracle.js');
  writeGolden(generate(), 'first');
  writeGolden(generate(0xa64, 'second'), 'second');
}
