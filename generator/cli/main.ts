#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerGenerate } from './commands/generate.js';
import { registerRender } from './commands/render.js';
import { registerBuild } from './commands/build.js';
import { registerServe } from './commands/serve.js';
import { registerImage } from './commands/image.js';
import { registerTarball } from './commands/tarball.js';
import { registerIam } from './commands/iam.js';
import { registerExampleApp } from './commands/example-app.js';
import { registerValidate } from './commands/validate.js';
import { EXIT_USAGE } from './run.js';
import { PROJECT_VERSION } from '../version.js';

const program = new Command();
program
  .name('ecr-universe')
  .description('The ECR credential helper as a DC/OS Universe package, and a Cosmos-exact validate / render / build / serve tool chain')
  .version(PROJECT_VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerGenerate(program);
registerRender(program);
registerBuild(program);
registerServe(program);
registerImage(program);
registerTarball(program);
registerIam(program);
registerExampleApp(program);
registerValidate(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version exit 0; every parse problem is wrong usage.
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    throw e;
  }
}
