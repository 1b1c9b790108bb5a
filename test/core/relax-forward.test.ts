import { describe, expect, it } from 'vitest';
import { assembleText } from '../../src/core/frontend.js';
import { toyBackend } from './toy-backend.js';

const asm = (src: string) => assembleText(src, toyBackend, { file: 't.s' });

describe('branch relaxation with forward references', () => {
  it('keeps a short forward branch short when earlier code grew past the label’s old address', () => {
    // 50 branches grow by 3 bytes each in pass 2; `br t` moves 150 bytes further than `t` was in
    // pass 1. Read naively, the old address of t looks 146 bytes behind: the branch must stay short.
    const src = 'br end\n'.repeat(50) + 'b: br t\npad 2\nt:\npad 400\nend:\n';
    const { bytes, symbols } = asm(src);
    const b = Number(symbols.get('b'));
    expect(bytes[b]).toBe(0xeb);
    expect(bytes.length).toBe(50 * 5 + 2 + 2 + 400);
  });
});
