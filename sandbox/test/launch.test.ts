/**
 * The sandbox's new environments (launch.ts) through the real SDK v3 client, on a hand-driven clock: a template
 * saved from an environment, CreateEnvironment from it (Launching → Ready with a launch's events, the template's
 * platform and settings, the given tags), a taken CNAME prefix refused with Beanstalk's own message,
 * CheckDNSAvailability, ListTagsForResource and the refusals.
 */
import { describe, expect, it } from '@jest/globals'
import {
  CheckDNSAvailabilityCommand,
  CreateConfigurationTemplateCommand,
  CreateEnvironmentCommand,
  DeleteConfigurationTemplateCommand,
  DescribeApplicationsCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ListTagsForResourceCommand,
  UpdateEnvironmentCommand
} from '@aws-sdk/client-elastic-beanstalk'
import type { SandboxScenario } from '../index.js'
import { beanstalkClient, Clock, failure, sandboxesClosedAfterEach } from './clients.js'

const sandbox = sandboxesClosedAfterEach()
/** `Code: message` of a refused call. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await failure(promise)
  return `${error.name}: ${error.message}`
}
const APP = 'BrillianCRM'
const LIVE = 'BrillianCRM-blue'
const STACK = '64bit Amazon Linux 2023 v4.4.0 running Docker'
const ENV_NS = 'aws:elasticbeanstalk:application:environment'

const scenario: SandboxScenario = {
  name: 'launch',
  launchMs: 10_000,
  applications: [
    {
      name: APP,
      versions: [{ label: 'v1' }, { label: 'v2' }],
      environments: [
        {
          name: LIVE,
          versionLabel: 'v1',
          cname: 'brilliancrm.eu-central-1.elasticbeanstalk.com',
          environmentVariables: { LOG_LEVEL: 'info' },
          tags: { team: 'crm', cost: 'imbit' }
        },
        { name: 'BrillianCRM-other', cname: 'brilliancrm-twin.eu-central-1.elasticbeanstalk.com' }
      ]
    }
  ]
}

async function start() {
  const clock = new Clock()
  const box = await sandbox(scenario, clock)
  return { clock, box, eb: beanstalkClient(box) }
}

describe('sandbox: configuration templates and new environments', () => {
  it('clones an environment: template from it, CreateEnvironment from the template, Launching → Ready on its clock', async () => {
    const { clock, box, eb } = await start()
    const [live] =
      (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [LIVE] }))).Environments ?? []
    const template = await eb.send(
      new CreateConfigurationTemplateCommand({
        ApplicationName: APP,
        TemplateName: 'clone-of-blue',
        EnvironmentId: live.EnvironmentId
      })
    )
    expect(template.SolutionStackName).toBe(STACK)
    expect(template.OptionSettings?.find(o => o.Namespace === ENV_NS)?.Value).toBe('info')
    const apps = await eb.send(new DescribeApplicationsCommand({ ApplicationNames: [APP] }))
    expect(apps.Applications?.[0].ConfigurationTemplates).toEqual(['clone-of-blue'])
    const described = await eb.send(
      new DescribeConfigurationSettingsCommand({ ApplicationName: APP, TemplateName: 'clone-of-blue' })
    )
    expect(described.ConfigurationSettings?.[0].TemplateName).toBe('clone-of-blue')

    const free = await eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: 'brilliancrm-green' }))
    expect(free).toMatchObject({
      Available: true,
      FullyQualifiedCNAME: 'brilliancrm-green.eu-central-1.elasticbeanstalk.com'
    })
    const created = await eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: APP,
        EnvironmentName: 'BrillianCRM-green',
        TemplateName: 'clone-of-blue',
        VersionLabel: 'v1',
        CNAMEPrefix: 'brilliancrm-green',
        Tags: [{ Key: 'team', Value: 'crm' }]
      })
    )
    expect(created).toMatchObject({ Status: 'Launching', Health: 'Grey', SolutionStackName: STACK })
    expect(created.CNAME).toBe('brilliancrm-green.eu-central-1.elasticbeanstalk.com')
    expect(
      (await eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: 'brilliancrm-green' }))).Available
    ).toBe(false)
    // UpdateEnvironment waits for Ready, as Beanstalk's does
    expect(
      await refusal(
        eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'BrillianCRM-green', VersionLabel: 'v2' }))
      )
    ).toContain('Must be Ready')

    clock.advance(10_000)
    expect(box.environment('BrillianCRM-green')).toMatchObject({
      status: 'Ready',
      health: 'Green',
      versionLabel: 'v1',
      cname: 'brilliancrm-green.eu-central-1.elasticbeanstalk.com'
    })
    expect(box.settings('BrillianCRM-green')).toEqual(box.settings(LIVE))
    const events = await eb.send(new DescribeEventsCommand({ EnvironmentName: 'BrillianCRM-green' }))
    const messages = (events.Events ?? []).map(e => e.Message).reverse()
    expect(messages[0]).toBe('createEnvironment is starting.')
    expect(messages.at(-1)).toBe('Successfully launched environment: BrillianCRM-green')
    const tags = await eb.send(new ListTagsForResourceCommand({ ResourceArn: created.EnvironmentArn }))
    expect(tags.ResourceTags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'crm' },
        { Key: 'elasticbeanstalk:environment-name', Value: 'BrillianCRM-green' }
      ])
    )
    await eb.send(
      new DeleteConfigurationTemplateCommand({ ApplicationName: APP, TemplateName: 'clone-of-blue' })
    )
    expect(box.mutatingCalls().map(c => c.operation)).toEqual([
      'CreateConfigurationTemplate',
      'CreateEnvironment',
      'DeleteConfigurationTemplate'
    ])
  })

  it("refuses a taken CNAME prefix with Beanstalk's own message, and the other mistakes", async () => {
    const { eb } = await start()
    const taken = await eb.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: 'BrillianCRM-twin' }))
    expect(taken.Available).toBe(false)
    const create = (more: Record<string, unknown>) =>
      refusal(
        eb.send(
          new CreateEnvironmentCommand({
            ApplicationName: APP,
            EnvironmentName: 'BrillianCRM-green',
            SolutionStackName: STACK,
            ...more
          })
        )
      )
    expect(await create({ CNAMEPrefix: 'brilliancrm-twin' })).toBe(
      'InvalidParameterValue: DNS name (brilliancrm-twin.eu-central-1.elasticbeanstalk.com) is not available.'
    )
    expect(await create({ EnvironmentName: LIVE })).toContain(`Environment ${LIVE} already exists.`)
    expect(await create({ TemplateName: 'none', SolutionStackName: undefined })).toContain(
      "No Configuration Template named 'none' found."
    )
    expect(await create({ VersionLabel: 'v9' })).toContain("No Application Version named 'v9' found.")
    expect(await create({ Tags: [{ Key: 'elasticbeanstalk:environment-name', Value: 'x' }] })).toContain(
      'reserved'
    )
    expect(await create({ SolutionStackName: undefined })).toContain('InvalidParameterCombination')
    const [live] =
      (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [LIVE] }))).Environments ?? []
    const template = { ApplicationName: APP, TemplateName: 't', EnvironmentId: live.EnvironmentId }
    await eb.send(new CreateConfigurationTemplateCommand(template))
    expect(await refusal(eb.send(new CreateConfigurationTemplateCommand(template)))).toContain(
      'Configuration Template t already exists.'
    )
    // without a prefix, Beanstalk makes a CNAME of the name and a token
    const plain = await eb.send(
      new CreateEnvironmentCommand({
        ApplicationName: APP,
        EnvironmentName: 'BrillianCRM-green',
        SolutionStackName: STACK
      })
    )
    expect(plain.CNAME).toMatch(/^brilliancrm-green\.[a-z0-9]{10}\.eu-central-1\.elasticbeanstalk\.com$/)
  })
})
