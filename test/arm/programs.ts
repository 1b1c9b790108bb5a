/** Small programs that put branch targets exactly at the edges of each branch form's range. */
export interface Program {
  name: string;
  triple: string;
  isa: 'v6' | 'v7';
  text: string;
}

const T = '.syntax unified\n.thumb\n';
const fwd = (insn: string, gap: number): string => `${insn} there\n.space ${gap}\nthere:\nnop`;
const back = (insn: string, gap: number): string => `here:\n.space ${gap}\n${insn} here`;

export const BRANCH_PROGRAMS: Program[] = [
  // Thumb b: 16-bit reaches pc+4-2048 .. pc+4+2046, else b.w
  { name: 'thumb b +2046 (16-bit)', triple: 'thumbv7', isa: 'v7', text: T + fwd('b', 2048) },
  { name: 'thumb b +2048 (b.w)', triple: 'thumbv7', isa: 'v7', text: T + fwd('b', 2050) },
  { name: 'thumb b -2048 (16-bit)', triple: 'thumbv7', isa: 'v7', text: T + back('b', 2044) },
  { name: 'thumb b -2050 (b.w)', triple: 'thumbv7', isa: 'v7', text: T + back('b', 2046) },
  // b<cond>: 8-bit -256 .. +254, else bcond.w
  { name: 'thumb bne +254', triple: 'thumbv7', isa: 'v7', text: T + fwd('bne', 256) },
  { name: 'thumb bne +256 (bne.w)', triple: 'thumbv7', isa: 'v7', text: T + fwd('bne', 258) },
  { name: 'thumb beq -256', triple: 'thumbv7', isa: 'v7', text: T + back('beq', 252) },
  { name: 'thumb beq -258 (beq.w)', triple: 'thumbv7', isa: 'v7', text: T + back('beq', 254) },
  { name: 'thumb bl +4000', triple: 'thumbv7', isa: 'v7', text: T + fwd('bl', 4000) },
  { name: 'thumb bl back', triple: 'thumbv6', isa: 'v6', text: T + back('bl', 100) },
  { name: 'thumb cbz +126', triple: 'thumbv7', isa: 'v7', text: T + fwd('cbz r3,', 128) },
  { name: 'thumb b.w +1 MB', triple: 'thumbv7', isa: 'v7', text: T + fwd('b', 1 << 20) },
  { name: 'thumb bne.w +1 MB - 2', triple: 'thumbv7', isa: 'v7', text: T + fwd('bne', (1 << 20) - 2) },
  { name: 'thumb mixed relaxation', triple: 'thumbv7', isa: 'v7', text: T + 'b l2\nbeq l1\n.space 250\nl1:\nbne l2\n.space 2040\nl2:\nnop' },
  { name: 'a32 b forward and back (llvm keeps bl as a relocation)', triple: 'armv7', isa: 'v7', text: 'l1:\nb l2\nbne l2\n.space 4000\nl2:\nbeq l1' },
  { name: 'a32 b +32 MB - 4', triple: 'armv6', isa: 'v6', text: fwd('b', 1 << 25) },
  { name: 'a32 adr and ldr label', triple: 'armv7', isa: 'v7', text: 'adr r0, l1\nldr r1, l1\nldrh r2, l1\n.space 200\nl1:\n.word 7' },
  // (issue 16) a far adr grows to adr.w; ldrd, pld, pli to labels
  { name: 'thumb adr.w, ldrd, pld, pli to labels', triple: 'thumbv7', isa: 'v7', text: T + 'adr r0, far\nldrd r0, r1, near\npld far\npli near\n.space 8\nnear: .word 1, 2\n.space 3000\nfar: nop' },
  { name: 'a32 pld, pli, ldrd to labels', triple: 'armv7', isa: 'v7', text: 'pld l1\npli l1\nldrd r0, r1, l1\n.space 200\nl1:\n.word 7, 8' },
];
