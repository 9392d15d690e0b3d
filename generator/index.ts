/**
 * ecr-universe as a library: the typed model of a Universe package revision, the Cosmos-exact
 * render engine and the Diagnostic shape every check reports with.
 */
export * from './json/index.js';
export * from './diagnostics/diagnostic.js';
export { loadRevision, readJsonFile, isPackagingVersion, PACKAGING_VERSIONS, REVISION_FILES } from './model/revision.js';
export type { PackageRevision, PackagingVersion, RevisionJsonFile, RevisionTextFile } from './model/revision.js';
export { cosmosResourceView, resourceModelFor, type ResourceModel } from './model/resource.js';
export { readOptionsFile } from './load/options.js';
export { DCOS_VERSIONS, NEWEST_DCOS_VERSION, renderEra, isDcosVersion, compareDcosVersions } from './render/eras.js';
export type { DcosVersion, RenderEra } from './render/eras.js';
export { renderMarathonTemplate, formatProblem } from './render/cosmos.js';
export type { RenderResult, RenderSuccess, RenderFailure, RenderFailureKind, TemplateInputs } from './render/cosmos.js';
export { renderMarathonApp, renderFailureDiagnostic, type RenderAppSettings } from './render/revision.js';
export { extractDefaults, mergeJsonObjects, universeEscapeConfig } from './render/context.js';
export { validateOptions, compileConfigSchema, type OptionsProblem } from './render/options.js';
export { compileTemplate } from './render/mustache/parse.js';
export { templateNames, TemplateCompileError, type TemplateNode, type NameUse } from './render/mustache/ast.js';
export { packageLabels, PACKAGE_LABELS } from './render/labels.js';
export * as agent from './agent/index.js';
export { loadProjectConfig, type ProjectConfig, type Release } from './load/projectConfig.js';
export { generate, checkGenerated, type GenerateOptions } from './generate/index.js';
export { validateUniverseFile, validateUniverseRepo, validateMarathonApp, type SchemaProblem } from './schemas/index.js';
