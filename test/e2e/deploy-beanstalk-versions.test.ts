/**
 * deploy-beanstalk end to end, versions over time and promotion: the real bundle against the sandbox, which
 * models the quota (DescribeAccountAttributes, TooManyApplicationVersions), DeleteApplicationVersion with
 * DeleteSourceBundle, and refuses to delete a version an environment runs, as Beanstalk does.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type BundleRun,
  type EnvSpec,
  errors,
  ROOT,
  runBundle,
  type Sandbox,
  type SandboxScenario,
  startSandbox
} from '../../sandbox/index.js'

const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const STAGING = 'BrillianCRM-staging'
const IMAGE = 'ghcr.io/imbit/demo-app:0123456789abcdef0123456789abcdef01234567'
/** v01 … v30, oldest first. */
const LABELS = Array.from({ length: 30 }, (_, i) => `v${String(i + 1).padStart(2, '0')}`)
// over at once and processed at once: these runs are on the real clock (the waits are tested in test/scenarios)
const FAST = { durationMs: 0, outcome: 'healthy' as const }

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/**
 * 30 versions of BrillianCRM: the target environment runs v20, staging v05, a third environment v02; one
 * version of BrillianQuiz, which shares the region's quota.
 */
function scenario(more: Partial<SandboxScenario> = {}, staging: Partial<EnvSpec> = {}): SandboxScenario {
  return {
    name: 'versions e2e',
    processingMs: 0,
    applications: [
      {
        name: APP,
        versions: LABELS.map(label => ({ label })),
        environments: [
          { name: ENV, versionLabel: 'v20', update: FAST },
          { name: STAGING, versionLabel: 'v05', update: FAST, ...staging },
          { name: 'BrillianCRM-old', versionLabel: 'v02' }
        ]
      },
      { name: 'BrillianQuiz', versions: [{ label: 'q1' }], environments: [{ name: 'BrillianQuiz-env' }] }
    ],
    ...more
  }
}

async function sandbox(spec: SandboxScenario): Promise<Sandbox> {
  const box = await startSandbox(spec, { silent: true })
  cleanups.push(() => box.close())
  return box
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-versions-ws-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), dir, { recursive: true })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function deploy(box: Sandbox, inputs: Record<string, string>): Promise<BundleRun> {
  return await runBundle('deploy-beanstalk', {
    inputs: { 'application-name': APP, 'environment-name': ENV, ...inputs },
    env: box.env,
    workspace: workspace(),
    timeoutMs: 30_000
  })
}

const s3 = (box: Sandbox) =>
  new S3Client({
    region: 'eu-central-1',
    endpoint: box.s3Url,
    forcePathStyle: true,
    credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
  })

async function putBundle(box: Sandbox, label: string): Promise<void> {
  await s3(box).send(
    new PutObjectCommand({ Bucket: box.storageBucket(), Key: `${APP}/${label}.zip`, Body: 'zip' })
  )
}

async function bundleExists(box: Sandbox, label: string): Promise<boolean> {
  try {
    await s3(box).send(new HeadObjectCommand({ Bucket: box.storageBucket(), Key: `${APP}/${label}.zip` }))
    return true
  } catch {
    return false
  }
}

const remaining = (box: Sandbox) => LABELS.filter(label => box.version(APP, label) !== undefined)
const show = (run: BundleRun) => `exit ${run.code}\n${run.stdout}\n${run.stderr}`

/** keep 10 = the new version + v22 … v30; beyond them v20 (target, previous), v05 (staging), v02 (old env). */
const KEPT = ['v02', 'v05', 'v20', 'v22', 'v23', 'v24', 'v25', 'v26', 'v27', 'v28', 'v29', 'v30']
const DELETED = LABELS.filter(label => !KEPT.includes(label))

describe('deploy-beanstalk e2e: versions over time', () => {
  it('keep-versions prunes exactly the right versions of 30, some running elsewhere, with their bundles', async () => {
    const box = await sandbox(scenario())
    await putBundle(box, 'v01')
    await putBundle(box, 'v30')
    // wait: false keeps this run short (the in-process tests follow the update to the end first)
    const run = await deploy(box, { image: IMAGE, 'keep-versions': '10', wait: 'false' })
    expect([run.code, errors(run)]).toEqual([0, []])
    const label = run.outputs['version-label']
    expect(box.calls('UpdateEnvironment').map(c => c.params.VersionLabel)).toEqual([label])
    expect(remaining(box)).toEqual(KEPT)
    expect(box.version(APP, label)).toBeDefined()
    expect(box.version('BrillianQuiz', 'q1')).toBeDefined()
    expect(run.outputs['versions-deleted']).toBe(String(DELETED.length))
    expect(DELETED).toHaveLength(18)
    // deleted after the deploy, each with DeleteSourceBundle
    const deletions = box.calls('DeleteApplicationVersion')
    expect(deletions.map(c => c.params.VersionLabel)).toEqual(DELETED)
    expect(deletions.every(c => c.params.DeleteSourceBundle === 'true')).toBe(true)
    const order = box.mutatingCalls().map(c => c.operation)
    expect(order.indexOf('UpdateEnvironment')).toBeLessThan(order.indexOf('DeleteApplicationVersion'))
    expect([await bundleExists(box, 'v01'), await bundleExists(box, 'v30')]).toEqual([false, true])
    expect(run.stdout).toContain('Deleted version v01')
    expect(run.stdout).toMatch(
      /Never delete: .*v20 \(the previous version, the rollback target\).*v05 \(runs in BrillianCRM-staging\)/
    )
    expect(run.stdout).toContain(
      '31 of 1000 (3%) application versions used in eu-central-1: BrillianCRM 30, BrillianQuiz 1'
    )
    expect(run.summary).toContain('| Versions deleted | 18 (listed below) |')
    expect(run.summary).toContain(
      `<details><summary>Versions deleted (18)</summary>\n\n${DELETED.map(label => `- \`${label}\``).join('\n')}\n\n</details>`
    )
  })

  it('dry-run lists exactly what would be deleted and deletes nothing', async () => {
    const box = await sandbox(scenario())
    const run = await deploy(box, { image: IMAGE, 'keep-versions': '10', 'dry-run': 'true' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      `the newest 10 of BrillianCRM's 30 versions; would delete 18 after a successful deploy, oldest first, with their S3 bundles: ${DELETED.join(', ')}`
    )
    expect(box.mutatingCalls()).toEqual([])
    expect(remaining(box)).toEqual(LABELS)
    expect(run.outputs).toMatchObject({ deployed: 'false', 'versions-deleted': '0' })
    expect(run.summary).toContain('| Versions deleted | none (would delete 18) |')
    expect(run.summary).toContain(
      `<details><summary>Versions keep-versions would delete (18)</summary>\n\n${DELETED.map(label => `- \`${label}\``).join('\n')}\n\n</details>`
    )
  })

  it('at the quota with keep-versions: deletes first, then creates the version and deploys', async () => {
    // 30 + 1 versions: the quota of 31 is reached
    const box = await sandbox(scenario({ maxApplicationVersions: 31 }))
    const run = await deploy(box, { image: IMAGE, 'keep-versions': '10', wait: 'false' })
    expect([run.code, errors(run)]).toEqual([0, []])
    const order = box.mutatingCalls().map(c => c.operation)
    expect(order.lastIndexOf('DeleteApplicationVersion')).toBeLessThan(
      order.indexOf('CreateApplicationVersion')
    )
    expect(box.calls('DeleteApplicationVersion')).toHaveLength(18)
    expect(remaining(box)).toEqual(KEPT)
    expect(box.calls('UpdateEnvironment').map(c => c.params.VersionLabel)).toEqual([
      run.outputs['version-label']
    ])
    expect(run.outputs['versions-deleted']).toBe('18')
    expect(run.stdout).toContain('31 of 31 (100%) application versions used in eu-central-1')
  })

  it('at the quota without keep-versions: the error names the numbers and the fix; nothing changed', async () => {
    const box = await sandbox(scenario({ maxApplicationVersions: 31 }))
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(1)
    const [error] = errors(run)
    expect(error.title).toBe('Too many application versions')
    expect(error.message).toContain(
      "Beanstalk's quota of application versions in eu-central-1 is reached: 31 of 31 (100%) application versions used in eu-central-1: BrillianCRM 30, BrillianQuiz 1."
    )
    expect(error.message).toContain('Set the input keep-versions (such as keep-versions: 50)')
    expect(box.mutatingCalls()).toEqual([])
  })
})

describe('deploy-beanstalk e2e: promotion (from-environment)', () => {
  it('deploys the version the source environment runs, with zero uploads', async () => {
    const box = await sandbox(scenario())
    // the bundle staging runs is there (a promotion checks it: deploy-beanstalk-promotion-integrity.test.ts)
    await putBundle(box, 'v05')
    const before = box.mutatingCalls().length
    // as the reusable workflow passes it: compose-file is unused by a promotion, as by a redeploy by label
    const run = await deploy(box, { 'from-environment': STAGING, 'compose-file': 'docker-compose.yml' })
    expect([run.code, errors(run), show(run)]).toEqual([0, [], expect.any(String)])
    expect(run.outputs).toMatchObject({
      'version-label': 'v05',
      'previous-version-label': 'v20',
      deployed: 'true',
      'bundle-sha256': ''
    })
    expect(box.environment(ENV)).toMatchObject({ status: 'Ready', versionLabel: 'v05', health: 'Green' })
    expect(
      box
        .mutatingCalls()
        .slice(before)
        .map(c => c.operation)
    ).toEqual(['UpdateEnvironment'])
    expect(box.calls('UpdateEnvironment')[0].params.VersionLabel).toBe('v05')
    expect(run.stdout).toContain(
      'Promoted:     from BrillianCRM-staging, which runs v05 (Ready, health Green)'
    )
    expect(run.summary).toContain('| Promoted from | BrillianCRM-staging |')
  })

  it('an unhealthy source is refused before any change', async () => {
    const box = await sandbox(scenario({}, { health: 'Red' }))
    const run = await deploy(box, { 'from-environment': STAGING })
    expect(run.code).toBe(1)
    const [error] = errors(run)
    expect(error.title).toBe('Source environment not promotable')
    expect(error.message).toContain(
      'Environment "BrillianCRM-staging" runs v05 with health Red, and required-health asks for Green'
    )
    expect(box.mutatingCalls()).toEqual([])
    expect(box.environment(ENV)?.versionLabel).toBe('v20')
  })

  it('an unknown source names the environments that exist', async () => {
    const box = await sandbox(scenario())
    const run = await deploy(box, { 'from-environment': 'BrillianCRM-stagng' })
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toContain(
      'Did you mean "BrillianCRM-staging"? Set from-environment to "BrillianCRM-staging".'
    )
    expect(box.mutatingCalls()).toEqual([])
  })
})
