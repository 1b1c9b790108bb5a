/** The builder's methods for the second half of the table make the text syntax's bytes. */
import { describe, expect, it } from 'vitest';
import { A64Builder, mem, sp, w2, x0, x1, x2, x3 } from '../../src/arch/aarch64/index.js';
import { asm, hex } from './text.js';

describe('A64Builder, second half of the table', () => {
  it('makes the same bytes as the text for each new method', () => {
    const built = new A64Builder()
      .adc(x0, x1, x2).sbc(x3, x2, x1).rev(x0, x1).clz(x2, x3)
      .ldxr(x0, mem(x1)).stxr(w2, x0, mem(x1)).ldaxr(x3, mem(sp)).stlxr(w2, x3, mem(sp)).ldar(x0, mem(x1)).stlr(x0, mem(x1))
      .ldaddal(x0, x1, mem(x2)).swpal(x0, x1, mem(x2)).casal(x0, x1, mem(x2))
      .mrs(x0, 'tpidr_el0').msr('tpidr_el0', x1).msr('daifset', 2).dmb('ish').dsb().isb()
      .assemble().bytes;
    const text = `adc x0, x1, x2\nsbc x3, x2, x1\nrev x0, x1\nclz x2, x3
ldxr x0, [x1]\nstxr w2, x0, [x1]\nldaxr x3, [sp]\nstlxr w2, x3, [sp]\nldar x0, [x1]\nstlr x0, [x1]
ldaddal x0, x1, [x2]\nswpal x0, x1, [x2]\ncasal x0, x1, [x2]
mrs x0, tpidr_el0\nmsr tpidr_el0, x1\nmsr daifset, #2\ndmb ish\ndsb sy\nisb`;
    expect(hex(built)).toBe(hex(asm(text)));
    expect(built.length).toBe(19 * 4);
  });
});
