/**
 * Writing a build to disk without ever leaving half of one: everything goes into a staging
 * directory beside the output directory, which then takes the output's place by rename. A
 * failure before that leaves the previous output as it was.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnostic, DiagnosticError } from '../diagnostics/diagnostic.js';
import { UNIVERSE_FILE, type BuildOutput, type OutputBody, type OutputFile } from './build.js';

export interface WriteResult {
  files: number;
  bytes: number;
}

/** Writes `output` as the directory `outDir`, replacing a previous build there. */
export async function writeBuild(output: BuildOutput, outDir: string): Promise<WriteResult> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  checkReplaceable(target);
  await fs.promises.mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = path.join(parent, `.${base}.staging-${tag}`);
  let result: WriteResult;
  try {
    result = writeTree(output, staging);
  } catch (e) {
    await fs.promises.rm(staging, { recursive: true, force: true });
    throw e;
  }
  const old = path.join(parent, `.${base}.previous-${tag}`);
  let moved = false;
  try {
    if (fs.existsSync(target)) {
      await fs.promises.rename(target, old);
      moved = true;
    }
    await fs.promises.rename(staging, target);
  } catch (e) {
    if (moved) await fs.promises.rename(old, target).catch(() => undefined);
    await fs.promises.rm(staging, { recursive: true, force: true });
    throw e;
  }
  if (moved) await fs.promises.rm(old, { recursive: true, force: true });
  return result;
}

/** Refuses to replace anything but a directory that is empty or holds a previous build. */
function checkReplaceable(target: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return;
  }
  const refuse = (message: string): never => {
    throw new DiagnosticError(diagnostic({ file: target, rule: 'build-output', message }));
  };
  if (!stat.isDirectory()) refuse('the output path exists and is not a directory');
  const entries = fs.readdirSync(target);
  if (entries.length > 0 && !entries.includes(UNIVERSE_FILE)) {
    refuse(`the output directory is not empty and holds no ${UNIVERSE_FILE}: it does not look like a previous build, so it is left alone`);
  }
}

/**
 * Writes the files one after another on this thread: measured against eight at a time through
 * libuv's thread pool, as fast (some 0.17 s for the 110 MB of 1,235 revisions) for 40 % less
 * CPU, which the thread pool spent waking its threads.
 */
function writeTree(output: BuildOutput, dir: string): WriteResult {
  fs.mkdirSync(dir);
  for (const d of output.directories) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const made = new Set(output.directories);
  let files = 0;
  let bytes = 0;
  const links: OutputFile[] = [];
  for (const file of output.files.values()) {
    const sub = path.posix.dirname(file.path);
    if (sub !== '.' && !made.has(sub)) {
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
      made.add(sub);
    }
    files += file.gzip === undefined ? 1 : 2;
    bytes += file.size + (file.gzip?.size ?? 0);
    if (file.sameAs !== undefined) {
      links.push(file);
      continue;
    }
    const target = path.join(dir, file.path);
    writeBody(target, file);
    if (file.gzip !== undefined) writeBody(`${target}.gz`, file.gzip);
  }
  // Identical bytes: a hard link to the file written first (a copy where links fail).
  for (const file of links) {
    const source = path.join(dir, file.sameAs as string);
    const target = path.join(dir, file.path);
    linkOrWrite(source, target, file);
    if (file.gzip !== undefined) linkOrWrite(`${source}.gz`, `${target}.gz`, file.gzip);
  }
  return { files, bytes };
}

function linkOrWrite(source: string, target: string, body: OutputBody): void {
  try {
    fs.linkSync(source, target);
  } catch {
    writeBody(target, body);
  }
}

function writeBody(file: string, body: OutputBody): void {
  const fd = fs.openSync(file, 'w', 0o644);
  try {
    let buffers = body.parts;
    let left = body.size;
    while (left > 0) {
      const written = fs.writevSync(fd, buffers);
      left -= written;
      if (left > 0) buffers = skipBytes(buffers, written);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function skipBytes(buffers: Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = n;
  for (const b of buffers) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    out.push(skip > 0 ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
}
