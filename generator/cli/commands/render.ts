import type { Command } from 'commander';
import { Option } from 'commander';
import { DiagnosticError, formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { stringifyJson } from '../../json/stringify.js';
import type { JsonObject, JsonValue } from '../../json/value.js';
import { readOptionsFile } from '../../load/options.js';
import type { ResourceModel } from '../../model/resource.js';
import { loadRevision } from '../../model/revision.js';
import { DCOS_VERSIONS, NEWEST_DCOS_VERSION, type DcosVersion } from '../../render/eras.js';
import { renderFailureDiagnostic, renderMarathonApp, type RenderAppSettings } from '../../render/revision.js';
import { EXIT_FAILURE, EXIT_OK, parseDcosVersion, runAction, UsageError, writeStdout } from '../run.js';

interface RenderFlags {
  options?: string;
  dcosVersion: DcosVersion;
  labels: boolean;
  appId?: string;
  repoUri?: string;
  jsonl?: boolean;
  resourceModel?: ResourceModel;
  skipOptionsCheck?: boolean;
}

export function registerRender(program: Command): void {
  program
    .command('render')
    .description('render revisions\' marathon.json.mustache as DC/OS Cosmos does (dcos package describe --app --render)')
    .argument('<revision-dir...>', 'revision directories (packages/<L>/<name>/<releaseVersion>)')
    .option('--options <file>', 'install options, JSON or YAML')
    .option('--dcos-version <version>', `render as this DC/OS version's Cosmos (${DCOS_VERSIONS.join(', ')})`, parseDcosVersion, NEWEST_DCOS_VERSION)
    .option('--no-labels', 'leave out the DCOS_PACKAGE_* labels Cosmos adds')
    .option('--app-id <id>', 'override the app id, as dcos package install --app-id')
    .option('--repo-uri <uri>', 'repository URI for DCOS_PACKAGE_SOURCE (default: file URL of the revision)')
    .option('--jsonl', 'one JSON line per directory: {"dir","ok","app"} or {"dir","ok":false,"error"}')
    .addOption(new Option('--resource-model <model>', 'how resource.json reaches the template (default: Cosmos\'s model for the packagingVersion)').choices(['raw', 'v2', 'v3']))
    .option('--skip-options-check', 'render even when Cosmos would refuse the merged options')
    .action((dirs: string[], flags: RenderFlags) => runAction(() => render(dirs, flags)));
}

async function render(dirs: string[], flags: RenderFlags): Promise<number> {
  if (dirs.length > 1 && !flags.jsonl) throw new UsageError('several revision directories need --jsonl (one line per directory)');
  const options = flags.options === undefined ? undefined : readOptionsFile(flags.options);
  const settings: RenderAppSettings = {
    options,
    optionsFile: flags.options,
    dcosVersion: flags.dcosVersion,
    labels: flags.labels,
    appId: flags.appId,
    repoUri: flags.repoUri,
    resourceModel: flags.resourceModel,
    skipOptionsCheck: flags.skipOptionsCheck === true,
  };
  if (!flags.jsonl) {
    const app = renderOne(dirs[0] as string, settings);
    await writeStdout(`${stringifyJson(app, 2)}\n`);
    return EXIT_OK;
  }
  let failed = false;
  for (const dir of dirs) {
    let line: JsonObject;
    try {
      line = new Map<string, JsonValue>([['dir', dir], ['ok', true], ['app', renderOne(dir, settings)]]);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      failed = true;
      line = new Map<string, JsonValue>([
        ['dir', dir],
        ['ok', false],
        ['rule', e.diagnostic.rule],
        ['error', formatDiagnostic(e.diagnostic)],
      ]);
    }
    await writeStdout(`${stringifyJson(line)}\n`);
  }
  return failed ? EXIT_FAILURE : EXIT_OK;
}

function renderOne(dir: string, settings: RenderAppSettings): JsonObject {
  const revision = loadRevision(dir);
  const result = renderMarathonApp(revision, settings);
  if (!result.ok) throw new DiagnosticError(renderFailureDiagnostic(revision, result, settings));
  return result.app;
}

