/**
 * A custom hello image for two platforms (linux/amd64 and linux/arm64): each binary is your own
 * assembly text, planned into the smallest ELF, and both go into one multi-platform image tar
 * (an OCI image layout and a docker-archive at once).
 *
 *   npx tsx examples/hello-image.ts hello.tar [MESSAGE]
 *   docker load -i hello.tar && docker run --rm tiny/hello
 *
 * Outside this repository, import from 'tinyelf' instead of '../src/index.js'.
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildImage, emitElf, programFromSource, type ArchName, type Image, type Platform } from '../src/index.js';

// The message is data: the planner may put it anywhere, even inside the ELF header.
const SOURCES: Record<'x86_64' | 'aarch64', string> = {
  x86_64: `
    mov edi, 1              ; stdout
    mov esi, message
    mov edx, message_len
    mov eax, 1              ; SYS_write
    syscall
    xor edi, edi
    cmp eax, edx
    setne dil               ; exit 0 when all of it was written
    mov eax, 60             ; SYS_exit
    syscall
section .rodata
message: db "Hello!", 10
message_len equ $ - message
`,
  aarch64: `
    mov     x0, #1          // stdout
    adr     x1, message
    mov     x2, #message_len
    mov     x8, #64         // SYS_write
    svc     #0
    cmp     x0, x2
    cset    w0, ne          // exit 0 when all of it was written
    mov     x8, #93         // SYS_exit
    svc     #0
    .section .rodata
message:
    .ascii  "Hello!\\n"
message_len = . - message
`,
};

const PLATFORMS: { platform: Platform; arch: 'x86_64' | 'aarch64' }[] = [
  { platform: { os: 'linux', architecture: 'amd64' }, arch: 'x86_64' },
  { platform: { os: 'linux', architecture: 'arm64' }, arch: 'aarch64' },
];

/** The hello binary for `arch`; `message` replaces the text's (a newline is added). */
export function helloElf(arch: ArchName & keyof typeof SOURCES, message?: string): Uint8Array {
  const data: Record<string, Uint8Array> = message === undefined ? {} : { message: new TextEncoder().encode(`${message}\n`) };
  return emitElf({ arch, program: programFromSource(SOURCES[arch], { arch, name: 'hello', data }) });
}

export function helloImage(message?: string): Image {
  return buildImage({
    binaries: PLATFORMS.map(({ platform, arch }) => ({ platform, elf: helloElf(arch, message) })),
    tag: 'tiny/hello:latest',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const [out, message] = process.argv.slice(2);
  if (!out) {
    console.error('usage: npx tsx examples/hello-image.ts OUT.tar [MESSAGE]');
    process.exit(2);
  }
  const image = helloImage(message);
  writeFileSync(out, image.tar!);
  console.log(`${out}: ${image.reference} ${image.digest} (${image.tar!.length} bytes)`);
}
