import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assembleText } from '../../src/core/frontend.js';
import { AsmError } from '../../src/core/errors.js';
import { toyBackend } from './toy-backend.js';

const asm = (src: string) => assembleText(src, toyBackend, { file: 't.s' });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('expressions and data', () => {
  it('evaluates operators with nasm precedence', () => {
    const out = asm('dd 1 + 2 * 3, (1 + 2) * 3, 1 << 4 | 1, ~0 & 0xff, 17 % 5, -7 // 2, 0x10 >> 2, 6 ^ 3, 0FFh, 101b');
    const v = new DataView(out.bytes.buffer);
    const got = Array.from({ length: 10 }, (_, i) => v.getInt32(i * 4, true));
    expect(got).toEqual([7, 9, 17, 255, 2, -3, 4, 5, 255, 5]);
  });
  it('writes strings, pads dw/dd strings, and reads short strings as numbers', () => {
    expect(hex(asm('db "ab", 0\ndw "abc"\ndd \'a\'').bytes)).toBe('616200' + '61626300' + '61000000');
  });
  it('understands $, $$, equ, org, labels and label differences', () => {
    const out = asm('org 0x1000\nstart: db 1, 2\nhere_: dw $ - $$, here_\nlen equ $ - start\ndb len');
    expect(hex(out.bytes)).toBe('0102' + '0200' + '0210' + '06');
    expect(out.symbols.get('len')).toBe(6n);
  });
  it('supports forward references in data and equ', () => {
    expect(hex(asm('dd size\ndb 0\nsize equ end - $$\nend:').bytes)).toBe('05000000' + '00');
  });
  it('supports times with $-dependent counts and align', () => {
    const out = asm('db 1\ntimes 8 - ($ - $$) db 0xcc\nalign 16, db 0\ndb 2\nalign 4');
    expect(hex(out.bytes)).toBe('01' + 'cc'.repeat(7) + '00'.repeat(8) + '02' + '909090');
  });
  it('qualifies nasm local labels with the last global one', () => {
    const out = asm('a:\n.x: db .x - a\nb:\n.x: db .x - b, b.x - a.x');
    expect(hex(out.bytes)).toBe('000001');
  });
});

describe('errors', () => {
  it('names file, line and column and collects every problem', () => {
    try {
      asm('db 1\ndb 300\nfoo bar\ndd undefined_sym');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AsmError);
      const err = e as AsmError;
      // Parse errors are reported together before layout is attempted.
      expect(err.diagnostics.map((d) => `${d.loc.line}:${d.loc.column}`)).toEqual(['3:1']);
      expect(err.message).toContain("t.s:3:1: error: unknown instruction or directive 'foo'");
    }
    try {
      asm('db 1\ndb 300\ndd undefined_sym');
      expect.unreachable();
    } catch (e) {
      const err = e as AsmError;
      expect(err.diagnostics.map((d) => d.message)).toEqual(["value 300 does not fit in 1 byte", "undefined symbol 'undefined_sym'"]);
      expect(err.line).toBe(2);
      expect(err.pretty()).toContain('    db 300\n    ^');
    }
  });
  it('rejects redefinition and circular equ', () => {
    expect(() => asm('a:\na:')).toThrow(/defined more than once/);
    expect(() => asm('x equ y\ny equ x\ndb x')).toThrow(/cannot be resolved/);
  });
});

describe('branch relaxation', () => {
  it('keeps a branch short at +127 and grows it at +128', () => {
    expect(asm('br t\npad 127\nt:').bytes.length).toBe(129);
    expect(asm('br t\npad 128\nt:').bytes.length).toBe(133);
    // backward: -128 from the end of a 2-byte branch reaches; -129 does not
    expect(asm('t: pad 126\nbr t').bytes.slice(-2)).toEqual(Uint8Array.of(0xeb, 0x80));
    expect(asm('t: pad 127\nbr t').bytes.length).toBe(132);
  });

  it('reaches a fixed point where every branch lands on its label and is short when it can be', () => {
    const program = fc.array(fc.oneof(fc.record({ br: fc.nat(19) }), fc.record({ pad: fc.nat(60) })), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(program, (stmts) => {
        const src = stmts.map((s, i) => `L${i}: ` + ('br' in s ? `br L${s.br % stmts.length}` : `pad ${s.pad}`)).join('\n') + '\n';
        const { bytes, symbols } = asm(src);
        // Walk the output: every branch must land on its label, and be short when rel8 reaches.
        stmts.forEach((s, i) => {
          if (!('br' in s)) return;
          const at = Number(symbols.get(`L${i}`));
          const target = Number(symbols.get(`L${s.br % stmts.length}`));
          if (bytes[at] === 0xeb) {
            expect(at + 2 + ((bytes[at + 1]! << 24) >> 24)).toBe(target);
          } else {
            expect(bytes[at]).toBe(0xe9);
            const rel = new DataView(bytes.buffer, bytes.byteOffset).getInt32(at + 1, true);
            expect(at + 5 + rel).toBe(target);
            // A long form is only acceptable when the short one cannot reach from here.
            const d = target - (at + 2);
            expect(d < -128 || d > 127).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
