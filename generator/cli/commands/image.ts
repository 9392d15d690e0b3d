import type { Command } from 'commander';
import { imageContexts, writeImageContexts } from '../../agent/imageContext.js';
import { loadProjectConfig } from '../../load/projectConfig.js';
import { EXIT_OK, runAction, writeStdout } from '../run.js';

interface ImageFlags {
  config: string;
  out: string;
}

export function registerImage(program: Command): void {
  program
    .command('image')
    .description('write the helper image build contexts, one per helper release: DIR/<helper version>/{Dockerfile,install.sh}')
    .option('--config <file>', 'project file with the releases', 'ecr-universe.yaml')
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .action((flags: ImageFlags) => runAction(() => image(flags)));
}

async function image(flags: ImageFlags): Promise<number> {
  const config = loadProjectConfig(flags.config);
  const contexts = imageContexts(config);
  const written = writeImageContexts(contexts, flags.out);
  await writeStdout(written.map((dir) => `${dir}\n`).join(''));
  return EXIT_OK;
}
