/**
 * swap-environments in process, on a fake clock shared with the sandbox: the waits that depend on time (a swap that
 * keeps both environments Updating, a swap under way when the step starts, the DNS TTL, the heartbeat, the timeout)
 * run in milliseconds and the same way every time. The bundle's wiring: test/e2e/swap-environments.test.ts.
 */
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ElasticBeanstalkClient, SwapEnvironmentCNAMEsCommand } from '@aws-sdk/client-elastic-beanstalk'
import {
  errorText,
  fakeClock,
  loadAction,
  runInProcess,
  startSandbox,
  type BundleRun,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'
import { APP, BLUE, GREEN, LIVE_HOST, pairScenario } from '../helpers/swap-fixtures.js'

beforeAll(() => loadAction('swap-environments'), 60_000)

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

let clock = fakeClock()

async function start(s: SandboxScenario): Promise<Sandbox> {
  clock = fakeClock()
  sandbox = await startSandbox(s, { silent: true, now: clock.now })
  return sandbox
}

function swap(box: Sandbox, inputs: Record<string, string> = {}): Promise<BundleRun> {
  return runInProcess('swap-environments', {
    clock,
    inputs: {
      'application-name': APP,
      'environment-name': `${BLUE},${GREEN}`,
      'live-cname': LIVE_HOST,
      'expect-version-label': 'v2',
      timeout: '10m',
      ...inputs
    },
    env: box.env
  })
}

const holder = (box: Sandbox) => [BLUE, GREEN].find(name => box.environment(name)?.cname === LIVE_HOST)
const lines = (run: BundleRun, text: string) => run.stdout.split('\n').filter(line => line.includes(text))

describe('swap-environments over time', () => {
  it('follows a swap that keeps both Updating for 100 s (heartbeat), then waits out the 60 s TTL', async () => {
    const box = await start(pairScenario({ swapMs: 100_000 }))
    const run = await swap(box)
    expect(errorText(run)).toBe('')
    expect(holder(box)).toBe(GREEN)
    // nothing new for 30 s: a heartbeat line with what, elapsed, left and the pair's state
    const beats = lines(run, `Still waiting for ${GREEN} to hold ${LIVE_HOST} and both to be Ready`)
    expect(beats.length).toBeGreaterThanOrEqual(2)
    expect(beats[0]).toMatch(/elapsed, .* left; BrillianCRM-blue Updating, Grey/)
    expect(lines(run, 'Still waiting for DNS resolvers').length).toBeGreaterThanOrEqual(1)
    expect(run.stdout).toContain('60 s have passed since the swap')
    // the swap's end is seen within a poll (6 s), then 60 s of TTL
    expect(run.durationMs).toBeGreaterThanOrEqual(160_000)
    expect(run.durationMs).toBeLessThanOrEqual(170_000)
    expect(run.summary).toMatch(/CNAME TTL 60 s; waited 1m/)
    expect(box.calls('SwapEnvironmentCNAMEs')).toHaveLength(1)
  })

  it('a swap under way when the step starts (an earlier try of it) is waited out, and not made twice', async () => {
    const box = await start(pairScenario({ swapMs: 40_000 }))
    const eb = new ElasticBeanstalkClient({
      region: 'eu-central-1',
      endpoint: box.url,
      credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
    })
    await eb.send(
      new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentName: GREEN, DestinationEnvironmentName: BLUE })
    )
    eb.destroy()
    const run = await swap(box)
    expect(errorText(run)).toBe('')
    expect(run.stdout).toContain(
      `${BLUE} is Updating; ${GREEN} is Updating: waiting until it is done before deciding.`
    )
    expect(run.stdout).toContain(`Swap:   none: ${GREEN} already runs v2`)
    expect(run.outputs).toMatchObject({ swapped: 'false', 'live-environment-name': GREEN })
    expect(box.calls('SwapEnvironmentCNAMEs')).toHaveLength(1)
    expect(holder(box)).toBe(GREEN)
  })

  it('a lost reply during a 20 s swap: the pair is followed until Ready, the swap had taken, it is not sent again', async () => {
    const box = await start(
      pairScenario({ swapMs: 20_000, faults: { lostReplies: { operations: ['SwapEnvironmentCNAMEs'] } } })
    )
    const run = await swap(box, { 'wait-for-dns': 'false' })
    expect(errorText(run)).toBe('')
    expect(run.annotations.filter(a => a.level === 'warning').map(a => a.title)).toEqual(['Reply lost'])
    expect(box.requests.filter(r => r.operation === 'SwapEnvironmentCNAMEs')).toHaveLength(1)
    expect(run.summary).toContain('| Swapped | yes |')
  })

  it('a request reset before Beanstalk saw it: the pair is read, the swap had not taken, it is sent again once', async () => {
    // seed 8: the first SwapEnvironmentCNAMEs is reset (never reaches the handler), the second goes through
    const box = await start(
      pairScenario({
        swapMs: 10_000,
        faults: { operations: ['SwapEnvironmentCNAMEs'], resetRate: 0.5, seed: 8 }
      })
    )
    const run = await swap(box, { 'wait-for-dns': 'false' })
    expect(errorText(run)).toBe('')
    expect(run.stdout).toContain(`${BLUE} still holds ${LIVE_HOST}: the swap did not take; sending it again.`)
    expect(
      box.requests.filter(r => r.operation === 'SwapEnvironmentCNAMEs').map(r => r.fault ?? 'ok')
    ).toEqual(['reset', 'ok'])
    expect(box.calls('SwapEnvironmentCNAMEs')).toHaveLength(1)
    expect(holder(box)).toBe(GREEN)
    expect(run.summary).toContain('sent 2 times: a lost reply was checked first')
  })

  it('a timeout shorter than swap and TTL: the DNS wait is cut short with a warning; the swap stands', async () => {
    const box = await start(pairScenario({ swapMs: 20_000 }))
    const run = await swap(box, { timeout: '45s' })
    expect(run.code).toBe(0)
    expect(run.annotations.map(a => a.title)).toContain('DNS wait cut short')
    expect(run.durationMs).toBeLessThanOrEqual(45_000)
    expect(holder(box)).toBe(GREEN)
  })

  it('a swap that does not end within the timeout: a timeout error with the pair as last seen', async () => {
    const box = await start(pairScenario({ swapMs: 600_000 }))
    const run = await swap(box, { timeout: '1m' })
    expect(run.code).toBe(1)
    expect(errorText(run)).toContain(
      `waiting for ${GREEN} to hold ${LIVE_HOST} and both to be Ready. Last seen: ${BLUE} Updating`
    )
    expect(run.summary).toContain('### ⏱️ Blue/green swap')
    expect(run.outputs.swapped).toBe('false')
  })

  it('terminate after the swap and the TTL: the old live one goes Terminating, the new live one stays', async () => {
    const box = await start(pairScenario({ swapMs: 5_000, terminateMs: 300_000 }))
    const run = await swap(box, { 'idle-after-swap': 'terminate' })
    expect(errorText(run)).toBe('')
    const [swapCall, terminate] = box.mutatingCalls()
    expect([swapCall.operation, terminate.operation]).toEqual([
      'SwapEnvironmentCNAMEs',
      'TerminateEnvironment'
    ])
    // only after the DNS TTL: no visitor is sent to an environment being terminated
    expect(terminate.time - swapCall.time).toBeGreaterThanOrEqual(65_000)
    expect(box.environment(BLUE)?.status).toBe('Terminating')
    expect(run.summary).toContain('| Idle after swap | terminate: Terminating |')
  })
})
