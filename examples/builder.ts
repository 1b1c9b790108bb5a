/**
 * The echo-arg program (examples/echo-arg-x86_64.s) written with the builder API instead of text:
 * writes argv[1] and a newline, exits 0; exits 1 with no argument or when the write fails.
 *
 *   npx tsx examples/builder.ts -o echo-arg && ./echo-arg 'hello there'
 *
 * Outside this repository, import from 'tinyelf' instead of '../src/index.js'.
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { emitElf, programFromItems, x86, type Program } from '../src/index.js';

const { eax, edi, edx, rax, rdx, rsi, rsp, dil, byte, qword } = x86;

export function echoArg(): Program {
  const a = new x86.X86Builder('x86_64');
  const exit = a.label('exit');
  const strlen = a.label('strlen');
  const found = a.label('found');
  const at = byte({ base: rsi, index: rdx }); // byte [rsi + rdx]

  a.here('_start');
  a.mov(edi, 1); //                    stdout, and the status if there is no argument
  a.cmp(qword(rsp), 2); //             argc
  a.jb(exit);
  a.mov(rsi, qword({ base: rsp, disp: 16 })); // argv[1]
  a.xor(edx, edx);
  a.bind(strlen);
  a.cmp(at, 0);
  a.je(found);
  a.inc(edx);
  a.jmp(strlen);
  a.bind(found);
  a.mov(at, 10); //                    NUL → newline: one write prints both
  a.inc(edx);
  a.mov(eax, 1); //                    SYS_write
  a.syscall();
  a.xor(edi, edi);
  a.cmp(rax, rdx);
  a.setne(dil); //                     0 when all of it was written
  a.bind(exit);
  a.mov(eax, 60); //                   SYS_exit
  a.syscall();

  return programFromItems({ arch: 'x86_64', code: a.items(), name: 'echo-arg' });
}

// Run as a script: write the executable to -o FILE (default ./echo-arg).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const o = process.argv.indexOf('-o');
  const out = o >= 0 ? process.argv[o + 1]! : 'echo-arg';
  const elf = emitElf({ arch: 'x86_64', program: echoArg() });
  writeFileSync(out, elf, { mode: 0o755 });
  console.log(`${out}: ${elf.length} bytes`);
}
