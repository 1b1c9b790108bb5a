/**
 * The package as a user gets it: `npm pack` of a fresh copy of the checkout (no dist/: the
 * prepack script must build it), `npm install -g` of that tarball into a private prefix, the
 * installed `tinyelf` run as a command, the library imported by name from a consumer project that
 * depends on the tarball (and its types checked by tsc), and `npm exec` from the tarball. Every
 * npm command runs with --offline and a private cache: nothing is downloaded.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitElf, hello, sleepForever } from '../../src/index.js';
import { readTar } from '../../src/image/read.js';
import { tempDir } from '../image/tools.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: object };

/** Node's own directory first on PATH, so npm and the installed `#!/usr/bin/env node` find it. */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

/** Runs a command; throws with its output unless it exits 0. */
function sh(cmd: string, args: string[], cwd: string, timeout = 60_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with ${r.error ?? `exit ${r.status}`}:\n${r.stdout}${r.stderr}`);
  return r;
}

/** The checkout as a fresh clone has it: no dist/, no caches; node_modules linked, as after npm ci. */
function copyCheckout(to: string): void {
  const skip = new Set(['node_modules', 'dist', '.git', 'tmp']);
  cpSync(root, to, { recursive: true, filter: (src) => !relative(root, src).split(sep).some((part) => skip.has(part)) });
  symlinkSync(join(root, 'node_modules'), join(to, 'node_modules'));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split(sep).join('/'));
}

/**
 * What the package needs, from the sources: each module of src/ compiled to dist/ (with its type
 * declarations, except the CLI's, which nothing imports), the CLI bundle, the launcher, the
 * built-in programs' assembly, and what npm always adds.
 */
function expectedPackageFiles(): string[] {
  const modules = filesUnder(join(root, 'src')).filter((f) => f.endsWith('.ts'));
  return [
    'package.json',
    'README.md',
    'bin/tinyelf',
    'dist/cli/bundle.cjs',
    ...modules.map((f) => `dist/${f.replace(/\.ts$/, '.js')}`),
    ...modules.filter((f) => !f.startsWith('cli/')).map((f) => `dist/${f.replace(/\.ts$/, '.d.ts')}`),
    ...filesUnder(join(root, 'asm')).map((f) => `asm/${f}`),
  ].sort();
}

/** A consumer's TypeScript: the API with its types, and a call the types must reject. */
const CONSUMER_TS = `import { buildImage, emitElf, hello, sleepForever, type Image } from 'tinyelf';
const elf: Uint8Array = emitElf({ arch: 'x86_64', program: sleepForever });
const image: Image = buildImage({ binaries: [{ platform: { os: 'linux', architecture: 'amd64' }, elf }], tag: 'tiny/pause' });
const digest: string = image.digest;
// @ts-expect-error: the types know the architectures
emitElf({ arch: 'mips', program: hello('x') });
export { digest };
`;

/** A consumer's ESM: bytes from the installed library, to compare with the source's. */
const CONSUMER_MJS = `import { emitElf, hello, sleepForever } from 'tinyelf';
const hex = (b) => Buffer.from(b).toString('hex');
console.log(JSON.stringify({ sleep: hex(emitElf({ arch: 'x86_64', program: sleepForever })), hello: hex(emitElf({ arch: 'aarch64', program: hello('hi'), loader: 'linux' })) }));
`;

describe('the packed package, installed as a user installs it', () => {
  let tmp: ReturnType<typeof tempDir>;
  let tarball = '';
  let bin = '';
  let consumer = '';
  const at = (...p: string[]) => join(tmp.path, ...p);

  beforeAll(() => {
    tmp = tempDir('package');
    env.npm_config_cache = at('npm-cache');
    copyCheckout(at('clone'));
    mkdirSync(at('packed'));
    // The build in prepack is most of this test's time: ~6 s on an idle machine, more on a busy one.
    sh('npm', ['pack', '--offline', '--pack-destination', at('packed')], at('clone'), 180_000);
    const packed = readdirSync(at('packed'));
    expect(packed).toEqual([`${manifest.name}-${manifest.version}.tgz`]);
    tarball = at('packed', packed[0]!);

    sh('npm', ['install', '-g', '--offline', '--prefix', at('global'), tarball], tmp.path);
    bin = at('global', 'bin', 'tinyelf');

    consumer = at('consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    sh('npm', ['install', '--offline', tarball], consumer);
  }, 240_000);
  afterAll(() => tmp?.remove());

  it('holds exactly what it runs: no tests, golden files, TypeScript sources, maps or caches', () => {
    const entries = readTar(gunzipSync(readFileSync(tarball)));
    const names = [...entries.keys()].map((n) => n.replace(/^package\//, '')).sort();
    expect(names).toEqual(expectedPackageFiles());
    const unpacked = [...entries.values()].reduce((n, d) => n + d.length, 0);
    console.log(`${relative(tmp.path, tarball)}: ${statSync(tarball).size} bytes packed, ${unpacked} bytes in ${names.length} files`);
    const shipped = JSON.parse(new TextDecoder().decode(entries.get('package/package.json')));
    expect(shipped.dependencies ?? {}).toEqual({});
  });

  it('installs a tinyelf command: --version is package.json\'s, --help lists the commands', () => {
    const codeCache = at('global', 'lib', 'node_modules', 'tinyelf', 'dist', 'cli', 'bundle.cjs.cache');
    expect(existsSync(codeCache)).toBe(false);
    expect(sh(bin, ['--version'], tmp.path).stdout).toBe(`tinyelf ${manifest.version}\n`);
    // It ran the one-file bundle, not dist/'s modules: the bundle's V8 code cache now lies beside it.
    expect(existsSync(codeCache)).toBe(true);
    const help = sh(bin, ['--help'], tmp.path).stdout;
    expect(help).toMatch(/^Usage: tinyelf COMMAND/);
    for (const command of ['sleep', 'hello', 'exit', 'asm', 'image', 'push', 'inspect']) expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('tinyelf sleep -o FILE writes an ELF that sleeps and exits 0 on SIGTERM', async () => {
    const file = at('pause');
    sh(bin, ['sleep', '-o', file], tmp.path);
    const elf = readFileSync(file);
    expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(statSync(file).mode & 0o777).toBe(0o755);
    const child = spawn(file, [], { stdio: 'ignore' });
    const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });

  it('tinyelf image hello --platform linux/amd64 writes the image the source checkout writes', () => {
    const file = at('hello.tar');
    sh(bin, ['image', 'hello', '--platform', 'linux/amd64', '-o', file], tmp.path);
    const fromSource = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'image', 'hello', '--platform', 'linux/amd64'], { cwd: root, env });
    expect(fromSource.stderr.toString()).toBe('');
    expect(Buffer.compare(readFileSync(file), fromSource.stdout)).toBe(0);
    const names = [...readTar(readFileSync(file)).keys()];
    expect(names).toContain('index.json');
    expect(names).toContain('manifest.json');
  });

  it("imports from a consumer project that depends on the tarball, and the types check with tsc", () => {
    const dependency = JSON.parse(readFileSync(join(consumer, 'package.json'), 'utf8')).dependencies;
    expect(dependency).toEqual({ tinyelf: expect.stringMatching(/^file:.*\.tgz$/) });
    writeFileSync(join(consumer, 'use.mjs'), CONSUMER_MJS);
    const bytes = JSON.parse(sh(process.execPath, ['use.mjs'], consumer).stdout);
    expect(bytes).toEqual({
      sleep: Buffer.from(emitElf({ arch: 'x86_64', program: sleepForever })).toString('hex'),
      hello: Buffer.from(emitElf({ arch: 'aarch64', program: hello('hi'), loader: 'linux' })).toString('hex'),
    });
    // No @types/node and no skipLibCheck: the package's declarations must stand alone. wrong.ts
    // shows the check can fail: its one error is reported against the installed declarations.
    writeFileSync(join(consumer, 'use.ts'), CONSUMER_TS);
    writeFileSync(join(consumer, 'wrong.ts'), `import { emitElf, sleepForever } from 'tinyelf';\nexport const n: number = emitElf({ arch: 'x86_64', program: sleepForever });\n`);
    const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022'], strict: true, noEmit: true, types: [] }, files: ['use.ts', 'wrong.ts'] };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: consumer, env, encoding: 'utf8' });
    expect(tsc.stderr).toBe('');
    expect(tsc.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^wrong\.ts\(2,14\): error TS2322: Type 'Uint8Array.*' is not assignable to type 'number'\.$/)]);
  });

  it('npm exec from the tarball runs tinyelf', () => {
    mkdirSync(at('exec'));
    const r = sh('npm', ['exec', '--offline', '--yes', `--package=${tarball}`, '--', 'tinyelf', '--version'], at('exec'));
    expect(r.stdout).toBe(`tinyelf ${manifest.version}\n`);
  });
});
