/**
 * The packing step of the layout planner: given the holes a loader leaves in the headers, the
 * sizes of a program's instructions (which must stay in order) and of its data blocks (which may
 * go anywhere), choose where each piece goes so the file is as short as possible.
 *
 * Code is cut into runs at instruction boundaries; a run that does not end the program and does
 * not end in an unconditional jump gets a jump to the next run. The last run may start in the
 * hole that touches the end of the headers and run on past it (the "tail"). Data goes in a hole
 * it fits or in the tail after the code.
 *
 * The search is exhaustive over the order in which code visits the holes, by dynamic programming
 * over (next instruction, set of holes used), with each hole filled greedily — greedy is optimal
 * for a fixed order because the instructions keep their order — and over the hole (or tail) of
 * each data block. Ties go to fewer jumps, then to the earlier choice, so the result is
 * deterministic.
 */

export interface Hole {
  /** File offset of the first free byte. */
  start: number;
  /** File offset after the last free byte. */
  end: number;
}

export interface CodeUnit {
  size: number;
  /** False for an unconditional jump or return: nothing runs after it, so a run may end there without a jump. */
  fallsThrough: boolean;
}

export interface PackInput {
  holes: Hole[];
  /** End of the headers: the tail starts here. */
  headerEnd: number;
  code: CodeUnit[];
  /** Alignment of code runs (1 on x86, 4 for A32 and A64, 2 for Thumb). */
  codeAlign: number;
  data: { size: number; align: number }[];
  /** False: data goes after the code, never into holes (so code references to it point forwards). */
  dataInHoles?: boolean;
  /** Size of the unconditional jump that joins two runs (x86 `jmp short`: 2). */
  jumpSize: number;
  /** The first run must start at this file offset (an entry point the header pins). */
  entryAt?: number;
}

export interface Run {
  /** File offset of the run. */
  start: number;
  /** Code units [first, end). */
  first: number;
  end: number;
  /** Whether a jump to the next run follows the units. */
  jump: boolean;
}

export interface Packing {
  runs: Run[];
  /** File offset of each data block. */
  data: number[];
  fileSize: number;
}

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;
/** Holes the code search considers (the largest ones); 2^MAX_HOLES subsets bound the work. */
const MAX_HOLES = 12;

export function pack(input: PackInput): Packing {
  const { code, jumpSize, headerEnd, codeAlign } = input;
  const holes = input.holes.filter((h) => h.end > h.start).sort((a, b) => a.start - b.start);

  let best: { packing: Packing; jumps: number; key: string } | undefined;
  const consider = (packing: Packing, jumps: number, key: string): void => {
    if (
      !best ||
      packing.fileSize < best.packing.fileSize ||
      (packing.fileSize === best.packing.fileSize && (jumps < best.jumps || (jumps === best.jumps && key < best.key)))
    ) {
      best = { packing, jumps, key };
    }
  };

  // Data blocks first: each goes in some hole (at the hole's current fill point) or the tail.
  const dataOrder = input.data.map((_, i) => i).sort((a, b) => input.data[b]!.size - input.data[a]!.size || a - b);
  const free = holes.map((h) => ({ ...h }));
  const dataAt: (number | 'tail')[] = new Array(input.data.length).fill('tail');

  const placeData = (k: number): void => {
    if (k === dataOrder.length) {
      packCode();
      return;
    }
    const b = dataOrder[k]!;
    const blk = input.data[b]!;
    dataAt[b] = 'tail';
    placeData(k + 1);
    if (input.dataInHoles === false) return;
    for (const h of free) {
      const at = alignUp(h.start, blk.align);
      if (at + blk.size > h.end) continue;
      const saved = h.start;
      h.start = at + blk.size;
      dataAt[b] = at;
      placeData(k + 1);
      h.start = saved;
      dataAt[b] = 'tail';
    }
  };

  const packCode = (): void => {
    const avail = free
      .map((h) => ({ start: alignUp(h.start, codeAlign), end: h.end }))
      .filter((h) => h.end > h.start)
      // The DP below is over subsets of holes: keep it small by using the biggest holes.
      .sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)
      // (the hole the entry point pins goes first, so it is always kept)
      .sort((a, b) => Number(b.start === input.entryAt) - Number(a.start === input.entryAt))
      .slice(0, MAX_HOLES)
      .sort((a, b) => a.start - b.start);
    const suffix: number[] = new Array(code.length + 1).fill(0);
    for (let i = code.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + code[i]!.size;

    interface Plan {
      end: number;
      jumps: number;
      runs: Run[];
    }
    const better = (a: Plan, b: Plan | undefined): boolean => !b || a.end < b.end || (a.end === b.end && a.jumps < b.jumps);
    const memo = new Map<number, Plan>();

    // Best way to place units [from, n) using only holes not in `used`: the end of the code
    // (at least the header end) and the number of joining jumps.
    const best = (from: number, used: number): Plan => {
      const key = from * (1 << avail.length) + used;
      const hit = memo.get(key);
      if (hit) return hit;
      let plan: Plan;
      // Where the first run may start: anywhere, or only where the header pins the entry point.
      const startsOk = (start: number): boolean => from > 0 || input.entryAt === undefined || start === input.entryAt;
      if (from >= code.length) plan = { end: headerEnd, jumps: 0, runs: [] };
      else {
        // Everything left goes after the header…
        const at = alignUp(headerEnd, codeAlign);
        plan = startsOk(at)
          ? { end: at + suffix[from]!, jumps: 0, runs: [{ start: at, first: from, end: code.length, jump: false }] }
          : { end: Infinity, jumps: 0, runs: [] };
        avail.forEach((h, hi) => {
          if (used & (1 << hi) || !startsOk(h.start)) return;
          // …or starts in a hole that touches the header end and runs on past it…
          if (h.end === headerEnd) {
            const p: Plan = { end: Math.max(headerEnd, h.start + suffix[from]!), jumps: 0, runs: [{ start: h.start, first: from, end: code.length, jump: false }] };
            if (better(p, plan)) plan = p;
          }
          // …or as many units as fit go in this hole, with a jump to the next run unless the run
          // ends the code or its last unit does not fall through.
          const cap = h.end - h.start;
          let size = 0;
          let take = 0;
          for (let i = from; i < code.length; i++) {
            const s = size + code[i]!.size;
            if (s > cap) break;
            const needJump = i < code.length - 1 && code[i]!.fallsThrough;
            if (s + (needJump ? jumpSize : 0) <= cap) take = i - from + 1;
            size = s;
          }
          // A run of nothing but zero-size units would only add a jump.
          if (take === 0 || suffix[from]! - suffix[from + take]! === 0) return;
          const endUnit = from + take;
          const jump = endUnit < code.length && code[endUnit - 1]!.fallsThrough;
          const rest = best(endUnit, used | (1 << hi));
          const p: Plan = { end: rest.end, jumps: rest.jumps + (jump ? 1 : 0), runs: [{ start: h.start, first: from, end: endUnit, jump }, ...rest.runs] };
          if (better(p, plan)) plan = p;
        });
      }
      memo.set(key, plan);
      return plan;
    };

    const plan = best(0, 0);
    if (plan.end === Infinity) return; // no run can start at the pinned entry with the data placed so
    let end = plan.end;
    const data = dataAt.map(() => 0);
    dataAt.forEach((d, i) => {
      if (d === 'tail') {
        end = alignUp(end, input.data[i]!.align);
        data[i] = end;
        end += input.data[i]!.size;
      } else data[i] = d;
    });
    const key = plan.runs.map((r) => r.start.toString().padStart(6, '0')).join(',') + '|' + data.join(',');
    consider({ runs: plan.runs, data, fileSize: end }, plan.jumps, key);
  };

  placeData(0);
  if (!best) throw new Error(`no packing starts the code at the pinned entry offset ${input.entryAt}`);
  return best.packing;
}
