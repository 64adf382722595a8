import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** `pretty` for a terminal, `json` for machines. */
  format: 'pretty' | 'json';
}

/**
 * Every token-bearing place a log line could carry, censored: a token is
 * never written to a log.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'headers.authorization',
  'token',
  '*.token',
  'adminToken',
];

/** Builds the process logger: pino JSON, or pino-pretty on a terminal. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { service: 'herald' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        // Drop the query string: it may carry ?token=.
        url: typeof req.url === 'string' ? req.url.split('?')[0] : req.url,
      }),
    },
  };
  if (options.format === 'pretty') {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service' },
      },
    });
  }
  return pino(base);
}
