import { InvalidArgumentError, type Command } from 'commander';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { BuildError, buildUniverse, writeBuild } from '../../build/index.js';
import { EXIT_FAILURE, EXIT_OK, runAction } from '../run.js';

interface BuildFlags {
  out: string;
  gzip: boolean;
  quiet?: boolean;
  jobs: number;
}

function parseJobs(v: string): number {
  if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError('expected a positive integer');
  return Number(v);
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('build the Universe repository index from a packages directory, as the public Universe build (gen_universe.py) writes it')
    .argument('<packages-dir>', 'the packages directory (<LETTER>/<name>/<releaseVersion>/)')
    .requiredOption('--out <dir>', 'output directory (replaced whole, only once the build succeeded)')
    .option('--no-gzip', 'do not write .gz copies')
    .option('-q, --quiet', 'print errors only')
    .option('--jobs <n>', 'threads (default 2: a worker checks, deflates and writes half of the files beside this one; 1: no worker)', parseJobs, 2)
    .action((packagesDir: string, flags: BuildFlags) => runAction(() => build(packagesDir, flags)));
}

async function build(packagesDir: string, flags: BuildFlags): Promise<number> {
  const start = performance.now();
  let output;
  try {
    output = await buildUniverse(packagesDir, flags.jobs === 1 ? { gzip: flags.gzip, check: 'local' } : { gzip: flags.gzip, writer: true });
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
    process.stderr.write(`build failed: ${errors} error${errors === 1 ? '' : 's'}; nothing written\n`);
    return EXIT_FAILURE;
  }
  for (const d of output.warnings) process.stderr.write(`${formatDiagnostic(d)}\n`);
  // writeBuild closes the build's worker, whatever happens.
  const written = await writeBuild(output, flags.out);
  if (!flags.quiet) {
    const ms = performance.now() - start;
    process.stderr.write(
      `built ${output.revisions} revisions of ${output.packages} packages into ${flags.out}: ${written.files} files, ${(written.bytes / 1e6).toFixed(1)} MB, ${ms.toFixed(0)} ms\n`,
    );
  }
  return EXIT_OK;
}
