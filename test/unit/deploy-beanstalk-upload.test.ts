/**
 * The bundle's upload (src/deploy-beanstalk/aws/s3.ts): one PutObject up to a part, else a multipart upload of
 * 5 MiB parts sent one after the other from one buffer (memory flat: npm run bench -- rss), completed with
 * every part in order, aborted when a part fails. Create-only: PutObject and CompleteMultipartUpload carry
 * If-None-Match: *, S3's refusal (412, or 409 with an object standing) is the outcome `exists`, a lost reply to
 * CompleteMultipartUpload is checked before it is sent again; and what versions/create.ts makes of an existing
 * object (reused when its bytes are this bundle's, else refused, never replaced). Against the sandbox's S3
 * (s3rver) for the bytes that arrive and S3's own answers; with aws-sdk-client-mock for the failures.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand
} from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PART_SIZE, StorageGateway } from '../../src/deploy-beanstalk/aws/s3.js'
import { UserError } from '../../src/common/errors.js'
import { OutcomeUnknownError } from '../../src/common/failure.js'
import type { Plan } from '../../src/deploy-beanstalk/plan.js'
import { uploadBundle } from '../../src/deploy-beanstalk/versions/create.js'
import { startSandbox, type Sandbox } from '../../sandbox/index.js'
import { awsError } from '../helpers/fakes.js'

let dir: string
let box: Sandbox
// the upload's progress lines (core.info, "Uploaded … of …") stay out of the test output
let stdout: ReturnType<typeof jest.spyOn> | undefined
beforeAll(async () => {
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  dir = mkdtempSync(join(tmpdir(), 'upload-'))
  box = await startSandbox('default', { silent: true })
})
afterAll(async () => {
  stdout?.mockRestore()
  await box.close()
  rmSync(dir, { recursive: true, force: true })
})

function bundle(name: string, size: number): { path: string; size: number; sha256: string; bytes: Buffer } {
  const bytes = randomBytes(size)
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return { path, size, sha256: createHash('sha256').update(bytes).digest('hex'), bytes }
}

async function stored(client: S3Client, bucket: string, key: string) {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return { bytes: Buffer.from(await out.Body!.transformToByteArray()), metadata: out.Metadata }
}

describe('StorageGateway.upload', () => {
  it('a bundle of 2.4 parts arrives whole, in 3 parts, with its sha256 recorded; a small one in one PutObject', async () => {
    const client = new S3Client({
      region: 'eu-central-1',
      credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY },
      endpoint: box.s3Url,
      forcePathStyle: true
    })
    await client.send(new CreateBucketCommand({ Bucket: 'upload-test' }))
    const gateway = new StorageGateway('eu-central-1', { client })
    const large = bundle('large.zip', Math.floor(PART_SIZE * 2.4))
    await gateway.upload({ bucket: 'upload-test', key: 'app/large.zip', ...large })
    const got = await stored(client, 'upload-test', 'app/large.zip')
    expect(got.bytes.equals(large.bytes)).toBe(true)
    expect(got.metadata).toEqual({ sha256: large.sha256 })
    const parts = box.requests.filter(r => r.operation === 'UploadPart' && r.status < 400)
    expect(parts).toHaveLength(3)

    const small = bundle('small.zip', 1000)
    await gateway.upload({ bucket: 'upload-test', key: 'app/small.zip', ...small })
    expect((await stored(client, 'upload-test', 'app/small.zip')).bytes.equals(small.bytes)).toBe(true)
    expect(box.requests.filter(r => r.operation === 'UploadPart' && r.status < 400)).toHaveLength(3)
  })

  it("a part that fails aborts the multipart upload and the error is the part's", async () => {
    const s3 = mockClient(S3Client)
    try {
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u-1' })
      s3.on(UploadPartCommand, { PartNumber: 1 }).resolves({ ETag: '"e1"' })
      s3.on(UploadPartCommand, { PartNumber: 2 }).rejects(new Error('connection reset'))
      s3.on(AbortMultipartUploadCommand).resolves({})
      const gateway = new StorageGateway('eu-central-1', { client: new S3Client({ region: 'eu-central-1' }) })
      const large = bundle('failing.zip', PART_SIZE + 10)
      await expect(gateway.upload({ bucket: 'b', key: 'k.zip', ...large })).rejects.toThrow(
        'connection reset'
      )
      expect(s3.commandCalls(UploadPartCommand).map(c => c.args[0].input.PartNumber)).toEqual([1, 2])
      expect(s3.commandCalls(AbortMultipartUploadCommand).map(c => c.args[0].input)).toEqual([
        { Bucket: 'b', Key: 'k.zip', UploadId: 'u-1' }
      ])
      expect(s3.commandCalls(CompleteMultipartUploadCommand)).toEqual([])
      expect(s3.commandCalls(PutObjectCommand)).toEqual([])
    } finally {
      s3.restore()
    }
  })
})

const sandboxClient = () =>
  new S3Client({
    region: 'eu-central-1',
    credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY },
    endpoint: box.s3Url,
    forcePathStyle: true,
    maxAttempts: 1
  })

function mocked() {
  const s3 = mockClient(S3Client)
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u-1' })
  s3.on(UploadPartCommand).resolves({ ETag: '"e"' })
  s3.on(AbortMultipartUploadCommand).resolves({})
  const gateway = new StorageGateway('eu-central-1', { client: new S3Client({ region: 'eu-central-1' }) })
  return { s3, gateway }
}
const lost = () => new OutcomeUnknownError('CompleteMultipartUpload', new Error('socket hang up'))

describe('StorageGateway.upload is create-only', () => {
  it('against the sandbox: a second upload of other bytes under a key is `exists` and leaves the object as it was', async () => {
    const client = sandboxClient()
    await client.send(new CreateBucketCommand({ Bucket: 'create-only' }))
    const gateway = new StorageGateway('eu-central-1', { client })
    for (const [name, size] of [
      ['small', 1000],
      ['large', PART_SIZE + 1000]
    ] as const) {
      const key = `app/${name}.zip`
      const first = bundle(`${name}-1.zip`, size)
      const second = bundle(`${name}-2.zip`, size)
      expect(await gateway.upload({ bucket: 'create-only', key, ...first })).toBe('created')
      expect(await gateway.upload({ bucket: 'create-only', key, ...second })).toBe('exists')
      const got = await stored(client, 'create-only', key)
      expect([got.bytes.equals(first.bytes), got.metadata]).toEqual([true, { sha256: first.sha256 }])
    }
    // S3 refused the completion (412) of the second large one, whose parts were then aborted (s3rver has no
    // AbortMultipartUpload: it answers 405, which the upload ignores as it ignores any failed abort)
    const refused = box.requests.filter(r => r.status === 412).map(r => r.operation)
    expect(refused).toEqual(['PutObject', 'CompleteMultipartUpload'])
    expect(box.requests.filter(r => r.operation === 'AbortMultipartUpload')).toHaveLength(1)
  })

  it('sends If-None-Match: * on PutObject and CompleteMultipartUpload, and on nothing else', async () => {
    const { s3, gateway } = mocked()
    try {
      s3.on(PutObjectCommand).resolves({})
      s3.on(CompleteMultipartUploadCommand).resolves({})
      await gateway.upload({ bucket: 'b', key: 'small.zip', ...bundle('if-small.zip', 10) })
      await gateway.upload({ bucket: 'b', key: 'large.zip', ...bundle('if-large.zip', PART_SIZE + 10) })
      expect(s3.commandCalls(PutObjectCommand)[0].args[0].input.IfNoneMatch).toBe('*')
      expect(s3.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input.IfNoneMatch).toBe('*')
      expect(s3.commandCalls(CreateMultipartUploadCommand)[0].args[0].input).not.toHaveProperty('IfNoneMatch')
      // a created object leaves no upload to abort
      expect(s3.commandCalls(AbortMultipartUploadCommand)).toEqual([])
    } finally {
      s3.restore()
    }
  })

  it('against the sandbox: the completion took effect but its reply was lost, so it is checked, not sent again', async () => {
    const client = new S3Client({
      region: 'eu-central-1',
      credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY },
      endpoint: box.s3Url,
      forcePathStyle: true,
      maxAttempts: 3
    })
    await client.send(new CreateBucketCommand({ Bucket: 'lost-reply' }))
    const gateway = new StorageGateway('eu-central-1', { client })
    const large = bundle('lost.zip', PART_SIZE + 1000)
    box.setFaults({ lostReplies: { operations: ['CompleteMultipartUpload'] } })
    try {
      const plan = { label: 'release-1', bundle: large, upload: { key: 'app/lost.zip' } } as unknown as Plan
      // the object is there: this run's own, so it is used (the bytes decide) and nothing is uploaded again
      expect(await uploadBundle(gateway, plan, 'lost-reply')).toBe(0)
    } finally {
      box.setFaults(undefined)
    }
    const completions = box.requests.filter(
      r => r.operation === 'CompleteMultipartUpload' && r.params.Bucket === 'lost-reply'
    )
    expect(completions.map(r => `${r.status} ${r.fault ?? 'answered'}`)).toEqual(['200 lost-reply'])
    expect((await stored(client, 'lost-reply', 'app/lost.zip')).bytes.equals(large.bytes)).toBe(true)
  })

  it('a lost reply to CompleteMultipartUpload: an object there is `exists`, not completed again', async () => {
    const { s3, gateway } = mocked()
    try {
      s3.on(CompleteMultipartUploadCommand).rejects(lost())
      s3.on(HeadObjectCommand).resolves({ ContentLength: PART_SIZE + 10, Metadata: { sha256: 'x' } })
      expect(
        await gateway.upload({ bucket: 'b', key: 'k.zip', ...bundle('lost-1.zip', PART_SIZE + 10) })
      ).toBe('exists')
      expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1)
      expect(s3.commandCalls(HeadObjectCommand).map(c => c.args[0].input)).toEqual([
        { Bucket: 'b', Key: 'k.zip' }
      ])
      expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1)
    } finally {
      s3.restore()
    }
  })

  it('a lost reply to CompleteMultipartUpload: no object there, so it is completed once more (still create-only)', async () => {
    const { s3, gateway } = mocked()
    try {
      s3.on(CompleteMultipartUploadCommand).rejectsOnce(lost()).resolves({})
      s3.on(HeadObjectCommand).rejects(awsError('NotFound', 'Not Found', 404))
      expect(
        await gateway.upload({ bucket: 'b', key: 'k.zip', ...bundle('lost-2.zip', PART_SIZE + 10) })
      ).toBe('created')
      const completions = s3
        .commandCalls(CompleteMultipartUploadCommand)
        .map(c => c.args[0].input.IfNoneMatch)
      expect(completions).toEqual(['*', '*'])
      expect(s3.commandCalls(AbortMultipartUploadCommand)).toEqual([])
    } finally {
      s3.restore()
    }
  })

  it('409 ConditionalRequestConflict: `exists` when an object now stands, else S3’s error', async () => {
    const { s3, gateway } = mocked()
    try {
      s3.on(PutObjectCommand).rejects(
        awsError('ConditionalRequestConflict', 'A conflicting operation occurred.', 409)
      )
      s3.on(HeadObjectCommand)
        .resolvesOnce({ ContentLength: 10 })
        .rejects(awsError('NotFound', 'Not Found', 404))
      const small = bundle('conflict.zip', 10)
      expect(await gateway.upload({ bucket: 'b', key: 'k.zip', ...small })).toBe('exists')
      await expect(gateway.upload({ bucket: 'b', key: 'k.zip', ...small })).rejects.toThrow(
        'A conflicting operation occurred.'
      )
    } finally {
      s3.restore()
    }
  })
})

describe('uploadBundle: an object already under the key (versions/create.ts)', () => {
  const planFor = (file: ReturnType<typeof bundle>, key: string) =>
    ({ label: 'release-1', bundle: file, upload: { key } }) as unknown as Plan
  async function refusal(promise: Promise<unknown>): Promise<UserError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }

  it('against the sandbox: the same bytes are reused (not sent again), other bytes refused and the object unchanged', async () => {
    const client = sandboxClient()
    await client.send(new CreateBucketCommand({ Bucket: 'reuse' }))
    const gateway = new StorageGateway('eu-central-1', { client })
    const mine = bundle('mine.zip', 2000)
    expect(await uploadBundle(gateway, planFor(mine, 'app/release-1.zip'), 'reuse')).toBe(2000)
    const puts = () => box.requests.filter(r => r.operation === 'PutObject').length
    const before = puts()
    expect(await uploadBundle(gateway, planFor(mine, 'app/release-1.zip'), 'reuse')).toBe(0)
    expect(puts()).toBe(before)

    const other = bundle('other.zip', 2000)
    const error = await refusal(uploadBundle(gateway, planFor(other, 'app/release-1.zip'), 'reuse'))
    expect(error.title).toBe('Bundle already exists')
    expect(error.input).toBe('version-label')
    expect(error.message).toContain(
      `s3://reuse/app/release-1.zip already holds another bundle (sha256 ${mine.sha256}; this run's is ${other.sha256})`
    )
    expect(error.message).toContain('never overwritten')
    expect(puts()).toBe(before)
    expect((await stored(client, 'reuse', 'app/release-1.zip')).bytes.equals(mine.bytes)).toBe(true)
  })

  it('does not trust metadata: an object claiming this sha256 with other bytes is refused', async () => {
    const client = sandboxClient()
    await client.send(new CreateBucketCommand({ Bucket: 'forged' }))
    const mine = bundle('forged-mine.zip', 500)
    await client.send(
      new PutObjectCommand({
        Bucket: 'forged',
        Key: 'app/release-1.zip',
        Body: 'not these bytes',
        Metadata: { sha256: mine.sha256 }
      })
    )
    const gateway = new StorageGateway('eu-central-1', { client })
    const error = await refusal(uploadBundle(gateway, planFor(mine, 'app/release-1.zip'), 'forged'))
    expect(error.message).toMatch(/already holds another bundle \(sha256 [0-9a-f]{64}; this run's is/)
    expect(error.message).not.toContain(`(sha256 ${mine.sha256};`)
    expect((await stored(client, 'forged', 'app/release-1.zip')).bytes.toString()).toBe('not these bytes')
  })

  it('S3 refuses the upload (another run got there between the look and the write): the bytes decide', async () => {
    const { s3, gateway } = mocked()
    try {
      const mine = bundle('race.zip', 10)
      s3.on(PutObjectCommand).rejects(
        awsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412)
      )
      s3.on(HeadObjectCommand)
        .rejectsOnce(awsError('NotFound', 'Not Found', 404))
        .resolves({ ContentLength: 10, Metadata: { sha256: mine.sha256 } })
      s3.on(GetObjectCommand).resolves({
        Body: (async function* () {
          yield mine.bytes
        })() as never
      })
      expect(await uploadBundle(gateway, planFor(mine, 'k.zip'), 'b')).toBe(0)
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1)
      expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1)
    } finally {
      s3.restore()
    }
  })

  it('other metadata is refused at once, without reading the object', async () => {
    const { s3, gateway } = mocked()
    try {
      s3.on(HeadObjectCommand).resolves({ ContentLength: 10, Metadata: { sha256: 'ab'.repeat(32) } })
      const error = await refusal(uploadBundle(gateway, planFor(bundle('meta.zip', 10), 'k.zip'), 'b'))
      expect(error.message).toContain(`(sha256 ${'ab'.repeat(32)};`)
      expect(s3.commandCalls(GetObjectCommand)).toEqual([])
      expect(s3.commandCalls(PutObjectCommand)).toEqual([])
    } finally {
      s3.restore()
    }
  })
})
