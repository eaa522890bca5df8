/**
 * Elastic Beanstalk fidelity: every operation through the real SDK v3 client (Query protocol), asserting on
 * parsed fields and error names/messages as AWS documents them.
 */
import { describe, expect, it } from '@jest/globals'
import {
  AbortEnvironmentUpdateCommand,
  CreateApplicationVersionCommand,
  CreateStorageLocationCommand,
  DeleteApplicationVersionCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  UpdateEnvironmentCommand
} from '@aws-sdk/client-elastic-beanstalk'
import { HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import type { Sandbox } from '../index.js'
import { beanstalkClient, Clock, failure, s3Client, sandboxesClosedAfterEach } from './clients.js'
import { zipOf } from './zips.js'

const sandbox = sandboxesClosedAfterEach()

const CRM = 'BrillianCRM'
const CRM_ENV = 'BrillianCRM-env'

async function upload(box: Sandbox, key: string, body: Buffer | string): Promise<void> {
  await s3Client(box).send(new PutObjectCommand({ Bucket: box.storageBucket(), Key: key, Body: body }))
}

describe('DescribeApplications', () => {
  it('lists the region’s applications with their versions, filtered by ApplicationNames', async () => {
    const box = await sandbox()
    const eb = beanstalkClient(box)
    const all = await eb.send(new DescribeApplicationsCommand({}))
    expect(all.Applications?.map(a => a.ApplicationName)).toEqual([
      'BrillianCRM',
      'BrillianICM',
      'BrillianQuiz',
      'brillianideas'
    ])
    const one = await eb.send(new DescribeApplicationsCommand({ ApplicationNames: [CRM] }))
    expect(one.Applications).toHaveLength(1)
    expect(one.Applications?.[0]).toMatchObject({
      ApplicationName: CRM,
      Versions: ['v0-initial'],
      ApplicationArn: 'arn:aws:elasticbeanstalk:eu-central-1:123456789012:application/BrillianCRM'
    })
    expect(one.Applications?.[0].DateCreated).toBeInstanceOf(Date)
  })

  it('names are case-sensitive and per region', async () => {
    const box = await sandbox('multi-region')
    const eb = beanstalkClient(box)
    expect(
      (await eb.send(new DescribeApplicationsCommand({ ApplicationNames: ['brilliancrm'] }))).Applications
    ).toEqual([])
    const west = beanstalkClient(box, { region: 'eu-west-1' })
    expect(
      (await west.send(new DescribeApplicationsCommand({}))).Applications?.map(a => a.ApplicationName)
    ).toEqual(['Shop'])
  })
})

describe('DescribeEnvironments', () => {
  it('by name, by id, by application; an unknown name is an empty list, not an error', async () => {
    const box = await sandbox()
    const eb = beanstalkClient(box)
    const byName = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [CRM_ENV] }))
    const env = byName.Environments?.[0]
    expect(env).toMatchObject({
      EnvironmentName: CRM_ENV,
      ApplicationName: CRM,
      VersionLabel: 'v0-initial',
      Status: 'Ready',
      Health: 'Green',
      CNAME: 'BrillianCRM-env.eu-central-1.elasticbeanstalk.com',
      SolutionStackName: '64bit Amazon Linux 2023 v4.4.0 running Docker',
      Tier: { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
      AbortableOperationInProgress: false
    })
    expect(env?.EnvironmentId).toMatch(/^e-[a-z0-9]{10}$/)
    expect(env?.EnvironmentId).toBe(box.environment(CRM_ENV)?.id)
    const byId = await eb.send(
      new DescribeEnvironmentsCommand({ EnvironmentIds: [env?.EnvironmentId ?? ''] })
    )
    expect(byId.Environments?.map(e => e.EnvironmentName)).toEqual([CRM_ENV])
    const byApp = await eb.send(new DescribeEnvironmentsCommand({ ApplicationName: 'BrillianQuiz' }))
    expect(byApp.Environments?.map(e => e.EnvironmentName)).toEqual(['BrillianQuiz-env'])
    const all = await eb.send(new DescribeEnvironmentsCommand({}))
    expect(all.Environments).toHaveLength(4)
    const first = await eb.send(new DescribeEnvironmentsCommand({ MaxRecords: 3 }))
    const rest = await eb.send(new DescribeEnvironmentsCommand({ MaxRecords: 3, NextToken: first.NextToken }))
    expect([...(first.Environments ?? []), ...(rest.Environments ?? [])].map(e => e.EnvironmentName)).toEqual(
      all.Environments?.map(e => e.EnvironmentName)
    )
    expect([first.Environments?.length, rest.NextToken]).toEqual([3, undefined])
    const unknown = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['brilliancrm-env'] }))
    expect(unknown.Environments).toEqual([])
  })

  it('terminated environments appear only with IncludeDeleted=true', async () => {
    const box = await sandbox('terminated')
    const eb = beanstalkClient(box)
    const live = await eb.send(new DescribeEnvironmentsCommand({ ApplicationName: CRM }))
    expect(live.Environments?.map(e => e.EnvironmentName)).toEqual(['BrillianCRM-env2'])
    const all = await eb.send(new DescribeEnvironmentsCommand({ ApplicationName: CRM, IncludeDeleted: true }))
    expect(all.Environments?.map(e => [e.EnvironmentName, e.Status])).toEqual([
      ['BrillianCRM-env', 'Terminated'],
      ['BrillianCRM-env2', 'Ready']
    ])
  })

  it('the region comes from the SigV4 credential scope', async () => {
    const box = await sandbox('multi-region')
    const us = beanstalkClient(box, { region: 'us-east-1' })
    const envs = await us.send(new DescribeEnvironmentsCommand({}))
    expect(envs.Environments?.map(e => [e.ApplicationName, e.EnvironmentName])).toEqual([
      ['BrillianCRM', 'BrillianCRM-staging']
    ])
    expect(box.requests.at(-1)?.region).toBe('us-east-1')
    const ap = beanstalkClient(box, { region: 'ap-southeast-2' })
    expect((await ap.send(new DescribeEnvironmentsCommand({}))).Environments).toEqual([])
  })
})

describe('DescribeApplicationVersions', () => {
  it('newest first, filtered by VersionLabels, paged with MaxRecords/NextToken', async () => {
    const box = await sandbox({
      name: 'versions',
      applications: [
        { name: CRM, versions: [{ label: 'v1' }, { label: 'v2', description: 'two' }, { label: 'v3' }] }
      ]
    })
    const eb = beanstalkClient(box)
    const all = await eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: CRM }))
    expect(all.ApplicationVersions?.map(v => v.VersionLabel)).toEqual(['v3', 'v2', 'v1'])
    expect(all.ApplicationVersions?.[1]).toMatchObject({
      ApplicationName: CRM,
      Description: 'two',
      Status: 'PROCESSED',
      SourceBundle: { S3Bucket: 'elasticbeanstalk-eu-central-1-123456789012', S3Key: 'BrillianCRM/v2.zip' }
    })
    const some = await eb.send(
      new DescribeApplicationVersionsCommand({ ApplicationName: CRM, VersionLabels: ['v1'] })
    )
    expect(some.ApplicationVersions?.map(v => v.VersionLabel)).toEqual(['v1'])
    const first = await eb.send(
      new DescribeApplicationVersionsCommand({ ApplicationName: CRM, MaxRecords: 2 })
    )
    expect(first.ApplicationVersions?.map(v => v.VersionLabel)).toEqual(['v3', 'v2'])
    expect(first.NextToken).toBeTruthy()
    const second = await eb.send(
      new DescribeApplicationVersionsCommand({
        ApplicationName: CRM,
        MaxRecords: 2,
        NextToken: first.NextToken
      })
    )
    expect(second.ApplicationVersions?.map(v => v.VersionLabel)).toEqual(['v1'])
    expect(second.NextToken).toBeUndefined()
    const none = await eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'Nope' }))
    expect(none.ApplicationVersions).toEqual([])
  })
})

describe('CreateStorageLocation', () => {
  it('returns elasticbeanstalk-<region>-<account> and the bucket exists in S3', async () => {
    const box = await sandbox({ name: 'x', accountId: '111122223333' })
    const eb = beanstalkClient(box, { region: 'eu-west-3' })
    const out = await eb.send(new CreateStorageLocationCommand({}))
    expect(out.S3Bucket).toBe('elasticbeanstalk-eu-west-3-111122223333')
    expect(box.storageBucket('eu-west-3')).toBe(out.S3Bucket)
    const head = await s3Client(box).send(new HeadBucketCommand({ Bucket: out.S3Bucket }))
    expect(head.$metadata.httpStatusCode).toBe(200)
  })
})

describe('CreateApplicationVersion', () => {
  it('Process=true: Processing, then Processed for a zip with docker-compose.yml at its root', async () => {
    const clock = new Clock()
    const box = await sandbox('default', clock)
    await upload(box, 'BrillianCRM/v1.zip', await zipOf({ 'docker-compose.yml': 'services: {}\n' }))
    const eb = beanstalkClient(box)
    const out = await eb.send(
      new CreateApplicationVersionCommand({
        ApplicationName: CRM,
        VersionLabel: 'v1',
        Description: 'first',
        SourceBundle: { S3Bucket: box.storageBucket(), S3Key: 'BrillianCRM/v1.zip' },
        Process: true
      })
    )
    expect(out.ApplicationVersion).toMatchObject({
      ApplicationName: CRM,
      VersionLabel: 'v1',
      Description: 'first',
      Status: 'PROCESSING',
      SourceBundle: { S3Bucket: box.storageBucket(), S3Key: 'BrillianCRM/v1.zip' }
    })
    clock.advance(999)
    expect(box.version(CRM, 'v1')?.status).toBe('PROCESSING')
    clock.advance(1)
    const described = await eb.send(
      new DescribeApplicationVersionsCommand({ ApplicationName: CRM, VersionLabels: ['v1'] })
    )
    expect(described.ApplicationVersions?.[0].Status).toBe('PROCESSED')
  })

  it.each([
    ['a Dockerrun.aws.json bundle', { 'Dockerrun.aws.json': '{}' }, 'PROCESSED'],
    ['a bundle with the compose file in a folder', { 'app/docker-compose.yml': 'services: {}\n' }, 'FAILED'],
    ['a bundle without compose or Dockerrun', { 'README.md': 'hi' }, 'FAILED']
  ])('%s → %s', async (_name, files, status) => {
    const clock = new Clock()
    const box = await sandbox('default', clock)
    await upload(box, 'b.zip', await zipOf(files))
    await beanstalkClient(box).send(
      new CreateApplicationVersionCommand({
        ApplicationName: CRM,
        VersionLabel: 'v1',
        SourceBundle: { S3Bucket: box.storageBucket(), S3Key: 'b.zip' },
        Process: true
      })
    )
    clock.advance(1000)
    expect(box.version(CRM, 'v1')?.status).toBe(status)
  })

  it('an object that is not a zip fails processing; without Process the version stays Unprocessed', async () => {
    const clock = new Clock()
    const box = await sandbox('default', clock)
    await upload(box, 'text.zip', 'not a zip at all')
    const eb = beanstalkClient(box)
    const source = { S3Bucket: box.storageBucket(), S3Key: 'text.zip' }
    await eb.send(
      new CreateApplicationVersionCommand({
        ApplicationName: CRM,
        VersionLabel: 'v1',
        SourceBundle: source,
        Process: true
      })
    )
    const plain = await eb.send(
      new CreateApplicationVersionCommand({ ApplicationName: CRM, VersionLabel: 'v2', SourceBundle: source })
    )
    expect(plain.ApplicationVersion?.Status).toBe('UNPROCESSED')
    clock.advance(5000)
    expect(box.version(CRM, 'v1')?.status).toBe('FAILED')
    expect(box.version(CRM, 'v2')?.status).toBe('UNPROCESSED')
  })

  it('errors as AWS words them; none of them creates anything', async () => {
    const box = await sandbox()
    await upload(box, 'ok.zip', await zipOf({ 'docker-compose.yml': 'services: {}\n' }))
    const eb = beanstalkClient(box)
    const source = { S3Bucket: box.storageBucket(), S3Key: 'ok.zip' }
    const unknownApp = await failure(
      eb.send(
        new CreateApplicationVersionCommand({
          ApplicationName: 'brilliancrm',
          VersionLabel: 'v1',
          SourceBundle: source
        })
      )
    )
    expect([unknownApp.name, unknownApp.message]).toEqual([
      'InvalidParameterValue',
      "No Application named 'brilliancrm' found."
    ])
    expect(unknownApp.$metadata?.httpStatusCode).toBe(400)

    const exists = await failure(
      eb.send(
        new CreateApplicationVersionCommand({
          ApplicationName: CRM,
          VersionLabel: 'v0-initial',
          SourceBundle: source
        })
      )
    )
    expect([exists.name, exists.message]).toEqual([
      'InvalidParameterValue',
      'Application Version v0-initial already exists.'
    ])

    const missing = await failure(
      eb.send(
        new CreateApplicationVersionCommand({
          ApplicationName: CRM,
          VersionLabel: 'v1',
          SourceBundle: { S3Bucket: box.storageBucket(), S3Key: 'nope.zip' }
        })
      )
    )
    expect([missing.name, missing.message]).toEqual([
      'InvalidParameterCombination',
      `Unable to download from S3 location (Bucket: ${box.storageBucket()}  Key: nope.zip). Reason: Not Found`
    ])
    expect(box.version(CRM, 'v1')).toBeUndefined()
    expect(box.mutatingCalls().filter(c => c.service === 'elasticbeanstalk')).toEqual([])
  })

  it('AutoCreateApplication creates the application; the account limit answers TooManyApplicationVersionsException', async () => {
    const box = await sandbox({
      name: 'limit',
      maxApplicationVersions: 2,
      applications: [{ name: 'A', versions: [{ label: 'a1' }] }]
    })
    const eb = beanstalkClient(box)
    await eb.send(
      new CreateApplicationVersionCommand({
        ApplicationName: 'B',
        VersionLabel: 'b1',
        AutoCreateApplication: true
      })
    )
    const apps = await eb.send(new DescribeApplicationsCommand({}))
    expect(apps.Applications?.map(a => a.ApplicationName)).toEqual(['A', 'B'])
    const tooMany = await failure(
      eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'A', VersionLabel: 'a2' }))
    )
    expect(tooMany.name).toBe('TooManyApplicationVersionsException')
  })
})

describe('UpdateEnvironment', () => {
  it('starts the update: Updating, Grey, the new label only once deployed', async () => {
    const clock = new Clock()
    const box = await sandbox(
      {
        name: 'u',
        applications: [
          {
            name: CRM,
            versions: [{ label: 'v0' }, { label: 'v1' }],
            environments: [
              { name: CRM_ENV, versionLabel: 'v0', update: { durationMs: 3000, outcome: 'healthy' } }
            ]
          }
        ]
      },
      clock
    )
    const eb = beanstalkClient(box)
    const out = await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: CRM_ENV, VersionLabel: 'v1' }))
    expect(out).toMatchObject({
      EnvironmentName: CRM_ENV,
      Status: 'Updating',
      VersionLabel: 'v0',
      AbortableOperationInProgress: true
    })
    expect(box.calls('UpdateEnvironment')[0].params).toMatchObject({
      EnvironmentName: CRM_ENV,
      VersionLabel: 'v1'
    })
    clock.advance(3000)
    const env = (await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [CRM_ENV] })))
      .Environments?.[0]
    expect(env).toMatchObject({ Status: 'Ready', VersionLabel: 'v1', Health: 'Green' })
  })

  it('errors: unknown version, unknown environment, not Ready', async () => {
    const box = await sandbox('busy')
    const eb = beanstalkClient(box)
    const noVersion = await failure(
      eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'BrillianQuiz-env', VersionLabel: 'v9' }))
    )
    expect([noVersion.name, noVersion.message]).toEqual([
      'InvalidParameterValue',
      "No Application Version named 'v9' found."
    ])
    const noEnv = await failure(
      eb.send(
        new UpdateEnvironmentCommand({ EnvironmentName: 'brillianquiz-env', VersionLabel: 'v0-initial' })
      )
    )
    expect([noEnv.name, noEnv.message]).toEqual([
      'InvalidParameterValue',
      "No Environment found for EnvironmentName = 'brillianquiz-env'."
    ])
    const busy = await failure(
      eb.send(new UpdateEnvironmentCommand({ EnvironmentName: CRM_ENV, VersionLabel: 'v0-initial' }))
    )
    expect([busy.name, busy.message]).toEqual([
      'InvalidParameterValue',
      'Environment named BrillianCRM-env is in an invalid state for this operation. Must be Ready.'
    ])
    expect(box.mutatingCalls()).toEqual([])
    expect(box.requests.filter(r => r.operation === 'UpdateEnvironment').map(r => r.errorCode)).toEqual([
      'InvalidParameterValue',
      'InvalidParameterValue',
      'InvalidParameterValue'
    ])
  })
})

describe('DescribeEvents', () => {
  it("an environment's history: each earlier update's start and completion, an hour apart before the start", async () => {
    const { startSandbox } = await import('../index.js')
    const start = Date.parse('2026-01-01T00:00:00.000Z')
    const box = await startSandbox(
      {
        name: 'history',
        applications: [
          {
            name: CRM,
            versions: [{ label: 'v0-initial' }],
            environments: [{ name: CRM_ENV, versionLabel: 'v0-initial', history: [40_000, 45_000] }]
          }
        ]
      },
      { silent: true, now: () => start }
    )
    try {
      const out = await beanstalkClient(box).send(new DescribeEventsCommand({ EnvironmentName: CRM_ENV }))
      expect(out.Events?.map(e => [e.EventDate?.getTime(), e.Message])).toEqual([
        [start - 3_600_000 + 45_000, 'Environment update completed successfully.'],
        [start - 3_600_000, 'Environment update is starting.'],
        [start - 7_200_000 + 40_000, 'Environment update completed successfully.'],
        [start - 7_200_000, 'Environment update is starting.']
      ])
    } finally {
      await box.close()
    }
  })

  it('newest first; StartTime inclusive; MaxRecords + NextToken paging; Severity; filters', async () => {
    const clock = new Clock(Date.parse('2026-01-01T00:00:00.000Z'))
    const box = await sandbox('failing', clock)
    const eb = beanstalkClient(box)
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: CRM_ENV, VersionLabel: 'v0-initial' }))
    clock.advance(2000)
    const all = await eb.send(new DescribeEventsCommand({ EnvironmentName: CRM_ENV }))
    const messages = all.Events?.map(e => e.Message)
    expect(messages?.[0]).toBe('Failed to deploy application.')
    expect(messages?.at(-1)).toBe('Environment update is starting.')
    expect(all.Events).toHaveLength(6)
    const dates = all.Events?.map(e => e.EventDate?.getTime() ?? 0) ?? []
    expect([...dates].sort((a, b) => b - a)).toEqual(dates)
    expect(all.Events?.[0]).toMatchObject({
      ApplicationName: CRM,
      EnvironmentName: CRM_ENV,
      Severity: 'ERROR'
    })

    const start = all.Events?.[1].EventDate
    const since = await eb.send(new DescribeEventsCommand({ EnvironmentName: CRM_ENV, StartTime: start }))
    expect(since.Events?.map(e => e.Message)).toEqual(messages?.slice(0, 2))

    const errors = await eb.send(new DescribeEventsCommand({ EnvironmentName: CRM_ENV, Severity: 'ERROR' }))
    expect(errors.Events?.map(e => e.Severity)).toEqual(['ERROR', 'ERROR', 'ERROR'])

    const pages: string[][] = []
    let token: string | undefined
    do {
      const page = await eb.send(
        new DescribeEventsCommand({ EnvironmentName: CRM_ENV, MaxRecords: 4, NextToken: token })
      )
      pages.push(page.Events?.map(e => e.Message ?? '') ?? [])
      token = page.NextToken
    } while (token)
    expect(pages.map(p => p.length)).toEqual([4, 2])
    expect(pages.flat()).toEqual(messages)

    expect(
      (await eb.send(new DescribeEventsCommand({ EnvironmentName: 'BrillianQuiz-env' }))).Events
    ).toEqual([])
    const byApp = await eb.send(new DescribeEventsCommand({ ApplicationName: CRM }))
    expect(byApp.Events).toHaveLength(6)
    const byId = await eb.send(new DescribeEventsCommand({ EnvironmentId: box.environment(CRM_ENV)?.id }))
    expect(byId.Events).toHaveLength(6)
  })

  it('events of an update appear as its time passes, never ahead of it', async () => {
    const clock = new Clock()
    const box = await sandbox('default', clock)
    const eb = beanstalkClient(box)
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: CRM_ENV, VersionLabel: 'v0-initial' }))
    const early = await eb.send(new DescribeEventsCommand({ EnvironmentName: CRM_ENV }))
    expect(early.Events?.map(e => e.Message)).toEqual(['Environment update is starting.'])
  })
})

describe('DescribeEnvironmentHealth', () => {
  it('Status, HealthStatus and Color by name or id; unknown → InvalidParameterValue', async () => {
    const box = await sandbox('red')
    const eb = beanstalkClient(box)
    const health = await eb.send(
      new DescribeEnvironmentHealthCommand({
        EnvironmentName: CRM_ENV,
        AttributeNames: ['Status', 'Color', 'HealthStatus']
      })
    )
    expect(health).toMatchObject({
      EnvironmentName: CRM_ENV,
      Status: 'Ready',
      HealthStatus: 'Ok',
      Color: 'Green'
    })
    const byId = await eb.send(
      new DescribeEnvironmentHealthCommand({ EnvironmentId: box.environment(CRM_ENV)?.id })
    )
    expect(byId.EnvironmentName).toBe(CRM_ENV)
    const unknown = await failure(eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: 'nope' })))
    expect(unknown.name).toBe('InvalidParameterValue')
  })
})

describe('AbortEnvironmentUpdate', () => {
  it('aborts a running update: the old version stays, Ready again, reverted event', async () => {
    const clock = new Clock()
    const box = await sandbox(
      {
        name: 'a',
        applications: [
          {
            name: CRM,
            versions: [{ label: 'v0' }, { label: 'v1' }],
            environments: [
              { name: CRM_ENV, versionLabel: 'v0', update: { durationMs: 10_000, outcome: 'healthy' } }
            ]
          }
        ]
      },
      clock
    )
    const eb = beanstalkClient(box)
    const notRunning = await failure(eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: CRM_ENV })))
    expect(notRunning.name).toBe('InvalidParameterValue')
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: CRM_ENV, VersionLabel: 'v1' }))
    clock.advance(2000)
    await eb.send(new AbortEnvironmentUpdateCommand({ EnvironmentName: CRM_ENV }))
    expect(box.environment(CRM_ENV)?.status).toBe('Updating')
    clock.advance(20_000)
    expect(box.environment(CRM_ENV)).toMatchObject({ status: 'Ready', versionLabel: 'v0' })
    const events = await eb.send(new DescribeEventsCommand({ EnvironmentName: CRM_ENV }))
    expect(events.Events?.[0].Message).toBe(
      'The environment was reverted to the previous configuration setting.'
    )
    expect(events.Events?.map(e => e.Message)).not.toContain('Environment update completed successfully.')
    expect(box.calls('AbortEnvironmentUpdate')).toHaveLength(1)
  })
})

describe('DeleteApplicationVersion', () => {
  it('deletes an unused version; a deployed or unknown one is refused', async () => {
    const box = await sandbox({
      name: 'd',
      applications: [
        {
          name: CRM,
          versions: [{ label: 'v0' }, { label: 'old' }],
          environments: [{ name: CRM_ENV, versionLabel: 'v0' }]
        }
      ]
    })
    const eb = beanstalkClient(box)
    await eb.send(new DeleteApplicationVersionCommand({ ApplicationName: CRM, VersionLabel: 'old' }))
    expect(box.version(CRM, 'old')).toBeUndefined()
    const inUse = await failure(
      eb.send(new DeleteApplicationVersionCommand({ ApplicationName: CRM, VersionLabel: 'v0' }))
    )
    expect(inUse.name).toBe('InvalidParameterValue')
    expect(inUse.message).toContain(CRM_ENV)
    const unknown = await failure(
      eb.send(new DeleteApplicationVersionCommand({ ApplicationName: CRM, VersionLabel: 'zzz' }))
    )
    expect([unknown.name, unknown.message]).toEqual([
      'InvalidParameterValue',
      "No Application Version named 'zzz' found."
    ])
    expect(box.mutatingCalls().map(c => c.operation)).toEqual(['DeleteApplicationVersion'])
  })
})
