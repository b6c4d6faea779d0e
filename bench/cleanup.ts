/**
 * Everything the bench starts registers how to stop it here; `run()` undoes it all in reverse order,
 * once, whether the bench finished, threw, or got Ctrl-C / SIGTERM.
 */
export class Cleanup {
  private readonly steps: { label: string; fn: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  add(label: string, fn: () => unknown): () => void {
    const step = { label, fn };
    this.steps.push(step);
    return () => {
      const i = this.steps.indexOf(step);
      if (i >= 0) this.steps.splice(i, 1);
    };
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.splice(0).reverse()) {
        try {
          await step.fn();
        } catch (err) {
          console.error(`[bench] cleanup "${step.label}" failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    return this.running;
  }

  /**
   * Ctrl-C and SIGTERM clean up, then exit 130 / 143. A second signal (npm forwards the one the terminal
   * already sent the whole process group) must not kill the process mid-cleanup, so the listener stays.
   */
  onSignals(): void {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      process.on(signal, () => {
        if (this.running) return;
        console.error(`\n[bench] ${signal}: stopping everything it started`);
        void this.run().then(() => process.exit(code));
      });
    }
  }
}
