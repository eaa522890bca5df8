/**
 * The sandbox's model of versions over time, through the real SDK v3 client: the account's quota
 * (DescribeAccountAttributes), the refusal at the quota (per region), listing with MaxRecords/NextToken,
 * and DeleteApplicationVersion with DeleteSourceBundle, refused for a version an environment runs or deploys.
 */
import { describe, expect, it } from '@jest/globals'
import {
  CreateApplicationVersionCommand,
  DeleteApplicationVersionCommand,
  DescribeAccountAttributesCommand,
  DescribeApplicationVersionsCommand,
  UpdateEnvironmentCommand
} from '@aws-sdk/client-elastic-beanstalk'
import { DeleteBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import type { Sandbox, SandboxScenario } from '../index.js'
import { beanstalkClient, Clock, failure, s3Client, sandboxesClosedAfterEach } from './clients.js'

const sandbox = sandboxesClosedAfterEach()
const CRM = 'BrillianCRM'

function scenario(versions: number, more: Partial<SandboxScenario> = {}): SandboxScenario {
  return {
    name: 'versions',
    applications: [
      {
        name: CRM,
        versions: Array.from({ length: versions }, (_, i) => ({ label: `v${i + 1}` })),
        environments: [
          { name: 'BrillianCRM-env', versionLabel: 'v1', update: { durationMs: 1000, outcome: 'healthy' } }
        ]
      },
      { name: 'BrillianQuiz', versions: [{ label: 'q1' }], environments: [{ name: 'BrillianQuiz-env' }] },
      { name: 'Shop', region: 'eu-west-1', versions: [{ label: 's1' }] }
    ],
    ...more
  }
}

async function exists(box: Sandbox, key: string): Promise<boolean> {
  try {
    await s3Client(box).send(new HeadObjectCommand({ Bucket: box.storageBucket(), Key: key }))
    return true
  } catch {
    return false
  }
}

describe('DescribeAccountAttributes', () => {
  it('answers the application version quota of the scenario (AWS default 1000)', async () => {
    const small = await sandbox(scenario(3, { maxApplicationVersions: 40 }))
    const out = await beanstalkClient(small).send(new DescribeAccountAttributesCommand({}))
    expect(out.ResourceQuotas?.ApplicationVersionQuota?.Maximum).toBe(40)
    expect(out.ResourceQuotas?.EnvironmentQuota?.Maximum).toBe(200)
    const standard = await sandbox(scenario(1))
    const defaults = await beanstalkClient(standard).send(new DescribeAccountAttributesCommand({}))
    expect(defaults.ResourceQuotas?.ApplicationVersionQuota?.Maximum).toBe(1000)
  })
})

describe('the application version quota', () => {
  it('counts every application of the region, and only that region', async () => {
    // 4 + 1 in eu-central-1, 1 in eu-west-1: the cap of 5 is reached in eu-central-1 only
    const box = await sandbox(scenario(4, { maxApplicationVersions: 5 }))
    const create = (region: string, app: string) =>
      beanstalkClient(box, { region }).send(
        new CreateApplicationVersionCommand({ ApplicationName: app, VersionLabel: 'new' })
      )
    const refused = await failure(create('eu-central-1', CRM))
    expect([refused.name, refused.message]).toEqual([
      'TooManyApplicationVersionsException',
      'You cannot have more than 5 Application Versions. Either remove some Application Versions or request a limit increase.'
    ])
    await create('eu-west-1', 'Shop')
    expect(box.version('Shop', 'new', 'eu-west-1')).toBeDefined()
  })
})

describe('DescribeApplicationVersions', () => {
  it('lists newest first, in pages of MaxRecords with NextToken; MaxRecords over 1000 is refused', async () => {
    const box = await sandbox(scenario(7))
    const eb = beanstalkClient(box)
    const labels: string[] = []
    let token: string | undefined
    let pages = 0
    do {
      const out = await eb.send(
        new DescribeApplicationVersionsCommand({ ApplicationName: CRM, MaxRecords: 3, NextToken: token })
      )
      labels.push(...(out.ApplicationVersions ?? []).map(v => v.VersionLabel ?? ''))
      token = out.NextToken
      pages++
    } while (token)
    expect(pages).toBe(3)
    expect(labels).toEqual(['v7', 'v6', 'v5', 'v4', 'v3', 'v2', 'v1'])
    const all = await eb.send(new DescribeApplicationVersionsCommand({}))
    expect(all.ApplicationVersions?.map(v => v.ApplicationName)).toContain('BrillianQuiz')
    expect(all.ApplicationVersions?.[0].DateCreated).toBeInstanceOf(Date)
    const tooMany = await failure(eb.send(new DescribeApplicationVersionsCommand({ MaxRecords: 1001 })))
    expect(tooMany.name).toBe('ValidationError')
  })
})

describe('DeleteApplicationVersion with DeleteSourceBundle', () => {
  it('deletes the version and its S3 object; without DeleteSourceBundle the object stays', async () => {
    const box = await sandbox(scenario(3))
    const eb = beanstalkClient(box)
    for (const label of ['v2', 'v3']) {
      await s3Client(box).send(
        new PutObjectCommand({ Bucket: box.storageBucket(), Key: `${CRM}/${label}.zip`, Body: 'zip' })
      )
    }
    await eb.send(
      new DeleteApplicationVersionCommand({
        ApplicationName: CRM,
        VersionLabel: 'v2',
        DeleteSourceBundle: true
      })
    )
    await eb.send(new DeleteApplicationVersionCommand({ ApplicationName: CRM, VersionLabel: 'v3' }))
    expect([box.version(CRM, 'v2'), box.version(CRM, 'v3')]).toEqual([undefined, undefined])
    expect([await exists(box, `${CRM}/v2.zip`), await exists(box, `${CRM}/v3.zip`)]).toEqual([false, true])
  })

  it('a missing object is no error; a missing bucket is SourceBundleDeletionFailure, the version still gone', async () => {
    const box = await sandbox({
      name: 'gone bucket',
      applications: [
        {
          name: CRM,
          versions: [
            { label: 'no-object' },
            { label: 'no-bucket', sourceBundle: { bucket: 'deleted-bucket', key: 'x.zip' } }
          ]
        }
      ]
    })
    const eb = beanstalkClient(box)
    await eb.send(
      new DeleteApplicationVersionCommand({
        ApplicationName: CRM,
        VersionLabel: 'no-object',
        DeleteSourceBundle: true
      })
    )
    expect(box.version(CRM, 'no-object')).toBeUndefined()
    // a custom bucket that was deleted since the version was made
    await s3Client(box).send(new DeleteBucketCommand({ Bucket: 'deleted-bucket' }))
    const err = await failure(
      eb.send(
        new DeleteApplicationVersionCommand({
          ApplicationName: CRM,
          VersionLabel: 'no-bucket',
          DeleteSourceBundle: true
        })
      )
    )
    expect(box.version(CRM, 'no-bucket')).toBeUndefined()
    expect(err.name).toBe('SourceBundleDeletionException')
    expect(err.message).toContain('The application version was deleted successfully.')
  })

  it('refuses the version an environment is deploying, as the one it runs', async () => {
    const clock = new Clock()
    const box = await sandbox(scenario(3), clock)
    const eb = beanstalkClient(box)
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'BrillianCRM-env', VersionLabel: 'v3' }))
    for (const label of ['v1', 'v3']) {
      const refused = await failure(
        eb.send(new DeleteApplicationVersionCommand({ ApplicationName: CRM, VersionLabel: label }))
      )
      expect([label, refused.name, refused.message]).toEqual([
        label,
        'InvalidParameterValue',
        `Unable to delete application version ${label} because it is being used by environment(s): BrillianCRM-env.`
      ])
    }
    clock.advance(1000)
    // the update is over: v1 is free now, v3 runs
    await eb.send(new DeleteApplicationVersionCommand({ ApplicationName: CRM, VersionLabel: 'v1' }))
    expect(box.version(CRM, 'v1')).toBeUndefined()
    expect(box.environment('BrillianCRM-env')?.versionLabel).toBe('v3')
  })
})
