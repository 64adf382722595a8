/**
 * The newest `capacity` ids with their seqs, oldest out first: the
 * duplicate check asks here before it asks the store. Only durable events
 * are remembered, so an id found here is in the log.
 */
export class RecentIds {
  private readonly seqs = new Map<string, number>();
  private readonly order: Array<string | undefined>;
  private next = 0;

  constructor(private readonly capacity: number) {
    this.order = new Array(capacity);
  }

  get(id: string): number | undefined {
    return this.seqs.get(id);
  }

  has(id: string): boolean {
    return this.seqs.has(id);
  }

  remember(id: string, seq: number): void {
    this.seqs.set(id, seq);
    const slot = this.next;
    const evicted = this.order[slot];
    if (evicted !== undefined && evicted !== id) this.seqs.delete(evicted);
    this.order[slot] = id;
    this.next = (slot + 1) % this.capacity;
  }
}
