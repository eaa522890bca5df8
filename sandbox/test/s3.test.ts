/**
 * S3 through s3rver as deploy-beanstalk uses it: PutObject with user metadata, HeadObject returning it,
 * multipart Upload (lib-storage), and Beanstalk reading the uploaded bundle; conditional writes as S3 answers them
 * (If-None-Match: * on PutObject and CompleteMultipartUpload: 412 on an existing key, 409 while another conditional
 * write is under way, 501 for another value). The request log names each call.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  CreateApplicationVersionCommand,
  CreateStorageLocationCommand
} from '@aws-sdk/client-elastic-beanstalk'
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { randomBytes } from 'node:crypto'
import { startSandbox, MUTATING_OPERATIONS, type Sandbox } from '../aws/index.js'
import { beanstalkClient, Clock, failure, s3Client } from './clients.js'
import { zipOf } from './zips.js'

const boxes: Sandbox[] = []
afterEach(async () => {
  for (const box of boxes.splice(0)) await box.close()
})

describe('S3 (s3rver)', () => {
  it('PutObject stores user metadata that HeadObject returns (x-amz-meta-*); missing keys are NotFound', async () => {
    const box = await startSandbox('default', { silent: true })
    boxes.push(box)
    const s3 = s3Client(box)
    const bucket = box.storageBucket()
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'BrillianCRM/v1.zip',
        Body: 'zip bytes',
        ContentType: 'application/zip',
        Metadata: { sha256: 'ab'.repeat(32) }
      })
    )
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'BrillianCRM/v1.zip' }))
    expect(head).toMatchObject({
      ContentLength: 9,
      ContentType: 'application/zip',
      Metadata: { sha256: 'ab'.repeat(32) }
    })
    const missing = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'nope.zip' })))
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(['NotFound', 404])
    expect(box.requests.filter(r => r.service === 's3').map(r => [r.operation, r.status])).toEqual([
      ['PutObject', 200],
      ['HeadObject', 200],
      ['HeadObject', 404]
    ])
    expect(box.calls('PutObject')[0].params).toMatchObject({
      Bucket: bucket,
      Key: 'BrillianCRM/v1.zip',
      Metadata: { sha256: 'ab'.repeat(32) }
    })
  })

  it('a multipart Upload (lib-storage) is logged part by part and Beanstalk processes the result', async () => {
    const clock = new Clock()
    const box = await startSandbox('default', { silent: true, now: clock.now })
    boxes.push(box)
    const eb = beanstalkClient(box)
    const bucket = (await eb.send(new CreateStorageLocationCommand({}))).S3Bucket ?? ''
    // 6 MB: a zip with a compose file and incompressible padding, uploaded in 5 MB parts (two of them)
    const zip = await zipOf({
      'docker-compose.yml': 'services: {}\n',
      'pad.bin': randomBytes(6 * 1024 * 1024).toString('binary')
    })
    const upload = new Upload({
      client: s3Client(box),
      params: {
        Bucket: bucket,
        Key: 'BrillianCRM/big.zip',
        Body: zip,
        Metadata: { sha256: 'cd'.repeat(32) }
      },
      partSize: 5 * 1024 * 1024,
      queueSize: 2
    })
    await upload.done()
    const ops = box.mutatingCalls().map(c => c.operation)
    expect(ops[0]).toBe('CreateStorageLocation')
    expect(ops.filter(o => o === 'UploadPart').length).toBeGreaterThanOrEqual(2)
    expect(ops).toContain('CreateMultipartUpload')
    expect(ops.at(-1)).toBe('CompleteMultipartUpload')
    for (const op of ops) expect(MUTATING_OPERATIONS.has(op)).toBe(true)

    const got = await s3Client(box).send(new GetObjectCommand({ Bucket: bucket, Key: 'BrillianCRM/big.zip' }))
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(zip)).toBe(true)
    expect(got.Metadata).toEqual({ sha256: 'cd'.repeat(32) })

    await eb.send(
      new CreateApplicationVersionCommand({
        ApplicationName: 'BrillianCRM',
        VersionLabel: 'big',
        SourceBundle: { S3Bucket: bucket, S3Key: 'BrillianCRM/big.zip' },
        Process: true
      })
    )
    clock.advance(1000)
    expect(box.version('BrillianCRM', 'big')).toEqual({
      status: 'PROCESSED',
      sourceBundle: { bucket, key: 'BrillianCRM/big.zip' }
    })
  })

  it('an unknown access key is refused by s3rver (InvalidAccessKeyId, 403)', async () => {
    const box = await startSandbox('default', { silent: true })
    boxes.push(box)
    const { S3Client } = await import('@aws-sdk/client-s3')
    const wrong = new S3Client({
      region: 'eu-central-1',
      endpoint: box.s3Url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY },
      maxAttempts: 1
    })
    const err = await failure(
      wrong.send(new PutObjectCommand({ Bucket: box.storageBucket(), Key: 'k', Body: 'x' }))
    )
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['InvalidAccessKeyId', 403])
  })

  describe('conditional writes (If-None-Match)', () => {
    const KEY = 'BrillianCRM/v1.zip'
    const read = async (s3: S3Client, bucket: string, key = KEY) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      return { body: Buffer.from(await out.Body!.transformToByteArray()).toString(), metadata: out.Metadata }
    }
    const put = (s3: S3Client, bucket: string, Body: string, IfNoneMatch?: string) =>
      s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: KEY, Body, Metadata: { sha256: Body }, IfNoneMatch })
      )

    it('PutObject with If-None-Match: * creates a new key, and is refused with 412 on an existing one', async () => {
      const box = await startSandbox('default', { silent: true })
      boxes.push(box)
      const s3 = s3Client(box, { maxAttempts: 1 })
      const bucket = box.storageBucket()
      await put(s3, bucket, 'first', '*')
      const refused = await failure(put(s3, bucket, 'second', '*'))
      expect([refused.name, refused.$metadata?.httpStatusCode]).toEqual(['PreconditionFailed', 412])
      expect(refused.message).toBe('At least one of the pre-conditions you specified did not hold')
      expect(await read(s3, bucket)).toEqual({ body: 'first', metadata: { sha256: 'first' } })
      // another value is not implemented by S3 for writes; without the header, S3 overwrites
      const other = await failure(put(s3, bucket, 'third', '"etag"'))
      expect([other.name, other.$metadata?.httpStatusCode]).toEqual(['NotImplemented', 501])
      await put(s3, bucket, 'unconditional')
      expect((await read(s3, bucket)).body).toBe('unconditional')
      expect(box.requests.filter(r => r.operation === 'PutObject').map(r => [r.status, r.errorCode])).toEqual(
        [
          [200, undefined],
          [412, 'PreconditionFailed'],
          [501, 'NotImplemented'],
          [200, undefined]
        ]
      )
    })

    it('CompleteMultipartUpload with If-None-Match: * is refused with 412 on an existing key; the object is unchanged', async () => {
      const box = await startSandbox('default', { silent: true })
      boxes.push(box)
      const s3 = s3Client(box, { maxAttempts: 1 })
      const bucket = box.storageBucket()
      const multipart = async (key: string, body: string) => {
        const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))
        const part = await s3.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: body })
        )
        return s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId,
            IfNoneMatch: '*',
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] }
          })
        )
      }
      await put(s3, bucket, 'first', '*')
      const refused = await failure(multipart(KEY, 'other bytes'))
      expect([refused.name, refused.$metadata?.httpStatusCode]).toEqual(['PreconditionFailed', 412])
      expect((await read(s3, bucket)).body).toBe('first')
      await multipart('BrillianCRM/v2.zip', 'new bytes')
      expect((await read(s3, bucket, 'BrillianCRM/v2.zip')).body).toBe('new bytes')
    })

    it('a second conditional write to a key while the first is under way is refused with 409', async () => {
      const box = await startSandbox('default', { silent: true })
      boxes.push(box)
      const s3 = s3Client(box, { maxAttempts: 1 })
      const bucket = box.storageBucket()
      box.setFaults({ delayMs: 200, operations: ['PutObject'] })
      const [first, second] = await Promise.allSettled([put(s3, bucket, 'a', '*'), put(s3, bucket, 'b', '*')])
      const outcomes = [first, second].map(r =>
        r.status === 'fulfilled'
          ? 200
          : (r.reason as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
      )
      expect(outcomes.sort()).toEqual([200, 409])
      expect(['a', 'b']).toContain((await read(s3, bucket)).body)
    })
  })
})
