import * as fs from 'node:fs';
import type { Command } from 'commander';
import { buildExampleApp, checkEcrImage, DEFAULT_TARBALL_LOCATION, tarballLocationFromOptions } from '../../agent/exampleApp.js';
import { fromPlain } from '../../json/value.js';
import { readOptionsFile } from '../../load/options.js';
import { validateMarathonApp } from '../../schemas/index.js';
import { EXIT_OK, runAction, writeStdout } from '../run.js';
import { agentArgument } from './agentArgument.js';

interface ExampleAppFlags {
  image: string;
  options?: string;
}

export function registerExampleApp(program: Command): void {
  program
    .command('example-app')
    .description('print a Marathon app that pulls a private ECR image with the docker config tarball the package placed on the agents')
    .requiredOption('--image <image>', 'the private ECR image, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0', agentArgument(checkEcrImage))
    .option('--options <file>', "the package's install options (JSON or YAML): host.configDir and host.tarballName locate the tarball")
    .action((flags: ExampleAppFlags) => runAction(() => exampleApp(flags)));
}

async function exampleApp(flags: ExampleAppFlags): Promise<number> {
  let location = DEFAULT_TARBALL_LOCATION;
  if (flags.options !== undefined) {
    const options = readOptionsFile(flags.options);
    location = tarballLocationFromOptions(options, flags.options, fs.readFileSync(flags.options, 'utf8'));
  }
  const app = buildExampleApp({ image: flags.image, location });
  const report = validateMarathonApp(fromPlain(app));
  if (report.errors.length > 0) {
    const first = report.errors[0];
    throw new Error(`the example app fails Marathon's app schema at ${first?.pointer ?? ''}: ${first?.message ?? ''}`);
  }
  await writeStdout(`${JSON.stringify(app, null, 2)}\n`);
  return EXIT_OK;
}
