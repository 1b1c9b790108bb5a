/**
 * Comparing a text front end's fast path (Backend.parseLine) with the token path, for the fast
 * path tests (test/arm/fast.test.ts, test/aarch64/fast.test.ts): a line must give the same bytes
 * both ways, or the same error with the same file:line:column; and random lines to try, of the
 * forms a syntax's plain lines are made of and of forms next to them.
 */
import { expect } from 'vitest';
import type { Backend } from '../../src/core/backend.js';
import { assembleText } from '../../src/core/frontend.js';

/** What assembling `src` (as file t.s) gives: its bytes in hex, or `error: ` and the message, which names the place. */
export function assembleOrError<I, S>(backend: Backend<I, S>, src: string): string {
  try {
    return Buffer.from(assembleText(src, backend as Backend<unknown, S>, { file: 't.s' }).bytes).toString('hex');
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** The backend with its fast path left out: every line is read by the token path. */
export function withoutFastPath<B extends { parseLine?: unknown }>(backend: B): B {
  return { ...backend, parseLine: undefined };
}

/**
 * Assembles `src` with `fast` and with `slow` (the same backend, withoutFastPath) and expects the
 * same answer; a difference is reported with `what` (the line, and how it was assembled). Returns
 * the answer.
 */
export function expectSameBothWays<I, S>(fast: Backend<I, S>, slow: Backend<I, S>, src: string, what: Record<string, unknown>): string {
  const a = assembleOrError(fast, src);
  const b = assembleOrError(slow, src);
  if (a !== b) expect({ ...what, fast: a }).toEqual({ ...what, fast: b });
  return a;
}

/** The pieces randomLine makes a line of: mnemonics, operands of each kind, and what may end a line. */
export interface LineWords {
  mnemonics: readonly string[];
  registers: readonly string[];
  immediates: readonly string[];
  memory: readonly string[];
  shifts: readonly string[];
  labels: readonly string[];
  /** What may follow the operands: nothing, blanks, comments of the syntax and others, a colon. */
  tails: readonly string[];
}

/**
 * A random line: half the time one of the syntax's plain lines (`plainLine`), else a mnemonic and
 * up to four operands of any kind from `words`, with odd spacing and an odd end.
 */
export function randomLine(r: () => number, words: LineWords, plainLine: (r: () => number) => string): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (r() < 0.5) return plainLine(r);
  const n = Math.floor(r() * 5);
  const ops: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    ops.push(x < 0.4 ? pick(words.registers) : x < 0.6 ? pick(words.immediates) : x < 0.72 ? pick(words.memory) : x < 0.85 ? pick(words.shifts) : pick(words.labels));
  }
  const sep = pick([', ', ',', ' , ']);
  const lead = pick(['', '  ', '\t']);
  const tail = pick(words.tails);
  return `${lead}${pick(words.mnemonics)}${n ? pick([' ', '\t', '  ']) : ''}${ops.join(sep)}${tail}`;
}
