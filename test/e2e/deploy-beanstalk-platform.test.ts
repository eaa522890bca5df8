/**
 * deploy-beanstalk's `platform` end to end (issue 25's done-when): the real bundle against the sandbox's platform
 * catalog. `platform: latest` finds the newest Ready version of the environment's own branch and deploys it with the
 * app version in one UpdateEnvironment; a platform version the app fails on is rolled back to the previous platform
 * and version; a deprecated platform is warned about in the plan with its date; bad platform inputs are refused
 * before any change, with the nearest valid ones.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ROOT,
  runBundle,
  startSandbox,
  type BundleRun,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'

const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const DOCKER = 'Docker running on 64bit Amazon Linux 2023'
const arn = (version: string, branch = DOCKER, region = 'eu-central-1') =>
  `arn:aws:elasticbeanstalk:${region}::platform/${branch}/${version}`

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-platform-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), dir, { recursive: true })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Updates are over at once and versions processed at once: these runs are on the real clock. */
function scenario(
  more: { stack?: string; failingPlatforms?: string[] } = {},
  extra: Partial<SandboxScenario> = {}
): SandboxScenario {
  return {
    name: 'platform e2e',
    processingMs: 0,
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }, { label: 'v1' }],
        environments: [
          {
            name: ENV,
            versionLabel: 'v0-initial',
            solutionStackName: more.stack,
            update: { durationMs: 0, outcome: 'healthy', failingPlatforms: more.failingPlatforms }
          }
        ]
      }
    ],
    ...extra
  }
}

async function sandbox(spec: SandboxScenario): Promise<Sandbox> {
  const box = await startSandbox(spec, { silent: true })
  cleanups.push(() => box.close())
  return box
}

async function deploy(box: Sandbox, inputs: Record<string, string>): Promise<BundleRun> {
  return await runBundle('deploy-beanstalk', {
    inputs: { 'application-name': APP, 'environment-name': ENV, timeout: '30s', ...inputs },
    env: box.env,
    workspace: workspace(),
    timeoutMs: 30_000
  })
}

const warnings = (run: BundleRun) => run.annotations.filter(a => a.level === 'warning').map(a => a.message)
const errors = (run: BundleRun) => run.annotations.filter(a => a.level === 'error')

describe('deploy-beanstalk platform (bundle against the sandbox)', () => {
  it('platform: latest deploys the newest Ready version of the same branch with the app version, in one update', async () => {
    const box = await sandbox(scenario())
    const run = await deploy(box, { platform: 'latest', 'version-label': 'v1' })
    expect({ code: run.code, errors: errors(run) }).toEqual({ code: 0, errors: [] })
    // 4.10.0, not 4.9.0 (ARN order), not 4.10.1 (us-east-1 only), not 4.11.0 (still Creating)
    expect(run.stdout).toContain(
      'Platform to:  64bit Amazon Linux 2023 v4.10.0 running Docker (platform: latest, the newest Ready version of the same branch)'
    )
    expect(run.stdout).toContain(`platform version 4.4.0 → 4.10.0, same branch (${DOCKER})`)
    const updates = box.calls('UpdateEnvironment')
    expect(updates).toHaveLength(1)
    expect(updates[0].params).toMatchObject({ VersionLabel: 'v1', PlatformArn: arn('4.10.0') })
    const lists = box.calls('ListPlatformVersions').map(c => c.params)
    expect(lists[0]).toMatchObject({
      'Filters.member.1.Type': 'PlatformBranchName',
      'Filters.member.1.Values.member.1': DOCKER,
      'Filters.member.2.Type': 'PlatformStatus',
      'Filters.member.2.Values.member.1': 'Ready'
    })
    expect(box.environment(ENV)).toMatchObject({ status: 'Ready', health: 'Green', versionLabel: 'v1' })
    expect(run.outputs).toMatchObject({
      deployed: 'true',
      'platform-arn': arn('4.10.0'),
      'previous-platform-arn': arn('4.4.0'),
      'previous-version-label': 'v0-initial'
    })
    expect(run.summary).toContain(
      '64bit Amazon Linux 2023 v4.4.0 running Docker → 64bit Amazon Linux 2023 v4.10.0 running Docker: sent with the version, in one update; runs 4.10.0'
    )
    // the current branch is supported: no warning
    expect(warnings(run)).toEqual([])
  }, 30_000)

  it('a platform the app fails on: the previous platform and version are restored, and the report says both', async () => {
    const box = await sandbox(scenario({ failingPlatforms: ['4.10.0'] }))
    const run = await deploy(box, {
      platform: '64bit Amazon Linux 2023 v4.10.0 running Docker',
      'version-label': 'v1',
      'rollback-on-failure': 'true'
    })
    expect(run.code).toBe(1)
    const [error] = errors(run).filter(a => a.title === 'Deployment failed')
    expect(error.message).toContain('Update environment operation is complete, but with errors.')
    expect(error.message).toContain(
      'Rollback: rolled back to v0-initial and restored platform version 4.4.0: Ready on v0-initial, health Green.'
    )
    const updates = box.calls('UpdateEnvironment').map(c => c.params)
    expect(updates).toEqual([
      expect.objectContaining({ VersionLabel: 'v1', PlatformArn: arn('4.10.0') }),
      expect.objectContaining({ VersionLabel: 'v0-initial', PlatformArn: arn('4.4.0') })
    ])
    expect(box.environment(ENV)).toMatchObject({ health: 'Green', versionLabel: 'v0-initial' })
    expect(run.outputs).toMatchObject({ deployed: 'false', 'platform-arn': arn('4.4.0') })
    expect(run.summary).toContain('rolled back to v0-initial and restored platform version 4.4.0')
    expect(run.summary).toContain('runs 4.4.0 (the previous platform)')
  }, 30_000)

  it('Beanstalk refuses the platform and the version in one update: the platform first, then the version', async () => {
    const box = await sandbox(scenario({}, { platformWithVersion: 'refused' }))
    const run = await deploy(box, { platform: 'latest', 'version-label': 'v1' })
    expect({ code: run.code, errors: errors(run) }).toEqual({ code: 0, errors: [] })
    const refused = box.requests.filter(r => r.operation === 'UpdateEnvironment' && r.status === 400)
    expect(refused.map(r => r.errorCode)).toEqual(['InvalidParameterCombination'])
    // then the platform alone, followed until Ready, then the version alone
    expect(box.calls('UpdateEnvironment').map(c => [c.params.VersionLabel, c.params.PlatformArn])).toEqual([
      [undefined, arn('4.10.0')],
      ['v1', undefined]
    ])
    expect(run.summary).toContain('sent before the version, in an update of its own')
    expect(run.outputs['platform-arn']).toBe(arn('4.10.0'))
  }, 30_000)

  it('a deprecated platform: every plan and dry run warns with its date and the fix; nothing changes', async () => {
    const box = await sandbox(scenario({ stack: '64bit Amazon Linux 2 v3.9.0 running Docker' }))
    const run = await deploy(box, { 'version-label': 'v1', 'dry-run': 'true' })
    expect(run.code).toBe(0)
    const [warning] = warnings(run)
    expect(warning).toContain(
      `${ENV} runs "64bit Amazon Linux 2 v3.9.0 running Docker" on branch "Docker running on 64bit Amazon Linux 2", which is deprecated`
    )
    expect(warning).toMatch(/2026-06-30/)
    expect(warning).toContain('platform: latest moves it to 3.9.2, the newest version of this branch')
    expect(warning).toContain('set platform to "64bit Amazon Linux 2023 v4.10.0 running Docker"')
    expect(run.summary).toContain('2026-06-30')
    expect(box.mutatingCalls()).toEqual([])
  }, 30_000)

  it('a branch change by name: the plan says so; the update moves to the other branch', async () => {
    const box = await sandbox(scenario({ stack: '64bit Amazon Linux 2 v3.9.0 running Docker' }))
    const run = await deploy(box, {
      'version-label': 'v1',
      platform: arn('4.10.0')
    })
    expect({ code: run.code, errors: errors(run) }).toEqual({ code: 0, errors: [] })
    expect(run.stdout).toContain(
      'BRANCH CHANGE: Docker running on 64bit Amazon Linux 2 → Docker running on 64bit Amazon Linux 2023 (operating system Amazon Linux 2 → Amazon Linux 2023)'
    )
    // the new platform is current: no warning about it
    expect(warnings(run)).toEqual([])
    expect(run.outputs['platform-arn']).toBe(arn('4.10.0'))
  }, 30_000)

  it('without the DescribePlatformVersion permission, a deploy that keeps its platform goes on, with a warning', async () => {
    const box = await sandbox(
      scenario({}, { faults: { echoRequest: { operations: ['DescribePlatformVersion'] } } })
    )
    const run = await deploy(box, { 'version-label': 'v1' })
    expect({ code: run.code, errors: errors(run) }).toEqual({ code: 0, errors: [] })
    const [warning] = warnings(run)
    expect(warning).toMatch(
      /Could not check whether BrillianCRM-env's platform is deprecated \(DescribePlatformVersion: AccessDenied.*Allow elasticbeanstalk:DescribePlatformVersion/
    )
    // the request AWS echoed is not shown (it carries the session token)
    expect(warning).not.toMatch(/x-amz-security-token|authorization:/i)
    expect(box.environment(ENV)?.versionLabel).toBe('v1')
    // with platform set, the same refusal stops the run before any change
    const refused = await deploy(box, { 'version-label': 'v0-initial', platform: 'latest' })
    expect(refused.code).toBe(1)
    expect(errors(refused)[0].message).toMatch(/AccessDenied/)
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
  }, 30_000)

  it.each([
    [
      'an unknown version',
      '64bit Amazon Linux 2023 v4.10.9 running Docker',
      /no such platform version in eu-central-1.*Did you mean "64bit Amazon Linux 2023 v4\.10\.0 running Docker"\?/
    ],
    [
      'not Docker',
      '64bit Amazon Linux 2023 v6.3.0 running Node.js 20',
      /a Node\.js 20 running on 64bit Amazon Linux 2023 platform, not Docker/
    ],
    [
      'another region',
      arn('4.10.1', DOCKER, 'us-east-1'),
      /a platform of us-east-1, but the environment is in eu-central-1.*not available in eu-central-1/
    ],
    ['not Ready yet', arn('4.11.0'), /it is Creating, not Ready/],
    ['not a platform at all', 'Docker please', /expected latest .*, a platform ARN such as/]
  ])(
    'refuses %s before any change, with the nearest valid ones',
    async (_what, platform, message) => {
      const box = await sandbox(scenario())
      const run = await deploy(box, { platform, 'version-label': 'v1' })
      expect(run.code).toBe(1)
      const [error] = errors(run)
      expect(error.message).toMatch(message)
      expect(error.message).toContain(`Input 'platform'`)
      if (!/please/.test(platform))
        expect(error.message).toContain(
          'Docker platform versions in eu-central-1 (the newest of each branch): "'
        )
      expect(box.mutatingCalls()).toEqual([])
    },
    30_000
  )
})
