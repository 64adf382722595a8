/** Keeps the first few distinct error texts and a count of the rest. */
export class ErrorLog {
  readonly #first = new Map<string, number>();
  #dropped = 0;

  constructor(private readonly keep = 5) {}

  add(text: string): void {
    const seen = this.#first.get(text);
    if (seen !== undefined) this.#first.set(text, seen + 1);
    else if (this.#first.size < this.keep) this.#first.set(text, 1);
    else this.#dropped++;
  }

  list(): string[] {
    const lines = [...this.#first].map(([text, n]) => (n > 1 ? `${text} (×${n})` : text));
    if (this.#dropped > 0) lines.push(`… ${this.#dropped} more`);
    return lines;
  }
}
