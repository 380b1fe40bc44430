import type { FilesSource } from '../../spec/types';
import type { SourceModule } from '../source-module';
import { noDrill } from '../source-module';
import { dumpFiles } from './index';

/** Plain files and directories: copied with mode and times; the manifest's sha256 is the drill. */
export const filesModule: SourceModule<FilesSource> = {
  dump: dumpFiles,
  describe: (name, source, outDir) => ({
    title: `copy files source "${name}": ${source.paths.join(', ')}${source.exclude?.length ? ` except ${source.exclude.join(', ')}` : ''} to ${outDir}`,
    commands: [],
  }),
  prepareDrill: noDrill,
  mayStageNothing: true,
  hostPaths: (source) => source.paths,
};
