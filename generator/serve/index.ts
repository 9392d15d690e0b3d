/** The Universe server: content negotiation as Cosmos expects it, over a build held in memory. */
export { UniverseServer, DEFAULT_LIMITS, requestPath, type ServerLimits, type ServerOptions } from './server.js';
export { Site, type SiteFile } from './site.js';
export { startServer, loadSite, isBuildDirectory, type ServeSettings, type RunningServer } from './run.js';
export { dcosVersionOf, acceptedRepoFormat, acceptsGzip, parseAccept, noneMatch, NEWEST_VERSION, type MediaRange } from './negotiate.js';
export { universeServerApp, DEFAULT_IMAGE, DEFAULT_APP_DIR, type MarathonAppSettings } from './marathon.js';
