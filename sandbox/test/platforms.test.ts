/**
 * The sandbox's platforms through the real SDK v3 client: ListPlatformVersions (filters, paging, no documented
 * order), DescribePlatformVersion (lifecycle states), ListPlatformBranches, and UpdateEnvironment with a PlatformArn or
 * a SolutionStackName (the environment's platform changes when the update ends; a failing platform version).
 */
import { describe, expect, it } from '@jest/globals'
import {
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  DescribePlatformVersionCommand,
  ListPlatformBranchesCommand,
  ListPlatformVersionsCommand,
  UpdateEnvironmentCommand,
  type ElasticBeanstalkClient,
  type PlatformFilter
} from '@aws-sdk/client-elastic-beanstalk'
import { beanstalkClient, Clock, failure, sandboxesClosedAfterEach } from './clients.js'

const sandbox = sandboxesClosedAfterEach()
const DOCKER = 'Docker running on 64bit Amazon Linux 2023'
const arn = (version: string, region = 'eu-central-1', branch = DOCKER) =>
  `arn:aws:elasticbeanstalk:${region}::platform/${branch}/${version}`

async function versions(eb: ElasticBeanstalkClient, Filters: PlatformFilter[], MaxRecords?: number) {
  const out = await eb.send(new ListPlatformVersionsCommand({ Filters, MaxRecords }))
  return out
}

async function environment(eb: ElasticBeanstalkClient) {
  const out = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['BrillianCRM-env'] }))
  return out.Environments![0]
}

describe('ListPlatformVersions', () => {
  it('filters by branch and status; the recommended one is the newest Ready version; no semantic order', async () => {
    const eb = beanstalkClient(await sandbox())
    const out = await versions(eb, [
      { Type: 'PlatformBranchName', Operator: '=', Values: [DOCKER] },
      { Type: 'PlatformStatus', Operator: '=', Values: ['Ready'] }
    ])
    const list = out.PlatformSummaryList ?? []
    // 4.10.1 is in us-east-1 only, 4.11.0 is still Creating
    expect(list.map(v => v.PlatformVersion)).toEqual(['4.10.0', '4.3.2', '4.4.0', '4.4.1', '4.9.0'])
    expect(list.filter(v => v.PlatformLifecycleState === 'Recommended').map(v => v.PlatformVersion)).toEqual([
      '4.10.0'
    ])
    expect(list[0]).toMatchObject({
      PlatformArn: arn('4.10.0'),
      PlatformBranchName: DOCKER,
      PlatformBranchLifecycleState: 'Supported',
      PlatformOwner: 'AWSElasticBeanstalk',
      SupportedAddonList: expect.arrayContaining(['Log/S3'])
    })
  })

  it('pages with MaxRecords and NextToken; compares versions with < and >; refuses two values', async () => {
    const eb = beanstalkClient(await sandbox())
    const branch = { Type: 'PlatformBranchName', Operator: '=', Values: [DOCKER] }
    const first = await versions(eb, [branch], 2)
    expect(first.PlatformSummaryList).toHaveLength(2)
    const second = await eb.send(
      new ListPlatformVersionsCommand({ Filters: [branch], MaxRecords: 2, NextToken: first.NextToken })
    )
    expect(second.PlatformSummaryList?.[0].PlatformVersion).not.toBe(
      first.PlatformSummaryList?.[0].PlatformVersion
    )
    const newer = await versions(eb, [branch, { Type: 'PlatformVersion', Operator: '>', Values: ['4.9.0'] }])
    expect(newer.PlatformSummaryList?.map(v => v.PlatformVersion)).toEqual(['4.10.0', '4.11.0'])
    const error = await failure(
      versions(eb, [{ Type: 'PlatformStatus', Operator: '=', Values: ['Ready', 'Failed'] }])
    )
    expect(error.name).toBe('InvalidParameterValue')
    const us = beanstalkClient(await sandbox(), { region: 'us-east-1' })
    const there = await versions(us, [
      branch,
      { Type: 'PlatformLifecycleState', Operator: '=', Values: ['recommended'] }
    ])
    expect(there.PlatformSummaryList?.map(v => v.PlatformArn)).toEqual([arn('4.10.1', 'us-east-1')])
  })
})

describe('DescribePlatformVersion and ListPlatformBranches', () => {
  it('describes a version of a deprecated branch; an unknown ARN is refused', async () => {
    const eb = beanstalkClient(await sandbox())
    const out = await eb.send(
      new DescribePlatformVersionCommand({
        PlatformArn: arn('3.9.0', 'eu-central-1', 'Docker running on 64bit Amazon Linux 2')
      })
    )
    expect(out.PlatformDescription).toMatchObject({
      PlatformName: 'Docker running on 64bit Amazon Linux 2',
      PlatformVersion: '3.9.0',
      SolutionStackName: '64bit Amazon Linux 2 v3.9.0 running Docker',
      PlatformStatus: 'Ready',
      PlatformBranchLifecycleState: 'Deprecated'
    })
    expect(out.PlatformDescription?.PlatformLifecycleState).toBeUndefined()
    const error = await failure(eb.send(new DescribePlatformVersionCommand({ PlatformArn: arn('9.9.9') })))
    expect(error.name).toBe('InvalidParameterValue')
  })

  it('lists branches by platform and lifecycle state', async () => {
    const eb = beanstalkClient(await sandbox())
    const out = await eb.send(
      new ListPlatformBranchesCommand({
        Filters: [
          { Attribute: 'PlatformName', Operator: '=', Values: ['Docker'] },
          { Attribute: 'LifecycleState', Operator: 'not_in', Values: ['Retired', 'Beta'] }
        ]
      })
    )
    expect(out.PlatformBranchSummaryList).toEqual([
      expect.objectContaining({ BranchName: DOCKER, LifecycleState: 'Supported', BranchOrder: 2 }),
      expect.objectContaining({
        BranchName: 'Docker running on 64bit Amazon Linux 2',
        LifecycleState: 'Deprecated',
        BranchOrder: 1
      })
    ])
  })
})

describe('UpdateEnvironment with a platform', () => {
  it('changes the platform (and the version) when the update ends', async () => {
    const clock = new Clock()
    const eb = beanstalkClient(await sandbox('default', clock))
    expect((await environment(eb)).PlatformArn).toBe(arn('4.4.0'))
    await eb.send(
      new UpdateEnvironmentCommand({
        EnvironmentName: 'BrillianCRM-env',
        PlatformArn: arn('4.10.0'),
        VersionLabel: 'v0-initial'
      })
    )
    expect(await environment(eb)).toMatchObject({ Status: 'Updating', PlatformArn: arn('4.4.0') })
    clock.advance(3000)
    expect(await environment(eb)).toMatchObject({
      Status: 'Ready',
      Health: 'Green',
      PlatformArn: arn('4.10.0'),
      SolutionStackName: '64bit Amazon Linux 2023 v4.10.0 running Docker'
    })
    await eb.send(
      new UpdateEnvironmentCommand({
        EnvironmentName: 'BrillianCRM-env',
        SolutionStackName: '64bit Amazon Linux 2023 v4.9.0 running Docker'
      })
    )
    clock.advance(3000)
    expect((await environment(eb)).PlatformArn).toBe(arn('4.9.0'))
  })

  it('refuses an unknown, a not-Ready, or another region’s platform, and both names at once', async () => {
    const eb = beanstalkClient(await sandbox())
    const update = (more: object) =>
      failure(eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'BrillianCRM-env', ...more })))
    expect((await update({ PlatformArn: arn('4.10.1') })).name).toBe('InvalidParameterValue')
    expect((await update({ PlatformArn: arn('4.11.0') })).message).toMatch(/Creating/)
    expect((await update({ SolutionStackName: 'nope' })).name).toBe('InvalidParameterValue')
    expect(
      (
        await update({
          PlatformArn: arn('4.10.0'),
          SolutionStackName: '64bit Amazon Linux 2023 v4.9.0 running Docker'
        })
      ).name
    ).toBe('InvalidParameterCombination')
  })

  it('a failing platform version: errors, Red, left on that platform with the old version', async () => {
    const clock = new Clock()
    const box = await sandbox('platform-failing', clock)
    const eb = beanstalkClient(box)
    const since = new Date(clock.now())
    await eb.send(
      new UpdateEnvironmentCommand({ EnvironmentName: 'BrillianCRM-env', PlatformArn: arn('4.10.0') })
    )
    clock.advance(2000)
    expect(await environment(eb)).toMatchObject({
      Status: 'Ready',
      Health: 'Red',
      VersionLabel: 'v0-initial',
      PlatformArn: arn('4.10.0')
    })
    const events = await eb.send(
      new DescribeEventsCommand({ EnvironmentName: 'BrillianCRM-env', StartTime: since })
    )
    expect(events.Events?.map(e => e.Message)).toEqual(
      expect.arrayContaining([
        `Updating the platform of BrillianCRM-env to ${arn('4.10.0')}.`,
        'Update environment operation is complete, but with errors. For more information, see troubleshooting documentation.'
      ])
    )
    // back to the previous platform: healthy again
    await eb.send(
      new UpdateEnvironmentCommand({ EnvironmentName: 'BrillianCRM-env', PlatformArn: arn('4.4.0') })
    )
    clock.advance(2000)
    expect(await environment(eb)).toMatchObject({ Health: 'Green', PlatformArn: arn('4.4.0') })
  })

  it('platformWithVersion refused: a version and a platform in one request is InvalidParameterCombination', async () => {
    const box = await sandbox({
      name: 'refused',
      platformWithVersion: 'refused',
      applications: [
        {
          name: 'BrillianCRM',
          versions: [{ label: 'v0' }],
          environments: [{ name: 'BrillianCRM-env', versionLabel: 'v0' }]
        }
      ]
    })
    const eb = beanstalkClient(box)
    const error = await failure(
      eb.send(
        new UpdateEnvironmentCommand({
          EnvironmentName: 'BrillianCRM-env',
          VersionLabel: 'v0',
          PlatformArn: arn('4.10.0')
        })
      )
    )
    expect(error.name).toBe('InvalidParameterCombination')
  })
})
