/** Round-trip counters; tests in another process (workerd) read them over GET /_stats. */
export interface StatsSnapshot {
  pipelineRequests: number;
  cursorRequests: number;
  statements: number;
}

export class Stats implements StatsSnapshot {
  pipelineRequests = 0;
  cursorRequests = 0;
  statements = 0;

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
  }
}
