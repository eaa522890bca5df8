import { describe, expect, it } from '@jest/globals'
import { fakeClock, awsError, environmentDescription } from '../helpers/fakes.js'
import {
  CreateApplicationVersionCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  UpdateEnvironmentCommand
} from '@aws-sdk/client-elastic-beanstalk'
import { mockClient } from 'aws-sdk-client-mock'
import type { Clock } from '../../src/common/retry.js'
import type { RawInputs } from '../../src/deploy-beanstalk/inputs.js'
import { mockCore } from '../helpers/core-fixture.js'

const coreLog = await mockCore()
const { UserError } = await import('../../src/common/errors.js')
const { Deadline } = await import('../../src/common/retry.js')
const { BeanstalkGateway } = await import('../../src/deploy-beanstalk/aws/beanstalk.js')
const { follow } = await import('../../src/deploy-beanstalk/update/follow.js')
const { startUpdate } = await import('../../src/deploy-beanstalk/update/start.js')
const { checkApplication, findEnvironment } = await import('../../src/deploy-beanstalk/lookup.js')
const { INPUT_NAMES, parseInputs } = await import('../../src/deploy-beanstalk/inputs.js')
const { makePlan } = await import('../../src/deploy-beanstalk/plan.js')
const { createVersion, waitProcessed } = await import('../../src/deploy-beanstalk/versions/create.js')

function gatewayIn(region: string, clock?: Clock) {
  const client = new ElasticBeanstalkClient({
    region,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    maxAttempts: 1
  })
  const mock = mockClient(client)
  return { gateway: new BeanstalkGateway(region, client, clock), mock }
}

async function userError(promise: Promise<unknown>): Promise<InstanceType<typeof UserError>> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as InstanceType<typeof UserError>
  }
  throw new Error('expected a UserError')
}

const env = environmentDescription

describe('look-up', () => {
  it('an unknown application: lists the names, suggests the closest, points at another region', async () => {
    const regions = {
      'eu-central-1': gatewayIn('eu-central-1'),
      'eu-west-1': gatewayIn('eu-west-1'),
      'us-east-1': gatewayIn('us-east-1')
    }
    regions['eu-central-1'].mock
      .on(DescribeApplicationsCommand, { ApplicationNames: ['brilliancrm'] })
      .resolves({ Applications: [] })
      .on(DescribeApplicationsCommand, { ApplicationNames: undefined })
      .resolves({ Applications: [{ ApplicationName: 'BrillianCRM' }, { ApplicationName: 'BrillianQuiz' }] })
    regions['eu-west-1'].mock
      .on(DescribeApplicationsCommand)
      .resolves({ Applications: [{ ApplicationName: 'brilliancrm' }] })
    regions['us-east-1'].mock.on(DescribeApplicationsCommand).rejects(awsError('AccessDenied', 'no'))
    const error = await userError(
      checkApplication(r => regions[r as keyof typeof regions].gateway, 'eu-central-1', 'brilliancrm')
    )
    expect(error.input).toBe('application-name')
    expect(error.message).toContain('Did you mean "BrillianCRM"?')
    expect(error.message).toContain('exists in eu-west-1: set region to eu-west-1')
    expect(error.message).toContain('"BrillianCRM", "BrillianQuiz"')
  })

  it('an environment of another application says which', async () => {
    const { gateway, mock } = gatewayIn('eu-central-1')
    const all = [
      env(),
      env({ EnvironmentName: 'BrillianQuiz-env', ApplicationName: 'BrillianQuiz', EnvironmentId: 'e-quiz' })
    ]
    mock.on(DescribeEnvironmentsCommand).callsFake(input => ({
      Environments: all.filter(
        e =>
          (!input.ApplicationName || e.ApplicationName === input.ApplicationName) &&
          (!input.EnvironmentNames || input.EnvironmentNames.includes(e.EnvironmentName))
      )
    }))
    const error = await userError(
      findEnvironment(() => gateway, 'eu-central-1', 'BrillianCRM', 'BrillianQuiz-env')
    )
    expect(error.message).toContain('belongs to application "BrillianQuiz", not "BrillianCRM"')
    expect(error.input).toBe('application-name')
  })

  it('a terminated environment is an error; a live one with the same name wins', async () => {
    const { gateway, mock } = gatewayIn('eu-central-1')
    mock.on(DescribeEnvironmentsCommand).resolves({ Environments: [env({ Status: 'Terminated' })] })
    const error = await userError(
      findEnvironment(() => gateway, 'eu-central-1', 'BrillianCRM', 'BrillianCRM-env')
    )
    expect(error.message).toContain('is Terminated')
    mock
      .on(DescribeEnvironmentsCommand)
      .resolves({ Environments: [env({ Status: 'Terminated', EnvironmentId: 'e-old' }), env()] })
    expect((await findEnvironment(() => gateway, 'eu-central-1', 'BrillianCRM', 'BrillianCRM-env')).id).toBe(
      'e-crm0000001'
    )
  })
})

const plan = makePlan({
  inputs: parseInputs(
    {
      ...(Object.fromEntries(INPUT_NAMES.map(n => [n, ''])) as RawInputs),
      'application-name': 'BrillianCRM',
      'environment-name': 'BrillianCRM-env',
      timeout: '10m'
    },
    { AWS_REGION: 'eu-central-1' }
  ),
  environment: {
    name: 'BrillianCRM-env',
    id: 'e-crm0000001',
    application: 'BrillianCRM',
    status: 'Ready',
    health: 'Green',
    versionLabel: 'v1'
  },
  label: 'v2',
  description: 'test',
  bundle: { path: '/dev/null', sha256: '00'.repeat(32), size: 1, temporary: false }
})

describe('version', () => {
  it('a retried CreateApplicationVersion that finds its own first try uses that version', async () => {
    const { gateway, mock } = gatewayIn('eu-central-1')
    mock
      .on(CreateApplicationVersionCommand)
      .rejects(awsError('InvalidParameterValue', 'Application Version v2 already exists.'))
    mock.on(DescribeApplicationVersionsCommand).resolves({
      ApplicationVersions: [
        {
          VersionLabel: 'v2',
          Status: 'Processing',
          SourceBundle: { S3Bucket: 'b', S3Key: 'BrillianCRM/v2.zip' }
        }
      ]
    })
    expect((await createVersion(gateway, plan, 'b')).status).toBe('Processing')
    mock.on(DescribeApplicationVersionsCommand).resolves({
      ApplicationVersions: [
        { VersionLabel: 'v2', Status: 'Processed', SourceBundle: { S3Bucket: 'b', S3Key: 'other.zip' } }
      ]
    })
    expect((await userError(createVersion(gateway, plan, 'b'))).input).toBe('version-label')
  })

  it('processing FAILED ends with Beanstalk reason', async () => {
    const clock = fakeClock()
    const { gateway, mock } = gatewayIn('eu-central-1', clock)
    mock
      .on(DescribeApplicationVersionsCommand)
      .resolvesOnce({ ApplicationVersions: [{ VersionLabel: 'v2', Status: 'Processing' }] })
      .resolves({ ApplicationVersions: [{ VersionLabel: 'v2', Status: 'Failed' }] })
    mock.on(DescribeEventsCommand).resolves({
      Events: [
        {
          EventDate: new Date(),
          Severity: 'ERROR',
          Message: 'Invalid option specification (Namespace: aws:x).'
        }
      ]
    })
    const error = await userError(waitProcessed(gateway, plan, new Deadline(60_000, clock), new Date(0), 'b'))
    expect(error.message).toContain('Invalid option specification')
    expect(error.message).toContain('status Failed')
  })
})

describe('deploy and follow', () => {
  it('waits out a busy environment, and retries when it became busy again just before the request', async () => {
    const clock = fakeClock()
    const { gateway, mock } = gatewayIn('eu-central-1', clock)
    mock
      .on(DescribeEnvironmentsCommand)
      .resolvesOnce({ Environments: [env({ Status: 'Updating' })] })
      .resolvesOnce({ Environments: [env()] })
      .resolvesOnce({ Environments: [env({ Status: 'Updating' })] })
      .resolves({ Environments: [env()] })
    mock
      .on(UpdateEnvironmentCommand)
      .rejectsOnce(
        awsError(
          'InvalidParameterValue',
          'Environment named BrillianCRM-env is in an invalid state for this operation. Must be Ready.'
        )
      )
      .resolves(env({ Status: 'Updating', VersionLabel: 'v2' }))
    const initial = {
      id: 'e-crm0000001',
      name: 'BrillianCRM-env',
      application: 'BrillianCRM',
      status: 'Updating',
      health: 'Grey'
    }
    const result = await startUpdate(
      gateway,
      'e-crm0000001',
      { label: 'v2' },
      new Deadline(600_000, clock),
      initial
    )
    expect(result?.environment.status).toBe('Updating')
    expect(mock.commandCalls(UpdateEnvironmentCommand)).toHaveLength(2)
  })

  it('gives up waiting for a busy environment at the deadline', async () => {
    const clock = fakeClock()
    const { gateway, mock } = gatewayIn('eu-central-1', clock)
    mock.on(DescribeEnvironmentsCommand).resolves({ Environments: [env({ Status: 'Updating' })] })
    const initial = {
      id: 'e-crm0000001',
      name: 'x',
      application: 'BrillianCRM',
      status: 'Updating',
      health: 'Grey'
    }
    expect(
      await startUpdate(gateway, 'e-crm0000001', { label: 'v2' }, new Deadline(60_000, clock), initial)
    ).toBeUndefined()
    expect(mock.commandCalls(UpdateEnvironmentCommand)).toHaveLength(0)
  })

  const followOptions = (clock: Clock, timeoutMs = 600_000) => ({
    application: 'BrillianCRM',
    environmentId: 'e-crm0000001',
    target: 'v2',
    previous: 'v1',
    requiredHealth: 'Green' as const,
    since: new Date(clock.now()),
    deadline: new Deadline(timeoutMs, clock),
    timeoutMs,
    initial: {
      id: 'e-crm0000001',
      name: 'BrillianCRM-env',
      application: 'BrillianCRM',
      status: 'Updating',
      health: 'Grey',
      versionLabel: 'v1'
    }
  })

  it('succeeds on Ready + v2 + Green, streaming each event once; survives throttling', async () => {
    const clock = fakeClock()
    const { gateway, mock } = gatewayIn('eu-central-1', clock)
    const at = (s: number) => new Date(clock.t + s * 1000)
    mock
      .on(DescribeEventsCommand)
      .resolvesOnce({
        Events: [{ EventDate: at(0), Severity: 'INFO', Message: 'Environment update is starting.' }]
      })
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolves({
        Events: [
          { EventDate: at(5), Severity: 'INFO', Message: 'Environment update completed successfully.' },
          { EventDate: at(0), Severity: 'INFO', Message: 'Environment update is starting.' }
        ]
      })
    mock
      .on(DescribeEnvironmentsCommand)
      .resolvesOnce({ Environments: [env({ Status: 'Updating', VersionLabel: 'v1' })] })
      .resolves({ Environments: [env({ VersionLabel: 'v2' })] })
    const outcome = await follow(gateway, followOptions(clock))
    expect(outcome.kind).toBe('success')
    expect(outcome.events.map(e => e.message)).toEqual([
      'Environment update is starting.',
      'Environment update completed successfully.'
    ])
  })

  it('fails on "Failed to deploy application." with the message', async () => {
    const clock = fakeClock()
    const { gateway, mock } = gatewayIn('eu-central-1', clock)
    mock.on(DescribeEventsCommand).resolves({
      Events: [
        { EventDate: new Date(clock.t + 1000), Severity: 'ERROR', Message: 'Failed to deploy application.' }
      ]
    })
    mock
      .on(DescribeEnvironmentsCommand)
      .resolves({ Environments: [env({ Status: 'Updating', VersionLabel: 'v1' })] })
    const outcome = await follow(gateway, followOptions(clock))
    expect(outcome.kind).toBe('failure')
    if (outcome.kind === 'failure') expect(outcome.decision.reason).toBe('Failed to deploy application.')
    // the ERROR event reaches the log as an error annotation, once
    expect(coreLog.error.filter(m => m.endsWith('ERROR Failed to deploy application.'))).toHaveLength(1)
  })
})
