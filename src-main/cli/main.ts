import { runImport } from './import';
import { runServe } from './serve';

const USAGE = `Usage: airdeck <command> [options]

Commands:
  serve   Run the Airdeck core headless and serve the control room to browsers.
  import  Import media files or folders into the library and wait until they are ready.

Run \`airdeck <command> --help\` for the options of a command.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(rest);
    case 'import':
      return runImport(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 64 : 0;
    default:
      process.stderr.write(`airdeck: unknown command "${command}"\n\n${USAGE}`);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // serve keeps running; other commands end here.
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`airdeck: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
