import type { Command } from 'commander';
import { checkGenerated, generate } from '../../generate/index.js';
import { EXIT_FAILURE, EXIT_OK, runAction, writeStdout } from '../run.js';

interface GenerateFlags {
  config: string;
  out: string;
  readme: string;
  check?: boolean;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('render the ecr-credential-helper package from ecr-universe.yaml into <out>/packages/E/ecr-credential-helper/<releaseVersion>/')
    .option('--config <file>', 'the package and its releases', 'ecr-universe.yaml')
    .option('--out <dir>', 'repository directory that holds packages/', 'repo')
    .option('--readme <file>', 'README whose options table is regenerated (between its markers)', 'README.md')
    .option('--check', 'write nothing; list the files that are out of date and exit 1 if any')
    .action((flags: GenerateFlags) =>
      runAction(async () => {
        const options = { configFile: flags.config, repoDir: flags.out, readmeFile: flags.readme };
        if (flags.check) {
          const stale = checkGenerated(options).files;
          for (const f of stale) process.stderr.write(`${f}: out of date (run ecr-universe generate)\n`);
          if (stale.length === 0) await writeStdout(`${flags.out} is up to date with ${flags.config}\n`);
          return stale.length === 0 ? EXIT_OK : EXIT_FAILURE;
        }
        const result = generate(options);
        const versions = result.config.releases.map((r) => `${r.releaseVersion} (${r.packageVersion})`).join(', ');
        await writeStdout(`generated ${result.package.packageDir} in ${flags.out}: revisions ${versions}\n`);
        return EXIT_OK;
      }),
    );
}
