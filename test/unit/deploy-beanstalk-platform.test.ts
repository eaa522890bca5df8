/**
 * The pure parts of deploy-beanstalk's platform module: the `platform` input, versions and names, the retirement
 * schedule, and the plan's words (what changes, the lifecycle warning, the rollback's platform, the summary row).
 */
import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import type { EnvironmentInfo } from '../../src/deploy-beanstalk/aws/beanstalk.js'
import { parsePlatformInput } from '../../src/deploy-beanstalk/platform/inputs.js'
import {
  deployStepWithPlatform,
  describePlatform,
  lifecycleWarning,
  platformNotApplied,
  platformRollback,
  platformRow,
  rollbackStepWithPlatform,
  type PlatformPlan
} from '../../src/deploy-beanstalk/platform/plan.js'
import { retirementOf } from '../../src/deploy-beanstalk/platform/schedule.js'
import {
  compareVersions,
  isDockerBranch,
  newestReady,
  parsePlatformArn,
  parseSolutionStack,
  solutionStackOf,
  type PlatformVersionInfo
} from '../../src/deploy-beanstalk/platform/versions.js'

const AL2023 = 'Docker running on 64bit Amazon Linux 2023'
const AL2 = 'Docker running on 64bit Amazon Linux 2'
const arn = (version: string, branch = AL2023) =>
  `arn:aws:elasticbeanstalk:eu-central-1::platform/${branch}/${version}`
const v = (version: string, more: Partial<PlatformVersionInfo> = {}): PlatformVersionInfo => ({
  arn: arn(version, more.branch),
  version,
  branch: AL2023,
  status: 'Ready',
  branchState: 'Supported',
  ...more
})
const env = (platformArn?: string): EnvironmentInfo => ({
  name: 'BrillianCRM-env',
  id: 'e-abc',
  application: 'BrillianCRM',
  status: 'Ready',
  health: 'Green',
  platformArn
})

describe('input platform', () => {
  it('empty keeps the platform; latest in any case', () => {
    expect(parsePlatformInput('')).toEqual({ kind: 'keep' })
    expect(parsePlatformInput('  ')).toEqual({ kind: 'keep' })
    expect(parsePlatformInput('Latest')).toEqual({ kind: 'latest' })
  })

  it('a platform ARN, with its parts; a solution stack name, with its branch and version', () => {
    expect(parsePlatformInput(arn('4.10.0'))).toEqual({
      kind: 'arn',
      value: arn('4.10.0'),
      parts: { region: 'eu-central-1', account: '', name: AL2023, version: '4.10.0' }
    })
    expect(parsePlatformInput('64bit Amazon Linux 2 v3.9.2 running Docker')).toEqual({
      kind: 'stack',
      value: '64bit Amazon Linux 2 v3.9.2 running Docker',
      branch: AL2,
      version: '3.9.2'
    })
  })

  it.each([
    ['arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/App/Env', /it is not a platform ARN/],
    ['newest', /expected latest/],
    [
      AL2023,
      /that is a platform branch, not a version: .*"64bit Amazon Linux 2023 v<version> running Docker"/
    ]
  ])('refuses %s, naming the input and the forms it takes', (value, message) => {
    const error = (() => {
      try {
        parsePlatformInput(value)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).input).toBe('platform')
    expect((error as UserError).message).toMatch(message)
  })
})

describe('platform versions', () => {
  it('compares versions numerically: 4.10.0 after 4.9.0', () => {
    expect(compareVersions('4.10.0', '4.9.0')).toBeGreaterThan(0)
    expect(compareVersions('4.4', '4.4.0')).toBe(0)
    expect(compareVersions('3.9.2', '4.0.0')).toBeLessThan(0)
  })

  it('the newest Ready version, whatever order the list comes in', () => {
    const list = [v('4.10.0'), v('4.11.0', { status: 'Creating' }), v('4.9.0'), v('4.4.0')]
    expect(newestReady(list)?.version).toBe('4.10.0')
    expect(newestReady([v('1.0.0', { status: 'Failed' })])).toBeUndefined()
  })

  it('Docker is a "Docker running on" branch; ECS and Node.js are not', () => {
    expect(isDockerBranch(AL2023)).toBe(true)
    expect(isDockerBranch('ECS running on 64bit Amazon Linux 2023')).toBe(false)
    expect(isDockerBranch('Node.js 20 running on 64bit Amazon Linux 2023')).toBe(false)
    expect(isDockerBranch(undefined)).toBe(false)
  })

  it('ARN and solution stack name, both ways', () => {
    expect(parsePlatformArn('arn:aws:elasticbeanstalk:us-east-1::platform/X/1.2.3')).toEqual({
      region: 'us-east-1',
      account: '',
      name: 'X',
      version: '1.2.3'
    })
    expect(parsePlatformArn('arn:aws:s3:::bucket')).toBeUndefined()
    expect(parseSolutionStack('64bit Amazon Linux 2023 v4.4.0 running Docker')).toEqual({
      branch: AL2023,
      version: '4.4.0'
    })
    expect(solutionStackOf({ branch: AL2023, version: '4.10.0' })).toBe(
      '64bit Amazon Linux 2023 v4.10.0 running Docker'
    )
  })
})

describe('the retirement schedule', () => {
  it('Amazon Linux 2 branches by June 30, 2026; Amazon Linux AMI ones retired July 18, 2022; 2023 has none', () => {
    expect(retirementOf(AL2)?.date).toBe('2026-06-30')
    expect(retirementOf('Docker running on 64bit Amazon Linux')?.date).toBe('2022-07-18')
    expect(retirementOf(AL2023)).toBeUndefined()
    expect(retirementOf(undefined)).toBeUndefined()
  })
})

describe('the lifecycle warning', () => {
  const deprecated = v('3.9.0', { branch: AL2, branchState: 'Deprecated', arn: arn('3.9.0', AL2) })

  it('none for a current platform (not even when a newer version exists)', () => {
    expect(
      lifecycleWarning('BrillianCRM-env runs', v('4.4.0'), { today: '2026-01-01', newest: v('4.10.0') })
    ).toBe(undefined)
  })

  it('a deprecated branch: the date (to come, or passed), platform: latest and the way off the branch', () => {
    const before = lifecycleWarning('BrillianCRM-env runs', deprecated, {
      today: '2026-01-01',
      newest: v('3.9.2', { branch: AL2 }),
      leaveTo: v('4.10.0')
    })
    expect(before).toContain('which is deprecated: it retires on 2026-06-30')
    expect(before).toContain(
      'platform: latest moves it to 3.9.2, the newest version of this branch, but stays on the branch.'
    )
    expect(before).toContain(
      'set platform to "64bit Amazon Linux 2023 v4.10.0 running Docker" (a branch change'
    )
    const after = lifecycleWarning('BrillianCRM-env runs', deprecated, { today: '2026-12-07' })
    expect(after).toContain('its published retirement date, 2026-06-30, has passed')
    expect(after).toContain('platform: latest keeps it on this branch')
    expect(after).toContain('aws elasticbeanstalk list-platform-branches')
  })

  it('a deprecated branch the schedule does not date: the link instead; a retired one says so', () => {
    const other = v('1.0.0', { branch: 'Docker running on 64bit Future Linux', branchState: 'deprecated' })
    expect(lifecycleWarning('X runs', other, { today: '2026-01-01' })).toContain(
      'the API gives no retirement date: see https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/platforms-support-policy.html'
    )
    expect(
      lifecycleWarning('X runs', { ...other, branchState: 'Retired' }, { today: '2026-01-01' })
    ).toContain('which is retired')
  })
})

describe('the plan', () => {
  const change: PlatformPlan = {
    input: 'latest',
    current: v('4.4.0', { solutionStack: '64bit Amazon Linux 2023 v4.4.0 running Docker' }),
    target: v('4.10.0'),
    branchChange: false,
    warnings: [],
    notes: []
  }

  it('shows current → target and what changes; a branch change in capitals with the operating systems', () => {
    expect(describePlatform(change)).toEqual([
      `Platform:     64bit Amazon Linux 2023 v4.4.0 running Docker (branch ${AL2023}, supported)`,
      'Platform to:  64bit Amazon Linux 2023 v4.10.0 running Docker (platform: latest, the newest Ready version of the same branch)',
      `              platform version 4.4.0 → 4.10.0, same branch (${AL2023})`
    ])
    const branch = describePlatform({
      ...change,
      input: 'arn',
      current: v('3.9.0', { branch: AL2, branchState: 'Deprecated' }),
      branchChange: true
    })
    expect(branch[2]).toContain(
      `BRANCH CHANGE: ${AL2} → ${AL2023} (operating system Amazon Linux 2 → Amazon Linux 2023)`
    )
  })

  it('the steps carry the platform: in the deploy, and back in the rollback', () => {
    expect(deployStepWithPlatform('deploy v1 to E', change)).toBe(
      'deploy v1 to E, on platform version 4.10.0 in the same update (if Beanstalk refuses both in one, the platform first)'
    )
    expect(deployStepWithPlatform('deploy v1 to E', { ...change, target: undefined })).toBe('deploy v1 to E')
    expect(rollbackStepWithPlatform('on failure, redeploy v0', change)).toBe(
      'on failure, redeploy v0 and platform version 4.4.0'
    )
    expect(
      rollbackStepWithPlatform('on failure, no rollback (no previous version to return to)', change)
    ).toBe('on failure, restore platform version 4.4.0')
  })

  it('the rollback sends the previous platform unless the environment is on it', () => {
    expect(platformRollback(change, env(arn('4.10.0')))).toBe(arn('4.4.0'))
    expect(platformRollback(change, undefined)).toBe(arn('4.4.0'))
    expect(platformRollback(change, env(arn('4.4.0')))).toBeUndefined()
    expect(platformRollback({ ...change, target: undefined }, env(arn('4.10.0')))).toBeUndefined()
  })

  it('success needs the new platform', () => {
    expect(platformNotApplied(change, env(arn('4.10.0')))).toBeUndefined()
    expect(platformNotApplied(change, env(arn('4.4.0')))).toContain('runs platform')
  })

  it('the summary row: the change, how it went out, what runs', () => {
    expect(
      platformRow(change, {
        result: 'deployed',
        environment: env(arn('4.10.0')),
        platformApplied: 'with the version, in one update'
      })
    ).toBe(
      '64bit Amazon Linux 2023 v4.4.0 running Docker → 64bit Amazon Linux 2023 v4.10.0 running Docker: sent with the version, in one update; runs 4.10.0'
    )
    expect(platformRow(change, { result: 'dry-run' })).toContain('not sent (dry run)')
    expect(platformRow({ ...change, target: undefined, warnings: ['w'] }, { result: 'deployed' })).toBe(
      '64bit Amazon Linux 2023 v4.4.0 running Docker ⚠️ deprecated or retiring (see the warning)'
    )
    expect(platformRow(undefined, { result: 'deployed' })).toBeUndefined()
  })
})
