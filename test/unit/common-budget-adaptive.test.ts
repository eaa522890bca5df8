/**
 * The call budget's adaptive pace (issue 21): on Throttling the spacing between requests grows (the shape of the SDK's adaptive retry); answers without throttling shrink it back to none. Fake clock.
 */
import { describe, expect, it } from '@jest/globals'
import { ADAPTIVE, CallBudget } from '../../src/common/retry.js'
import { fakeClock } from '../helpers/fakes.js'

describe('CallBudget adaptive pace', () => {
  it('a throttled request gives its slot back: the step keeps its budget for what follows (issue 21)', async () => {
    const clock = fakeClock(0)
    const budget = new CallBudget(20, 60_000, clock)
    // 30 throttled requests in a row: each spaced by the pace (which grows), none holding a slot
    for (let i = 0; i < 30; i++) budget.throttled(await budget.acquire())
    expect(budget.throttledTotal).toBe(30)
    expect(budget.total).toBe(30)
    expect(budget.inWindow()).toBe(0)
    expect(budget.gapMs).toBe(ADAPTIVE.maxGapMs)
    // the account recovers: 20 answered requests fit the window at once the pace has recovered
    for (let i = 0; i < 100 && budget.gapMs > 0; i++) budget.succeeded()
    const before = clock.t
    for (let i = 0; i < 20; i++) await budget.acquire()
    expect(clock.t - before).toBeLessThanOrEqual(ADAPTIVE.maxGapMs)
    expect(budget.inWindow()).toBe(20)
    // answered requests still keep to the cap: the 21st waits for the window
    await budget.acquire()
    expect(budget.peak).toBe(20)
    expect(clock.t - before).toBeGreaterThanOrEqual(60_000)
  })

  it('gives back only the slot it is told: answered requests around a throttled one keep theirs', async () => {
    const clock = fakeClock(0)
    const budget = new CallBudget(20, 60_000, clock)
    await budget.acquire()
    clock.t = 1_000
    const throttled = await budget.acquire()
    clock.t = 2_000
    await budget.acquire()
    budget.throttled(throttled)
    expect(budget.sent).toEqual([0, 2_000])
    // without a slot (a request the budget did not pace) nothing is given back
    budget.throttled()
    expect(budget.sent).toEqual([0, 2_000])
  })

  it('slows down on Throttling (rate × 0.7, within bounds) and recovers step by step after answers', async () => {
    const clock = fakeClock(0)
    const budget = new CallBudget(20, 60_000, clock)
    await budget.acquire()
    budget.throttled()
    expect(budget.gapMs).toBeGreaterThanOrEqual(ADAPTIVE.minGapMs)
    expect(budget.gapMs).toBeLessThanOrEqual(ADAPTIVE.maxGapMs)
    const slowed = budget.gapMs
    const before = clock.t
    await budget.acquire()
    await budget.acquire()
    // two requests after a throttle: spaced by the gap, on the injected clock
    expect(clock.t - before).toBeGreaterThanOrEqual(Math.floor(slowed))
    budget.throttled()
    expect(budget.gapMs).toBeGreaterThan(slowed)
    for (let i = 0; i < 100 && budget.gapMs > 0; i++) budget.succeeded()
    expect(budget.gapMs).toBe(0)
  })

  it('never spaces a request past the deadline: it goes at once instead (the pace is a courtesy, not the cap)', async () => {
    const clock = fakeClock(0)
    const budget = new CallBudget(20, 60_000, clock)
    for (let i = 0; i < 20 && budget.gapMs < ADAPTIVE.maxGapMs; i++) {
      await budget.acquire()
      budget.throttled()
      clock.t += 60_000 // a fresh window each time: only the pace can hold the next one back
    }
    expect(budget.gapMs).toBe(ADAPTIVE.maxGapMs)
    await budget.acquire()
    const before = clock.t
    const { Deadline } = await import('../../src/common/retry.js')
    await budget.acquire(new Deadline(1_000, clock))
    expect(clock.t).toBe(before)
    // without a deadline that close, the pace holds it back
    await budget.acquire()
    expect(clock.t - before).toBeGreaterThanOrEqual(ADAPTIVE.maxGapMs - 1)
  })
})
