/** The Universe build (gen_universe.py's output, byte for byte) and its writer. */
export {
  buildUniverse,
  BuildError,
  UNIVERSE_FILE,
  EMPTY_REPO_FILE,
  repoFile,
  packageFile,
  contentTypeFileOf,
  type BuildOptions,
  type BuildOutput,
  type OutputFile,
  type OutputBody,
} from './build.js';
export { writeBuild, type WriteResult } from './write.js';
export {
  BUILD_DCOS_VERSIONS,
  REPO_MEDIA_TYPE,
  repoContentType,
  repoFormatFor,
  isLegacyVersion,
  type BuildDcosVersion,
  type RepoFormat,
} from './gen.js';
export { pyDumps, pyQuote, pyFloatRepr, pyNumber } from './pyjson.js';
export { compareLooseVersions, looseVersion } from './looseVersion.js';
