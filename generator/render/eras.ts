/**
 * How each DC/OS release's Cosmos rendered a package. One row per Cosmos release line; the
 * differences are documented in ../shared/fixtures/render/README.md ("Versions").
 */
export const DCOS_VERSIONS = ['1.9', '1.10', '1.11', '1.12', '1.13', '2.0'] as const;
export type DcosVersion = (typeof DCOS_VERSIONS)[number];
export const NEWEST_DCOS_VERSION: DcosVersion = '2.0';

export interface RenderEra {
  dcosVersion: DcosVersion;
  /** Cosmos release line and mustache.java version, for messages and the README. */
  cosmos: string;
  mustacheJava: string;
  /** 1.9: `{{x}}` HTML-escapes and strings reach the template raw (no JSON escaping). */
  htmlEscape: boolean;
  /** 1.10+: strings are JSON-escaped and lose their surrounding quotes. */
  jsonEscapeStrings: boolean;
  /** 1.12+: strings directly inside an array keep their quotes. */
  quoteStringsInArrays: boolean;
  /** 1.13+: whole numbers become BigInteger; before, only 32-bit ints, others Double. */
  bigIntegers: boolean;
  /** 2.0 (Cosmos 0.6.3): the `asJson` lambda. */
  asJson: boolean;
  /** Up to 1.11: an object property without defaults below still contributes `{}`. */
  emptyNestedDefaults: boolean;
  /** 1.9 and 1.10: a dotted name that misses in a scope goes on to the outer scopes. */
  dottedNamesTryOuterScopes: boolean;
  /** 1.9 and 1.10: objects of up to 4 keys print in mutable hash map order. */
  smallObjectsInHashOrder: boolean;
  /** 1.13+: circe deepMerge (the option's keys first); before, key by key into the defaults. */
  deepMergeOptionKeysFirst: boolean;
  /** 1.9: a rendered `"labels": null` is refused. */
  nullLabelsRefused: boolean;
  /** 1.9 and older: the Universe server adds a backslash before unescaped quotes in config strings. */
  universeEscapesConfigStrings: boolean;
}

/** DC/OS 1.9's Cosmos; each later release lists only what it changed. */
const OLDEST: Omit<RenderEra, 'dcosVersion' | 'cosmos' | 'mustacheJava'> = {
  htmlEscape: true,
  jsonEscapeStrings: false,
  quoteStringsInArrays: false,
  bigIntegers: false,
  asJson: false,
  emptyNestedDefaults: true,
  dottedNamesTryOuterScopes: true,
  smallObjectsInHashOrder: true,
  deepMergeOptionKeysFirst: false,
  nullLabelsRefused: true,
  universeEscapesConfigStrings: true,
};

const RELEASES: [DcosVersion, string, string, Partial<RenderEra>][] = [
  ['1.9', '0.3.x', '0.9.1', {}],
  ['1.10', '0.4.x', '0.9.1', { htmlEscape: false, jsonEscapeStrings: true, nullLabelsRefused: false, universeEscapesConfigStrings: false }],
  ['1.11', '0.5.x', '0.9.5', { dottedNamesTryOuterScopes: false, smallObjectsInHashOrder: false }],
  ['1.12', '0.6.0-0.6.1', '0.9.5', { quoteStringsInArrays: true, emptyNestedDefaults: false }],
  ['1.13', '0.6.2', '0.9.6', { bigIntegers: true, deepMergeOptionKeysFirst: true }],
  ['2.0', '0.6.3', '0.9.6', { asJson: true }],
];

const ERAS = {} as Record<DcosVersion, RenderEra>;
{
  let behaviour = OLDEST;
  for (const [dcosVersion, cosmos, mustacheJava, changes] of RELEASES) {
    behaviour = { ...behaviour, ...changes };
    ERAS[dcosVersion] = { dcosVersion, cosmos, mustacheJava, ...behaviour };
  }
}

export function isDcosVersion(v: string): v is DcosVersion {
  return (DCOS_VERSIONS as readonly string[]).includes(v);
}

export function renderEra(v: DcosVersion = NEWEST_DCOS_VERSION): RenderEra {
  return ERAS[v];
}

/** Compares DC/OS versions numerically part by part (1.10 > 1.9); missing parts count as 0. */
export function compareDcosVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
