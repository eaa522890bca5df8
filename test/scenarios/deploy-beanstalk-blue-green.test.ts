/**
 * deploy-beanstalk's strategy: blue-green in process, on a fake clock shared with the sandbox: a launch of minutes, as
 * a real one takes, shows its progress (events, a heartbeat at least every 30 s) within the budget of 20 Beanstalk
 * requests a minute; a launch that outlasts the timeout stops the step before anything is deployed, says so, and
 * says the twin stays for the next run. The real bundle's wiring is in test/e2e/deploy-beanstalk-blue-green.test.ts.
 */
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { APP, IMAGE, show, workspace as tempWorkspace } from '../helpers/deploy-beanstalk-fixtures.js'
import { fakeClock } from '../helpers/fakes.js'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'
import {
  type BundleRun,
  errorMessages,
  loadAction,
  runInProcess,
  type Sandbox,
  type SandboxScenario,
  startSandbox
} from '../../sandbox/index.js'

beforeAll(() => loadAction('deploy-beanstalk'), 60_000)

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

let clock = fakeClock()
const LIVE = 'BrillianCRM-env'
const TWIN = 'BrillianCRM-env-twin'

/** The live environment alone; its twin takes `launchMs` to launch. */
async function sandbox(launchMs: number): Promise<Sandbox> {
  clock = fakeClock(Date.now())
  const spec: SandboxScenario = {
    name: 'blue-green in process',
    processingMs: 0,
    launchMs,
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }],
        environments: [
          {
            name: LIVE,
            versionLabel: 'v0-initial',
            cname: 'brilliancrm.eu-central-1.elasticbeanstalk.com',
            update: { durationMs: 60_000, outcome: 'healthy' }
          }
        ]
      }
    ]
  }
  const box = await startSandbox(spec, { silent: true, now: clock.now })
  cleanups.push(() => box.close())
  return box
}

async function release(box: Sandbox, inputs: Record<string, string> = {}): Promise<BundleRun> {
  return await runInProcess('deploy-beanstalk', {
    clock,
    inputs: {
      'application-name': APP,
      'environment-name': LIVE,
      strategy: 'blue-green',
      'live-cname': 'brilliancrm',
      image: IMAGE,
      ...inputs
    },
    env: box.env,
    workspace: tempWorkspace(cleanups)
  })
}

describe('deploy-beanstalk strategy: blue-green in process (sandbox, fake clock)', () => {
  it('follows a launch of minutes with its events and a heartbeat, within 20 requests a minute, then deploys', async () => {
    const box = await sandbox(6 * 60_000)
    const run = await release(box)
    expect([run.code, errorMessages(run)]).toEqual([0, []])
    expect(run.outputs['idle-environment-name']).toBe(TWIN)
    expect(run.stdout).toContain('Waiting for EC2 instances to launch. This may take a few minutes.')
    // three minutes without an event between "Waiting for EC2 instances" and "Instance deployment completed": a
    // heartbeat line at least every 30 s (the wait wakes for it between two looks)
    const beats = run.stdout.split('\n').filter(line => line.startsWith('Still waiting for '))
    expect(beats.length).toBeGreaterThanOrEqual(4)
    expect(beats[0]).toMatch(
      new RegExp(
        `^Still waiting for the launch of ${TWIN} \\(e-\\w+\\): .* elapsed, .* left; Launching, health Grey`
      )
    )
    expect(box.peakRequests('elasticbeanstalk')).toBeLessThanOrEqual(20)
    expect(box.environment(LIVE)?.versionLabel).toBe('v0-initial')
    expect(box.environment(TWIN)?.versionLabel).toBe(run.outputs['version-label'])
    expect([...summaryFaults(run.summary), ...layoutFaults(run.summary)]).toEqual([])
  })

  it('a launch that outlasts the timeout: nothing deployed, the twin left for the next run, which deploys to it', async () => {
    const box = await sandbox(30 * 60_000)
    const run = await release(box, { timeout: '5m' })
    expect(run.code).toBe(1)
    const [error] = run.annotations.filter(a => a.level === 'error')
    expect(error.title).toBe('Twin still launching')
    expect(error.message).toContain(`${TWIN} was still launching when the timeout (5m) ran out`)
    expect(error.message).toContain(`nothing was deployed and ${LIVE} was not changed`)
    expect(run.summary).toContain(`The idle twin ${TWIN}`)
    expect(run.summary).toContain('the next run finds it and deploys to it')
    expect(box.calls('UpdateEnvironment')).toEqual([])
    expect(box.calls('CreateApplicationVersion')).toEqual([])
    expect(run.outputs).toMatchObject({ deployed: 'false', 'idle-environment-name': TWIN })
    expect([...summaryFaults(run.summary), ...layoutFaults(run.summary)]).toEqual([])

    // once it is up, the next run finds it idle and deploys to it: nothing created again
    clock.t += 30 * 60_000
    const next = await release(box)
    expect([next.code, show(next)]).toEqual([0, show(next)])
    expect(box.calls('CreateEnvironment')).toHaveLength(1)
    expect(box.environment(TWIN)?.versionLabel).toBe(next.outputs['version-label'])
  })
})
