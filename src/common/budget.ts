import type { Clock } from './retry.js'

/** The longest single wait for a slot: a longer one is cut into waits of this length, each told to `onWait`. */
export const MAX_SILENT_WAIT_MS = 20_000

/**
 * A hard cap on requests per sliding window (e.g. 20 Beanstalk requests a minute): every request sent —
 * first tries and the SDK's own retries, throttled or not — takes a slot, and waits on the injected clock
 * when the window is full. The account's request rate is shared with every other tool and job, and
 * throttled requests count against it too.
 */
export class CallBudget {
  /** When each request was sent (the most recent ones). */
  readonly sent: number[] = []
  /** The most requests seen in any window so far (for the bench and tests). */
  peak = 0
  /** Total requests sent. */
  total = 0

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock,
    /** Told before each wait for a slot (how long), so a long one is not silent: waits last at most 20 s each. */
    private readonly onWait?: (waitMs: number) => void
  ) {}

  /** Requests sent in the window ending now. */
  inWindow(now = this.clock.now()): number {
    return this.sent.filter(time => time > now - this.windowMs).length
  }

  /**
   * Counts a request sent outside the paced work (e.g. pruning old versions, before the version is created or after
   * the deploy): in the total, but neither held back nor holding back the requests that follow it.
   */
  record(): void {
    this.total++
  }

  /** Waits until a request fits in the window, then takes its slot. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now()
      const recent = this.sent.filter(time => time > now - this.windowMs)
      if (recent.length < this.limit) {
        this.sent.push(now)
        this.total++
        this.peak = Math.max(this.peak, recent.length + 1)
        if (this.sent.length > this.limit * 4) this.sent.splice(0, this.sent.length - this.limit * 4)
        return
      }
      // the oldest request that must leave the window for one more to fit
      const leavesAt = recent[recent.length - this.limit] + this.windowMs
      const waitMs = Math.max(1, leavesAt - now)
      this.onWait?.(waitMs)
      await this.clock.sleep(Math.min(waitMs, MAX_SILENT_WAIT_MS))
    }
  }
}
