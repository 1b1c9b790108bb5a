/** tinyelf asm and inspect. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitElf, exit, hello, layoutElf, sleepForever } from '../../src/index.js';
import { CLI, ROOT, tinyelf, useTempDir } from './helpers.js';

const tmp = useTempDir();

describe.concurrent('standard input: -', () => {
  it('asm - reads the source from stdin; its errors name <stdin>', async () => {
    const out = join(tmp(), 'from-stdin');
    const ok = await tinyelf(['asm', '-', '--arch', 'x86_64', '-o', out], { input: 'mov edi, 3\nmov eax, 60\nsyscall\n' });
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    expect(spawnSync(out).status).toBe(3);
    const bad = await tinyelf(['asm', '-', '--arch', 'x86_64', '-o', out], { input: 'mov edi, 3\nmovx eax, 60\n' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^<stdin>:2:1: error: unknown instruction or directive 'movx'\n[\s\S]*tinyelf: error: 1 error in <stdin>\n$/);
    expect(spawnSync(out).status).toBe(3); // (the failed run left the earlier file alone)
  });

  it('inspect - and image --file - read the executable from stdin, as from a file', async () => {
    const elf = emitElf({ arch: 'aarch64', program: exit(5) });
    const file = join(tmp(), 'exit5-arm64');
    writeFileSync(file, elf);
    const fromFile = await tinyelf(['inspect', file]);
    const fromStdin = await tinyelf(['inspect', '-'], { input: elf });
    expect([fromStdin.status, fromStdin.stderr]).toEqual([0, '']);
    expect(fromStdin.stdout.toString()).toBe(fromFile.stdout.toString());
    const imgFile = await tinyelf(['image', '--file', file, '--format', 'oci']);
    const imgStdin = await tinyelf(['image', '--file', '-', '--format', 'oci'], { input: elf });
    expect([imgStdin.status, imgStdin.stderr]).toEqual([0, '']);
    expect(imgStdin.stdout.equals(imgFile.stdout)).toBe(true);
    const empty = await tinyelf(['inspect', '-']);
    expect([empty.status, empty.stderr]).toEqual([1, "tinyelf: error: '<stdin>': not an ELF file (0 bytes, no \\x7fELF magic)\n"]);
    const both = await tinyelf(['image', '--file', '-', '--push', '127.0.0.1:1/x', '--username', 'u', '--password-stdin'], { input: elf });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/^tinyelf: error: standard input can be --file - or --password-stdin, not both/);
  });

  it('never reads an executable from a terminal (a real pty via script), exit 2', () => {
    const cmd = [process.execPath, ...CLI, 'inspect', '-'].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, timeout: 30_000, input: '' });
    expect(r.status).toBe(2);
    expect(r.stdout.toString()).toMatch(/tinyelf: error: refusing to read an executable from a terminal; pipe or redirect it/);
  });
});

describe.concurrent('asm', () => {
  it('shows every error with file:line:column, the line and a caret', async () => {
    const src = join(tmp(), 'errors.s');
    writeFileSync(src, ['bits 64', 'section .text', '_start:', '    mov eax, 60', '    movx ebx, 1', '    add eax, 1,', '    syscall', '    frob eax'].join('\n'));
    const r = await tinyelf(['asm', src, '--arch', 'x86_64', '-o', join(tmp(), 'never')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      [
        `${src}:5:5: error: unknown instruction or directive 'movx'`,
        '        movx ebx, 1',
        '        ^',
        `${src}:6:16: error: expected an expression, found end of line`,
        '        add eax, 1,',
        '                   ^',
        `${src}:8:5: error: unknown instruction or directive 'frob'`,
        '        frob eax',
        '        ^',
        `tinyelf: error: 3 errors in ${src}`,
        '',
      ].join('\n'),
    );
    expect(existsSync(join(tmp(), 'never'))).toBe(false);
  });

  it('assembles a source into the executable emitElf makes of it', async () => {
    const text = 'bits 64\nsection .text\n_start:\n    push 9\n    pop rdi\n    mov al, 60\n    syscall\n';
    const src = join(tmp(), 'nine.s');
    writeFileSync(src, text);
    const { programFromSource } = await import('../../src/index.js');
    const r = await tinyelf(['asm', src, '--arch', 'x86_64', '--loader', 'qemu']);
    expect(r.stderr).toBe('');
    expect(new Uint8Array(r.stdout)).toEqual(emitElf({ arch: 'x86_64', loader: 'qemu', program: programFromSource(text, { arch: 'x86_64', file: src }) }));
  });

  it('--flat equals nasm -f bin', async () => {
    const src = join(tmp(), 'flat.s');
    writeFileSync(src, ['bits 32', 'org 0x8048000', 'start:', '    mov eax, 1', '    xor ebx, ebx', '    jmp short .x', '    db "hi", 0', '.x: int 0x80', '    dd start, msg', 'msg: times 3 db 0x90', ''].join('\n'));
    const r = await tinyelf(['asm', '--flat', src, '--arch', 'i386', '-o', join(tmp(), 'flat.bin')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const n = spawnSync('nasm', ['-f', 'bin', src, '-o', join(tmp(), 'flat.nasm')]);
    expect(n.status).toBe(0);
    expect(readFileSync(join(tmp(), 'flat.bin'))).toEqual(readFileSync(join(tmp(), 'flat.nasm')));
    expect(statSync(join(tmp(), 'flat.bin')).mode & 0o777).toBe(0o644);
  });

  it('--list FILE writes the listing beside the bytes; --list - needs -o', async () => {
    const src = join(tmp(), 'listed.s');
    writeFileSync(src, 'mov edi, 7\nmov eax, 60\nsyscall\n');
    const lst = join(tmp(), 'listed.lst');
    const r = await tinyelf(['asm', src, '--arch', 'x86_64', '--flat', '-o', join(tmp(), 'listed.bin'), '--list', lst]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(readFileSync(lst, 'utf8')).toBe(
      ['1  00000000  bf 07 00 00 00           mov edi, 7', '2  00000005  b8 3c 00 00 00           mov eax, 60', '3  0000000a  0f 05                    syscall', ''].join('\n'),
    );
    const elf = await tinyelf(['asm', src, '--arch', 'x86_64', '-o', join(tmp(), 'listed'), '-l', '-']);
    expect([elf.status, elf.stderr]).toEqual([0, '']);
    expect(elf.stdout.toString()).toMatch(/^1  004000[0-9a-f]{2}  bf 07 00 00 00 +mov edi, 7\n/);
    const both = await tinyelf(['asm', src, '--arch', 'x86_64', '--list', '-']);
    expect([both.status, both.stderr]).toEqual([2, expect.stringMatching(/^tinyelf: error: --list - needs -o FILE/)]);
  });

  it('a CRLF source assembles, and its errors show the line without the carriage return', async () => {
    const src = join(tmp(), 'crlf.s');
    writeFileSync(src, 'mov edi, 3\r\nmovx eax, 60\r\n');
    const r = await tinyelf(['asm', src, '--arch', 'x86_64', '-o', join(tmp(), 'never')]);
    expect(r.stderr).toBe(`${src}:2:1: error: unknown instruction or directive 'movx'\n    movx eax, 60\n    ^\ntinyelf: error: 1 error in ${src}\n`);
    writeFileSync(src, 'mov edi, 3\r\nmov eax, 60\r\nsyscall\r\n');
    const ok = await tinyelf(['asm', src, '--arch', 'x86_64', '-o', join(tmp(), 'crlf')]);
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    expect(spawnSync(join(tmp(), 'crlf')).status).toBe(3);
  });

  it('a missing source file is a one-line error', async () => {
    const r = await tinyelf(['asm', join(tmp(), 'nope.s'), '--arch', 'x86_64']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tinyelf: error: cannot read '.*nope\.s': no such file or directory \(ENOENT\)\n$/);
  });
});

describe.concurrent('inspect', () => {
  it('shows bytes that are both an ELF-header and a program-header field', async () => {
    const file = join(tmp(), 'ins');
    writeFileSync(file, emitElf({ arch: 'i386', program: hello('not a built-in message, so the bytes stay unnamed') }));
    const r = await tinyelf(['inspect', file]);
    expect(r.stderr).toBe('');
    const text = r.stdout.toString();
    expect(text).toMatch(/^i386 ELF32 little-endian, \d+ bytes, program header at \d+, entry 0x[0-9a-f]+ \(file offset \d+\)\n/);
    const rows = text.split('\n').filter((l) => /^\d/.test(l));
    const overlap = rows.filter((l) => /\| e_\w+(\[[\d-]+\])? +\| p_\w+/.test(l));
    expect(overlap.length).toBeGreaterThan(0);
    expect(text).toMatch(/\| code\/data$/m);
    expect(text).toMatch(/\d+ bytes are both ELF-header and program-header fields/);
  });

  it('--program labels instructions with their source lines, in header bytes too', async () => {
    const r = await tinyelf(['inspect', '--program', 'exit', '3', '--arch', 'x86_64']);
    expect(r.stderr).toBe('');
    const text = r.stdout.toString();
    const l = layoutElf({ arch: 'x86_64', program: exit(3) });
    expect(text).toContain(`${l.bytes.length} bytes`);
    expect(text).toMatch(/\| EI_\w+(\[[\d-]+\])? +\| - +\| >> entry: push status +\(asm\/exit-x86_64\.s:\d+\)/);
    expect(text).toMatch(/syscall +\(asm\/exit-x86_64\.s:\d+\)/);
  });

  it('names the instructions of a file that is a built-in program', async () => {
    const file = join(tmp(), 'ins-sleep');
    writeFileSync(file, emitElf({ arch: 'x86_64', program: sleepForever.bare, loader: 'linux' }));
    const r = await tinyelf(['inspect', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toMatch(/>> entry: .*\(asm\/sleep-bare-x86_64\.s:\d+\)/);
    expect(r.stdout.toString()).toMatch(/This is tinyelf sleep --bare \(--loader linux\)\.\n$/);
  });

  it('names the instructions of the default hello, the message included', async () => {
    const file = join(tmp(), 'ins-hello');
    writeFileSync(file, emitElf({ arch: 'i386', program: hello(), loader: 'portable' }));
    const r = await tinyelf(['inspect', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toMatch(/setne bl +\(asm\/hello-i386\.s:\d+\)/);
    expect(r.stdout.toString()).toMatch(/This is tinyelf hello \(--loader portable\)\.\n$/);
  });

  it('refuses what is not an ELF', async () => {
    const file = join(tmp(), 'notelf');
    writeFileSync(file, 'hello');
    const r = await tinyelf(['inspect', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tinyelf: error: '.*notelf': not an ELF file \(5 bytes, no \\x7fELF magic\)\n$/);
  });
});
