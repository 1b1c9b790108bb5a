/**
 * The layout planner on users' programs: it cuts .text between any two instructions, joins the
 * pieces with jumps and moves data blocks anywhere, so each program here is built for every
 * loader profile and run, checking its output and status:
 *   - too large for the header's holes (300 bytes of code, a 200-byte message): plain layout;
 *   - a loop whose label and branch the planner puts in different holes;
 *   - several data blocks from several sections;
 *   - `_start` not the first instruction of .text (a subroutine before it).
 */
import { describe, expect, it } from 'vitest';
import { ARCHES, hello, layoutElf, LOADER_PROFILES, programFromSource, type ArchName, type Program } from '../../src/index.js';
import { outcome, runEach, runsOf } from './helpers.js';

interface Case {
  name: string;
  arch: ArchName;
  source: string;
  stdout: string;
  status: number;
}

const program = (c: Case): Program => programFromSource(c.source, { arch: c.arch, file: `${c.name}-${c.arch}.s` });

async function runAll(cases: Case[]): Promise<void> {
  const runs = cases.flatMap((c) => runsOf(`${c.name} ${c.arch}`, c.arch, program(c)).map((r) => ({ r, c })));
  expect(runs.length).toBeGreaterThanOrEqual(cases.length * 3);
  const results = await runEach(runs.map(({ r }) => [r] as const));
  results.forEach((res, i) => {
    const { r, c } = runs[i]!;
    expect([r.name, ...outcome(res)]).toEqual([r.name, c.stdout, c.status, null]);
  });
}

const repeat = (line: string, n: number): string => Array.from({ length: n }, () => `    ${line}`).join('\n');

// --- too large for the holes --------------------------------------------------------------------

const MESSAGE = Array.from({ length: 199 }, (_, i) => String.fromCharCode(65 + (i % 26))).join('') + '\n';
const GNU_MESSAGE = MESSAGE.replace('\n', '\\n');
const large: Case[] = [
  {
    name: 'large', arch: 'x86_64', stdout: MESSAGE, status: 100,
    source: `
    mov edi, 1
    mov esi, message
    mov edx, message_len
    mov eax, 1
    syscall
    xor edi, edi
${repeat('add edi, 1', 100)}
    mov eax, 60
    syscall
section .rodata
message: db "${MESSAGE.slice(0, -1)}", 10
message_len equ $ - message
`,
  },
  {
    name: 'large', arch: 'i386', stdout: MESSAGE, status: 100,
    source: `
    mov ebx, 1
    mov ecx, message
    mov edx, message_len
    mov eax, 4
    int 0x80
    xor ebx, ebx
${repeat('add ebx, 1', 100)}
    mov eax, 1
    int 0x80
section .rodata
message: db "${MESSAGE.slice(0, -1)}", 10
message_len equ $ - message
`,
  },
  {
    name: 'large', arch: 'aarch64', stdout: MESSAGE, status: 75,
    source: `
    mov     x0, #1
    adr     x1, message
    mov     x2, #message_len
    mov     x8, #64
    svc     #0
    mov     x0, #0
${repeat('add x0, x0, #1', 75)}
    mov     x8, #93
    svc     #0
    .section .rodata
message: .ascii "${GNU_MESSAGE}"
message_len = . - message
`,
  },
  {
    name: 'large', arch: 'arm', stdout: MESSAGE, status: 150,
    source: `
    .thumb
    .thumb_func
_start:
    movs    r0, #1
    adr     r1, message
    movs    r2, #message_len
    movs    r7, #4
    svc     #0
    movs    r0, #0
${repeat('adds r0, #1', 150)}
    movs    r7, #1
    svc     #0
    .section .rodata
    .balign 4
message: .ascii "${GNU_MESSAGE}"
message_len = . - message
`,
  },
];

describe('a program too large for the header holes', () => {
  it('has 300 bytes of code and a 200-byte message', () => {
    for (const c of large) {
      const l = layoutElf({ arch: c.arch, program: program(c), loader: 'strict' });
      const code = l.pieces.filter((p) => p.kind === 'code').reduce((n, p) => n + p.end - p.start, 0);
      const data = l.pieces.filter((p) => p.kind === 'data').reduce((n, p) => n + p.end - p.start, 0);
      expect([c.arch, code >= 300, data]).toEqual([c.arch, true, 200]);
    }
  });
  it('runs on every loader', () => runAll(large));
});

// --- a loop across holes ------------------------------------------------------------------------

const loops: Case[] = [
  {
    name: 'loop', arch: 'x86_64', stdout: '54321', status: 0,
    source: `
_start:
    mov     ebx, 5
again:
    lea     eax, [rbx + '0']
    push    rax
    mov     rsi, rsp
    mov     edi, 1
    mov     edx, 1
    mov     eax, 1
    syscall
    pop     rax
    dec     ebx
    jnz     again
    xor     edi, edi
    mov     eax, 60
    syscall
`,
  },
  {
    name: 'loop', arch: 'i386', stdout: '54321', status: 0,
    source: `
_start:
    mov     esi, 5
again:
    lea     eax, [esi + '0']
    push    eax
    mov     ecx, esp
    mov     ebx, 1
    mov     edx, 1
    mov     eax, 4
    int     0x80
    pop     eax
    dec     esi
    jnz     again
    xor     ebx, ebx
    mov     eax, 1
    int     0x80
`,
  },
  {
    name: 'loop', arch: 'aarch64', stdout: '54321', status: 0,
    source: `
_start:
    mov     x19, #5
again:
    add     x9, x19, #'0'
    strb    w9, [sp, #-16]!
    mov     x0, #1
    mov     x1, sp
    mov     x2, #1
    mov     x8, #64
    svc     #0
    add     sp, sp, #16
    subs    x19, x19, #1
    b.ne    again
    mov     x0, #0
    mov     x8, #93
    svc     #0
`,
  },
  {
    name: 'loop', arch: 'arm', stdout: '54321', status: 0,
    source: `
    .thumb
    .thumb_func
_start:
    movs    r4, #5
again:
    movs    r0, r4
    adds    r0, #'0'
    push    {r0}
    movs    r0, #1
    mov     r1, sp
    movs    r2, #1
    movs    r7, #4
    svc     #0
    pop     {r0}
    subs    r4, #1
    bne     again
    movs    r0, #0
    movs    r7, #1
    svc     #0
`,
  },
  {
    name: 'loop-a32', arch: 'arm', stdout: '54321', status: 0,
    source: `
    .arm
_start:
    mov     r4, #5
again:
    add     r0, r4, #'0'
    str     r0, [sp, #-4]!
    mov     r0, #1
    mov     r1, sp
    mov     r2, #1
    mov     r7, #4
    svc     #0
    add     sp, sp, #4
    subs    r4, r4, #1
    bne     again
    mov     r0, #0
    mov     r7, #1
    svc     #0
`,
  },
];

describe('a loop whose label and branch the planner moved apart', () => {
  // (A32's 4-byte instructions mostly do not fit the holes: that case only runs.)
  it('the label and the branch land in different code runs (for some loader)', () => {
    for (const c of loops.filter((l) => l.name === 'loop')) {
      const split = LOADER_PROFILES.filter((loader) => {
        const l = layoutElf({ arch: c.arch, program: program(c), loader });
        const runOf = (addr: number): number => l.pieces.findIndex((p) => p.kind === 'code' && addr - Number(l.base) >= p.start && addr - Number(l.base) < p.end);
        const label = l.placed.find((p) => p.item.kind === 'label' && p.item.name === 'again')!;
        const branch = l.placed.find((p) => p.item.kind === 'insn' && /^(jnz|bne|b\.ne)$/.test(p.item.mnemonic ?? ''))!;
        return runOf(label.address) !== runOf(branch.address);
      });
      expect([c.name, c.arch, split.length > 0]).toEqual([c.name, c.arch, true]);
    }
  });
  it('counts down from 5 on every loader', () => runAll(loops));
});

// --- several data blocks ------------------------------------------------------------------------

const blocks: Case[] = [
  {
    name: 'blocks', arch: 'x86_64', stdout: 'Hello, planner!\n', status: 0,
    source: `
section .text
    mov     esi, greeting
    mov     edx, greeting_len
    call    print
    mov     esi, name
    mov     edx, name_len
    call    print
    lea     rsi, [rel bang]
    mov     edx, 2
    call    print
    xor     edi, edi
    mov     eax, 60
    syscall
print:
    mov     edi, 1
    mov     eax, 1
    syscall
    ret
section .rodata
greeting: db "Hello, "
greeting_len equ $ - greeting
section .data
name:   db "planner"
name_len equ $ - name
align 4
bang:   db "!", 10
`,
  },
  {
    name: 'blocks', arch: 'aarch64', stdout: 'Hello, planner!\n', status: 0,
    source: `
    .text
    adr     x1, greeting
    mov     x2, #greeting_len
    bl      print
    adr     x1, name
    mov     x2, #name_len
    bl      print
    adr     x1, bang
    mov     x2, #2
    bl      print
    mov     x0, #0
    mov     x8, #93
    svc     #0
print:
    mov     x0, #1
    mov     x8, #64
    svc     #0
    ret
    .section .rodata
greeting: .ascii "Hello, "
greeting_len = . - greeting
    .data
name:   .ascii "planner"
name_len = . - name
    .balign 4
bang:   .byte '!', 10
`,
  },
  {
    name: 'blocks', arch: 'arm', stdout: 'Hello, planner!\n', status: 0,
    source: `
    .syntax unified
    .arm
_start:
    ldr     r1, =greeting
    mov     r2, #greeting_len
    bl      print
    ldr     r1, =name
    mov     r2, #name_len
    bl      print
    ldr     r1, =bang
    mov     r2, #2
    bl      print
    mov     r0, #0
    mov     r7, #1
    svc     #0
    .ltorg
print:
    mov     r0, #1
    mov     r7, #4
    svc     #0
    bx      lr
    .section .rodata
greeting: .ascii "Hello, "
greeting_len = . - greeting
    .data
name:   .ascii "planner"
name_len = . - name
    .balign 4
bang:   .byte '!', 10
`,
  },
];

describe('several data blocks', () => {
  it('each data section is one block, whatever labels it holds', () => {
    for (const c of blocks) expect(program(c).data.map((d) => d.label)).toEqual(['greeting', 'name']);
  });
  it('every block is found where the planner put it, on every loader', () => runAll(blocks));
});

// Code that reads on from one label's data into the next label's, as it may after nasm && ld:
// a section's labels stay in the order written, one after another (a regression: the planner
// used to place each label's data apart, and this printed whatever bytes followed "ab").
const walkOn: Case[] = [
  {
    name: 'walk-on', arch: 'x86_64', stdout: 'abcdef\n', status: 0,
    source: `
    mov     edi, 1
    mov     esi, first
    mov     edx, 7
    mov     eax, 1
    syscall
    xor     edi, edi
    mov     eax, 60
    syscall
section .rodata
first:  db "ab"
second: db "cd"
third:  db "ef", 10
`,
  },
  {
    name: 'walk-on', arch: 'i386', stdout: 'abcdef\n', status: 0,
    source: `
    mov     ebx, 1
    mov     ecx, first
    mov     edx, 7
    mov     eax, 4
    int     0x80
    xor     ebx, ebx
    mov     eax, 1
    int     0x80
section .data
first:  db "ab"
second: db "cd"
third:  db "ef", 10
`,
  },
];

describe('data read on past a label', () => {
  it('finds the next label\'s bytes after its own, on every loader', () => runAll(walkOn));
});

// --- _start not first ---------------------------------------------------------------------------

const notFirst: Case[] = [
  {
    name: 'entry', arch: 'x86_64', stdout: 'entry\n', status: 7,
    source: `
print:
    mov     edi, 1
    mov     eax, 1
    syscall
    ret
_start:
    mov     esi, msg
    mov     edx, msg_len
    call    print
    mov     edi, 7
    mov     eax, 60
    syscall
section .rodata
msg: db "entry", 10
msg_len equ $ - msg
`,
  },
  {
    name: 'entry', arch: 'i386', stdout: 'entry\n', status: 7,
    source: `
print:
    mov     ebx, 1
    mov     eax, 4
    int     0x80
    ret
_start:
    mov     ecx, msg
    mov     edx, msg_len
    call    print
    mov     ebx, 7
    mov     eax, 1
    int     0x80
section .rodata
msg: db "entry", 10
msg_len equ $ - msg
`,
  },
  {
    name: 'entry', arch: 'aarch64', stdout: 'entry\n', status: 7,
    source: `
print:
    mov     x0, #1
    mov     x8, #64
    svc     #0
    ret
_start:
    adr     x1, msg
    mov     x2, #msg_len
    bl      print
    mov     x0, #7
    mov     x8, #93
    svc     #0
    .section .rodata
msg: .ascii "entry\\n"
msg_len = . - msg
`,
  },
  {
    name: 'entry', arch: 'arm', stdout: 'entry\n', status: 7,
    source: `
    .thumb
print:
    movs    r0, #1
    movs    r7, #4
    svc     #0
    bx      lr
    .thumb_func
_start:
    adr     r1, msg
    movs    r2, #msg_len
    bl      print
    movs    r0, #7
    movs    r7, #1
    svc     #0
    .section .rodata
    .balign 4
msg: .ascii "entry\\n"
msg_len = . - msg
`,
  },
];

describe('_start not first in .text', () => {
  it('the entry is _start', () => {
    for (const c of notFirst) expect(program(c).entry).toBe('_start');
  });
  it('starts at _start on every loader', () => runAll(notFirst));
});

// --- an entry point the header pins --------------------------------------------------------------

/**
 * x86-64, kernel only: with the program header at 24, e_entry's low half is p_type (1) and its
 * high half p_flags (5), so the entry is 0x500000001, file offset 1, and the magic's "ELF" runs
 * as three REX prefixes in front of the first instruction. `push 42` means the same after them;
 * `lea edi, [rax+42]` would become `lea r15d, [rax+42]` (and exit 0), so that program must get
 * another layout.
 */
const pinned: Case[] = [
  {
    name: 'pinned-push', arch: 'x86_64', stdout: '', status: 42,
    source: `
    push 42
    pop rdi
    mov al, 60
    syscall
`,
  },
  {
    name: 'pinned-lea', arch: 'x86_64', stdout: '', status: 42,
    source: `
    lea edi, [rax+42]
    mov al, 60
    syscall
`,
  },
  {
    name: 'pinned-message', arch: 'x86_64', stdout: 'high\n', status: 0,
    source: `
    push 1
    pop rdi
    lea rsi, [rel msg]
    push 5
    pop rdx
    mov eax, edi
    syscall
    xor edi, edi
    mov al, 60
    syscall
section .rodata
msg: db "high", 10
`,
  },
];

describe('an entry point the header pins (x86-64: the ELF magic runs as REX prefixes)', () => {
  const linux = (c: Case) => layoutElf({ arch: c.arch, program: program(c), loader: 'linux' });
  it('a program whose first instruction the prefixes leave alone is entered at file offset 1', () => {
    for (const c of [pinned[0]!, pinned[2]!]) {
      const l = linux(c);
      expect([c.name, l.phoff, l.entry, l.base]).toEqual([c.name, 24, 0x500000001n, 0x500000000n]);
      // 64-bit ELF header + program header at 24 = 80 bytes: code and data hide in the holes.
      expect(l.bytes.length).toBeLessThanOrEqual(c === pinned[0] ? 80 : 96);
    }
  });
  it('one the prefixes would change is not', () => {
    const l = linux(pinned[1]!);
    expect(l.entry).not.toBe(0x500000001n);
    expect(l.phoff).not.toBe(24);
  });
  it('each runs right on every loader', () => runAll(pinned));
});

// --- a family's alternatives ---------------------------------------------------------------------

describe("hello's alternatives (equ switches) where they cannot apply", () => {
  // BYTE_LENGTH (mov dl, len) cannot hold 300: that alternative fails and must simply not compete.
  const long = 'x'.repeat(299);
  it('a 300-byte message is printed whole on every arch and loader', async () => {
    const runs = ARCHES.flatMap((arch) => runsOf(`hello-long ${arch}`, arch, hello(long)));
    expect(runs.length).toBeGreaterThan(8);
    const results = await runEach(runs.map((r) => [r] as const));
    results.forEach((res, i) => expect([runs[i]!.name, ...outcome(res)]).toEqual([runs[i]!.name, `${long}\n`, 0, null]));
  });
});

// --- data block alignment -----------------------------------------------------------------------

describe('where the planner may put a data block', () => {
  // An ARM block is word-aligned unless it opens with its own alignment: `.balign 1` lets it go
  // anywhere (hello's byte-length variant, whose text is found by adds, not adr), `.balign 8` to a
  // multiple of 8. Each is built for every loader; the labels' addresses are checked. (43 Thumb
  // instructions: the code runs past the header and ends off a word boundary somewhere.)
  const source = (pre: string) => `
    .thumb
    .syntax unified
_start:
${repeat('movs r0, #0', 41)}
    movs r7, #1
    svc #0
    .section .rodata
${pre}
data:
    .ascii "a block too long for the header's holes"
`;
  const addressesOf = (pre: string): number[] =>
    LOADER_PROFILES.map((loader) => {
      const l = layoutElf({ arch: 'arm', program: programFromSource(source(pre), { arch: 'arm', file: 'align.s' }), loader });
      const at = l.placed.find((p) => p.item.kind === 'label' && p.item.name === 'data')!.address;
      return at;
    });
  it('an ARM block with no alignment of its own starts at a multiple of 4', () => {
    for (const at of addressesOf('')) expect(at % 4).toBe(0);
  });
  it('one that opens with .balign 8 at a multiple of 8', () => {
    for (const at of addressesOf('    .balign 8')) expect(at % 8).toBe(0);
  });
  it('one that opens with .balign 1 anywhere: some loader profile puts it off a word boundary', () => {
    expect(addressesOf('    .balign 1').some((at) => at % 4 !== 0)).toBe(true);
  });
});
