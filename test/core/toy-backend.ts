import type { Backend, EncodeContext } from '../../src/core/backend.js';
import { fail } from '../../src/core/errors.js';
import type { Expr } from '../../src/core/expr.js';
import { nasmLex } from '../../src/core/lexer.js';

/**
 * A two-instruction architecture for testing the core alone: `br label` is 2 bytes (opcode, rel8)
 * or 5 bytes (opcode, rel32) like an x86 jmp, and `pad N` emits N bytes of 0xAA.
 */
type ToyInsn = { op: 'br'; target: Expr } | { op: 'pad'; n: Expr };

export const toyBackend: Backend<ToyInsn, object> = {
  arch: 'x86_64',
  endian: 'little',
  lex: nasmLex,
  initialState: () => ({}),
  isMnemonic: (n) => n === 'br' || n === 'pad',
  parseInstruction(mn, ts) {
    const e = ts.expr();
    ts.expectEnd();
    return mn.text === 'br' ? { op: 'br', target: e } : { op: 'pad', n: e };
  },
  encode(insn: ToyInsn, ctx: EncodeContext) {
    if (insn.op === 'pad') {
      const n = ctx.value(insn.n);
      if (n === undefined) fail(ctx.loc, 'pad needs a known count');
      return new Uint8Array(Number(n)).fill(0xaa);
    }
    const t = ctx.value(insn.target);
    const short = t === undefined ? 0 : Number(t) - (ctx.address + 2);
    if (ctx.atLeast <= 2 && short >= -128 && short <= 127) return Uint8Array.of(0xeb, short & 0xff);
    const rel = t === undefined ? 0 : Number(t) - (ctx.address + 5);
    const b = new Uint8Array(5);
    b[0] = 0xe9;
    new DataView(b.buffer).setInt32(1, rel, true);
    return b;
  },
  codeFill: (n) => new Uint8Array(n).fill(0x90),
};
