/**
 * Where this package is installed: the directory above this module whose package.json is
 * ecr-universe's. Found the same way from the TypeScript sources, from dist/ and from the
 * bundles of dist/cli/ (tools/bundle.mjs), where every module's `import.meta.url` is the
 * bundle's; files of the package (schemas/, package-template/, dist/precompiled/, worker
 * modules) are located from it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'ecr-universe';

export const PACKAGE_ROOT: string = (() => {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; ) {
    // Every command starts here: a directory without package.json is seen without a thrown
    // error (whose stack costs a few milliseconds at each start).
    const manifestFile = path.join(dir, 'package.json');
    if (fs.existsSync(manifestFile)) {
      try {
        const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { name?: unknown };
        if (manifest.name === PACKAGE_NAME) return dir;
      } catch {
        // Not readable, or not JSON: look further up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${start}`);
    dir = parent;
  }
})();

/** True when running from the TypeScript sources (under tsx), false from dist/. */
export const FROM_SOURCES = import.meta.url.endsWith('.ts');
