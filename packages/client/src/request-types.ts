import type { HistoryQueryInput } from '@herald/protocol';

/** A history query as the server reads it; the shape is the protocol's. */
export type HistoryRequest = HistoryQueryInput;

/** The result of {@link HeraldClient.ping}. */
export interface PingResult {
  /** Round trip, in ms. */
  rttMs: number;
  /** The server's clock when it answered, ISO 8601. */
  serverTime: string;
}

/** The result of {@link HeraldClient.contextSwitch}. */
export interface ContextSwitchResult {
  from: string | null;
  to: string;
  context_type: 'organization' | 'user';
}
