import { describe, expect, it } from '@jest/globals'
import {
  baseDelay,
  budgetTime,
  nextPollDelay,
  paceDelay,
  POLL_POLICY
} from '../../src/deploy-beanstalk/update/poll.js'

describe('poll schedule', () => {
  it('polls about every 2 s right after a change', () => {
    expect(
      nextPollDelay({ now: 1000, lastChangeAt: 1000, recentCalls: [], callsNextRound: 2, throttledRounds: 0 })
    ).toBe(2000)
  })
  it('polls every 3 s while nothing changes', () => {
    expect(baseDelay(5_000, 0)).toBe(2_000)
    expect(baseDelay(30_000, 0)).toBe(3_000)
    expect(baseDelay(300_000, 0)).toBe(3_000)
  })
  it('slows down further on throttling, up to the maximum', () => {
    expect(baseDelay(0, 1)).toBe(4_000)
    expect(baseDelay(0, 2)).toBe(8_000)
    expect(baseDelay(300_000, 10)).toBe(POLL_POLICY.maxMs)
  })
  it('waits until a call leaves the 60 s window when the budget is spent', () => {
    const budget = POLL_POLICY.budgetPerMinute
    const calls = Array.from({ length: budget }, (_, i) => i * 1000) // the whole budget in the first seconds
    // the 2nd oldest (1000) must leave the window
    expect(budgetTime(budget * 1000 + 1000, calls, 2)).toBe(1000 + POLL_POLICY.windowMs)
    expect(budgetTime(70_000, calls, 2)).toBe(70_000)
  })
  it('never makes more than 20 calls in any 60 s window, whatever changes', () => {
    for (const changeEvery of [1, 2_000, 7_000, 1e9]) {
      const calls: number[] = []
      let now = 0
      let lastChange = 0
      while (now < 600_000) {
        const perRound = calls.length % 3 === 0 ? 2 : 1
        for (let i = 0; i < perRound; i++) calls.push(now)
        if (now - lastChange >= changeEvery) lastChange = now
        now += nextPollDelay({
          now,
          lastChangeAt: lastChange,
          recentCalls: calls,
          callsNextRound: 2,
          throttledRounds: 0
        })
      }
      for (const start of calls) {
        const inWindow = calls.filter(t => t >= start && t < start + 60_000).length
        expect(inWindow).toBeLessThanOrEqual(POLL_POLICY.budgetPerMinute)
      }
      // and it keeps polling: at least one round every 30 s
      for (let i = 1; i < calls.length; i++)
        expect(calls[i] - calls[i - 1]).toBeLessThanOrEqual(POLL_POLICY.windowMs)
    }
  })
  it('uses about 12-20 calls a minute while waiting on a quiet update', () => {
    const calls: number[] = []
    let now = 0
    while (now < 300_000) {
      calls.push(now, now)
      now += nextPollDelay({
        now,
        lastChangeAt: 0,
        recentCalls: calls,
        callsNextRound: 2,
        throttledRounds: 0
      })
    }
    const lastMinute = calls.filter(t => t >= 240_000).length
    expect(lastMinute).toBeGreaterThanOrEqual(12)
    expect(lastMinute).toBeLessThanOrEqual(20)
  })
})

describe('pacing', () => {
  it('does not slow a round of one request while the window holds few', () => {
    expect(paceDelay(10_000, [1_000, 2_000, 3_000], 1)).toBeLessThan(POLL_POLICY.steadyMs)
  })
  it('spreads what the window has left instead of a burst then a stall', () => {
    const calls = Array.from({ length: 12 }, (_, i) => i * 500) // 12 requests in the first 6 s
    // at 10 s, 8 of 20 are left until the oldest (0) leaves at 61 s: 51 s / 9 requests (the 9th needs it gone)
    expect(paceDelay(10_000, calls, 1)).toBe(5_667)
    // rounds of 2: the 10th request is in the 5th round and needs the 2nd oldest (500) gone
    expect(paceDelay(10_000, calls, 2)).toBe(10_300)
  })
  it('converges to the budget’s rate in a long wait', () => {
    const calls = Array.from({ length: 20 }, (_, i) => i * 3_050) // a request every 3.05 s
    const delay = paceDelay(20 * 3_050, calls, 1)
    expect(delay).toBeGreaterThanOrEqual(2_800)
    expect(delay).toBeLessThanOrEqual(3_100)
  })
  it('a burst of calls early never causes a long stall later', () => {
    const calls = Array.from({ length: 10 }, (_, i) => i * 200) // a burst: 10 calls in 2 s
    let now = 2_000
    let longest = 0
    while (now < 300_000) {
      calls.push(now, now)
      const delay = nextPollDelay({
        now,
        lastChangeAt: 2_000,
        recentCalls: calls,
        callsNextRound: 2,
        throttledRounds: 0
      })
      longest = Math.max(longest, delay)
      now += delay
    }
    expect(longest).toBeLessThanOrEqual(20_000)
    for (const start of calls)
      expect(calls.filter(t => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(20)
  })
})
