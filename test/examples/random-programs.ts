/**
 * Random programs for the planner fuzz test (planner-fuzz.test.ts): straight-line ALU work,
 * forward branches, byte loads from a data table, and an exit with the result, so every layout
 * of one program must exit with the same status.
 */
import { rng } from '../helpers/rng.js';

/** A seeded stream and the two ways the generators draw from it. */
function draws(seed: number): { r: () => number; int: (lo: number, hi: number) => number; pick: <T>(xs: readonly T[]) => T } {
  const r = rng(seed);
  return { r, int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)), pick: (xs) => xs[Math.floor(r() * xs.length)]! };
}

/**
 * `n` steps of straight-line code: before each, the oldest pending forward label may be bound
 * (30%); `step` gets a fresh draw in [0, 1) to choose what the step is.
 */
function steps(r: () => number, n: number, lines: string[], pending: number[], step: (x: number) => void): void {
  for (let i = 0; i < n; i++) {
    if (pending.length && r() < 0.3) lines.push(`L${pending.shift()}:`);
    step(r());
  }
}

const REGS = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'];
const ALU = ['add', 'sub', 'xor', 'and', 'or'];
const JCC = ['je', 'jne', 'jb', 'jae', 'jl', 'jge', 'jle', 'jg'];
const CONDS = ['eq', 'ne', 'lo', 'hs', 'lt', 'ge', 'le', 'gt'];

export function randomProgram(arch: 'i386' | 'x86_64', seed: number): string {
  const { r, int, pick } = draws(seed);
  const reg = (): string => pick(REGS);
  const table = Array.from({ length: 16 }, () => int(0, 255));
  const tableRef = (k: number): string => (arch === 'x86_64' ? `[rel table + ${k}]` : `[table + ${k}]`);
  const lines: string[] = [arch === 'x86_64' ? 'bits 64' : 'bits 32', 'section .text'];
  // The first instruction decides whether the x86-64 entry through the magic may be used.
  lines.push(pick([`push ${int(0, 100)}`, `mov ${reg()}, ${int(0, 1000)}`, `xor ${reg()}, ${reg()}`, `lea ${reg()}, [${arch === 'x86_64' ? 'r' : 'e'}ax + ${int(1, 9)}]`, `add eax, ${int(1, 50)}`]));
  const n = int(4, 40);
  let label = 0;
  const pending: number[] = [];
  steps(r, n, lines, pending, (x) => {
    if (x < 0.2) lines.push(`mov ${reg()}, ${r() < 0.5 ? int(0, 200) : int(0, 0x7fffffff)}`);
    else if (x < 0.4) lines.push(`${pick(ALU)} ${reg()}, ${reg()}`);
    else if (x < 0.55) lines.push(`${pick(ALU)} ${reg()}, ${r() < 0.6 ? int(-128, 127) : int(-0x8000000, 0x7ffffff)}`);
    else if (x < 0.62) lines.push(`${pick(['inc', 'dec', 'not', 'neg'])} ${reg()}`);
    else if (x < 0.7) lines.push(`lea ${reg()}, [${reg()} + ${reg()}*${pick([1, 2, 4, 8])} + ${int(-300, 300)}]`);
    else if (x < 0.8) lines.push(`movzx ${reg()}, byte ${tableRef(int(0, 15))}`);
    else if (x < 0.88) lines.push(`push ${int(-100, 100)}`, `pop ${arch === 'x86_64' ? 'r' + reg().slice(1) : reg()}`);
    else {
      lines.push(`cmp ${reg()}, ${int(-5, 300)}`, `${pick(JCC)} L${label}`);
      pending.push(label++);
    }
  });
  for (const l of pending) lines.push(`L${l}:`);
  lines.push(
    ...(arch === 'x86_64'
      ? ['mov edi, eax', 'xor edi, ebx', 'mov eax, 60', 'syscall']
      : ['xor eax, ebx', 'mov ebx, eax', 'mov eax, 1', 'int 0x80']),
    'section .rodata',
    `table: db ${table.join(', ')}`,
  );
  return lines.join('\n') + '\n';
}

/** Thumb (ARMv6: the 16-bit forms the built-ins use) or AArch64, the same kind of program. */
export function randomArmProgram(arch: 'arm' | 'aarch64', seed: number): string {
  const { r, int, pick } = draws(seed);
  const a64 = arch === 'aarch64';
  const reg = (): string => (a64 ? `w${int(0, 7)}` : `r${int(0, 6)}`);
  const table = Array.from({ length: 16 }, () => int(0, 255));
  const lines: string[] = a64 ? ['.text'] : ['.text', '.thumb', '.syntax unified', '.thumb_func'];
  lines.push('_start:');
  const n = int(4, 30);
  let label = 0;
  const pending: number[] = [];
  /** A forward branch to a label placed later. */
  const branchTo = (head: string): void => {
    lines.push(`${head}${head.includes(' ') ? ',' : ''} L${label}`);
    pending.push(label++);
  };
  steps(r, n, lines, pending, (x) => {
    if (a64) {
      if (x < 0.2) lines.push(`mov ${reg()}, #${int(0, 65535)}`);
      else if (x < 0.45) lines.push(`${pick(['add', 'sub', 'eor', 'and', 'orr'])} ${reg()}, ${reg()}, ${reg()}`);
      else if (x < 0.6) lines.push(`${pick(['add', 'sub'])} ${reg()}, ${reg()}, #${int(0, 4095)}`);
      else if (x < 0.75) lines.push('adr x9, table', `ldrb ${reg()}, [x9, #${int(0, 15)}]`);
      else if (x < 0.85) branchTo(`cbz ${reg()}`);
      else lines.push(`cmp ${reg()}, #${int(0, 300)}`), branchTo(`b.${pick(CONDS)}`);
    } else {
      if (x < 0.2) lines.push(`movs ${reg()}, #${int(0, 255)}`);
      else if (x < 0.45) lines.push(`${pick(['adds', 'subs', 'eors', 'ands', 'orrs'])} ${reg()}, ${reg()}`);
      else if (x < 0.6) lines.push(`${pick(['adds', 'subs'])} ${reg()}, #${int(0, 255)}`);
      else if (x < 0.75) lines.push('adr r7, table', `ldrb ${reg()}, [r7, #${int(0, 15)}]`);
      else lines.push(`cmp ${reg()}, #${int(0, 255)}`), branchTo(`b${pick(CONDS)}`);
    }
  });
  for (const l of pending) lines.push(`L${l}:`);
  lines.push(
    ...(a64 ? ['eor w0, w0, w1', 'mov x8, #93', 'svc #0'] : ['eors r0, r1', 'movs r7, #1', 'svc #0']),
    '.section .rodata',
    ...(a64 ? [] : ['.balign 4']),
    `table: .byte ${table.join(', ')}`,
  );
  return lines.join('\n') + '\n';
}

/**
 * ARMv7 in A32 or Thumb-2: the forms the v6 Thumb programs leave out (three-register ALU ops,
 * shifted operands, 32-bit Thumb encodings, cbz), so the planner also joins 4-byte A32 runs and
 * mixed 16/32-bit Thumb runs.
 */
export function randomArmV7Program(mode: 'a32' | 'thumb2', seed: number): string {
  const { r, int, pick } = draws(seed);
  const reg = (): string => `r${int(0, 6)}`;
  const table = Array.from({ length: 16 }, () => int(0, 255));
  const lines = mode === 'a32' ? ['.text', '.arm', '.syntax unified', '_start:'] : ['.text', '.thumb', '.syntax unified', '.thumb_func', '_start:'];
  const n = int(4, 40);
  let label = 0;
  const pending: number[] = [];
  steps(r, n, lines, pending, (x) => {
    if (x < 0.15) lines.push(`mov ${reg()}, #${int(0, 255)}`);
    else if (x < 0.3) lines.push(`${pick(['add', 'sub', 'eor', 'and', 'orr'])} ${reg()}, ${reg()}, ${reg()}`);
    else if (x < 0.45) lines.push(`${pick(['add', 'sub'])} ${reg()}, ${reg()}, #${int(0, 255)}`);
    else if (x < 0.55) lines.push(`${pick(['add', 'eor'])} ${reg()}, ${reg()}, ${reg()}, lsl #${int(0, 31)}`);
    else if (x < 0.7) lines.push('adr r7, table', `ldrb ${reg()}, [r7, #${int(0, 15)}]`);
    else if (x < 0.8 && mode === 'thumb2') {
      // (cbz cannot reach the next instruction: a nop stands between)
      lines.push(`cbz ${reg()}, L${label}`, 'nop');
      pending.push(label++);
    } else if (x < 0.85) lines.push('nop');
    else {
      lines.push(`cmp ${reg()}, #${int(0, 255)}`, `b${pick(CONDS)} L${label}`);
      pending.push(label++);
    }
  });
  for (const l of pending) lines.push(`L${l}:`);
  lines.push('eor r0, r0, r1', 'and r0, r0, #255', 'mov r7, #1', 'svc #0', '.section .rodata', '.balign 4', `table: .byte ${table.join(', ')}`);
  return lines.join('\n') + '\n';
}

/**
 * `source` (a random program) with `align N` (x86) or `.balign N` (ARM) lines, N in 2/4/8/16,
 * sprinkled through its code: padding whose size depends on where the planner puts it.
 */
export function withAligns(source: string, seed: number): string {
  const r = rng(seed * 7 + 1);
  const lines = source.split('\n');
  const arm = lines.includes('.section .rodata');
  const end = lines.indexOf(arm ? '.section .rodata' : 'section .rodata');
  const start = arm ? lines.indexOf('_start:') + 1 : 2;
  for (let i = end - 1; i > start; i--) if (r() < 0.15) lines.splice(i, 0, `${arm ? '.balign' : 'align'} ${[2, 4, 8, 16][Math.floor(r() * 4)]}`);
  return lines.join('\n');
}
