import { DeadlineReached } from '../errors.js'
import { formatDuration } from '../format.js'
import type { Clock, Deadline } from './clock.js'

/** The longest single wait for a slot: a longer one is cut into waits of this length, each told to `onWait`. */
export const MAX_SILENT_WAIT_MS = 20_000

/**
 * A hard cap on requests per sliding window (e.g. 20 Beanstalk requests a minute): every request sent —
 * first tries and the SDK's own retries, throttled or not — takes a slot, and waits on the injected clock
 * when the window is full. The account's request rate is shared with every other tool and job, and
 * throttled requests count against it too.
 *
 * A wait never runs past the deadline of the work under way (`acquire(deadline)`): when a slot would only come
 * after it, `acquire` fails at once with a `DeadlineReached` (the step's timeout), instead of holding the request
 * for up to a window and overrunning the timeout.
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
    private readonly onWait?: (waitMs: number) => void,
    /** The cap in words, for the message when the deadline comes first (`at most 20 Beanstalk requests in any minute`). */
    readonly cap = `at most ${limit} requests in any ${formatDuration(windowMs)}`
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

  /**
   * Waits until a request fits in the window, then takes its slot. With a `deadline` (the step's timeout, or a
   * rollback's own), a slot that would only come after it is not waited for: a `DeadlineReached` is thrown at once.
   * A slot free now is taken even after the deadline (a last look after a timeout is not held back).
   */
  async acquire(deadline?: Deadline): Promise<void> {
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
      if (deadline && now + waitMs > deadline.end) throw this.tooLate(waitMs, deadline)
      this.onWait?.(waitMs)
      await this.clock.sleep(Math.min(waitMs, MAX_SILENT_WAIT_MS))
    }
  }

  private tooLate(waitMs: number, deadline: Deadline): DeadlineReached {
    const left = Math.max(0, deadline.end - this.clock.now())
    return new DeadlineReached(
      `The step's timeout (${formatDuration(deadline.budgetMs)}) is reached: the next request could only be sent in ${formatDuration(waitMs)}, ` +
        `${left > 0 ? `later than the ${formatDuration(left)} left` : 'after the timeout'}, because this action keeps to ${this.cap} ` +
        `(every request counts, the SDK's retries of throttled ones too). It stops now rather than run over its timeout: ` +
        `raise \`timeout\` if the work needs longer.`
    )
  }
}

/** A cap on requests: at most `limit` in any `windowMs`. */
export interface Window {
  limit: number
  windowMs: number
}

/**
 * The earliest time at or after `earliest` when `calls` more requests keep every window within the cap, given
 * when the recent ones were sent (`sent`, any order). Pure.
 */
export function windowSlotAt(
  earliest: number,
  sent: readonly number[],
  calls: number,
  { limit, windowMs }: Window
): number {
  const inWindow = [...sent].sort((a, b) => a - b).filter(time => time > earliest - windowMs)
  const mustDrop = inWindow.length + calls - limit
  if (mustDrop <= 0) return earliest
  // wait until the mustDrop-th oldest request in the window has left it
  return inWindow[Math.min(mustDrop, inWindow.length) - 1] + windowMs
}

/**
 * The pace that spreads the requests still possible evenly instead of spending them in a burst and then waiting
 * a window: the shortest delay between rounds of `calls` requests that lets each of the next `ahead` requests
 * fit under the cap once the requests already in the window leave it. With `n` requests in the window (oldest
 * first, t₁ … tₙ), the j-th request from now needs the (n + j − limit)-th of them gone, so a round every d ms
 * needs now + ⌈j / calls⌉ · d ≥ t₍ₙ₊ⱼ₋limit₎ + window for every such j up to `ahead`. In a long wait this
 * converges to the cap's own rate. Pure.
 */
export function paceDelay(
  now: number,
  sent: readonly number[],
  calls: number,
  { limit, windowMs, ahead }: Window & { ahead: number }
): number {
  const inWindow = sent.filter(time => time > now - windowMs).sort((a, b) => a - b)
  const n = inWindow.length
  let delay = 0
  for (let j = Math.max(1, limit - n + 1); j <= ahead; j++) {
    const mustLeave = n + j - limit // 1-based index of the old request that must have left
    if (mustLeave > n) break
    const leavesAt = inWindow[mustLeave - 1] + windowMs
    delay = Math.max(delay, (leavesAt - now) / Math.ceil(j / Math.max(1, calls)))
  }
  return Math.ceil(delay)
}
