/**
 * Generates A64 test forms from the instruction table itself (every row × registers incl. sp/zr,
 * boundary immediates, sampled bitmask immediates, shifts and extends), in GNU syntax, plus forms
 * that must be rejected. Deterministic (seeded), so the golden files can be regenerated and diffed.
 *
 *   npx tsx test/aarch64/gen.ts --write     regenerates test/aarch64/golden/*.txt with llvm-mc
 */
import { decodeBitmask } from '../../src/arch/aarch64/encoder.js';
import { CONDITIONS } from '../../src/arch/aarch64/operands.js';
import { ROWS_BY_MNEMONIC, type Row } from '../../src/arch/aarch64/table.js';
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

export function generate(seed = 0xa64): Generated {
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
    }
    throw new Error(`gen: no candidates for kind ${kind}`);
  }

  const valid = new Set<string>();
  for (const [mn, rows] of ROWS_BY_MNEMONIC) {
    for (const row of rows) {
      if (row.ops.includes('mov_seq') || row.ops.includes('adrp')) continue;
      // A base line with one random candidate per operand, then each candidate of each operand
      // swapped in, so every boundary value of every operand appears at least once.
      const base: string[] = [];
      for (const k of row.ops) base.push(pick(candidates(k, row, base)));
      const emit = (ops: string[]): void => {
        // Loads/pairs with the same register twice in writeback forms are unpredictable; llvm-mc rejects them.
        if (/(pre|post)/.test(row.ops.join()) && sameRegWriteback(ops)) return;
        if (row.ops[0] === 'Wt' || row.ops[0] === 'Xt') {
          if (mn.startsWith('ldp') && ops[0] === ops[1]) return;
        }
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
  return { valid: [...valid], invalid: INVALID, invalidRange: INVALID_RANGE, invalidRangeOursOnly: INVALID_RANGE_OURS };
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

const INVALID_RANGE_OURS: string[] = [
  'b.eq .+1048576', 'b.ne .-1048580', 'cbz x0, .+1048576', 'cbnz w0, .-1048580', 'ldr x0, .+1048576', 'ldrsw x0, .-1048580',
  'adr x0, .+1048576', 'adr x0, .-1048577',
];

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--write')) {
  const { writeGolden } = await import('./oracle.js');
  writeGolden(generate());
}
