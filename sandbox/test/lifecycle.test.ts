/**
 * Scripted environment lifecycles, observed through the SDK as an action would see them: status, version,
 * health and events per outcome; busy and terminated environments; readyAt exact.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import {
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  UpdateEnvironmentCommand,
  type ElasticBeanstalkClient
} from '@aws-sdk/client-elastic-beanstalk'
import { startSandbox, type Sandbox, type SandboxScenario, type UpdateScript } from '../index.js'
import { beanstalkClient, Clock, failure } from './clients.js'

const boxes: Sandbox[] = []
afterEach(async () => {
  for (const box of boxes.splice(0)) await box.close()
})

const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'

function scenario(update: UpdateScript, env: Record<string, unknown> = {}): SandboxScenario {
  return {
    name: 'lifecycle',
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0' }, { label: 'v1' }],
        environments: [{ name: ENV, versionLabel: 'v0', update, ...env }]
      }
    ]
  }
}

async function start(
  spec: SandboxScenario | string,
  clock: Clock
): Promise<{ box: Sandbox; eb: ElasticBeanstalkClient }> {
  const box = await startSandbox(spec, { silent: true, now: clock.now })
  boxes.push(box)
  return { box, eb: beanstalkClient(box) }
}

async function describe1(eb: ElasticBeanstalkClient) {
  const out = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [ENV] }))
  const env = out.Environments?.[0]
  return { status: env?.Status, version: env?.VersionLabel, health: env?.Health }
}

async function messages(eb: ElasticBeanstalkClient): Promise<string[]> {
  const out = await eb.send(new DescribeEventsCommand({ EnvironmentName: ENV }))
  return (out.Events ?? []).map(e => `${e.Severity} ${e.Message}`).reverse()
}

describe('UpdateEnvironment outcomes', () => {
  it('healthy: Updating/Grey until durationMs, then Ready, the new version, Green; readyAt exact', async () => {
    const clock = new Clock()
    const { box, eb } = await start(scenario({ durationMs: 3000, outcome: 'healthy' }), clock)
    const t0 = clock.time
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    clock.advance(2999)
    expect(await describe1(eb)).toEqual({ status: 'Updating', version: 'v0', health: 'Grey' })
    clock.advance(1)
    expect(await describe1(eb)).toEqual({ status: 'Ready', version: 'v1', health: 'Green' })
    expect(box.environment(ENV)?.readyAt).toBe(t0 + 3000)
    expect(await messages(eb)).toEqual([
      'INFO Environment update is starting.',
      'INFO Deploying new version to instance(s).',
      'INFO Instance deployment completed successfully.',
      'INFO New application version was deployed to running EC2 instances.',
      'INFO Environment update completed successfully.'
    ])
  })

  it('fail: Docker failure events, Ready, the old version keeps running', async () => {
    const clock = new Clock()
    const { box, eb } = await start(scenario({ durationMs: 2000, outcome: 'fail' }), clock)
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    clock.advance(2000)
    expect(await describe1(eb)).toEqual({ status: 'Ready', version: 'v0', health: 'Green' })
    const events = await messages(eb)
    expect(events.slice(2)).toEqual([
      "ERROR Instance deployment failed. For details, see 'eb-engine.log'.",
      expect.stringMatching(
        /^ERROR \[Instance: i-0[0-9a-f]{16}\] Command failed on instance\. Return code: 1 Output: Engine execution has encountered an error\.\.$/
      ),
      'INFO Command execution completed on all instances. Summary: [Successful: 0, Failed: 1].',
      'ERROR Failed to deploy application.'
    ])
    expect(box.environment(ENV)?.readyAt).toBeDefined()
  })

  it('red: deployed, Ready with the new version, health Red with its event', async () => {
    const clock = new Clock()
    const { eb } = await start(scenario({ durationMs: 1000, outcome: 'red' }), clock)
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    clock.advance(1000)
    expect(await describe1(eb)).toEqual({ status: 'Ready', version: 'v1', health: 'Red' })
    expect((await messages(eb)).at(-1)).toBe('WARN Environment health has been set to RED')
    const health = await eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: ENV }))
    expect([health.Color, health.HealthStatus]).toEqual(['Red', 'Degraded'])
  })

  it('yellow-then-green: Ready with Yellow for yellowMs, then Green', async () => {
    const clock = new Clock()
    const { eb } = await start(
      scenario({ durationMs: 1000, outcome: 'yellow-then-green', yellowMs: 4000 }),
      clock
    )
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    clock.advance(1000)
    expect(await describe1(eb)).toEqual({ status: 'Ready', version: 'v1', health: 'Yellow' })
    clock.advance(3999)
    expect((await describe1(eb)).health).toBe('Yellow')
    clock.advance(1)
    expect((await describe1(eb)).health).toBe('Green')
    expect((await messages(eb)).slice(-2)).toEqual([
      'WARN Environment health has been set to YELLOW',
      'INFO Environment health has been set to GREEN'
    ])
  })

  it('never: stays Updating; a second update is refused as not Ready', async () => {
    const clock = new Clock()
    const { eb } = await start(scenario({ durationMs: 1000, outcome: 'never' }), clock)
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    clock.advance(3_600_000)
    expect(await describe1(eb)).toEqual({ status: 'Updating', version: 'v0', health: 'Grey' })
    const again = await failure(
      eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    )
    expect(again.message).toMatch(/Must be Ready\.$/)
  })

  it('each update follows the script again (redeploying the running version too)', async () => {
    const clock = new Clock()
    const { box, eb } = await start(scenario({ durationMs: 500, outcome: 'healthy' }), clock)
    for (const label of ['v1', 'v0', 'v0']) {
      await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: label }))
      clock.advance(500)
      expect(await describe1(eb)).toEqual({ status: 'Ready', version: label, health: 'Green' })
    }
    expect(box.calls('UpdateEnvironment').map(c => c.params.VersionLabel)).toEqual(['v1', 'v0', 'v0'])
  })
})

describe('initial states', () => {
  it('busy: Updating at start, Ready after busyForMs; then an update goes through', async () => {
    const clock = new Clock()
    const { eb } = await start('busy', clock)
    expect(await describe1(eb)).toMatchObject({ status: 'Updating', version: 'v0-initial' })
    clock.advance(5000)
    expect(await describe1(eb)).toEqual({ status: 'Ready', version: 'v0-initial', health: 'Green' })
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v0-initial' }))
    expect((await describe1(eb)).status).toBe('Updating')
  })

  it('terminated: invisible by default, refused for updates', async () => {
    const clock = new Clock()
    const { box, eb } = await start('terminated', clock)
    expect(box.environment(ENV)?.status).toBe('Terminated')
    const update = await failure(
      eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v0-initial' }))
    )
    expect([update.name, update.message]).toEqual([
      'InvalidParameterValue',
      "No Environment found for EnvironmentName = 'BrillianCRM-env'."
    ])
  })

  it('several regions: the same names are separate environments', async () => {
    const clock = new Clock()
    const { box } = await start('multi-region', clock)
    const us = beanstalkClient(box, { region: 'us-east-1' })
    await us.send(
      new UpdateEnvironmentCommand({ EnvironmentName: 'BrillianCRM-staging', VersionLabel: 'v0-initial' })
    )
    expect(box.environment('BrillianCRM-staging', 'us-east-1')?.status).toBe('Updating')
    expect(box.environment(ENV)?.status).toBe('Ready')
    expect(box.environment('BrillianCRM-staging')).toBeUndefined()
  })
})

describe('on the default clock (Date.now)', () => {
  afterEach(() => {
    jest.useRealTimers()
  })

  it('a 300 ms update is Ready, with readyAt between the call and the observation', async () => {
    // Only Date is faked: the sandbox's default clock is Date.now, and the test moves it instead of sleeping.
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout'
      ]
    })
    const box = await startSandbox(scenario({ durationMs: 300, outcome: 'healthy' }), { silent: true })
    boxes.push(box)
    const eb = beanstalkClient(box)
    const before = Date.now()
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    expect((await describe1(eb)).status).toBe('Updating')
    jest.setSystemTime(Date.now() + 400)
    expect(await describe1(eb)).toEqual({ status: 'Ready', version: 'v1', health: 'Green' })
    const readyAt = box.environment(ENV)?.readyAt ?? 0
    expect(readyAt - before).toBeGreaterThanOrEqual(300)
    expect(readyAt).toBeLessThanOrEqual(Date.now())
  })
})
