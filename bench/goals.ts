/**
 * The benchmark issue's goals and shared/targets.md's targets, checked against this run's own
 * figures (the other sections' data), so the README says which hold without anyone re-reading
 * the tables. Nothing is measured here.
 */
import { fmtMs, fmtNum, fmtRate, type Cell, type SectionResult } from './lib.js';
import { RECORD_JOB } from './sizes.js';

interface SizeRow { arch: string; kind: string; profile: string; bytes: number | null; ok: boolean }
interface RecordRow { arch: string; kind: string; bytes: number; loaders: string; profile?: string; reproduced?: false }
interface RateRow { arch: string; system: string; input: string; warmPerSec: number | null }
interface ColdRow { what: string; medianMs: number }
interface ImageRow { program: string; platforms: string[]; format: string; compression: string; tarBytes: number; layerBytes: number[] }

/**
 * Published image figures the goals compare with (sources in bench/peers.md and shared/targets.md):
 * the smallest single-file image on record, Docker's hello-world and Kubernetes' pause.
 */
const PEER_IMAGES = {
  handBuilt: { combinedTar: 7_168, dockerArchive: 4_096, layerGzip: 161 },
  helloWorldLayerGzip: 2_441,
  pausePerPlatform: 744_000,
};
const JS_PEERS = ['iced-x86', 'keystone-wasm', '@defasm/core'];

const yes = (ok: boolean): string => (ok ? 'yes' : 'no');

export function goals(sections: Record<string, SectionResult>): SectionResult | undefined {
  const sizes = sections.sizes?.data as { tinyelf: SizeRow[]; records: RecordRow[] } | undefined;
  const tp = sections.throughput?.data as { rows: RateRow[]; cold: ColdRow[] } | undefined;
  const images = sections.images?.data as { rows: ImageRow[] } | undefined;
  if (!sizes || !tp || !images) return undefined;
  const rows: Cell[][] = [];

  // Text assembler faster than every JavaScript peer, per architecture.
  for (const arch of [...new Set(tp.rows.map((r) => r.arch))]) {
    const ours = tp.rows.find((r) => r.arch === arch && r.system === 'tinyelf assemble()')?.warmPerSec;
    const peers = tp.rows.filter((r) => r.arch === arch && JS_PEERS.some((p) => r.system.startsWith(p)) && r.warmPerSec !== null);
    if (ours == null || !peers.length) continue;
    const best = peers.reduce((a, b) => (b.warmPerSec! > a.warmPerSec! ? b : a));
    rows.push([`${arch}: text assembler faster than every JavaScript peer`, `${fmtRate(ours)} vs ${peers.map((p) => `${p.system.split(' ')[0]} ${fmtRate(p.warmPerSec!)}`).join(', ')}`, yes(ours > best.warmPerSec!)]);
  }
  // Within 2x of nasm: nasm runs only as a process, so the whole-process times are compared.
  /** A whole-process time on the 10k x86-64 program, by the start of its row's name. */
  const cold = (prefix: string): number | undefined => tp.cold.find((c) => c.what.startsWith(prefix) && c.what.endsWith('10k x86-64'))?.medianMs;
  const cli10k = cold('tinyelf CLI');
  const nasm10k = cold('nasm -f bin');
  if (cli10k !== undefined && nasm10k !== undefined) {
    rows.push(['within 2× of nasm (nasm runs only as a process: whole-process times, 10k x86-64)', `tinyelf CLI ${fmtMs(cli10k)} (Node's start included) vs nasm ${fmtMs(nasm10k)}`, yes(cli10k <= 2 * nasm10k)]);
  }
  // targets.md's throughput targets.
  const rate = (system: string): number | null | undefined => tp.rows.find((r) => r.arch === 'x86_64' && r.system === system)?.warmPerSec;
  const text = rate('tinyelf assemble()');
  const builder = rate('tinyelf X86Builder');
  if (text != null) rows.push(['targets.md: x86-64 text front end ≥ 1M instructions/s warm', fmtRate(text), yes(text >= 1e6)]);
  if (builder != null) rows.push(['targets.md: x86-64 builder ≥ 5M instructions/s warm', fmtRate(builder), yes(builder >= 5e6)]);
  const ks10k = cold('keystone-wasm in a node script');
  const iced10k = cold('iced-x86 BlockEncoder in a node script');
  if (cli10k !== undefined && ks10k !== undefined && iced10k !== undefined) {
    rows.push([
      'targets.md: whole CLI run on the 10k program faster than keystone and iced, Node\'s start included',
      `${fmtMs(cli10k)} vs keystone ${fmtMs(ks10k)}, iced-x86 ${fmtMs(iced10k)} (each a whole node process)`,
      yes(cli10k < ks10k && cli10k < iced10k),
    ]);
  }

  // Binaries the smallest in every row, for the same loaders.
  for (const r of sizes.records) {
    const what = `${r.arch} ${r.kind} record ${fmtNum(r.bytes)} B (${r.loaders})`;
    if (!r.profile) {
      rows.push([`smallest: ${what}`, 'a loader no tinyelf profile describes', '–']);
      continue;
    }
    const ours = sizes.tinyelf.find((t) => t.arch === r.arch && t.kind === r.kind && t.profile === r.profile && t.ok)?.bytes;
    if (ours == null) continue;
    const note = r.reproduced === false ? '; the record was not reproduced here' : '';
    // For the hello records, also what tinyelf makes of the records' own (smaller) job.
    const job = r.kind === 'hello' ? sizes.tinyelf.find((t) => t.arch === r.arch && t.kind === RECORD_JOB && t.profile === r.profile && t.ok)?.bytes : undefined;
    const jobNote = job == null ? '' : ` (it also blocks SIGPIPE and checks the write); the records' job alone: ${fmtNum(job)} B`;
    rows.push([`smallest: ${what}`, `tinyelf ${r.profile} ${fmtNum(ours)} B${jobNote}${note}`, yes(ours <= r.bytes)]);
  }

  // Images the smallest for the job (one platform, the single-file images on record).
  const image = (program: string, format: string): ImageRow | undefined =>
    images.rows.find((i) => i.program === program && i.format === format && i.compression === 'gzip' && i.platforms.length === 1);
  for (const program of ['sleep', 'hello']) {
    const combined = image(program, 'combined');
    const docker = image(program, 'docker');
    if (!combined || !docker) continue;
    const layer = combined.layerBytes[0]!;
    const peerLayer = program === 'hello' ? PEER_IMAGES.helloWorldLayerGzip : PEER_IMAGES.handBuilt.layerGzip;
    rows.push([
      `images: ${program}, the smallest for the job`,
      `combined tar ${fmtNum(combined.tarBytes)} (hand-built ${fmtNum(PEER_IMAGES.handBuilt.combinedTar)}), docker-archive ${fmtNum(docker.tarBytes)} (${fmtNum(PEER_IMAGES.handBuilt.dockerArchive)}), layer ${fmtNum(layer)} gzip (${program === 'hello' ? 'hello-world' : 'hand-built'} ${fmtNum(peerLayer)}); pause ≈ 744 KB`,
      yes(combined.tarBytes < PEER_IMAGES.handBuilt.combinedTar && docker.tarBytes < PEER_IMAGES.handBuilt.dockerArchive && layer < peerLayer),
    ]);
  }

  return {
    title: 'Goals',
    method: [
      'Each line is checked against this run\'s figures in the sections below (nothing is measured for it); published peer figures as in bench/peers.md.',
      '"smallest" compares with the tinyelf profile that promises the record\'s loaders (kernel only: linux; kernel + qemu: portable).',
    ],
    tables: [{ caption: '', head: ['goal', 'figures', 'met'], rows }],
    notes: [],
    data: rows,
  };
}
