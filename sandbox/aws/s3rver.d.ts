/** Minimal typings for s3rver 3.7 (it ships none): only what the sandbox uses. */
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http'
  import type { Readable } from 'node:stream'

  interface S3rverObject {
    bucket: string
    key: string
    content: Readable | null
    metadata: Record<string, string>
    size: number
  }
  interface S3rverStore {
    getBucket(bucket: string): Promise<{ name: string } | null>
    putBucket(bucket: string): Promise<unknown>
    getObject(bucket: string, key: string): Promise<S3rverObject | null>
    existsObject(bucket: string, key: string): Promise<boolean>
    deleteObject(bucket: string, key: string): Promise<unknown>
    putObject(object: {
      bucket: string
      key: string
      content: Buffer
      metadata: Record<string, string>
    }): Promise<unknown>
  }
  interface S3rverOptions {
    directory: string
    silent?: boolean
    resetOnClose?: boolean
    allowMismatchedSignatures?: boolean
    vhostBuckets?: boolean
    configureBuckets?: Array<{ name: string }>
  }
  export default class S3rver {
    constructor(options: S3rverOptions)
    store: S3rverStore
    logger: { close(): void }
    callback(): (req: IncomingMessage, res: ServerResponse) => void
  }
}
