import type { HeraldEvent } from '@herald/protocol';
import type { HeraldClient } from '../../src/index.js';

/** Every stored event of the given types, oldest first, read page by page through the SDK. */
export async function storedEvents(client: HeraldClient, types: string[]): Promise<HeraldEvent[]> {
  const out: HeraldEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.history({ types, limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.events);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out.reverse();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds or `timeoutMs` passes; the error names what was awaited. */
export async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
