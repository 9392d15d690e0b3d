/**
 * resource.json: Docker image references that parse and do not float on `latest`, absolute
 * URLs, and the Universe's own rule that a CLI needs minDcosReleaseVersion 1.8 or later.
 */
import { joinPointer } from '../../json/pointer.js';
import { isJsonObject, type JsonValue } from '../../json/value.js';
import { compareDcosVersions } from '../../render/eras.js';
import { ContentCache, textId } from '../../cache.js';
import { finding, jsonPlace, type Finding } from '../findings.js';

export interface ImageReference {
  /** Registry host (and port), when the name has one. */
  domain: string | undefined;
  path: string;
  tag: string | undefined;
  digest: string | undefined;
}

// The grammar of github.com/distribution/reference (reference.go).
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_TOTAL_LENGTH_MAX = 255;

/** A Docker image reference as `docker pull` reads it, or a reason why it is not one. */
export function parseImageReference(ref: string): ImageReference | string {
  if (ref === '') return 'is empty';
  if (ref !== ref.trim()) return 'has surrounding white space';
  const m = REFERENCE.exec(ref);
  if (m === null) {
    if (/[A-Z]/.test(ref.split(/[:@]/)[0]?.split('/').slice(-1)[0] ?? '')) return 'has upper-case letters in the repository name';
    return 'is not a valid reference ([registry/]repository[:tag][@digest], lower-case repository)';
  }
  const name = m[1] as string;
  if (name.length > NAME_TOTAL_LENGTH_MAX) return `has a repository name longer than ${NAME_TOTAL_LENGTH_MAX} characters`;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // As Docker: the first component is a registry when it has a dot or a port, or is localhost.
  const isDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  return {
    domain: isDomain ? first : undefined,
    path: isDomain ? name.slice(slash + 1) : name,
    tag: m[2],
    digest: m[3],
  };
}

/** Absolute URL: a scheme and an authority (`https://...`), or a data: URI. */
export function isAbsoluteUrl(s: string): boolean {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s) || /\s/.test(s)) return false;
  if (!URL.canParse(s)) return false;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]/.test(s) || /^data:/i.test(s) || /^file:\/\//i.test(s);
}

export interface ResourceFile {
  text: string;
  value: JsonValue | undefined;
}

export interface ResourceContext {
  minDcosReleaseVersion: string | undefined;
  hasCommand: boolean;
}

const cache = new ContentCache<Finding[]>(1024);

/** The checks of resource.json, shared by every revision with the same text and context. */
export function checkResources(resource: ResourceFile, context: ResourceContext): Finding[] {
  const key = `${textId(resource.text)}/${context.minDcosReleaseVersion ?? '-'}/${context.hasCommand ? 'c' : ''}`;
  return cache.get(key, () => analyzeResources(resource, context));
}

export function analyzeResources(resource: ResourceFile, context: ResourceContext): Finding[] {
  const out: Finding[] = [];
  const value = resource.value;
  if (!isJsonObject(value)) return out;
  const at = (pointer: string): ReturnType<typeof jsonPlace> => jsonPlace(resource.text, pointer);

  const assets = value.get('assets');
  const container = isJsonObject(assets) ? assets.get('container') : undefined;
  const docker = isJsonObject(container) ? container.get('docker') : undefined;
  if (isJsonObject(docker)) {
    for (const [key, image] of docker) {
      if (typeof image !== 'string') continue;
      const pointer = joinPointer('/assets/container/docker', key);
      const ref = parseImageReference(image);
      if (typeof ref === 'string') {
        out.push(finding('resource-image-ref', 'resource.json', `image "${image}" (${key}) ${ref}`, at(pointer)));
      } else if (ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest')) {
        const how = ref.tag === undefined ? 'has no tag, so it pulls latest' : 'uses the tag latest';
        out.push(finding('resource-image-latest', 'resource.json', `image "${image}" (${key}) ${how}: agents may run different images; pin a version tag or a digest`, at(pointer)));
      }
    }
  }

  for (const { pointer, url } of resourceUrls(value)) {
    if (!isAbsoluteUrl(url)) out.push(finding('resource-url', 'resource.json', `"${url}" is not an absolute URL (scheme://host/...)`, at(pointer)));
  }

  const min = context.minDcosReleaseVersion ?? '1.0';
  if (value.has('cli') && !context.hasCommand && compareDcosVersions(min, '1.8') < 0) {
    out.push(finding('resource-cli-min-dcos', 'resource.json', `a cli in resource.json needs minDcosReleaseVersion 1.8 or later (found ${context.minDcosReleaseVersion ?? 'none'}): older DC/OS reads the CLI from command.json, and the build would drop it`, at('/cli')));
  }
  return out;
}

/** Every URL resource.json holds: images, screenshots, assets.uris and cli binaries. */
function resourceUrls(resource: Map<string, JsonValue>): { pointer: string; url: string }[] {
  const out: { pointer: string; url: string }[] = [];
  const images = resource.get('images');
  if (isJsonObject(images)) {
    for (const k of ['icon-small', 'icon-medium', 'icon-large']) {
      const v = images.get(k);
      if (typeof v === 'string') out.push({ pointer: joinPointer('/images', k), url: v });
    }
    const shots = images.get('screenshots');
    if (Array.isArray(shots)) shots.forEach((v, i) => typeof v === 'string' && out.push({ pointer: `/images/screenshots/${i}`, url: v }));
  }
  const assets = resource.get('assets');
  const uris = isJsonObject(assets) ? assets.get('uris') : undefined;
  if (isJsonObject(uris)) for (const [k, v] of uris) if (typeof v === 'string') out.push({ pointer: joinPointer('/assets/uris', k), url: v });
  const cli = resource.get('cli');
  const binaries = isJsonObject(cli) ? cli.get('binaries') : undefined;
  if (isJsonObject(binaries)) {
    for (const [os, arches] of binaries) {
      if (!isJsonObject(arches)) continue;
      for (const [arch, binary] of arches) {
        const url = isJsonObject(binary) ? binary.get('url') : undefined;
        if (typeof url === 'string') out.push({ pointer: joinPointer(joinPointer(joinPointer('/cli/binaries', os), arch), 'url'), url });
      }
    }
  }
  return out;
}
