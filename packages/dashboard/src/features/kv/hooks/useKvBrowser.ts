import { useCallback, useEffect, useState } from 'react';
import type { KvItem } from '@herald/protocol';
import { useSession } from '../../../realtime/session-context';

/** Keys fetched per page. */
const PAGE_KEYS = 50;

/**
 * The KV browser's data: the keys under a prefix a page at a time (the
 * `kv.*` tools over the socket), and saving or deleting one key.
 */
export function useKvBrowser(prefix: string) {
  const session = useSession();
  const [items, setItems] = useState<KvItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [isLoading, setIsLoading] = useState(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    setIsLoading(true);
    session.client.kv.list({ prefix, limit: PAGE_KEYS }).then(
      (page) => {
        if (!isCurrent) return;
        setItems(page.keys);
        setCursor(page.next_cursor);
        setError(undefined);
        setIsLoading(false);
      },
      (err: Error) => {
        if (!isCurrent) return;
        setError(err.message);
        setIsLoading(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [session, prefix, tick]);

  const loadMore = useCallback(async () => {
    if (cursor === null) return;
    const page = await session.client.kv.list({ prefix, cursor, limit: PAGE_KEYS });
    setItems((list) => [...list, ...page.keys]);
    setCursor(page.next_cursor);
  }, [session, prefix, cursor]);

  const refresh = useCallback(() => setTick((n) => n + 1), []);

  const save = useCallback(
    async (key: string, value: unknown, ttlS: number | undefined) => {
      await session.client.kv.set(key, value, ttlS === undefined ? {} : { ttlS });
      refresh();
    },
    [session, refresh],
  );

  const remove = useCallback(
    async (key: string) => {
      await session.client.kv.delete(key);
      refresh();
    },
    [session, refresh],
  );

  return { items, hasMore: cursor !== null, loadMore, isLoading, error, save, remove, refresh };
}
