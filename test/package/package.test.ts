/**
 * The package as npm would install it: `npm run build` compiles to dist/ with type declarations,
 * `exports` points at dist/index.js, and the compiled library and CLI work without src/ or tsx
 * (the built-in programs' sources come from asm/, which the package ships).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the published package', () => {
  it('builds, and the compiled library and CLI run from a src-less copy', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'tinyelf-pkg-'));
    try {
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { encoding: 'utf8' });
      expect(build.stdout + build.stderr).toBe('');
      expect(build.status).toBe(0);
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      expect(manifest.exports['.'].import).toBe('./dist/index.js');
      expect(manifest.dependencies ?? {}).toEqual({});
      for (const f of manifest.files as string[]) if (f !== 'dist') cpSync(join(root, f), join(pkg, f), { recursive: true });
      cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
      expect(existsSync(join(pkg, 'dist/index.d.ts'))).toBe(true);
      expect(existsSync(join(pkg, 'src'))).toBe(false);

      // The library through its package name, installed as npm would put it.
      const consumer = mkdtempSync(join(tmpdir(), 'tinyelf-consumer-'));
      cpSync(pkg, join(consumer, 'node_modules/tinyelf'), { recursive: true });
      const lib = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', "import { emitElf, sleepForever } from 'tinyelf'; console.log(emitElf({ arch: 'x86_64', program: sleepForever }).length)"],
        { cwd: consumer, encoding: 'utf8' },
      );
      expect(lib.stderr).toBe('');
      expect(Number(lib.stdout.trim())).toBeGreaterThan(64);
      rmSync(consumer, { recursive: true, force: true });

      // The CLI from the compiled files.
      const cli = spawnSync(process.execPath, [join(pkg, 'bin/tinyelf'), 'exit', '7', '--arch', 'x86_64'], { encoding: 'buffer' });
      expect(cli.stderr.toString()).toBe('');
      expect(cli.status).toBe(0);
      expect(cli.stdout.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  }, 120_000);
});
