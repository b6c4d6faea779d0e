/** Round-trip counters; tests in another process (workerd) read them over GET /_stats. */
export interface StatsSnapshot {
  pipelineRequests: number;
  cursorRequests: number;
  statements: number;
}

// Enough for every counted window of a full test run; past it the oldest tokens are forgotten.
const MAX_TOKENS = 10_000;

export class Stats implements StatsSnapshot {
  pipelineRequests = 0;
  cursorRequests = 0;
  statements = 0;
  /**
   * Pipeline requests per bearer token. A server without a token of its own accepts any, so a test can give the
   * Worker a token nobody else uses and count only the requests made with it: work left running by earlier tests
   * (a queued retry, an alarm) uses another token and does not blur the count.
   */
  private readonly byToken = new Map<string, number>();

  countPipeline(token: string | undefined): void {
    this.pipelineRequests++;
    if (token === undefined) return;
    const seen = this.byToken.get(token);
    if (seen === undefined && this.byToken.size >= MAX_TOKENS) {
      this.byToken.delete(this.byToken.keys().next().value!);
    }
    this.byToken.set(token, (seen ?? 0) + 1);
  }

  /** Pipeline requests sent with `token` since the last reset. */
  pipelineRequestsWith(token: string): number {
    return this.byToken.get(token) ?? 0;
  }

  snapshot(): StatsSnapshot {
    return {
      pipelineRequests: this.pipelineRequests,
      cursorRequests: this.cursorRequests,
      statements: this.statements,
    };
  }

  reset(): void {
    this.pipelineRequests = 0;
    this.cursorRequests = 0;
    this.statements = 0;
    this.byToken.clear();
  }
}
