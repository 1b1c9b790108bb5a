/**
 * Assembler listings, as `nasm -l` and `as -a` print them: every line of the source in order,
 * with the address and the bytes it became. In an ELF laid out by the planner, code lands in
 * header holes out of address order, so the addresses show where each line went; the jumps the
 * planner inserted to join runs are listed after the line they follow.
 */
import type { Placed } from './assembler.js';

/** Bytes per row; longer output (strings, `times`) goes on following rows. */
const ROW_BYTES = 8;

export interface ListingInput {
  source: string;
  /** The source's name, as its items' locations give it. */
  file: string;
  /** Every statement with its address, in the order assembled. */
  placed: readonly Placed[];
  /** The bytes a statement became. */
  bytesOf: (p: Placed) => Uint8Array;
}

interface Row {
  address: number;
  bytes: Uint8Array;
  /** For a statement of another file (a preprocessor's `%include`; not the planner's `<planner>`): where it is written. */
  from?: string;
}

export function formatListing({ source, file, placed, bytesOf }: ListingInput): string {
  const lines = source.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[lines.length - 1] === '') lines.pop();
  const byLine: Row[][] = lines.map(() => []);
  /** Rows added by the planner, after the source line of the statement they follow. */
  const inserted: Row[][] = lines.map(() => []);
  let lastLine = -1;
  for (const p of placed) {
    const { loc } = p.item;
    const bytes = p.size > 0 ? bytesOf(p) : new Uint8Array(0);
    if (loc.file === file && loc.line >= 1 && loc.line <= lines.length) {
      lastLine = loc.line - 1;
      if (bytes.length) addRow(byLine[lastLine]!, p.address, bytes);
    } else if (bytes.length && lastLine >= 0) {
      inserted[lastLine]!.push({ address: p.address, bytes, from: loc.line > 0 && loc.file !== '' && !loc.file.startsWith('<') ? `${loc.file}:${loc.line}` : undefined });
    }
  }
  let widest = 0;
  for (const rows of [...byLine, ...inserted]) for (const r of rows) widest = Math.max(widest, r.address + r.bytes.length - 1);
  const digits = Math.max(8, widest.toString(16).length);
  const numberWidth = String(lines.length).length;
  const bytesWidth = ROW_BYTES * 3 - 1;
  const out: string[] = [];
  const emit = (lineNo: string, address: number | undefined, bytes: Uint8Array, text: string): void => {
    const addr = address === undefined ? ' '.repeat(digits) : address.toString(16).padStart(digits, '0');
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    out.push(`${lineNo.padStart(numberWidth)}  ${addr}  ${hex.padEnd(bytesWidth)}  ${text}`.trimEnd());
  };
  lines.forEach((text, i) => {
    const rows = byLine[i]!;
    if (!rows.length) emit(String(i + 1), undefined, new Uint8Array(0), text);
    rows.forEach((r, k) => emitRows(r, k === 0 ? String(i + 1) : '', k === 0 ? text : ''));
    for (const r of inserted[i]!) emitRows(r, '', r.from ? `; (${r.from})` : '; (jump inserted by the planner to join code runs)');
  });
  return out.join('\n') + '\n';

  function emitRows(r: Row, lineNo: string, text: string): void {
    for (let at = 0; at < r.bytes.length; at += ROW_BYTES) {
      emit(at === 0 ? lineNo : '', r.address + at, r.bytes.subarray(at, at + ROW_BYTES), at === 0 ? text : '');
    }
  }
}

/** Statements of one line that follow each other in memory are one row. */
function addRow(rows: Row[], address: number, bytes: Uint8Array): void {
  const last = rows[rows.length - 1];
  if (last && last.address + last.bytes.length === address) {
    const joined = new Uint8Array(last.bytes.length + bytes.length);
    joined.set(last.bytes);
    joined.set(bytes, last.bytes.length);
    last.bytes = joined;
  } else rows.push({ address, bytes });
}
