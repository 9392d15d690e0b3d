/**
 * The Marathon app that runs `ecr-universe serve` on DC/OS, modelled on the public Universe
 * server's app (mesosphere/universe docker/server/marathon.json): one task per agent at most
 * (`hostname:UNIQUE`), a fixed host port so the repository URL stays known, and a health check
 * on `/repo-empty-v3.json`. Host networking without a network field works on every Marathon
 * from DC/OS 1.8 to 2.0 (no deprecated `container.docker.network`).
 */
import type { JsonObject, JsonValue } from '../json/value.js';
import { JsonNumber } from '../json/value.js';
import { PROJECT_VERSION } from '../version.js';

export interface MarathonAppSettings {
  /** Docker image with `ecr-universe` on the PATH and the build (or packages) at `dir`. */
  image: string;
  /** Host port, and the port the server listens on. */
  port: number;
  /** Where the image holds what to serve. */
  dir?: string;
  id?: string;
}

/** Tagged with this tool's version, never `latest`, so a restarted task runs the same server. */
export const DEFAULT_IMAGE = `ecr-universe/universe-server:${PROJECT_VERSION}`;
export const DEFAULT_APP_DIR = '/srv/universe';

const num = (n: number): JsonNumber => new JsonNumber(String(n));
const obj = (entries: [string, JsonValue][]): JsonObject => new Map(entries);

export function universeServerApp(settings: MarathonAppSettings): JsonObject {
  const dir = settings.dir ?? DEFAULT_APP_DIR;
  return obj([
    ['id', settings.id ?? '/ecr-universe'],
    ['instances', num(1)],
    ['cpus', num(0.5)],
    ['mem', num(256)],
    ['cmd', `exec ecr-universe serve ${shellQuote(dir)} --host 0.0.0.0 --port "$PORT0"`],
    [
      'container',
      obj([
        ['type', 'DOCKER'],
        ['docker', obj([['image', settings.image], ['forcePullImage', true]])],
        ['volumes', []],
      ]),
    ],
    ['portDefinitions', [obj([['port', num(settings.port)], ['protocol', 'tcp'], ['name', 'http']])]],
    ['requirePorts', true],
    [
      'healthChecks',
      [
        obj([
          ['protocol', 'MESOS_HTTP'],
          ['path', '/repo-empty-v3.json'],
          ['portIndex', num(0)],
          ['gracePeriodSeconds', num(120)],
          ['intervalSeconds', num(30)],
          ['timeoutSeconds', num(5)],
          ['maxConsecutiveFailures', num(3)],
        ]),
      ],
    ],
    ['constraints', [['hostname', 'UNIQUE']]],
    // A fixed host port: the replacement task cannot start beside the old one on the same agent.
    ['upgradeStrategy', obj([['minimumHealthCapacity', num(0)], ['maximumOverCapacity', num(0)]])],
  ]);
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
