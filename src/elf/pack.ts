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
 * The search is exhaustive over the order in which code visits the holes (there are few), with
 * each hole filled greedily — greedy is optimal for a fixed order because the instructions keep
 * their order — and over the hole (or tail) of each data block. Ties go to fewer jumps, then to
 * the earlier holes, so the result is deterministic.
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
  /** Size of the unconditional jump that joins two runs (x86 `jmp short`: 2). */
  jumpSize: number;
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

export function pack(input: PackInput): Packing {
  const { code, jumpSize, headerEnd, codeAlign } = input;
  const holes = input.holes.filter((h) => h.end > h.start).sort((a, b) => a.start - b.start);
  const totalCode = code.reduce((n, u) => n + u.size, 0);

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
    const avail = free.map((h) => ({ start: alignUp(h.start, codeAlign), end: h.end })).filter((h) => h.end > h.start);
    const used = new Array(avail.length).fill(false);
    const runs: Run[] = [];

    const finish = (from: number, startOfLast: number | undefined): void => {
      // The rest of the code goes in one last run, at `startOfLast` (a hole touching the header
      // end) or at the header end; then the tail data.
      let end = headerEnd;
      const all = [...runs];
      if (from < code.length) {
        const at = startOfLast ?? alignUp(headerEnd, codeAlign);
        let size = 0;
        for (let i = from; i < code.length; i++) size += code[i]!.size;
        all.push({ start: at, first: from, end: code.length, jump: false });
        end = Math.max(end, at + size);
      }
      const data = dataAt.map(() => 0);
      dataAt.forEach((d, i) => {
        if (d === 'tail') {
          end = alignUp(end, input.data[i]!.align);
          data[i] = end;
          end += input.data[i]!.size;
        } else data[i] = d;
      });
      const jumps = all.filter((r) => r.jump).length;
      const key = all.map((r) => r.start.toString().padStart(6, '0')).join(',') + '|' + data.join(',');
      consider({ runs: all, data, fileSize: end }, jumps, key);
    };

    const visit = (from: number): void => {
      if (from >= code.length) {
        finish(from, undefined);
        return;
      }
      // Option: everything left goes to the end (at the header end, or in a hole touching it).
      finish(from, undefined);
      avail.forEach((h, hi) => {
        if (!used[hi] && h.end === headerEnd) finish(from, h.start);
      });
      // Bound: even if every remaining hole were filled perfectly we can't beat the best.
      if (best && headerEnd >= best.packing.fileSize && remainingCapacity() === 0) return;
      for (let hi = 0; hi < avail.length; hi++) {
        if (used[hi]) continue;
        const h = avail[hi]!;
        const cap = h.end - h.start;
        // Greedy: the most units that fit, with a jump after them unless the run ends the code
        // or its last unit does not fall through.
        let size = 0;
        let take = 0;
        for (let i = from; i < code.length; i++) {
          const s = size + code[i]!.size;
          const last = i === code.length - 1;
          const needJump = !last && code[i]!.fallsThrough;
          if (s + (needJump ? jumpSize : 0) <= cap) take = i - from + 1;
          if (s > cap) break;
          size = s;
        }
        if (take === 0) continue;
        const endUnit = from + take;
        const lastUnit = code[endUnit - 1]!;
        const jump = endUnit < code.length && lastUnit.fallsThrough;
        used[hi] = true;
        runs.push({ start: h.start, first: from, end: endUnit, jump });
        visit(endUnit);
        runs.pop();
        used[hi] = false;
      }
    };

    const remainingCapacity = (): number => avail.reduce((n, h, i) => n + (used[i] ? 0 : h.end - h.start), 0);
    void totalCode;
    visit(0);
  };

  placeData(0);
  return best!.packing;
}
