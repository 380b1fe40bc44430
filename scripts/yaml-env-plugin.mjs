// yaml (eemeli/yaml 2.x) reads process.env.LOG_TOKENS for every token it parses and
// process.env.LOG_STREAM for every document: debug switches for its own development. Reading
// process.env goes through the C++ environment each time; measured with callgrind on 200
// validations of a 2,000-line spec it is 15% of all instructions. The bundles replace these two
// reads with `false`; nothing else of yaml changes.
import { readFile } from 'node:fs/promises';

export const yamlWithoutEnvLookups = {
  name: 'yaml-without-env-lookups',
  setup(build) {
    build.onLoad(
      {
        filter:
          /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/,
      },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const contents = source.replace(/\bnode_process\.env\.LOG_(TOKENS|STREAM)\b/g, 'false');
        if (contents === source)
          throw new Error(
            `${args.path}: the LOG_TOKENS/LOG_STREAM reads were not found; update scripts/yaml-env-plugin.mjs`,
          );
        return { contents, loader: 'js' };
      },
    );
  },
};
