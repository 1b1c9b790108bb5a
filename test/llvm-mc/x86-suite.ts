/**
 * LLVM's own x86 MC encoding tests (../shared/llvm-mc-tests/X86/*.s, read at test time, never
 * copied here) as a peer's test suite for tinyelf's nasm dialect.
 *
 * Each file goes through the installed llvm-mc once, with the triple of its RUN line, printing
 * every instruction it accepted in Intel syntax with its encoding (`-output-asm-variant=1
 * -show-encoding`). Each printed instruction is then rewritten into nasm's spelling (`dword ptr`
 * → `dword`, `fs:[eax]` → `[fs:eax]`, string instructions without operands, …), assembled alone
 * by tinyelf in the mode llvm-mc was in, and compared with llvm-mc's bytes. Where they differ,
 * nasm is asked too: nasm is the reference for the nasm dialect.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LLVM_MC = '/usr/bin/llvm-mc';
export const SUITE_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/llvm-mc-tests/X86');

export type Bits = 16 | 32 | 64;

/** One instruction llvm-mc accepted: where it came from, its Intel spelling, its bytes. */
export interface Unit {
  file: string;
  /** 1-based line in the llvm-mc output (for reading a failure back). */
  at: number;
  bits: Bits;
  intel: string;
  /** llvm-mc's bytes; `undefined` entries are fixup bytes (a symbol's value, not known to llvm-mc). */
  bytes: (number | undefined)[];
}

/** The triple of a file's first RUN line that runs llvm-mc, and the mode it starts in. */
export function tripleOf(text: string): { triple: string; bits: Bits } | undefined {
  const run = /RUN:.*llvm-mc\b(.*)/.exec(text);
  if (!run) return undefined;
  const m = /-triple[= ](\S+)/.exec(run[1]!);
  if (!m) return undefined;
  const triple = m[1]!;
  const bits: Bits = /code16/.test(triple) ? 16 : /^x86_64/.test(triple) ? 64 : 32;
  return { triple, bits };
}

export function suiteFiles(): string[] {
  if (!existsSync(SUITE_DIR)) return [];
  return readdirSync(SUITE_DIR).filter((f) => f.endsWith('.s')).sort();
}

/** Runs llvm-mc on one suite file and reads back every instruction it printed. */
export function unitsOf(file: string): Unit[] {
  const path = join(SUITE_DIR, file);
  const text = readFileSync(path, 'utf8');
  const t = tripleOf(text);
  if (!t) return [];
  // The files' own syntax: Intel if the RUN line says so, else AT&T (`.intel_syntax` lines switch it).
  const intel = /-x86-asm-syntax=intel/.test(/RUN:.*llvm-mc\b.*/.exec(text)![0]);
  const args = ['-triple', t.triple, '-show-encoding', '-output-asm-variant=1', ...(intel ? ['-x86-asm-syntax=intel'] : []), path];
  const r = spawnSync(LLVM_MC, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const units: Unit[] = [];
  let bits = t.bits;
  const lines = r.stdout.split('\n');
  lines.forEach((line, i) => {
    const code = /^\s*\.code(16|32|64)\b/.exec(line);
    if (code) {
      bits = Number(code[1]) as Bits;
      return;
    }
    const enc = /^\s*(\S.*?)\s*# encoding: \[([^\]]*)\]/.exec(line);
    if (!enc) return;
    const bytes = enc[2]!.split(',').filter(Boolean).map((b) => (/^0x/.test(b) ? parseInt(b, 16) : undefined));
    units.push({ file, at: i + 1, bits, intel: enc[1]!.replace(/\s+/g, ' ').trim(), bytes });
  });
  return units;
}

// ---------------------------------------------------------------------------------------------
// What is out of scope: floating point and SIMD, and the ISA extensions beyond the base integer and
// system instructions. Each out-of-scope unit is counted under its category.

const SIMD_REG = /\b([xyz]mm\d+|mm\d|k[0-7]|st(\(\d\))?|bnd\d|tmm\d)\b/;
const CATEGORY_BY_MNEMONIC: readonly [RegExp, string][] = [
  [/^(f(?!s$)[a-z0-9]+|wait)$/, 'x87'],
  [/^(emms|femms|pavgusb|pf[a-z0-9]+|pi2f[dw]|pswapd|prefetchw?)$/, 'MMX/3DNow!'],
  [/^(ld|st)mxcsr$|^v?(ld|st)mxcsr$/, 'MMX/SSE/AVX'],
  [/^(cvt[a-z0-9]+|u?comis[sd]|movmsk[a-z]+|pmovmskb|pextr[bwdq]|pinsr[bwdq]|extractps|movd|movq|maskmov[a-z]+|ptest|pcmp[ei]str[im])$/, 'MMX/SSE/AVX'],
  [/^(andn|bextr|blsi|blsmsk|blsr|bzhi|mulx|pdep|pext|rorx|sarx|shlx|shrx|adcx|adox|blc[a-z]*|bls[a-z]*|t1mskc|tzmsk)$/, 'BMI/ADX/TBM'],
  [/^(xsave|xrstor|fxsave|fxrstor|xsaveopt|xsavec|xsaves|xrstors|xgetbv|xsetbv)(64)?$/, 'XSAVE'],
  [/^(vm[a-z]+|invept|invvpid|clgi|stgi|skinit|invlpga)$/, 'VMX/SVM'],
  [/^(xbegin|xend|xabort|xtest|xacquire|xrelease)$/, 'TSX'],
  [/^(encls|enclu|enclv)$/, 'SGX'],
  [/^(bnd[a-z]+)$/, 'MPX'],
  [/^(endbr32|endbr64|incssp[dq]|rdssp[dq]|saveprevssp|rstorssp|wrss[dq]|wruss[dq]|setssbsy|clrssbsy)$/, 'CET'],
  [/^(crc32|movnti|prefetch(nta|t0|t1|t2|wt1)?|clflushopt|clwb|clzero|monitorx|mwaitx|ptwrite|rdpid|rdpkru|wrpkru|invpcid|umonitor|umwait|tpause|enqcmds?|movdiri|movdir64b|cldemote|serialize|xcrypt[a-z]*|xstore[a-z]*|xsha[0-9]+|montmul|sha[a-z0-9]+|aes[a-z]+|pconfig|wbnoinvd|rdpru|pvalidate|rmpadjust|psmash|rmpupdate|uiret|testui|clui|stui|senduipi|hreset|lzcnt_|llwpcb|slwpcb|lwpins|lwpval|rdfsbase|rdgsbase|wrfsbase|wrgsbase|getsec|mcommit|invlpgb|tlbsync)$/, 'other ISA extensions'],
];

/** The out-of-scope category of an Intel-syntax instruction, or undefined for the base ISA. */
export function categoryOf(intel: string): string | undefined {
  const words = intel.split(' ');
  let k = 0;
  while (k < words.length - 1 && /^(lock|rep|repe|repne|repz|repnz|data16|data32|addr32|rex64|xacquire|xrelease|notrack|\{[a-z0-9]+\})$/.test(words[k]!)) k++;
  const mn = words[k] ?? '';
  const operands = words.slice(k + 1).join(' ');
  for (const [re, cat] of CATEGORY_BY_MNEMONIC) if (re.test(mn)) return cat;
  if (SIMD_REG.test(operands) || /(xmm|ymm|zmm|tbyte) ptr/.test(operands) || /^\{/.test(mn)) return 'MMX/SSE/AVX';
  // (every SSE/AVX instruction with memory operands only, by mnemonic shape)
  if (/^v[a-z]/.test(mn) && !/^(verr|verw)$/.test(mn)) return 'MMX/SSE/AVX';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// llvm's Intel spelling → nasm's

const STRING_OPS = /^(movs|cmps|lods|stos|scas|ins|outs)([bwdq])$/;
const REG16 = /^(si|di)$/, REG32 = /^e(si|di)$/;

/** The address size an operand's register says (`[esi]` is 32), or undefined. */
function addressBits(operand: string): Bits | undefined {
  const m = /\[(?:\w+:)?(\w+)/.exec(operand);
  if (!m) return undefined;
  return REG16.test(m[1]!) ? 16 : REG32.test(m[1]!) ? 32 : /^r(si|di)$/.test(m[1]!) ? 64 : undefined;
}

/** Splits operands at top-level commas. */
function splitOperands(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const c of s) {
    if (c === '[' || c === '(') depth++;
    if (c === ']' || c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const KEYWORDS = new Set(['byte', 'word', 'dword', 'qword', 'tword', 'oword', 'far', 'rel', 'abs', 'strict', 'short', 'near']);

export interface NasmLine {
  /** The instruction in nasm's syntax, with labels for the symbols it names (at address 0). */
  source: string;
  /** Why it could not be written in nasm's syntax, if it could not. */
  untranslatable?: string;
}

/** Rewrites one llvm-printed Intel instruction into nasm syntax (for a unit of `length` bytes). */
export function toNasm(u: Unit, isRegister: (w: string) => boolean): NasmLine {
  let words = u.intel.split(' ');
  const prefixes: string[] = [];
  while (words.length > 1 && /^(lock|rep|repe|repne|repz|repnz)$/.test(words[0]!)) prefixes.push(words.shift()!);
  let mn = words[0]!;
  let ops = splitOperands(words.slice(1).join(' '));
  // llvm's prefixes alone on a line: nasm's prefix words
  const prefixWord: Record<string, string> = { data16: 'o16', data32: 'o32', addr32: 'a32', rex64: 'o64' };
  if (prefixWord[mn] && ops.length === 0) return { source: [...prefixes, prefixWord[mn]].join(' ') };
  if (/^(data16|data32|addr32|rex64|notrack)$/.test(mn)) return { source: '', untranslatable: `llvm's prefix ${mn} before an instruction` };
  if (/\b(eiz|riz)\b/.test(u.intel)) return { source: '', untranslatable: "llvm's eiz/riz (an SIB byte without an index), which nasm cannot write" };
  if (/\[eip\b/.test(u.intel)) return { source: '', untranslatable: 'an eip-relative address, which nasm cannot write' };
  // llvm's spellings of nasm's mnemonics
  const renamed: Record<string, string> = { pushal: 'pushad', popal: 'popad', movabs: 'mov', lret: 'retf', lretq: 'retfq' };
  if (renamed[mn]) mn = renamed[mn]!;
  // sysretq/sysexitq: nasm's o64 sysret/sysexit
  if (mn === 'sysretq' || mn === 'sysexitq') {
    prefixes.push('o64');
    mn = mn.slice(0, -1);
  }
  // `lgdtw`/`lgdtd`…: the operand size is nasm's o16/o32 prefix word
  const sized = /^(lgdt|lidt|sgdt|sidt)([wd])$/.exec(mn);
  if (sized) {
    prefixes.push(sized[2] === 'w' ? 'o16' : 'o32');
    mn = sized[1]!;
  }
  // A shift or rotate by 1 printed without its count
  if (/^(rol|ror|rcl|rcr|shl|sal|shr|sar)$/.test(mn) && ops.length === 1) ops.push('1');
  ops = ops.map((o) =>
    o.replace(/\b(byte|word|dword|qword|tbyte|xmmword|ymmword|zmmword|fword) ptr\b/g, (_, s: string) => (s === 'tbyte' ? 'tword' : s === 'xmmword' ? 'oword' : s === 'fword' ? 'far' : s))
      .replace(/\bptr\b/g, '')
      .replace(/\boffset\b/g, '')
      .replace(/\b(es|cs|ss|ds|fs|gs):\[/g, '[$1:')
      .replace(/\s+/g, ' ')
      .trim());
  // String instructions: nasm writes them without operands; a segment other than the default
  // (ds for the source) and an address size other than the mode's become prefix words.
  const str = STRING_OPS.exec(mn) ?? (mn === 'xlat' ? ['xlatb', 'xlat', 'b'] : null);
  if (str) {
    const segs = ops.map((o) => /\[(es|cs|ss|ds|fs|gs):/.exec(o)?.[1]).filter((s): s is string => s !== undefined && s !== 'es' && s !== 'ds');
    const asz = ops.map(addressBits).find((b) => b !== undefined);
    const words2 = [...prefixes];
    if (segs.length) words2.push(segs[0]!);
    else if (ops.some((o) => /\[ds:/.test(o)) && /^(movs|cmps|lods|outs)/.test(mn) === false) words2.push('ds');
    if (asz !== undefined && asz !== u.bits) words2.push(`a${asz}`);
    return { source: [...words2, mn === 'xlat' ? 'xlatb' : mn].join(' ') };
  }
  // Far jumps and calls: llvm's `ljmp 8, 4096` is nasm's `jmp 8:4096`, `ljmp [m]` is `jmp far [m]`.
  if (mn === 'ljmp' || mn === 'lcall') {
    mn = mn.slice(1);
    if (ops.length === 2) ops = [`${ops[0]}:${ops[1]}`];
    else ops = ops.map((o) => (/\bfar\b/.test(o) ? o : `far ${o}`));
  }
  // `[rip + symbol]` is nasm's `[rel symbol]`
  ops = ops.map((o) => o.replace(/\[rip \+ ([A-Za-z_.][\w.$@]*)\]/, '[rel $1]'));
  if (ops.some((o) => /\[rip\b/.test(o))) {
    if (u.bytes.some((b) => b === undefined)) return { source: '', untranslatable: 'a rip-relative address of a symbol expression' };
    // nasm has no rip register: `[rip + d]` is `[rel $ + length + d]` for an instruction of that length.
    ops = ops.map((o) => o.replace(/\[rip( [+-] [^\]]+)?\]/, (_, d: string | undefined) => `[rel $+${u.bytes.length}${d ? d.replace(/ /g, '') : ''}]`));
  }
  // Symbols: labels at address 0 (their bytes are fixups llvm-mc leaves open; compared as any byte).
  const symbols = new Set<string>();
  for (const o of ops) {
    for (const m of o.matchAll(/(?<![\w.$])([A-Za-z_.][\w.$@]*)/g)) {
      const w = m[1]!;
      if (KEYWORDS.has(w.toLowerCase()) || isRegister(w.toLowerCase()) || /^0x/i.test(w) || w === 'rel') continue;
      symbols.add(w);
    }
  }
  const line = [...prefixes, mn, ops.join(', ')].join(' ').trim();
  const labels = [...symbols].map((s) => `${s.replace(/^\./, 'dot_').replace(/[$@.]/g, '_')}:`);
  let source = line;
  for (const s of symbols) source = source.split(s).join(s.replace(/^\./, 'dot_').replace(/[$@.]/g, '_'));
  return { source: [...labels, source].join('\n') };
}
