import { backoffDelay, type BackoffOptions } from './backoff.js'
import type { Deadline } from './clock.js'

/**
 * Waiting and retrying: one loop (`poll`) under an overall deadline, which `retry` and the actions' pollers build
 * on (the deploy's Beanstalk poller, CloudFront's invalidation wait).
 */

export type PollResult<T> = { done: true; value: T } | { done: false; delayMs: number }

/**
 * The one waiting loop: calls `check` until it reports done. `check` decides its own next delay (adaptive
 * polling, backoff), which is cut to what is left of the deadline, so the whole budget is used and the last
 * round runs at the deadline itself. Returns undefined when the deadline has passed.
 */
export async function poll<T>(
  check: (round: number) => Promise<PollResult<T>>,
  options: { deadline: Deadline; heartbeat?: Pulse }
): Promise<T | undefined> {
  for (let round = 1; ; round++) {
    const result = await check(round)
    if (result.done) return result.value
    if (options.deadline.expired()) return undefined
    await sleepWithPulse(options.deadline, result.delayMs, options.heartbeat)
  }
}

/** A wait's heartbeat as the loop sees it: when the next line falls due, and printing it. */
export interface Pulse {
  dueInMs(): number
  beat(): void
}

/**
 * Sleeps `ms` (cut to the deadline), waking for each heartbeat that falls due meanwhile, so a long delay between
 * two looks never leaves the log silent for longer than the heartbeat's period.
 */
async function sleepWithPulse(deadline: Deadline, ms: number, pulse: Pulse | undefined): Promise<void> {
  const until = deadline.clock.now() + Math.min(ms, deadline.remaining())
  for (;;) {
    const left = until - deadline.clock.now()
    if (left <= 0) return
    const dueIn = pulse ? pulse.dueInMs() : Infinity
    if (dueIn >= left) return await deadline.sleep(left)
    await deadline.sleep(Math.max(1, dueIn))
    pulse?.beat()
  }
}

export interface RetryOptions extends BackoffOptions {
  deadline: Deadline
  /** Whether this error is worth another try; anything else is thrown at once. */
  retryable: (error: unknown) => boolean
  /** Called before each wait, e.g. to log "registry not ready, retrying in 2s". */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  random?: () => number
}

/**
 * Calls `fn` until it succeeds, a non-retryable error is thrown, or the deadline passes: the whole budget is
 * used (the last wait is cut to what is left, then one more try), and then the last error is thrown, so the
 * user sees the real reason and not just "timed out".
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { deadline } = options
  let lastError: unknown
  const result = await poll<{ value: T }>(
    async attempt => {
      try {
        return { done: true, value: { value: await fn(attempt) } }
      } catch (error) {
        if (!options.retryable(error)) throw error
        lastError = error
        if (deadline.expired()) return { done: false, delayMs: 0 }
        const delayMs = Math.min(backoffDelay(attempt, options, options.random), deadline.remaining())
        options.onRetry?.(error, attempt, delayMs)
        return { done: false, delayMs }
      }
    },
    { deadline }
  )
  if (result === undefined) throw lastError
  return result.value
}
