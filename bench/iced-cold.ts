/**
 * iced-x86 as a whole process, for the cold-start table: reads the program (bench/gen.ts's data,
 * as JSON) and encodes it with BlockEncoder, as a user's script would. The bench bundles this file
 * with esbuild (iced-x86 itself is loaded from the path given, not bundled) and times
 *   node iced-cold.mjs ICED_MODULE_URL PROGRAM_JSON
 */
import { readFileSync } from 'node:fs';
import { icedProgram } from './iced.js';

const iced = await import(process.argv[2]!);
const out = icedProgram(iced, JSON.parse(readFileSync(process.argv[3]!, 'utf8')))();
if (out.length === 0) throw new Error('iced-x86: no output');
