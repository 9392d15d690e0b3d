import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { HelperOptions, TemplateDelegate } from 'handlebars';
import { diagnostic, DiagnosticError } from '../diagnostics/diagnostic.js';

type Handlebars = typeof import('handlebars');

let instance: Handlebars | undefined;

/**
 * The generator's handlebars: an isolated environment (no process-global patch) with
 * `{{{json x}}}` for JSON literals and strict mode so a misspelt field is an error, not "".
 */
export function handlebars(): Handlebars {
  if (instance === undefined) {
    const hb = (createRequire(import.meta.url)('handlebars') as Handlebars).create();
    // Strict mode does not reach helper arguments: a misspelt field would print nothing.
    hb.registerHelper('json', (value: unknown, options: HelperOptions & { loc?: { start: { line: number; column: number } } }) => {
      if (value === undefined) {
        const e = new Error('the value given to json is not defined (a misspelt field?)') as Error & { lineNumber?: number; column?: number };
        e.lineNumber = options.loc?.start.line;
        e.column = options.loc?.start.column;
        throw e;
      }
      return JSON.stringify(value);
    });
    hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
    hb.registerHelper('code', (value: unknown) => (value === undefined || value === '' ? '' : `\`${String(value).replace(/\|/g, '\\|')}\``));
    hb.registerHelper('cell', (value: unknown) =>
      String(value ?? '')
        .replace(/\|/g, '\\|')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/\n/g, ' '),
    );
    hb.registerHelper('ifEq', function (this: unknown, a: unknown, b: unknown, options: HelperOptions) {
      return a === b ? options.fn(this) : options.inverse(this);
    });
    instance = hb;
  }
  return instance;
}

const cache = new Map<string, TemplateDelegate>();

/** Compiles a file of package-template/ (cached); errors name the file. */
export function templateFile(file: string): TemplateDelegate {
  let t = cache.get(file);
  if (t === undefined) {
    t = handlebars().compile(fs.readFileSync(file, 'utf8'), { strict: true, noEscape: true });
    cache.set(file, t);
  }
  return t;
}

/** Renders a file of package-template/; a handlebars error becomes a one-line Diagnostic. */
export function renderTemplateFile(dir: string, name: string, data: object): string {
  const file = path.join(dir, name);
  try {
    return templateFile(file)(data);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const at = e as Error & { lineNumber?: number; column?: number };
    const lines = e.message.split('\n').map((l) => l.trim());
    // Handlebars parse errors say "Parse error on line N:" then an excerpt and "Expecting ...".
    const message = lines[0]?.startsWith('Parse error') ? `${lines[0]} ${lines[lines.length - 1] ?? ''}`.trim() : (lines[0] ?? 'template error');
    const lineMatch = /line (\d+)/.exec(lines[0] ?? '');
    throw new DiagnosticError(
      diagnostic({
        file,
        rule: 'template',
        message: `handlebars: ${message}`,
        line: at.lineNumber ?? (lineMatch ? Number(lineMatch[1]) : null),
        column: at.column !== undefined ? at.column + 1 : null,
      }),
    );
  }
}
