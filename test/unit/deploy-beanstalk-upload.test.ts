/**
 * The bundle's upload (src/deploy-beanstalk/aws/s3.ts): one PutObject up to a part, else a multipart upload of
 * 5 MiB parts sent one after the other from one buffer (memory flat: npm run bench -- rss), completed with
 * every part in order, aborted when a part fails. Against the sandbox's S3 (s3rver) for the bytes that arrive;
 * with aws-sdk-client-mock for the failure.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
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
import { startSandbox, type Sandbox } from '../../sandbox/index.js'

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
