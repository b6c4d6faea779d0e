/**
 * One status line: rewritten in place on a terminal; on a pipe or CI log, a line per phase and at most
 * one line every few seconds within a phase, so logs stay readable.
 */
export class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastPrinted = 0;
  private phase = "";
  private width = 0;

  update(phase: string, detail = ""): void {
    const text = detail ? `${phase}: ${detail}` : phase;
    if (this.tty) {
      const line = `[bench] ${text}`.slice(0, (process.stderr.columns ?? 100) - 1);
      process.stderr.write(`\r${line}${" ".repeat(Math.max(0, this.width - line.length))}`);
      this.width = line.length;
      return;
    }
    const now = Date.now();
    if (phase !== this.phase || now - this.lastPrinted >= 5_000) {
      process.stderr.write(`[bench] ${text}\n`);
      this.phase = phase;
      this.lastPrinted = now;
    }
  }

  /** Ends the in-place line so normal output starts on a fresh one. */
  done(): void {
    if (this.tty && this.width > 0) process.stderr.write("\n");
    this.width = 0;
  }
}
