import { isJsonObject, JsonNumber, type JsonObject, type JsonValue } from '../json/value.js';
import { stringifyJson } from '../json/stringify.js';
import { OPTION_PATTERN_LABELS } from './options.js';
import { renderTemplateFile } from './templates.js';

export const OPTIONS_START = '<!-- options:start (generated from config.json by `ecr-universe generate`; do not edit) -->';
export const OPTIONS_END = '<!-- options:end -->';

export interface OptionRow {
  name: string;
  type: string;
  default: string;
  rule: string;
  description: string;
}

/** One row per leaf option of a config.json, in document order, with its dotted name. */
export function optionRows(config: JsonValue, prefix = ''): OptionRow[] {
  const rows: OptionRow[] = [];
  if (!isJsonObject(config)) return rows;
  const properties = config.get('properties');
  if (!isJsonObject(properties)) return rows;
  for (const [key, schema] of properties) {
    if (!isJsonObject(schema)) continue;
    const name = prefix + key;
    if (isJsonObject(schema.get('properties'))) {
      rows.push(...optionRows(schema, `${name}.`));
      continue;
    }
    rows.push({
      name,
      type: typeof schema.get('type') === 'string' ? (schema.get('type') as string) : 'any',
      default: schema.has('default') ? literal(schema.get('default') as JsonValue) : '',
      rule: rule(schema),
      description: typeof schema.get('description') === 'string' ? (schema.get('description') as string) : '',
    });
  }
  return rows;
}

function literal(v: JsonValue): string {
  return typeof v === 'string' ? (v === '' ? '""' : v) : stringifyJson(v);
}

function rule(schema: JsonObject): string {
  const e = schema.get('enum');
  if (Array.isArray(e)) return `one of ${e.map((x) => literal(x)).join(', ')}`;
  const parts: string[] = [];
  const min = schema.get('minimum');
  if (min instanceof JsonNumber) parts.push(`minimum ${min.text}`);
  const pattern = schema.get('pattern');
  if (typeof pattern === 'string') parts.push(OPTION_PATTERN_LABELS[pattern] ?? `matches ${pattern}`);
  return parts.join(', ');
}

export function optionsTable(templateDir: string, config: JsonValue): string {
  return renderTemplateFile(templateDir, 'README-options.md.hbs', { rows: optionRows(config) }).trim();
}

/** The README with its options section replaced, or undefined when it has no markers. */
export function withOptionsTable(readme: string, table: string): string | undefined {
  const start = readme.indexOf(OPTIONS_START);
  const end = readme.indexOf(OPTIONS_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return `${readme.slice(0, start + OPTIONS_START.length)}\n${table}\n${readme.slice(end)}`;
}
