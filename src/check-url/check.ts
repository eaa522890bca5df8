/**
 * The check itself: probe every URL until it passes, cannot pass, or the time is up. The URLs are checked side
 * by side (they are pages of one site coming up after one deploy: checking them in turn would let a slow first
 * page eat the budget of the others, and the step would take the sum of the waits instead of the longest one).
 * One loop drives them all, so time is read in one place (the injected clock) and one heartbeat covers them.
 */
import { formatDuration, plural } from '../common/format.js'
import type { Clock } from '../common/retry.js'
import { judge, type Expectations, type Miss } from './expectations.js'
import { dispositionOf, type Outcome, type Probe } from './http.js'
import { parseRetryAfter } from '../common/retry.js'
import { decideNext, nextSleep, PACING, requestTimeout, type Disposition, type Next } from './pacing.js'

export interface CheckPlan {
  urls: string[]
  expectations: Expectations
  timeoutMs: number
  followRedirects: boolean
}

export type StopReason = Extract<Next, { stop: true }>['why']

export interface UrlResult {
  /** As given in `url`. */
  url: string
  passed: boolean
  why: StopReason
  attempts: number
  /** From the start of the check to the end of the last probe of this URL. */
  durationMs: number
  /** How long the last probe took. */
  lastProbeMs: number
  last: Outcome
  /** What the last answer missed (empty for a pass or no answer). */
  misses: Miss[]
}

export interface CheckResult {
  results: UrlResult[]
  durationMs: number
}

export interface CheckDependencies {
  probe: Probe
  clock: Clock
  /** One line to the log. */
  log: (line: string) => void
}

interface UrlState {
  url: string
  attempt: number
  last?: Outcome
}

export async function checkUrls(plan: CheckPlan, deps: CheckDependencies): Promise<CheckResult> {
  const { clock, log } = deps
  const start = clock.now()
  const deadline = start + plan.timeoutMs
  const states: UrlState[] = plan.urls.map(url => ({ url, attempt: 0 }))
  const pending = new Set(states)
  let nextHeartbeatAt = start + PACING.heartbeatMs
  /** Set when one URL's loop broke (a bug): the others stop at their next step instead of running on. */
  let broken = false

  /** Any URL's loop that finds the heartbeat due prints it, for all of them. */
  const beatIfDue = (): void => {
    const now = clock.now()
    if (now < nextHeartbeatAt || pending.size === 0) return
    log(heartbeat([...pending], { elapsedMs: now - start, leftMs: Math.max(0, deadline - now) }))
    nextHeartbeatAt = now + PACING.heartbeatMs
  }

  /** One URL, probed until it passes, cannot pass, or the time is up. */
  const follow = async (state: UrlState): Promise<UrlResult> => {
    let mismatchSince: number | undefined
    let lastLine: string | undefined
    for (;;) {
      if (broken) throw new Error('stopped: the check of another URL broke')
      state.attempt += 1
      const began = clock.now()
      const outcome = await deps.probe(state.url, {
        followRedirects: plan.followRedirects,
        timeoutMs: requestTimeout(deadline - began),
        bust: `${began.toString(36)}-${state.attempt}`
      })
      const now = clock.now()
      state.last = outcome
      const misses = missesOf(outcome, plan.expectations)
      const disposition = dispositionOf(outcome, misses.length > 0)
      mismatchSince = disposition === 'mismatch' ? (mismatchSince ?? now) : undefined
      const next = decideNext(disposition, {
        now,
        deadline,
        attempt: state.attempt,
        retryAfterMs:
          outcome.kind === 'answer' ? parseRetryAfter(outcome.headers['retry-after'], now) : undefined,
        mismatchSince
      })
      const line = describeOutcome(outcome, misses)
      if (next.stop) {
        pending.delete(state)
        log(
          `${state.url}: ${line} (attempt ${state.attempt}, ${formatDuration(now - start)}): ${stopWords(next.why)}`
        )
        return {
          url: state.url,
          passed: next.why === 'passed',
          why: next.why,
          attempts: state.attempt,
          durationMs: now - start,
          lastProbeMs: now - began,
          last: outcome,
          misses
        }
      }
      if (line !== lastLine) {
        log(`${state.url}: ${line} (attempt ${state.attempt}); ${waitWords(disposition)}, trying again`)
      }
      lastLine = line
      beatIfDue()
      // Sleep until the next probe, waking for each heartbeat that falls due first.
      while (clock.now() < next.at) {
        await clock.sleep(nextSleep({ now: clock.now(), nextProbeAt: next.at, nextHeartbeatAt }))
        beatIfDue()
      }
    }
  }

  const results = await Promise.all(
    states.map(state =>
      follow(state).catch((error: unknown) => {
        broken = true
        throw error
      })
    )
  )
  return { results, durationMs: clock.now() - start }
}

/** What an outcome missed: the judge's verdict on an answer, plus a redirect that could not be followed. */
export function missesOf(outcome: Outcome, expectations: Expectations): Miss[] {
  if (outcome.kind === 'no-answer') return []
  const misses = judge(outcome, expectations)
  if (outcome.unfollowed?.fatal) {
    misses.unshift({
      what: 'redirect',
      expected: 'a redirect that can be followed',
      actual: `${outcome.status} to ${outcome.unfollowed.location}, not followed: ${outcome.unfollowed.reason}`
    })
  }
  return misses
}

/** One outcome in a line: `200 OK`, `503 Service Unavailable`, `no answer: connection refused…`, with what it missed. */
export function describeOutcome(outcome: Outcome, misses: Miss[]): string {
  if (outcome.kind === 'no-answer') {
    return `no answer${outcome.redirects.length > 0 ? ` from ${outcome.url}` : ''}: ${outcome.reason}`
  }
  const status = `${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ''}`
  const via =
    outcome.redirects.length > 0
      ? ` from ${outcome.url} (after ${plural(outcome.redirects.length, 'redirect')})`
      : ''
  const redirect =
    outcome.unfollowed && !outcome.unfollowed.fatal ? ` to ${outcome.unfollowed.location} (not followed)` : ''
  if (misses.length === 0) return `${status}${via}${redirect}`
  return `${status}${via}${redirect}, but ${misses.map(describeMiss).join('; ')}`
}

export function describeMiss(miss: Miss): string {
  switch (miss.what) {
    case 'status':
      return `expected status ${miss.expected}`
    case 'text':
      return `expected a ${miss.expected}: ${miss.actual}`
    case 'header':
      return `expected header ${miss.expected}, got ${miss.actual}`
    case 'redirect':
      return miss.actual
  }
}

function waitWords(disposition: Disposition): string {
  return disposition === 'mismatch'
    ? `a definite answer, given ${formatDuration(PACING.settleMs)} to change (an old version may still be answering)`
    : 'not up yet'
}

function stopWords(why: StopReason): string {
  switch (why) {
    case 'passed':
      return 'passed'
    case 'fatal':
      return 'failed (waiting cannot change this)'
    case 'settled':
      return `failed (the same kind of answer for ${formatDuration(PACING.settleMs)})`
    case 'timeout':
      return 'failed (time is up)'
  }
}

function heartbeat(pending: UrlState[], time: { elapsedMs: number; leftMs: number }): string {
  const head = `Still checking ${plural(pending.length, 'URL')}: ${formatDuration(time.elapsedMs)} elapsed, ${formatDuration(time.leftMs)} left.`
  const each = pending.map(state =>
    state.last === undefined
      ? `${state.url}: first request under way`
      : `${state.url}: last ${describeOutcome(state.last, [])} (attempt ${state.attempt})`
  )
  return [head, ...each].join(' ')
}
