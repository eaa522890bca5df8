/**
 * The instances' logs of a failed update, in process on a fake clock shared with the sandbox: what depends on time
 * (tail answers that never come within the 60 s bound, a timeout, a rollback after the logs) runs in milliseconds.
 * The real bundle's wiring (summary, masking, logs-file, the post step) is test/e2e/deploy-beanstalk-logs.test.ts.
 */
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { ConfiguredRetryStrategy } from '@smithy/core/retry'
import { awsClientConfig } from '../../src/common/aws.js'
import { BeanstalkGateway } from '../../src/deploy-beanstalk/aws/beanstalk.js'
import { LOGS_BUDGET_MS } from '../../src/deploy-beanstalk/diagnostics/fetch.js'
import { APP, ENV, IMAGE, errors, scenario, workspace } from '../helpers/deploy-beanstalk-fixtures.js'
import { fakeClock } from '../helpers/fakes.js'
import {
  loadAction,
  runInProcess,
  startSandbox,
  type BundleRun,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'

beforeAll(() => loadAction('deploy-beanstalk'), 60_000)

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

let clock = fakeClock()

async function sandbox(spec: SandboxScenario): Promise<Sandbox> {
  clock = fakeClock()
  const box = await startSandbox(spec, { silent: true, now: clock.now })
  cleanups.push(() => box.close())
  return box
}

/** The product's clients on the fake clock; the SDK's own retries do not wait. */
function gateways() {
  const retryStrategy = new ConfiguredRetryStrategy(8, () => 0)
  const made = new Map<string, BeanstalkGateway>()
  return (region: string) => {
    const gateway =
      made.get(region) ??
      new BeanstalkGateway(
        region,
        new ElasticBeanstalkClient({ ...awsClientConfig(region), retryStrategy }),
        clock
      )
    made.set(region, gateway)
    return gateway
  }
}

async function deploy(box: Sandbox, inputs: Record<string, string>): Promise<BundleRun> {
  return await runInProcess('deploy-beanstalk', {
    clock,
    deps: { gatewayFor: gateways() },
    inputs: { 'application-name': APP, 'environment-name': ENV, image: IMAGE, ...inputs },
    env: box.env,
    workspace: workspace(cleanups)
  })
}

const stepErrors = (run: BundleRun) =>
  errors(run)
    .filter(e => e.title !== 'Beanstalk event')
    .map(e => `${e.title}: ${e.message}`)
const warnings = (run: BundleRun) => run.annotations.filter(a => a.level === 'warning').map(a => a.message)
const timeOf = (box: Sandbox, operation: string, index = 0) => box.calls(operation)[index]?.time ?? NaN

describe("the instances' logs of a failed update (fake clock)", () => {
  it('answers that never come: at most 60 s with a heartbeat, then one warning; the first error is unchanged', async () => {
    const failing = scenario(
      { update: { durationMs: 2000, outcome: 'fail' } },
      { tailLogs: { behaviour: 'never' } }
    )
    const box = await sandbox(failing)
    const run = await deploy(box, { timeout: '5m' })
    const requested = timeOf(box, 'RequestEnvironmentInfo')
    const lastLook = box.calls('RetrieveEnvironmentInfo').at(-1)?.time ?? NaN
    expect(lastLook - requested).toBeLessThanOrEqual(LOGS_BUDGET_MS)
    expect(lastLook - requested).toBeGreaterThanOrEqual(LOGS_BUDGET_MS - 3_000)
    expect(run.stdout).toContain("Still waiting for the instances' tail logs")
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        /^The instances' logs of BrillianCRM-env could not be fetched \(no instance answered within 60 s/
      )
    ])
    expect(run.outputs['logs-file']).toBe('')
    const without = await deploy(await sandbox(failing), { timeout: '5m', 'log-lines': '0' })
    expect(stepErrors(run)).toEqual(stepErrors(without))
    expect(box.peakRequests('elasticbeanstalk')).toBeLessThanOrEqual(20)
  })

  it('a timed-out update: the logs come after the timeout, bounded, and say what the instances did', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 2000, outcome: 'never' } }))
    const run = await deploy(box, { timeout: '30s' })
    expect(stepErrors(run)).toEqual([expect.stringMatching(/^Deployment timed out: /)])
    expect(run.summary).toContain('Instance logs: i-0')
    expect(run.summary).toContain('[Run Docker Compose]')
    expect(run.outputs['logs-file']).toMatch(/beanstalk-logs-BrillianCRM-env-0123456-[0-9a-f]{8}\.txt$/)
    expect(box.peakRequests('elasticbeanstalk')).toBeLessThanOrEqual(20)
  })

  it('with a rollback: the logs are the failed version’s, fetched before the rollback, which still succeeds', async () => {
    const box = await sandbox(
      scenario({ update: { durationMs: 2000, outcome: 'red', healthyVersions: ['v0-initial'] } })
    )
    const run = await deploy(box, { timeout: '5m', 'rollback-on-failure': 'true' })
    expect(stepErrors(run)).toEqual([expect.stringContaining('Rollback: rolled back to v0-initial')])
    expect(timeOf(box, 'RequestEnvironmentInfo')).toBeLessThan(timeOf(box, 'UpdateEnvironment', 1))
    expect(box.calls('RequestEnvironmentInfo')).toHaveLength(1)
    expect(run.summary).toContain('Instance logs: i-0')
    expect(box.environment(ENV)).toMatchObject({ versionLabel: 'v0-initial', health: 'Green' })
  })

  it('a deploy that succeeds fetches no logs', async () => {
    const box = await sandbox(scenario())
    const run = await deploy(box, {})
    expect([run.code, box.calls('RequestEnvironmentInfo'), run.outputs['logs-file']]).toEqual([0, [], ''])
  })
})
