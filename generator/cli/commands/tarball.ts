import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { CREDENTIAL_MODES, type CredentialMode } from '../../agent/constants.js';
import { checkRegistryHost, dockerConfigTarball } from '../../agent/dockerConfig.js';
import { writeFileAtomic } from '../../agent/writeFile.js';
import { diagnostic, DiagnosticError } from '../../diagnostics/diagnostic.js';
import { EXIT_OK, runAction, UsageError } from '../run.js';
import { agentArgument } from './agentArgument.js';

interface TarballFlags {
  out: string;
  mode: CredentialMode;
  registry: string[];
}

const registryHost = agentArgument(checkRegistryHost);

/** Commander collector for a repeatable registry host option: checks each host as it comes. */
export function collectRegistry(value: string, previous: string[]): string[] {
  return [...previous, registryHost(value)];
}

export function registerTarball(program: Command): void {
  program
    .command('tarball')
    .description('write the docker config tarball (.docker/config.json for the ECR credential helper) that apps fetch with "extract": true')
    .requiredOption('--out <file>', 'tarball to write, e.g. /etc/docker.tar.gz (written atomically, mode 0644)')
    .addOption(new Option('--mode <mode>', 'credsStore: every registry asks the helper; credHelpers: only the --registry hosts').choices(CREDENTIAL_MODES).default('credsStore'))
    .option('--registry <host>', 'ECR registry host for credHelpers mode (repeatable)', collectRegistry, [])
    .action((flags: TarballFlags) => runAction(() => tarball(flags)));
}

async function tarball(flags: TarballFlags): Promise<number> {
  if (flags.mode === 'credsStore' && flags.registry.length > 0) {
    throw new UsageError('--registry is only used with --mode credHelpers (credsStore sends every registry to the helper)');
  }
  const bytes = await dockerConfigTarball({ mode: flags.mode, registries: flags.registry });
  const dir = path.dirname(path.resolve(flags.out));
  if (!fs.existsSync(dir)) throw new DiagnosticError(diagnostic({ file: flags.out, rule: 'output', message: `directory ${dir} does not exist` }));
  try {
    writeFileAtomic(flags.out, bytes, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DiagnosticError(diagnostic({ file: flags.out, rule: 'output', message: `cannot write the tarball (${code ?? String(e)})` }));
  }
  return EXIT_OK;
}
