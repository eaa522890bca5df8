import { DeadlineReached } from '../errors.js'
import { formatDuration } from '../format.js'
import type { Clock, Deadline } from './clock.js'

/** The longest single wait for a slot: a longer one is cut into waits of this length, each told to `onWait`. */
export const MAX_SILENT_WAIT_MS = 20_000

/** The adaptive pace's numbers (CallBudget.throttled / succeeded). */
export const ADAPTIVE = {
  /** The least spacing after a throttle. */
  minGapMs: 500,
  /** The most: a request every 12 s still sees an update end within seconds of its events. */
  maxGapMs: 12_000,
  /** Each unthrottled answer multiplies the spacing by this. */
  recover: 0.85,
  /** Below this the spacing is dropped. */
  floorMs: 150
} as const

/**
 * A hard cap on requests per sliding window (e.g. 20 Beanstalk requests a minute): every request sent — first
 * tries and the SDK's own retries — takes a slot, and waits on the injected clock when the window is full. A
 * request AWS refuses with Throttling gives its slot back (`throttled(slot)`): the account's token bucket took
 * nothing for it, and a busy account must not cost the step the requests it needs later (the look that sees the
 * update end). What keeps throttled requests from piling up instead is the adaptive pace below.
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
  /** Requests answered Throttling (their slots given back). */
  throttledTotal = 0
  /** When each recent request was sent, throttled ones included (the rate the adaptive pace observes). */
  private readonly attempts: number[] = []
  /**
   * The adaptive pace, the shape of the SDK's adaptive retry mode (whose client-side rate limiter this cap
   * replaced): 0 while AWS has not throttled; on Throttling, the least time between two requests grows (the rate
   * times 0.7, at least ADAPTIVE.minGapMs); each request answered without throttling shrinks it again (times
   * ADAPTIVE.recover), back to 0. The account's limits are shared by every caller: this is how several deploys at
   * once settle on what the account has left instead of retrying into it.
   */
  gapMs = 0
  private lastSentAt = -Infinity

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
   * A request was answered Throttling: its slot (what `acquire` returned) is given back, since AWS took nothing
   * for it, and the pace slows down, so that fewer requests are throttled.
   */
  throttled(slot?: number): void {
    this.throttledTotal++
    const now = this.clock.now()
    if (slot !== undefined) {
      const at = this.sent.lastIndexOf(slot)
      if (at >= 0) this.sent.splice(at, 1)
    }
    // the spacing the requests went out at lately (the last 10 s), or the current pace if slower; rate × 0.7
    const lately = this.attempts.filter(time => time > now - 10_000)
    const observed = lately.length >= 2 ? (now - lately[0]) / lately.length : 0
    this.gapMs = Math.min(
      ADAPTIVE.maxGapMs,
      Math.max(ADAPTIVE.minGapMs, Math.max(observed, this.gapMs) / 0.7)
    )
  }

  /** A request answered without throttling: the pace recovers step by step. */
  succeeded(): void {
    if (this.gapMs === 0) return
    this.gapMs *= ADAPTIVE.recover
    if (this.gapMs < ADAPTIVE.floorMs) this.gapMs = 0
  }

  /**
   * Waits until a request fits in the window, then takes its slot. With a `deadline` (the step's timeout, or a
   * rollback's own), a slot that would only come after it is not waited for: a `DeadlineReached` is thrown at once.
   * A slot free now is taken even after the deadline (a last look after a timeout is not held back).
   * Returns the slot (the time it was taken), for `throttled` to give back.
   */
  async acquire(deadline?: Deadline): Promise<number> {
    for (;;) {
      const now = this.clock.now()
      const recent = this.sent.filter(time => time > now - this.windowMs)
      const paced = this.lastSentAt + this.gapMs
      // the adaptive pace after throttling: a short wait, never past the deadline (a courtesy to the account, not a
      // cap: a request it would hold past the deadline goes now, as a last look after a timeout does)
      if (recent.length < this.limit && now < paced && !(deadline && paced > deadline.end)) {
        await this.clock.sleep(Math.ceil(paced - now))
        continue
      }
      if (recent.length < this.limit) {
        this.lastSentAt = now
        this.sent.push(now)
        this.attempts.push(now)
        this.total++
        this.peak = Math.max(this.peak, recent.length + 1)
        if (this.sent.length > this.limit * 4) this.sent.splice(0, this.sent.length - this.limit * 4)
        if (this.attempts.length > this.limit * 4)
          this.attempts.splice(0, this.attempts.length - this.limit * 4)
        return now
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
        `(every request AWS answers counts, the SDK's retries too). It stops now rather than run over its timeout: ` +
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
