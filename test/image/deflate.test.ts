import { deflateRawSync, gunzipSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, deflateRaw, gzip, huffmanLengths } from '../../src/image/deflate.js';
import { writeTar } from '../../src/image/tar.js';

const zlib9 = (d: Uint8Array) => deflateRawSync(d, { level: 9 }).length;

function check(d: Uint8Array): void {
  const out = deflateRaw(d);
  expect(Buffer.compare(inflateRawSync(out), Buffer.from(d))).toBe(0);
  expect(out.length).toBeLessThanOrEqual(zlib9(d));
}

/** A one-file layer as buildImage makes it: a ustar header, the ELF, zero padding. */
function layerTar(elf: Uint8Array): Uint8Array {
  return writeTar([{ name: 'pause', data: elf, mode: 0o755, mtime: 0 }], 0);
}

/** ELF-like bytes: a header of small fields, mostly zeros, then code. */
const elfLike = fc
  .tuple(fc.uint8Array({ minLength: 0, maxLength: 140 }), fc.integer({ min: 50, max: 200 }))
  .map(([code, size]) => {
    const b = new Uint8Array(size);
    b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 62, 0, 1]);
    if (size > 64) b.set(code.subarray(0, size - 64), 64);
    return b;
  });

describe('deflate', () => {
  it('round-trips edge cases and is never larger than zlib -9', () => {
    const cases = [
      new Uint8Array(0),
      new Uint8Array([42]),
      new Uint8Array(1024),
      new Uint8Array(70000).fill(7),
      new TextEncoder().encode('abcabcabcabd'.repeat(50)),
      Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
      // Incompressible and larger than one stored block: exercises the stored path's splitting.
      Uint8Array.from({ length: 70000 }, (_, i) => (Math.imul(i, 2654435761) >>> 24) & 0xff),
    ];
    for (const c of cases) check(c);
  });

  it('matches or beats zlib -9 on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (d) => check(d)), { numRuns: 150 });
  });

  it('matches or beats zlib -9 on structured data (small alphabets, repeats)', () => {
    const structured = fc.oneof(
      fc.array(fc.constantFrom(0, 1, 2, 0x41, 0xff), { maxLength: 3000 }).map((a) => Uint8Array.from(a)),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 80 }), fc.uint8Array({ maxLength: 60 }))
        .map(([unit, n, tail]) => Uint8Array.from([...Array.from({ length: n }, () => [...unit]).flat(), ...tail])),
      fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'e', '\n', 't'), maxLength: 20 }), { maxLength: 200 }).map((a) => new TextEncoder().encode(a.join(' '))),
    );
    fc.assert(fc.property(structured, (d) => check(d)), { numRuns: 150 });
  });

  it('matches or beats zlib -9 on image layers of 50-200 byte ELFs', () => {
    fc.assert(fc.property(elfLike, (elf) => check(layerTar(elf))), { numRuns: 150 });
  });

  it('gzip: fixed header, CRC and size that gunzip accepts', () => {
    const data = new TextEncoder().encode('tinyelf tinyelf tinyelf');
    const gz = gzip(data);
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);
    expect(gunzipSync(gz).toString()).toBe('tinyelf tinyelf tinyelf');
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('is deterministic, with pinned output for a fixed layer', () => {
    const elf = Uint8Array.from({ length: 120 }, (_, i) => (i * 37) & 0xff);
    const a = gzip(layerTar(elf));
    expect(Buffer.from(gzip(layerTar(elf))).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(a).toString('base64')).toMatchInlineSnapshot(`"H4sIAAAAAAAC/ytILC1OZaAtMAACc1NTIA0G6LSBoTmEjRA3NzAwY1AwYKADKC0uSSxiANo6QoGqV/6UnfeYNXyLpu95yKYdUDpr/xNOveCKuYee8xiGVS84+orfJLJu8Ym3QuYxjctOfxC1im9Zee6zhG1S+5qL36QdUrvWX/kp55zRu+n6H0W37Albb/1X8cybvOMuk7pP4bTdD1i1/Etm7nvMoRtUPufgM26D0Kr5R17yGQ8Oz48CAB9qTmUABAAA"`);
  });

  it('package-merge respects the length limit and stays a complete code', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1 << 20 }), { minLength: 2, maxLength: 286 }), fc.integer({ min: 7, max: 15 }), (freqs, limit) => {
        const used = freqs.filter((f) => f > 0).length;
        fc.pre(used >= 2 && used <= 1 << limit);
        const lengths = huffmanLengths(freqs, limit);
        let kraft = 0;
        lengths.forEach((l, s) => {
          expect(l > 0).toBe(freqs[s]! > 0);
          expect(l).toBeLessThanOrEqual(limit);
          if (l) kraft += 2 ** -l;
        });
        expect(kraft).toBe(1);
      }),
      { numRuns: 150 },
    );
  });
});
