/**
 * Sections with their meaning: programs that write to .data and .bss (and to their own code)
 * behave as the conventional nasm/as + ld build does, on the kernel (natively, x86) and under
 * qemu-user, for every loader profile; .bss costs no file bytes and is zero-filled memory,
 * including one larger than a page and one that starts mid-page; what a nobits section cannot
 * hold is refused by line.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, AsmError, layoutElf, LOADER_PROFILES, programFromSource, type ElfLayout } from '../../src/index.js';
import { inspectElf } from '../../src/elf/inspect.js';
import { PF_W, PF_X } from '../../src/elf/fields.js';
import { runAll, viaFor, type Via } from '../helpers/run.js';
import { missing, missingFiles } from '../helpers/oracles.js';
import { outcome, viasFor } from '../examples/helpers.js';
import { conventionalBuild, conventionalTools } from './conventional.js';
import { PROGRAMS, type SectionProgram } from './programs.js';

const file = 'prog.s';

function build(p: SectionProgram, loader: (typeof LOADER_PROFILES)[number]): ElfLayout {
  return layoutElf({ arch: p.arch, program: programFromSource(p.source, { arch: p.arch, file }), loader, writableText: p.writableText === true });
}

/**
 * Where the conventional build runs: on a kernel (x86: the host's, or a VM's where the host cannot
 * run the arch) and under qemu-user, as the tinyelf builds do.
 */
function conventionalVias(p: SectionProgram): Via[] {
  const out: (Via | undefined)[] = [];
  if (p.arch === 'x86_64' || p.arch === 'i386') out.push(viaFor(p.arch, 'kernel'));
  out.push(viaFor(p.arch, 'qemu'));
  return out.filter((v): v is Via => v !== undefined);
}

describe('programs that write to memory run as the nasm/as + ld build does', () => {
  for (const p of PROGRAMS) {
    const skip = missingFiles(...conventionalTools(p.arch));
    it.skipIf(skip)(`${p.arch}: ${p.name}`, async () => {
      const reference = conventionalBuild(p.arch, p.source, p.writableText === true);
      const stdin = p.stdin ? { stdin: p.stdin } : {};
      const refVias = conventionalVias(p);
      expect(refVias.length).toBeGreaterThan(0);
      const runs = LOADER_PROFILES.flatMap((loader) => {
        const layout = build(p, loader);
        return viasFor(p.arch, loader).map((via) => ({ loader, via, layout }));
      });
      // One batch: a VM boots once for the conventional build and every layout.
      const all = await runAll([
        ...refVias.map((via) => ({ bytes: reference, opts: { arch: p.arch, via, ...stdin } })),
        ...runs.map((r) => ({ bytes: r.layout.bytes, opts: { arch: p.arch, via: r.via, ...stdin } })),
      ]);
      const expected = new Map<Via, ReturnType<typeof outcome>>();
      refVias.forEach((via, i) => {
        const r = all[i]!;
        // The program itself must work (or die as its case says) the conventional way, else
        // agreeing with it would prove nothing.
        if (p.signal) expect([via, r.signal]).toEqual([via, p.signal]);
        else expect([via, r.signal, r.status !== null && r.status < 100, r.stdout.length > 0 || r.status !== 0]).toEqual([via, null, true, true]);
        expected.set(via, outcome(r));
      });
      const results = runs.map((r, i) => [r.loader, r.via, outcome(all[refVias.length + i]!)] as const);
      for (const [loader, via, got] of results) {
        if (expected.has(via)) expect([loader, via, got]).toEqual([loader, via, expected.get(via)]);
      }
    });
  }
});

describe('the segment', () => {
  const writes = PROGRAMS.filter((p) => p.writableText || /\.data|\.bss|\.lcomm|nobits|write/.test(p.source));
  it.each(writes.map((p) => [`${p.arch}: ${p.name}`, p] as const))('%s: is writable and executable on every profile', (_n, p) => {
    for (const loader of LOADER_PROFILES) {
      const seg = inspectElf(build(p, loader).bytes).segments[0]!;
      expect([loader, Number(seg.flags) & (PF_W | PF_X)]).toEqual([loader, PF_W | PF_X]);
    }
  });

  it('stays read + execute when nothing is written (.rodata, no --writable-text)', () => {
    const p = PROGRAMS.find((x) => x.name.startsWith('a length measured'))!;
    for (const loader of LOADER_PROFILES) expect([loader, Number(inspectElf(build(p, loader).bytes).segments[0]!.flags) & PF_W]).toEqual([loader, 0]);
  });

  const withBss = PROGRAMS.filter((p) => p.bss);
  it.each(withBss.map((p) => [`${p.arch}: ${p.name}`, p] as const))('%s: .bss is memory past the file, not file bytes', (_n, p) => {
    for (const loader of LOADER_PROFILES) {
      const layout = build(p, loader);
      const seg = inspectElf(layout.bytes).segments[0]!;
      const label = layout.placed.find((pl) => pl.item.kind === 'label' && pl.item.name === p.bss!.label)!;
      const fileEnd = Number(seg.vaddr + seg.filesz);
      expect([loader, label.address >= fileEnd, seg.memsz - seg.filesz >= BigInt(p.bss!.atLeast)]).toEqual([loader, true, true]);
      expect(layout.bytes.length).toBeLessThanOrEqual(Number(seg.offset + seg.filesz));
      expect(layout.bssSize).toBe(Number(seg.memsz - seg.filesz));
      if (p.bss!.midPage) expect([loader, fileEnd % 4096 !== 0, seg.memsz - seg.filesz > 4096n]).toEqual([loader, true, true]);
    }
  });

  it('tinyelf inspect shows the flags and the zero-filled memory', async () => {
    const { tinyelf } = await import('../cli/helpers.js');
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-sections-'));
    try {
      writeFileSync(join(dir, 'c.s'), PROGRAMS[0]!.source);
      const made = await tinyelf(['asm', join(dir, 'c.s'), '--arch', 'x86_64', '-o', join(dir, 'c')]);
      expect(made.stderr).toBe('');
      const shown = await tinyelf(['inspect', join(dir, 'c')]);
      expect(shown.stdout.toString()).toMatch(/^Segment #0 PT_LOAD: file 0-\d+ at 0x400000, \d+ bytes of memory \(\d+ zero-filled past the file's part: \.bss\), RWX \(writable\)\.$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tinyelf asm --writable-text makes code writable; without it code that writes to itself dies as ld links it', async () => {
    const { tinyelf } = await import('../cli/helpers.js');
    const p = PROGRAMS.find((x) => x.arch === 'x86_64' && x.writableText)!;
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-sections-'));
    try {
      writeFileSync(join(dir, 's.s'), p.source);
      for (const flag of [[], ['--writable-text']]) {
        const made = await tinyelf(['asm', join(dir, 's.s'), '--arch', 'x86_64', ...flag, '-o', join(dir, 's')]);
        expect(made.stderr).toBe('');
        const flags = Number(inspectElf(new Uint8Array(readFileSync(join(dir, 's')))).segments[0]!.flags);
        expect([flag, flags & PF_W]).toEqual([flag, flag.length ? PF_W : 0]);
      }
      const flat = await tinyelf(['asm', '--flat', '--writable-text', join(dir, 's.s'), '-o', join(dir, 'f')]);
      expect([flat.status, flat.stderr]).toEqual([2, expect.stringContaining('--writable-text does not apply with --flat')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what a section cannot hold is refused by line', () => {
  const errorsOf = (source: string, arch: 'x86_64' | 'aarch64' | 'arm' = 'x86_64'): string[] => {
    try {
      programFromSource(source, { arch, file });
    } catch (e) {
      if (e instanceof AsmError) return e.diagnostics.map((d) => `${d.loc.line}:${d.loc.column}: ${d.message}`);
      throw e;
    }
    return [];
  };

  it('nasm: initialised data, instructions, a non-zero fill in .bss', () => {
    const errs = errorsOf('mov eax, 1\nsection .bss\nok: resb 4\nx: db 1\n  mov eax, 2\ntimes 2 dw 0\ntimes 3 resb 1\nalign 16\n.space 3, 7\n');
    expect(errs).toEqual([
      expect.stringMatching(/^4:4: initialised data in the nobits section '\.bss'/),
      expect.stringMatching(/^5:3: an instruction in the nobits section '\.bss'/),
      expect.stringMatching(/^6:1: initialised data in the nobits section '\.bss'/),
      expect.stringMatching(/^9:1: a fill with byte 7 in the nobits section '\.bss'/),
    ]);
  });

  it('GNU: .byte in a @nobits section; content in a section that is not loaded', () => {
    const errs = errorsOf('mov x0, #0\n.section .bss.x,"aw",@nobits\n.byte 1\n.section .note.GNU-stack,"",@progbits\n.section .notes\n.word 1\n', 'aarch64');
    expect(errs).toEqual([
      expect.stringMatching(/^3:1: initialised data in the nobits section '\.bss\.x'/),
      expect.stringMatching(/^6:1: section '\.notes' is not loaded at run time/),
    ]);
  });

  it('section attributes tinyelf does not know or cannot honour', () => {
    expect(errorsOf('section .text start=0x100\nsection .x align=3\nsection .tdata tls\nsection .y frob\nmov eax, 1\n')).toEqual([
      expect.stringMatching(/^1:15: section attribute 'start' is not supported/),
      expect.stringMatching(/^2:12: align= needs a constant power of two/),
      expect.stringMatching(/^3:16: thread-local sections/),
      expect.stringMatching(/^4:12: expected a section attribute/),
    ]);
  });
});

describe('--flat with a .bss and aligned sections, as nasm -f bin', () => {
  const sources = [
    'bits 32\norg 0x100\nsection .text\nmov eax, buf\nmov eax, d\nsection .bss\nbuf: resb 3\nsection .data\nd: db 1\ndb 2\n',
    'bits 64\norg 0x7c00\nsection .bss\nspace: resq 3\nsection .text\nlea rsi, [rel space]\nmov byte [rsi], 1\nsection .data\nmsg: db "x"\n',
    'bits 32\nsection .text\nmov eax, b\nmov eax, c\nsection .bss\na: resb 1\nalignb 8\nb: resb 1\nalignb 4, resb 1\nc: rest 1\nd: reso 2\n',
    // (regression: an align in a later section raises where nasm starts that section)
    'bits 32\nsection .text\nmov eax, x\nmov eax, y\nsection .data\nx: db 1\nalign 16\ny: db 2\nsection .rodata align=32\nz: db 3\n',
    'bits 32\nsection .text\nmov eax, x\nmov eax, b\nsection .data\nsectalign 32\nx: db 1\nsection .bss\nsectalign 64\nb: resb 1\nsection .rodata\nsectalign on\nr: db 2\n',
  ];
  it.skipIf(missing('nasm', spawnSync('nasm', ['-v']).status === 0)).each(sources.map((s, i) => [i, s] as const))('source %i: the same bytes (no .bss bytes, .bss after the data)', (_i, source) => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-flat-'));
    try {
      writeFileSync(join(dir, 'f.asm'), source);
      const r = spawnSync('nasm', ['-f', 'bin', join(dir, 'f.asm'), '-o', join(dir, 'f.bin')], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(Buffer.from(assemble(source, { arch: 'x86_64' })).toString('hex')).toBe(readFileSync(join(dir, 'f.bin')).toString('hex'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a second nobits section is refused', () => {
    expect(() => assemble('section .bss\na: resb 1\nsection .b2 nobits\nb: resb 1\n', { arch: 'x86_64' })).toThrow(/a second nobits section/);
  });
});

describe('what each section is, by attributes or by name (as nasm -f elf64 and GNU as make them)', () => {
  const blocks = (source: string, arch: 'x86_64' | 'aarch64' = 'x86_64') =>
    programFromSource(source, { arch, file }).data.map((b) => `${b.label}:${b.writable ? 'w' : '-'}${b.nobits ? 'n' : '-'}`);
  const codeLabels = (source: string, arch: 'x86_64' | 'aarch64') =>
    programFromSource(source, { arch, file }).code.flatMap((it) => (it.kind === 'label' ? [it.name] : []));

  it('nasm: defaults per name, attributes after it', () => {
    expect(blocks('nop\nsection .rodata\na: db 1\nsection .data\nb: db 1\nsection .bss\nc: resb 1\nsection foo write\nd: db 1\nsection bar nobits write\ne: resb 1\nsection baz\nf: db 1\n')).toEqual(
      ['a:--', 'b:w-', 'c:wn', 'd:w-', 'e:wn', 'f:--'],
    );
  });

  it('GNU: flags and type; named again without flags, a section keeps its own', () => {
    expect(blocks('mov x0, #1\n.section foo,"aw"\na: .byte 1\n.text\nmov x0, #2\n.section foo\n.byte 2\n.section .rodata.x\nb: .byte 1\n.section bar,"a",@nobits\nc: .skip 1\n', 'aarch64')).toEqual(['a:w-', 'b:--', 'c:-n']);
  });

  it('code is what is executable: GNU .text.x and .init are, nasm .text.x is not (nasm makes it read-only data)', () => {
    expect(codeLabels('.section .text.x\nt: mov x0, #1\n.section .init\ni: mov x0, #2\n', 'aarch64')).toEqual(['t', 'i']);
    expect(codeLabels('section .text\nt: nop\nsection .text.x\nx: nop\nsection mine exec\nm: nop\n', 'x86_64')).toEqual(['t', 'm']);
  });
});

describe('the strict profile stays a conventional ELF with .data and .bss', () => {
  const have = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
  const tools = !missing('readelf and file', have('readelf') && have('file'));
  it.runIf(tools).each(PROGRAMS.map((p) => [`${p.arch}: ${p.name}`, p] as const))('%s: readelf and file read it without a warning', (_n, p) => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-strict-'));
    try {
      const path = join(dir, 'prog');
      writeFileSync(path, build(p, 'strict').bytes);
      const all = spawnSync('readelf', ['-a', '-W', path], { encoding: 'utf8' });
      expect(all.stderr).toBe('');
      expect(all.stdout).toMatch(/LOAD\s+0x000000 /);
      const f = spawnSync('file', ['-b', path], { encoding: 'utf8' });
      expect(f.stdout).toMatch(/^ELF (32|64)-bit LSB executable/);
      expect(f.stdout).not.toMatch(/corrupted|invalid|bad/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
