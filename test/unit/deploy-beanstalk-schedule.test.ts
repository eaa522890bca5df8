import { describe, expect, it } from '@jest/globals'
import { baseDelay, budgetTime, nextPollDelay, POLL_POLICY } from '../../src/deploy-beanstalk/schedule.js'

describe('poll schedule', () => {
  it('polls about every 2 s right after a change', () => {
    expect(
      nextPollDelay({ now: 1000, lastChangeAt: 1000, recentCalls: [], callsNextRound: 2, throttledRounds: 0 })
    ).toBe(2000)
  })
  it('slows down while nothing changes', () => {
    expect(baseDelay(5_000, 0)).toBe(2_000)
    expect(baseDelay(30_000, 0)).toBe(3_000)
    expect(baseDelay(300_000, 0)).toBe(5_000)
  })
  it('slows down further on throttling, up to the maximum', () => {
    expect(baseDelay(0, 1)).toBe(4_000)
    expect(baseDelay(0, 2)).toBe(8_000)
    expect(baseDelay(300_000, 10)).toBe(POLL_POLICY.maxMs)
  })
  it('waits until a call leaves the 60 s window when the budget is spent', () => {
    const calls = Array.from({ length: 20 }, (_, i) => i * 1000) // 20 calls in the first 20 s
    expect(budgetTime(21_000, calls, 2)).toBe(61_000) // the 2nd oldest (1000) must leave
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
