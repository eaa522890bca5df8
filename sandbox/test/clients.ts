/** SDK v3 clients pointed at a sandbox, with its dummy credentials; and a hand-driven clock. */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront'
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { S3Client } from '@aws-sdk/client-s3'
import type { Sandbox } from '../index.js'

export { sandboxesClosedAfterEach } from '../index.js'

export interface ClientOptions {
  region?: string
  maxAttempts?: number
}

function common(box: Sandbox, options: ClientOptions) {
  return {
    region: options.region ?? 'eu-central-1',
    credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY },
    maxAttempts: options.maxAttempts ?? 3
  }
}

export function beanstalkClient(box: Sandbox, options: ClientOptions = {}): ElasticBeanstalkClient {
  return new ElasticBeanstalkClient({ ...common(box, options), endpoint: box.url })
}

export function cloudFrontClient(box: Sandbox, options: ClientOptions = {}): CloudFrontClient {
  return new CloudFrontClient({ ...common(box, { region: 'us-east-1', ...options }), endpoint: box.url })
}

export function s3Client(box: Sandbox, options: ClientOptions = {}): S3Client {
  return new S3Client({ ...common(box, options), endpoint: box.s3Url, forcePathStyle: true })
}

/** A clock the test moves by hand: lifecycles and invalidations follow it, nothing sleeps. */
export class Clock {
  constructor(public time = Date.now()) {}
  readonly now = (): number => this.time
  advance(ms: number): void {
    this.time += ms
  }
}

/** The rejection of a call, for asserting on err.name / message / $metadata. */
export async function failure(
  promise: Promise<unknown>
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } }
  }
  throw new Error('expected the call to fail, it succeeded')
}
