/**
 * `struc`/`endstruc` and `istruc`/`at`/`iend`. In nasm these are macros of its standard set over
 * an `absolute` section: a struc's fields are labels at offsets from 0 (`point.x`), and
 * `name_size` is its length; `istruc` lays out an instance, padding with zeros up to each `at`
 * field. tinyelf has no `absolute` section, so the offsets are computed here (the `res…` counts
 * must be constants the preprocessor knows) and become `equ` lines, and an instance becomes the
 * same `times … db 0` padding nasm's macros write.
 */
import { solid, joinText, lexPP, type PTok } from './lex.js';

export type EmitLine = (text: string) => void;

export interface StrucContext {
  emit: EmitLine;
  fail(message: string, at?: PTok): void;
  value(toks: PTok[]): bigint | undefined;
  /** A fresh number for a label nobody else makes. */
  id(): number;
}

/** Bytes per unit of each `res…` directive. */
const RES: Record<string, bigint> = { resb: 1n, resw: 2n, resd: 4n, resq: 8n, rest: 10n, reso: 16n, resy: 32n, resz: 64n };

interface OpenStruc {
  readonly name: string;
  readonly start: bigint;
  offset: bigint;
}

interface OpenInstance {
  readonly name: string;
  readonly startLabel: string;
}

export class StrucBuilder {
  private open: OpenStruc | undefined;
  private instance: OpenInstance | undefined;
  private openedAt: { report: (message: string) => void } | undefined;

  /** True between `struc` and `endstruc`: every line made goes to `take`. */
  get active(): boolean {
    return this.open !== undefined;
  }

  /** True between `istruc` and `iend`. */
  get inInstance(): boolean {
    return this.instance !== undefined;
  }

  /** Whether a word is a struc statement here (`endstruc` only in a struc, `at`/`iend` only in an instance). */
  expects(word: string): boolean {
    return word === 'endstruc' ? this.open !== undefined : (word === 'at' || word === 'iend') && this.instance !== undefined;
  }

  /** A line between `struc` and `endstruc`: `[label[:]] [resX count | alignb n]`. */
  take(text: string, ctx: StrucContext): void {
    const open = this.open!;
    const toks = lexPP(text);
    const s = solid(toks);
    let k = 0;
    if (s[0]?.kind === 'id' && !(s[0].text.toLowerCase() in RES) && s[0].text.toLowerCase() !== 'alignb') {
      const label = s[0].text;
      ctx.emit(`${label.startsWith('.') ? open.name + label : label} equ ${open.offset}`);
      k = s[1]?.kind === 'op' && s[1].text === ':' ? 2 : 1;
    }
    const word = s[k];
    if (word === undefined) return;
    const w = word.kind === 'id' ? word.text.toLowerCase() : '';
    const count = toks.slice(toks.indexOf(word) + 1);
    if (w in RES || w === 'alignb') {
      const n = ctx.value(count);
      if (n === undefined) return;
      if (w === 'alignb') {
        if (n <= 0n || (n & (n - 1n)) !== 0n) ctx.fail(`alignb needs a power of two, found ${n}`, word);
        else open.offset = ((open.offset + n - 1n) / n) * n;
      } else if (n < 0n) ctx.fail(`${word.text} count ${n} is negative`, word);
      else open.offset += n * RES[w]!;
      return;
    }
    ctx.fail(`inside struc only labels and resb/resw/resd/resq/rest/reso/resy/resz (or alignb) may be written, found '${word.text}'`, word);
  }

  /** `struc name[, start]`, `endstruc`, `istruc name`, `at field[, statement]`, `iend`; `args` split at the first comma. */
  statement(word: string, args: PTok[][], ctx: StrucContext & { report: (message: string) => void }): void {
    const first = solid(args[0] ?? []);
    switch (word) {
      case 'struc': {
        if (this.open) return ctx.fail(`struc inside struc '${this.open.name}' (endstruc first)`);
        if (first.length !== 1 || first[0]!.kind !== 'id') return ctx.fail('struc needs a name', first[0]);
        const start = args[1] ? ctx.value(args[1]) : 0n;
        if (start === undefined) return;
        this.open = { name: first[0]!.text, start, offset: start };
        this.openedAt = { report: ctx.report };
        ctx.emit(`${first[0]!.text} equ ${start}`);
        return;
      }
      case 'endstruc': {
        const open = this.open!;
        if (first.length) return ctx.fail('endstruc takes nothing after it', first[0]);
        ctx.emit(`${open.name}_size equ ${open.offset - open.start}`);
        this.open = undefined;
        return;
      }
      case 'istruc': {
        if (this.instance) return ctx.fail(`istruc inside istruc '${this.instance.name}' (iend first)`);
        if (first.length !== 1 || first[0]!.kind !== 'id') return ctx.fail('istruc needs the name of a struc', first[0]);
        this.instance = { name: first[0]!.text, startLabel: `..@${ctx.id()}.strucstart` };
        this.openedAt = { report: ctx.report };
        ctx.emit(`${this.instance.startLabel}:`);
        return;
      }
      case 'at': {
        const inst = this.instance!;
        if (first.length === 0) return ctx.fail('at needs a field name');
        const field = joinText(args[0]!).trim();
        const name = field.startsWith('.') ? inst.name + field : field;
        ctx.emit(`times (${name} - ${inst.name}) - ($ - ${inst.startLabel}) db 0`);
        if (args[1] && solid(args[1]).length) ctx.emit(joinText(args[1]).trim());
        return;
      }
      default: {
        const inst = this.instance!;
        if (first.length) return ctx.fail('iend takes nothing after it', first[0]);
        ctx.emit(`times ${inst.name}_size - ($ - ${inst.startLabel}) db 0`);
        this.instance = undefined;
      }
    }
  }

  /** At the end of the source: a struc or istruc still open is an error. */
  finish(): void {
    if (this.open) this.openedAt?.report(`unterminated struc '${this.open.name}': no endstruc before the end of the source`);
    else if (this.instance) this.openedAt?.report(`unterminated istruc '${this.instance.name}': no iend before the end of the source`);
  }
}
