/** The project's JSON Schemas (`schemas/`) and their validators. */
export type { SchemaProblem } from './problems.js';
export {
  validateUniverseFile,
  validateUniverseRepo,
  resourceSchemaKind,
  universeFileSchemaPath,
  universeRepoSchemaPath,
  type UniverseFileKind,
  type UniverseRepoVersion,
} from './universe.js';
export { validateMarathonApp, type MarathonAppOptions, type MarathonAppReport } from './marathon.js';
export { SCHEMAS_DIR, SCHEMA_FILES, schemaFilePath, schemaTimings, type SchemaFile, type SchemaTimings } from './registry.js';
