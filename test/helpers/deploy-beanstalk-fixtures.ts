/** What the deploy-beanstalk tests share, in process (test/scenarios) and end to end (test/e2e). */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { expect } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yauzl from 'yauzl'
import {
  type AppSpec,
  type BundleRun,
  type EnvSpec,
  errors,
  ROOT,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'

export { errors }

export const APP = 'BrillianCRM'
export const ENV = 'BrillianCRM-env'
export const IMAGE = 'ghcr.io/imbit/demo-app:0123456789abcdef0123456789abcdef01234567'

/** A temp copy of examples/demo-app; `cleanups` removes it. */
export function workspace(cleanups: Array<() => Promise<void> | void>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-ws-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), dir, { recursive: true })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** BrillianCRM-env running v0-initial (updates 1.5 s, healthy), two more apps, one in eu-west-1. */
export function scenario(
  env: Partial<EnvSpec> = {},
  more: Partial<SandboxScenario> = {},
  app: Partial<AppSpec> = {}
): SandboxScenario {
  return {
    name: 'deploy-beanstalk',
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }],
        environments: [
          { name: ENV, versionLabel: 'v0-initial', update: { durationMs: 1500, outcome: 'healthy' }, ...env }
        ],
        ...app
      },
      { name: 'BrillianQuiz', environments: [{ name: 'BrillianQuiz-env' }] },
      { name: 'Shop', region: 'eu-west-1', environments: [{ name: 'Shop-env' }] }
    ],
    ...more
  }
}

export const show = (run: BundleRun) => `exit ${run.code}\n${run.stdout}\n${run.stderr}`

export function expectUserError(run: BundleRun, pattern: RegExp): void {
  expect([run.code, errors(run).map(a => a.message)]).toEqual([
    1,
    expect.arrayContaining([expect.stringMatching(pattern)])
  ])
}

/** Every entry of a zip and its content (UTF-8), read for real with yauzl. */
export async function zipContents(data: Buffer): Promise<Record<string, string>> {
  return await new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'))
      const out: Record<string, string> = {}
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`))
          const chunks: Buffer[] = []
          stream.on('data', (chunk: Buffer) => chunks.push(chunk))
          stream.on('error', reject)
          stream.on('end', () => {
            out[entry.fileName] = Buffer.concat(chunks).toString('utf8')
            zip.readEntry()
          })
        })
      })
      zip.on('end', () => resolve(out))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}

/** The source bundle of `label` as it sits in the sandbox's S3 (GetObject with the sandbox's credentials), unzipped. */
export async function uploadedBundle(box: Sandbox, label: string): Promise<Record<string, string>> {
  const source = box.version(APP, label)?.sourceBundle
  if (!source) throw new Error(`version ${label} has no source bundle in the sandbox`)
  const s3 = new S3Client({
    region: 'eu-central-1',
    endpoint: box.s3Url,
    forcePathStyle: true,
    credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
  })
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }))
    if (!object.Body) throw new Error(`s3://${source.bucket}/${source.key} has no body`)
    return await zipContents(Buffer.from(await object.Body.transformToByteArray()))
  } finally {
    s3.destroy()
  }
}
