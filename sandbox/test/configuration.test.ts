/**
 * The sandbox's configuration-settings model: DescribeConfigurationSettings and UpdateEnvironment's OptionSettings /
 * OptionsToRemove through the real SDK v3 client, on a hand-driven clock; both update paths (version and
 * configuration in one request accepted, or refused with InvalidParameterCombination).
 */
import { describe, expect, it } from '@jest/globals'
import {
  AbortEnvironmentUpdateCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEventsCommand,
  UpdateEnvironmentCommand,
  type ElasticBeanstalkClient
} from '@aws-sdk/client-elastic-beanstalk'
import type { SandboxScenario } from '../index.js'
import { beanstalkClient, Clock, failure, sandboxesClosedAfterEach } from './clients.js'

const sandbox = sandboxesClosedAfterEach()
const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const ENV_NS = 'aws:elasticbeanstalk:application:environment'
const SECRETS_NS = 'aws:elasticbeanstalk:application:environmentsecrets'
const ARN = 'arn:aws:ssm:eu-central-1:123456789012:parameter/crm/db'

function scenario(
  more: Partial<SandboxScenario> = {},
  outcome: 'healthy' | 'fail' = 'healthy'
): SandboxScenario {
  return {
    name: 'configuration',
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0' }, { label: 'v1' }],
        environments: [
          {
            name: ENV,
            versionLabel: 'v0',
            update: { durationMs: 1000, outcome },
            environmentVariables: { LOG_LEVEL: 'info', OLD: 'x' },
            environmentSecrets: { DB_PASSWORD: ARN }
          }
        ]
      }
    ],
    ...more
  }
}

async function settingsOf(eb: ElasticBeanstalkClient) {
  const out = await eb.send(
    new DescribeConfigurationSettingsCommand({ ApplicationName: APP, EnvironmentName: ENV })
  )
  return out.ConfigurationSettings ?? []
}

const property = (list: Array<{ Namespace?: string; OptionName?: string; Value?: string }>, name: string) =>
  list.find(o => o.Namespace === ENV_NS && o.OptionName === name)?.Value

describe('DescribeConfigurationSettings', () => {
  it('answers the deployed settings: platform options, properties and secrets', async () => {
    const eb = beanstalkClient(await sandbox(scenario()))
    const [deployed, ...others] = await settingsOf(eb)
    expect(others).toEqual([])
    expect(deployed).toMatchObject({
      ApplicationName: APP,
      EnvironmentName: ENV,
      DeploymentStatus: 'deployed'
    })
    const options = deployed.OptionSettings ?? []
    expect(property(options, 'LOG_LEVEL')).toBe('info')
    expect(options).toContainEqual({ Namespace: SECRETS_NS, OptionName: 'DB_PASSWORD', Value: ARN })
    expect(options).toContainEqual({
      Namespace: 'aws:autoscaling:launchconfiguration',
      OptionName: 'InstanceType',
      Value: 't3.micro'
    })
  })

  it('needs ApplicationName and an existing environment', async () => {
    const eb = beanstalkClient(await sandbox(scenario()))
    const missing = await failure(
      eb.send(
        new DescribeConfigurationSettingsCommand({ EnvironmentName: ENV } as unknown as {
          ApplicationName: string
        })
      )
    )
    expect(missing.name).toBe('MissingParameter')
    const unknown = await failure(
      eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: APP, EnvironmentName: 'Nope-env' }))
    )
    expect([unknown.name, unknown.message]).toEqual([
      'InvalidParameterValue',
      "No Environment found for EnvironmentName = 'Nope-env'."
    ])
  })
})

describe('UpdateEnvironment with OptionSettings / OptionsToRemove', () => {
  it('a configuration-only update: pending while it runs, applied when it ends, with configuration events', async () => {
    const clock = new Clock()
    const box = await sandbox(scenario(), clock)
    const eb = beanstalkClient(box)
    await eb.send(
      new UpdateEnvironmentCommand({
        ApplicationName: APP,
        EnvironmentName: ENV,
        OptionSettings: [{ Namespace: ENV_NS, OptionName: 'LOG_LEVEL', Value: 'debug' }],
        OptionsToRemove: [{ Namespace: ENV_NS, OptionName: 'OLD' }]
      })
    )
    const during = await settingsOf(eb)
    expect(during.map(d => d.DeploymentStatus)).toEqual(['deployed', 'pending'])
    expect(property(during[0].OptionSettings ?? [], 'LOG_LEVEL')).toBe('info')
    expect(property(during[1].OptionSettings ?? [], 'LOG_LEVEL')).toBe('debug')
    clock.advance(1000)
    const [after, ...rest] = await settingsOf(eb)
    expect(rest).toEqual([])
    expect(property(after.OptionSettings ?? [], 'LOG_LEVEL')).toBe('debug')
    expect(property(after.OptionSettings ?? [], 'OLD')).toBeUndefined()
    expect(box.environment(ENV)).toMatchObject({ status: 'Ready', versionLabel: 'v0' })
    const events = await eb.send(new DescribeEventsCommand({ EnvironmentName: ENV }))
    const messages = (events.Events ?? []).map(e => e.Message)
    expect(messages).toContain("Updating environment BrillianCRM-env's configuration settings.")
    expect(messages).toContain('Successfully deployed new configuration to environment.')
    expect(messages).not.toContain('Deploying new version to instance(s).')
  })

  it('a version and configuration in one request are accepted by default: both applied', async () => {
    const clock = new Clock()
    const box = await sandbox(scenario(), clock)
    const eb = beanstalkClient(box)
    await eb.send(
      new UpdateEnvironmentCommand({
        EnvironmentName: ENV,
        VersionLabel: 'v1',
        OptionSettings: [{ Namespace: ENV_NS, OptionName: 'NEW', Value: 'n' }]
      })
    )
    clock.advance(1000)
    expect(box.environment(ENV)?.versionLabel).toBe('v1')
    expect(box.settings(ENV)).toContainEqual({ namespace: ENV_NS, optionName: 'NEW', value: 'n' })
  })

  it("configurationWithVersion 'refused': InvalidParameterCombination, nothing changes; each alone works", async () => {
    const clock = new Clock()
    const box = await sandbox(scenario({ configurationWithVersion: 'refused' }), clock)
    const eb = beanstalkClient(box)
    const before = box.settings(ENV)
    const refused = await failure(
      eb.send(
        new UpdateEnvironmentCommand({
          EnvironmentName: ENV,
          VersionLabel: 'v1',
          OptionSettings: [{ Namespace: ENV_NS, OptionName: 'NEW', Value: 'n' }]
        })
      )
    )
    expect(refused.name).toBe('InvalidParameterCombination')
    expect(box.settings(ENV)).toEqual(before)
    expect(box.environment(ENV)).toMatchObject({ status: 'Ready', versionLabel: 'v0' })
    await eb.send(
      new UpdateEnvironmentCommand({
        EnvironmentName: ENV,
        OptionSettings: [{ Namespace: ENV_NS, OptionName: 'NEW', Value: 'n' }]
      })
    )
    clock.advance(1000)
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    clock.advance(1000)
    expect(box.environment(ENV)?.versionLabel).toBe('v1')
    expect(box.settings(ENV)).toContainEqual({ namespace: ENV_NS, optionName: 'NEW', value: 'n' })
  })

  it('the named scenario refuses too', async () => {
    const eb = beanstalkClient(await sandbox('configuration-refused-with-version'))
    const refused = await failure(
      eb.send(
        new UpdateEnvironmentCommand({
          EnvironmentName: ENV,
          VersionLabel: 'v0-initial',
          OptionsToRemove: [{ Namespace: ENV_NS, OptionName: 'X' }]
        })
      )
    )
    expect(refused.name).toBe('InvalidParameterCombination')
  })

  it('refuses properties over 4,096 bytes (name=value) and names with characters Beanstalk does not allow', async () => {
    const box = await sandbox(scenario())
    const eb = beanstalkClient(box)
    const before = box.settings(ENV)
    const big = await failure(
      eb.send(
        new UpdateEnvironmentCommand({
          EnvironmentName: ENV,
          OptionSettings: [{ Namespace: ENV_NS, OptionName: 'BIG', Value: 'x'.repeat(4096) }]
        })
      )
    )
    expect([big.name, big.message]).toEqual([
      'InvalidParameterValue',
      expect.stringContaining('cannot exceed 4096 bytes')
    ])
    const badName = await failure(
      eb.send(
        new UpdateEnvironmentCommand({
          EnvironmentName: ENV,
          OptionSettings: [{ Namespace: ENV_NS, OptionName: 'BAD NAME', Value: '1' }]
        })
      )
    )
    expect(badName.name).toBe('InvalidParameterValue')
    expect(box.settings(ENV)).toEqual(before)
    expect(box.environment(ENV)?.status).toBe('Ready')
  })

  it('a failed version deployment keeps the new configuration; configuration alone succeeds; an abort reverts it', async () => {
    const clock = new Clock()
    const box = await sandbox(scenario({}, 'fail'), clock)
    const eb = beanstalkClient(box)
    const change = { Namespace: ENV_NS, OptionName: 'LOG_LEVEL', Value: 'debug' }
    await eb.send(
      new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1', OptionSettings: [change] })
    )
    clock.advance(1000)
    expect(box.environment(ENV)?.versionLabel).toBe('v0')
    expect(box.settings(ENV)).toContainEqual({ namespace: ENV_NS, optionName: 'LOG_LEVEL', value: 'debug' })
    // 'fail' is about versions: a configuration-only update succeeds (that is how a rollback restores settings)
    await eb.send(
      new UpdateEnvironmentCommand({ EnvironmentName: ENV, OptionSettings: [{ ...change, Value: 'warn' }] })
    )
    clock.advance(1000)
    expect(box.environment(ENV)).toMatchObject({ status: 'Ready', health: 'Green', versionLabel: 'v0' })
    expect(box.settings(ENV)).toContainEqual({ namespace: ENV_NS, optionName: 'LOG_LEVEL', value: 'warn' })
    await eb.send(
      new UpdateEnvironmentCommand({ EnvironmentName: ENV, OptionSettings: [{ ...change, Value: 'trace' }] })
    )
    clock.advance(100)
    await eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: ENV }))
    clock.advance(2000)
    expect(box.settings(ENV)).toContainEqual({ namespace: ENV_NS, optionName: 'LOG_LEVEL', value: 'warn' })
  })
})
