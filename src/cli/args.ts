/** A small, strict command-line parser: declared options only, `--opt value`, `--opt=value`, `--`. */

export class UsageError extends Error {
  constructor(
    message: string,
    /** The help text of the command the error is about, to print a hint. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** 'flag' takes no value; 'value' takes one; 'list' takes one each time it is given. */
  readonly kind: 'flag' | 'value' | 'list';
  /** One-letter alias, e.g. 'o' for -o. */
  readonly short?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface Parsed {
  readonly options: Map<string, string | true | string[]>;
  readonly positionals: string[];
}

export function parseArgs(argv: readonly string[], specs: OptionSpecs, command: string): Parsed {
  const options = new Map<string, string | true | string[]>();
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(specs).filter(([, s]) => s.short).map(([n, s]) => [s.short!, n]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) inline = arg.slice(eq + 1);
      if (!(name in specs)) throw new UsageError(`unknown option '--${name}' for '${command}'`, command);
    } else if (arg.length > 1 && arg.startsWith('-') && !/^-\d/.test(arg)) {
      const letter = arg[1]!;
      name = byShort.get(letter);
      if (!name) throw new UsageError(`unknown option '-${letter}' for '${command}'`, command);
      if (arg.length > 2) inline = arg.slice(2);
    } else {
      positionals.push(arg);
      continue;
    }
    const spec = specs[name]!;
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`option '--${name}' takes no value`, command);
      options.set(name, true);
    } else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`option '--${name}' needs a value`, command);
      if (spec.kind === 'list') {
        const values = options.get(name);
        options.set(name, Array.isArray(values) ? [...values, value] : [value]);
        continue;
      }
      if (options.has(name)) throw new UsageError(`option '--${name}' given twice`, command);
      options.set(name, value);
    }
  }
  return { options, positionals };
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a 'list' option, in the order given. */
export function list(p: Parsed, name: string): string[] {
  const v = p.options.get(name);
  return Array.isArray(v) ? v : [];
}

export function flag(p: Parsed, name: string): boolean {
  return p.options.get(name) === true;
}
