/**
 * Bundles are create-only, end to end (issue 20): the real bundle (`node dist/deploy-beanstalk/index.js`) against
 * the sandbox, whose S3 answers If-None-Match as S3 does. A run uploads its bundle under a label and fails before
 * the version is created (CreateApplicationVersion keeps failing): the object stays, no version uses it. A second
 * run under the same label with other bytes is refused and the object is unchanged; a run with the same bytes
 * reuses the object (nothing sent again) and deploys it.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, runBundle, startSandbox, type BundleRun, type Sandbox } from '../../sandbox/index.js'

const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const SHA = '0123456789abcdef0123456789abcdef01234567'
const IMAGE = `ghcr.io/imbit/demo-app:${SHA}`
const OTHER_IMAGE = 'ghcr.io/imbit/demo-app:fedcba9876543210fedcba9876543210fedcba98'
const LABEL = 'release-1'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function sandbox(): Promise<Sandbox> {
  const box = await startSandbox(
    {
      name: 'bundles are create-only',
      processingMs: 0,
      applications: [
        {
          name: APP,
          versions: [{ label: 'v0' }],
          environments: [{ name: ENV, versionLabel: 'v0', update: { durationMs: 0, outcome: 'healthy' } }]
        }
      ]
    },
    { silent: true }
  )
  cleanups.push(() => box.close())
  return box
}

async function deploy(box: Sandbox, image: string): Promise<BundleRun> {
  const workspace = mkdtempSync(join(tmpdir(), 'create-only-ws-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), workspace, { recursive: true })
  cleanups.push(() => rmSync(workspace, { recursive: true, force: true }))
  return await runBundle('deploy-beanstalk', {
    inputs: {
      'application-name': APP,
      'environment-name': ENV,
      image,
      'version-label': LABEL,
      wait: 'false'
    },
    env: { ...box.env, GITHUB_SHA: SHA },
    workspace,
    timeoutMs: 30_000
  })
}

async function objectAt(box: Sandbox, key: string): Promise<Buffer> {
  const s3 = new S3Client({
    region: 'eu-central-1',
    endpoint: box.s3Url,
    forcePathStyle: true,
    credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
  })
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: box.storageBucket(), Key: key }))
    return Buffer.from(await out.Body!.transformToByteArray())
  } finally {
    s3.destroy()
  }
}

const errors = (run: BundleRun) => run.annotations.filter(a => a.level === 'error')
const show = (run: BundleRun) => `exit ${run.code}\n${run.stdout}\n${run.stderr}`
/** What a run sent to S3 to write an object. */
const writes = (box: Sandbox, from: number) =>
  box.requests
    .slice(from)
    .filter(r => ['PutObject', 'CreateMultipartUpload', 'CompleteMultipartUpload'].includes(r.operation))

describe('deploy-beanstalk e2e: bundles are create-only', () => {
  it('an uploaded bundle whose version was never created: other bytes are refused, the same bytes reused', async () => {
    const box = await sandbox()
    const key = `${APP}/${LABEL}.zip`
    // 1. the upload happens, then CreateApplicationVersion fails (every try): the object stays, no version
    box.setFaults({ serverErrorRate: 1, operations: ['CreateApplicationVersion'] })
    const first = await deploy(box, IMAGE)
    expect([first.code, box.version(APP, LABEL)]).toEqual([1, undefined])
    expect(writes(box, 0).map(r => `${r.operation} ${r.status}`)).toEqual(['PutObject 200'])
    const uploaded = await objectAt(box, key)
    box.setFaults(undefined)

    // 2. other bytes under the same label (another image pinned): refused before anything changes, object unchanged
    let from = box.requests.length
    const other = await deploy(box, OTHER_IMAGE)
    expect(other.code).toBe(1)
    expect(errors(other)).toEqual([
      expect.objectContaining({
        title: 'Bundle already exists',
        message: expect.stringContaining(
          `s3://${box.storageBucket()}/${key} already holds another bundle (sha256 `
        )
      })
    ])
    expect(errors(other)[0].message).toContain('an existing one is never overwritten')
    expect(writes(box, from)).toEqual([])
    expect(box.requests.slice(from).filter(r => r.operation === 'CreateApplicationVersion')).toEqual([])
    expect((await objectAt(box, key)).equals(uploaded)).toBe(true)
    expect(box.version(APP, LABEL)).toBeUndefined()

    // 3. the same bytes: the object is reused (its content hashed, nothing sent again), the version made from it
    from = box.requests.length
    const again = await deploy(box, IMAGE)
    expect([again.code, errors(again), show(again)]).toEqual([0, [], expect.any(String)])
    expect(again.stdout).toMatch(
      new RegExp(
        `s3://${box.storageBucket()}/${key} is already there with the same bytes \\(sha256 ${again.outputs['bundle-sha256']}\\): not uploaded again`
      )
    )
    expect(writes(box, from)).toEqual([])
    expect(box.requests.slice(from).filter(r => r.operation === 'GetObject')).toHaveLength(1)
    expect(box.version(APP, LABEL)?.sourceBundle).toEqual({ bucket: box.storageBucket(), key })
    expect((await objectAt(box, key)).equals(uploaded)).toBe(true)
  })
})
