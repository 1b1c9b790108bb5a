/**
 * The words the text fast path (`parseLineFast` in syntax.ts) looks for — the mnemonics it can
 * encode, branch mnemonics, 32/64-bit registers and operand sizes — found straight from the
 * source's characters. No string is cut from the source and no Map is asked: a string cut from
 * the source is a copy, and a Map compares it with its own key character by character (through a
 * slow runtime path), which cost more than the whole rest of a lookup. Here one hash of the char
 * codes picks a slot and the slot's word is compared with the source in place.
 */
import { branchPairOf, type BranchPair } from './encoder.js';
import { BRANCH, FAST_MNEMONICS, type FastMnemonic } from './fast.js';
import type { Size } from './operands.js';
import { REGISTERS, type Reg } from './registers.js';

export interface LineWord {
  /** The word (lower case): the same string object for every occurrence. */
  readonly text: string;
  /** A 32- or 64-bit general register. */
  readonly reg: Reg | undefined;
  /** byte/word/dword/qword. */
  readonly size: Size | undefined;
  /** A mnemonic `encodeFast` may encode (what `encodeFastAs` needs of it), or a branch (jmp, call, jcc). */
  readonly fast: FastMnemonic | undefined;
  readonly branch: boolean;
  /** For jmp and jcc: their short and near opcodes (`encodeBranch` encodes them). */
  readonly jump: BranchPair | undefined;
}

const SLOTS = 1024;
/** Words of at most this many characters are told apart by their code alone (see `foldChar`). */
const CODED_LENGTH = 4;

interface Entry extends LineWord {
  /** `foldChar` over the word's char codes. */
  readonly code: number;
}
const table: (Entry | undefined)[] = new Array(SLOTS).fill(undefined);

/**
 * The code `findLineWord` looks words up by: the same fold of the char codes while scanning and
 * here. Seven bits per character, so a word of up to CODED_LENGTH (ASCII) characters is its code
 * exactly and is found without comparing characters; of longer ones it is only a hash.
 */
export function foldChar(h: number, c: number): number {
  return (h << 7) | c;
}
function slotOf(h: number): number {
  return (h ^ (h >>> 10) ^ (h >>> 20)) & (SLOTS - 1);
}

function add(text: string, w: Partial<LineWord>): void {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = foldChar(h, text.charCodeAt(i));
  let s = slotOf(h);
  while (table[s] !== undefined) {
    if (table[s]!.text === text) throw new Error(`internal: line word '${text}' twice`);
    s = (s + 1) & (SLOTS - 1);
  }
  table[s] = { text, reg: w.reg, size: w.size, fast: w.fast, branch: w.branch ?? false, jump: w.jump, code: h };
}

for (const [name, r] of REGISTERS) if (r.cls === 'r32' || r.cls === 'r64') add(name, { reg: r });
for (const [name, size] of [['byte', 8], ['word', 16], ['dword', 32], ['qword', 64]] as const) add(name, { size });
for (const [mn, fast] of FAST_MNEMONICS) add(mn, { fast });
for (const mn of BRANCH.keys()) add(mn, { branch: true, jump: branchPairOf(mn) });

/** The word `text[start, end)`, whose char codes folded with `foldChar` from 0 give `code`, if it is one. */
export function findLineWord(text: string, start: number, end: number, code: number): LineWord | undefined {
  const len = end - start;
  for (let s = slotOf(code); ; s = (s + 1) & (SLOTS - 1)) {
    const w = table[s];
    if (w === undefined) return undefined;
    const t = w.text;
    if (w.code !== code || t.length !== len) continue;
    if (len <= CODED_LENGTH) return w;
    let q = 0;
    while (q < len && t.charCodeAt(q) === text.charCodeAt(start + q)) q++;
    if (q === len) return w;
  }
}
