/**
 * The work under way: every request's listeners (including what they do after acknowledging) and the
 * background refreshes they start. On SIGTERM the app stops taking requests, then waits for this to drain
 * before the database closes, so nothing acknowledged is left half done.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when everything running now, and anything it starts meanwhile, has settled. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
