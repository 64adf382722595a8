import type { Dialect, DialectSpec } from './dialect.js';
import { heraldDialect } from './herald-dialect.js';
import { natsDialect } from './nats-dialect.js';
import { rawWsDialect } from './raw-ws-dialect.js';
import { socketIoDialect } from './socket-io-dialect.js';

/** The dialect a spec names. */
export function dialectFor(spec: DialectSpec): Dialect {
  switch (spec.kind) {
    case 'raw-ws':
      return rawWsDialect;
    case 'socket.io':
      return socketIoDialect;
    case 'nats':
      return natsDialect;
    case 'herald':
      return heraldDialect(spec.token ?? '');
  }
}
