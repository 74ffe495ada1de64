/** Log lines go to stderr so stdout stays machine-readable (the ready line, `--json`). */
export type Logger = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
};

export function createStderrLogger(prefix = 'airdeck'): Logger {
  const write = (level: string, message: string) =>
    process.stderr.write(`${new Date().toISOString()} ${prefix} ${level} ${message}\n`);
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message, error) =>
      write(
        'error',
        error instanceof Error
          ? `${message}: ${error.stack ?? error.message}`
          : `${message}${error === undefined ? '' : `: ${String(error)}`}`,
      ),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
