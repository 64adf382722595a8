import type { HeraldEvent } from '@herald/protocol';
import type { EventStore } from '../store/event-store.js';
import type { Subscription } from './hub.js';
import { isVisibleTo, subscriptionMatches } from './hub.js';
import type { LoggedEvent, ReplayBuffer } from './replay-buffer.js';
import type { Subscriber } from './subscriber.js';
import { OutboundFrame } from '../connection/ws-frame.js';

/** Events read from the store per step of a replay. */
const STORE_PAGE = 1_000;
/** A replay pauses while the connection has more than this queued, bytes (a storm of 1,000 resumes holds at most ~256 MiB). */
const REPLAY_HIGH_WATER_BYTES = 256 * 1024;

function replayFrame(subscriptionId: string, json: string): OutboundFrame {
  return OutboundFrame.fromText(`{"type":"event","subscriptions":${JSON.stringify([subscriptionId])},"replay":true,"event":${json}}`);
}

/**
 * Replays what a subscription missed, then hands it to live delivery with no
 * gap and no duplicate. While the subscription replays, live dispatch skips
 * it; the replay reads the store up to where the in-memory buffer begins,
 * then continues from the buffer, pausing whenever the connection's queue
 * passes a high-water mark (so a long replay never trips the slow-consumer
 * bound); the run that reaches the newest seq switches the subscription to
 * live in the same turn, so nothing can fall between the two.
 */
export class Replayer {
  constructor(private readonly deps: { store: EventStore; buffer: ReplayBuffer; headSeq: () => number; maxQueuedBytes: number }) {}

  async replay(subscriber: Subscriber, sub: Subscription, since: number | string): Promise<void> {
    const { store, buffer } = this.deps;
    let cursor = await this.startSeq(since);
    const earliest = await store.earliestSeq();
    // Where the log still begins: the store's earliest, or the buffer's when the store has less.
    const available = Math.min(earliest, this.bufferStart());
    const recovered = cursor + 1 >= available;
    let count = 0;
    const send = (event: HeraldEvent, json: string, logged?: LoggedEvent): void => {
      if (!isVisibleTo(subscriber, event) || !subscriptionMatches(sub, event)) return;
      let frame: OutboundFrame;
      if (logged?.replay?.subscriptionId === sub.id) frame = logged.replay.frame;
      else {
        frame = replayFrame(sub.id, json);
        if (logged) logged.replay = { subscriptionId: sub.id, frame };
      }
      subscriber.deliver(frame);
      count++;
    };
    const highWater = Math.min(REPLAY_HIGH_WATER_BYTES, Math.floor(this.deps.maxQueuedBytes / 4));
    const isCurrent = () => subscriber.isOpen && sub.member.subscriptions.get(sub.id) === sub;
    const drain = () => subscriber.waitForDrain(highWater);
    for (;;) {
      if (!isCurrent()) return;
      const first = this.bufferStart();
      if (cursor + 1 < first) {
        // Older than memory: read a page from the store.
        const page = await store.readAfter(cursor, STORE_PAGE);
        let advanced = false;
        for (const event of page) {
          if (event.seq >= first) break;
          send(event, JSON.stringify(event));
          cursor = event.seq;
          advanced = true;
        }
        if (!advanced) cursor = first - 1; // the store holds nothing more below the buffer
        await drain();
        continue;
      }
      // From memory, synchronously, until the head or the high-water mark.
      let isAtHead = true;
      buffer.forEachAfter(cursor, (entry) => {
        send(entry.event, entry.json, entry);
        cursor = entry.event.seq;
        if (subscriber.queuedBytes > highWater) isAtHead = false;
        return isAtHead;
      });
      // Reaching the head in this same turn means nothing can fall between replay and live.
      if (isAtHead || cursor >= this.deps.headSeq()) break;
      await drain();
    }
    if (!isCurrent()) return;
    const toSeq = this.deps.headSeq();
    sub.isReplaying = false;
    const marker: Record<string, unknown> = { type: 'replayed', subscription_id: sub.id, count, to_seq: toSeq, recovered };
    if (!recovered) marker.earliest_seq = available;
    subscriber.sendMessage(marker);
  }

  /** Seq of the oldest event in memory; with an empty buffer, everything up to the head is in the store. */
  private bufferStart(): number {
    return this.deps.buffer.firstSeq ?? this.deps.headSeq() + 1;
  }

  /** The seq after which the replay starts. */
  private async startSeq(since: number | string): Promise<number> {
    if (typeof since === 'number') return since;
    if (since === 'earliest') return 0;
    if (/^\d+$/.test(since)) return Number(since);
    return (await this.deps.store.seqAtTime(new Date(since).toISOString())) - 1;
  }
}
