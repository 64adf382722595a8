/** What the expiry timer does to its connection. */
export interface TokenExpiryPort {
  /** The token expires soon: ask the client for a fresh one. */
  onExpiring(expiresAtMs: number): void;
  /** The token expired: the grace period starts. */
  onExpired(graceMs: number): void;
  /** The grace period passed without a fresh token. */
  onGraceOver(): void;
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * A connection's token lifecycle: `token_expiring` some time before expiry,
 * `token_expired` at expiry, then a grace period in which a fresh `auth`
 * re-arms it; otherwise the connection is closed. Timers are injected so
 * tests run without waiting.
 */
export class TokenExpiry {
  private handles: unknown[] = [];
  private expired = false;

  constructor(
    private readonly port: TokenExpiryPort,
    private readonly options: { noticeMs: number; graceMs: number },
    private readonly timers: Timers = realTimers,
  ) {}

  /** True between expiry and a fresh token. */
  get isExpired(): boolean {
    return this.expired;
  }

  /** (Re)starts the timers for a token expiring at `expiresAtMs`; undefined means never. */
  arm(expiresAtMs: number | undefined): void {
    this.clear();
    this.expired = false;
    if (expiresAtMs === undefined) return;
    const now = this.timers.now();
    const untilExpiry = Math.max(0, expiresAtMs - now);
    // Warn `noticeMs` ahead, but never later than half-way for short-lived tokens.
    const untilNotice = Math.max(0, untilExpiry - Math.min(this.options.noticeMs, untilExpiry / 2));
    this.handles.push(this.timers.setTimeout(() => this.port.onExpiring(expiresAtMs), untilNotice));
    this.handles.push(
      this.timers.setTimeout(() => {
        this.expired = true;
        this.port.onExpired(this.options.graceMs);
        this.handles.push(this.timers.setTimeout(() => this.port.onGraceOver(), this.options.graceMs));
      }, untilExpiry),
    );
  }

  clear(): void {
    for (const h of this.handles) this.timers.clearTimeout(h);
    this.handles = [];
  }
}
