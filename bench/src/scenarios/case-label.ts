import type { ScenarioCase } from './scenario.js';

/** Label suffix of the cases run with the `ws` client at its defaults. */
export const WS_DEFAULT_SUFFIX = ' · ws client defaults';

/** The row label of a case. */
export function caseLabel(c: ScenarioCase): string {
  switch (c.kind) {
    case 'fanout':
      return (
        `${c.subscribers.toLocaleString('en-US')} subs × ${c.ratePerS.toLocaleString('en-US')}/s` +
        (c.client === 'ws-default' ? `${WS_DEFAULT_SUFFIX}, 1 event/message` : '')
      );
    case 'idle':
      return `${c.connections.toLocaleString('en-US')} connections${c.client === 'ws-default' ? WS_DEFAULT_SUFFIX : ''}`;
    case 'ingest':
      return `${c.mode.toUpperCase()}, ${c.publishers} publisher${c.publishers > 1 ? 's' : ''}, ${c.batchSize} event${c.batchSize > 1 ? 's' : ''}/${c.mode === 'http' ? 'request' : 'publish'}`;
    case 'history':
      return `${c.storedEvents.toLocaleString('en-US')} stored events`;
    case 'resume':
      return `${c.clients.toLocaleString('en-US')} clients, ${c.back.toLocaleString('en-US')} back`;
  }
}
