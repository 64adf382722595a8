/** `closed`: calls pass; `open`: calls are refused; `half_open`: one probe decides. */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Failures in a row that open the circuit. */
  failureThreshold: number;
  /** Time the circuit stays open before it half-opens, ms. */
  openMs: number;
  /** Injected clock, ms. */
  now(): number;
}

/** A state change, as the `circuit_breaker_state` event reports it. */
export interface CircuitTransition {
  state: CircuitState;
  previousState: CircuitState;
  /** Failures in a row when the change happened. */
  failures: number;
}

/**
 * The breaker of one MCP server, as DESIGN.md section 9 defines it:
 * `failureThreshold` failures in a row open it (one failed cycle); after
 * `openMs` it half-opens and the next outcome decides: a success closes it,
 * a failure opens it again (another failed cycle). Pure: it is told the
 * outcomes and the time, and returns the transition each one caused.
 *
 * Written here rather than taken from cockatiel: cockatiel's breaker wraps
 * the calls it guards, and half-opens on the next call; this one is driven
 * by health checks and must count failed cycles for auto-disable.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failuresInRow = 0;
  private openedAtMs = 0;
  private cycles = 0;

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** The state now; an open circuit whose `openMs` passed reads `open` until {@link tryHalfOpen}. */
  get state(): CircuitState {
    return this.current;
  }

  /** Failures in a row since the last success. */
  get failures(): number {
    return this.failuresInRow;
  }

  /** Times the circuit opened since it was last closed by a success (or reset). */
  get failedCycles(): number {
    return this.cycles;
  }

  /** True when calls may pass: closed, or half-open (the call is the probe). */
  get isPassing(): boolean {
    return this.current !== 'open';
  }

  /** When the open circuit may half-open, ms since the epoch; undefined unless open. */
  get retryAtMs(): number | undefined {
    return this.current === 'open' ? this.openedAtMs + this.options.openMs : undefined;
  }

  /** Half-opens an open circuit whose `openMs` has passed; returns the transition, if any. */
  tryHalfOpen(): CircuitTransition | undefined {
    if (this.current !== 'open' || this.options.now() < this.openedAtMs + this.options.openMs) return undefined;
    return this.move('half_open');
  }

  /** A call or check succeeded. */
  recordSuccess(): CircuitTransition | undefined {
    this.failuresInRow = 0;
    if (this.current === 'closed') return undefined;
    this.cycles = 0;
    return this.move('closed');
  }

  /** A call or check failed. */
  recordFailure(): CircuitTransition | undefined {
    this.failuresInRow += 1;
    if (this.current === 'open') return undefined;
    if (this.current === 'closed' && this.failuresInRow < this.options.failureThreshold) return undefined;
    this.cycles += 1;
    this.openedAtMs = this.options.now();
    return this.move('open');
  }

  /** Back to closed with no history (an admin enabled or reconnected the server). */
  reset(): CircuitTransition | undefined {
    this.failuresInRow = 0;
    this.cycles = 0;
    return this.current === 'closed' ? undefined : this.move('closed');
  }

  private move(state: CircuitState): CircuitTransition {
    const previousState = this.current;
    this.current = state;
    return { state, previousState, failures: this.failuresInRow };
  }
}
