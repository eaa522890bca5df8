/**
 * check-url's policy on the common retry primitives (common/retry.ts: backoff, Retry-After, the per-request
 * timeout): its numbers, when to give up on an answer, and when to say we are still waiting. Pure: every
 * decision takes the time as a number, so the schedule is unit-tested without a clock.
 */
import { backoffDelay, requestTimeout as clampRequest, withRetryAfter } from '../common/retry.js'

export const PACING = {
  /** The first retry comes quickly (a site answering 503 for a moment), then the gaps double… */
  firstDelayMs: 250,
  factor: 2,
  /** …up to this (six requests a minute to a site that is still coming up). */
  maxDelayMs: 10_000,
  /** A `Retry-After` from the site is honoured up to this. */
  maxRetryAfterMs: 30_000,
  /** One request (connection, headers and body) may take this long before it counts as "no answer". */
  requestTimeoutMs: 10_000,
  /**
   * A definite answer that misses the expectations (a 404, the wrong body, a missing header) is given this long
   * to change, since an old instance or a cache may still be answering; then the step fails with it.
   * Connection errors, timeouts, 5xx and 429 ("not yet") are retried until `timeout`.
   */
  settleMs: 30_000,
  /**
   * A heartbeat line at least this often. Waits never run past a heartbeat that is due, and one request lasts
   * at most `requestTimeoutMs`, so the log is never silent for more than 20 + 10 = 30 s.
   */
  heartbeatMs: 20_000,
  /** The last probe still gets this long before the deadline. */
  lastProbeMs: 1_000
} as const

/** The wait before retry number `attempt` (1-based): 250 ms, 500 ms, 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export function retryDelay(attempt: number, retryAfterMs?: number): number {
  const paced = backoffDelay(attempt, {
    baseMs: PACING.firstDelayMs,
    maxMs: PACING.maxDelayMs,
    factor: PACING.factor,
    jitter: 0
  })
  return withRetryAfter(paced, retryAfterMs, PACING.maxRetryAfterMs)
}

/**
 * How long one request may take: the usual limit, or what is left of the budget when that is less, but never
 * less than `lastProbeMs` (a request with no time to answer proves nothing).
 */
export function requestTimeout(remainingMs: number): number {
  return clampRequest(remainingMs, { maxMs: PACING.requestTimeoutMs, minMs: PACING.lastProbeMs })
}

/**
 * How a probe's outcome bears on the next one:
 * - `pass`: every expectation met; this URL is done.
 * - `not-yet`: no answer, 5xx or 429: the site is still coming up; retried until `timeout`.
 * - `mismatch`: a definite answer that misses; retried for `settleMs` from the first of a run of them.
 * - `fatal`: nothing waiting can change (a bad certificate, a redirect to plain HTTP, a redirect loop).
 */
export type Disposition = 'pass' | 'not-yet' | 'mismatch' | 'fatal'

export type Next =
  { stop: false; at: number } | { stop: true; why: 'passed' | 'fatal' | 'settled' | 'timeout' }

/**
 * After a probe: stop (and why), or when to probe again. The last probe is placed so it still has
 * `lastProbeMs` before the deadline, rather than skipped or started with no time to answer.
 */
export function decideNext(
  disposition: Disposition,
  state: { now: number; deadline: number; attempt: number; retryAfterMs?: number; mismatchSince?: number }
): Next {
  if (disposition === 'pass') return { stop: true, why: 'passed' }
  if (disposition === 'fatal') return { stop: true, why: 'fatal' }
  const { now, deadline } = state
  if (disposition === 'mismatch' && state.mismatchSince !== undefined) {
    if (now - state.mismatchSince >= PACING.settleMs) return { stop: true, why: 'settled' }
  }
  const latest = deadline - PACING.lastProbeMs
  if (latest <= now) return { stop: true, why: 'timeout' }
  return { stop: false, at: Math.min(now + retryDelay(state.attempt, state.retryAfterMs), latest) }
}

/**
 * How long to sleep now: until the next probe is due, but never past a heartbeat that falls due first (the caller prints it, then asks again).
 */
export function nextSleep(state: { now: number; nextProbeAt: number; nextHeartbeatAt: number }): number {
  return Math.max(0, Math.min(state.nextProbeAt, state.nextHeartbeatAt) - state.now)
}
