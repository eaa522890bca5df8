/**
 * deploy-beanstalk end to end under pressure (issue 21): a mistyped redeploy label, versions that share one S3
 * bundle, and another update replacing this run's version. The real bundle against the sandbox.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'
import {
  runBundle,
  startSandbox,
  type BundleRun,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'
import {
  APP,
  ENV,
  IMAGE,
  errors,
  expectUserError,
  scenario,
  show,
  workspace
} from '../helpers/deploy-beanstalk-fixtures.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function sandbox(spec: SandboxScenario): Promise<Sandbox> {
  const box = await startSandbox(spec, { silent: true })
  cleanups.push(() => box.close())
  return box
}

async function deploy(box: Sandbox, inputs: Record<string, string>, compose?: string): Promise<BundleRun> {
  const dir = workspace(cleanups)
  if (compose !== undefined) writeFileSync(join(dir, 'docker-compose.yml'), compose)
  return await runBundle('deploy-beanstalk', {
    inputs: { 'application-name': APP, 'environment-name': ENV, ...inputs },
    env: box.env,
    workspace: dir,
    timeoutMs: 30_000
  })
}

const PINNED = `services:\n  web:\n    image: ghcr.io/imbit/demo-app:1.4.2\n    ports:\n      - '80:8080'\n  cache:\n    image: redis@sha256:${'ab'.repeat(32)}\n`
const FAST = { durationMs: 0, outcome: 'healthy' as const }

describe('deploy-beanstalk e2e: a redeploy by label that finds nothing', () => {
  it('a mistyped label without image is refused before any change, with the closest label', async () => {
    const box = await sandbox(scenario({ update: FAST }, { processingMs: 0 }))
    // the demo app's compose file runs ghcr.io/imbit/demo-app:latest: never deployed without `image`
    const run = await deploy(box, { 'version-label': 'v0-intial' })
    expectUserError(run, /no version "v0-intial" to redeploy/)
    const [error] = errors(run)
    expect(error.message).toContain('Did you mean "v0-initial"? Set version-label to "v0-initial".')
    expect(error.message).toContain('web (ghcr.io/imbit/demo-app:latest (latest))')
    expect(box.mutatingCalls()).toEqual([])
    expect(box.environment(ENV)?.versionLabel).toBe('v0-initial')
  })

  it('a compose file that pins every image is built as a new version; the plan says so and warns of a close label', async () => {
    const box = await sandbox(scenario({ update: FAST }, { processingMs: 0 }))
    const run = await deploy(box, { 'version-label': 'v0-intial' }, PINNED)
    expect([run.code, errors(run), show(run)]).toEqual([0, [], expect.any(String)])
    expect(run.stdout).toContain(
      'Version:      v0-intial (new: no version "v0-intial" exists: built from docker-compose.yml as it is, every image pinned there)'
    )
    expect(run.annotations.filter(a => a.level === 'warning').map(a => a.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('Did you mean "v0-initial", which exists?')])
    )
    expect(box.calls('UpdateEnvironment').map(c => c.params.VersionLabel)).toEqual(['v0-intial'])
  })
})

describe('deploy-beanstalk e2e: versions that share a bundle', () => {
  const s3 = (box: Sandbox) =>
    new S3Client({
      region: 'eu-central-1',
      endpoint: box.s3Url,
      forcePathStyle: true,
      credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
    })
  const exists = async (box: Sandbox, key: string) => {
    try {
      await s3(box).send(new HeadObjectCommand({ Bucket: box.storageBucket(), Key: key }))
      return true
    } catch {
      return false
    }
  }

  it('a bundle is deleted only when no remaining version of any application points at it; the plan names those kept', async () => {
    const bucket = `elasticbeanstalk-eu-central-1-123456789012`
    const at = (key: string) => ({ sourceBundle: { bucket, key } })
    const box = await sandbox({
      name: 'shared bundles',
      processingMs: 0,
      applications: [
        {
          name: APP,
          versions: [
            { label: 'v1', ...at('BrillianCRM/shared.zip') },
            { label: 'v2', ...at('BrillianCRM/shared.zip') }, // the same zip under two labels; staging runs it
            { label: 'v3', ...at('BrillianCRM/v3.zip') },
            { label: 'v4', ...at('BrillianCRM/v4.zip') },
            { label: 'v5', ...at('BrillianCRM/v5.zip') }
          ],
          environments: [
            { name: ENV, versionLabel: 'v5', update: FAST },
            { name: 'BrillianCRM-staging', versionLabel: 'v2' }
          ]
        },
        // another application's version on v3's zip
        { name: 'BrillianQuiz', versions: [{ label: 'q1', ...at('BrillianCRM/v3.zip') }] }
      ]
    })
    for (const key of ['shared.zip', 'v3.zip', 'v4.zip', 'v5.zip'])
      await s3(box).send(new PutObjectCommand({ Bucket: bucket, Key: `${APP}/${key}`, Body: 'zip' }))
    const run = await deploy(box, { image: IMAGE, 'keep-versions': '2', wait: 'false' })
    expect([run.code, errors(run), show(run)]).toEqual([0, [], expect.any(String)])
    expect(
      box.calls('DeleteApplicationVersion').map(c => [c.params.VersionLabel, c.params.DeleteSourceBundle])
    ).toEqual([
      ['v1', 'false'],
      ['v3', 'false'],
      ['v4', 'true']
    ])
    expect(run.stdout).toContain(
      `Bundles kept: s3://${bucket}/BrillianCRM/shared.zip of v1 (also the bundle of BrillianCRM/v2); s3://${bucket}/BrillianCRM/v3.zip of v3 (also the bundle of BrillianQuiz/q1)`
    )
    expect([
      await exists(box, 'BrillianCRM/shared.zip'),
      await exists(box, 'BrillianCRM/v3.zip'),
      await exists(box, 'BrillianCRM/v4.zip')
    ]).toEqual([true, true, false])
  })
})

describe('deploy-beanstalk e2e: another update replaces this run’s version', () => {
  it('names the label and its description, and does not roll back over it', async () => {
    const box = await sandbox(
      scenario(
        {
          update: { durationMs: 300, outcome: 'healthy', followedBy: { label: 'other-v9', durationMs: 300 } }
        },
        { processingMs: 0 },
        {
          versions: [
            { label: 'v0-initial' },
            { label: 'other-v9', description: 'Fix the login page (abc1234, run 4242 of imbit/brilliancrm)' }
          ]
        }
      )
    )
    const run = await deploy(box, { image: IMAGE, 'rollback-on-failure': 'true' })
    expect(run.code).toBe(1)
    const [error] = errors(run)
    expect(error.message).toContain(
      'Another update replaced it: the environment is Ready and runs version "other-v9"'
    )
    expect(error.message).toContain(
      'Version other-v9 is described as "Fix the login page (abc1234, run 4242 of imbit/brilliancrm)".'
    )
    expect(error.message).toContain(
      'Rollback: not attempted: another update deployed other-v9 after this one'
    )
    expect(error.message).not.toContain('kept or restored')
    // the summary: who replaced it and the rollback not attempted under Why, the advice under What to do
    expect(run.summary).toContain(
      '\n- Version other-v9 is described as "Fix the login page (abc1234, run 4242 of imbit/brilliancrm)".\n- Rollback: not attempted: another update deployed other-v9'
    )
    expect(run.summary).toContain(
      '**What to do**\n\nTwo deploys to one environment ran at once: give the workflows one concurrency group per environment (docs/deploy-beanstalk.md).'
    )
    expect([...summaryFaults(run.summary), ...layoutFaults(run.summary)]).toEqual([])
    // only this run's own update: no rollback over the other deploy
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
    expect(box.environment(ENV)?.versionLabel).toBe('other-v9')
  })
})
