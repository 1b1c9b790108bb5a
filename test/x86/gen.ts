/**
 * Generates x86 test instructions from the instruction table itself and asks nasm what they
 * encode to. `npx tsx test/x86/gen.ts` rewrites the golden files in test/x86/golden/; the tests
 * compare tinyelf against those files, and a live test checks they are still what nasm says.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMS, type Form } from '../../src/arch/x86/table.js';
import type { OpKind } from '../../src/arch/x86/operands.js';
import { rng } from '../helpers/rng.js';
export { rng };

export type Bits = 16 | 32 | 64;
export const NASM = '/usr/bin/nasm';
export const GOLDEN_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'golden');
export const goldenPath = (bits: Bits) => join(GOLDEN_DIR, bits === 64 ? 'x86_64.txt' : bits === 32 ? 'i386.txt' : 'x86_16.txt');


const REGS: Record<Bits, Record<'r8' | 'r16' | 'r32' | 'r64', string[]>> = {
  16: { r8: ['al', 'cl', 'ah', 'bh'], r16: ['ax', 'cx', 'sp', 'di'], r32: ['eax', 'ebp', 'esi'], r64: [] },
  32: { r8: ['al', 'cl', 'dl', 'ah', 'bh'], r16: ['ax', 'cx', 'sp', 'bp', 'di'], r32: ['eax', 'ecx', 'esp', 'ebp', 'esi', 'edi'], r64: [] },
  64: {
    r8: ['al', 'cl', 'ah', 'bh', 'spl', 'dil', 'r8b', 'r15b'],
    r16: ['ax', 'cx', 'sp', 'bp', 'r8w', 'r13w'],
    r32: ['eax', 'ecx', 'esp', 'ebp', 'esi', 'r8d', 'r12d', 'r13d', 'r15d'],
    r64: ['rax', 'rcx', 'rsp', 'rbp', 'rdi', 'r8', 'r12', 'r13', 'r15'],
  },
};

/** Every addressing special case, per mode. */
export const ADDRESSES: Record<Bits, string[]> = {
  16: ['[bx+si]', '[bx+di+4]', '[bp]', '[bp+si-2]', '[si+1000]', '[di]', '[bx+127]', '[bx+128]', '[0x1234]', '[eax]', '[esp+8]', '[ebx+ecx*4]', '[fs:bx]',
    // displacement size written in the address
    '[word bx+1]', '[byte bx+1]', '[word bp]', '[dword bx+1]', '[byte si+200]'],
  32: [
    '[eax]', '[esp]', '[ebp]', '[ebx+8]', '[ebx-128]', '[ebx+127]', '[ebx+128]', '[ebx-129]', '[ebx+ecx*4+8]', '[esp+ebp]',
    '[ebp+eax]', '[ecx*8]', '[ecx*8+0x10]', '[eax*2]', '[eax*3]', '[eax*1]', '[0x1000]', '[0x8048000]', '[edx*4+0x12345678]',
    '[esp+4*esi-4]', '[bx+si]', '[bp]', '[bp+di+0x10]', '[si+1000]', '[fs:eax]', '[gs:0x10]', '[eax+0xffffffff]', '[ebp+0x7fffffff]',
    '[byte eax+1]', '[dword ebp]', '[dword esp]', '[byte ecx*2+3]', '[word eax+1]', '[byte ebx+128]',
  ],
  64: [
    '[rax]', '[rsp]', '[rbp]', '[r12]', '[r13]', '[rbx+8]', '[rbx-128]', '[rbx+127]', '[rbx+128]', '[rbx-129]',
    '[rbx+rcx*4+8]', '[rsp+rbp]', '[rbp+rax]', '[r13+r14]', '[rcx*8]', '[rax*2]', '[r9*3]', '[r12+r13*2+0x1000]', '[r15+rax*8-0x80000000]',
    '[0x1000]', '[0x7fffffff]', '[rel $+0x100]', '[rel $-0x10]', '[eax]', '[eax+ecx*2-4]', '[r8d+r9d*8]', '[esp]', '[fs:rax]',
    '[gs:0x28]', '[abs 0x2000]', '[rsp+r12]',
    '[byte rax+1]', '[dword rbx+8]', '[dword rbp]', '[byte r13]', '[dword rsp+rcx*2]', '[byte rbx*2+1]', '[byte rax+200]', '[byte 0x12]',
  ],
};

const SIZE_WORD: Record<number, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };

const IMMS = [
  '0', '1', '-1', '2', '127', '128', '-128', '-129', '255', '256', '32767', '32768', '-32768', '65535', '65536',
  '0x7fffffff', '0x80000000', '-0x80000000', '-0x80000001', '0xffffffff', '0x100000000', '0x123456789abcdef0', '-0x8000000000000000', '0xffffffffffffff80',
];
const IMM8 = ['0', '1', '3', '31', '127', '128', '255', '-1', '-128'];
const RELS = ['$', '$+2', '$+0x10', '$+0x81', '$+0x82', '$-0x7e', '$-0x7f', '$-0x1000', '$+0x12345'];

function sizeOf(k: OpKind): number | undefined {
  const m = /(\d+)$/.exec(k);
  return k.startsWith('r') || k.startsWith('moffs') ? (m ? Number(m[1]) : undefined) : undefined;
}

/** Concrete nasm operands for one operand kind of a row. */
function samples(k: OpKind, bits: Bits, row: Form): string[] {
  const R = REGS[bits];
  switch (k) {
    case 'r8': case 'r16': case 'r32': case 'r64': return R[k];
    case 'al': case 'ax': case 'eax': case 'rax': case 'cl': return [k];
    case 'rm8': case 'rm16': case 'rm32': case 'rm64': {
      const size = sizeOf(k)!;
      const regs = R[`r${size}` as 'r8'].slice(0, 3);
      const hasReg = row.ops.some((o) => /^(r\d+|al|ax|eax|rax)$/.test(o) && sizeOf(o) === size);
      return [...regs, ...ADDRESSES[bits].map((a) => (hasReg ? a : `${SIZE_WORD[size]} ${a}`)), `${SIZE_WORD[size]} ${ADDRESSES[bits][1]}`];
    }
    case 'm': case 'mnosize': return ADDRESSES[bits];
    case 'm16': case 'm32': case 'm64': {
      const size = sizeOf(k)!;
      const sized = row.impliedSize === true || row.ops.some((o) => /^r\d+$/.test(o) && sizeOf(o) === size);
      return [...ADDRESSES[bits].map((a) => (sized ? a : `${SIZE_WORD[size]} ${a}`)), `${SIZE_WORD[size]} ${ADDRESSES[bits][2]}`];
    }
    case 'far16': case 'far32': case 'far64': {
      const size = sizeOf(k)!;
      const unsized = size === bits ? [`far ${ADDRESSES[bits][0]}`, `far ${ADDRESSES[bits][5]}`] : [];
      return [...ADDRESSES[bits].map((a) => `far ${SIZE_WORD[size]} ${a}`), ...unsized];
    }
    case 'ptr16': case 'ptr32': {
      // (constants only: each line is assembled alone, so `$` would differ from nasm's file)
      const own = k === 'ptr16' ? ['word 0x08:0x1234', 'word 0xffff:0xffff', 'word 0x10:-1'] : ['dword 0x08:0x12345678', 'dword 0x10:0x80000000', 'dword 0:0xffffffff'];
      const unsized = (k === 'ptr16') === (bits === 16) ? ['0x08:0x1000', '0:0', '0xffff:0x10', '0x28:0x7c00', '0x10000:0', '8:-1'] : [];
      return [...own, ...unsized];
    }
    case 'dx': case 'ecx': case 'edx': case 'es': case 'cs': case 'ss': case 'ds': case 'fs': case 'gs': return [k];
    case 'sreg': return ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
    // (cr8 outside 64-bit mode is nasm's lock-prefixed AMD form, which tinyelf does not take)
    case 'creg': return bits === 64 ? ['cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'cr15'] : ['cr0', 'cr2', 'cr3', 'cr4'];
    case 'dreg': return bits === 64 ? ['dr0', 'dr3', 'dr6', 'dr7', 'dr9'] : ['dr0', 'dr3', 'dr6', 'dr7'];
    case 'moffs8': case 'moffs16': case 'moffs32': case 'moffs64':
      return bits === 64 ? ['[0x1000]', '[qword 0x1122334455]', '[0x80000000]'] : ['[0x1000]', '[0x8048000]'];
    case 'imm8': return IMM8;
    case 'one': return ['1'];
    case 'imm8s': case 'imm16': case 'imm32': case 'imm32s': case 'imm32u': case 'imm64': return IMMS;
    case 'rel8': case 'rel32': return [...RELS, 'short $+0x10', 'near $+0x10', 'dword $+0x100', 'dword $+0x12345'];
    default: return [];
  }
}

/** Instruction lines for one mode: every row with register, memory and immediate variants. */
export function generate(bits: Bits, perRow = 48, seed = 0x7e1f): string[] {
  const rand = rng(seed + bits);
  const out = new Set<string>();
  for (const row of FORMS) {
    if (bits === 64 ? row.mode === 'no64' : row.mode === 'only64') continue;
    if (bits === 16 && (row.ops.some((k) => k.endsWith('64')) || row.mn.endsWith('q') && row.ops.length === 0)) continue;
    const lists = row.ops.map((k) => samples(k, bits, row));
    let combos = lists.reduce((n, l) => n * l.length, 1);
    const lines: string[] = [];
    const emit = (choice: number[]) => lines.push(row.ops.length ? `${row.mn} ${choice.map((c, i) => lists[i]![c]).join(', ')}` : row.mn);
    if (combos <= perRow) {
      const idx = lists.map(() => 0);
      for (let n = 0; n < combos; n++) {
        emit(idx);
        for (let i = idx.length - 1; i >= 0; i--) {
          if (++idx[i]! < lists[i]!.length) break;
          idx[i] = 0;
        }
      }
    } else {
      // Every sample of each operand at least once (with random partners), then random combinations.
      lists.forEach((l, i) => l.forEach((_, j) => emit(lists.map((m, k) => (k === i ? j : Math.floor(rand() * m.length))))));
      for (let n = 0; n < perRow; n++) emit(lists.map((m) => Math.floor(rand() * m.length)));
      combos = lines.length;
    }
    for (const l of lines) out.add(l);
  }
  // Prefixed forms.
  for (const p of ['rep', 'repe', 'repne', 'lock']) {
    for (const s of ['movsb', 'stosd', 'lodsw', 'scasb', 'cmpsd']) out.add(`${p} ${s}`);
  }
  out.add('lock add [eax], ebx').add('lock xadd [ecx], eax').add('lock cmpxchg [edx], ecx').add('lock inc dword [eax]');
  if (bits === 64) out.add('rep stosq').add('lock add qword [rax], 1').add('lock xadd [rcx], r8');
  // Address-size and segment prefixes written as words, on string instructions and alone.
  const addressSizes = bits === 64 ? ['a32', 'a64'] : ['a16', 'a32'];
  for (const s of ['movsb', 'stosd', 'lodsw', 'scasb', 'cmpsd', 'insb', 'outsw']) {
    for (const a of addressSizes) out.add(`${a} ${s}`).add(`rep ${a} ${s}`);
    for (const seg of ['es', 'cs', 'ss', 'ds', 'fs', 'gs']) out.add(`${seg} ${s}`);
    out.add(`fs ${addressSizes[0]} ${s}`).add(`rep gs ${s}`);
  }
  for (const p of [...addressSizes, 'es', 'fs', 'gs', 'o16', 'o32']) out.add(p);
  // Operand-size prefix words on instructions without an operand size of their own.
  const mem = bits === 16 ? '[bx+4]' : bits === 32 ? '[eax+4]' : '[rax+4]';
  for (const o of bits === 64 ? ['o16', 'o32', 'o64'] : ['o16', 'o32']) {
    for (const s of ['movsb', 'iret', 'ret', 'retf', 'pushf', 'popf', `lgdt ${mem}`, `sidt ${mem}`, 'insb', 'xlatb', ...(bits === 64 ? [] : ['push cs', 'pop ds'])]) out.add(`${o} ${s}`);
  }
  out.add(`fs mov eax, [${bits === 64 ? 'rbx' : 'ebx'}]`).add(`${addressSizes[1]} mov eax, [${bits === 64 ? 'rbx' : 'ebx'}]`).add('gs mov eax, [fs:0x10]');
  return [...out];
}

export interface NasmResult {
  line: string;
  /** Hex bytes nasm produced, or undefined if nasm rejected the line. */
  hex?: string;
  error?: string;
  warning?: string;
}

export function hasNasm(): boolean {
  return existsSync(NASM);
}

export function nasmVersion(): string {
  return execFileSync(NASM, ['-v'], { encoding: 'utf8' }).trim();
}

/** Assembles each line with nasm (one file, per-line bytes from the listing's addresses). */
/** nasm -f bin's output for a whole source. */
export function nasmBytes(src: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-nasm-'));
  try {
    writeFileSync(join(dir, 'a.asm'), src);
    execFileSync(NASM, ['-f', 'bin', '-o', join(dir, 'a.bin'), join(dir, 'a.asm')]);
    return readFileSync(join(dir, 'a.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runNasm(lines: string[], bits: Bits): NasmResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-nasm-'));
  try {
    const results: NasmResult[] = lines.map((line) => ({ line }));
    let live = results.map((_, i) => i);
    for (let round = 0; round < 20 && live.length; round++) {
      const src = [`bits ${bits}`, ...live.map((i) => results[i]!.line)].join('\n') + '\n';
      writeFileSync(join(dir, 'a.asm'), src);
      const r = spawnSync(NASM, ['-f', 'bin', '-o', join(dir, 'a.bin'), '-l', join(dir, 'a.lst'), join(dir, 'a.asm')], { encoding: 'utf8' });
      const bad = new Map<number, { error?: string; warning?: string }>();
      for (const m of r.stderr.matchAll(/a\.asm:(\d+): (error|warning): (.*)/g)) {
        const at = Number(m[1]) - 2;
        const e = bad.get(at) ?? {};
        if (m[2] === 'error') e.error ??= m[3]!;
        else e.warning ??= m[3]!;
        bad.set(at, e);
      }
      const errors = [...bad.entries()].filter(([, e]) => e.error);
      if (errors.length) {
        for (const [at, e] of errors) results[live[at]!]!.error = e.error;
        live = live.filter((_, k) => !bad.get(k)?.error);
        continue;
      }
      if (r.status !== 0) throw new Error(`nasm failed: ${r.stderr}`);
      for (const [at, e] of bad) results[live[at]!]!.warning = e.warning;
      const bin = readFileSync(join(dir, 'a.bin'));
      const starts = new Map<number, number>();
      for (const m of readFileSync(join(dir, 'a.lst'), 'utf8').matchAll(/^\s*(\d+) ([0-9A-F]{8}) [0-9A-F]/gm)) {
        const ln = Number(m[1]) - 2;
        if (!starts.has(ln)) starts.set(ln, parseInt(m[2]!, 16));
      }
      const addrs = live.map((_, k) => starts.get(k));
      live.forEach((i, k) => {
        const a = addrs[k];
        if (a === undefined) {
          results[i]!.hex = '';
          return;
        }
        let end = bin.length;
        for (let j = k + 1; j < addrs.length; j++) if (addrs[j] !== undefined) { end = addrs[j]!; break; }
        results[i]!.hex = hex(bin.subarray(a, end));
      });
      live = [];
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

export const HEADER = (bits: Bits, version: string) =>
  `; GENERATED by \`npx tsx test/x86/gen.ts\` from ${version} (\`nasm -f bin\`, bits ${bits}). Do not edit.\n` +
  `; One instruction per line: source ; hex bytes nasm gave. "; ERROR" lines nasm rejected, "; WARN hex ; message" lines nasm only warned about (tinyelf rejects them or gives the same bytes).`;

/** The golden text for a mode. */
export function goldenText(bits: Bits, results: NasmResult[], version: string): string {
  const lines = [HEADER(bits, version)];
  for (const r of results) {
    if (r.error !== undefined) lines.push(`${r.line} ; ERROR ${r.error}`);
    else if (r.warning !== undefined) lines.push(`${r.line} ; WARN ${r.hex} ; ${r.warning}`);
    else lines.push(`${r.line} ; ${r.hex}`);
  }
  return lines.join('\n') + '\n';
}

export interface GoldenLine {
  source: string;
  kind: 'ok' | 'error' | 'warn';
  hex: string;
  note: string;
  lineNo: number;
}

export function parseGolden(text: string): GoldenLine[] {
  const out: GoldenLine[] = [];
  text.split('\n').forEach((l, i) => {
    if (!l || l.startsWith(';')) return;
    const k = l.lastIndexOf(' ; ');
    const source = l.slice(0, k);
    const rest = l.slice(k + 3);
    if (rest.startsWith('ERROR ')) out.push({ source, kind: 'error', hex: '', note: rest.slice(6), lineNo: i + 1 });
    else if (l.includes(' ; WARN ')) {
      const w = l.indexOf(' ; WARN ');
      const [h, note] = l.slice(w + 8).split(' ; ');
      out.push({ source: l.slice(0, w), kind: 'warn', hex: h!, note: note ?? '', lineNo: i + 1 });
    }
    else out.push({ source, kind: 'ok', hex: rest, note: '', lineNo: i + 1 });
  });
  return out;
}

export const MODES: Bits[] = [32, 64, 16];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const version = nasmVersion();
  for (const bits of MODES) {
    const lines = generate(bits);
    const res = runNasm(lines, bits);
    writeFileSync(goldenPath(bits), goldenText(bits, res, version));
    const ok = res.filter((r) => r.hex !== undefined && !r.warning).length;
    console.log(`bits ${bits}: ${lines.length} lines, ${ok} encoded, ${res.length - ok} rejected or warned`);
  }
}
