/**
 * The configuration update paths in process (src/deploy-beanstalk/configuration/apply.ts and rollback.ts) against
 * the sandbox on an injected fake clock: nothing sleeps, the follow loops run at once. The e2e tests cover the
 * same paths through the real bundle; here the failure branches that are slow there are checked.
 */
import { describe, expect, it } from '@jest/globals'
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { Deadline } from '../../src/common/retry.js'
import { BeanstalkGateway, type EnvironmentInfo } from '../../src/deploy-beanstalk/aws/beanstalk.js'
import { startDeployment } from '../../src/deploy-beanstalk/update/start.js'
import type { ConfigurationRequest } from '../../src/deploy-beanstalk/configuration/diff.js'
import { fakeClock } from '../helpers/fakes.js'
import { type SandboxScenario, type UpdateScript, sandboxesClosedAfterEach } from '../../sandbox/index.js'

const sandbox = sandboxesClosedAfterEach()
const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const ENV_NS = 'aws:elasticbeanstalk:application:environment'
const CHANGE: ConfigurationRequest = {
  optionSettings: [{ namespace: ENV_NS, optionName: 'API_KEY', value: 'k' }],
  optionsToRemove: []
}

function scenario(update: UpdateScript, configurationWithVersion: 'accepted' | 'refused'): SandboxScenario {
  return {
    name: 'apply',
    configurationWithVersion,
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0' }, { label: 'v1' }],
        environments: [{ name: ENV, versionLabel: 'v0', update }]
      }
    ]
  }
}

async function setUp(update: UpdateScript, combined: 'accepted' | 'refused') {
  const clock = fakeClock(Date.now())
  const box = await sandbox(scenario(update, combined), { now: () => clock.t })
  const client = new ElasticBeanstalkClient({
    region: 'eu-central-1',
    endpoint: box.url,
    credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
  })
  const gateway = new BeanstalkGateway('eu-central-1', client, clock)
  const [initial] = await gateway.environments({ names: [ENV] })
  const plan = {
    application: APP,
    environmentId: initial.id,
    environment: ENV,
    requiredHealth: 'Green' as const,
    timeoutMs: 60_000
  }
  const start = (label: string | undefined, change?: ConfigurationRequest, from: EnvironmentInfo = initial) =>
    startDeployment(gateway, plan, { label, configuration: change }, new Deadline(60_000, clock), from)
  const updates = () =>
    box.requests
      .filter(r => r.operation === 'UpdateEnvironment')
      .map(r => [
        r.errorCode ?? 'ok',
        r.params.VersionLabel ?? '-',
        r.params['OptionSettings.member.1.OptionName'] ?? '-'
      ])
  return { box, clock, gateway, start, updates }
}

describe('startDeployment', () => {
  it('accepted: one update with the version and the configuration', async () => {
    const { start, updates } = await setUp({ durationMs: 3000, outcome: 'healthy' }, 'accepted')
    const started = await start('v1', CHANGE)
    expect(started).toMatchObject({ kind: 'started', twoStep: false })
    expect(updates()).toEqual([['ok', 'v1', 'API_KEY']])
  })

  it('refused: the configuration alone, followed to Ready (fake clock), then the version', async () => {
    const { box, start, updates } = await setUp({ durationMs: 3000, outcome: 'healthy' }, 'refused')
    const started = await start('v1', CHANGE)
    expect(started).toMatchObject({ kind: 'started', twoStep: true })
    expect(started.kind === 'started' && started.events.map(e => e.message)).toContain(
      'Successfully deployed new configuration to environment.'
    )
    expect(updates()).toEqual([
      ['InvalidParameterCombination', 'v1', 'API_KEY'],
      ['ok', '-', 'API_KEY'],
      ['ok', 'v1', '-']
    ])
    expect(box.settings(ENV)).toContainEqual({ namespace: ENV_NS, optionName: 'API_KEY', value: 'k' })
  })

  it('refused, and the configuration update never ends: configuration-failed, the version is not deployed', async () => {
    const { box, start, updates } = await setUp({ durationMs: 3000, outcome: 'never' }, 'refused')
    const started = await start('v1', CHANGE)
    expect(started).toMatchObject({ kind: 'configuration-failed', followed: { kind: 'timeout' } })
    expect(updates().map(u => u[1])).toEqual(['v1', '-'])
    expect(box.environment(ENV)?.versionLabel).toBe('v0')
  })

  it('other errors are not taken for a refusal: they end the step with AWS’s message', async () => {
    const { start, updates } = await setUp({ durationMs: 3000, outcome: 'healthy' }, 'refused')
    await expect(start('no-such-version', CHANGE)).rejects.toThrow(
      "No Application Version named 'no-such-version' found."
    )
    expect(updates()).toHaveLength(1)
  })

  it('no change: a plain version update, no OptionSettings sent', async () => {
    const { box, start } = await setUp({ durationMs: 3000, outcome: 'healthy' }, 'refused')
    await start('v1', undefined)
    const [call] = box.calls('UpdateEnvironment')
    expect(Object.keys(call.params).filter(k => k.startsWith('Option'))).toEqual([])
  })
})

describe('BeanstalkGateway.configurationSettings', () => {
  it('takes the deployed description while an update is pending, the new one after', async () => {
    const { clock, gateway, start } = await setUp({ durationMs: 3000, outcome: 'healthy' }, 'accepted')
    await start(undefined, CHANGE)
    const names = async () => (await gateway.configurationSettings(APP, ENV)).map(s => s.optionName)
    expect(await names()).not.toContain('API_KEY')
    clock.t += 3000
    expect(await names()).toContain('API_KEY')
  })
})
