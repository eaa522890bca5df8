/**
 * The call budget's adaptive pace (issue 21): on Throttling the slot is given back and the spacing between requests
 * grows (the shape of the SDK's adaptive retry); answers without throttling shrink it back to none. Fake clock.
 */
import { describe, expect, it } from '@jest/globals'
import { ADAPTIVE, CallBudget } from '../../src/common/budget.js'
import { fakeClock } from '../helpers/fakes.js'

describe('CallBudget adaptive pace', () => {
  it('a throttled request gives its slot back: it does not cost the step the requests that follow', async () => {
    const clock = fakeClock(0)
    const budget = new CallBudget(20, 60_000, clock)
    for (let i = 0; i < 10; i++) {
      await budget.acquire()
      budget.throttled()
    }
    expect(budget.inWindow()).toBe(0)
    expect(budget.throttledTotal).toBe(10)
    expect(budget.total).toBe(10)
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

  it('never spaces requests past the deadline: the wait fails at once as the cap does', async () => {
    const clock = fakeClock(0)
    const budget = new CallBudget(20, 60_000, clock)
    for (let i = 0; i < 20 && budget.gapMs < ADAPTIVE.maxGapMs; i++) {
      await budget.acquire()
      budget.throttled()
    }
    expect(budget.gapMs).toBe(ADAPTIVE.maxGapMs)
    const { Deadline } = await import('../../src/common/retry.js')
    const deadline = new Deadline(1_000, clock)
    await expect(budget.acquire(deadline)).rejects.toThrow(/timeout/)
  })
})
