/**
 * The tinyelf command line. Thin: it parses arguments, calls the library and writes the result.
 * Exit status: 0 success, 1 error, 2 usage error (or binary output refused for a terminal).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import {
  ALL_PLATFORMS,
  AsmError,
  assemble,
  assembleWithListing,
  buildImage,
  checkElf,
  checkUser,
  elfListing,
  emitElf,
  exit as exitProgram,
  formatPlatform,
  hello,
  hostArch,
  layoutElf,
  LOADER_PROFILES,
  normalizeArch,
  normalizePlatform,
  parsePlatform,
  programFromSource,
  pushImage,
  sleepForever,
  type ArchName,
  type BackendOptions,
  type Image,
  type LoaderProfileName,
  type Platform,
  type ProgramLike,
} from '../index.js';
import { formatInspection, inspectElf, matchLayout } from '../elf/inspect.js';
import { readImageFile } from '../image/read.js';
import { builtinSource } from '../programs/builtins.js';
import { flag, list, parseArgs, str, UsageError, type OptionSpecs, type Parsed } from './args.js';
import { COMMANDS, HELP } from './help.js';
import { CliError, checkStdoutNotTty, emitBinary, fsReason, readStdin, readStdinBytes, writeDirAtomic, writeFileAtomic, writeStdout } from './io.js';

const PROGRAM_SPECS: OptionSpecs = {
  arch: { kind: 'value' },
  loader: { kind: 'value' },
  base: { kind: 'value' },
  isa: { kind: 'value' },
  thumb: { kind: 'flag' },
  output: { kind: 'value', short: 'o' },
  help: { kind: 'flag', short: 'h' },
};
const REGISTRY_SPECS: OptionSpecs = {
  insecure: { kind: 'flag' },
  username: { kind: 'value' },
  'password-stdin': { kind: 'flag' },
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function archOf(p: Parsed): ArchName {
  const a = str(p, 'arch');
  if (a !== undefined) return normalizeArch(a);
  try {
    return hostArch();
  } catch {
    throw new CliError(`this machine's architecture (${process.arch}) is not one tinyelf builds for; give --arch`);
  }
}

function loaderOf(p: Parsed): LoaderProfileName | undefined {
  const l = str(p, 'loader');
  if (l !== undefined && !LOADER_PROFILES.includes(l as LoaderProfileName)) {
    throw new UsageError(`unknown loader profile '${l}' (expected ${LOADER_PROFILES.join(', ')})`);
  }
  return l as LoaderProfileName | undefined;
}

function baseOf(p: Parsed): bigint | undefined {
  const b = str(p, 'base');
  if (b === undefined) return undefined;
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(b)) throw new UsageError(`--base must be a number such as 0x400000, not '${b}'`);
  return BigInt(b);
}

function backendOptions(p: Parsed, arch: ArchName): BackendOptions {
  const isa = str(p, 'isa');
  const thumb = flag(p, 'thumb');
  if ((isa !== undefined || thumb) && arch !== 'arm') throw new UsageError(`--isa and --thumb apply to arm only, not ${arch}`);
  if (isa !== undefined && isa !== 'v6' && isa !== 'v7') throw new UsageError(`--isa must be v6 or v7, not '${isa}'`);
  return { ...(isa ? { isa } : {}), ...(thumb ? { thumb } : {}) };
}

function exitCode(text: string | undefined): number {
  if (text === undefined) throw new UsageError('exit needs a CODE (0..255)');
  if (!/^\d+$/.test(text) || Number(text) > 255) throw new UsageError(`exit status must be an integer from 0 to 255, not '${text}'`);
  return Number(text);
}

function noMore(p: Parsed, from: number, command: string): void {
  if (p.positionals.length > from) throw new UsageError(`unexpected argument '${p.positionals[from]}' for '${command}'`, command);
}

/** The built-in program named by a command and its positionals. */
function builtin(name: string, p: Parsed, at: number, command: string): ProgramLike {
  switch (name) {
    case 'sleep':
    case 'sleep-bare':
      noMore(p, at, command);
      return name === 'sleep-bare' || flag(p, 'bare') ? sleepForever.bare : sleepForever;
    case 'hello':
      noMore(p, at + 1, command);
      return hello(p.positionals[at] ?? 'Hello, World!');
    case 'exit':
      noMore(p, at + 1, command);
      return exitProgram(exitCode(p.positionals[at]));
    default:
      throw new UsageError(`unknown program '${name}' (expected sleep, hello or exit)`, command);
  }
}

/**
 * A file's bytes, or standard input's for '-' (an executable is never read from a terminal: that
 * would only wait for bytes nobody types).
 */
async function readInput(path: string, what: 'source' | 'executable'): Promise<Uint8Array> {
  if (path === '-') {
    if (what === 'executable' && isatty(0)) throw new CliError('refusing to read an executable from a terminal; pipe or redirect it (tinyelf … < FILE)', 2);
    try {
      return await readStdinBytes();
    } catch (e) {
      throw new CliError(`cannot read standard input: ${fsReason(e)}`);
    }
  }
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError(`cannot read '${path}': ${fsReason(e)}`);
  }
}

/** How error messages name an input: '-' is standard input. */
const inputName = (path: string): string => (path === '-' ? '<stdin>' : path);

// --- commands ------------------------------------------------------------------------------------

async function cmdProgram(command: 'sleep' | 'hello' | 'exit', argv: string[]): Promise<number> {
  const p = parseArgs(argv, command === 'sleep' ? { ...PROGRAM_SPECS, bare: { kind: 'flag' } } : PROGRAM_SPECS, command);
  if (flag(p, 'help')) return help(command);
  const out = str(p, 'output');
  const arch = archOf(p);
  const program = builtin(command, p, 0, command);
  const loader = loaderOf(p);
  const base = baseOf(p);
  if (out === undefined || out === '-') checkStdoutNotTty('an executable');
  const bytes = emitElf({ arch, program, ...backendOptions(p, arch), ...(loader ? { loader } : {}), ...(base !== undefined ? { base } : {}) });
  await emitBinary(bytes, out, 'an executable');
  return 0;
}

async function cmdAsm(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { ...PROGRAM_SPECS, flat: { kind: 'flag' }, list: { kind: 'value', short: 'l' }, 'writable-text': { kind: 'flag' }, 'include-dir': { kind: 'list', short: 'I' } }, 'asm');
  if (flag(p, 'help')) return help('asm');
  const file = p.positionals[0];
  if (file === undefined) throw new UsageError('asm needs a source FILE', 'asm');
  noMore(p, 1, 'asm');
  const out = str(p, 'output');
  const arch = archOf(p);
  const options = { ...backendOptions(p, arch), includePaths: list(p, 'include-dir') };
  const loader = loaderOf(p);
  const base = baseOf(p);
  if (flag(p, 'flat') && (loader !== undefined || base !== undefined)) throw new UsageError('--loader and --base do not apply with --flat (use org in the source)', 'asm');
  const writableText = flag(p, 'writable-text');
  if (flag(p, 'flat') && writableText) throw new UsageError('--writable-text does not apply with --flat (there is no segment to make writable)', 'asm');
  const listTo = str(p, 'list');
  if (listTo === '-' && (out === undefined || out === '-')) throw new UsageError('--list - needs -o FILE: standard output cannot take both the listing and the bytes', 'asm');
  if (out === undefined || out === '-') checkStdoutNotTty(flag(p, 'flat') ? 'machine code' : 'an executable');
  const text = new TextDecoder().decode((await readInput(file, 'source')));
  const name = inputName(file);
  let bytes: Uint8Array;
  let listing: string | undefined;
  if (flag(p, 'flat')) {
    if (listTo === undefined) bytes = assemble(text, { arch, file: name, ...options });
    else ({ bytes, listing } = assembleWithListing(text, { arch, file: name, ...options }));
  } else {
    const layout = layoutElf({ arch, program: programFromSource(text, { arch, file: name, ...options }), ...(loader ? { loader } : {}), ...(base !== undefined ? { base } : {}), writableText });
    bytes = layout.bytes;
    if (listTo !== undefined) listing = elfListing(layout, text, name);
  }
  await emitBinary(bytes, out, flag(p, 'flat') ? 'machine code' : 'an executable', flag(p, 'flat') ? 0o644 : 0o755);
  if (listing !== undefined) {
    if (listTo === '-') await writeStdout(listing);
    else writeFileAtomic(listTo!, new TextEncoder().encode(listing), 0o644);
  }
  return 0;
}

/** Image platform → the arch and ARM ISA its binary is built for. */
function platformTarget(pl: Platform): { arch: ArchName; options: BackendOptions } {
  switch (pl.architecture) {
    case '386':
      return { arch: 'i386', options: {} };
    case 'amd64':
      return { arch: 'x86_64', options: {} };
    case 'arm':
      return { arch: 'arm', options: { isa: pl.variant === 'v6' ? 'v6' : 'v7' } };
    case 'arm64':
      return { arch: 'aarch64', options: {} };
  }
}

function hostPlatform(): Platform {
  const arch = (() => {
    try {
      return hostArch();
    } catch {
      throw new CliError(`this machine's architecture (${process.arch}) has no image platform tinyelf builds for; give --platform`);
    }
  })();
  const a = ({ i386: '386', x86_64: 'amd64', arm: 'arm', aarch64: 'arm64' } as const)[arch];
  return normalizePlatform({ os: 'linux', architecture: a });
}

/** The platform an ELF says it is for, from its class and e_machine. */
function platformOfElf(elf: Uint8Array, path: string): Platform {
  const ins = (() => {
    try {
      return inspectElf(elf);
    } catch (e) {
      throw new CliError(`'${path}': ${(e as Error).message}`);
    }
  })();
  const a = ({ i386: '386', x86_64: 'amd64', arm: 'arm', aarch64: 'arm64' } as const)[ins.arch ?? 'x86_64'];
  if (!ins.arch) throw new CliError(`'${path}' has e_machine ${ins.machine}, which no image platform tinyelf knows uses; give --platform`);
  return normalizePlatform({ os: 'linux', architecture: a });
}

function checkCredentialOptions(p: Parsed, command: string): void {
  const user = str(p, 'username');
  const fromStdin = flag(p, 'password-stdin');
  if (fromStdin && user === undefined) throw new UsageError('--password-stdin needs --username', command);
  if (user !== undefined && !fromStdin) throw new UsageError('--username needs --password-stdin (the password is read from stdin)', command);
}

async function credentials(p: Parsed, command: string): Promise<{ username?: string; password?: string }> {
  checkCredentialOptions(p, command);
  const user = str(p, 'username');
  if (user === undefined) return {};
  const password = (await readStdin()).replace(/\r?\n$/, '');
  return { username: user, password };
}

async function push(image: Image, ref: string, p: Parsed, creds: { username?: string; password?: string }, toStderr: boolean): Promise<void> {
  const r = await pushImage(image, ref, { ...creds, ...(flag(p, 'insecure') ? { insecure: true } : {}) });
  const line = `pushed ${r.reference} (${r.uploaded} blobs uploaded, ${r.existing} already there)\n`;
  if (toStderr) process.stderr.write(line);
  else await writeStdout(line);
}

/** --label KEY=VALUE, each given once; undefined when there are none. */
function labelsOf(given: string[]): Record<string, string> | undefined {
  if (!given.length) return undefined;
  const labels: Record<string, string> = {};
  for (const g of given) {
    const eq = g.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label needs KEY=VALUE, not '${g}'`, 'image');
    const key = g.slice(0, eq);
    if (key in labels) throw new UsageError(`--label ${key} given twice`, 'image');
    labels[key] = g.slice(eq + 1);
  }
  return labels;
}

async function cmdImage(argv: string[]): Promise<number> {
  const p = parseArgs(
    argv,
    {
      platform: { kind: 'value' },
      file: { kind: 'value' },
      bare: { kind: 'flag' },
      loader: { kind: 'value' },
      tag: { kind: 'value' },
      name: { kind: 'value' },
      user: { kind: 'value' },
      label: { kind: 'list' },
      'platform-tags': { kind: 'flag' },
      format: { kind: 'value' },
      output: { kind: 'value', short: 'o' },
      push: { kind: 'value' },
      ...REGISTRY_SPECS,
      help: { kind: 'flag', short: 'h' },
    },
    'image',
  );
  if (flag(p, 'help')) return help('image');
  const file = str(p, 'file');
  const format = str(p, 'format') ?? 'combined';
  if (!['combined', 'oci', 'docker', 'oci-dir'].includes(format)) throw new UsageError(`unknown image format '${format}' (expected combined, oci, docker or oci-dir)`, 'image');
  const out = str(p, 'output');
  const pushRef = str(p, 'push');
  if (format === 'oci-dir' && out === undefined) throw new UsageError('--format oci-dir needs -o DIRECTORY', 'image');
  if (pushRef !== undefined && format === 'docker') throw new UsageError('--push needs an OCI layout; use --format combined, oci or oci-dir', 'image');
  if (pushRef === undefined && (p.options.has('username') || p.options.has('password-stdin') || p.options.has('insecure'))) {
    throw new UsageError('--insecure, --username and --password-stdin apply with --push only', 'image');
  }
  if (pushRef !== undefined) checkCredentialOptions(p, 'image');
  const toStdout = out === undefined && pushRef === undefined;
  if (toStdout || out === '-') checkStdoutNotTty('an image tar');
  const user = str(p, 'user');
  if (user !== undefined) {
    try {
      checkUser(user);
    } catch (e) {
      throw new UsageError(`--user: ${(e as Error).message}`, 'image');
    }
  }
  const labels = labelsOf(list(p, 'label'));
  const loader = loaderOf(p);
  const platformArg = str(p, 'platform');
  const platforms = (platformArg?.trim() === 'all' ? ALL_PLATFORMS.join(',') : platformArg)
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => parsePlatform(s));
  if (platforms?.length === 0) throw new UsageError('--platform needs at least one platform', 'image');

  let binaries: { platform: Platform; elf: Uint8Array }[];
  if (file !== undefined) {
    if (p.positionals.length) throw new UsageError(`give either a program (sleep, hello, exit) or --file, not both`, 'image');
    if (flag(p, 'bare') || loader) throw new UsageError('--bare and --loader apply to built-in programs, not --file', 'image');
    if (platforms && platforms.length > 1) throw new UsageError('--file wraps one executable: give one --platform', 'image');
    if (file === '-' && flag(p, 'password-stdin')) throw new UsageError('standard input can be --file - or --password-stdin, not both', 'image');
    const elf = await readInput(file, 'executable');
    const platform = platforms?.[0] ?? platformOfElf(elf, inputName(file));
    try {
      checkElf(elf, platform);
    } catch (e) {
      throw new CliError(`'${inputName(file)}': ${(e as Error).message}`);
    }
    binaries = [{ platform, elf }];
  } else {
    const name = p.positionals[0];
    if (name === undefined) throw new UsageError('image needs a program (sleep, hello MESSAGE, exit CODE) or --file ELF', 'image');
    if (flag(p, 'bare') && name !== 'sleep') throw new UsageError('--bare applies to sleep only', 'image');
    const program = builtin(name, p, 1, 'image');
    binaries = (platforms ?? [hostPlatform()]).map((platform) => {
      const t = platformTarget(platform);
      try {
        return { platform, elf: emitElf({ arch: t.arch, program, ...t.options, ...(loader ? { loader } : {}) }) };
      } catch (e) {
        if (e instanceof AsmError) throw e;
        throw new CliError(`${formatPlatform(platform)}: ${(e as Error).message}`);
      }
    });
  }
  const tag = str(p, 'tag');
  const name = str(p, 'name');
  let image: Image;
  try {
    image = buildImage({
      binaries,
      format: format as Image['format'],
      ...(tag !== undefined ? { tag } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(labels ? { labels } : {}),
      ...(flag(p, 'platform-tags') ? { platformTags: true } : {}),
    });
  } catch (e) {
    // The linux profile may put code in EI_CLASS/EI_DATA, which image tools (and checkElf) read.
    if (loader === 'linux' && /ELF\?|little-endian/.test((e as Error).message)) {
      throw new CliError(`${(e as Error).message} (--loader linux reuses header bytes that image tools check; use --loader portable)`);
    }
    throw e;
  }
  const creds = pushRef !== undefined ? await credentials(p, 'image') : {};
  if (format === 'oci-dir') writeDirAtomic(out!, image.files);
  else if (out !== undefined || toStdout) await emitBinary(image.tar!, out, 'an image tar', 0o644);
  if (pushRef !== undefined) await push(image, pushRef, p, creds, out === undefined || out === '-');
  return 0;
}

async function cmdPush(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { ...REGISTRY_SPECS, help: { kind: 'flag', short: 'h' } }, 'push');
  if (flag(p, 'help')) return help('push');
  const [file, ref] = p.positionals;
  if (file === undefined || ref === undefined) throw new UsageError('push needs an image FILE and a target REGISTRY/REPOSITORY[:TAG]', 'push');
  noMore(p, 2, 'push');
  checkCredentialOptions(p, 'push');
  let image: Image;
  try {
    statSync(file);
    image = readImageFile(file);
  } catch (e) {
    throw new CliError(`cannot read image '${file}': ${(e as NodeJS.ErrnoException).code ? fsReason(e) : (e as Error).message}`);
  }
  await push(image, ref, p, await credentials(p, 'push'), false);
  return 0;
}

async function cmdInspect(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { ...PROGRAM_SPECS, program: { kind: 'value' }, output: { kind: 'value', short: 'o' } }, 'inspect');
  if (flag(p, 'help')) return help('inspect');
  if (str(p, 'output') !== undefined) throw new UsageError('inspect prints to stdout; it has no -o', 'inspect');
  const name = str(p, 'program');
  let text: string;
  if (name === undefined) {
    const file = p.positionals[0];
    if (file === undefined) throw new UsageError('inspect needs a FILE (or --program NAME)', 'inspect');
    noMore(p, 1, 'inspect');
    for (const o of ['arch', 'loader', 'base', 'isa', 'thumb']) {
      if (p.options.has(o)) throw new UsageError(`--${o} applies with --program only; a FILE says its own`, 'inspect');
    }
    const bytes = await readInput(file, 'executable');
    try {
      const plain = inspectElf(bytes);
      // A file tinyelf made of a built-in program gets its instructions named.
      const builtins = [{ name: 'sleep', program: sleepForever }, { name: 'sleep --bare', program: sleepForever.bare }, { name: 'hello', program: hello() }];
      const known = plain.arch ? matchLayout(bytes, plain.arch, builtins) : undefined;
      text = known
        ? `${formatInspection(inspectElf(bytes, { layout: known.layout, source: builtinSourceOf }))}This is tinyelf ${known.name} (--loader ${known.layout.loader}).\n`
        : formatInspection(plain);
    } catch (e) {
      throw new CliError(`'${inputName(file)}': ${(e as Error).message}`);
    }
  } else {
    const arch = archOf(p);
    const loader = loaderOf(p);
    const base = baseOf(p);
    const options = backendOptions(p, arch);
    let program: ProgramLike;
    const sources = new Map<string, string>();
    if (name.endsWith('.s') || name.endsWith('.asm') || name.endsWith('.S')) {
      noMore(p, 0, 'inspect');
      const src = new TextDecoder().decode((await readInput(name, 'source')));
      sources.set(name, src);
      program = programFromSource(src, { arch, file: name, ...options });
    } else {
      program = builtin(name, p, 0, 'inspect');
    }
    const layout = layoutElf({ arch, program, ...options, ...(loader ? { loader } : {}), ...(base !== undefined ? { base } : {}) });
    const source = (f: string): string | undefined => sources.get(f) ?? builtinSourceOf(f);
    text = formatInspection(inspectElf(layout.bytes, { layout, source }));
  }
  await writeStdout(text);
  return 0;
}

/** Source text of a built-in program from its name in source locations (asm/NAME-ARCH.s). */
function builtinSourceOf(file: string): string | undefined {
  const m = /^asm\/(.+)-(i386|x86_64|arm|aarch64)\.s$/.exec(file);
  return m ? builtinSource(m[1]!, m[2] as ArchName) : undefined;
}

// --- dispatch ------------------------------------------------------------------------------------

function help(command: string): number {
  process.stdout.write(`${HELP[command]}\n`);
  return 0;
}

function usageHint(command?: string): string {
  return command && command in HELP ? `Run 'tinyelf ${command} --help' for its options.` : `Commands: ${Object.keys(COMMANDS).join(', ')}. Run 'tinyelf --help' for more.`;
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      process.stderr.write(`${HELP.main}\n`);
      return 2;
    }
    if (command === '-h' || command === '--help') return help('main');
    if (command === '-V' || command === '--version') {
      await writeStdout(`tinyelf ${version()}\n`);
      return 0;
    }
    if (command === 'help') {
      const topic = rest[0] ?? 'main';
      if (!(topic in HELP)) throw new UsageError(`unknown command '${topic}'`);
      return help(topic);
    }
    switch (command) {
      case 'sleep':
      case 'hello':
      case 'exit':
        return await cmdProgram(command, rest);
      case 'asm':
        return await cmdAsm(rest);
      case 'image':
        return await cmdImage(rest);
      case 'push':
        return await cmdPush(rest);
      case 'inspect':
        return await cmdInspect(rest);
      default:
        throw new UsageError(command.startsWith('-') ? `unknown option '${command}'` : `unknown command '${command}'`);
    }
  } catch (e) {
    return report(e, argv[0]);
  }
}

function report(e: unknown, command: string | undefined): number {
  if (e instanceof UsageError) {
    process.stderr.write(`tinyelf: error: ${e.message}\n${usageHint(e.command ?? (command && command in COMMANDS ? command : undefined))}\n`);
    return 2;
  }
  if (e instanceof AsmError) {
    const n = e.diagnostics.length;
    process.stderr.write(`${e.pretty()}\ntinyelf: error: ${n} error${n === 1 ? '' : 's'} in ${e.file || 'the source'}\n`);
    return 1;
  }
  if (e instanceof CliError) {
    process.stderr.write(`tinyelf: error: ${e.message}\n`);
    return e.status;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`tinyelf: error: ${message.split('\n')[0]}\n`);
  if (process.env.TINYELF_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

/** Runs main with the process's arguments and sets the exit status (letting stdout drain). */
export function run(): void {
  // A reader that went away (tinyelf inspect FILE | head) ends us quietly, as SIGPIPE ends C tools.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    process.stderr.write(`tinyelf: error: cannot write to stdout: ${fsReason(e)}\n`);
    process.exit(1);
  });
  void main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) run();
