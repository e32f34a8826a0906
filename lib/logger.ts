// One pino root logger; each module takes a child named after itself so log lines say where they come from.
// Secret-bearing keys are redacted at the root, so no child can leak them by accident.
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization', 'req.headers.cookie', 'clientSecret', '*.clientSecret', '*.*.clientSecret', 'client_secret', '*.client_secret'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'gantry' } }, destination);
}
