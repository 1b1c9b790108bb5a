import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../helpers/rng.js';

/** A front end to fuzz: the assemble() options and a line that puts it in the right mode. */
export interface Target {
  name: string;
  arch: 'x86_64' | 'i386' | 'arm' | 'aarch64';
  isa?: 'v6' | 'v7';
  thumb?: boolean;
  /** Prepended to every source (e.g. `bits 16`). */
  head: string;
  /** Golden instruction lines (the source part only). */
  lines: string[];
}

const root = join(import.meta.dirname, '..');

function golden(rel: string, comment: RegExp): string[] {
  const out: string[] = [];
  for (const l of readFileSync(join(root, rel), 'utf8').split('\n')) {
    if (!l.trim() || /^\s*(#|;|\/\/)/.test(l)) continue;
    const src = l.replace(comment, '').trim();
    if (src) out.push(src);
  }
  return out;
}

export function targets(): Target[] {
  const x64 = golden('x86/golden/x86_64.txt', /;.*$/);
  const x32 = golden('x86/golden/i386.txt', /;.*$/);
  const x16 = golden('x86/golden/x86_16.txt', /;.*$/);
  const a32 = [...golden('arm/golden/a32-v6.txt', /\t.*$/), ...golden('arm/golden/a32-v7.txt', /\t.*$/)];
  const t16 = [...golden('arm/golden/thumb-v6.txt', /\t.*$/), ...golden('arm/golden/thumb-v7.txt', /\t.*$/)];
  const a64 = [...golden('aarch64/golden/valid.txt', /\/\/.*$/), ...golden('aarch64/golden/invalid.txt', /\/\/.*$/)];
  return [
    { name: 'x86 bits 64', arch: 'x86_64', head: '', lines: x64 },
    { name: 'x86 bits 32', arch: 'i386', head: '', lines: x32 },
    { name: 'x86 bits 16', arch: 'x86_64', head: 'bits 16\n', lines: x16 },
    { name: 'arm A32 v7', arch: 'arm', isa: 'v7', head: '', lines: a32 },
    { name: 'arm A32 v6', arch: 'arm', isa: 'v6', head: '', lines: a32 },
    { name: 'arm Thumb v7', arch: 'arm', isa: 'v7', thumb: true, head: '', lines: t16 },
    { name: 'arm Thumb v6', arch: 'arm', isa: 'v6', thumb: true, head: '', lines: t16 },
    { name: 'aarch64', arch: 'aarch64', head: '', lines: a64 },
  ];
}

const PUNCT = ['[', ']', '{', '}', '(', ')', ',', ':', '::', '+', '-', '*', '/', '//', '%', '%%', '<<', '>>', '&', '|', '^', '~', '!', '#', '=', '$', '$$', '.', '..', '@', '?', '"', "'", '`', ';', '\\', '!', '{}', '[]', '()', '#-', ':lo12:', '=0x1234'];
const WORDS = [
  'rax', 'eax', 'ax', 'al', 'ah', 'r8', 'r15d', 'spl', 'cs', 'fs', 'rip', 'byte', 'word', 'dword', 'qword', 'strict', 'short', 'near', 'rel', 'abs',
  'r0', 'r1', 'r12', 'sp', 'lr', 'pc', 'apsr', 'lsl', 'lsr', 'asr', 'ror', 'rrx', 'x0', 'x30', 'w1', 'wzr', 'xzr', 'uxtw', 'sxtx', 'msl',
  'mov', 'add', 'ldr', 'str', 'ldm', 'push', 'pop', 'b', 'bl', 'bx', 'jmp', 'call', 'lea', 'it', 'ite', 'cbz', 'adr', 'adrp', 'movk', 'svc', 'int',
  'db', 'dw', 'dd', 'dq', 'times', 'align', 'resb', 'equ', 'org', 'section', '.byte', '.word', '.ascii', '.space', '.balign', '.p2align', '.ltorg',
  '.thumb', '.arm', '.syntax', '.code', '.thumb_func', 'bits', 'default', 'lock', 'rep', 'eq', 'ne', 'label', '.local', '..@x', '_start', '1b', '1f',
];
const NUMBERS = [
  '0', '1', '-1', '7', '255', '256', '-129', '0x7f', '0x80', '0xff', '0x100', '0xffff', '0x10000', '0x7fffffff', '0x80000000', '0xffffffff', '0x100000000',
  '0x7fffffffffffffff', '0x8000000000000000', '0xffffffffffffffff', '0x10000000000000000', '-0x8000000000000001', '99999999999999999999999999999999999999',
  '1e10', '0b', '0x', '0o9', '0FFh', '1_000', '0xffff_ffff', '#0', '#-1', '#0x1000000', '1 << 63', '1 << 200', '1 >> -0x7fffffff', '-(1 << 70)', '(1 << 62) * (1 << 62)', '1/0', '1%0', '1//0', '!0', '~0',
];
const UNICODE = ['é', 'ß', 'Ω', '中', '😀', '\u200b', '\u0000', '\u0002', '\t', '\r', '\uFEFF', '\uD800', 'ａ'];

export type Rand = () => number;
export const seeded = rng;

function pick<T>(r: Rand, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** Splits a line into rough tokens (words, numbers, punctuation, spaces). */
function roughTokens(line: string): string[] {
  return line.match(/[A-Za-z_.$?@][\w.$?@#]*|0x[\da-fA-F_]+|\d[\w]*|\s+|./gu) ?? [];
}

function randomToken(r: Rand): string {
  const x = r();
  if (x < 0.3) return pick(r, PUNCT);
  if (x < 0.6) return pick(r, WORDS);
  if (x < 0.85) return pick(r, NUMBERS);
  if (x < 0.92) return pick(r, UNICODE);
  return String.fromCharCode(Math.floor(r() * 0x80));
}

/** A line of random characters (mostly printable ASCII). */
export function randomChars(r: Rand): string {
  const n = Math.floor(r() * 24);
  let s = '';
  for (let i = 0; i < n; i++) s += r() < 0.9 ? String.fromCharCode(32 + Math.floor(r() * 95)) : pick(r, UNICODE);
  return s;
}

/** A line of random tokens. */
export function randomLine(r: Rand): string {
  const n = 1 + Math.floor(r() * 8);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(randomToken(r), r() < 0.5 ? ' ' : r() < 0.5 ? ', ' : '');
  return parts.join('');
}

/** A valid line, mutated once or a few times. */
export function mutate(r: Rand, line: string): string {
  let toks = roughTokens(line);
  const rounds = 1 + Math.floor(r() * 3);
  for (let k = 0; k < rounds; k++) {
    const i = Math.floor(r() * (toks.length + 1));
    const op = Math.floor(r() * 11);
    switch (op) {
      case 0: // truncate (at a token)
        toks = toks.slice(0, i);
        break;
      case 1: { // truncate mid-character
        const s = toks.join('');
        toks = [s.slice(0, Math.floor(r() * s.length))];
        break;
      }
      case 2: // delete a token
        toks.splice(i, 1);
        break;
      case 3: // insert a random token
        toks.splice(i, 0, randomToken(r));
        break;
      case 4: // replace a token
        toks[Math.min(i, toks.length - 1)] = randomToken(r);
        break;
      case 5: // replace a number by a huge or odd one
        toks = toks.map((t) => (/^#?-?\d/.test(t) && r() < 0.7 ? pick(r, NUMBERS) : t));
        break;
      case 6: // unbalance a bracket
        toks = toks.map((t) => (/^[\[\]{}()]$/.test(t) && r() < 0.5 ? '' : t));
        break;
      case 7: // empty an operand
        toks = toks.join('').split(',').map((o, j) => (j > 0 && r() < 0.4 ? ' ' : o));
        break;
      case 8: // duplicate a token
        if (toks.length) toks.splice(i, 0, toks[Math.min(i, toks.length - 1)]!);
        break;
      case 9: // swap two tokens
        if (toks.length > 1) {
          const j = Math.floor(r() * toks.length);
          const a = toks[Math.min(i, toks.length - 1)]!;
          toks[Math.min(i, toks.length - 1)] = toks[j]!;
          toks[j] = a;
        }
        break;
      default: // wrap in data/times/label syntax
        toks = [pick(r, ['times 2 ', 'times -1 ', 'l: ', '.l: ', '1: ', 'x equ ', 'db ', '.word ', '[', 'align 3\n', '..@q: ']), ...toks];
    }
  }
  return toks.join('');
}

/** Directives and statements around the instructions, for every front end. */
const STATEMENTS = [
  'db 1, 2, "ab"', 'dw $ - $$', 'dd label', 'dq -1', 'times 4 db 0', 'times 2 nop', 'align 8', 'align 4, db 0', 'resb 3', 'org 0x1000', 'x equ 3',
  'section .data', 'section .text', 'global _start', '_start:', 'label:', '.loop:', '..@m:', 'label.loop:', 'bits 16', 'bits 32', 'bits 64', 'default rel',
  '.byte 1, 2', '.hword 3', '.word label', '.quad 1', '.ascii "x"', '.asciz "y"', '.space 4, 1', '.balign 4', '.p2align 2', '.align 2', '.equ y, 2', 'z = 5',
  '.thumb', '.arm', '.code 16', '.code 32', '.syntax unified', '.thumb_func', '.ltorg', '.pool', '.text', '.data', '.section .rodata', '1:', 'b 1b', 'b 1f',
  'ldr r0, =label', 'ldr r0, =0x12345678', 'adr r0, label', 'adrp x0, label', 'add x0, x0, :lo12:label', 'jmp label', 'call label', 'jmp short label',
  '[bits 32]', '[section .data]', 'rep movsb', 'lock', 'cpu 386', '.type f, %function',
];

/** A small source: one to four lines, mostly mutated golden lines. */
export function randomSource(r: Rand, t: Target): string {
  const n = 1 + Math.floor(r() * (r() < 0.6 ? 1 : 6));
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.2) lines.push(randomLine(r));
    else if (x < 0.3) lines.push(r() < 0.5 ? pick(r, STATEMENTS) : mutate(r, pick(r, STATEMENTS)));
    else if (x < 0.35) lines.push(randomChars(r));
    else if (x < 0.9) lines.push(mutate(r, pick(r, t.lines)));
    else lines.push(pick(r, t.lines));
  }
  return t.head + lines.join('\n');
}
