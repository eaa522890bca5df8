/**
 * run() in process, with a fake probe and the fake clock: inputs → plan → check → report, and the promise that
 * every exit after the inputs were read sets the outputs and writes the summary. The real bundle against real
 * servers is in test/e2e/check-url.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { mockCore } from '../helpers/core-fixture.js'
import { fakeClock } from '../helpers/fakes.js'
import { useRunnerFiles } from '../helpers/runner-files.js'
import type { Outcome, Probe } from '../../src/check-url/http.js'

const log = await mockCore()
const { checkUrl } = await import('../../src/check-url/main.js')
const { runAction } = await import('../../src/common/run.js')

const { outputs, writes, summary } = useRunnerFiles('check-url-main', () => {
  for (const list of Object.values(log)) list.length = 0
})

function inputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.toUpperCase()}`] = value
}

const ok: Outcome = {
  kind: 'answer',
  url: 'https://brilliancrm.com/health',
  status: 200,
  statusText: 'OK',
  headers: {},
  body: 'ok',
  truncated: false,
  redirects: []
}

describe('run', () => {
  it('plans, checks and reports a pass', async () => {
    inputs({ url: 'https://brilliancrm.com/health', 'expect-text': 'ok' })
    const clock = fakeClock()
    let calls = 0
    const probe: Probe = async () => (++calls < 3 ? { ...ok, status: 502, statusText: 'Bad Gateway' } : ok)
    await runAction(checkUrl({ probe, clock }))
    expect(process.exitCode).toBeUndefined()
    expect(log.error).toEqual([])
    expect(outputs()).toEqual({
      status: '200',
      url: 'https://brilliancrm.com/health',
      'duration-ms': '750',
      ok: 'true'
    })
    expect(summary()).toContain('✅ The site answered as expected (750ms).')
    expect(log.info).toContain('Plan')
    expect(log.info).toContain('Expect:    status 200-399; body containing "ok"')
    expect(log.info).toContain('Check https://brilliancrm.com/health')
    expect(log.info).toContain('Redirects: followed (to HTTPS only, at most 10)')
  })

  it("the plan's redirect line is true for a URL on this machine: plain HTTP is followed there", async () => {
    inputs({ url: 'http://127.0.0.1:8080/health' })
    await runAction(checkUrl({ probe: async () => ok, clock: fakeClock() }))
    expect(log.info).toContain('Redirects: followed (to HTTPS, or to plain HTTP on this machine, at most 10)')
  })

  it('the plan says how long a wrong answer is retried: 30 s, or the timeout when that is shorter', async () => {
    inputs({ url: 'https://brilliancrm.com/health', timeout: '10s' })
    await runAction(checkUrl({ probe: async () => ok, clock: fakeClock() }))
    expect(log.info.find(line => line.startsWith('Timeout:'))).toMatch(/a definite wrong answer for 10s$/)
    for (const list of Object.values(log)) list.length = 0
    inputs({ timeout: '2m' })
    await runAction(checkUrl({ probe: async () => ok, clock: fakeClock() }))
    expect(log.info.find(line => line.startsWith('Timeout:'))).toMatch(/a definite wrong answer for 30s$/)
  })

  it('reports a failure: outputs, summary, one ::error per failed URL, exit code 1', async () => {
    inputs({
      url: 'https://brilliancrm.com/\nhttps://brilliancrm.com/health',
      'expect-text': 'ok',
      timeout: '20s'
    })
    const probe: Probe = async url => (url.endsWith('/health') ? ok : { ...ok, url, body: 'maintenance' })
    await runAction(checkUrl({ probe, clock: fakeClock() }))
    expect(process.exitCode).toBe(1)
    expect(log.error).toHaveLength(1)
    expect(log.error[0]).toMatch(
      /^https:\/\/brilliancrm\.com\/ failed the site check: it did not pass within the timeout \(20s, \d+ attempts\)\./
    )
    expect(outputs()).toMatchObject({ status: '200', url: 'https://brilliancrm.com/', ok: 'false' })
    expect(Number(outputs()['duration-ms'])).toBeGreaterThan(18_000)
    expect(summary()).toContain('❌ 1 of 2 URLs failed the check')
  })

  it('an unexpected throw in the middle of the check (a bug of ours) still writes every output and the summary, once', async () => {
    inputs({ url: 'https://brilliancrm.com/health' })
    let calls = 0
    const probe: Probe = async () => {
      if (++calls === 1) return { ...ok, status: 503, statusText: 'Service Unavailable' }
      throw new Error('boom')
    }
    await runAction(checkUrl({ probe, clock: fakeClock() }))
    expect(process.exitCode).toBe(1)
    expect(writes()).toEqual([
      ['status', ''],
      ['url', 'https://brilliancrm.com/health'],
      ['duration-ms', '250'],
      ['ok', 'false']
    ])
    expect(summary().match(/<h3>Site check/g)).toHaveLength(1)
    expect(summary()).toContain('❌ The check stopped after 250ms: Error: boom')
    expect(log.error).toEqual(['boom (this is a bug of the action: please report it with the debug log)'])
  })

  it('stops on a bad input before any request, naming the input', async () => {
    inputs({ url: 'http://brilliancrm.com/health' })
    let calls = 0
    await runAction(
      checkUrl({
        probe: async () => {
          calls++
          return ok
        },
        clock: fakeClock()
      })
    )
    expect(calls).toBe(0)
    expect(process.exitCode).toBe(1)
    expect(log.error[0]).toContain(
      'Input \'url\' is "http://brilliancrm.com/health": plain http:// is only checked'
    )
    expect(outputs()).toEqual({})
  })
})
