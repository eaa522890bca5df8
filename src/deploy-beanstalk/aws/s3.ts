import * as core from '@actions/core'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart
} from '@aws-sdk/client-s3'
import { open, readFile } from 'node:fs/promises'
import { awsClientConfig, instrument } from '../../common/aws.js'
import { awsErrorInfo, isAwsError } from '../../common/errors.js'
import { OutcomeUnknownError } from '../../common/failure.js'
import { formatBytes } from '../../common/format.js'
import { systemClock, type Clock } from '../../common/retry.js'

/** The S3 metadata key that records a bundle's sha256 (x-amz-meta-sha256). */
export const SHA256_METADATA = 'sha256'

/**
 * Parts of 5 MiB (S3's minimum), one in flight, each read into the same buffer: memory stays flat whatever the
 * bundle's size. (lib-storage's Upload, used before, allocates a new buffer for every part; V8 frees spent
 * buffers only when their sum nears its external-memory limit, so its peak RSS was ~60 MB over a 1 MB deploy
 * from 100 MB up: `npm run bench -- rss`, README.) Compose bundles are kilobytes: one PutObject.
 */
export const PART_SIZE = 5 * 1024 * 1024

export interface StoredObject {
  size?: number
  sha256?: string
}

/**
 * How a create-only upload ended: the object was `created`, or one `exists` under the key already (S3 refused the
 * write: nothing was replaced). Which bytes that object holds is the caller's question (versions/create.ts).
 */
export type UploadOutcome = 'created' | 'exists'

/** The S3 gateway of a region, made when something is first uploaded or compared (main.ts loads it lazily). */
export type StorageFor = (region: string) => StorageGateway | Promise<StorageGateway>

/** The edge to S3: look at an object, stream a file into one. */
export class StorageGateway {
  private readonly client: S3Client
  private readonly clock: Clock

  /** `client`: an S3 client of the caller's (tests); by default one with our configuration for `region`. */
  constructor(
    readonly region: string,
    options: { client?: S3Client; clock?: Clock } = {}
  ) {
    this.clock = options.clock ?? systemClock
    // Checksums only where S3 requires one: the SDK's default CRC32 of every 5 MiB part made a 450 MB upload peak
    // 137–155 MB instead of 137 (npm run bench -- rss); the bytes travel over TLS, and the bundle's sha256 decides
    // whether an object already there is reused
    this.client =
      options.client ??
      new S3Client({
        ...awsClientConfig(region, { clock: this.clock }),
        requestChecksumCalculation: 'WHEN_REQUIRED'
      })
    // A lost reply to CompleteMultipartUpload is checked before it is sent again (upload). PutObject may be repeated
    // by the SDK: with If-None-Match a repeat of one that took effect is refused (412), never an overwrite.
    instrument(this.client, {
      service: 's3',
      unsafeToRepeat: operation => operation === 'CompleteMultipartUpload'
    })
  }

  /** The object's size and recorded sha256, or undefined when it does not exist. */
  async head(bucket: string, key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      return { size: out.ContentLength, sha256: out.Metadata?.[SHA256_METADATA] }
    } catch (error) {
      if (isAwsError(error, 'NotFound', 'NoSuchKey', '404')) return undefined
      throw error
    }
  }

  /** The object's bytes as a stream (GetObject), or undefined when it does not exist: a promotion hashes it. */
  async read(bucket: string, key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      return out.Body as AsyncIterable<Uint8Array> | undefined
    } catch (error) {
      if (isAwsError(error, 'NotFound', 'NoSuchKey', '404')) return undefined
      throw error
    }
  }

  /**
   * Uploads the file to S3 create-only, recording its sha256 in the metadata: one PutObject up to PART_SIZE, else
   * a multipart upload whose parts are sent one after the other from one buffer. The request that makes the
   * object (PutObject, CompleteMultipartUpload) carries If-None-Match: *, so an object already under the key is
   * never replaced (the deploy policy allows no other: docs/aws-setup.md); S3's refusal is the outcome `exists`.
   * A multipart upload that did not create the object is aborted, so no parts are left behind. The SDK retries a
   * part with the same bytes; a part sent again replaces itself.
   */
  async upload(input: {
    bucket: string
    key: string
    path: string
    size: number
    sha256: string
  }): Promise<UploadOutcome> {
    const object = {
      Bucket: input.bucket,
      Key: input.key,
      ContentType: 'application/zip',
      Metadata: { [SHA256_METADATA]: input.sha256 }
    }
    if (input.size <= PART_SIZE) {
      const Body = await readFile(input.path)
      return await this.createOnly(input, () =>
        this.client.send(new PutObjectCommand({ ...object, Body, IfNoneMatch: '*' }))
      )
    }
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(object))
    if (!UploadId) throw new Error(`S3 started no multipart upload for s3://${input.bucket}/${input.key}`)
    const target = { Bucket: input.bucket, Key: input.key, UploadId }
    const file = await open(input.path, 'r')
    const buffer = Buffer.allocUnsafe(PART_SIZE)
    const parts: CompletedPart[] = []
    let lastLogged = 0
    let outcome: UploadOutcome | undefined
    try {
      for (let offset = 0; offset < input.size; offset += PART_SIZE) {
        const { bytesRead } = await file.read(buffer, 0, Math.min(PART_SIZE, input.size - offset), offset)
        const PartNumber = parts.length + 1
        const part = await this.client.send(
          new UploadPartCommand({ ...target, PartNumber, Body: buffer.subarray(0, bytesRead) })
        )
        if (!part.ETag)
          throw new Error(
            `S3 answered part ${PartNumber} of s3://${input.bucket}/${input.key} without an ETag`
          )
        parts.push({
          PartNumber,
          ETag: part.ETag,
          ChecksumCRC32: part.ChecksumCRC32,
          ChecksumCRC32C: part.ChecksumCRC32C,
          ChecksumCRC64NVME: part.ChecksumCRC64NVME,
          ChecksumSHA1: part.ChecksumSHA1,
          ChecksumSHA256: part.ChecksumSHA256
        })
        const loaded = offset + bytesRead
        const now = this.clock.now()
        if (now - lastLogged > 5_000 || loaded >= input.size) {
          lastLogged = now
          core.info(
            `Uploaded ${formatBytes(loaded)} of ${formatBytes(input.size)} (${Math.floor((100 * loaded) / input.size)}%).`
          )
        }
      }
      const complete = () =>
        this.client.send(
          new CompleteMultipartUploadCommand({
            ...target,
            IfNoneMatch: '*',
            MultipartUpload: { Parts: parts }
          })
        )
      try {
        outcome = await this.createOnly(input, complete)
      } catch (error) {
        if (!(error instanceof OutcomeUnknownError)) throw error
        // the reply was lost: the object is there (made by this request, or by anyone: the caller compares the
        // bytes), or the upload is completed once more, still create-only
        core.info(`${error.message} Checking whether s3://${input.bucket}/${input.key} exists.`)
        if ((await this.head(input.bucket, input.key)) !== undefined) outcome = 'exists'
        else {
          core.info('It does not: completing the upload once more.')
          outcome = await this.createOnly(input, complete)
        }
      }
      return outcome
    } finally {
      // a failed upload, or one that made no object (another is under the key), leaves no parts behind
      if (outcome !== 'created')
        await this.client.send(new AbortMultipartUploadCommand(target)).catch(() => undefined)
      await file.close()
    }
  }

  /**
   * A request with If-None-Match: *: `exists` when S3 refuses it because the key exists (412 PreconditionFailed),
   * or because another write to the key was under way (409 ConditionalRequestConflict) and an object now stands.
   */
  private async createOnly(
    at: { bucket: string; key: string },
    send: () => Promise<unknown>
  ): Promise<UploadOutcome> {
    try {
      await send()
      return 'created'
    } catch (error) {
      const status = awsErrorInfo(error)?.httpStatus
      if (isAwsError(error, 'PreconditionFailed') || status === 412) return 'exists'
      const conflict = isAwsError(error, 'ConditionalRequestConflict') || status === 409
      if (conflict && (await this.head(at.bucket, at.key)) !== undefined) return 'exists'
      throw error
    }
  }
}
