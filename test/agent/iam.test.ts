import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildIamPolicy, parseRepositoryArn, partitionOfRegion, PULL_ACTIONS, registryRepositoriesArn } from '../../generator/agent/iam.js';
import { runCli, STACK_TRACE } from '../support/cli.js';

const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
const TOKEN = { Sid: 'EcrCredentialHelperToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' };

describe('IAM policy builder', () => {
  it('without repositories: the token on *, the three pull actions on *, nothing more', () => {
    assert.deepEqual(PULL_ACTIONS, PULL);
    assert.deepEqual(buildIamPolicy(), {
      Version: '2012-10-17',
      Statement: [TOKEN, { Sid: 'EcrPullImages', Effect: 'Allow', Action: PULL, Resource: '*' }],
    });
  });

  it('registries become repository/* ARNs of their partition, region and account; ARNs are kept; sorted, once', () => {
    const policy = buildIamPolicy({
      registries: ['123456789012.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr-ecr.eu-west-1.on.aws', '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com'],
      repositoryArns: ['arn:aws:ecr:eu-west-1:210987654321:repository/team/app', 'arn:aws:ecr:eu-west-1:210987654321:repository/team/app'],
    });
    assert.deepEqual(policy.Statement[1]?.Resource, [
      'arn:aws:ecr:eu-west-1:123456789012:repository/*',
      'arn:aws:ecr:eu-west-1:210987654321:repository/team/app',
      'arn:aws:ecr:us-east-1:123456789012:repository/*',
    ]);
    assert.deepEqual(policy.Statement[0], TOKEN);
    assert.equal(policy.Statement.length, 2);
  });

  it('partitions follow the domain or the region', () => {
    assert.equal(registryRepositoriesArn('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn').arn, 'arn:aws-cn:ecr:cn-north-1:123456789012:repository/*');
    assert.equal(registryRepositoriesArn('123456789012.dkr.ecr.us-gov-west-1.amazonaws.com').arn, 'arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/*');
    assert.equal(registryRepositoriesArn('123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov').arn, 'arn:aws-iso:ecr:us-iso-east-1:123456789012:repository/*');
    assert.equal(registryRepositoriesArn('123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov').arn, 'arn:aws-iso-b:ecr:us-isob-east-1:123456789012:repository/*');
    assert.equal(registryRepositoriesArn('123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu').arn, 'arn:aws-eusc:ecr:eusc-de-east-1:123456789012:repository/*');
    assert.equal(partitionOfRegion('eu-isoe-west-1'), 'aws-iso-e');
    assert.equal(partitionOfRegion('us-isof-south-1'), 'aws-iso-f');
    assert.throws(() => registryRepositoriesArn('123456789012.dkr.ecr.us-east-1.amazonaws.com.cn'), /region us-east-1 belongs to partition aws, not aws-cn/);
  });

  it('refuses bad ARNs, ECR Public, non-ECR hosts and mixed partitions', () => {
    for (const arn of [
      'arn:aws:ecr:us-east-1:12345678901:repository/app',
      'arn:aws:ecr:us-east-1:123456789012:registry/app',
      'arn:aws:s3:::bucket',
      'arn:aws:ecr:us-east-1:123456789012:repository/App',
      'arn:aws:ecr:us-east-1:123456789012:repository/',
      'arn:aws:ecr:*:123456789012:repository/app',
      'arn:aws-cn:ecr:us-east-1:123456789012:repository/app',
      'arn:aws:ecr:us-east-1:123456789012:repository/app//x',
    ]) {
      assert.throws(() => parseRepositoryArn(arn), /ECR repository ARN|belongs to partition/, arn);
    }
    assert.equal(parseRepositoryArn('arn:aws:ecr:us-east-1:123456789012:repository/team-*').name, 'team-*');
    assert.throws(() => registryRepositoriesArn('public.ecr.aws'), /ECR Public/);
    assert.throws(() => registryRepositoriesArn('ghcr.io'), /not an Amazon ECR registry host/);
    assert.throws(
      () => buildIamPolicy({ registries: ['123456789012.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'] }),
      /several AWS partitions \(aws, aws-cn\)/,
    );
  });
});

describe('ecr-universe iam', () => {
  it('prints the policy JSON', async () => {
    const r = await runCli(['iam', '--registry', '123456789012.dkr.ecr.us-east-1.amazonaws.com', '--repository-arn', 'arn:aws:ecr:us-east-1:123456789012:repository/x']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      Version: '2012-10-17',
      Statement: [
        TOKEN,
        { Sid: 'EcrPullImages', Effect: 'Allow', Action: PULL, Resource: ['arn:aws:ecr:us-east-1:123456789012:repository/*', 'arn:aws:ecr:us-east-1:123456789012:repository/x'] },
      ],
    });
    const plain = await runCli(['iam']);
    assert.deepEqual(JSON.parse(plain.stdout), buildIamPolicy());
  });

  for (const [label, args, message] of [
    ['a bad ARN', ['--repository-arn', 'arn:aws:ecr:us-east-1:1:repository/x'], /argument 'arn:aws:ecr:us-east-1:1:repository\/x' is invalid\. .*is not an ECR repository ARN/],
    ['ECR Public', ['--registry', 'public.ecr.aws'], /is ECR Public/],
    ['mixed partitions', ['--registry', '123456789012.dkr.ecr.us-east-1.amazonaws.com', '--registry', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'], /several AWS partitions/],
  ] as const) {
    it(`refuses ${label}: exit 2, one clear line`, async () => {
      const r = await runCli(['iam', ...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr.split('\n')[0] ?? '', message);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
      assert.equal(r.stdout, '');
    });
  }
});
