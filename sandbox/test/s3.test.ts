/**
 * S3 through s3rver as deploy-beanstalk uses it: PutObject with user metadata, HeadObject returning it,
 * multipart Upload (lib-storage), and Beanstalk reading the uploaded bundle. The request log names each call.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  CreateApplicationVersionCommand,
  CreateStorageLocationCommand
} from '@aws-sdk/client-elastic-beanstalk'
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
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
})
