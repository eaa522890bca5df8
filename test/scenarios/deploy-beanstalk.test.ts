/**
 * deploy-beanstalk in process: run() against the AWS sandbox (Beanstalk + S3 on 127.0.0.1) through the real
 * SDK clients, on a fake clock shared with the sandbox, so every time-dependent path (an environment busy
 * with another update, processing, Red's grace period, Yellow then Green, rollback, the timeout, throttling)
 * runs in milliseconds and the same way every time. The real bundle's wiring is tested in
 * test/e2e/deploy-beanstalk.test.ts.
 */
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { ConfiguredRetryStrategy } from '@smithy/core/retry'
import { awsClientConfig } from '../../src/common/aws.js'
import { BeanstalkGateway } from '../../src/deploy-beanstalk/aws/beanstalk.js'
import { StorageGateway } from '../../src/deploy-beanstalk/aws/s3.js'
import { truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  APP,
  ENV,
  IMAGE,
  errors,
  expectUserError,
  scenario,
  show,
  workspace as tempWorkspace
} from '../helpers/deploy-beanstalk-fixtures.js'
import { ADAPTIVE } from '../../src/common/retry.js'
import { fakeClock } from '../helpers/fakes.js'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'
import {
  type BundleRun,
  loadAction,
  runInProcess,
  startSandbox,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'

beforeAll(() => loadAction('deploy-beanstalk'), 60_000)

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const workspace = () => tempWorkspace(cleanups)
/** The clock of the current test: the sandbox's time and the action's. */
let clock = fakeClock()

async function sandbox(spec: SandboxScenario = scenario()): Promise<Sandbox> {
  clock = fakeClock()
  const box = await startSandbox(spec, { silent: true, now: clock.now })
  cleanups.push(() => box.close())
  return box
}

/**
 * The product's SDK clients (awsClientConfig) with one change: the SDK's own retries do not wait. They are
 * the SDK's (real-time backoff and, in adaptive mode, a client-side rate limiter that waits seconds after
 * throttling); what these tests check is our code under the faults that outlive them.
 */
function instantRetryClients() {
  const retryStrategy = new ConfiguredRetryStrategy(8, () => 0)
  const gateways = new Map<string, BeanstalkGateway>()
  return {
    gatewayFor: (region: string) => {
      const gateway =
        gateways.get(region) ??
        new BeanstalkGateway(
          region,
          new ElasticBeanstalkClient({ ...awsClientConfig(region), retryStrategy }),
          clock
        )
      gateways.set(region, gateway)
      return gateway
    },
    storageFor: (region: string) =>
      new StorageGateway(region, {
        client: new S3Client({ ...awsClientConfig(region), retryStrategy }),
        clock
      })
  }
}

async function deploy(
  box: Sandbox,
  inputs: Record<string, string>,
  options: { ws?: string; env?: Record<string, string | undefined> } = {}
): Promise<BundleRun> {
  return await runInProcess('deploy-beanstalk', {
    clock,
    deps: instantRetryClients(),
    inputs: { 'application-name': APP, 'environment-name': ENV, ...inputs },
    env: { ...box.env, ...options.env },
    workspace: options.ws ?? workspace()
  })
}

describe('deploy-beanstalk in process (sandbox, fake clock)', () => {
  it('spends no request it does not need: no DescribeApplications when the environment is found, no look at a version CreateApplicationVersion answered Processed', async () => {
    const box = await sandbox(scenario({}, { processingMs: 0 }))
    const run = await deploy(box, { image: IMAGE })
    expect([run.code, show(run)]).toEqual([0, show(run)])
    const operations = box.requests.filter(r => r.service === 'elasticbeanstalk').map(r => r.operation)
    expect(operations).not.toContain('DescribeApplications')
    const created = operations.indexOf('CreateApplicationVersion')
    expect(operations.slice(created + 1, operations.indexOf('UpdateEnvironment'))).toEqual([])
    // the last round read the events after seeing the change: no second read of the same events at the end
    expect(operations.slice(-2)).toEqual(['DescribeEnvironments', 'DescribeEvents'])
  })

  it('a second run of the same commit redeploys: nothing uploaded, no new version', async () => {
    const box = await sandbox()
    const ws = workspace()
    const first = await deploy(box, { image: IMAGE }, { ws })
    expect(first.code).toBe(0)
    const mutatingBefore = box.mutatingCalls().length
    const second = await deploy(box, { image: IMAGE }, { ws })
    expect(second.code).toBe(0)
    expect(second.outputs['version-label']).toBe(first.outputs['version-label'])
    const after = box
      .mutatingCalls()
      .slice(mutatingBefore)
      .map(c => c.operation)
    expect(after).toEqual(['UpdateEnvironment'])
  })

  it('redeploys an existing version by label: nothing built or uploaded', async () => {
    const box = await sandbox(
      scenario({ versionLabel: 'v1' }, {}, { versions: [{ label: 'v0-initial' }, { label: 'v1' }] })
    )
    const run = await deploy(box, { 'version-label': 'v0-initial' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      deployed: 'true',
      'version-label': 'v0-initial',
      'previous-version-label': 'v1',
      'bundle-sha256': ''
    })
    expect(box.mutatingCalls().map(c => c.operation)).toEqual(['UpdateEnvironment'])
    expect(box.environment(ENV)?.versionLabel).toBe('v0-initial')
    expect(run.stdout).toContain('redeployed as it is')
  })

  it('a label already used by other content is an error, never an overwrite', async () => {
    const box = await sandbox()
    const first = await deploy(box, { image: IMAGE, 'version-label': 'release-1' })
    expect(first.code).toBe(0)
    const before = box.mutatingCalls().length
    const second = await deploy(box, { image: 'ghcr.io/imbit/demo-app:other', 'version-label': 'release-1' })
    expectUserError(second, /Version "release-1" already exists with other content/)
    expect(box.mutatingCalls().slice(before)).toEqual([])
  })

  describe('names that do not match', () => {
    it.each([
      [
        'an application name in the wrong case',
        { 'application-name': 'brilliancrm' },
        /Did you mean "BrillianCRM"\? Set application-name/
      ],
      [
        'an environment name with a typo',
        { 'environment-name': 'BrillianCRM-evn' },
        /Did you mean "BrillianCRM-env"\? Set environment-name/
      ],
      [
        'an environment of another application',
        { 'environment-name': 'BrillianQuiz-env' },
        /belongs to application "BrillianQuiz", not "BrillianCRM"/
      ],
      [
        'an application in another region',
        { 'application-name': 'Shop', 'environment-name': 'Shop-env' },
        /"Shop" exists in eu-west-1: set region to eu-west-1/
      ],
      [
        'an environment in another region',
        { 'application-name': 'BrillianCRM', 'environment-name': 'Shop-env' },
        /"Shop-env" exists in eu-west-1/
      ]
    ])('%s', async (_name, inputs, pattern) => {
      const box = await sandbox()
      const run = await deploy(box, { image: IMAGE, ...inputs })
      expectUserError(run, pattern)
      expect(box.mutatingCalls()).toEqual([])
    })

    it('a terminated environment', async () => {
      const box = await sandbox(scenario({ status: 'Terminated' }))
      const run = await deploy(box, { image: IMAGE })
      expectUserError(run, /is Terminated/)
      expect(box.mutatingCalls()).toEqual([])
    })
  })

  it('waits out an environment busy with another update, saying so', async () => {
    const box = await sandbox(scenario({ status: 'Updating', busyForMs: 2500 }))
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/is Updating \(another update is running\): waiting/)
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
    expect(box.environment(ENV)?.versionLabel).toBe(run.outputs['version-label'])
  })

  it('a failed deployment ends the step with Beanstalk’s own messages', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 1500, outcome: 'fail' } }))
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(1)
    expect(run.outputs.deployed).toBe('false')
    const messages = errors(run)
      .map(a => a.message)
      .join('\n')
    expect(messages).toContain('Failed to deploy application.')
    expect(messages).toMatch(/Deploying .* to BrillianCRM-env failed/)
    expect(box.environment(ENV)?.versionLabel).toBe('v0-initial')
    // the summary: what failed and what runs now, then Beanstalk's messages (Why) and the fix
    expect(run.summary).toMatch(
      /^### ❌ Elastic Beanstalk\n\nDeploying `0123456-[0-9a-f]{8}` to BrillianCRM-env failed after [^;]+; BrillianCRM-env runs `v0-initial`/
    )
    expect(run.summary).toMatch(/\*\*Why\*\*\n\n(- )?Failed to deploy application\./)
    expect(run.summary).toContain('**What to do**')
    expect([...summaryFaults(run.summary), ...layoutFaults(run.summary)]).toEqual([])
  })

  it('Red after Ready that does not recover fails after the grace period', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 1000, outcome: 'red' } }))
    const run = await deploy(box, { image: IMAGE, timeout: '40s' })
    expect(run.code).toBe(1)
    expect(
      errors(run)
        .map(a => a.message)
        .join('\n')
    ).toMatch(/health is Red and did not recover within 5s/)
    expect(run.outputs.health).toBe('Red')
  })

  it('Yellow then Green: waits for Green', async () => {
    const box = await sandbox(
      scenario({ update: { durationMs: 1000, outcome: 'yellow-then-green', yellowMs: 5000 } })
    )
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/health Yellow/)
    expect(run.outputs.health).toBe('Green')
  })

  it('Yellow is enough with required-health: Yellow', async () => {
    const box = await sandbox(
      scenario({ update: { durationMs: 1000, outcome: 'yellow-then-green', yellowMs: 20_000 } })
    )
    const run = await deploy(box, { image: IMAGE, 'required-health': 'Yellow' })
    expect(run.code).toBe(0)
    expect(run.outputs.health).toBe('Yellow')
  })

  it('rollback: redeploys the previous version, follows it, and still fails the step', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 1000, outcome: 'red' } }))
    // no instance logs: their requests would come out of the minute this tight timeout leaves the rollback
    const run = await deploy(box, {
      image: IMAGE,
      timeout: '40s',
      'rollback-on-failure': 'true',
      'log-lines': '0'
    })
    expect(run.code).toBe(1)
    const messages = errors(run)
      .map(a => a.message)
      .join('\n')
    expect(messages).toMatch(/Rollback: /)
    expect(box.calls('UpdateEnvironment').map(c => c.params.VersionLabel)).toEqual([
      run.outputs['version-label'],
      'v0-initial'
    ])
    // the rollback did not finish in time (every version runs Red here): said once, in the Why
    expect(run.summary).toContain('- Rollback: rolling back to v0-initial did not finish within the timeout.')
    expect(run.summary.match(/rolling back to v0-initial/g)).toHaveLength(1)
    expect([...summaryFaults(run.summary), ...layoutFaults(run.summary)]).toEqual([])
  })

  it('timeout: says the update may still be running, with the console link', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 1000, outcome: 'never' } }))
    const run = await deploy(box, { image: IMAGE, timeout: '6s' })
    expect(run.code).toBe(1)
    const message = errors(run)
      .map(a => a.message)
      .join('\n')
    expect(message).toContain('The update may still be running')
    expect(message).toContain('https://eu-central-1.console.aws.amazon.com/elasticbeanstalk/')
    expect(run.durationMs).toBeLessThan(20_000)
  })

  it('a 5-minute wait under throttling: at most 20 answered Beanstalk requests in any 60 s, and no stall', async () => {
    const box = await sandbox(
      scenario(
        { update: { durationMs: 1000, outcome: 'never' } },
        { faults: { throttleRate: 0.15, seed: 5 } }
      )
    )
    const run = await deploy(box, { image: IMAGE, timeout: '5m' })
    expect([run.code, errors(run)[0]?.title]).toEqual([1, 'Deployment timed out'])
    // every request the sandbox answered, the SDK's retries included; a throttled one gives its slot back
    // (issue 21: the account took nothing for it), and the adaptive pace keeps those few
    const times = box.requests.filter(r => r.service === 'elasticbeanstalk').map(r => r.time)
    const answered = box.requests
      .filter(r => r.service === 'elasticbeanstalk' && r.fault !== 'throttle')
      .map(r => r.time)
    expect(box.requests.some(r => r.fault === 'throttle')).toBe(true)
    for (const t of answered)
      expect(answered.filter(u => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(20)
    for (const t of times) expect(times.filter(u => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(26)
    // it kept looking, evenly: no gap near the cap's minute (the schedule spreads the budget, it never runs into it)
    const gaps = times.slice(1).map((t, i) => t - times[i])
    expect(Math.max(...gaps)).toBeLessThan(15_000)
    expect(times.length).toBeGreaterThan(80)
  })

  it('credentials that expire while following: the error says so; the events and state seen so far are reported', async () => {
    const box = await sandbox(
      scenario(
        { update: { durationMs: 60_000, outcome: 'healthy' } },
        // the look-up, then the first two rounds of the follow; the third round's look is refused
        { faults: { expireAfter: { operations: ['DescribeEnvironments'], after: 3 } } }
      )
    )
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(1)
    expect(box.requests.some(r => r.fault === 'expired')).toBe(true)
    const [error] = errors(run)
    expect(error.message).toMatch(/expired/i)
    expect(error.message).not.toMatch(/Unexpected/)
    // what was seen before the error: the update's first event and the environment's state, in the summary
    expect(run.summary).toContain('Environment update is starting.')
    expect(run.outputs).toMatchObject({ deployed: 'false', 'version-label': expect.any(String) })
    expect(run.outputs['environment-id']).toMatch(/^e-/)
    expect(run.outputs.health).toBeDefined()
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
  })

  it('the timeout ends while the call budget is full: a timeout, reported, without overrunning it', async () => {
    // Every DescribeEvents throttled: the SDK's 8 tries of each are spaced by the adaptive pace (each gives its slot
    // back); the step stops at its timeout, never after it.
    const box = await sandbox(
      scenario(
        { update: { durationMs: 600_000, outcome: 'never' } },
        { faults: { throttleRate: 1, operations: ['DescribeEvents'], seed: 1 } }
      )
    )
    // the bucket given: no CreateStorageLocation, so the requests before the follow are as many as before the
    // platform look-up (DescribePlatformVersion) was added; the throttled follow then ends as this test expects
    // no instance logs: they come after the timeout, up to 60 s (deploy-beanstalk-logs.test.ts)
    const run = await deploy(box, {
      image: IMAGE,
      timeout: '90s',
      bucket: box.storageBucket(),
      'log-lines': '0'
    })
    expect(run.code).toBe(1)
    const [error] = errors(run)
    // the follow's last look had no request slot before the deadline: the follow's own timeout, which says what
    // was waited for (not a request sent late)
    expect(error.title).toBe('Deployment timed out')
    expect(error.message).toContain('did not reach Ready on')
    expect(error.message).toContain('within the timeout (1m 30s)')
    expect(error.message).not.toMatch(/Unexpected|UserError|\$metadata/)
    // not one request held past the timeout: the step ends within it
    expect(run.durationMs).toBeLessThanOrEqual(90_000)
    const answered = box.requests
      .filter(r => r.service === 'elasticbeanstalk' && r.fault !== 'throttle')
      .map(r => r.time)
    for (const t of answered)
      expect(answered.filter(u => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(20)
    // the adaptive pace (issue 21) spaces the throttled retries instead of spending the minute's budget on them
    const throttled = box.requests.filter(r => r.fault === 'throttle').map(r => r.time)
    const gaps = throttled.slice(1).map((t, i) => t - throttled[i])
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(ADAPTIVE.minGapMs)
    // the one report: outputs, and a summary that says it timed out, why, and that the update may still run
    expect(run.outputs).toMatchObject({
      deployed: 'false',
      'version-label': expect.stringMatching(/^0123456-[0-9a-f]{8}$/),
      'previous-version-label': 'v0-initial',
      'environment-id': expect.stringMatching(/^e-/)
    })
    expect(run.summary).toMatch(/^### ⏱️ Elastic Beanstalk\n/)
    expect(run.summary).toContain('may still be running')
    expect(layoutFaults(run.summary)).toEqual([])
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
  })

  it('a throttling storm (30% throttled, some 5xx): one version, one update, success', async () => {
    const box = await sandbox(scenario({}, { faults: { throttleRate: 0.3, serverErrorRate: 0.05, seed: 7 } }))
    const run = await deploy(box, { image: IMAGE })
    expect([run.code, show(run)]).toEqual([0, show(run)])
    expect(box.calls('CreateApplicationVersion')).toHaveLength(1)
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
    expect(box.requests.some(r => r.fault === 'throttle')).toBe(true)
  })

  it('a forged object under the bundle key (it claims this bundle’s sha256) is refused, never overwritten', async () => {
    const box = await sandbox()
    const ws = workspace()
    // The plan (dry run) gives the label and sha256; put other bytes there whose metadata claims that sha256: the
    // bytes are hashed, not the metadata trusted, and bundles are create-only (nothing created, nothing replaced).
    const plan = await deploy(box, { image: IMAGE, 'dry-run': 'true' }, { ws })
    const label = plan.outputs['version-label']
    const s3 = new S3Client({
      region: 'eu-central-1',
      endpoint: box.s3Url,
      forcePathStyle: true,
      credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
    })
    const at = { Bucket: box.storageBucket(), Key: `${APP}/${label}.zip` }
    await s3.send(
      new PutObjectCommand({ ...at, Body: 'not a zip', Metadata: { sha256: plan.outputs['bundle-sha256'] } })
    )
    const run = await deploy(box, { image: IMAGE }, { ws })
    expectUserError(run, new RegExp(`s3://${at.Bucket}/${at.Key} already holds another bundle`))
    expect(run.stdout).not.toContain('not uploaded again')
    const object = await s3.send(new GetObjectCommand(at))
    expect(await object.Body?.transformToString()).toBe('not a zip')
    s3.destroy()
    expect(box.calls('PutObject')).toHaveLength(1) // the test's own
    expect(box.calls('CreateApplicationVersion')).toEqual([])
    expect(box.calls('UpdateEnvironment')).toEqual([])
  })

  it('a missing compose file: names the input, changes nothing', async () => {
    const box = await sandbox()
    const run = await deploy(box, { image: IMAGE, 'compose-file': 'deploy/compose.yml' })
    expectUserError(run, /Input 'compose-file' is "deploy\/compose.yml": no such file/)
    expect(box.mutatingCalls()).toEqual([])
  })

  it('no service matching image: lists the images found, changes nothing', async () => {
    const box = await sandbox()
    const run = await deploy(box, { image: 'ghcr.io/imbit/brilliancrm:abc' })
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toContain('ghcr.io/imbit/demo-app:latest')
    expect(box.mutatingCalls()).toEqual([])
  })

  it('a bundle over Beanstalk’s size limit fails before any AWS change', async () => {
    const box = await sandbox()
    const ws = workspace()
    const big = join(ws, 'big.zip')
    writeFileSync(big, '')
    truncateSync(big, 520 * 1024 * 1024) // sparse: no disk used
    const run = await deploy(box, { bundle: 'big.zip' }, { ws })
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toMatch(/500 MB|limit/i)
    expect(box.mutatingCalls()).toEqual([])
  })
})
