/**
 * How long to wait, pure: exponential backoff (capped, with jitter), a server's `Retry-After`, and how long one
 * request may take under a deadline. Every action's schedule is one of these with its own numbers.
 */

export interface BackoffOptions {
  /** First delay, in ms. */
  baseMs: number
  /** Largest delay, in ms. */
  maxMs: number
  /** Growth per attempt (default 2). */
  factor?: number
  /** 0..1: the share of each delay that is randomised ("equal jitter"); default 0.5. */
  jitter?: number
}

/** The delay before retry number `attempt` (1-based): exponential, capped, with jitter. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random
): number {
  const factor = options.factor ?? 2
  const jitter = options.jitter ?? 0.5
  const raw = Math.min(options.maxMs, options.baseMs * Math.pow(factor, Math.max(0, attempt - 1)))
  return Math.round(raw * (1 - jitter) + raw * jitter * random())
}

/**
 * The delay before try number `attempt`, never shorter than a server's `Retry-After` (honoured up to
 * `maxRetryAfterMs`): a site or registry that says when to come back is believed, within reason.
 */
export function withRetryAfter(
  delayMs: number,
  retryAfterMs: number | undefined,
  maxRetryAfterMs: number
): number {
  if (retryAfterMs === undefined) return delayMs
  return Math.max(delayMs, Math.min(retryAfterMs, maxRetryAfterMs))
}

/** `Retry-After` as a wait in ms: delay-seconds or an HTTP date (relative to `now`); undefined when absent or bad. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/**
 * How long one request may take: `maxMs`, or what is left of the budget when that is less, but never less than
 * `minMs` (a request with no time to answer proves nothing).
 */
export function requestTimeout(remainingMs: number, limits: { maxMs: number; minMs: number }): number {
  return Math.min(limits.maxMs, Math.max(limits.minMs, remainingMs))
}
