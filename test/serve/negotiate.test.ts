import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { acceptedRepoFormat, acceptsGzip, dcosVersionOf, noneMatch, requestPath } from '../../generator/serve/index.js';

const T = 'application/vnd.dcos.universe.repo+json;charset=utf-8;version=';

describe('content negotiation', () => {
  it('reads the DC/OS version from User-Agent as Cosmos sends it; anything else is 2.0', () => {
    const cases: [string | undefined, string][] = [
      ['cosmos/0.4.0 dcos/1.8.9', '1.8'],
      ['cosmos/0.5.0 dcos/1.9.0', '1.9'],
      ['cosmos/0.5.0 dcos/1.10.0', '1.10'],
      ['cosmos/0.6.0 dcos/1.11.4', '1.11'],
      ['dcos/1.12.0', '1.12'],
      ['dcos/1.13', '1.13'],
      ['dcos/2.0.1', '2.0'],
      ['DCOS/1.10.0', '1.10'],
      ['dcos/1.1', '2.0'],
      ['dcos/1.100', '2.0'],
      ['dcos/1.7.4', '2.0'],
      ['dcos/2.1.0', '2.0'],
      ['xdcos/1.8', '2.0'],
      ['curl/8.0.1', '2.0'],
      [undefined, '2.0'],
    ];
    for (const [ua, v] of cases) assert.equal(dcosVersionOf(ua), v, String(ua));
  });

  it('takes the highest Universe repo version listed in Accept', () => {
    const cases: [string | undefined, string | undefined | null][] = [
      [`${T}v3`, 'v3'],
      [`${T}v4,${T}v3`, 'v4'],
      [`${T}v5,${T}v4,${T}v3`, 'v5'],
      [`${T}v3,${T}v5,${T}v4`, 'v5'],
      // akka-http (newer Cosmos) spaces its parameters
      ['application/vnd.dcos.universe.repo+json; charset=utf-8; version=v5, application/vnd.dcos.universe.repo+json; charset=utf-8; version=v4', 'v5'],
      ['Application/VND.DCOS.Universe.Repo+JSON;Version="v4"', 'v4'],
      [`${T}v5;q=0,${T}v4`, 'v4'],
      [`${T}v2`, null],
      [`${T}v6`, null],
      ['application/vnd.dcos.universe.repo+json', undefined],
      ['*/*', undefined],
      ['application/*;q=0.5', undefined],
      [undefined, undefined],
      ['', undefined],
      ['application/json', null],
      ['text/html, */*;q=0', null],
    ];
    for (const [accept, format] of cases) {
      const got = acceptedRepoFormat(accept);
      if (format === null) assert.equal(got, undefined, String(accept));
      else assert.deepEqual(got, { format }, String(accept));
    }
  });

  it('reads Accept-Encoding and If-None-Match', () => {
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('gzip, deflate, br'), true);
    assert.equal(acceptsGzip('deflate'), false);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('*'), true);
    assert.equal(acceptsGzip('*, gzip;q=0'), false);
    assert.equal(acceptsGzip('x-gzip'), true);
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(noneMatch('"a-v5"', '"a-v5"'), true);
    assert.equal(noneMatch('W/"a-v5", "b"', '"a-v5"'), true);
    assert.equal(noneMatch('*', '"x"'), true);
    assert.equal(noneMatch('"a-v4"', '"a-v5"'), false);
    assert.equal(noneMatch(undefined, '"a"'), false);
  });

  it('maps request targets to paths, refusing anything outside the build', () => {
    const cases: [string, string | null | undefined][] = [
      ['/repo', '/repo'],
      ['/repo?x=1', '/repo'],
      ['/1.10/package/chronos.json', '/1.10/package/chronos.json'],
      ['http://example.com/repo', '/repo'],
      ['/repo%2Dempty-v3.json', '/repo-empty-v3.json'],
      ['/', '/'],
      ['*', null],
      ['repo', null],
      ['/%zz', null],
      ['/../etc/passwd', undefined],
      ['/%2e%2e/%2e%2e/etc/passwd', undefined],
      ['/1.10/../universe.json', undefined],
      ['/./repo', undefined],
      ['//repo', undefined],
      ['/repo/', undefined],
      ['/universe.json%00', undefined],
      ['/..%5c..%5cwin.ini', undefined],
    ];
    for (const [target, expected] of cases) assert.equal(requestPath(target), expected, target);
  });
});
