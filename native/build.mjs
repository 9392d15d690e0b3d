// Builds the optional addons of `serve` (native/zerocopy.c: bodies sent with sendfile;
// native/reuseport.c: a socket of its own for each --workers process) with the node-gyp that
// npm brings; run by `npm install` / `npm ci`. Without them (no compiler, not Linux) `serve`
// copies bodies as node:net does and its processes share one socket through node:cluster, and
// nothing else changes: a failed build is a warning, not an error.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

if (process.platform !== 'linux') {
  console.warn('ecr-universe: the serve addons are Linux-only; serve copies response bodies and its --workers share one socket');
  process.exit(0);
}
let gyp = process.env.npm_config_node_gyp;
if (!gyp) {
  try {
    gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    gyp = undefined;
  }
}
const r = gyp ? spawnSync(process.execPath, [gyp, 'rebuild'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' }) : undefined;
if (r === undefined || r.status !== 0) {
  console.warn(`ecr-universe: the serve addons were not built (${r === undefined ? 'node-gyp not found' : (r.stderr || '').trim().split('\n').slice(-3).join(' | ')}); serve copies response bodies and its --workers share one socket`);
}
