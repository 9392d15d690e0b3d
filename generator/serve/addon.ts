/**
 * The optional native addons of `serve` (binding.gyp), built by `npm install` when a compiler is
 * there; each has a fallback in plain node, and an environment variable that turns it off.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../packageRoot.js';

/** The addon `build/Release/<name>.node`, or undefined when it is not built or `disabledBy` is set. */
export function loadAddon<T>(name: 'zerocopy' | 'reuseport', disabledBy: string): T | undefined {
  if (process.env[disabledBy]) return undefined;
  try {
    return createRequire(import.meta.url)(path.join(PACKAGE_ROOT, 'build', 'Release', `${name}.node`)) as T;
  } catch {
    return undefined;
  }
}
