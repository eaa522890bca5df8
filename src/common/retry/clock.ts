/**
 * Time: the injected `Clock` (the actions use `systemClock`; tests a fake one, so no schedule is tested by
 * sleeping) and the `Deadline`, an overall time budget read on it.
 */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, Math.max(0, ms)))
}

/** An overall time budget. */
export class Deadline {
  readonly start: number
  readonly end: number
  constructor(
    readonly budgetMs: number,
    readonly clock: Clock = systemClock
  ) {
    this.start = clock.now()
    this.end = this.start + budgetMs
  }
  remaining(): number {
    return Math.max(0, this.end - this.clock.now())
  }
  expired(): boolean {
    return this.remaining() <= 0
  }
  elapsed(): number {
    return this.clock.now() - this.start
  }
  /** Sleeps `ms`, or less when the deadline comes first. */
  async sleep(ms: number): Promise<void> {
    await this.clock.sleep(Math.min(ms, this.remaining()))
  }
}
