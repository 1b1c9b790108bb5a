/**
 * Asks llvm-mc for the encoding of many lines at once, each as if assembled alone: the lines go
 * into one source, each after a label of its own (`tinyelf_line_<n>:`), and llvm-mc's
 * `-show-encoding` listing is cut at those labels; a line llvm-mc refuses is reported by number.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type LlvmAnswer =
  | { readonly kind: 'bytes'; readonly hex: string }
  /** The encoding needs a fixup (a symbol or an expression llvm-mc leaves to the linker). */
  | { readonly kind: 'fixup' }
  | { readonly kind: 'error'; readonly message: string };

export const LLVM_MC = '/usr/bin/llvm-mc';

export function llvmEncodeLines(lines: readonly string[], args: readonly string[]): LlvmAnswer[] {
  const src = lines.map((l, i) => `tinyelf_line_${i}:\n${l}`).join('\n') + '\n';
  const res = spawnSync(LLVM_MC, ['-show-encoding', ...args], { input: src, encoding: 'utf8', maxBuffer: 1 << 28 });
  const answers: LlvmAnswer[] = lines.map(() => ({ kind: 'bytes', hex: '' }));
  for (const m of res.stderr.matchAll(/^<stdin>:(\d+):\d+: error: (.*)$/gm)) {
    const i = Math.floor((Number(m[1]) - 1) / 2);
    if (i < answers.length && answers[i]!.kind !== 'error') answers[i] = { kind: 'error', message: m[2]! };
  }
  let at = -1;
  for (const line of res.stdout.split('\n')) {
    const label = /^tinyelf_line_(\d+):/.exec(line);
    if (label) {
      at = Number(label[1]);
      continue;
    }
    const enc = /encoding: \[([^\]]*)\]/.exec(line);
    if (!enc || at < 0) continue;
    const prev = answers[at]!;
    if (prev.kind !== 'bytes') continue;
    const bytes = enc[1]!.split(',').map((b) => b.trim());
    if (bytes.some((b) => !/^0x[0-9a-f]{2}$/.test(b))) answers[at] = { kind: 'fixup' };
    else answers[at] = { kind: 'bytes', hex: prev.hex + bytes.map((b) => b.slice(2)).join('') };
  }
  return answers;
}

/**
 * llvm-mc's bytes for whole snippets laid one after another in one object (`-filetype=obj`, so
 * labels are resolved), cut into `sizes[i]` bytes each; undefined when llvm-mc refuses the source.
 */
export function llvmObjectBytes(source: string, args: readonly string[], objcopy = '/usr/bin/objcopy'): Buffer | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-llvm-'));
  try {
    const obj = join(dir, 'o.o');
    const mc = spawnSync(LLVM_MC, ['-filetype=obj', '-o', obj, ...args], { input: source, encoding: 'utf8' });
    if (mc.status !== 0) return undefined;
    const oc = spawnSync(objcopy, ['-O', 'binary', '-j', '.text', obj, join(dir, 'o.bin')], { encoding: 'utf8' });
    if (oc.status !== 0) throw new Error(`objcopy failed: ${oc.stderr}`);
    return readFileSync(join(dir, 'o.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
