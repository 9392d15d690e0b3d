import * as fs from 'node:fs';
import { diagnostic, DiagnosticError } from '../diagnostics/diagnostic.js';

/** Reads a UTF-8 input file; a missing or unreadable file is a one-line Diagnostic. */
export function readInputFile(file: string, rule: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `no such ${what}` : code === 'EISDIR' ? `the ${what} is a directory` : `cannot read the ${what} (${code ?? String(e)})`;
    throw new DiagnosticError(diagnostic({ file, rule, message }));
  }
}
