/** What the demo expected and what it saw; `npm run demo` exits 0 only if every check passed. */
export class DemoReport {
  private readonly checks: { scenario: string; name: string; ok: boolean; detail: string }[] = [];
  private scenario = '';

  begin(scenario: string): void {
    this.scenario = scenario;
    console.log(`\n▶ ${scenario}`);
  }

  check(name: string, ok: boolean, detail = ''): boolean {
    this.checks.push({ scenario: this.scenario, name, ok, detail });
    console.log(`  ${ok ? '✔' : '✘'} ${name}${detail ? `  (${detail})` : ''}`);
    return ok;
  }

  fail(name: string, error: unknown): void {
    this.check(name, false, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }

  get ok(): boolean {
    return this.checks.length > 0 && this.checks.every((c) => c.ok);
  }

  summary(): string {
    const failed = this.checks.filter((c) => !c.ok);
    return failed.length === 0
      ? `\nDemo: all ${this.checks.length} expected outcomes observed.`
      : `\nDemo: ${failed.length} of ${this.checks.length} expected outcomes NOT observed:\n${failed.map((c) => `  - ${c.scenario}: ${c.name}`).join('\n')}`;
  }
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
