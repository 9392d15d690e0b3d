import type { Command } from 'commander';
import { AgentInputError } from '../../agent/dockerConfig.js';
import { buildIamPolicy, parseRepositoryArn, registryRepositoriesArn } from '../../agent/iam.js';
import { EXIT_OK, runAction, UsageError, writeStdout } from '../run.js';
import { agentArgument } from './agentArgument.js';

interface IamFlags {
  registry: string[];
  repositoryArn: string[];
}

function collector(check: (value: string) => unknown): (value: string, previous: string[]) => string[] {
  const checked = agentArgument(check);
  return (value, previous) => {
    checked(value);
    return [...previous, value];
  };
}

export function registerIam(program: Command): void {
  program
    .command('iam')
    .description("print the IAM policy for the agents' instance role: ecr:GetAuthorizationToken on *, the pull actions on the given repositories (or *)")
    .option('--registry <host>', 'private ECR registry host: all of its repositories (repeatable)', collector(registryRepositoriesArn), [])
    .option('--repository-arn <arn>', 'ECR repository ARN, * allowed in the name (repeatable)', collector(parseRepositoryArn), [])
    .action((flags: IamFlags) => runAction(() => iam(flags)));
}

async function iam(flags: IamFlags): Promise<number> {
  let policy;
  try {
    policy = buildIamPolicy({ registries: flags.registry, repositoryArns: flags.repositoryArn });
  } catch (e) {
    if (e instanceof AgentInputError) throw new UsageError(e.message);
    throw e;
  }
  await writeStdout(`${JSON.stringify(policy, null, 2)}\n`);
  return EXIT_OK;
}
