import { main } from './main';
import { EXIT } from '../exit-status';

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // Only a bug gets here: commands report expected failures as exit statuses.
    console.error(error);
    process.exitCode = EXIT.internal;
  },
);
