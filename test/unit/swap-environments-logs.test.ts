/**
 * When swap-environments fetches the instances' logs, and of which environments (logs.ts, pure): only after a
 * failure once SwapEnvironmentCNAMEs was about to be sent, only with log-lines above 0; the environments the last
 * look found Red or not Ready, else both while the swap had not finished, none once it had. The wiring through the
 * real bundle: test/e2e/swap-environments-logs.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { DeadlineReached, UserError } from '../../src/common/errors.js'
import type { Environment } from '../../src/swap-environments/beanstalk.js'
import { environmentsForLogs } from '../../src/swap-environments/logs.js'

const env = (name: string, more: Partial<Environment> = {}): Environment => ({
  name,
  id: `e-${name.toLowerCase().padEnd(10, '0').slice(0, 10)}`,
  status: 'Ready',
  health: 'Green',
  versionLabel: 'v1',
  cname: `${name}.eu-central-1.elasticbeanstalk.com`,
  ...more
})
const blue = env('blue')
const green = env('green', { versionLabel: 'v2' })
const before = { live: blue, idle: green }
const failed = new UserError('The swap did not complete', { title: 'Swap failed' })
const timedOut = new DeadlineReached('The timeout (1m) was reached')
const names = (envs: Environment[]) => envs.map(e => e.name)

describe('environmentsForLogs', () => {
  it('asks for none without a failure, with log-lines 0, or when the swap had not started', () => {
    const started = { before, swapStarted: true, seen: [blue, env('green', { health: 'Red' })] }
    expect(environmentsForLogs(started, undefined, 100)).toEqual([])
    expect(environmentsForLogs(started, failed, 0)).toEqual([])
    // refused (an unhealthy idle one), a bad look-up, a swap under way waited out: before the swap
    expect(environmentsForLogs({ ...started, swapStarted: false }, failed, 100)).toEqual([])
    expect(environmentsForLogs({ ...started, swapStarted: undefined }, timedOut, 100)).toEqual([])
  })

  it('after a failed swap, the environment the last look found Red (as it was then, by name)', () => {
    const red = env('green', { health: 'Red' })
    expect(environmentsForLogs({ before, swapStarted: true, seen: [blue, red] }, failed, 100)).toEqual([red])
  })

  it('the ones not Ready (a timeout while following), both when both are', () => {
    const seen = [env('blue', { status: 'Updating', health: 'Grey' }), env('green', { status: 'Updating' })]
    expect(names(environmentsForLogs({ before, swapStarted: true, seen }, timedOut, 100))).toEqual([
      'blue',
      'green'
    ])
    const one = [blue, env('green', { status: 'Updating', health: 'Grey' })]
    expect(names(environmentsForLogs({ before, swapStarted: true, seen: one }, timedOut, 100))).toEqual([
      'green'
    ])
  })

  it('both when the swap had not finished and neither stands out (or nothing was seen after the look-up)', () => {
    expect(
      names(environmentsForLogs({ before, swapStarted: true, seen: [blue, green] }, failed, 100))
    ).toEqual(['blue', 'green'])
    expect(names(environmentsForLogs({ before, swapStarted: true }, timedOut, 100))).toEqual([
      'blue',
      'green'
    ])
  })

  it('none once the swap had finished and both are well (a later failure, such as the termination’s)', () => {
    const run = { before, swapStarted: true, swapped: true, seen: [blue, green] }
    expect(environmentsForLogs(run, new Error('AccessDenied: TerminateEnvironment'), 100)).toEqual([])
    // but one that went Red after the swap is still fetched
    const red = env('green', { health: 'Red' })
    expect(environmentsForLogs({ ...run, seen: [blue, red] }, timedOut, 100)).toEqual([red])
  })

  it('never an environment that is terminating or gone (it has no instances to ask)', () => {
    const seen = [
      env('blue', { status: 'Terminating', health: 'Grey' }),
      env('green', { status: 'Updating' })
    ]
    expect(names(environmentsForLogs({ before, swapStarted: true, seen }, timedOut, 100))).toEqual(['green'])
    const gone = [env('blue', { status: 'Terminated' }), env('green', { status: 'Terminated' })]
    expect(environmentsForLogs({ before, swapStarted: true, seen: gone }, failed, 100)).toEqual([])
  })
})
