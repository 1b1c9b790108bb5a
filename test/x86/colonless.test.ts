/**
 * Labels without a colon, as nasm takes them (a word it knows as an instruction or prefix is never
 * one), against `nasm -f bin`; and the located errors for words nasm knows that tinyelf does not
 * encode, written where a colon-less label could have hidden them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { x86Backend } from '../../src/arch/x86/syntax.js';
import { hasNasm, hex, nasmBytes } from './gen.js';
import { missing } from '../helpers/oracles.js';
import { tinyelf as cli, useTempDir } from '../cli/helpers.js';

const PROGRAMS: Record<string, string> = {
  'labels before instructions, data, times and equ (64-bit)': `bits 64
start mov eax, 3
loop_top dec eax
  jnz loop_top
.inner mov ecx, 1
  jmp .inner
msg db "hi", 10
len equ $ - msg
five equ 5
buf times 4 db 0
count dd 3
words dw 1, 2
copy rep movsb
alone
  jmp alone
  mov eax, [rel msg]
  mov eax, len
  mov ecx, five
  mov eax, [rel count]
num resb 1
`,
  // Words that look like registers or prefixes but are not reserved to nasm are labels.
  'register-like and other assemblers\' prefix names as labels (64-bit)': `bits 64
eax1 mov eax, 2
rax_ nop
xmm nop
cr nop
k8 nop
st8 nop
r16 nop
xmm32 nop
rex64 nop
data16 nop
movl nop
  jmp eax1
  call r16
`,
  // With a colon, an instruction name is a label to nasm too.
  'instruction names with a colon are labels (32-bit)': `bits 32
mov: nop
fld1: jmp fld1
pushfd: dec eax
  jnz pushfd
  call mov
`,
  // nasm's standard macros for `default rel` / `default abs` / `default nobnd`.
  'userel, useabs and usenobnd (64-bit)': `bits 64
userel
  mov eax, [x]
useabs
  mov eax, [x]
usenobnd
  jmp x
x dd 0
`,
  'colon-less labels in 32-bit code with data after code': `bits 32
entry mov ebx, msg
  mov ecx, len
next inc eax
  loop next
  int 0x80
msg db "hello", 10
len equ $ - msg
pad times 3 db 0x90
table dd entry, next, msg
`,
};

const tinyelf = (src: string, bits: 32 | 64 = 64): Uint8Array => assembleText(src, x86Backend(bits), { file: 'a.asm' }).bytes;

/** The AsmError tinyelf gives for `src`, or a failure. */
function errorOf(src: string): AsmError {
  try {
    tinyelf(src);
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error(`assembled without an error:\n${src}`);
}

describe.skipIf(missing('nasm', hasNasm()))('colon-less labels against nasm -f bin', () => {
  for (const [name, src] of Object.entries(PROGRAMS)) {
    it(name, () => {
      const expected = nasmBytes(src);
      expect(expected.length).toBeGreaterThan(0);
      expect(hex(tinyelf(src))).toBe(hex(expected));
    });
  }
});

/**
 * Words tinyelf encodes, written where a colon-less label could hide them (after a label, after a
 * prefix, alone): each source gives nasm's bytes.
 */
const ENCODED: string[] = [
  'loop_top pushfq',
  'again: mfence',
  'spin pause\n  rep insb',
  'x86 o16 nop',
  '  cs',
  '  lock cmpxchg8b [rax]',
  'Loop_Top PushFQ',
  'fence sfence\n  lfence',
  'x a32 lodsd',
  'wipe rep stosq',
  'top fs\n  gs',
];

describe.skipIf(missing('nasm', hasNasm()))('words nasm knows that tinyelf encodes: nasm\'s bytes', () => {
  for (const src of ENCODED) {
    it(JSON.stringify(src), () => {
      const want = hex(nasmBytes(`bits 64\n${src}`));
      expect(want.length, 'nasm gives bytes').toBeGreaterThan(0);
      expect(hex(tinyelf(src))).toBe(want);
    });
  }
});

/** Sources with a word nasm knows that tinyelf refuses: [source, line, column, message]. */
const REFUSED: [string, number, number, string][] = [
  ['nop\nfoo fld1\nnop', 2, 5, 'instruction not supported: fld1 (x87)'],
  ['fld1', 1, 1, 'instruction not supported: fld1 (x87)'],
  ['loop_top fninit', 1, 10, 'instruction not supported: fninit (x87)'],
  ['again: emms', 1, 8, 'instruction not supported: emms (MMX)'],
  ['spin pause\n  rep fld1', 2, 7, 'instruction not supported: fld1 (x87)'],
  ['x86 xacquire lock add dword [rax], 1', 1, 5, 'prefix not supported: xacquire'],
  ['  xrelease', 1, 3, 'prefix not supported: xrelease'],
  ['  addps xmm0, xmm1', 1, 3, 'instruction not supported: addps (SSE)'],
  ['vec vaddps zmm0, zmm1, zmm2', 1, 5, 'instruction not supported: vaddps (AVX)'],
  ['  paddb mm0, mm1', 1, 3, 'instruction not supported: paddb (MMX/SSE)'],
  // (nasm assembles it, with a warning that andn is not lockable)
  ['  lock andn eax, ebx, ecx', 1, 8, 'instruction not supported: andn'],
  ['xmm0 nop', 1, 1, "'xmm0' is a reserved word, not a label"],
  ['k1: nop', 1, 1, "'k1' is a reserved word, not a label"],
  ['  movsd xmm0, xmm1', 1, 9, 'register xmm0 is not supported'],
  ['  FLD1', 1, 3, 'instruction not supported: fld1 (x87)'],
  ['Loop_Top FNInit', 1, 10, 'instruction not supported: fninit (x87)'],
  ['usebnd', 1, 1, 'usebnd is not supported'],
  ['pi dt 3.14', 1, 4, "nasm's 'dt' is not supported"],
  ['  incbin "logo.bin"', 1, 3, "nasm's 'incbin' is not supported"],
  ['  int short 3', 1, 7, "'short' applies to branch targets, and int takes none"],
  ['  repe rep movsb', 1, 8, 'instruction has conflicting prefixes: repe and rep'],
  ['done repne ret', 1, 12, 'repne prefix is not allowed on ret'],
];

describe('words nasm knows that tinyelf does not encode: refused by line', () => {
  const tmp = useTempDir();
  for (const [src, line, column, message] of REFUSED) {
    it(JSON.stringify(src), () => {
      const e = errorOf(src);
      expect(e.diagnostics).toHaveLength(1);
      expect({ line: e.line, column: e.column }).toEqual({ line, column });
      expect(e.reason).toContain(message);
    });
  }

  it('reports every such line of a source, not only the first', () => {
    const e = errorOf('bits 64\nfninit\nfld1\nok mov eax, 1\nemms\nnop');
    expect(e.diagnostics.map((d) => [d.loc.line, d.message])).toEqual([
      [2, 'instruction not supported: fninit (x87)'],
      [3, 'instruction not supported: fld1 (x87)'],
      [5, 'instruction not supported: emms (MMX)'],
    ]);
  });

  it.skipIf(missing('nasm', hasNasm()))('nasm assembles each refused instruction (so none of them is a label to nasm)', () => {
    for (const [src] of REFUSED.filter(([, , , message]) => message.includes(' not supported: '))) {
      expect(nasmBytes(`bits 64\n${src}`).length, src).toBeGreaterThan(0);
    }
    // Three instructions of two or three bytes, and a nop: none of them taken as a label.
    expect(hex(nasmBytes('bits 64\nfninit\nfld1\nemms\nnop'))).toBe('db e3 d9 e8 0f 77 90');
  });

  it('tinyelf asm prints each such line with its place and writes nothing', async () => {
    const out = join(tmp(), 'never');
    const r = await cli(['asm', '--flat', '-', '-o', out], { input: 'bits 64\nfninit\nfld1\nemms\nnop\n' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('<stdin>:2:1: error: instruction not supported: fninit (x87)\n');
    expect(r.stderr).toContain('<stdin>:3:1: error: instruction not supported: fld1 (x87)\n');
    expect(r.stderr).toContain('<stdin>:4:1: error: instruction not supported: emms (MMX)\n');
    expect(r.stderr).toMatch(/tinyelf: error: 3 errors in <stdin>\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
