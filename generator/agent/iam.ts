/**
 * The IAM policy for the agents' instance role: what the ECR credential helper needs to get a
 * token, and what `docker pull` needs to read images. Nothing more.
 */
import { checkRegistryHost, AgentInputError } from './dockerConfig.js';

export const IAM_POLICY_VERSION = '2012-10-17';

/** The helper's call: account-wide, so its resource is always `*`. */
export const AUTH_TOKEN_ACTION = 'ecr:GetAuthorizationToken';

/** What `docker pull` calls on a repository. */
export const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'] as const;

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string | string[];
  Resource: string | string[];
}

export interface IamPolicy {
  Version: typeof IAM_POLICY_VERSION;
  Statement: IamStatement[];
}

export interface IamPolicyInput {
  /** Private ECR registry hosts: each grants the pull actions on all of its repositories. */
  registries?: readonly string[];
  /** Repository ARNs (`arn:aws:ecr:<region>:<account>:repository/<name>`, `*` allowed in the name). */
  repositoryArns?: readonly string[];
}

/** AWS partitions where ECR runs, by ARN prefix. */
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'] as const;
type Partition = (typeof PARTITIONS)[number];

/** The partition of a region, from its prefix (cn-north-1 is aws-cn, us-gov-west-1 aws-us-gov, ...). */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

const REGION = '[a-z]+(-[a-z]+)+-[0-9]+';
const REPOSITORY_NAME = '[a-z0-9*]+([._/-][a-z0-9*]+)*';
const ARN_REGEX = new RegExp(`^arn:(${PARTITIONS.join('|')}):ecr:(${REGION}):([0-9]{12}):repository/(${REPOSITORY_NAME})$`);

export interface RepositoryArn {
  arn: string;
  partition: Partition;
  region: string;
  account: string;
  /** Repository name, possibly with `*` wildcards. */
  name: string;
}

/** Checks an ECR repository ARN: shape, partition matching the region, repository name. */
export function parseRepositoryArn(arn: string): RepositoryArn {
  const m = ARN_REGEX.exec(arn);
  if (m === null) {
    throw new AgentInputError(
      `'${arn}' is not an ECR repository ARN (arn:aws:ecr:<region>:<12-digit account>:repository/<name>, '*' allowed in the name)`,
    );
  }
  const [, partition, region, , account, name] = m as unknown as [string, Partition, string, string, string, string];
  if (name.length > 256) throw new AgentInputError(`'${arn}': a repository name has at most 256 characters`);
  const expected = partitionOfRegion(region);
  if (partition !== expected) throw new AgentInputError(`'${arn}': region ${region} belongs to partition ${expected}, not ${partition}`);
  return { arn, partition, region, account, name };
}

const HOST_REGEX = /^([0-9]{12})\.dkr[.-]ecr(-fips)?\.([a-zA-Z0-9][a-zA-Z0-9_-]*)\.(.+)$/;

/** Partition of a private registry host's domain; undefined where the region decides. */
function partitionOfDomain(domain: string): Partition | undefined {
  switch (domain) {
    case 'amazonaws.com.cn':
    case 'on.amazonwebservices.com.cn':
      return 'aws-cn';
    case 'amazonaws.eu':
      return 'aws-eusc';
    case 'c2s.ic.gov':
      return 'aws-iso';
    case 'sc2s.sgov.gov':
      return 'aws-iso-b';
    case 'cloud.adc-e.uk':
      return 'aws-iso-e';
    case 'csp.hci.ic.gov':
      return 'aws-iso-f';
    default:
      return undefined;
  }
}

/** `arn:<partition>:ecr:<region>:<account>:repository/*` for a private registry host. */
export function registryRepositoriesArn(host: string): RepositoryArn {
  checkRegistryHost(host);
  const m = HOST_REGEX.exec(host);
  if (m === null) {
    throw new AgentInputError(
      `'${host}' is ECR Public: its images pull without these permissions, and a token for it needs ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken, which this policy does not grant`,
    );
  }
  const [, account, , region, domain] = m as unknown as [string, string, string | undefined, string, string];
  // The domain names the partition where it is specific, else the region does; the ARN check
  // below refuses a region that does not belong to it.
  const partition = partitionOfDomain(domain) ?? partitionOfRegion(region);
  return parseRepositoryArn(`arn:${partition}:ecr:${region}:${account}:repository/*`);
}

function sortUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The policy: `ecr:GetAuthorizationToken` on `*`, and the pull actions on the given
 * repositories (registries become `repository/*` of their account and region), or on `*`
 * when none is given. All resources must be in one partition (one role lives in one).
 */
export function buildIamPolicy(input: IamPolicyInput = {}): IamPolicy {
  const arns = [...(input.registries ?? []).map(registryRepositoriesArn), ...(input.repositoryArns ?? []).map(parseRepositoryArn)];
  const partitions = sortUnique(arns.map((a) => a.partition));
  if (partitions.length > 1) {
    throw new AgentInputError(`the repositories span several AWS partitions (${partitions.join(', ')}); an instance role lives in one, so write one policy per partition`);
  }
  const resources = sortUnique(arns.map((a) => a.arn));
  return {
    Version: IAM_POLICY_VERSION,
    Statement: [
      { Sid: 'EcrCredentialHelperToken', Effect: 'Allow', Action: AUTH_TOKEN_ACTION, Resource: '*' },
      { Sid: 'EcrPullImages', Effect: 'Allow', Action: [...PULL_ACTIONS], Resource: resources.length === 0 ? '*' : resources },
    ],
  };
}
