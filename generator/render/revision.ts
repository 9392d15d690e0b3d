import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isJsonObject, type JsonObject } from '../json/value.js';
import { locatePointer, type TextPosition } from '../json/parse.js';
import { cosmosResourceView, resourceModelFor, type ResourceModel } from '../model/resource.js';
import type { PackageRevision } from '../model/revision.js';
import { renderMarathonTemplate, type RenderFailure, type RenderResult } from './cosmos.js';
import { compareDcosVersions, NEWEST_DCOS_VERSION, renderEra, type DcosVersion } from './eras.js';
import { packageLabels } from './labels.js';

export interface RenderAppSettings {
  /** The user's options (as `dcos package install --options` takes them). */
  options?: JsonObject | undefined;
  /** Where the options came from, for error messages. */
  optionsFile?: string | undefined;
  dcosVersion?: DcosVersion;
  /** Add Cosmos's DCOS_PACKAGE_* labels (default true). */
  labels?: boolean;
  /** Overrides the app's `id`, as `dcos package install --app-id`. */
  appId?: string | undefined;
  /** The repository URI recorded in DCOS_PACKAGE_SOURCE (default: file URL of the revision). */
  repoUri?: string | undefined;
  /** How resource.json reaches the template (default: Cosmos's model for the packagingVersion). */
  resourceModel?: ResourceModel | undefined;
  /** Render even when Cosmos would refuse the merged options. */
  skipOptionsCheck?: boolean;
}

/**
 * What `dcos package describe --app --render` shows for a revision: the Marathon app Cosmos
 * would submit, rendered as the chosen DC/OS version's Cosmos did.
 */
export function renderMarathonApp(revision: PackageRevision, settings: RenderAppSettings = {}): RenderResult {
  const dcosVersion = settings.dcosVersion ?? NEWEST_DCOS_VERSION;
  const minDcos = revision.package.value.get('minDcosReleaseVersion');
  if (typeof minDcos === 'string' && compareDcosVersions(minDcos, dcosVersion) > 0) {
    return {
      ok: false,
      kind: 'not_available',
      source: 'options',
      message: `the package needs DC/OS ${minDcos} or later (minDcosReleaseVersion); DC/OS ${dcosVersion} clusters do not see it`,
    };
  }
  if (revision.marathonTemplate === undefined) {
    return { ok: false, kind: 'template_missing', source: 'template', message: 'the revision has no marathon.json.mustache' };
  }
  const model = settings.resourceModel ?? resourceModelFor(revision.packagingVersion);
  const result = renderMarathonTemplate(
    {
      template: revision.marathonTemplate.text,
      config: revision.config?.value,
      options: settings.options,
      resource: revision.resource === undefined ? undefined : cosmosResourceView(revision.resource.value, model),
    },
    renderEra(dcosVersion),
    { skipOptionsValidation: settings.skipOptionsCheck === true },
  );
  if (!result.ok) return result;
  if (settings.labels === false && settings.appId === undefined) return result;
  // Cosmos merges its labels and the app id into the app; the template's key order stays.
  const app: JsonObject = new Map(result.app);
  if (settings.labels !== false) {
    const existing = result.app.get('labels');
    const labels: JsonObject = new Map(isJsonObject(existing) ? existing : []);
    const repoUri = settings.repoUri ?? pathToFileURL(path.resolve(revision.dir)).href;
    for (const [k, v] of packageLabels(revision, { repoUri, options: settings.options })) labels.set(k, v);
    app.set('labels', labels);
  }
  if (settings.appId !== undefined) app.set('id', settings.appId);
  return { ...result, app };
}

/** A render failure as one Diagnostic: the file to look at and the place in it, when known. */
export function renderFailureDiagnostic(revision: PackageRevision, failure: RenderFailure, settings: Pick<RenderAppSettings, 'optionsFile' | 'dcosVersion'> = {}): Diagnostic {
  const templateFile = revision.marathonTemplate?.path ?? path.join(revision.dir, 'marathon.json.mustache');
  const era = settings.dcosVersion && settings.dcosVersion !== NEWEST_DCOS_VERSION ? ` (DC/OS ${settings.dcosVersion})` : '';
  const rule = `render-${failure.kind.replace(/_/g, '-')}`;
  switch (failure.source) {
    case 'template':
      return diagnostic({ file: templateFile, rule, message: failure.message + era, line: failure.line ?? null, column: failure.column ?? null });
    case 'options':
      return optionsDiagnostic(revision, failure, rule, failure.message + era, settings.optionsFile);
    case 'output':
      return diagnostic({ file: templateFile, rule, message: withRenderedLine(failure) + era, pointer: failure.pointer ?? null });
  }
}

/**
 * Options problems point into the options file when one was given, else at the keyword of
 * config.json that refuses the defaults.
 */
function optionsDiagnostic(revision: PackageRevision, failure: RenderFailure, rule: string, message: string, optionsFile: string | undefined): Diagnostic {
  const problem = failure.problems?.[0];
  if (failure.kind === 'not_available') {
    const at = locatePointer(revision.package.text, '/minDcosReleaseVersion');
    return diagnostic({ file: revision.package.path, rule, message, pointer: '/minDcosReleaseVersion', line: at?.line ?? null, column: at?.column ?? null });
  }
  if (optionsFile !== undefined) {
    let at: TextPosition | undefined;
    try {
      at = locatePointer(fs.readFileSync(optionsFile, 'utf8'), problem?.pointer ?? '');
    } catch {
      at = undefined;
    }
    return diagnostic({ file: optionsFile, rule, message, pointer: problem?.pointer ?? '', line: at?.line ?? null, column: at?.column ?? null });
  }
  const config = revision.config;
  if (config === undefined) return diagnostic({ file: path.join(revision.dir, 'config.json'), rule, message });
  const pointer = problem?.schemaPointer ?? '';
  const at = locatePointer(config.text, pointer);
  return diagnostic({ file: config.path, rule, message, pointer, line: at?.line ?? null, column: at?.column ?? null });
}

/** The failure's message, with the rendered line it points at when it points into the output. */
export function withRenderedLine(failure: RenderFailure): string {
  if (failure.source !== 'output' || failure.line === undefined || failure.text === undefined) return failure.message;
  const lineText = failure.text.split('\n')[failure.line - 1] ?? '';
  return `${failure.message} (rendered line ${failure.line}, column ${failure.column ?? 1}: ${JSON.stringify(excerpt(lineText, (failure.column ?? 1) - 1))})`;
}

function excerpt(line: string, at: number): string {
  const start = Math.max(0, at - 40);
  return (start > 0 ? '...' : '') + line.slice(start, at + 40).trim() + (at + 40 < line.length ? '...' : '');
}
