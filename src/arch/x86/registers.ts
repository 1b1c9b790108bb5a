/**
 * x86 general-purpose registers. `num` is the 4-bit register number (the low three bits go into
 * ModRM/SIB/opcode, bit 3 into REX.R/X/B).
 */
export type RegClass = 'r8' | 'r16' | 'r32' | 'r64' | 'seg' | 'creg' | 'dreg';

export interface Reg {
  readonly kind: 'reg';
  readonly name: string;
  readonly cls: RegClass;
  readonly size: 8 | 16 | 32 | 64;
  readonly num: number;
  /** Only encodable with a REX prefix: r8–r15 in every size, and spl/bpl/sil/dil (which need a REX to not mean ah/ch/dh/bh). */
  readonly needsRex: boolean;
  /** ah/ch/dh/bh: cannot be encoded together with any REX prefix. */
  readonly high8: boolean;
}

function reg(name: string, cls: RegClass, size: 8 | 16 | 32 | 64, num: number, needsRex = num >= 8, high8 = false): Reg {
  return Object.freeze({ kind: 'reg', name, cls, size, num, needsRex, high8 });
}

const LEGACY = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] as const;

export const REGISTERS: ReadonlyMap<string, Reg> = (() => {
  const m = new Map<string, Reg>();
  const add = (r: Reg) => m.set(r.name, r);
  LEGACY.forEach((n, i) => {
    add(reg('r' + n, 'r64', 64, i));
    add(reg('e' + n, 'r32', 32, i));
    add(reg(n, 'r16', 16, i));
  });
  ['al', 'cl', 'dl', 'bl'].forEach((n, i) => add(reg(n, 'r8', 8, i)));
  ['ah', 'ch', 'dh', 'bh'].forEach((n, i) => add(reg(n, 'r8', 8, i + 4, false, true)));
  ['spl', 'bpl', 'sil', 'dil'].forEach((n, i) => add(reg(n, 'r8', 8, i + 4, true)));
  for (let i = 8; i < 16; i++) {
    add(reg(`r${i}`, 'r64', 64, i));
    add(reg(`r${i}d`, 'r32', 32, i));
    add(reg(`r${i}w`, 'r16', 16, i));
    add(reg(`r${i}b`, 'r8', 8, i));
  }
  ['es', 'cs', 'ss', 'ds', 'fs', 'gs'].forEach((n, i) => add(reg(n, 'seg', 16, i, false)));
  // Control and debug registers (`mov eax, cr0`): nasm names all sixteen of each; 8–15 take REX.R.
  for (let i = 0; i < 16; i++) {
    add(reg(`cr${i}`, 'creg', 64, i));
    add(reg(`dr${i}`, 'dreg', 64, i));
  }
  return m;
})();

function R(name: string): Reg {
  return REGISTERS.get(name)!;
}

// Named exports for the builder API.
export const rax = R('rax'), rcx = R('rcx'), rdx = R('rdx'), rbx = R('rbx'), rsp = R('rsp'), rbp = R('rbp'), rsi = R('rsi'), rdi = R('rdi');
export const r8 = R('r8'), r9 = R('r9'), r10 = R('r10'), r11 = R('r11'), r12 = R('r12'), r13 = R('r13'), r14 = R('r14'), r15 = R('r15');
export const eax = R('eax'), ecx = R('ecx'), edx = R('edx'), ebx = R('ebx'), esp = R('esp'), ebp = R('ebp'), esi = R('esi'), edi = R('edi');
export const r8d = R('r8d'), r9d = R('r9d'), r10d = R('r10d'), r11d = R('r11d'), r12d = R('r12d'), r13d = R('r13d'), r14d = R('r14d'), r15d = R('r15d');
export const ax = R('ax'), cx = R('cx'), dx = R('dx'), bx = R('bx'), sp = R('sp'), bp = R('bp'), si = R('si'), di = R('di');
export const r8w = R('r8w'), r9w = R('r9w'), r10w = R('r10w'), r11w = R('r11w'), r12w = R('r12w'), r13w = R('r13w'), r14w = R('r14w'), r15w = R('r15w');
export const al = R('al'), cl = R('cl'), dl = R('dl'), bl = R('bl'), ah = R('ah'), ch = R('ch'), dh = R('dh'), bh = R('bh');
export const spl = R('spl'), bpl = R('bpl'), sil = R('sil'), dil = R('dil');
export const r8b = R('r8b'), r9b = R('r9b'), r10b = R('r10b'), r11b = R('r11b'), r12b = R('r12b'), r13b = R('r13b'), r14b = R('r14b'), r15b = R('r15b');
export const es = R('es'), cs = R('cs'), ss = R('ss'), ds = R('ds'), fs = R('fs'), gs = R('gs');
export const cr0 = R('cr0'), cr2 = R('cr2'), cr3 = R('cr3'), cr4 = R('cr4'), cr8 = R('cr8');
export const dr0 = R('dr0'), dr1 = R('dr1'), dr2 = R('dr2'), dr3 = R('dr3'), dr6 = R('dr6'), dr7 = R('dr7');

/** Segment override prefix bytes. */
export const SEGMENT_PREFIX: Readonly<Record<string, number>> = { es: 0x26, cs: 0x2e, ss: 0x36, ds: 0x3e, fs: 0x64, gs: 0x65 };
