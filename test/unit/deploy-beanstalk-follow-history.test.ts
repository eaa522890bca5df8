/**
 * When to look often (issue 21's latency): the environment's earlier updates, read from its DescribeEvents
 * history, say when this one should end; the schedule looks every second around that time, less often before it,
 * and never breaks the cap. Pure, on numbers.
 */
import { describe, expect, it } from '@jest/globals'
import { expectDuration, updateDurations } from '../../src/deploy-beanstalk/update/history.js'
import type { BeanstalkEvent } from '../../src/deploy-beanstalk/update/events.js'
import { POLL_POLICY, nearWindow, nextPollDelay } from '../../src/deploy-beanstalk/update/poll.js'

const event = (seconds: number, message: string): BeanstalkEvent => ({
  date: new Date(seconds * 1000),
  message,
  severity: 'INFO'
})
const START = 'Environment update is starting.'
const DONE = 'Environment update completed successfully.'

describe('updateDurations and expectDuration', () => {
  it('pairs each start with its completion, newest-first answers included; failures and this update left out', () => {
    const events = [
      event(5_000, 'New application version was deployed to running EC2 instances.'),
      event(4_062, DONE),
      event(4_000, START),
      event(3_100, 'Failed to deploy application.'),
      event(3_000, START),
      event(2_050, DONE),
      event(2_000, START),
      event(1_045, DONE),
      event(1_000, START),
      event(9_000, START) // this update's own start: after `before`
    ]
    expect(updateDurations(events, new Date(8_000_000))).toEqual([45_000, 50_000, 62_000])
  })

  it('the median of the last five, with their spread; nothing without history', () => {
    expect(expectDuration([])).toBeUndefined()
    expect(expectDuration([60_000])).toEqual({ durationMs: 60_000, spreadMs: 0 })
    expect(expectDuration([500_000, 40_000, 44_000, 41_000, 90_000, 42_000])).toEqual({
      durationMs: 42_000,
      spreadMs: 50_000
    })
  })
})

describe('the schedule around an expected end', () => {
  const input = { lastChangeAt: 0, callsNextRound: 1, throttledRounds: 0 }
  /** 11 requests at the start (the look-ups, the version calls, the update, the first round). */
  const burst = Array.from({ length: 11 }, (_, i) => i * 100)

  it('before the near window: at most every farMs, and there when the window opens', () => {
    const expectedEnd = { at: 60_000, spreadMs: 0 }
    expect(nextPollDelay({ ...input, now: 5_000, recentCalls: burst, expectedEnd })).toBe(POLL_POLICY.farMs)
    const { from } = nearWindow(expectedEnd)
    expect(nextPollDelay({ ...input, now: from - 1_500, recentCalls: burst, expectedEnd })).toBe(1_500)
  })

  it('in the near window: every second while the window has requests to spare', () => {
    const expectedEnd = { at: 10_000, spreadMs: 0 }
    expect(nextPollDelay({ ...input, now: 9_000, recentCalls: burst, expectedEnd })).toBe(POLL_POLICY.nearMs)
    // a wide spread opens the window earlier; the requests left are spread over it
    const wide = { at: 30_000, spreadMs: 10_000 }
    expect(nearWindow(wide)).toEqual({ from: 20_000, until: 40_000 })
    const delay = nextPollDelay({ ...input, now: 20_000, recentCalls: burst, expectedEnd: wide })
    expect(delay).toBeGreaterThan(POLL_POLICY.nearMs)
    expect(delay).toBeLessThanOrEqual(20_000 / 7 + 1)
  })

  it('keeps to the cap, and leaves the round that sees the end its two requests, whatever the expectation', () => {
    for (const at of [10_000, 30_000, 45_000, 90_000]) {
      for (const spreadMs of [0, 4_000, 20_000]) {
        const calls = [...burst]
        let now = 1_000
        while (now < at + 20_000) {
          now += nextPollDelay({ ...input, now, recentCalls: calls, expectedEnd: { at, spreadMs } })
          calls.push(now)
          const inWindow = calls.filter(t => t > now - POLL_POLICY.windowMs).length
          expect(inWindow).toBeLessThanOrEqual(POLL_POLICY.budgetPerMinute)
        }
        // never the cap's stall of most of a minute; with a close expectation, a look at least every 4 s around
        // the end itself
        const gaps = calls.slice(11).map((t, i) => t - calls[10 + i])
        expect(Math.max(...gaps)).toBeLessThanOrEqual(20_000)
        const near = calls.filter(t => t >= at - 2_000 && t <= at + 4_000)
        if (spreadMs <= 4_000) expect(near.length).toBeGreaterThanOrEqual(2)
      }
    }
  })
})
