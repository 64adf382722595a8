/** A one-line progress indicator on stderr, redrawn in place on a terminal. */
export class Progress {
  readonly #isTty = process.stderr.isTTY === true;
  #lastLength = 0;

  show(text: string): void {
    if (this.#isTty) {
      process.stderr.write(`\r${text.padEnd(this.#lastLength)}`);
      this.#lastLength = text.length;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  /** Clears the line before ordinary output. */
  clear(): void {
    if (this.#isTty && this.#lastLength > 0) process.stderr.write(`\r${' '.repeat(this.#lastLength)}\r`);
    this.#lastLength = 0;
  }
}
