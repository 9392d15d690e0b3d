/**
 * The Universe build: what mesosphere/universe `scripts/gen_universe.py` writes, byte for byte,
 * from a packages directory, in memory. `writeBuild` puts it on disk (staged, then renamed).
 *
 * Output (paths relative to the output directory):
 * - `universe.json` (every revision, untouched) and `universe.content_type` (v5);
 * - `repo-empty-v3.json` and `repo-empty-v3.content_type` (v3);
 * - for V in 1.8 ... 2.0: `repo-up-to-V.json` (revisions with minDcosReleaseVersion <= V; for
 *   V < 1.10 escaped and downgraded to 3.0), `repo-up-to-V.content_type`, and
 *   `V/package/<name>.json` (that file's revisions of one package);
 * - `<file>.json.gz` beside each JSON file when it is smaller.
 * Revisions are ordered by package name, then releaseVersion (gen_universe.py takes the order
 * the file system lists, which is not deterministic).
 */
import { TextMap } from '../cache.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { locatePointer } from '../json/parse.js';
import { pointerFromTokens, pointerTokens } from '../json/pointer.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import {
  BUILD_DCOS_VERSIONS,
  GenUniverseError,
  generatePackage,
  includedIn,
  legacyPackage,
  repoContentType,
  repoFormatFor,
  type BuildDcosVersion,
  type RepoFormat,
} from './gen.js';
import { assembleGzip, deflateSegmentSync, piece, type Piece, type PlacedPiece } from './gzip.js';
import { PythonJsonError, pyDumps, pyTruthy } from './pyjson.js';
import { listRevisions, parseSourceFile, readRevision, type RevisionRef, type SourceFile, type SourceRevision } from './source.js';
import { pyTruthyText, transcodeToPython } from './transcode.js';
import { LocalPipeline, WorkerPipeline, type Done, type Pipeline, type Submission, type TextParts } from './pipeline.js';
import type { FileWriter } from './writeFiles.js';
import { explainPackage } from './validate.js';
import type { BlockSegment, FailedCheck, WorkItem } from './work.js';

export interface BuildOptions {
  /** Write `.gz` copies (default true). */
  gzip?: boolean;
  /** Where the schema check runs: a worker thread (default) or this thread. */
  check?: 'worker' | 'local';
  /** Serialize every revision through the JSON tree, never the one-pass fast path (for tests). */
  treeOnly?: boolean;
  /**
   * Keep the worker thread to write a share of the files (BuildOutput.writer, which writeBuild
   * uses and closes): the write takes some 0.1 s on one thread, and the other core is idle then.
   */
  writer?: boolean;
}

export interface OutputBody {
  /** The bytes, in pieces to write one after another. */
  parts: Buffer[];
  size: number;
}

export interface OutputFile extends OutputBody {
  /** Path relative to the output directory, `/`-separated. */
  path: string;
  /** Media type a server gives the file: the repo media type for JSON, text/plain for `.content_type`. */
  mediaType: string;
  /** The gzip copy, when smaller. */
  gzip?: OutputBody;
  /** An earlier file of the build with the very same bytes (written as a hard link to it). */
  sameAs?: string;
}

export interface BuildOutput {
  /** Every file, keyed by relative path, in a deterministic order. */
  files: Map<string, OutputFile>;
  /** Directories to create even when empty (`V/package` for every V, as gen_universe.py does). */
  directories: string[];
  /** Warnings (duplicate keys); errors make the build throw a BuildError instead. */
  warnings: Diagnostic[];
  revisions: number;
  packages: number;
  /** The build's worker, kept to write files (BuildOptions.writer); writeBuild closes it. */
  writer?: FileWriter;
}

export class BuildError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super(`the build failed with ${errors} error${errors === 1 ? '' : 's'}`);
    this.name = 'BuildError';
  }
}

export const UNIVERSE_FILE = 'universe.json';
export const EMPTY_REPO_FILE = 'repo-empty-v3.json';
export const repoFile = (v: BuildDcosVersion): string => `repo-up-to-${v}.json`;
export const packageFile = (v: BuildDcosVersion, name: string): string => `${v}/package/${name}.json`;
export const contentTypeFileOf = (jsonFile: string): string => `${jsonFile.slice(0, -'.json'.length)}.content_type`;

const PREFIX = piece(Buffer.from('{"packages": [', 'latin1'));
const SEPARATOR = piece(Buffer.from(', ', 'latin1'));
const SUFFIX = piece(Buffer.from(']}', 'latin1'));

/** One revision, serialized once per form. */
interface BuiltRevision {
  id: number;
  name: string;
  /** Same-name revision just before this one, if any. */
  previous: BuiltRevision | undefined;
  /** In repo-up-to-V.json, per BUILD_DCOS_VERSIONS index. */
  included: boolean[];
  /** As universe.json and repo files for DC/OS >= 1.10 hold it (filled in from the work results). */
  raw: Piece;
  /** As repo files for DC/OS < 1.10 hold it (the same Piece when nothing changes). */
  legacy: Piece;
  /** Its gzip block: consecutive revisions of the package that are in the same files. */
  block: number;
}

/** A block deflated, per form: CRC-32 and length of its bytes, segment on its own and after the previous block. */
interface BlockForm {
  piece: { length: number; crc: number };
  fresh: Buffer | undefined;
  chained: Buffer | undefined;
}

interface Block {
  raw: BlockForm;
  legacy: BlockForm;
  /** The package's previous block (whose bytes precede a chained segment). */
  previous: number | undefined;
}

/** Where the members of a generated package come from, to point diagnostics at the right file. */
type FileKey = 'resource' | 'config' | 'command';

interface Serialized {
  included: boolean[];
  raw: TextParts;
  /** Undefined when the legacy form is the raw form (or the revision is in no legacy file). */
  legacy: TextParts | undefined;
  /** Members taken from resource.json, config.json, command.json (not from package.json). */
  fromFile: Set<FileKey>;
  /** Where config.json's text sits in each form (see WorkItem.config), when the one-pass path knows it. */
  config?: WorkItem['config'];
}

const VERSION_COUNT = BUILD_DCOS_VERSIONS.length;
const LAST_LEGACY = BUILD_DCOS_VERSIONS.indexOf('1.9');
const LAST_V4 = BUILD_DCOS_VERSIONS.indexOf('1.11');
const LAST = VERSION_COUNT - 1;
const NO_PIECE: Piece = { bytes: Buffer.alloc(0), crc: 0 };

export async function buildUniverse(packagesDir: string, options: BuildOptions = {}): Promise<BuildOutput> {
  const gzip = options.gzip !== false;
  const diagnostics: Diagnostic[] = [];
  const refs = listRevisions(packagesDir, diagnostics);
  // Started first: the worker loads the schema validators while the packages are read.
  const pipeline: Pipeline = options.check === 'local' ? new LocalPipeline() : new WorkerPipeline(options.writer === true);
  let writer: FileWriter | undefined;
  try {
    const built: BuiltRevision[] = [];
    const origins: { ref: RevisionRef; fromFile: Set<FileKey> }[] = [];
    let previous: BuiltRevision | undefined;
    let blocks = 0;
    let blockVariants: WorkItem['variants'] = { raw: { fresh: true, chained: false }, legacy: { fresh: false, chained: false } };
    const blockPrevious: (number | undefined)[] = [];
    let failed = diagnostics.length > 0;
    for (const ref of refs) {
      const source = readRevision(ref, diagnostics);
      const s = source === undefined ? undefined : serializeRevision(source, options.treeOnly === true, diagnostics);
      if (source === undefined || s === undefined) {
        failed = true;
        previous = undefined;
        continue;
      }
      const prev = previous?.name === source.name ? previous : undefined;
      const newBlock = !(prev !== undefined && sameFiles(prev.included, s.included));
      if (newBlock) {
        blockVariants = variantsFor(s.included, prev?.included);
        blockPrevious.push(prev?.block);
      }
      const rev: BuiltRevision = {
        id: built.length,
        name: source.name,
        previous: prev,
        included: s.included,
        raw: NO_PIECE,
        legacy: NO_PIECE,
        block: newBlock ? blocks++ : (prev as BuiltRevision).block,
      };
      // Each form is checked once against each schema it meets.
      const legacyFormats: RepoFormat[] = s.included[LAST_LEGACY] ? ['v3'] : [];
      const rawFormats: RepoFormat[] = [];
      if (s.included[LAST]) rawFormats.push('v5');
      if (s.included[LAST_V4]) rawFormats.push('v4');
      if (s.legacy === undefined) rawFormats.push(...legacyFormats);
      const item: Submission = { id: rev.id, raw: s.raw, rawFormats, legacyFormats, block: gzip && !failed ? rev.block : -1, blockLegacy: s.included[LAST_LEGACY] === true, variants: blockVariants };
      if (s.legacy !== undefined) item.legacy = s.legacy;
      if (s.config !== undefined) item.config = s.config;
      pipeline.submit(item);
      built.push(rev);
      origins.push({ ref, fromFile: s.fromFile });
      previous = rev;
    }
    failed ||= diagnostics.some((d) => d.severity === 'error');
    if (failed) throw new BuildError(diagnostics);
    const { results, blocks: deflated, failed: refused, writer: kept } = await pipeline.finish();
    writer = kept;
    for (const rev of built) {
      const r = results[rev.id] as Done;
      rev.raw = { bytes: r.raw, crc: r.rawCrc };
      rev.legacy = r.legacy === undefined ? rev.raw : { bytes: r.legacy, crc: r.legacyCrc as number };
    }
    explainRefusals(refused, built, origins, diagnostics);
    if (diagnostics.some((d) => d.severity === 'error')) throw new BuildError(diagnostics);
    const form = (f: BlockSegment): BlockForm => ({
      piece: { length: f.length, crc: f.crc },
      fresh: f.fresh === undefined ? undefined : asBuffer(f.fresh),
      chained: f.chained === undefined ? undefined : asBuffer(f.chained),
    });
    const blockPieces = gzip
      ? deflated.map((b): Block => {
          const raw = form(b.raw);
          let legacy = raw;
          if (b.legacy !== undefined) {
            legacy = form(b.legacy);
            // Same bytes, other dictionary: the fresh segment is the raw one.
            if (b.legacy.sameBytes) legacy.fresh = raw.fresh;
          }
          return { raw, legacy, previous: blockPrevious[b.block] };
        })
      : [];
    const output = assemble(built, blockPieces, gzip);
    output.warnings = diagnostics;
    if (writer !== undefined) output.writer = writer;
    writer = undefined;
    return output;
  } finally {
    writer?.close();
    pipeline.cancel();
  }
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** One diagnostic per problem of a revision, naming every repo schema that refuses it. */
function explainRefusals(refused: FailedCheck[], built: BuiltRevision[], origins: { ref: RevisionRef; fromFile: Set<FileKey> }[], diagnostics: Diagnostic[]): void {
  const grouped = new Map<number, Map<string, { pointer: string; message: string; formats: string[] }>>();
  const sources = new Map<number, SourceRevision | undefined>();
  // The texts are read again for positions: a refused package is the exception.
  const sourceOf = (id: number): SourceRevision | undefined => {
    if (!sources.has(id)) sources.set(id, readRevision((origins[id] as { ref: RevisionRef }).ref, []));
    return sources.get(id);
  };
  for (const f of refused) {
    const source = sourceOf(f.id);
    const fromFile = (origins[f.id] as { fromFile: Set<FileKey> }).fromFile;
    if (source === undefined) continue;
    if (f.format === 'json') {
      diagnostics.push(sourceDiagnostic(source, fromFile, '', 'json-number', 'a number is out of the range of a double: the Universe build would write it as Infinity or NaN, which is not JSON'));
      continue;
    }
    const rev = built[f.id] as BuiltRevision;
    const form = f.form === 'legacy' ? rev.legacy : rev.raw;
    let byProblem = grouped.get(f.id);
    if (byProblem === undefined) grouped.set(f.id, (byProblem = new Map()));
    const problems = explainPackage(f.format, JSON.parse(form.bytes.toString('latin1')));
    if (problems.length === 0) problems.push({ pointer: '', message: 'the package does not validate' });
    for (const p of problems) {
      const key = `${p.pointer}\n${p.message}`;
      const g = byProblem.get(key) ?? { ...p, formats: [] };
      byProblem.set(key, g);
      g.formats.push(f.form === 'legacy' ? `${f.format} (as downgraded for DC/OS < 1.10)` : f.format);
    }
  }
  for (const [id, byProblem] of grouped) {
    const source = sourceOf(id) as SourceRevision;
    const fromFile = (origins[id] as { fromFile: Set<FileKey> }).fromFile;
    for (const g of byProblem.values()) {
      const schemas = `repo schema${g.formats.length > 1 ? 's' : ''} ${g.formats.join(', ')}`;
      diagnostics.push(sourceDiagnostic(source, fromFile, g.pointer, 'repo-schema', `${g.message} (${schemas})`));
    }
  }
}

/** The Python json text of a revision's package, raw and (when different) legacy. */
function serializeRevision(source: SourceRevision, treeOnly: boolean, diagnostics: Diagnostic[]): Serialized | undefined {
  const fail = (e: unknown, fromFile: Set<FileKey>): undefined => {
    if (!(e instanceof GenUniverseError || e instanceof PythonJsonError)) throw e;
    const pointer = e instanceof GenUniverseError ? e.pointer : '';
    diagnostics.push(sourceDiagnostic(source, fromFile, pointer, e instanceof GenUniverseError ? 'gen-universe' : 'json-number', e.message));
    return undefined;
  };
  let included: boolean[];
  try {
    included = inclusion(source.package.value);
  } catch (e) {
    return fail(e, new Set());
  }
  if (!treeOnly) {
    const fast = fastSerialize(source, included);
    if (fast !== undefined) return fast;
  }
  // The tree path: every file parsed (reporting syntax errors and duplicate keys), gen_universe.py's steps on the tree.
  const parse = (f: SourceFile | undefined): { value: JsonValue } | undefined | null => {
    if (f === undefined) return undefined;
    return parseSourceFile(f, diagnostics) ?? null;
  };
  const resource = parse(source.resource);
  const config = parse(source.config);
  const command = parse(source.command);
  if (resource === null || config === null || command === null) return undefined;
  const fromFile = new Set<FileKey>();
  if (pyTruthy(resource?.value)) fromFile.add('resource');
  if (pyTruthy(config?.value)) fromFile.add('config');
  if (pyTruthy(command?.value)) fromFile.add('command');
  try {
    const pkg = generatePackage({
      releaseVersion: source.releaseVersion,
      package: source.package.value,
      resource: resource?.value,
      marathonTemplate: source.template === undefined ? undefined : source.template.bytes.toString('base64'),
      config: config?.value,
      command: command?.value,
    });
    const raw = pyDumps(pkg);
    let legacy: string | undefined;
    if (included[LAST_LEGACY]) {
      const l = legacyPackage(pkg);
      if (l !== pkg) legacy = pyDumps(l);
    }
    return { included, raw, legacy, fromFile };
  } catch (e) {
    return fail(e, fromFile);
  }
}

/** In which repo files a package is, by its minDcosReleaseVersion (the same few values recur). */
const inclusionCache = new Map<string, boolean[]>();

function inclusion(pkg: JsonObject): boolean[] {
  // '' stands for "absent" (an empty string itself is refused by includedIn before caching).
  const min = pkg.has('minDcosReleaseVersion') ? pkg.get('minDcosReleaseVersion') : '';
  if (typeof min !== 'string' || inclusionCache.size > 1000) return BUILD_DCOS_VERSIONS.map((v) => includedIn(pkg, v));
  let out = inclusionCache.get(min);
  if (out === undefined) {
    out = BUILD_DCOS_VERSIONS.map((v) => includedIn(pkg, v));
    inclusionCache.set(min, out);
  }
  return out;
}

const GENERATED_KEYS = ['releaseVersion', 'resource', 'marathon', 'config', 'command'];

/**
 * The one-pass path for the usual revision: package.json has none of the generated keys, the
 * other files transcode cleanly, and the legacy escaping has nothing to change. Gives
 * undefined (take the tree path) otherwise; the output is the tree path's, byte for byte.
 */
function fastSerialize(source: SourceRevision, included: boolean[]): Serialized | undefined {
  const pkg = source.package.value;
  for (const k of GENERATED_KEYS) if (pkg.has(k)) return undefined;
  const fromFile = new Set<FileKey>();
  // In parts: the texts are copied once, into the batch buffer (a concatenated string would
  // first be flattened, a copy of its own).
  const tail: string[] = [];
  let tailLength = 0;
  const push = (part: string): void => {
    tail.push(part);
    tailLength += part.length;
  };
  push(`"releaseVersion": ${source.releaseVersion}`);
  let configInTail: { at: number; length: number } | undefined;
  const member = (key: FileKey, f: SourceFile | undefined): boolean => {
    if (f === undefined) return true;
    const text = transcodedText(f.text);
    if (text === undefined) return false;
    if (pyTruthyText(text)) {
      fromFile.add(key);
      push(`, "${key}": `);
      if (key === 'config') configInTail = { at: tailLength, length: text.length };
      push(text);
    }
    return true;
  };
  if (!member('resource', source.resource)) return undefined;
  const template = source.template?.bytes;
  if (template !== undefined && template.length > 0) {
    push(', "marathon": {"v2AppMustacheTemplate": "');
    push(template.toString('base64'));
    push('"}');
  }
  if (!member('config', source.config) || !member('command', source.command)) return undefined;
  let members: string;
  try {
    members = pyMembers(pkg);
  } catch {
    return undefined;
  }
  const rawHead = members === '' ? '{' : `{${members}, `;
  const raw = [rawHead, ...tail, '}'];
  let legacyHead: string | undefined;
  if (included[LAST_LEGACY]) {
    if (fromFile.has('config') && !configEscapeIsNoop((source.config as SourceFile).text)) return undefined;
    const pv = pkg.get('packagingVersion');
    if (pv !== '2.0' && pv !== '3.0') {
      if (pv === undefined) return undefined; // appended after the generated keys: left to the tree path
      const down: JsonObject = new Map(pkg);
      down.delete('upgradesFrom');
      down.delete('downgradesTo');
      down.set('packagingVersion', '3.0');
      legacyHead = `{${pyMembers(down)}, `;
    }
  }
  const out: Serialized = { included, raw, legacy: legacyHead === undefined ? undefined : [legacyHead, ...tail, '}'], fromFile };
  if (configInTail !== undefined) {
    out.config = { raw: rawHead.length + configInTail.at, length: configInTail.length };
    if (legacyHead !== undefined) out.config.legacy = legacyHead.length + configInTail.at;
  }
  return out;
}

/**
 * Results by file text: revisions that did not change config.json or resource.json (most new
 * revisions of a package) share them. Bounded; an all-distinct repository only pays the lookups.
 */
const transcoded = new TextMap<string | null>(1024);
const escapeNoops = new TextMap<boolean>(1024);

function transcodedText(text: string): string | undefined {
  let out = transcoded.get(text);
  if (out === undefined) transcoded.set(text, (out = transcodeToPython(text) ?? null));
  return out ?? undefined;
}

function configEscapeIsNoop(text: string): boolean {
  let out = escapeNoops.get(text);
  if (out === undefined) escapeNoops.set(text, (out = escapeIsNoop(JSON.parse(text) as unknown)));
  return out;
}

/** The members of an object as Python writes them, without the braces. */
function pyMembers(o: JsonObject): string {
  const text = pyDumps(o);
  return text === '{}' ? '' : text.slice(1, -1);
}

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

function isPlainObject(v: unknown): v is { [key: string]: Plain } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * True when json_escape_compatibility would neither change nor fail on this config (read with
 * JSON.parse: duplicate keys resolve as in Python). False means "not sure": the tree path decides.
 */
function escapeIsNoop(config: unknown): boolean {
  if (!isPlainObject(config)) return false;
  if (!Object.hasOwn(config, 'properties')) return true;
  return propertiesAreNoop(config.properties);
}

function propertiesAreNoop(properties: Plain | undefined): boolean {
  if (!isPlainObject(properties)) return false;
  for (const key of Object.keys(properties)) {
    const v = properties[key];
    if (!isPlainObject(v)) return false;
    if (Object.hasOwn(v, 'description') && (typeof v.description !== 'string' || v.description.includes('"'))) return false;
    if (Object.hasOwn(v, 'type')) {
      if (v.type === 'string' && Object.hasOwn(v, 'default')) {
        if (typeof v.default !== 'string' || v.default.includes('"')) return false;
      } else if (v.type === 'object' && Object.hasOwn(v, 'properties')) {
        if (!propertiesAreNoop(v.properties)) return false;
      }
    }
  }
  return true;
}

/** A diagnostic at `pointer` of the generated package, placed in the source file that holds it. */
function sourceDiagnostic(source: SourceRevision, fromFile: Set<FileKey>, pointer: string, rule: string, message: string): Diagnostic {
  const tokens = pointerTokens(pointer);
  const top = tokens[0];
  if (top === 'marathon' && source.template !== undefined) {
    return diagnostic({ file: source.template.file, rule, message, pointer: null });
  }
  if (top === 'releaseVersion') return diagnostic({ file: source.dir, rule, message, pointer: null });
  let file: SourceFile = source.package;
  let inner = pointer;
  if ((top === 'config' || top === 'resource' || top === 'command') && fromFile.has(top)) {
    file = source[top] as SourceFile;
    inner = pointerFromTokens(tokens.slice(1));
  }
  const at = locatePointer(file.text, inner);
  return diagnostic({ file: file.file, rule, message, pointer: inner, line: at?.line ?? null, column: at?.column ?? null });
}

/** The form of a revision in a file for version index `vi` (-1: universe.json). */
function formOf(rev: BuiltRevision, vi: number): Piece {
  return vi >= 0 && vi <= LAST_LEGACY ? rev.legacy : rev.raw;
}

/**
 * The segments a new block needs, from the files it is in and the files its package's
 * previous block is in: after that block where both are, on its own elsewhere.
 */
function variantsFor(included: boolean[], previous: boolean[] | undefined): WorkItem['variants'] {
  const out = { raw: { fresh: false, chained: false }, legacy: { fresh: false, chained: false } };
  const isIn = (inc: boolean[], vi: number): boolean => vi < 0 || (inc[vi] as boolean);
  for (let vi = -1; vi < VERSION_COUNT; vi++) {
    if (!isIn(included, vi)) continue;
    const v = vi >= 0 && vi <= LAST_LEGACY ? out.legacy : out.raw;
    if (previous !== undefined && isIn(previous, vi)) v.chained = true;
    else v.fresh = true;
  }
  return out;
}

/** Whether two revisions are in the same repo files. */
function sameFiles(a: boolean[], b: boolean[]): boolean {
  return a === b || a.every((x, i) => x === b[i]);
}

const PREFIX_SEGMENT = deflateSegmentSync(PREFIX.bytes);
const SEPARATOR_SEGMENT = deflateSegmentSync(SEPARATOR.bytes);
const SUFFIX_SEGMENT = deflateSegmentSync(SUFFIX.bytes);
const PREFIX_PIECE = { length: PREFIX.bytes.length, crc: PREFIX.crc };
const SEPARATOR_PIECE = { length: SEPARATOR.bytes.length, crc: SEPARATOR.crc };
const SUFFIX_PIECE = { length: SUFFIX.bytes.length, crc: SUFFIX.crc };

function assemble(built: BuiltRevision[], blocks: Block[], gzip: boolean): BuildOutput {
  const files = new Map<string, OutputFile>();
  // Files listing the same pieces in the same order have the same bytes (and gzip copy).
  const pieceIds = new Map<Piece, number>();
  const byContent = new Map<string, OutputFile>();
  const add = (path: string, revs: BuiltRevision[], vi: number, format: RepoFormat): void => {
    const key = revs
      .map((r) => {
        const p = formOf(r, vi);
        let id = pieceIds.get(p);
        if (id === undefined) pieceIds.set(p, (id = pieceIds.size));
        return id;
      })
      .join(',');
    const first = byContent.get(key);
    if (first !== undefined) {
      files.set(path, { path, parts: first.parts, size: first.size, mediaType: repoContentType(format), gzip: first.gzip, sameAs: first.path });
      return;
    }
    const parts: Buffer[] = [PREFIX.bytes];
    let size = PREFIX.bytes.length + SUFFIX.bytes.length;
    revs.forEach((r, i) => {
      if (i > 0) {
        parts.push(SEPARATOR.bytes);
        size += SEPARATOR.bytes.length;
      }
      const p = formOf(r, vi);
      parts.push(p.bytes);
      size += p.bytes.length;
    });
    parts.push(SUFFIX.bytes);
    const file: OutputFile = { path, parts, size, mediaType: repoContentType(format) };
    files.set(path, file);
    byContent.set(key, file);
    if (!gzip) return;
    // A file holds whole blocks: one segment per block, separators between them.
    const placed: PlacedPiece[] = [{ piece: PREFIX_PIECE, segment: PREFIX_SEGMENT }];
    const legacyForm = vi >= 0 && vi <= LAST_LEGACY;
    for (let i = 0; i < revs.length; i++) {
      const r = revs[i] as BuiltRevision;
      if (i > 0 && r.block === (revs[i - 1] as BuiltRevision).block) continue;
      if (i > 0) placed.push({ piece: SEPARATOR_PIECE, segment: SEPARATOR_SEGMENT });
      const block = blocks[r.block] as Block;
      const f = legacyForm ? block.legacy : block.raw;
      const afterPrevious = i > 0 && block.previous !== undefined && (revs[i - 1] as BuiltRevision).block === block.previous;
      const segment = afterPrevious ? f.chained : f.fresh;
      if (segment === undefined) throw new Error(`no ${afterPrevious ? 'chained' : 'fresh'} segment for block ${r.block}`);
      placed.push({ piece: f.piece, segment });
    }
    placed.push({ piece: SUFFIX_PIECE, segment: SUFFIX_SEGMENT });
    const gz = assembleGzip(placed);
    if (gz.size < size) file.gzip = { parts: gz.buffers, size: gz.size };
  };
  const text = (path: string, content: string, mediaType: string): void => {
    const bytes = Buffer.from(content, 'latin1');
    files.set(path, { path, parts: [bytes], size: bytes.length, mediaType });
  };

  add(UNIVERSE_FILE, built, -1, 'v5');
  text(contentTypeFileOf(UNIVERSE_FILE), repoContentType('v5'), 'text/plain; charset=utf-8');
  text(EMPTY_REPO_FILE, '{"packages": []}', repoContentType('v3'));
  text(contentTypeFileOf(EMPTY_REPO_FILE), repoContentType('v3'), 'text/plain; charset=utf-8');
  const directories: string[] = [];
  BUILD_DCOS_VERSIONS.forEach((v, vi) => {
    const format = repoFormatFor(v);
    add(repoFile(v), built.filter((r) => r.included[vi]), vi, format);
    text(contentTypeFileOf(repoFile(v)), repoContentType(format), 'text/plain; charset=utf-8');
    directories.push(v, `${v}/package`);
  });
  BUILD_DCOS_VERSIONS.forEach((v, vi) => {
    const format = repoFormatFor(v);
    const byName = new Map<string, BuiltRevision[]>();
    for (const r of built) {
      if (!r.included[vi]) continue;
      let list = byName.get(r.name);
      if (list === undefined) byName.set(r.name, (list = []));
      list.push(r);
    }
    for (const [name, revs] of byName) add(packageFile(v, name), revs, vi, format);
  });
  return {
    files: sortFiles(files),
    directories,
    warnings: [],
    revisions: built.length,
    packages: new Set(built.map((r) => r.name)).size,
  };
}

function sortFiles(files: Map<string, OutputFile>): Map<string, OutputFile> {
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
