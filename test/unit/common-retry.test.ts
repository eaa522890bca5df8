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

  it('wakes for a heartbeat that falls due during a long delay: never more than 30 s without a line', async () => {
    const { Heartbeat } = await import('../../src/common/heartbeat.js')
    const clock = fakeClock()
    const deadline = new Deadline(200_000, clock)
    const lines: number[] = []
    const heartbeat = new Heartbeat('the update', deadline, 30_000, () =>
      lines.push(clock.now() - deadline.start)
    )
    let rounds = 0
    const looks: number[] = []
    await poll(
      async () => {
        looks.push(clock.now() - deadline.start)
        heartbeat.beat('Updating')
        return ++rounds < 4 ? { done: false, delayMs: 25_000 } : { done: true, value: rounds }
      },
      { deadline, heartbeat: heartbeat.pulse(() => 'Updating') }
    )
    // the looks keep their own schedule (no extra request): every 25 s
    expect(looks).toEqual([0, 25_000, 50_000, 75_000])
    // the lines come at 30 s and 60 s, inside the sleeps, not at the first look after them (50 s, 75 s)
    expect(lines).toEqual([30_000, 60_000])
    const gaps = [0, ...lines, 75_000].map((t, i, all) => (i === 0 ? 0 : t - all[i - 1]))
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000)
  })
})

describe('the pacing primitives the deploy poller builds on', () => {
  const cap = { limit: 20, windowMs: 61_000 }
  it('windowSlotAt: the earliest time more requests fit the cap', async () => {
    const { windowSlotAt } = await import('../../src/common/retry.js')
    const sent = Array.from({ length: 20 }, (_, i) => i * 1000)
    expect(windowSlotAt(30_000, sent.slice(0, 10), 1, cap)).toBe(30_000)
    // 20 in the window: one more only once the oldest (sent at 0) has left it
    expect(windowSlotAt(30_000, sent, 1, cap)).toBe(61_000)
    expect(windowSlotAt(30_000, sent, 2, cap)).toBe(62_000)
  })

  it('paceDelay: after a burst, an even pace rather than a stall, converging to the cap rate', async () => {
    const { paceDelay } = await import('../../src/common/retry.js')
    const burst = Array.from({ length: 10 }, (_, i) => i * 100)
    const delay = paceDelay(1_000, burst, 1, { ...cap, ahead: 18 })
    expect(delay).toBeGreaterThan(0)
    expect(delay).toBeLessThan(10_000)
    expect(paceDelay(1_000, [], 1, { ...cap, ahead: 18 })).toBe(0)
  })

  it('isTransient and isThrottling tell a fault worth another try from a final one', async () => {
    const { isThrottling, isTransient } = await import('../../src/common/retry.js')
    const aws = (name: string, status: number) =>
      Object.assign(new Error(name), {
        name,
        $fault: status >= 500 ? 'server' : 'client',
        $metadata: { httpStatusCode: status }
      })
    expect(isThrottling(aws('Throttling', 400))).toBe(true)
    expect(isTransient(aws('Throttling', 400))).toBe(true)
    expect(isTransient(aws('ServiceUnavailable', 503))).toBe(true)
    expect(isTransient(aws('AccessDenied', 403))).toBe(false)
    expect(isTransient(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isTransient(new Error('a bug'))).toBe(false)
  })

  it('requestTimeout and withRetryAfter clamp to the limits given', async () => {
    const { requestTimeout, withRetryAfter } = await import('../../src/common/retry.js')
    expect(requestTimeout(60_000, { maxMs: 10_000, minMs: 1_000 })).toBe(10_000)
    expect(requestTimeout(200, { maxMs: 10_000, minMs: 1_000 })).toBe(1_000)
    expect(withRetryAfter(250, 5_000, 30_000)).toBe(5_000)
    expect(withRetryAfter(250, 60_000, 30_000)).toBe(30_000)
    expect(withRetryAfter(250, undefined, 30_000)).toBe(250)
  })
})
