import { main } from './main';

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // Only a bug gets here: commands report expected failures as exit statuses.
    console.error(error);
    process.exitCode = 70;
  },
);
