/**
 * The check loop in process, on the fake clock: pacing, heartbeats, the timeout, the settle window, several
 * URLs side by side. No sleeping: the clock's sleeps move time on at once, and each fake probe moves it by
 * the time its request "took".
 */
import { describe, expect, it } from '@jest/globals'
import { checkUrls, type CheckPlan } from '../../src/check-url/check.js'
import { parseStatusRanges, parseTextMatcher } from '../../src/check-url/expectations.js'
import type { Answer, NoAnswer, Outcome, Probe, ProbeOptions } from '../../src/check-url/http.js'
import { fakeClock } from '../helpers/fakes.js'

const URL_A = 'https://brilliancrm.com/health'
const URL_B = 'https://brilliancrm.com/api/health'

const answer = (status: number, body = '', headers: Record<string, string> = {}): Answer => ({
  kind: 'answer',
  url: URL_A,
  status,
  statusText:
    status === 200 ? 'OK' : status === 503 ? 'Service Unavailable' : status === 404 ? 'Not Found' : '',
  headers,
  body,
  truncated: false,
  redirects: []
})

const noAnswer = (over: Partial<NoAnswer> = {}): NoAnswer => ({
  kind: 'no-answer',
  url: URL_A,
  reason: 'connection refused by brilliancrm.com (nothing listens there yet)',
  timedOut: false,
  fatal: false,
  redirects: [],
  ...over
})

type Step = (attempt: number, options: ProbeOptions) => { outcome: Outcome; takesMs?: number }

/** A probe per URL, scripted by attempt; each call moves the clock on by the time it "took". */
function scriptedProbe(clock: ReturnType<typeof fakeClock>, steps: Record<string, Step>) {
  const calls: Array<{ url: string; at: number; options: ProbeOptions }> = []
  const attempts: Record<string, number> = {}
  const probe: Probe = async (url, options) => {
    attempts[url] = (attempts[url] ?? 0) + 1
    calls.push({ url, at: clock.now(), options })
    const { outcome, takesMs = 20 } = steps[url](attempts[url], options)
    clock.t += takesMs
    return outcome
  }
  return { probe, calls }
}

function setUp(steps: Record<string, Step>, plan: Partial<CheckPlan> = {}) {
  const clock = fakeClock()
  const start = clock.t
  const { probe, calls } = scriptedProbe(clock, steps)
  const lines: Array<{ at: number; line: string }> = []
  const fullPlan: CheckPlan = {
    urls: Object.keys(steps),
    expectations: { status: parseStatusRanges('expect-status', '200-399'), headers: [] },
    timeoutMs: 180_000,
    followRedirects: true,
    ...plan
  }
  const run = () =>
    checkUrls(fullPlan, { probe, clock, log: line => lines.push({ at: clock.t - start, line }) })
  return { clock, calls, lines, run, start }
}

describe('checkUrls', () => {
  it('a site answering 503 three times, then 200, passes after short waits (250 ms, 500 ms, 1 s)', async () => {
    const { clock, calls, lines, run } = setUp({
      [URL_A]: attempt => ({ outcome: attempt <= 3 ? answer(503, 'down') : answer(200, 'ok') })
    })
    const check = await run()
    expect(check.results).toHaveLength(1)
    expect(check.results[0]).toMatchObject({
      url: URL_A,
      passed: true,
      why: 'passed',
      attempts: 4,
      misses: []
    })
    expect(clock.waits).toEqual([250, 500, 1000])
    expect(check.durationMs).toBe(4 * 20 + 1750)
    // One line for the 503s (not one per attempt), one for the pass.
    expect(lines.map(l => l.line)).toEqual([
      `${URL_A}: 503 Service Unavailable, but expected status 200-399 (attempt 1); not up yet, trying again`,
      `${URL_A}: 200 OK (attempt 4, 1.8s): passed`
    ])
    // Every request is unique (cache-busting) and may take up to 10 s.
    expect(new Set(calls.map(c => c.options.bust)).size).toBe(4)
    expect(calls.every(c => c.options.timeoutMs === 10_000 && c.options.followRedirects)).toBe(true)
  })

  it('a server that never answers ends at the timeout, with a heartbeat at least every 30 s', async () => {
    const { lines, calls, run } = setUp({
      [URL_A]: (_, options) => ({
        outcome: noAnswer({
          reason: `the request timed out after ${options.timeoutMs / 1000}s`,
          timedOut: true
        }),
        takesMs: options.timeoutMs
      })
    })
    const check = await run()
    const [result] = check.results
    expect(result).toMatchObject({ passed: false, why: 'timeout' })
    expect(check.durationMs).toBeGreaterThan(179_000)
    expect(check.durationMs).toBeLessThanOrEqual(180_000)
    expect(result.lastProbeMs).toBeGreaterThanOrEqual(1000)
    // The log is never silent for more than 30 s, from the start to the end.
    const times = [0, ...lines.map(l => l.at), check.durationMs]
    const gaps = times.slice(1).map((t, i) => t - times[i])
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000)
    const beats = lines.filter(l => l.line.startsWith('Still checking'))
    expect(beats.length).toBeGreaterThanOrEqual(6)
    expect(beats[0].line).toBe(
      `Still checking 1 URL: 20s elapsed, 2m 40s left. ${URL_A}: last no answer: the request timed out after 10s (attempt 2)`
    )
    // The same outcome is logged once, then only in heartbeats; the end says why it stopped.
    expect(lines.filter(l => !l.line.startsWith('Still checking')).map(l => l.line)).toEqual([
      `${URL_A}: no answer: the request timed out after 10s (attempt 1); not up yet, trying again`,
      expect.stringMatching(
        new RegExp(`^${URL_A}: no answer: the request timed out after .+: failed \\(time is up\\)$`)
      )
    ])
    // Requests never run past the deadline by more than the 1 s a last probe is given.
    for (const call of calls)
      expect(call.at - calls[0].at + call.options.timeoutMs).toBeLessThanOrEqual(181_000)
  })

  it('does not spin when a probe answers in no time: it ends at the timeout all the same', async () => {
    const { calls, run } = setUp(
      { [URL_A]: () => ({ outcome: noAnswer(), takesMs: 0 }) },
      { timeoutMs: 20_000 }
    )
    const check = await run()
    expect(check.results[0].why).toBe('timeout')
    expect(calls.length).toBeLessThan(12)
    expect(check.durationMs).toBe(19_000)
  })

  it('keeps trying connection errors until the timeout, six tries a minute at most once slowed down', async () => {
    const { calls, run } = setUp({ [URL_A]: () => ({ outcome: noAnswer() }) }, { timeoutMs: 120_000 })
    const check = await run()
    expect(check.results[0].why).toBe('timeout')
    const lastMinute = calls.filter(c => c.at - calls[0].at >= 60_000)
    expect(lastMinute.length).toBeLessThanOrEqual(7)
    expect(check.durationMs).toBeLessThanOrEqual(120_000)
  })

  it('gives a definite wrong answer 30 s to change, then fails with it', async () => {
    const { run } = setUp(
      { [URL_A]: () => ({ outcome: answer(200, 'old version') }) },
      {
        expectations: {
          status: [{ from: 200, to: 399 }],
          text: parseTextMatcher('expect-text', 'v2', { caseInsensitive: false }),
          headers: []
        }
      }
    )
    const check = await run()
    expect(check.results[0]).toMatchObject({
      passed: false,
      why: 'settled',
      misses: [{ what: 'text', expected: 'body containing "v2"', actual: 'not in the body' }]
    })
    expect(check.durationMs).toBeGreaterThanOrEqual(30_000)
    expect(check.durationMs).toBeLessThan(45_000)
  })

  it('starts the 30 s again when the site goes back to "not yet" in between', async () => {
    const { run } = setUp({
      [URL_A]: attempt => ({ outcome: attempt === 8 ? answer(502) : answer(404, 'Not Found') })
    })
    const check = await run()
    expect(check.results[0].why).toBe('settled')
    // attempts 1–7 take ~26 s; the 502 at attempt 8 resets the window, which then runs 30 s more
    expect(check.durationMs).toBeGreaterThan(50_000)
  })

  it("waits as long as the site's Retry-After asks (up to 30 s)", async () => {
    const { clock, run } = setUp({
      [URL_A]: attempt => ({ outcome: attempt === 1 ? answer(503, '', { 'retry-after': '5' }) : answer(200) })
    })
    await run()
    expect(clock.waits).toEqual([5000])
  })

  it('stops at once on what waiting cannot change', async () => {
    const { calls, run } = setUp({
      [URL_A]: () => ({
        outcome: noAnswer({ reason: 'the TLS certificate of brilliancrm.com is not valid', fatal: true })
      })
    })
    const check = await run()
    expect(check.results[0]).toMatchObject({ passed: false, why: 'fatal', attempts: 1 })
    expect(calls).toHaveLength(1)
  })

  it('fails a redirect it must not follow even when its status would pass', async () => {
    const refused: Answer = {
      ...answer(301),
      unfollowed: { location: 'http://brilliancrm.com/', reason: 'it leads to plain HTTP', fatal: true }
    }
    const { run } = setUp({ [URL_A]: () => ({ outcome: refused }) })
    const check = await run()
    expect(check.results[0]).toMatchObject({
      passed: false,
      why: 'fatal',
      misses: [
        {
          what: 'redirect',
          actual: '301 to http://brilliancrm.com/, not followed: it leads to plain HTTP'
        }
      ]
    })
  })

  it('checks several URLs side by side: one that never comes up does not hold the others back', async () => {
    const { run } = setUp(
      {
        [URL_A]: () => ({ outcome: noAnswer() }),
        [URL_B]: attempt => ({ outcome: attempt <= 5 ? answer(503) : answer(200) })
      },
      { timeoutMs: 60_000 }
    )
    const check = await run()
    expect(check.results.map(r => [r.url, r.passed, r.why])).toEqual([
      [URL_A, false, 'timeout'],
      [URL_B, true, 'passed']
    ])
    // In turn, B would only have started after A's minute.
    expect(check.results[1].durationMs).toBeLessThan(30_000)
    expect(check.durationMs).toBe(check.results[0].durationMs)
  })

  it('when the check of one URL breaks (a bug), the others stop too instead of running on to the timeout', async () => {
    const { calls, run } = setUp({
      [URL_A]: () => {
        throw new Error('boom')
      },
      [URL_B]: () => ({ outcome: answer(503) })
    })
    await expect(run()).rejects.toThrow('boom')
    await new Promise(resolve => setImmediate(resolve))
    expect(calls.filter(c => c.url === URL_B).length).toBeLessThanOrEqual(2)
  })
})

describe('the log', () => {
  it('says a definite wrong answer is given 30 s to change', async () => {
    const { lines, run } = setUp({ [URL_A]: () => ({ outcome: answer(404) }) })
    await run()
    expect(lines[0].line).toBe(
      `${URL_A}: 404 Not Found, but expected status 200-399 (attempt 1); a definite answer, given 30s to change (an old version may still be answering), trying again`
    )
  })

  it('prints one heartbeat for all the URLs still being checked, not one per URL', async () => {
    const { lines, run } = setUp(
      { [URL_A]: () => ({ outcome: noAnswer() }), [URL_B]: () => ({ outcome: answer(503) }) },
      { timeoutMs: 90_000 }
    )
    await run()
    const beats = lines.filter(l => l.line.startsWith('Still checking'))
    expect(beats.length).toBeGreaterThanOrEqual(2)
    for (const beat of beats) {
      expect(beat.line).toMatch(/^Still checking 2 URLs: .+ elapsed, .+ left\. /)
      expect(beat.line).toContain(`${URL_A}: last no answer: connection refused`)
      expect(beat.line).toContain(`${URL_B}: last 503 Service Unavailable`)
    }
    const gaps = beats.slice(1).map((beat, i) => beat.at - beats[i].at)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20_000)
  })
})
