import type { HeraldEvent } from '@herald/protocol';
import type { Redis } from 'ioredis';
import type { Bus, BusListener } from './bus.js';
import { type RedisTarget, connectRedis, openRedis } from './redis-connection.js';
import { SeqOrderer } from './seq-orderer.js';

/** Entries kept in the stream (approximately): a node that falls further behind closes the gap from the store. */
const DEFAULT_STREAM_MAX_ENTRIES = 10_000;
/** Entries read per XREAD. */
const READ_BATCH = 1_000;
/** How long one XREAD blocks, ms; bounds how long stop waits. */
const READ_BLOCK_MS = 1_000;
/** Pause before reading again after a failed read, ms. */
const READ_RETRY_MS = 200;
/** How often waiting gaps are checked, ms. */
const GAP_CHECK_MS = 100;

export interface RedisBusOptions {
  target: RedisTarget;
  /**
   * Decides a gap for good (see store/seq-fence.ts): the events stored in the
   * range, every other seq given up. Called when a gap has waited
   * `gapTimeoutMs`.
   */
  settle: (fromSeq: number, toSeq: number) => Promise<HeraldEvent[]>;
  /** How long an event waits for the seqs before it, ms, before the gap is settled from the store; default 2,000. */
  gapTimeoutMs?: number;
  /** Stream length kept in Redis, entries; default 10,000. */
  streamMaxEntries?: number;
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/**
 * The cluster bus on Redis: every node appends its durable events to one
 * Redis Stream, and every node reads the whole stream and fans out locally.
 *
 * Seqs come from one counter (see redis-seq-source.ts), but nodes commit and
 * publish independently, so the stream may hold 6 before 5. Each node puts
 * events back in seq order ({@link SeqOrderer}); a seq that does not arrive
 * within `gapTimeoutMs` (its publisher died, or its publish was lost) is
 * settled from the store: delivered if stored, else skipped for good, and
 * the store then refuses it. An append that failed publishes an abandon
 * entry so the others skip it at once. See docs/adr/0009.
 */
export class RedisBus implements Bus {
  readonly description: string;
  private readonly streamKey: string;
  private readonly writer: Redis;
  private readonly reader: Redis;
  private orderer: SeqOrderer<{ event: HeraldEvent; json: string }> | undefined;
  private isStopped = false;
  private reading: Promise<void> | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private gapStart: { fromSeq: number; sinceMs: number } | undefined;
  private isSettling = false;
  private lastReadOk = false;
  private wasDown = false;
  private readonly gapTimeoutMs: number;
  private readonly maxEntries: number;
  /** Diagnostics: seqs closed from the store, and publishes Redis refused. */
  settledSeqs = 0;
  lostPublishes = 0;

  constructor(private readonly options: RedisBusOptions) {
    this.description = options.target.description;
    this.streamKey = `${options.target.prefix}events`;
    this.gapTimeoutMs = options.gapTimeoutMs ?? 2_000;
    this.maxEntries = options.streamMaxEntries ?? DEFAULT_STREAM_MAX_ENTRIES;
    const onError = (err: Error) => this.noteDown(err);
    this.writer = connectRedis(options.target, 'bus', onError);
    this.reader = connectRedis(options.target, 'bus-reader', onError, { isBlocking: true });
  }

  /** The connection publishes go through, shared with the seq counter and the node directory. */
  get redis(): Redis {
    return this.writer;
  }

  get deliveredSeq(): number {
    return this.orderer?.lastSeq ?? 0;
  }

  /** Events held back by a gap before them. */
  get heldCount(): number {
    return this.orderer?.heldCount ?? 0;
  }

  async start(listener: BusListener, afterSeq: number): Promise<void> {
    await openRedis(this.writer, this.options.target);
    await openRedis(this.reader, this.options.target);
    this.orderer = new SeqOrderer(afterSeq, (_seq, item) => listener(item.event, item.json));
    this.reading = this.readLoop();
    this.gapTimer = setInterval(() => this.checkGap(), GAP_CHECK_MS);
    this.gapTimer.unref();
  }

  publish(_event: HeraldEvent, json: string): void {
    this.writer.xadd(this.streamKey, 'MAXLEN', '~', this.maxEntries, '*', 'e', json).catch((err: unknown) => {
      // The event is durable; the receivers settle its seq from the store.
      this.lostPublishes++;
      this.noteDown(err as Error);
    });
  }

  abandon(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    this.writer
      .xadd(this.streamKey, 'MAXLEN', '~', this.maxEntries, '*', 'a', seqs.join(','))
      .catch((err: unknown) => this.noteDown(err as Error));
  }

  async isHealthy(): Promise<boolean> {
    return this.writer.status === 'ready' && this.reader.status === 'ready' && this.lastReadOk;
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.gapTimer) clearInterval(this.gapTimer);
    this.reader.disconnect();
    await this.reading?.catch(() => undefined);
    await this.writer.quit().catch(() => this.writer.disconnect());
  }

  private async readLoop(): Promise<void> {
    // From the stream's start: what this node already has (seq <= afterSeq) is dropped as a repeat.
    let lastId = '0-0';
    while (!this.isStopped) {
      try {
        const reply = (await this.reader.xread('COUNT', READ_BATCH, 'BLOCK', READ_BLOCK_MS, 'STREAMS', this.streamKey, lastId)) as Array<
          [string, Array<[string, string[]]>]
        > | null;
        this.lastReadOk = true;
        if (this.wasDown) {
          this.wasDown = false;
          this.options.logger?.info({ bus: this.description }, 'Redis is reachable again');
        }
        if (!reply) continue;
        for (const [, entries] of reply) {
          for (const [id, fields] of entries) {
            lastId = id;
            this.take(fields);
          }
        }
      } catch (err) {
        if (this.isStopped) return;
        this.lastReadOk = false;
        this.noteDown(err as Error);
        // A Redis that restarted empty has a new stream, whose ids may sort below the last one read.
        lastId = '0-0';
        await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS));
      }
    }
  }

  private take(fields: string[]): void {
    const orderer = this.orderer!;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const kind = fields[i];
      const value = fields[i + 1]!;
      if (kind === 'e') {
        let event: HeraldEvent;
        try {
          event = JSON.parse(value) as HeraldEvent;
        } catch {
          continue; // not written by Herald
        }
        if (typeof event.seq === 'number') orderer.offer(event.seq, { event, json: value });
      } else if (kind === 'a') {
        for (const part of value.split(',')) {
          const seq = Number(part);
          if (Number.isSafeInteger(seq)) orderer.skip(seq);
        }
      }
    }
  }

  /** Settles the lowest gap once it has waited long enough. */
  private checkGap(): void {
    const gap = this.orderer?.gap;
    if (!gap) {
      this.gapStart = undefined;
      return;
    }
    const now = Date.now();
    if (this.gapStart?.fromSeq !== gap.fromSeq) {
      this.gapStart = { fromSeq: gap.fromSeq, sinceMs: now };
      return;
    }
    if (this.isSettling || now - this.gapStart.sinceMs < this.gapTimeoutMs) return;
    this.isSettling = true;
    void this.options
      .settle(gap.fromSeq, gap.toSeq)
      .then((events) => {
        const orderer = this.orderer!;
        for (const event of events) orderer.offer(event.seq, { event, json: JSON.stringify(event) });
        orderer.skip(gap.fromSeq, gap.toSeq);
        this.settledSeqs += gap.toSeq - gap.fromSeq + 1;
        this.gapStart = undefined;
      })
      .catch((err: unknown) => {
        // The store is away too: wait a whole gap timeout again rather than asking it ten times a second.
        this.gapStart = { fromSeq: gap.fromSeq, sinceMs: Date.now() };
        this.options.logger?.warn({ err, gap }, 'could not settle a seq gap from the store; trying again');
      })
      .finally(() => {
        this.isSettling = false;
      });
  }

  private noteDown(err: Error): void {
    if (this.isStopped || this.wasDown) return;
    this.wasDown = true;
    this.options.logger?.warn({ err: err.message, bus: this.description }, 'Redis is unreachable; publishes are refused until it returns');
  }
}
