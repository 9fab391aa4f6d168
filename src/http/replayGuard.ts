/**
 * Remembers request signatures for the signing window, so a captured request replayed within
 * those five minutes is refused. In memory on purpose: a replay is only possible inside the
 * window, the set is bounded, and several replicas each refusing a second copy is enough for
 * an attacker who would need the secret to forge anything new.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** True the first time a signature is seen within the window; false for a replay. */
  firstSighting(signature: string, nowMs: number): boolean {
    const expiresAt = this.seen.get(signature);
    if (expiresAt !== undefined && expiresAt > nowMs) return false;
    this.prune(nowMs);
    this.seen.set(signature, nowMs + this.windowMs);
    return true;
  }

  private prune(nowMs: number): void {
    // Entries are inserted in time order, so expired ones sit at the front of the map.
    for (const [signature, expiresAt] of this.seen) {
      if (expiresAt > nowMs && this.seen.size < this.maxEntries) break;
      this.seen.delete(signature);
    }
  }
}
