/**
 * What the preprocessor says about bad input, and where: an error inside a macro names the line
 * that used the macro and the line inside each macro; an included file's error names that file;
 * anything unsupported is refused by line; nothing is written.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/assemble.js';
import { AsmError, type Diagnostic } from '../../src/core/errors.js';
import { assembleWithListing } from '../../src/listing.js';
import { emitElf, programFromSource } from '../../src/index.js';
import { tinyelf, useTempDir } from '../cli/helpers.js';
import { tinyText } from './helpers.js';

const tmp = useTempDir();

/** The pretty-printed errors (message, source line, caret) of assembling `source`. */
function errorsOf(source: string, includePaths: string[] = [], file = 'in.asm'): string {
  try {
    assemble(source, { arch: 'x86_64', file, includePaths });
  } catch (e) {
    if (e instanceof AsmError) return e.pretty();
    throw e;
  }
  throw new Error('assembled without an error');
}

describe('errors keep their places', () => {
  it('an error in a macro names the use and the line inside the macro', () => {
    const src = '%macro bad 1\n  mov eax, %1\n  movx ebx, 1\n%endmacro\n_start:\n  bad 5\n';
    expect(errorsOf(src)).toBe("in.asm:6:3: error: unknown instruction or directive 'movx' (in macro 'bad' at in.asm:3:3)\n      bad 5\n      ^");
  });

  it('through nested macros, every level, innermost first (also for errors found after reading: an undefined symbol)', () => {
    const src = '%macro inner 1\n  add %1, nosuch\n%endmacro\n%macro outer 1\n  nop\n  inner %1\n%endmacro\n  outer eax\n';
    expect(errorsOf(src)).toBe("in.asm:8:3: error: undefined symbol 'nosuch' (in macro 'inner' at in.asm:2:11, in macro 'outer' at in.asm:6:3)\n      outer eax\n      ^");
  });

  it('columns of a line that %define changed are those of the line as written', () => {
    expect(errorsOf('%define V 5\n  mov eax, V + nosuch_sym\n')).toBe("in.asm:2:16: error: undefined symbol 'nosuch_sym'\n      mov eax, V + nosuch_sym\n                   ^");
    expect(errorsOf('%define LONGER_NAME 1\n  mov eax, LONGER_NAME + nosuch\n')).toMatch(/^in\.asm:2:26: error: undefined symbol 'nosuch'/);
    expect(errorsOf('%define T nowhere\n  jmp T\n  jmp   there\n')).toMatch(/^in\.asm:2:7: error: undefined symbol 'nowhere'\n[^]*in\.asm:3:9: error: undefined symbol 'there'/);
  });

  it('a line joined by a final backslash is blamed at its first line', () => {
    expect(errorsOf('  nop\n  db 1, \\\n  nosuch\n  nop\n')).toMatch(/^in\.asm:2:\d+: error: undefined symbol 'nosuch'\n      db 1, \\\n/);
  });

  it('an error in an included file names that file and its line', () => {
    const dir = join(tmp(), 'inc-error');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bad.inc'), '; helper\n  nop\n  mov eax, [\n');
    const main = join(dir, 'main.asm');
    expect(errorsOf('  nop\n%include "bad.inc"\n', [], main)).toMatch(new RegExp(`^${join(dir, 'bad.inc')}:3:\\d+: error: .*\\n      mov eax, \\[\\n`));
  });

  it('%error is an error at its line (inside a macro: with the use); %warning is a warning only', () => {
    const src = "%macro need 1\n%if %1 < 2\n  %error 'value too small'\n%endif\n%endmacro\n  need 1\n  need 3\n%error plain words\n";
    expect(errorsOf(src)).toBe(
      'in.asm:6:3: error: %error: value too small (in macro \'need\' at in.asm:3:3)\n      need 1\n      ^\n' + 'in.asm:8:1: error: %error: plain words\n    %error plain words\n    ^',
    );
    const warnings: Diagnostic[] = [];
    const bytes = assemble("  nop\n%warning 'check this'\n", { arch: 'x86_64', file: 'w.asm', onWarning: (w) => warnings.push(w) });
    expect([...bytes]).toEqual([0x90]);
    expect(warnings.map((w) => [w.loc, w.message])).toEqual([[{ file: 'w.asm', line: 2, column: 1 }, 'check this']]);
  });

  it('a directive tinyelf does not implement is refused by line, naming it', () => {
    expect(errorsOf('  nop\n  %use altreg\n%pragma foo\n%line 5 x.asm\n')).toBe(
      'in.asm:2:3: error: preprocessor directive not supported: %use\n      %use altreg\n      ^\n' +
        'in.asm:3:1: error: preprocessor directive not supported: %pragma\n    %pragma foo\n    ^\n' +
        'in.asm:4:1: error: preprocessor directive not supported: %line\n    %line 5 x.asm\n    ^',
    );
    expect(errorsOf('%ifenv FOO\n  nop\n%endif\n')).toMatch(/^in\.asm:1:1: error: preprocessor directive not supported: %ifenv\n/);
    // In a skipped branch it is not run, but it still pairs with its %endif.
    expect(tinyText('%if 0\n%ifenv X\n  int3\n%endif\n  int3\n%endif\n  nop\n').hex).toBe('90');
    expect(errorsOf('%macro m 1\n  j%{1:2} x\n%endmacro\n  m z\nx:\n')).toMatch(/^in\.asm:4:3: error: '%\{1:2\}' is not a macro parameter tinyelf supports .* \(in macro 'm' at in\.asm:2:4\)/);
  });

  it('the context stack: a %$name with no context, %pop with none, %-1 of something not a condition code', () => {
    expect(errorsOf('%macro m 0\n  mov eax, %$x\n%endmacro\n  m\n')).toMatch(/^in\.asm:4:3: error: '%\$x' needs a context: no such %push is open \(in macro 'm' at in\.asm:2:12\)/);
    expect(errorsOf('%push a\n  db %$$y\n%pop\n')).toMatch(/^in\.asm:2:6: error: '%\$\$y' needs an outer context/);
    expect(errorsOf('%pop\n%push a\n%pop b\n')).toMatch(/^in\.asm:1:1: error: %pop with no context open \(no %push\)\n[^]*in\.asm:3:6: error: %pop b, but the context open is 'a'/);
    expect(errorsOf('%macro m 1\n  j%-1 x\n%endmacro\n  m eax\nx:\n')).toMatch(/^in\.asm:4:3: error: macro parameter 1 is 'eax', not a condition code, so %-1 cannot be used/);
    // (In a skipped branch, a context name is not read at all.)
    expect(tinyText('%if 0\n  db %$nothing\n%endif\n  nop\n').hex).toBe('90');
  });

  it('unterminated %macro, %if, %rep, struc are errors at their first line', () => {
    expect(errorsOf('%macro m 0\n  nop\n')).toBe('in.asm:1:1: error: unterminated %macro: no %endmacro before the end of the file\n    %macro m 0\n    ^');
    expect(errorsOf('%if 1\n nop\n')).toBe('in.asm:1:1: error: unterminated %if: no %endif before the end of the file\n    %if 1\n    ^');
    expect(errorsOf('%rep 3\n nop\n')).toBe('in.asm:1:1: error: unterminated %rep: no %endrep before the end of the file\n    %rep 3\n    ^');
    expect(errorsOf('struc s\n .a resb 1\n')).toMatch(/^in\.asm:1:1: error: unterminated struc 's': no endstruc/);
    expect(errorsOf('%macro m 0\n%if 1\n  nop\n%endmacro\n  m\n')).toMatch(/^in\.asm:2:1: error: unterminated %if: no %endif before the end of the macro/);
  });

  it('stray and misplaced directives', () => {
    expect(errorsOf('%if 1\n%else\n%else\n%endif\n%endif\n%exitrep\n%endmacro\n%endrep\n%elif 1\n')).toBe(
      [
        'in.asm:3:1: error: %else after %else\n    %else\n    ^',
        'in.asm:5:1: error: %endif without %if\n    %endif\n    ^',
        'in.asm:6:1: error: %exitrep outside %rep\n    %exitrep\n    ^',
        'in.asm:7:1: error: %endmacro without %macro\n    %endmacro\n    ^',
        'in.asm:8:1: error: %endrep without %rep\n    %endrep\n    ^',
        'in.asm:9:1: error: %elif without %if\n    %elif 1\n    ^',
      ].join('\n'),
    );
  });

  it('bad uses: a parameter outside a macro, the wrong number of parameters, a label in %if', () => {
    expect(errorsOf('  mov eax, %1\n')).toMatch(/^in\.asm:1:12: error: '%1' is only meaningful inside a multi-line macro/);
    expect(errorsOf('%macro two 2\n%endmacro\n  two 1\n')).toMatch(/^in\.asm:3:3: error: macro 'two' takes 2 parameters, found 1\n/);
    expect(errorsOf('x: nop\n%if x > 1\n%endif\n')).toMatch(/^in\.asm:2:5: error: %if: 'x' is not known to the preprocessor/);
    // A condition that cannot be evaluated is false (after its error): the branch is not read.
    expect(errorsOf('%if 1/0\n  %error taken\n%else\n  %error else taken\n%endif\n')).toBe('in.asm:1:6: error: %if: division by zero\n    %if 1/0\n         ^\n' + 'in.asm:4:3: error: %error: else taken\n      %error else taken\n      ^');
    expect(errorsOf('%assign n 1/0\n')).toMatch(/^in\.asm:1:\d+: error: %assign: division by zero/);
    expect(errorsOf('%rep -1\n%endrep\n')).toMatch(/^in\.asm:1:6: error: %rep count -1 is out of range/);
    expect(errorsOf('%define\n')).toMatch(/^in\.asm:1:\d+: error: %define needs a macro name/);
    expect(errorsOf('%macro m\n%endmacro\n')).toMatch(/^in\.asm:1:\d+: error: %macro: expected the number of parameters after 'm'/);
    expect(errorsOf('  nop\nendstruc\niend\n')).toBe(['in.asm:2:1: error: endstruc without struc\n    endstruc\n    ^', 'in.asm:3:1: error: iend without istruc\n    iend\n    ^'].join('\n'));
    expect(errorsOf('  at s.x, db 1\n')).toMatch(/^in\.asm:1:3: error: /);
    // (Each alone in a source that has nothing else for the preprocessor: not taken for a label.)
    expect(errorsOf('endstruc\n')).toMatch(/^in\.asm:1:1: error: endstruc without struc/);
    expect(errorsOf('iend\n')).toMatch(/^in\.asm:1:1: error: iend without istruc/);
    expect(errorsOf('struc s\n .a db 1\nendstruc\n')).toMatch(/^in\.asm:2:5: error: inside struc only labels and resb/);
  });

  it('a macro that uses itself without end stops with an error', () => {
    expect(errorsOf('%macro loop 0\n  loop\n%endmacro\n  loop\n')).toMatch(/macros nest more than 1000 deep/);
    expect(errorsOf('%define a b\n%define b a\n  dd a\n')).not.toMatch(/without end/); // a -> b -> a stops (as in nasm), then the front end sees 'a'
  });

  it('%include: not found (naming where it looked), and include cycles', () => {
    const dir = join(tmp(), 'cycle');
    mkdirSync(join(dir, 'more'), { recursive: true });
    writeFileSync(join(dir, 'a.inc'), '%include "b.inc"\n');
    writeFileSync(join(dir, 'b.inc'), '  nop\n%include "a.inc"\n');
    const main = join(dir, 'main.asm');
    expect(errorsOf('%include "nope.inc"\n', [join(dir, 'more')], main)).toBe(
      `${main}:1:10: error: cannot find the include file 'nope.inc' (looked for '${join(dir, 'nope.inc')}', '${join(dir, 'more', 'nope.inc')}')\n    %include "nope.inc"\n             ^`,
    );
    expect(errorsOf('%include "a.inc"\n', [], main)).toMatch(new RegExp(`^${join(dir, 'b.inc')}:2:10: error: include cycle: '${join(dir, 'a.inc')}' is already being read`));
    writeFileSync(join(dir, 'self.asm'), '%include "self.asm"\n');
    expect(errorsOf('%include "self.asm"\n', [], join(dir, 'self.asm'))).toMatch(/include cycle/);
  });
});

describe('after reading: programs, listings, the CLI', () => {
  it('a program made by macros: later errors name the use; an undefined symbol in an included file names the file', () => {
    const src = '%macro go 0\n  jmp nowhere\n%endmacro\n_start:\n  go\n';
    let err: unknown;
    try {
      emitElf({ arch: 'x86_64', program: programFromSource(src, { arch: 'x86_64', file: 'p.asm' }) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AsmError);
    expect([(err as AsmError).file, (err as AsmError).line, (err as AsmError).column]).toEqual(['p.asm', 5, 3]);
    const inc = join(tmp(), 'far.inc');
    writeFileSync(inc, '; far away\n  call   missing_fn\n');
    let far: unknown;
    try {
      emitElf({ arch: 'x86_64', program: programFromSource(`_start:\n%include "${inc}"\n`, { arch: 'x86_64', file: 'p.asm' }) });
    } catch (e) {
      far = e;
    }
    expect(far).toBeInstanceOf(AsmError);
    expect([(far as AsmError).file, (far as AsmError).line, (far as AsmError).column, (far as AsmError).reason]).toEqual([inc, 2, 10, "undefined symbol 'missing_fn'"]);
  });

  it('the listing shows the user\'s lines, a macro\'s bytes at the line that used it, an included line\'s with its place', () => {
    const inc = join(tmp(), 'listed.inc');
    writeFileSync(inc, '  int3\n');
    const src = `%define N 7\n%macro two 0\n  nop\n  nop\n%endmacro\n  mov eax, N\n  two\n%include "${inc}"\n  nop\n`;
    const { listing } = assembleWithListing(src, { arch: 'x86_64', file: 'l.asm' });
    expect(listing.split('\n')).toEqual([
      '1                                     %define N 7',
      '2                                     %macro two 0',
      '3                                       nop',
      '4                                       nop',
      '5                                     %endmacro',
      '6  00000000  b8 07 00 00 00             mov eax, N',
      '7  00000005  90 90                      two',
      `   00000007  cc                       ; (${inc}:1)`,
      `8                                     %include "${inc}"`,
      '9  00000008  90                         nop',
      '',
    ]);
  });

  it('tinyelf asm: %error fails by line and writes nothing; %warning goes to stderr and the file is written', async () => {
    const dir = tmp();
    const bad = join(dir, 'err.asm');
    writeFileSync(bad, "  nop\n%error 'unsupported target'\n");
    const out = join(dir, 'err.bin');
    const r = await tinyelf(['asm', '--flat', '--arch', 'x86_64', bad, '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:2:1: error: %error: unsupported target`);
    expect(existsSync(out)).toBe(false);
    const warn = join(dir, 'warn.asm');
    writeFileSync(warn, "  nop\n%warning 'just so you know'\n");
    const w = await tinyelf(['asm', '--flat', '--arch', 'x86_64', warn, '-o', out]);
    expect([w.status, w.stderr]).toEqual([0, `${warn}:2:1: warning: just so you know\n`]);
    expect(existsSync(out)).toBe(true);
  });
});
