/**
 * Worker thread of `validate` (see pool.ts): runs the content checks (config.json compiled
 * as a schema, renders per DC/OS version, the Marathon app) of the inputs it is sent.
 */
import { parentPort } from 'node:worker_threads';
import { checkContent, type ContentInput, type PackageFacts } from './checks/content.js';
import type { Finding } from './findings.js';
import type { DcosVersion } from '../render/eras.js';

/** A content input as texts: each side parses them again (cached by text). */
export interface ContentJob {
  id: number;
  key: string;
  config: string | undefined;
  resource: string | undefined;
  template: string | undefined;
  packagingVersion: string | undefined;
  dcosVersions: DcosVersion[];
  package: PackageFacts | undefined;
}

export type ContentReply = { id: number; findings: Finding[] } | { id: number; error: string };

export function jobInput(job: ContentJob): ContentInput {
  const text = (t: string | undefined): { text: string } | undefined => (t === undefined ? undefined : { text: t });
  return {
    config: text(job.config),
    resource: text(job.resource),
    template: text(job.template),
    packagingVersion: job.packagingVersion,
    dcosVersions: job.dcosVersions,
    package: job.package,
  };
}

const port = parentPort;
if (port !== null) {
  port.on('message', (job: ContentJob) => {
    let reply: ContentReply;
    try {
      reply = { id: job.id, findings: checkContent(jobInput(job), job.key) };
    } catch (e) {
      reply = { id: job.id, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}
