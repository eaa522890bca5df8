import { describe, expect, it } from '@jest/globals'
import { decideNext, nextSleep, PACING, requestTimeout, retryDelay } from '../../src/check-url/pacing.js'
import { parseRetryAfter } from '../../src/common/retry.js'

describe('retryDelay', () => {
  it('starts short, then slows down to one try every 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(attempt => retryDelay(attempt))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000
    ])
  })

  it("honours the site's Retry-After, up to 30 s, and never goes faster than the pace", () => {
    expect(retryDelay(1, 5000)).toBe(5000)
    expect(retryDelay(1, 120_000)).toBe(30_000)
    expect(retryDelay(7, 1000)).toBe(10_000)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T12:00:00Z')
  it('reads seconds and HTTP dates; ignores what it cannot read', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })
})

describe('requestTimeout', () => {
  it('is 10 s, or what is left of the budget, but at least 1 s', () => {
    expect(requestTimeout(60_000)).toBe(10_000)
    expect(requestTimeout(2500)).toBe(2500)
    expect(requestTimeout(200)).toBe(1000)
    expect(requestTimeout(-5)).toBe(1000)
  })
})

describe('decideNext', () => {
  const base = { now: 100_000, deadline: 280_000, attempt: 1 }

  it('stops on a pass and on what waiting cannot change', () => {
    expect(decideNext('pass', base)).toEqual({ stop: true, why: 'passed' })
    expect(decideNext('fatal', base)).toEqual({ stop: true, why: 'fatal' })
  })

  it('paces "not yet" until the deadline, with a last probe 1 s before it', () => {
    expect(decideNext('not-yet', { ...base, attempt: 3 })).toEqual({ stop: false, at: 101_000 })
    expect(decideNext('not-yet', { ...base, now: 275_000, attempt: 20 })).toEqual({
      stop: false,
      at: 279_000
    })
    // …and never again at the same moment: a probe that answers at once must not spin.
    expect(decideNext('not-yet', { ...base, now: 279_000, attempt: 21 })).toEqual({
      stop: true,
      why: 'timeout'
    })
  })

  it('gives a definite wrong answer 30 s to change, counted from the first of a run of them', () => {
    expect(decideNext('mismatch', { ...base, mismatchSince: 100_000 })).toEqual({ stop: false, at: 100_250 })
    expect(decideNext('mismatch', { ...base, now: 129_999, mismatchSince: 100_000 })).toMatchObject({
      stop: false
    })
    expect(decideNext('mismatch', { ...base, now: 130_000, mismatchSince: 100_000 })).toEqual({
      stop: true,
      why: 'settled'
    })
    // The timeout comes first when it is shorter.
    expect(
      decideNext('mismatch', { ...base, deadline: 105_000, now: 104_500, mismatchSince: 100_000 })
    ).toEqual({
      stop: true,
      why: 'timeout'
    })
  })
})

describe('nextSleep', () => {
  it('sleeps until the next probe, or until a heartbeat falls due first', () => {
    expect(nextSleep({ now: 0, nextProbeAt: 8000, nextHeartbeatAt: 20_000 })).toBe(8000)
    expect(nextSleep({ now: 15_000, nextProbeAt: 25_000, nextHeartbeatAt: 20_000 })).toBe(5000)
    expect(nextSleep({ now: 30_000, nextProbeAt: 25_000, nextHeartbeatAt: 40_000 })).toBe(0)
  })

  it('keeps the log from being silent for more than 30 s: heartbeat gap + the longest request', () => {
    expect(PACING.heartbeatMs + PACING.requestTimeoutMs).toBeLessThanOrEqual(30_000)
  })
})
