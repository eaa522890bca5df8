import * as core from '@actions/core'
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { createReadStream } from 'node:fs'
import { awsClientConfig, instrument } from '../../common/aws.js'
import { isAwsError } from '../../common/errors.js'
import { formatBytes } from '../../common/format.js'
import { systemClock, type Clock } from '../../common/retry.js'

/** The S3 metadata key that records a bundle's sha256 (x-amz-meta-sha256). */
export const SHA256_METADATA = 'sha256'

/**
 * Parts of 5 MiB (S3's minimum), one in flight: memory stays flat whatever the bundle's size (npm run bench:
 * two in flight measured ~20 MB more peak RSS at 450 MB, mostly part buffers awaiting GC). Compose bundles are
 * kilobytes; only bundles with large `include`s are multipart at all.
 */
export const PART_SIZE = 5 * 1024 * 1024
export const QUEUE_SIZE = 1

export interface StoredObject {
  size?: number
  sha256?: string
}

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
    this.client = options.client ?? new S3Client(awsClientConfig(region, { clock: this.clock }))
    instrument(this.client, { service: 's3' })
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

  /** Streams the file to S3 (multipart when over one part), recording its sha256 in the metadata. */
  async upload(input: {
    bucket: string
    key: string
    path: string
    size: number
    sha256: string
  }): Promise<void> {
    const upload = new Upload({
      client: this.client,
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
      params: {
        Bucket: input.bucket,
        Key: input.key,
        Body: createReadStream(input.path, { highWaterMark: 1024 * 1024 }),
        ContentType: 'application/zip',
        Metadata: { [SHA256_METADATA]: input.sha256 }
      }
    })
    let lastLogged = 0
    upload.on('httpUploadProgress', progress => {
      const loaded = progress.loaded ?? 0
      const now = this.clock.now()
      if (input.size > PART_SIZE && (now - lastLogged > 5_000 || loaded >= input.size)) {
        lastLogged = now
        core.info(
          `Uploaded ${formatBytes(loaded)} of ${formatBytes(input.size)} (${Math.floor((100 * loaded) / input.size)}%).`
        )
      }
    })
    await upload.done()
  }
}
