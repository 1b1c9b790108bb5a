import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHES } from '../../src/elf/machines.js';
import { minimalElf } from '../../src/elf/minimal.js';
import { exitCode, qemuAvailable, runAll, runBinary, viaFor, type RunOptions } from '../helpers/run.js';

const FILE_NAMES = { i386: 'Intel 80386', x86_64: 'x86-64', arm: 'ARM, EABI5', aarch64: 'ARM aarch64' } as const;

describe('minimal ELF (strict baseline)', () => {
  for (const arch of ARCHES) {
    const elf = minimalElf({ arch, code: exitCode(arch, 42) });

    it(`${arch}: exit(42) runs under qemu-user`, async () => {
      expect(qemuAvailable(arch)).toBe(true);
      const r = await runBinary(elf.bytes, { arch, via: 'qemu' });
      expect(r.status).toBe(42);
    });

    // The kernel: this host's when it runs the architecture, else a real one booted in a VM.
    const kernelVia = arch === 'i386' || arch === 'x86_64' ? viaFor(arch, 'kernel') : undefined;
    if (kernelVia) {
      it(`${arch}: exit(42) runs on the kernel via ${kernelVia}`, async () => {
        const r = await runBinary(elf.bytes, { arch, via: kernelVia });
        expect(r.status).toBe(42);
      });
    }

    it(`${arch}: readelf -a and file read it without warnings`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'tinyelf-readelf-'));
      try {
        const path = join(dir, 'a.out');
        writeFileSync(path, elf.bytes);
        const r = spawnSync('readelf', ['-a', '-W', path], { encoding: 'utf8' });
        // binutils 2.40 readelf -a exits 1 for a section-less ARM file (its unwind-table pass finds
        // no sections) while printing no warning: hold the output to "no warning", and the status
        // of the header and program-header dump to 0.
        expect(r.status).toBe(arch === 'arm' ? 1 : 0);
        expect(spawnSync('readelf', ['-h', '-l', '-W', path]).status).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).not.toMatch(/warning|error|corrupt/i);
        expect(r.stdout).toContain('There are no sections in this file.');
        expect(r.stdout).toMatch(/LOAD\s+0x000000 /);
        const f = spawnSync('file', ['-b', path], { encoding: 'utf8' });
        expect(f.stdout).toContain(FILE_NAMES[arch]);
        expect(f.stdout).toContain('statically linked');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

// write(1, "hi\n", 3) then exit(7), ignoring write's result, x86-64 (checked with llvm-mc):
//   push 1; pop rdi; lea rsi,[rip+msg]; push 3; pop rdx; mov eax,edi; syscall
//   push 7; pop rdi; push 60; pop rax; syscall; msg: "hi\n"
const HELLO64 = new Uint8Array([
  0x6a, 0x01, 0x5f, 0x48, 0x8d, 0x35, 0x0f, 0x00, 0x00, 0x00, 0x6a, 0x03, 0x5a, 0x89, 0xf8, 0x0f, 0x05,
  0x6a, 0x07, 0x5f, 0x6a, 0x3c, 0x58, 0x0f, 0x05, 0x68, 0x69, 0x0a,
]);

describe('runBinary stdout variants (x86_64 write + exit)', () => {
  const bytes = minimalElf({ arch: 'x86_64', code: HELLO64 }).bytes;
  for (const via of [viaFor('x86_64', 'kernel'), viaFor('x86_64', 'qemu')]) {
    it.runIf(via !== undefined)(`via ${via}: pipe, closed fd 1, broken pipe`, async () => {
      const opts = { arch: 'x86_64', via: via! } as const;
      // One batch: in a VM, one boot for the four.
      const [ok, closed, pipe, ignored] = await runAll([{}, { closeStdout: true }, { brokenPipe: 'default' }, { brokenPipe: 'ignored' }].map((o) => ({ bytes, opts: { ...opts, ...o } as RunOptions })));
      expect([ok!.status, ok!.stdout.toString()]).toEqual([7, 'hi\n']);
      // fd 1 closed: write returns -EBADF, the program goes on.
      expect(closed!.status).toBe(7);
      // Reader gone, SIGPIPE default: killed by SIGPIPE (a VM's shell reports it as 128 + 13).
      expect(pipe!.signal ?? pipe!.status).toSatisfy((x: unknown) => x === 'SIGPIPE' || x === 141);
      // Reader gone, SIGPIPE ignored: write returns -EPIPE, the program goes on.
      expect(ignored!.status).toBe(7);
    });
  }
});
