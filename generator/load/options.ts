import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { Document, Node as YamlNode } from 'yaml';
import { diagnostic, DiagnosticError } from '../diagnostics/diagnostic.js';
import { JsonSyntaxError, parseJson } from '../json/parse.js';
import { joinPointer } from '../json/pointer.js';
import { isJsonObject, JsonNumber, type JsonObject, type JsonValue } from '../json/value.js';
import { readInputFile } from './read.js';

/**
 * Reads an options file (what `dcos package install --options` takes) as JSON or YAML:
 * `.yaml`/`.yml` are YAML, `.json` is JSON, anything else is tried as JSON, then as YAML.
 * Numbers keep their digits in both; the result must be an object.
 */
export function readOptionsFile(file: string): JsonObject {
  const text = readInputFile(file, 'options-file', 'options file');
  const ext = path.extname(file).toLowerCase();
  let value: JsonValue;
  if (ext === '.yaml' || ext === '.yml') value = parseYamlValue(file, text);
  else {
    try {
      value = parseJson(text).value;
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      if (ext === '.json') throw jsonError(file, e);
      try {
        value = parseYamlValue(file, text);
      } catch {
        throw jsonError(file, e);
      }
    }
  }
  if (!isJsonObject(value)) {
    throw new DiagnosticError(diagnostic({ file, rule: 'options-file', pointer: '', line: 1, column: 1, message: 'options must be a JSON object' }));
  }
  return value;
}

function jsonError(file: string, e: JsonSyntaxError): DiagnosticError {
  return new DiagnosticError(diagnostic({ file, rule: 'json-syntax', pointer: '', line: e.position.line, column: e.position.column, message: e.message }));
}

/** YAML (1.2 core schema, unique keys) to a JSON value, with line and column on errors. */
export function parseYamlValue(file: string, text: string): JsonValue {
  const { parseDocument } = yaml();
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: true, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem !== undefined) {
    const pos = problem.linePos?.[0];
    throw new DiagnosticError(
      diagnostic({ file, rule: 'yaml-syntax', line: pos?.line ?? null, column: pos?.col ?? null, message: problem.message.split('\n')[0] ?? 'invalid YAML' }),
    );
  }
  return yamlToJson(doc.contents as YamlNode | null, { file, text, doc }, '');
}

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;

/** Loaded on first use: most runs read JSON only. */
export function yaml(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}

interface YamlSource {
  file: string;
  text: string;
  doc: Document;
}

function yamlToJson(node: YamlNode | null, src: YamlSource, pointer: string): JsonValue {
  if (node === null) return null;
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  const { file, text } = src;
  if (isAlias(node)) return yamlToJson((node.resolve(src.doc) ?? null) as YamlNode | null, src, pointer);
  const fail = (message: string): never => {
    const offset = node.range?.[0] ?? 0;
    const before = text.slice(0, offset).split('\n');
    throw new DiagnosticError(
      diagnostic({ file, rule: 'yaml-value', pointer, line: before.length, column: (before[before.length - 1] ?? '').length + 1, message }),
    );
  };
  if (isMap(node)) {
    const out: JsonObject = new Map();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'bigint' && typeof key !== 'boolean') {
        fail('only scalar keys can become JSON object keys');
      }
      const name = String(key);
      out.set(name, yamlToJson(pair.value as YamlNode | null, src, joinPointer(pointer, name)));
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item, i) => yamlToJson(item as YamlNode | null, src, joinPointer(pointer, i)));
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return new JsonNumber(v.toString());
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(`${node.source ?? String(v)} has no JSON equivalent`);
      // Keep the digits as written when they already form a JSON number (1.0, 1e-7, 0.10).
      const src = typeof node.source === 'string' ? node.source : '';
      return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(src) ? new JsonNumber(src) : JsonNumber.fromNumber(v);
    }
    return fail(`a YAML ${typeof v} has no JSON equivalent`);
  }
  return fail('this YAML node has no JSON equivalent');
}
