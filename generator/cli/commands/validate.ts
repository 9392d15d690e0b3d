import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DCOS_VERSIONS, type DcosVersion } from '../../render/eras.js';
import { PathError } from '../../validate/discover.js';
import { formatHuman, formatJson } from '../../validate/report.js';
import { startRun } from '../../validate/start.js';
import { EXIT_FAILURE, EXIT_OK, parseDcosVersion, runAction, UsageError, writeStdout } from '../run.js';

interface ValidateFlags {
  json?: boolean;
  warningsAsErrors?: boolean;
  dcosVersion?: DcosVersion;
  jobs?: number;
}

function jobs(v: string): number {
  if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError('expected a positive integer');
  return Number(v);
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check Universe revisions: layout, files, schemas, versions, and the Marathon app each renders to on every DC/OS version it claims')
    .argument('<path...>', 'revision directories, package directories, packages/ directories or repository roots (holding repo/packages/ or packages/)')
    .option('--json', 'print one JSON object: {"revisions", "errors", "warnings", "diagnostics": [...]}')
    .option('--warnings-as-errors', 'report every warning as an error (exit 1 when there is any)')
    .option('--dcos-version <version>', `render only as this DC/OS version's Cosmos (${DCOS_VERSIONS.join(', ')}; default: every version from minDcosReleaseVersion up)`, parseDcosVersion)
    .option('--jobs <n>', 'threads, the main one included (default: 1, one per CPU core once the revisions\' contents turn out to differ)', jobs)
    .action((paths: string[], flags: ValidateFlags) => runAction(() => validate(paths, flags)));
}

async function validate(paths: string[], flags: ValidateFlags): Promise<number> {
  let summary;
  try {
    // The files are read (on another thread) while the checks' modules load.
    const run = startRun(paths, flags.jobs);
    const { validateStarted } = await import('../../validate/pool.js');
    summary = await validateStarted(run, { dcosVersion: flags.dcosVersion, warningsAsErrors: flags.warningsAsErrors === true, jobs: flags.jobs });
  } catch (e) {
    if (e instanceof PathError) throw new UsageError(e.message);
    throw e;
  }
  await writeStdout(flags.json ? formatJson(summary) : formatHuman(summary));
  return summary.errors > 0 ? EXIT_FAILURE : EXIT_OK;
}
