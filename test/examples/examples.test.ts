/**
 * Every example in examples/ runs: the text ones through programFromSource (what `tinyelf asm`
 * does) and the TypeScript ones through their exported functions, each emitted for every loader
 * profile and run on every loader the profile promises (the kernel natively for x86, qemu-user
 * for all). The README's commands are run as written, once each, and so is the top README's
 * Library snippet.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exit, formatPlatform, programFromSource, type ArchName } from '../../src/index.js';
import { readTar } from '../../src/image/read.js';
import { echoArg } from '../../examples/builder.js';
import { helloElf, helloImage } from '../../examples/hello-image.js';
import { healthcheckImage, TARGETS } from '../../examples/embed.js';
import { nativeAvailable, qemuAvailable, runAll } from '../helpers/run.js';
import { outcome, runEach, runsOf, viasFor, type Run } from './helpers.js';
import { missing } from '../helpers/oracles.js';

const root = new URL('../../', import.meta.url);
const source = (file: string): string => readFileSync(new URL(`examples/${file}`, root), 'utf8');
const fromText = (file: string, arch: ArchName): Run[] => runsOf(file, arch, programFromSource(source(file), { arch, file: `examples/${file}` }));

describe('true and false', () => {
  const cases = [
    ...fromText('true-x86_64.s', 'x86_64').map((r) => [r, 0] as const),
    ...fromText('false-x86_64.s', 'x86_64').map((r) => [r, 1] as const),
    ...fromText('true-arm.s', 'arm').map((r) => [r, 0] as const),
  ];
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(12));
  it('exit with their status and print nothing on every loader', async () => {
    const results = await runEach(cases.map(([r]) => [r] as const));
    results.forEach((res, i) => expect([cases[i]![0].name, ...outcome(res)]).toEqual([cases[i]![0].name, '', cases[i]![1], null]));
  });
  it('a three-line x86 program is a complete program (no header, section or _start)', () => {
    const text = source('true-x86_64.s').split('\n').filter((l) => l.trim() && !l.startsWith(';'));
    expect(text).toEqual(['xor edi, edi', 'mov eax, 60', 'syscall']);
  });
});

describe('echo-arg', () => {
  const runs = [...fromText('echo-arg-x86_64.s', 'x86_64'), ...fromText('echo-arg-aarch64.s', 'aarch64'), ...runsOf('builder.ts', 'x86_64', echoArg())];
  it('has cases', () => expect(runs.length).toBeGreaterThanOrEqual(3 * 4));
  it.each(runs.map((r) => [r.name, r] as const))('%s: echoes argv[1]; exits 1 without one or without a stdout', async (_n, r) => {
    const [hello, empty, long, unicode, none, closed] = await runEach(
      [{ args: ['hello, world'] }, { args: ['', 'second'] }, { args: ['x'.repeat(5000)] }, { args: ['ünï cödé ✓'] }, {}, { args: ['hi'], closeStdout: true }].map((x) => [r, x] as const),
    );
    expect(outcome(hello!)).toEqual(['hello, world\n', 0, null]);
    expect(outcome(empty!)).toEqual(['\n', 0, null]);
    expect(outcome(long!)).toEqual(['x'.repeat(5000) + '\n', 0, null]);
    expect(outcome(unicode!)).toEqual(['ünï cödé ✓\n', 0, null]);
    expect(outcome(none!)).toEqual(['', 1, null]);
    expect([closed!.status, closed!.signal]).toEqual([1, null]);
  });
  it('the builder and the text make the same bytes', () => {
    const text = programFromSource(source('echo-arg-x86_64.s'), { arch: 'x86_64' });
    expect(runsOf('b', 'x86_64', echoArg())[0]?.elf).toEqual(runsOf('t', 'x86_64', text)[0]?.elf);
  });
});

describe('hello-image', () => {
  const cases = (['x86_64', 'aarch64'] as const).flatMap((arch) =>
    [undefined, 'custom message'].flatMap((m) => viasFor(arch, 'portable').map((via) => ({ arch, m, via, elf: helloElf(arch, m) }))),
  );
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(4));
  it('each binary prints its message and exits 0', async () => {
    const results = await runAll(cases.map((c) => ({ bytes: c.elf, opts: { arch: c.arch, via: c.via } })));
    results.forEach((res, i) => expect(outcome(res)).toEqual([`${cases[i]!.m ?? 'Hello!'}\n`, 0, null]));
  });
  it('the image holds one binary per platform', () => {
    const image = helloImage('x');
    expect(image.manifests.map((m) => formatPlatform(m.platform))).toEqual(['linux/amd64', 'linux/arm64']);
    expect(image.reference).toBe('docker.io/tiny/hello:latest');
    const files = readTar(image.tar!);
    expect(files.has('index.json') && files.has('manifest.json') && files.has('oci-layout')).toBe(true);
  });
});

describe('embed', () => {
  it('the healthcheck image has every platform, and each binary exits 0', async () => {
    const image = healthcheckImage();
    expect(image.manifests.map((m) => formatPlatform(m.platform)).sort()).toEqual(TARGETS.map((t) => formatPlatform(t.platform)).sort());
    const runs = TARGETS.flatMap((t) => runsOf(`healthcheck ${t.arch}`, t.arch, exit(0)));
    const results = await runEach(runs.map((r) => [r] as const));
    results.forEach((res, i) => expect([runs[i]!.name, ...outcome(res)]).toEqual([runs[i]!.name, '', 0, null]));
  });
});

describe('the commands in examples/README.md', () => {
  // Each runs as written in a scratch folder that links the checkout's bin, src, examples and
  // node_modules, so the files the commands write land there, not in the repository.
  const repo = fileURLToPath(root);
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-examples-'));
  for (const f of ['bin', 'src', 'examples', 'node_modules', 'package.json', 'tsconfig.json']) symlinkSync(join(repo, f), join(dir, f));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const readme = readFileSync(new URL('examples/README.md', root), 'utf8');
  const commands = [...readme.matchAll(/^- `([^`]+)`: .*— `([^`]+)`$/gm)].map((m) => ({ file: m[1]!, cmd: m[2]! }));
  it('lists every example file, each with its command', () => {
    const listed = new Set(commands.map((c) => c.file));
    for (const f of readdirSync(new URL('examples/', root))) if (f !== 'README.md') expect([f, listed.has(f)]).toEqual([f, true]);
  });
  it.each(commands.map((c) => [c.file, c] as const))('%s: its command runs as written', (_f, c) => {
    if (missing('x86-64 native runs and qemu-user for aarch64 and arm', nativeAvailable('x86_64') && qemuAvailable('aarch64') && qemuAvailable('arm'))) return;
    const r = spawnSync('sh', ['-c', c.cmd], { cwd: dir, encoding: 'utf8', timeout: 50_000 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(c.cmd.includes('false') ? /^1\n$/ : c.cmd.includes('echo $?') ? /^0\n$/ : /\S/);
  });
});

describe("the README's Library snippet", () => {
  it('runs as written, and the sizes its comments give are the ones it makes', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const snippet = /### Library\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet, 'README has a ### Library section with a ts block').toBeDefined();
    const claimed = [...snippet!.matchAll(/^const (\w+) = .*\/\/ Uint8Array, (\d+) bytes$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(claimed.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-readme-'));
    try {
      const file = join(dir, 'snippet.ts');
      const src = fileURLToPath(new URL('src/index.ts', root));
      const report = `\nconsole.log(JSON.stringify({ sizes: { ${claimed.map(([n]) => `${n}: ${n}.length`).join(', ')} }, flat: [...flat], bytes: [...bytes], image: image.digest }));\n`;
      writeFileSync(file, snippet!.replace(/from 'tinyelf'/g, `from ${JSON.stringify(src)}`) + report);
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: fileURLToPath(root), encoding: 'utf8', timeout: 50_000 });
      expect([r.status, r.stderr]).toEqual([0, '']);
      const out = JSON.parse(r.stdout);
      expect(out.sizes).toEqual(Object.fromEntries(claimed));
      // The builder and the text syntax make the same bytes (mov edi, 7 / mov eax, 60 / syscall).
      expect(out.flat).toEqual([0xbf, 7, 0, 0, 0, 0xb8, 60, 0, 0, 0, 0x0f, 0x05]);
      expect(out.bytes).toEqual([0xb8, 60, 0, 0, 0, 0x0f, 0x05]);
      expect(out.image).toMatch(/^sha256:[0-9a-f]{64}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the README's command-line session", () => {
  it('the files its commands write have the sizes it gives, and inspect prints its first line', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const session = /### Command line\n\n```console\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(session, 'README has a ### Command line section with a console block').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-readme-cli-'));
    try {
      // `tinyelf` on PATH, as an installed package puts it.
      writeFileSync(join(dir, 'tinyelf'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(fileURLToPath(new URL('bin/tinyelf', root)))} "$@"\n`, { mode: 0o755 });
      const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { cwd: dir, encoding: 'utf8', timeout: 50_000, env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
      const lines = session!.replace(/\\\n\s*/g, '').split('\n');
      let checked = 0;
      for (const line of lines) {
        const m = /^\$ ((?:tinyelf|printf) [^#]*?)\s*(?:#\s*(.*))?$/.exec(line);
        if (!m) continue;
        const [, cmd, comment] = m;
        const bytes = /(\d[\d,]*) bytes/.exec(comment ?? '');
        if (cmd!.startsWith('printf')) sh(cmd!);
        if (!bytes) continue;
        const out = /-o (\S+)/.exec(cmd!)![1]!;
        const r = sh(cmd!);
        expect([cmd, r.stderr]).toEqual([cmd, '']);
        expect([cmd, statSync(join(dir, out)).size]).toEqual([cmd, Number(bytes[1]!.replace(/,/g, ''))]);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(4);
      // A listing shown after its command is what the command prints.
      const listed = /^\$ (tinyelf asm [^#\n]*--list - *)#.*\n((?:[^$\n].*\n)+)/m.exec(session!);
      expect(listed, 'the session shows a listing').not.toBeNull();
      expect(sh(listed![1]!.trim()).stdout).toBe(listed![2]);
      // `tinyelf sleep -o pause`, then `ls -l pause` and `tinyelf inspect pause` as shown.
      expect(sh('tinyelf sleep -o pause').status).toBe(0);
      const size = /^-rwxr-xr-x \d+ \w+ \w+ (\d+) /m.exec(session!)![1];
      expect(statSync(join(dir, 'pause')).size).toBe(Number(size));
      const inspectShown = session!.split('$ tinyelf inspect pause\n')[1]!.split('\n')[0];
      expect(sh('tinyelf inspect pause').stdout.split('\n')[0]).toBe(inspectShown);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
