/**
 * Versions over time and promotion, the pure parts: inputs, which versions keep-versions deletes and which it
 * never deletes, the plan at and near the quota, the messages; and deleteVersions against a fake gateway
 * (re-check of the environments, warnings that never fail the deploy).
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import type {
  BeanstalkGateway,
  EnvironmentInfo,
  VersionInfo
} from '../../src/deploy-beanstalk/aws/beanstalk.js'
import { UserError } from '../../src/common/errors.js'
import {
  parseFromEnvironment,
  parseKeepVersions,
  parseRetention
} from '../../src/deploy-beanstalk/versions/inputs.js'
import {
  findPromotion,
  healthyEnough,
  promotionProblem
} from '../../src/deploy-beanstalk/versions/promote.js'
import {
  chooseDeletions,
  describeRetention,
  planRetention,
  protectedVersions,
  type RetentionContext,
  type VersionsLookup
} from '../../src/deploy-beanstalk/versions/retention.js'
import { deleteVersions } from '../../src/deploy-beanstalk/versions/prune.js'
import { quotaUsage, quotaWarning, tooManyVersionsError } from '../../src/deploy-beanstalk/versions/quota.js'
import { awsError } from '../helpers/fakes.js'

const APP = 'BrillianCRM'
const day = (n: number) => new Date(Date.UTC(2026, 0, n))
const version = (label: string, n: number, more: Partial<VersionInfo> = {}): VersionInfo => ({
  label,
  application: APP,
  status: 'Processed',
  created: day(n),
  bucket: 'elasticbeanstalk-eu-central-1-123456789012',
  key: `${APP}/${label}.zip`,
  ...more
})
const envInfo = (
  name: string,
  versionLabel?: string,
  more: Partial<EnvironmentInfo> = {}
): EnvironmentInfo => ({
  name,
  id: `e-${name.toLowerCase().slice(-10)}`,
  application: APP,
  status: 'Ready',
  health: 'Green',
  versionLabel,
  ...more
})
/** v1 … v10, v1 oldest. */
const TEN = Array.from({ length: 10 }, (_, i) => version(`v${i + 1}`, i + 1))

const withInput = (raw: Record<string, string>) => ({
  image: '',
  bundle: '',
  'version-label': '',
  'compose-file': '',
  include: '',
  'environment-name': 'BrillianCRM-env',
  'from-environment': '',
  ...raw
})

describe('inputs', () => {
  it('keep-versions: empty never deletes; a whole number from 1; anything else names the input', () => {
    expect(parseKeepVersions('')).toBeUndefined()
    expect(parseKeepVersions(' 50 ')).toBe(50)
    expect(parseKeepVersions('1')).toBe(1)
    for (const bad of ['0', '-3', '1.5', 'ten', '10001', '5 versions']) {
      expect(() => parseKeepVersions(bad)).toThrow(/^Input 'keep-versions' is "[^"]+": expected how many/)
    }
    expect(parseRetention({ 'keep-versions': '', 'delete-source-bundles': '' })).toEqual({
      keep: undefined,
      deleteSourceBundles: true
    })
    expect(parseRetention({ 'keep-versions': '20', 'delete-source-bundles': 'false' })).toEqual({
      keep: 20,
      deleteSourceBundles: false
    })
    expect(() => parseRetention({ 'keep-versions': '', 'delete-source-bundles': 'maybe' })).toThrow(
      /delete-source-bundles/
    )
  })

  it('from-environment: another environment, alone', () => {
    expect(parseFromEnvironment(withInput({}))).toBeUndefined()
    expect(parseFromEnvironment(withInput({ 'from-environment': 'BrillianCRM-staging' }))).toBe(
      'BrillianCRM-staging'
    )
    expect(() => parseFromEnvironment(withInput({ 'from-environment': 'BrillianCRM-env' }))).toThrow(
      'Input \'from-environment\' is "BrillianCRM-env": it names the environment being deployed to'
    )
    expect(() => parseFromEnvironment(withInput({ 'from-environment': 'a/b' }))).toThrow(
      /^Input 'from-environment' is "a\/b": expected the name of another environment/
    )
    expect(() =>
      parseFromEnvironment(
        withInput({
          'from-environment': 'BrillianCRM-staging',
          image: 'ghcr.io/x/y:1',
          bundle: 'b.zip'
        })
      )
    ).toThrow(
      "Input 'from-environment' (\"BrillianCRM-staging\") is set together with 'image', 'bundle': a promotion deploys exactly the version BrillianCRM-staging runs"
    )
    // compose-file and include are unused, as in a redeploy by label (a workflow passes them always)
    expect(
      parseFromEnvironment(
        withInput({
          'from-environment': 'BrillianCRM-staging',
          'compose-file': 'docker-compose.yml',
          include: 'x'
        })
      )
    ).toBe('BrillianCRM-staging')
    // with from-environment, version-label is the label the source must run (a guard), not a conflict
    expect(
      parseFromEnvironment(withInput({ 'from-environment': 'BrillianCRM-staging', 'version-label': 'v1' }))
    ).toBe('BrillianCRM-staging')
  })
})

describe('chooseDeletions', () => {
  it('keeps the newest N (a new version counts as the newest) and deletes the rest, oldest first', () => {
    const shuffled = [TEN[4], TEN[9], TEN[0], ...TEN.slice(1, 4), ...TEN.slice(5, 9)]
    expect(chooseDeletions(shuffled, 3, new Map()).toDelete.map(v => v.label)).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
      'v6',
      'v7'
    ])
    expect(chooseDeletions(TEN, 3, new Map(), 'new').toDelete.map(v => v.label)).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
      'v6',
      'v7',
      'v8'
    ])
    // the label deployed already exists (a redeploy): it is not counted twice
    expect(chooseDeletions(TEN, 3, new Map(), 'v10').toDelete).toHaveLength(7)
    expect(chooseDeletions(TEN, 10, new Map(), 'new').toDelete.map(v => v.label)).toEqual(['v1'])
    expect(chooseDeletions(TEN, 11, new Map(), 'new').toDelete).toEqual([])
  })

  it('never deletes a protected, processing or undated version', () => {
    const versions = [
      ...TEN.slice(0, 8),
      version('v9', 9, { status: 'PROCESSING' }),
      version('nodate', 0, { created: undefined })
    ]
    const protect = new Map([
      ['v2', 'runs in BrillianCRM-staging'],
      ['v5', 'the previous version, the rollback target']
    ])
    const { toDelete, kept } = chooseDeletions(versions, 1, protect)
    expect(toDelete.map(v => v.label)).toEqual(['v1', 'v3', 'v4', 'v6', 'v7', 'v8'])
    expect(kept).toEqual([
      { label: 'v5', reason: 'the previous version, the rollback target' },
      { label: 'v2', reason: 'runs in BrillianCRM-staging' },
      { label: 'nodate', reason: 'its date is unknown' }
    ])
    // with a new version taking the one slot, the processing v9 is beyond it and still kept
    expect(chooseDeletions(versions, 1, new Map(), 'new').kept).toContainEqual({
      label: 'v9',
      reason: 'still being processed'
    })
  })

  it('protects what every environment runs, the previous version and the one deployed', () => {
    const protect = protectedVersions({
      environments: [
        envInfo('BrillianCRM-env', 'v5'),
        envInfo('BrillianCRM-staging', 'v2'),
        envInfo('BrillianCRM-qa', 'v2')
      ],
      label: 'new',
      previousLabel: 'v5'
    })
    expect(Object.fromEntries(protect)).toEqual({
      v5: 'the previous version, the rollback target',
      v2: 'runs in BrillianCRM-staging, BrillianCRM-qa',
      new: 'the version being deployed'
    })
  })
})

function lookup(more: Partial<VersionsLookup> = {}): VersionsLookup {
  return {
    quota: 1000,
    versions: [...TEN, version('q1', 1, { application: 'BrillianQuiz' })],
    environments: [envInfo('BrillianCRM-env', 'v10'), envInfo('BrillianCRM-staging', 'v3')],
    problems: [],
    ...more
  }
}
const ctx = (more: Partial<RetentionContext> = {}): RetentionContext => ({
  application: APP,
  region: 'eu-central-1',
  label: 'new',
  previousLabel: 'v10',
  createsVersion: true,
  retention: { keep: 4, deleteSourceBundles: true },
  ...more
})

describe('planRetention', () => {
  it('counts the quota per application and plans the deletions after the deploy', () => {
    const plan = planRetention(lookup(), ctx())
    expect(plan.usage).toEqual({
      region: 'eu-central-1',
      quota: 1000,
      used: 11,
      byApplication: [
        ['BrillianCRM', 10],
        ['BrillianQuiz', 1]
      ]
    })
    expect(plan.toDelete.map(v => v.label)).toEqual(['v1', 'v2', 'v4', 'v5', 'v6', 'v7'])
    expect(plan.pruneFirst).toBe(false)
    expect(describeRetention(plan, APP, true)).toEqual([
      'Versions:     11 of 1000 (1%) application versions used in eu-central-1: BrillianCRM 10, BrillianQuiz 1',
      "Keep:         the newest 4 of BrillianCRM's 10 versions; would delete 6 after a successful deploy, oldest first, with their S3 bundles: v1, v2, v4, v5, v6, v7",
      'Never delete: v3 (runs in BrillianCRM-staging)'
    ])
    expect(quotaWarning(plan, APP)).toBeUndefined()
  })

  it('without keep-versions nothing is deleted, and the environments are not needed', () => {
    const plan = planRetention(
      lookup({ environments: undefined }),
      ctx({ retention: { deleteSourceBundles: true } })
    )
    expect(plan.toDelete).toEqual([])
    expect(describeRetention(plan, APP, false)[1]).toBe(
      'Keep:         all versions (keep-versions is not set: nothing is deleted)'
    )
  })

  it('warns from 80 % used, naming keep-versions', () => {
    const noKeep = planRetention(lookup({ quota: 13 }), ctx({ retention: { deleteSourceBundles: true } }))
    expect(quotaWarning(noKeep, APP)).toBe(
      'Application versions: 11 of 13 (84%) application versions used in eu-central-1: BrillianCRM 10, BrillianQuiz 1. At 13 every deploy fails until old versions are deleted: set keep-versions (such as 50) on the deploys of BrillianCRM and of the other applications listed.'
    )
    expect(quotaWarning(planRetention(lookup({ quota: 14 }), ctx()), APP)).toBeUndefined()
    expect(quotaWarning(planRetention(lookup({ quota: 13 }), ctx()), APP)).toContain(
      "keep-versions: 4 deletes 6 of BrillianCRM's after this deploy"
    )
  })

  it('at the cap: an error naming keep-versions without it, prune first with it', () => {
    const noKeep = () =>
      planRetention(lookup({ quota: 11 }), ctx({ retention: { deleteSourceBundles: true } }))
    expect(noKeep).toThrow(UserError)
    expect(noKeep).toThrow(
      "Beanstalk's quota of application versions in eu-central-1 is reached: 11 of 11 (100%) application versions used in eu-central-1: BrillianCRM 10, BrillianQuiz 1."
    )
    expect(noKeep).toThrow('Set the input keep-versions (such as keep-versions: 50)')
    try {
      noKeep()
    } catch (error) {
      expect([(error as UserError).input, (error as UserError).title]).toEqual([
        'keep-versions',
        'Too many application versions'
      ])
    }
    const keep = planRetention(lookup({ quota: 11 }), ctx())
    expect(keep.pruneFirst).toBe(true)
    expect(describeRetention(keep, APP, false)[1]).toContain(
      'deletes 6 before the new version is created (the quota is reached), oldest first'
    )
    // a redeploy creates no version: the cap does not matter
    expect(
      planRetention(
        lookup({ quota: 11 }),
        ctx({ createsVersion: false, retention: { deleteSourceBundles: true } })
      ).pruneFirst
    ).toBe(false)
  })

  it('at the cap with keep-versions that keeps everything: the error says why', () => {
    expect(() =>
      planRetention(lookup({ quota: 11 }), ctx({ retention: { keep: 50, deleteSourceBundles: true } }))
    ).toThrow("keep-versions: 50 keeps every one of BrillianCRM's 10 versions")
  })

  it('a failed look-up is recorded, never thrown, and nothing is planned for deletion', () => {
    const plan = planRetention(
      lookup({
        quota: undefined,
        versions: undefined,
        problems: ['DescribeApplicationVersions: AccessDenied']
      }),
      ctx()
    )
    expect(plan.usage).toBeUndefined()
    expect(plan.toDelete).toEqual([])
    expect(plan.problems).toEqual([
      'DescribeApplicationVersions: AccessDenied',
      'nothing will be deleted: the versions or environments could not be listed'
    ])
  })
})

describe('tooManyVersionsError', () => {
  it('names the numbers and the fix; with keep-versions, how many it deleted', () => {
    const plan = planRetention(lookup(), ctx({ retention: { deleteSourceBundles: true } }))
    const error = tooManyVersionsError(
      awsError('TooManyApplicationVersionsException', 'You cannot have more'),
      {
        application: APP,
        region: 'eu-central-1',
        retention: plan
      }
    )
    expect([error.input, error.title]).toEqual(['keep-versions', 'Too many application versions'])
    expect(error.message).toContain('Set the input keep-versions')
    const unknown = tooManyVersionsError(
      awsError('TooManyApplicationVersionsException', 'You cannot have more than 1000 Application Versions.'),
      {
        application: APP,
        region: 'eu-central-1'
      }
    )
    expect(unknown.message).toBe(
      "Beanstalk refused a new version: You cannot have more than 1000 Application Versions. Set the input keep-versions (such as keep-versions: 50) to delete BrillianCRM's oldest versions first, or delete old versions in the Beanstalk console."
    )
    const kept = planRetention(lookup(), ctx())
    kept.deleted.push('v1')
    expect(
      tooManyVersionsError(awsError('TooManyApplicationVersionsException', 'x'), {
        application: APP,
        region: 'eu-central-1',
        retention: kept
      }).message
    ).toContain('keep-versions: 4 deleted 1 version(s) of BrillianCRM, not enough')
  })
})

describe('promotion: the source environment', () => {
  it('must be Ready, run a version and be healthy enough', () => {
    expect(healthyEnough('Green', 'Green')).toBe(true)
    expect(healthyEnough('Yellow', 'Green')).toBe(false)
    expect(healthyEnough('Yellow', 'Yellow')).toBe(true)
    expect(healthyEnough('Red', 'Yellow')).toBe(false)
    expect(promotionProblem(envInfo('BrillianCRM-staging', 'v3'), 'Green')).toBeUndefined()
    expect(promotionProblem(envInfo('BrillianCRM-staging', 'v3', { status: 'Updating' }), 'Green')).toBe(
      'Environment "BrillianCRM-staging" is Updating, not Ready: what it runs is not settled. Promote once its update is over (and healthy).'
    )
    expect(promotionProblem(envInfo('BrillianCRM-staging', undefined), 'Green')).toContain(
      'runs no application version'
    )
    expect(promotionProblem(envInfo('BrillianCRM-staging', 'v3', { health: 'Yellow' }), 'Green')).toBe(
      'Environment "BrillianCRM-staging" runs v3 with health Yellow, and required-health asks for Green: only a version that runs healthy is promoted. Fix BrillianCRM-staging first, or set required-health: Yellow to accept Yellow.'
    )
    expect(
      promotionProblem(envInfo('BrillianCRM-staging', 'v3', { health: 'Yellow' }), 'Yellow')
    ).toBeUndefined()
    expect(promotionProblem(envInfo('BrillianCRM-staging', 'v3', { health: 'Grey' }), 'Yellow')).toContain(
      'with health Grey, and required-health asks for Yellow or Green'
    )
  })
})

describe('findPromotion', () => {
  const gateway = (versions: VersionInfo[]) =>
    ({
      environments: async () => [
        envInfo('BrillianCRM-env', 'v9'),
        envInfo('BrillianCRM-staging', 'v10'),
        envInfo('BrillianCRM-gone', 'v1', { status: 'Terminated' })
      ],
      version: async (_app: string, label: string) => versions.find(v => v.label === label)
    }) as unknown as BeanstalkGateway
  const find = (from: string, more: { expectedLabel?: string } = {}, versions = TEN) =>
    findPromotion(gateway(versions), {
      application: APP,
      region: 'eu-central-1',
      from,
      requiredHealth: 'Green',
      // bundles with no recorded sha256: promoted unverified (test/unit/deploy-beanstalk-integrity.test.ts)
      storage: () => ({ head: async () => ({ size: 3 }), read: async () => undefined }),
      ...more
    })

  it('finds the label the source runs, and its version', async () => {
    const found = await find('BrillianCRM-staging')
    expect([found.label, found.source.name, found.version.label]).toEqual([
      'v10',
      'BrillianCRM-staging',
      'v10'
    ])
    expect((await find('BrillianCRM-staging', { expectedLabel: 'v10' })).label).toBe('v10')
  })

  it('refuses an unknown or terminated source, another label than expected, a deleted or failed version', async () => {
    await expect(find('BrillianCRM-gone')).rejects.toThrow(
      'No environment named "BrillianCRM-gone" runs in application "BrillianCRM" in eu-central-1'
    )
    await expect(find('BrillianCRM-staging', { expectedLabel: 'v7' })).rejects.toThrow(
      'Environment "BrillianCRM-staging" runs v10 now, not v7 (version-label): the version to promote changed'
    )
    await expect(find('BrillianCRM-staging', {}, TEN.slice(0, 9))).rejects.toThrow(
      'has no version with that label any more'
    )
    await expect(find('BrillianCRM-staging', {}, [version('v10', 10, { status: 'FAILED' })])).rejects.toThrow(
      'Version v10 (run by BrillianCRM-staging) failed processing'
    )
  })
})

describe('deleteVersions', () => {
  let out: string[]
  let spy: jest.SpiedFunction<typeof process.stdout.write>
  beforeEach(() => {
    out = []
    spy = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      out.push(String(chunk))
      return true
    })
  })
  afterEach(() => spy.mockRestore())

  function gateway(environments: EnvironmentInfo[], fail: Record<string, Error> = {}) {
    const deleted: Array<[string, boolean]> = []
    const fake = {
      environments: async () => environments,
      deleteVersion: async (_app: string, label: string, bundles: boolean) => {
        if (fail[label]) throw fail[label]
        deleted.push([label, bundles])
      }
    }
    return { gateway: fake as unknown as BeanstalkGateway, deleted }
  }

  const planned = () => {
    const plan = planRetention(lookup(), ctx())
    return { application: APP, plan, label: 'new', previousLabel: 'v10', environmentId: 'e-rianCRM-env' }
  }

  it('deletes the planned versions, skipping one an environment started to run since the plan', async () => {
    const { gateway: g, deleted } = gateway([
      envInfo('BrillianCRM-env', 'new', { id: 'e-rianCRM-env' }),
      envInfo('BrillianCRM-staging', 'v4')
    ])
    const c = planned()
    await deleteVersions(g, c)
    expect(deleted).toEqual([
      ['v1', true],
      ['v2', true],
      ['v5', true],
      ['v6', true],
      ['v7', true]
    ])
    expect(c.plan.deleted).toEqual(['v1', 'v2', 'v5', 'v6', 'v7'])
    expect(out.join('')).toContain('Version v4 kept: it runs in BrillianCRM-staging now.')
    expect(out.join('')).toContain(
      'Deleted version v1 (created 2026-01-01T00:00:00.000Z) and s3://elasticbeanstalk-eu-central-1-123456789012/BrillianCRM/v1.zip.'
    )
  })

  it('deletes nothing while another environment is in the middle of an update; the target may be', async () => {
    const busy = gateway([
      envInfo('BrillianCRM-env', 'v10', { id: 'e-rianCRM-env' }),
      envInfo('BrillianCRM-staging', 'v3', { status: 'Updating' })
    ])
    const c = planned()
    await deleteVersions(busy.gateway, c)
    expect(busy.deleted).toEqual([])
    expect(out.join('')).toContain(
      '::warning::Old versions were not deleted this time: BrillianCRM-staging is Updating'
    )
    const ours = gateway([envInfo('BrillianCRM-env', 'v10', { id: 'e-rianCRM-env', status: 'Updating' })])
    await deleteVersions(ours.gateway, planned())
    expect(ours.deleted).toHaveLength(6)
    // before this run's update (making room at the cap), a busy target may be deploying anything
    const before = gateway([envInfo('BrillianCRM-env', 'v10', { id: 'e-rianCRM-env', status: 'Updating' })])
    await deleteVersions(before.gateway, { ...planned(), environmentId: undefined })
    expect(before.deleted).toEqual([])
  })

  it('a failed deletion is a warning and the others go on; a kept bundle is a warning too', async () => {
    const { gateway: g, deleted } = gateway([envInfo('BrillianCRM-env', 'v10', { id: 'e-rianCRM-env' })], {
      v1: awsError('OperationInProgressFailure', 'Another operation is in progress'),
      v2: awsError('SourceBundleDeletionException', 'Unable to delete the Amazon S3 source bundle'),
      v4: awsError('InvalidParameterValue', "No Application Version named 'v4' found.")
    })
    const c = planned()
    await deleteVersions(g, c)
    expect(deleted.map(d => d[0])).toEqual(['v5', 'v6', 'v7'])
    expect(c.plan.deleted).toEqual(['v2', 'v5', 'v6', 'v7'])
    const text = out.join('')
    expect(text).toContain(
      '::warning::Version v1 was not deleted: OperationInProgressFailure: Another operation is in progress'
    )
    expect(text).toContain('::warning::Version v2 was deleted, but its bundle s3://')
    expect(text).toContain('Version v4 was already deleted.')
  })
})

describe('quotaUsage', () => {
  it('counts per application, most first', () => {
    expect(
      quotaUsage('eu-west-1', undefined, [
        version('a', 1),
        version('b', 2, { application: 'Zed' }),
        version('c', 3, { application: 'Zed' })
      ]).byApplication
    ).toEqual([
      ['Zed', 2],
      [APP, 1]
    ])
  })
})
