/**
 * The `ecr-universe` command line: commander's program, with each command's module loaded only
 * when that command runs. bin/ecr-universe.cjs starts it (from the bundle of tools/bundle.mjs when built).
 */
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './run.js';
import { PROJECT_VERSION } from '../version.js';

// For tools/codeCache.mjs, which runs the commands through this bundle and then keeps what
// they compiled of the precompiled validators.
export { precompiledCodeCaches, writePrecompiledCodeCaches } from '../schemas/registry.js';

export async function main(): Promise<void> {
  // A reader that stops early (`ecr-universe validate repo | head`) closes the pipe: the rest
  // of the output goes nowhere, quietly, as with other Unix tools.
  process.stdout.on('error', ignoreClosedPipe);
  const program = new Command();
  program
    .name('ecr-universe')
    .description('The ECR credential helper as a DC/OS Universe package, and a Cosmos-exact validate / render / build / serve tool chain')
    .version(PROJECT_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  /**
   * Each command's module, loaded only when that command runs (or for help, which lists them all):
   * a command needs a fraction of the others' modules, and loading them all costs about 0.1 s.
   */
  const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
    generate: async () => (await import('./commands/generate.js')).registerGenerate,
    render: async () => (await import('./commands/render.js')).registerRender,
    build: async () => (await import('./commands/build.js')).registerBuild,
    serve: async () => (await import('./commands/serve.js')).registerServe,
    image: async () => (await import('./commands/image.js')).registerImage,
    tarball: async () => (await import('./commands/tarball.js')).registerTarball,
    iam: async () => (await import('./commands/iam.js')).registerIam,
    'example-app': async () => (await import('./commands/example-app.js')).registerExampleApp,
    validate: async () => (await import('./commands/validate.js')).registerValidate,
  };

  // The command is the first argument (the program itself has no options but --help and --version).
  const named = process.argv[2];
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((name) => (COMMANDS[name] as () => Promise<(program: Command) => void>)()))) register(program);

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
}

function ignoreClosedPipe(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE') throw e;
}
