/**
 * Random nasm sources that mix %define, %xdefine, %assign, %undef, %if/%elif/%else (nested),
 * %ifdef, %rep with counters, small macros with parameters and %%labels, struc/istruc, and
 * if/else macros over the context stack, for comparing
 * tinyelf with nasm. Every name used is defined by then, and every data value is masked to its
 * width, so the programs are valid for both (tinyelf refuses values that do not fit; nasm warns).
 */
import { rng } from '../helpers/rng.js';

export function randomProgram(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (n: number): number => Math.floor(r() * n);
  /** Names holding a number, usable in expressions. */
  const numeric: string[] = [];
  /** For a lazy %define: every name its value needs, at any depth. */
  const dependsOn = new Map<string, Set<string>>();
  const lines: string[] = ['bits 64', ...IF_ELSE_MACROS];
  let strucs = 0;
  let macros = 0;
  let labels = 0;
  const definite: string[] = [];
  /** %reps around the statement being made (a label there would be defined again). */
  let reps = 0;

  const number = (): string => {
    const v = int(300) - (r() < 0.2 ? 150 : 0);
    const forms = [String(v), v >= 0 ? `0x${v.toString(16)}` : String(v), v >= 0 ? `0${v.toString(16)}h` : `(${v})`];
    return pick(forms);
  };
  const expr = (depth: number, comparisons: boolean): string => {
    if (depth <= 0 || r() < 0.3) return numeric.length && r() < 0.6 ? pick(numeric) : number();
    const k = int(10);
    if (k === 0) return `(${expr(depth - 1, comparisons)})`;
    if (k === 1) return `-${expr(depth - 1, comparisons)}`;
    if (k === 2) return `~${expr(depth - 1, comparisons)}`;
    if (k === 3) return `(${expr(depth - 1, comparisons)} ${pick(["<<", ">>"])} ${int(8)})`;
    if (comparisons && k === 4) return `${expr(depth - 1, comparisons)} ${pick(['=', '==', '!=', '<>', '<', '<=', '>', '>=', '&&', '||'])} ${expr(depth - 1, comparisons)}`;
    return `${expr(depth - 1, comparisons)} ${pick(['+', '-', '*', '&', '|', '^'])} ${expr(depth - 1, comparisons)}`;
  };
  const data = (): string => {
    const [w, mask] = pick([['db', '0xff'], ['dw', '0xffff'], ['dd', '0xffffffff']] as const);
    return `  ${w} (${expr(3, false)}) & ${mask}`;
  };
  const statement = (depth: number): void => {
    const k = int(14);
    if (k <= 1) {
      const name = `D${int(6)}`;
      const body = expr(2, false);
      const used = numeric.filter((x) => new RegExp(`\\b${x}\\b`).test(body));
      // (A lazy %define names what it uses when used: it must not use itself, and %undef of what it uses undefines it.)
      const lazy = r() < 0.5 && !used.includes(name);
      lines.push(`%${lazy ? 'define' : 'xdefine'} ${name} ${body}`);
      dependsOn.set(name, lazy ? new Set(used.flatMap((u) => [u, ...(dependsOn.get(u) ?? [])])) : new Set());
      if (!numeric.includes(name)) numeric.push(name);
    } else if (k === 2) {
      const name = `A${int(4)}`;
      lines.push(`%assign ${name} ${expr(2, true)}`);
      if (!numeric.includes(name)) numeric.push(name);
    } else if (k === 3 && depth < 2) {
      lines.push(`%if ${expr(2, true)}`);
      block(depth + 1);
      if (r() < 0.5) {
        lines.push(`%elif ${expr(2, true)}`);
        block(depth + 1);
      }
      if (r() < 0.5) {
        lines.push('%else');
        block(depth + 1);
      }
      lines.push('%endif');
    } else if (k === 4) {
      const name = `D${int(8)}`;
      lines.push(`%if${pick(['def', 'ndef'])} ${name}`, `  db ${int(256)}`, '%else', `  db ${int(256)}`, '%endif');
    } else if (k === 5 && depth < 2) {
      const counter = `R${depth}`;
      lines.push(`%assign ${counter} 0`, `%rep ${int(4)}`);
      if (!numeric.includes(counter)) numeric.push(counter);
      reps++;
      block(depth + 1);
      reps--;
      lines.push(`%assign ${counter} ${counter} + 1`, '%endrep');
    } else if (k === 6) {
      const name = `M${macros++}`;
      const n = 1 + int(2);
      lines.push(`%macro ${name} ${n}`, `%%top: dw (%1 + ${int(9)}) & 0xffff`);
      if (n === 2) lines.push('  db (%2) & 0xff');
      lines.push('  jmp short %%top', '%endmacro');
      for (let c = int(3); c > 0; c--) lines.push(`  ${name} ${expr(1, false)}${n === 2 ? `, ${expr(1, false)}` : ''}`);
    } else if (k === 7 && reps === 0) {
      // (It points at itself or at a label outside every %if, which is surely defined.)
      const name = `L${labels++}`;
      lines.push(`${name}: dq ${definite.length && r() < 0.5 ? pick(definite) : name}`);
      if (depth === 0) definite.push(name);
    } else if (k === 8 && numeric.length) {
      const name = pick(numeric.filter((x) => x.startsWith('D')).concat(['D7']));
      lines.push(`%undef ${name}`);
      const gone = numeric.filter((x) => x === name || dependsOn.get(x)?.has(name));
      for (const g of gone) numeric.splice(numeric.indexOf(g), 1);
    } else if (k === 9 && depth === 0 && reps === 0) {
      strucInstance();
    } else if (k === 10 && depth < 2) {
      // The context stack at work: if/else/endif macros around code (chosen when running, not preprocessing).
      lines.push(`  cmp eax, ${int(4)}`, `  if ${pick(['e', 'ne', 'b', 'ae', 'l', 'ge', 'z', 'nz'])}`);
      block(depth + 1);
      if (r() < 0.5) {
        lines.push('  else');
        block(depth + 1);
      }
      lines.push('  endif');
    } else lines.push(data());
  };
  /** A struc of a few fields, an instance of it with some fields set (in order), and its sizes used. */
  const strucInstance = (): void => {
    const name = `S${strucs++}`;
    const fields = 1 + int(4);
    lines.push(`struc ${name}`);
    for (let f = 0; f < fields; f++) lines.push(`  .f${f}: ${pick(['resb', 'resw', 'resd', 'resq'])} ${1 + int(3)}`);
    lines.push('endstruc', `  istruc ${name}`);
    for (let f = 0; f < fields; f++) if (r() < 0.6) lines.push(`    at ${r() < 0.5 ? `.f${f}` : `${name}.f${f}`}, db (${expr(1, false)}) & 0xff`);
    lines.push('  iend', `  dd ${name}_size, ${name}.f${int(fields)}`);
  };
  const block = (depth: number): void => {
    // (A branch may be skipped, and a %rep may run no time: after the block, a name is known only
    // if it was known before and the block did not %undef it.)
    const known = numeric.slice();
    for (let n = 1 + int(3); n > 0; n--) statement(depth);
    const after = numeric.slice();
    numeric.length = 0;
    numeric.push(...known.filter((x) => after.includes(x)));
  };
  for (let n = 8 + int(12); n > 0; n--) statement(0);
  return lines.join('\n') + '\n';
}

/** nasm's manual's if/else/endif macros over the context stack. */
const IF_ELSE_MACROS = [
  '%macro if 1', '  %push if', '  j%-1 %$ifnot', '%endmacro',
  '%macro else 0', '  %ifctx if', '    %repl else', '    jmp %$ifend', '    %$ifnot:', '  %else', "    %error 'expected if'", '  %endif', '%endmacro',
  '%macro endif 0', '  %ifctx if', '    %$ifnot:', '    %pop', '  %elifctx else', '    %$ifend:', '    %pop', '  %else', "    %error 'expected if or else'", '  %endif', '%endmacro',
];
