import { describe, expect, it } from '@jest/globals'
import { fakeClock } from '../helpers/fakes.js'
import { backoffDelay, Deadline, poll, retry } from '../../src/common/retry.js'

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and jitters within bounds', () => {
    const opts = { baseMs: 1000, maxMs: 8000, jitter: 0.5 }
    expect(backoffDelay(1, opts, () => 0)).toBe(500)
    expect(backoffDelay(1, opts, () => 1)).toBe(1000)
    expect(backoffDelay(3, opts, () => 1)).toBe(4000)
    expect(backoffDelay(10, opts, () => 1)).toBe(8000)
    expect(backoffDelay(10, opts, () => 0)).toBe(4000)
  })
})

describe('retry', () => {
  it('retries retryable errors until success', async () => {
    const clock = fakeClock()
    let calls = 0
    const value = await retry(
      async () => {
        calls++
        if (calls < 3) throw new Error('transient')
        return 'ok'
      },
      {
        deadline: new Deadline(60_000, clock),
        retryable: () => true,
        baseMs: 100,
        maxMs: 1000,
        random: () => 1
      }
    )
    expect(value).toBe('ok')
    expect(calls).toBe(3)
    expect(clock.waits).toEqual([100, 200])
  })

  it('throws a non-retryable error at once', async () => {
    const clock = fakeClock()
    let calls = 0
    await expect(
      retry(
        async () => {
          calls++
          throw new Error('permanent')
        },
        { deadline: new Deadline(60_000, clock), retryable: () => false, baseMs: 100, maxMs: 1000 }
      )
    ).rejects.toThrow('permanent')
    expect(calls).toBe(1)
    expect(clock.waits).toEqual([])
  })

  it('uses the whole budget (the last wait cut to what is left), then throws the last real error', async () => {
    const clock = fakeClock()
    let calls = 0
    await expect(
      retry(
        async () => {
          calls++
          throw new Error(`not found #${calls}`)
        },
        {
          deadline: new Deadline(1000, clock),
          retryable: () => true,
          baseMs: 300,
          maxMs: 300,
          random: () => 1
        }
      )
    ).rejects.toThrow(/not found #5/)
    expect(clock.waits).toEqual([300, 300, 300, 100])
  })
})

describe('poll', () => {
  it('uses the delay each check asks for and stops when done', async () => {
    const clock = fakeClock()
    const value = await poll(
      async round => (round < 3 ? { done: false, delayMs: round * 1000 } : { done: true, value: round }),
      { deadline: new Deadline(60_000, clock) }
    )
    expect(value).toBe(3)
    expect(clock.waits).toEqual([1000, 2000])
  })

  it('returns undefined once the deadline has passed, after a last round at the deadline', async () => {
    const clock = fakeClock()
    let rounds = 0
    const value = await poll(
      async () => {
        rounds++
        return { done: false, delayMs: 4000 }
      },
      { deadline: new Deadline(10_000, clock) }
    )
    expect(value).toBeUndefined()
    expect(rounds).toBe(4)
    // the last sleep is clipped to the deadline
    expect(clock.waits).toEqual([4000, 4000, 2000])
  })
})
