/** Help texts. Kept apart from the code so they read like the manual they are. */

export const COMMANDS: Record<string, string> = {
  sleep: 'write a program that sleeps forever (exits 0 on SIGTERM/SIGINT, reaps zombies)',
  hello: 'write a program that prints a message and a newline',
  exit: 'write a program that exits with a status',
  asm: 'assemble a source file into an executable (or flat bytes with --flat)',
  image: 'build a FROM-scratch container image (OCI layout / docker-archive)',
  push: 'push an image file or OCI directory to a registry',
  inspect: 'show an ELF file byte by byte: header fields and the code they also are',
};

/** The options of every command that writes an executable, after the command's own (`extra`). */
const programOptions = (extra = ''): string => `Options:
${extra}  --arch ARCH        i386, x86_64, arm or aarch64 (aliases: 386, amd64, x64, arm64, armhf, …);
                     default: this machine's
  --loader PROFILE   portable (default: runs on Linux and qemu-user), linux, qemu, strict
                     (a conventional header that readelf and file read cleanly)
  --base ADDR        load address of the file's first byte (page aligned; e.g. 0x400000)
  --isa v6|v7        ARM: the oldest core the code must run on (default v6)
  --thumb            ARM: Thumb code
  -o, --output FILE  write to FILE (mode 0755) instead of stdout
  -h, --help         show this help

The executable goes to stdout, which must not be a terminal: redirect it (> FILE) or use -o FILE.`;

export const HELP: Record<string, string> = {
  main: `Usage: tinyelf COMMAND [options]

Hand-assembles the smallest Linux executables that still run, and ships them as FROM-scratch images.

Commands:
${Object.entries(COMMANDS)
  .map(([n, d]) => `  ${n.padEnd(9)} ${d}`)
  .join('\n')}

Options:
  -h, --help     show this help; tinyelf COMMAND --help shows a command's
  -V, --version  show the version

Examples:
  tinyelf sleep -o pause && ./pause &
  tinyelf hello 'Hi there' --arch aarch64 > hi
  tinyelf image sleep --platform linux/amd64,linux/386 --tag tiny/pause -o pause.tar
  tinyelf inspect --program exit 3 --arch x86_64`,

  sleep: `Usage: tinyelf sleep [--bare] [options]

Writes an executable that sleeps forever without using CPU. It exits 0 on SIGTERM and SIGINT even as
PID 1 of a container, and reaps orphaned children. --bare only sleeps (smaller; as PID 1 it then
ignores SIGTERM, so docker stop waits for its timeout).

${programOptions('  --bare             just sleep\n')}`,

  hello: `Usage: tinyelf hello [MESSAGE] [options]

Writes an executable that prints MESSAGE (default "Hello, World!") and a newline to stdout and exits
0 (1 if the write fails or is short). Use -- before a MESSAGE that starts with '-'.

${programOptions()}`,

  exit: `Usage: tinyelf exit CODE [options]

Writes an executable that exits with status CODE (0..255) and does nothing else.

${programOptions()}`,

  asm: `Usage: tinyelf asm FILE.s [options]

Assembles FILE.s (nasm-like syntax for x86, GNU-like for ARM) into the smallest executable the loader
runs: executable sections (.text) are the code in running order (the entry is _start, else the first
instruction), other sections are data (.data and .bss writable, .bss zero-filled memory after the
file). With --flat, writes the bytes as nasm -f bin does (sections one after another from org, no
ELF header). Every error is shown with its line and a caret. FILE.s may be - for standard input
(errors then name <stdin>).

${programOptions(
  '  --flat             raw bytes, no ELF header (--loader and --base do not apply)\n' +
    '  --writable-text    code may write to itself at run time (as ld -N links it); without it, code is\n' +
    '                     writable only when the program has .data or .bss (they share one segment)\n' +
    '  -l, --list FILE    also write a listing: each source line with its address and bytes (as nasm -l;\n' +
    '                     in an executable, where the planner put it); - is standard output, with -o\n' +
    '  -I, --include-dir DIR\n' +
    '                     where nasm %include looks after the directories of the including file\n' +
    '                     and of FILE.s (repeatable, searched in order)\n',
)}`,

  image: `Usage: tinyelf image (sleep [--bare] | hello [MESSAGE] | exit CODE | --file ELF) [options]

Builds a FROM-scratch image whose only file is the program, for one or more platforms, as one tar
(default: an OCI layout and a docker-archive together, which skopeo, podman, containerd and
docker load all read) or an OCI directory. Every byte is a function of the inputs (SOURCE_DATE_EPOCH
sets the creation time, default the epoch), so the digests are reproducible.

Options:
  --platform LIST    comma-separated platforms: linux/386, linux/amd64, linux/arm/v6, linux/arm/v7,
                     linux/arm64, or all of them: all (default: this machine's; with --file: the
                     ELF's own)
  --file ELF         wrap this executable (its e_machine must match the one platform); - reads it
                     from standard input
  --bare             with sleep: just sleep
  --loader PROFILE   portable (default), linux, qemu or strict
  --tag NAME[:TAG]   image name, e.g. tiny/pause:1 (the tag defaults to latest)
  --name NAME        file name of the program in the image (default: last part of the tag's name,
                     else app); the entrypoint is /NAME
  --user UID[:GID]   run the program as this user, in numbers (default root); Kubernetes' pause
                     image runs as 65535:65535, which a runAsNonRoot pod needs
  --label KEY=VALUE  an image label (repeat for more), e.g.
                     org.opencontainers.image.source=https://example.com/repo
  --platform-tags    also name each platform's manifest TAG-<platform> (TAG-amd64, TAG-arm-v7)
                     in the OCI index, for umoci; then ctr import needs --all-platforms
  --format FORMAT    combined (default), oci, docker (docker save format) or oci-dir (a directory)
  -o, --output PATH  write the image here (a tar, or a directory for oci-dir); without -o the tar
                     goes to stdout, which must not be a terminal
  --push REF         also push the image to a registry, e.g. 127.0.0.1:5000/tiny/pause:latest
  --insecure         allow plain HTTP to a registry that is not on loopback
  --username USER    registry user; the password is read from stdin (--password-stdin)
  --password-stdin   read the registry password from stdin
  -h, --help         show this help`,

  push: `Usage: tinyelf push FILE REGISTRY/REPOSITORY[:TAG] [options]

Pushes an image that tinyelf image wrote (a combined or oci tar, or an oci-dir directory) with the
OCI distribution API: blobs the registry lacks, then manifests, then the tag. Loopback registries
are spoken to over HTTP, others over HTTPS.

Options:
  --insecure         allow plain HTTP to a registry that is not on loopback
  --username USER    registry user; the password is read from stdin (--password-stdin)
  --password-stdin   read the registry password from stdin
  -h, --help         show this help`,

  inspect: `Usage: tinyelf inspect FILE
       tinyelf inspect --program NAME [MESSAGE | CODE] [--arch ARCH] [--loader PROFILE] [--base ADDR]

Prints a byte map of an ELF executable: each range of bytes with the ELF-header field and the
program-header field it is (tiny files overlap the two; several program headers are numbered #0,
#1, …), and the entry point. Bytes outside every
header field are code or data. FILE may be - for standard input (not a terminal).

With --program, builds the program the way tinyelf sleep/hello/exit/asm would (NAME is sleep,
sleep-bare, hello, exit, or a FILE.s) and labels every instruction and data block with its source
line, so you see which header bytes are also code.

Options:
  --program NAME     sleep, sleep-bare, hello [MESSAGE], exit CODE, or FILE.s
  --arch ARCH        with --program (default: this machine's)
  --loader PROFILE   with --program: portable (default), linux, qemu or strict
  --base ADDR        with --program: load address
  --isa v6|v7        with --program, ARM
  --thumb            with --program, ARM
  -h, --help         show this help`,
};
