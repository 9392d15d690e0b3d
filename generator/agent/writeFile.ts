import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `file` through a temporary file in the same directory and a rename: readers see the
 * old file or the new one, never a part. The mode is set explicitly, so the umask does not
 * matter; on failure the temporary file is removed and `file` is untouched.
 */
export function writeFileAtomic(file: string, data: Buffer | string, mode: number): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    fs.writeFileSync(fd, data);
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
