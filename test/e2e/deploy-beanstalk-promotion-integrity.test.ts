/**
 * Promotion verifies the bundle, end to end (issue 20, finding 1): the real bundle deploys a build to staging
 * (the version's description records the bundle's sha256, the upload its metadata), then the staging bundle's S3
 * object is overwritten by a principal the create-only deploy policy does not bind, copying the metadata too. Promoting to production
 * (`from-environment`) is refused before any change; an untouched bundle is promoted, verified.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, runBundle, type BundleRun } from '../../sandbox/index.js'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'

const APP = 'BrillianCRM'
const PRODUCTION = 'BrillianCRM-env'
const STAGING = 'BrillianCRM-staging'
const IMAGE = 'ghcr.io/imbit/demo-app:0123456789abcdef0123456789abcdef01234567'
const FAST = { durationMs: 0, outcome: 'healthy' as const }

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function sandbox(): Promise<Sandbox> {
  const box = await startSandbox(
    {
      name: 'promotion integrity',
      processingMs: 0,
      applications: [
        {
          name: APP,
          versions: [{ label: 'v0' }],
          environments: [
            { name: PRODUCTION, versionLabel: 'v0', update: FAST },
            { name: STAGING, versionLabel: 'v0', update: FAST }
          ]
        }
      ]
    },
    { silent: true }
  )
  cleanups.push(() => box.close())
  return box
}

async function deploy(box: Sandbox, inputs: Record<string, string>): Promise<BundleRun> {
  const workspace = mkdtempSync(join(tmpdir(), 'promotion-integrity-ws-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), workspace, { recursive: true })
  cleanups.push(() => rmSync(workspace, { recursive: true, force: true }))
  return await runBundle('deploy-beanstalk', {
    inputs: { 'application-name': APP, ...inputs },
    env: { ...box.env, GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' },
    workspace,
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
const errors = (run: BundleRun) => run.annotations.filter(a => a.level === 'error')
const show = (run: BundleRun) => `exit ${run.code}\n${run.stdout}\n${run.stderr}`

/** Staging gets a fresh build; returns its label, bundle sha256 and S3 location. */
async function buildToStaging(box: Sandbox) {
  // wait: false keeps it short (staging's own update is not what is tested here)
  const run = await deploy(box, { 'environment-name': STAGING, image: IMAGE, wait: 'false' })
  expect([run.code, errors(run), show(run)]).toEqual([0, [], expect.any(String)])
  const label = run.outputs['version-label']
  const sha256 = run.outputs['bundle-sha256']
  const [created] = box.calls('CreateApplicationVersion')
  expect(created.params.VersionLabel).toBe(label)
  // the record: in the description, where an upload cannot change it
  expect(String(created.params.Description)).toMatch(new RegExp(`\\[bundle sha256:${sha256}\\]$`))
  expect(String(created.params.Description).length).toBeLessThanOrEqual(200)
  const bucket = String(created.params['SourceBundle.S3Bucket'])
  const key = String(created.params['SourceBundle.S3Key'])
  const head = await s3(box).send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
  expect(head.Metadata?.sha256).toBe(sha256)
  return { label, sha256, bucket, key }
}

describe('deploy-beanstalk e2e: promotion verifies the bundle', () => {
  it('refuses a staging bundle overwritten after its version was created, before any change', async () => {
    const box = await sandbox()
    const staged = await buildToStaging(box)
    // A principal allowed unconditional writes (not a role of docs/aws-setup.md: those are create-only, but an
    // administrator, or an older policy) replaces this one, forging the metadata as well.
    await s3(box).send(
      new PutObjectCommand({
        Bucket: staged.bucket,
        Key: staged.key,
        Body: 'PK\u0005\u0006 not what staging ran',
        Metadata: { sha256: staged.sha256 }
      })
    )
    const before = box.mutatingCalls().length
    const run = await deploy(box, { 'environment-name': PRODUCTION, 'from-environment': STAGING })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      expect.objectContaining({
        title: 'Promoted bundle changed',
        message: expect.stringContaining(
          `The bundle of version ${staged.label} (run by ${STAGING}) cannot be promoted: its S3 object hashes to sha256`
        )
      })
    ])
    expect(errors(run)[0].message).toContain(`but ${staged.sha256} was recorded when the version was created`)
    expect(errors(run)[0].message).toContain('Nothing was changed.')
    // nothing changed in AWS: no request of this run mutated anything, production runs what it ran
    expect(box.mutatingCalls().slice(before)).toEqual([])
    expect(box.environment(PRODUCTION)?.versionLabel).toBe('v0')
    expect(run.outputs.deployed).toBe('false')
  })

  it('promotes the untouched bundle, saying it was verified', async () => {
    const box = await sandbox()
    const staged = await buildToStaging(box)
    const reads = box.requests.filter(r => r.operation === 'GetObject').length
    const run = await deploy(box, { 'environment-name': PRODUCTION, 'from-environment': STAGING })
    expect([run.code, errors(run), show(run)]).toEqual([0, [], expect.any(String)])
    expect(run.stdout).toContain(
      `Bundle of ${staged.label} verified: s3://${staged.bucket}/${staged.key} has sha256 ${staged.sha256}, as recorded when the version was created.`
    )
    expect(box.environment(PRODUCTION)?.versionLabel).toBe(staged.label)
    // the bundle was read as it is (GetObject, once), not trusted by its metadata
    expect(box.requests.filter(r => r.operation === 'GetObject').length - reads).toBe(1)
  })
})
