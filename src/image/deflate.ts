/**
 * A DEFLATE (RFC 1951) compressor tuned for tiny inputs, and a gzip (RFC 1952) wrapper.
 *
 * Why not node:zlib: its output bytes change between zlib versions, and image digests must not.
 * This encoder is pure arithmetic on the input, so the same input gives the same bytes everywhere.
 *
 * How it gets small: every match at every position is found (hash chains, long chain limit), then an
 * optimal parse (shortest path through the positions) is run against a bit-cost model; the model is
 * re-estimated from the parse and the parse re-run a few times (the idea Zopfli made known). Each
 * block is then written stored, fixed-Huffman or dynamic-Huffman, whichever is fewest bits.
 * Inputs here are ~1 KiB, so this costs milliseconds.
 */

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MAX_CHAIN = 8192;
/**
 * Input bytes per block. Layers are a few KiB, so one block is best (one header); the bound only caps
 * the parser's memory on big inputs, where zlib's adaptive block splitting may then do better.
 */
const SEGMENT = 1 << 20;
const ITERATIONS = 10;

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** The order code-length code lengths are sent in (RFC 1951 3.2.7). */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Length 3..258 → index into LEN_BASE (symbol - 257). */
const LEN_CODE = new Uint8Array(MAX_MATCH + 1);
for (let c = 0; c < LEN_BASE.length; c++) {
  const end = c + 1 < LEN_BASE.length ? LEN_BASE[c + 1]! : MAX_MATCH + 1;
  for (let l = LEN_BASE[c]!; l < end; l++) LEN_CODE[l] = c;
}
LEN_CODE[MAX_MATCH] = 28; // 258 has its own zero-extra code, not 227 + 31

function distCode(d: number): number {
  let c = 29;
  while (DIST_BASE[c]! > d) c--;
  return c;
}

const FIXED_LITLEN = new Uint8Array(288).map((_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8));
const FIXED_DIST = new Uint8Array(30).fill(5);

/** One LZ77 token: a literal (dist 0, len = byte) or a match. */
interface Parse {
  lens: Uint16Array;
  dists: Uint16Array;
  count: number;
}

class BitWriter {
  buf = new Uint8Array(256);
  pos = 0; // bytes filled
  acc = 0;
  nacc = 0;

  bits(value: number, n: number): void {
    // Values are at most 16 bits, so acc stays below 2^24 and plain numbers suffice.
    this.acc |= value << this.nacc;
    this.nacc += n;
    while (this.nacc >= 8) {
      this.byte(this.acc & 0xff);
      this.acc >>>= 8;
      this.nacc -= 8;
    }
  }

  /** Huffman codes are defined MSB-first but packed starting at the LSB, so reverse them. */
  code(code: number, len: number): void {
    let r = 0;
    for (let i = 0; i < len; i++) r |= ((code >> i) & 1) << (len - 1 - i);
    this.bits(r, len);
  }

  align(): void {
    if (this.nacc > 0) this.bits(0, 8 - this.nacc);
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.pos++] = b;
  }

  get bitLength(): number {
    return this.pos * 8 + this.nacc;
  }

  finish(): Uint8Array {
    this.align();
    return this.buf.slice(0, this.pos);
  }
}

/**
 * Optimal length-limited Huffman code lengths by package-merge. Ties break by symbol index, so the
 * result is deterministic. A lone used symbol gets length 1 (an incomplete code, which inflaters
 * accept for the literal/length and distance codes; see `completeForCodeLengths`).
 */
export function huffmanLengths(freqs: ArrayLike<number>, limit: number): Uint8Array {
  const n = freqs.length;
  const out = new Uint8Array(n);
  const leaves: number[] = [];
  for (let s = 0; s < n; s++) if (freqs[s]! > 0) leaves.push(s);
  if (leaves.length === 0) return out;
  if (leaves.length === 1) {
    out[leaves[0]!] = 1;
    return out;
  }
  leaves.sort((a, b) => freqs[a]! - freqs[b]! || a - b);
  // Node: a leaf (sym >= 0) or a package of two earlier nodes. Packages at one level take each node
  // of the level below at most once, so the trees are disjoint and counting visits each node once.
  type Node = { w: number; sym: number; a?: Node; b?: Node };
  const leafNodes = (): Node[] => leaves.map((s) => ({ w: freqs[s]!, sym: s }));
  let list = leafNodes();
  for (let level = 1; level < limit; level++) {
    const packages: Node[] = [];
    for (let i = 0; i + 1 < list.length; i += 2) {
      const a = list[i]!;
      const b = list[i + 1]!;
      packages.push({ w: a.w + b.w, sym: -1, a, b });
    }
    const fresh = leafNodes();
    const merged: Node[] = [];
    let i = 0;
    let j = 0;
    while (i < fresh.length || j < packages.length) {
      // Leaves first on equal weight: keeps codes shallow and the order fixed.
      if (j >= packages.length || (i < fresh.length && fresh[i]!.w <= packages[j]!.w)) merged.push(fresh[i++]!);
      else merged.push(packages[j++]!);
    }
    list = merged;
  }
  const stack: Node[] = list.slice(0, 2 * leaves.length - 2);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.sym >= 0) out[node.sym]!++;
    else stack.push(node.a!, node.b!);
  }
  return out;
}

/** Canonical codes from lengths (RFC 1951 3.2.2). */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const count = new Uint16Array(16);
  for (const l of lengths) if (l) count[l]!++;
  count[0] = 0;
  const next = new Uint16Array(16);
  let code = 0;
  for (let bits = 1; bits < 16; bits++) {
    code = (code + count[bits - 1]!) << 1;
    next[bits] = code;
  }
  const codes = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) if (lengths[s]) codes[s] = next[lengths[s]!]!++;
  return codes;
}

/** For each position, the matches worth considering: (length, distance) pairs, lengths increasing. */
interface MatchTable {
  start: Uint32Array; // per position: offset into len/dist, with start[i+1] as the end
  len: Uint16Array;
  dist: Uint16Array;
}

function findMatches(data: Uint8Array, from: number, to: number, head: Int32Array, prev: Int32Array): MatchTable {
  const n = data.length;
  const start = new Uint32Array(to - from + 1);
  const lens: number[] = [];
  const dists: number[] = [];
  const hash = (i: number) => ((data[i]! << 10) ^ (data[i + 1]! << 5) ^ data[i + 2]!) & 0x7fff;
  for (let i = from; i < to; i++) {
    start[i - from] = lens.length;
    if (i + MIN_MATCH > n) continue;
    const h = hash(i);
    const max = Math.min(MAX_MATCH, n - i);
    let best = MIN_MATCH - 1;
    let chain = 0;
    for (let j = head[h]!; j >= 0 && i - j <= WINDOW && chain < MAX_CHAIN; j = prev[j]!, chain++) {
      if (data[j + best] !== data[i + best]) continue;
      let l = 0;
      while (l < max && data[j + l] === data[i + l]) l++;
      if (l > best) {
        best = l;
        lens.push(l);
        dists.push(i - j);
        if (l === max) break;
      }
    }
    prev[i] = head[h]!;
    head[h] = i;
  }
  start[to - from] = lens.length;
  return { start, len: Uint16Array.from(lens), dist: Uint16Array.from(dists) };
}

/** Bit costs per symbol: literal/length (0..285) and distance (0..29) codes, without extra bits. */
interface CostModel {
  lit: Float64Array;
  dist: Float64Array;
}

function costsFromLengths(lit: Uint8Array, dist: Uint8Array): CostModel {
  return { lit: Float64Array.from(lit, (l) => l || 20), dist: Float64Array.from(dist, (l) => l || 20) };
}

/** Entropy costs, with unseen symbols a little dearer than a singleton so they stay possible. */
function costsFromStats(litFreq: Uint32Array, distFreq: Uint32Array): CostModel {
  const entropy = (f: Uint32Array) => {
    let total = 0;
    for (const x of f) total += x;
    const unseen = Math.log2(Math.max(total, 1)) + 1;
    return Float64Array.from(f, (x) => (x > 0 ? Math.log2(total / x) : unseen));
  };
  return { lit: entropy(litFreq), dist: entropy(distFreq) };
}

function optimalParse(data: Uint8Array, from: number, to: number, m: MatchTable, model: CostModel): Parse {
  const n = to - from;
  const cost = new Float64Array(n + 1).fill(Infinity);
  const choiceLen = new Uint16Array(n + 1);
  const choiceDist = new Uint16Array(n + 1);
  cost[0] = 0;
  const lenCost = new Float64Array(MAX_MATCH + 1);
  for (let l = MIN_MATCH; l <= MAX_MATCH; l++) lenCost[l] = model.lit[257 + LEN_CODE[l]!]! + LEN_EXTRA[LEN_CODE[l]!]!;
  for (let i = 0; i < n; i++) {
    const c = cost[i]!;
    const lit = c + model.lit[data[from + i]!]!;
    if (lit < cost[i + 1]!) {
      cost[i + 1] = lit;
      choiceLen[i + 1] = 1;
      choiceDist[i + 1] = 0;
    }
    let l = MIN_MATCH;
    for (let k = m.start[i]!; k < m.start[i + 1]!; k++) {
      const d = m.dist[k]!;
      const dc = distCode(d);
      const dcost = c + model.dist[dc]! + DIST_EXTRA[dc]!;
      const maxL = Math.min(m.len[k]!, n - i);
      for (; l <= maxL; l++) {
        const t = dcost + lenCost[l]!;
        if (t < cost[i + l]!) {
          cost[i + l] = t;
          choiceLen[i + l] = l;
          choiceDist[i + l] = d;
        }
      }
    }
  }
  // Walk back from the end to recover the chosen tokens.
  let count = 0;
  for (let i = n; i > 0; i -= choiceLen[i]!) count++;
  const lens = new Uint16Array(count);
  const dists = new Uint16Array(count);
  for (let i = n, k = count - 1; i > 0; i -= choiceLen[i]!, k--) {
    const d = choiceDist[i]!;
    lens[k] = d === 0 ? data[from + i - 1]! : choiceLen[i]!;
    dists[k] = d;
  }
  return { lens, dists, count };
}

/**
 * zlib-style lazy matching (take the longest match unless the next position has a longer one; drop
 * far 3-byte matches). Only a seed for the cost model: small inputs can land in a local minimum
 * that the optimal parse, started from fixed-code costs, does not leave.
 */
function lazyParse(data: Uint8Array, from: number, to: number, m: MatchTable, lazy: boolean): Parse {
  const n = to - from;
  const lens: number[] = [];
  const dists: number[] = [];
  const longest = (i: number): [number, number] => {
    const k = m.start[i + 1]! - 1;
    if (i >= n || k < m.start[i]!) return [0, 0];
    return [Math.min(m.len[k]!, n - i), m.dist[k]!];
  };
  for (let i = 0; i < n; ) {
    const [l, d] = longest(i);
    if (l >= MIN_MATCH && !(l === MIN_MATCH && d > 4096) && !(lazy && longest(i + 1)[0] > l)) {
      lens.push(l), dists.push(d), (i += l);
    } else {
      lens.push(data[from + i]!), dists.push(0), i++;
    }
  }
  return { lens: Uint16Array.from(lens), dists: Uint16Array.from(dists), count: lens.length };
}

function literalParse(data: Uint8Array, from: number, to: number): Parse {
  const lens = Uint16Array.from(data.subarray(from, to));
  return { lens, dists: new Uint16Array(lens.length), count: lens.length };
}

function stats(p: Parse): { lit: Uint32Array; dist: Uint32Array } {
  const lit = new Uint32Array(286);
  const dist = new Uint32Array(30);
  for (let k = 0; k < p.count; k++) {
    if (p.dists[k] === 0) lit[p.lens[k]!]!++;
    else {
      lit[257 + LEN_CODE[p.lens[k]!]!]!++;
      dist[distCode(p.dists[k]!)]!++;
    }
  }
  lit[256] = 1;
  return { lit, dist };
}

/** Code-length symbols (0..18) with their extra-bit values, for the dynamic block header. */
interface HeaderPlan {
  hlit: number;
  hdist: number;
  hclen: number;
  syms: number[];
  extra: number[];
  clLengths: Uint8Array;
  bits: number;
}

function planHeader(litLengths: Uint8Array, distLengths: Uint8Array): HeaderPlan {
  let hlit = 286;
  while (hlit > 257 && litLengths[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLengths[hdist - 1] === 0) hdist--;
  const seq = [...litLengths.subarray(0, hlit), ...distLengths.subarray(0, hdist)];
  let best: HeaderPlan | undefined;
  // Run-length choices interact with the code-length code; trying all eight switch settings is cheap.
  for (let flags = 0; flags < 8; flags++) {
    const use16 = (flags & 1) !== 0;
    const use17 = (flags & 2) !== 0;
    const use18 = (flags & 4) !== 0;
    const syms: number[] = [];
    const extra: number[] = [];
    for (let i = 0; i < seq.length; ) {
      const v = seq[i]!;
      let run = 1;
      while (i + run < seq.length && seq[i + run] === v) run++;
      i += run;
      if (v === 0) {
        while (use18 && run >= 11) {
          const r = Math.min(run, 138);
          syms.push(18), extra.push(r - 11), (run -= r);
        }
        while (use17 && run >= 3) {
          const r = Math.min(run, 10);
          syms.push(17), extra.push(r - 3), (run -= r);
        }
      } else {
        syms.push(v), extra.push(0), run--;
        while (use16 && run >= 3) {
          // Leave a remainder of 0 or >= 3 where possible, so it can be a repeat too.
          let r = Math.min(run, 6);
          if (run - r > 0 && run - r < 3 && r > 3) r = Math.max(3, run - 3);
          syms.push(16), extra.push(r - 3), (run -= r);
        }
      }
      while (run-- > 0) syms.push(v), extra.push(0);
    }
    const freq = new Uint32Array(19);
    for (const s of syms) freq[s]!++;
    const clLengths = completeForCodeLengths(huffmanLengths(freq, 7));
    let hclen = 19;
    while (hclen > 4 && clLengths[CL_ORDER[hclen - 1]!] === 0) hclen--;
    let bits = 5 + 5 + 4 + 3 * hclen;
    for (let k = 0; k < syms.length; k++) {
      const s = syms[k]!;
      bits += clLengths[s]! + (s === 16 ? 2 : s === 17 ? 3 : s === 18 ? 7 : 0);
    }
    if (!best || bits < best.bits) best = { hlit, hdist, hclen, syms, extra, clLengths, bits };
  }
  return best!;
}

/** The code-length code may not be incomplete (zlib refuses it), so pair a lone symbol with a dummy. */
function completeForCodeLengths(lengths: Uint8Array): Uint8Array {
  let used = 0;
  let only = -1;
  lengths.forEach((l, s) => {
    if (l) used++, (only = s);
  });
  if (used === 1) lengths[only === 0 ? 1 : 0] = 1;
  return lengths;
}

function dataBits(p: Parse, lit: Uint8Array, dist: Uint8Array): number {
  let bits = lit[256]!;
  for (let k = 0; k < p.count; k++) {
    if (p.dists[k] === 0) bits += lit[p.lens[k]!]!;
    else {
      const lc = LEN_CODE[p.lens[k]!]!;
      const dc = distCode(p.dists[k]!);
      bits += lit[257 + lc]! + LEN_EXTRA[lc]! + dist[dc]! + DIST_EXTRA[dc]!;
    }
  }
  return bits;
}

interface Candidate {
  kind: 'fixed' | 'dynamic';
  parse: Parse;
  lit: Uint8Array;
  dist: Uint8Array;
  header?: HeaderPlan;
  bits: number; // including the 3-bit block header
}

function dynamicCandidate(p: Parse): Candidate {
  const s = stats(p);
  const lit = huffmanLengths(s.lit, 15);
  const dist = huffmanLengths(s.dist, 15);
  const header = planHeader(lit, dist);
  return { kind: 'dynamic', parse: p, lit, dist, header, bits: 3 + header.bits + dataBits(p, lit, dist) };
}

function writeTokens(w: BitWriter, p: Parse, lit: Uint8Array, dist: Uint8Array): void {
  const litCodes = canonicalCodes(lit);
  const distCodes = canonicalCodes(dist);
  for (let k = 0; k < p.count; k++) {
    const l = p.lens[k]!;
    const d = p.dists[k]!;
    if (d === 0) {
      w.code(litCodes[l]!, lit[l]!);
      continue;
    }
    const lc = LEN_CODE[l]!;
    w.code(litCodes[257 + lc]!, lit[257 + lc]!);
    w.bits(l - LEN_BASE[lc]!, LEN_EXTRA[lc]!);
    const dc = distCode(d);
    w.code(distCodes[dc]!, dist[dc]!);
    w.bits(d - DIST_BASE[dc]!, DIST_EXTRA[dc]!);
  }
  w.code(litCodes[256]!, lit[256]!);
}

function writeStored(w: BitWriter, data: Uint8Array, from: number, to: number, final: boolean): void {
  // A stored block holds at most 65535 bytes, so a segment may need several.
  let at = from;
  do {
    const len = Math.min(65535, to - at);
    w.bits(final && at + len === to ? 1 : 0, 1);
    w.bits(0, 2);
    w.align();
    w.bits(len, 16);
    w.bits(~len & 0xffff, 16);
    for (let i = 0; i < len; i++) w.byte(data[at + i]!);
    at += len;
  } while (at < to);
}

function storedBits(bitPos: number, len: number): number {
  let pos = bitPos;
  let left = len;
  do {
    const chunk = Math.min(65535, left);
    pos = Math.ceil((pos + 3) / 8) * 8 + 32 + 8 * chunk; // block header, pad to a byte, LEN/NLEN, data
    left -= chunk;
  } while (left > 0);
  return pos - bitPos;
}

/** Raw DEFLATE of `data` (no zlib or gzip wrapper). Deterministic for a given input. */
export function deflateRaw(data: Uint8Array): Uint8Array {
  const w = new BitWriter();
  const head = new Int32Array(1 << 15).fill(-1);
  const prev = new Int32Array(data.length).fill(-1);
  for (let from = 0; ; from += SEGMENT) {
    const to = Math.min(data.length, from + SEGMENT);
    const final = to === data.length;
    const m = findMatches(data, from, to, head, prev);

    const fixedParse = optimalParse(data, from, to, m, costsFromLengths(FIXED_LITLEN, FIXED_DIST));
    let best: Candidate = {
      kind: 'fixed',
      parse: fixedParse,
      lit: FIXED_LITLEN,
      dist: FIXED_DIST,
      bits: 3 + dataBits(fixedParse, FIXED_LITLEN, FIXED_DIST),
    };
    // Re-estimate costs from a parse and parse again, alternating entropy costs with the real code
    // lengths (they escape different local minima), from several starting parses; keep the best.
    const seeds = [fixedParse, lazyParse(data, from, to, m, true), lazyParse(data, from, to, m, false), literalParse(data, from, to)];
    for (const seed of seeds) {
      let cand = dynamicCandidate(seed);
      if (cand.bits < best.bits) best = cand;
      let s = stats(seed);
      let stale = 0;
      for (let it = 0; it < ITERATIONS && stale < 3; it++) {
        const model = it % 2 === 0 ? costsFromStats(s.lit, s.dist) : costsFromLengths(cand.lit, cand.dist);
        const p = optimalParse(data, from, to, m, model);
        cand = dynamicCandidate(p);
        s = stats(p);
        if (cand.bits < best.bits) (best = cand), (stale = 0);
        else stale++;
      }
    }

    if (storedBits(w.bitLength, to - from) <= best.bits) {
      writeStored(w, data, from, to, final);
    } else {
      w.bits(final ? 1 : 0, 1);
      w.bits(best.kind === 'fixed' ? 1 : 2, 2);
      if (best.kind === 'dynamic') {
        const h = best.header!;
        w.bits(h.hlit - 257, 5);
        w.bits(h.hdist - 1, 5);
        w.bits(h.hclen - 4, 4);
        for (let i = 0; i < h.hclen; i++) w.bits(h.clLengths[CL_ORDER[i]!]!, 3);
        const clCodes = canonicalCodes(h.clLengths);
        for (let k = 0; k < h.syms.length; k++) {
          const sym = h.syms[k]!;
          w.code(clCodes[sym]!, h.clLengths[sym]!);
          if (sym === 16) w.bits(h.extra[k]!, 2);
          else if (sym === 17) w.bits(h.extra[k]!, 3);
          else if (sym === 18) w.bits(h.extra[k]!, 7);
        }
      }
      writeTokens(w, best.parse, best.lit, best.dist);
    }
    if (final) break;
  }
  return w.finish();
}

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * gzip member: mtime 0, no name, XFL 2 (max compression), OS 255 (unknown) — nothing from the
 * build machine leaks into the bytes.
 */
export function gzip(data: Uint8Array): Uint8Array {
  const body = deflateRaw(data);
  const out = new Uint8Array(10 + body.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);
  out.set(body, 10);
  const v = new DataView(out.buffer);
  v.setUint32(10 + body.length, crc32(data), true);
  v.setUint32(14 + body.length, data.length >>> 0, true);
  return out;
}
