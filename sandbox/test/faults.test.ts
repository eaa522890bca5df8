/**
 * Faults as the SDK sees them: Throttling, 5xx, connection resets, latency. With maxAttempts: 1 the raw
 * fault surfaces; with the SDK's default retries a throttled call gets through. Faulted calls change nothing.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { CreateInvalidationCommand, ListDistributionsCommand } from '@aws-sdk/client-cloudfront'
import {
  DescribeApplicationsCommand,
  DescribeEnvironmentsCommand,
  UpdateEnvironmentCommand
} from '@aws-sdk/client-elastic-beanstalk'
import { HeadObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { scenarios, startSandbox, type FaultSpec, type Sandbox } from '../index.js'
import { beanstalkClient, cloudFrontClient, failure, s3Client } from './clients.js'

const boxes: Sandbox[] = []
afterEach(async () => {
  for (const box of boxes.splice(0)) await box.close()
})

async function sandbox(faults?: FaultSpec): Promise<Sandbox> {
  const box = await startSandbox({ ...scenarios.default, faults }, { silent: true })
  boxes.push(box)
  return box
}

const ENV = 'BrillianCRM-env'

describe('Throttling', () => {
  it('the first N calls: HTTP 400 Throttling "Rate exceeded", on Beanstalk and CloudFront', async () => {
    const box = await sandbox({ throttleFirst: 2 })
    const eb = beanstalkClient(box, { maxAttempts: 1 })
    const cf = cloudFrontClient(box, { maxAttempts: 1 })
    const first = await failure(eb.send(new DescribeEnvironmentsCommand({})))
    expect([first.name, first.message, first.$metadata?.httpStatusCode]).toEqual([
      'Throttling',
      'Rate exceeded',
      400
    ])
    const second = await failure(cf.send(new ListDistributionsCommand({})))
    expect([second.name, second.message, second.$metadata?.httpStatusCode]).toEqual([
      'Throttling',
      'Rate exceeded',
      400
    ])
    const third = await eb.send(new DescribeEnvironmentsCommand({}))
    expect(third.Environments).toHaveLength(4)
    expect(box.requests.map(r => r.fault)).toEqual(['throttle', 'throttle', undefined])
    expect(box.requests.map(r => r.errorCode)).toEqual(['Throttling', 'Throttling', undefined])
    expect(box.calls('DescribeEnvironments')).toHaveLength(1)
  })

  it('the SDK’s own retries get through a throttled call', async () => {
    const box = await sandbox({ throttleFirst: 2 })
    const out = await beanstalkClient(box, { maxAttempts: 3 }).send(new DescribeApplicationsCommand({}))
    expect(out.Applications).toHaveLength(4)
    expect(out.$metadata.attempts).toBe(3)
    expect(box.requests.filter(r => r.operation === 'DescribeApplications').map(r => r.fault)).toEqual([
      'throttle',
      'throttle',
      undefined
    ])
  })

  it('at a rate, seeded: the same seed gives the same sequence', async () => {
    const sequence = async () => {
      const box = await sandbox({ throttleRate: 0.5, seed: 99 })
      const eb = beanstalkClient(box, { maxAttempts: 1 })
      for (let i = 0; i < 12; i++) await eb.send(new DescribeApplicationsCommand({})).catch(() => undefined)
      return box.requests.map(r => r.fault ?? 'ok')
    }
    const a = await sequence()
    const b = await sequence()
    expect(a).toEqual(b)
    expect(a).toContain('throttle')
    expect(a).toContain('ok')
  })

  it('a throttled UpdateEnvironment changes nothing', async () => {
    const box = await sandbox({ throttleFirst: 1, operations: ['UpdateEnvironment'] })
    const eb = beanstalkClient(box, { maxAttempts: 1 })
    const err = await failure(
      eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v0-initial' }))
    )
    expect(err.name).toBe('Throttling')
    expect(box.environment(ENV)?.status).toBe('Ready')
    expect(box.mutatingCalls()).toEqual([])
  })
})

describe('5xx', () => {
  it('InternalFailure (500) or ServiceUnavailable (503); a faulted CreateInvalidation creates nothing', async () => {
    const box = await sandbox({
      serverErrorRate: 1,
      operations: ['CreateInvalidation', 'DescribeApplications']
    })
    const eb = beanstalkClient(box, { maxAttempts: 1 })
    const cf = cloudFrontClient(box, { maxAttempts: 1 })
    const seen = new Set<string>()
    for (let i = 0; i < 8; i++) {
      const err = await failure(eb.send(new DescribeApplicationsCommand({})))
      seen.add(`${err.name} ${err.$metadata?.httpStatusCode}`)
    }
    expect([...seen].sort()).toEqual(['InternalFailure 500', 'ServiceUnavailable 503'])
    const err = await failure(
      cf.send(
        new CreateInvalidationCommand({
          DistributionId: 'E2CRM000000001',
          InvalidationBatch: { CallerReference: 'r', Paths: { Quantity: 1, Items: ['/*'] } }
        })
      )
    )
    expect(['InternalFailure', 'ServiceUnavailable']).toContain(err.name)
    box.setFaults(undefined)
    const list = await cf.send(new ListDistributionsCommand({}))
    expect(list.DistributionList?.Quantity).toBe(4)
    expect(box.calls('CreateInvalidation')).toEqual([])
    expect(box.requests.filter(r => r.fault === '5xx')).toHaveLength(9)
  })
})

describe('connection resets', () => {
  it('the socket is destroyed without a response; the call is logged as a reset', async () => {
    const box = await sandbox({ resetRate: 1, operations: ['DescribeEnvironments'] })
    const eb = beanstalkClient(box, { maxAttempts: 1 })
    const err = await failure(eb.send(new DescribeEnvironmentsCommand({})))
    expect(err.message).toMatch(/socket hang up|ECONNRESET/)
    expect(box.requests).toMatchObject([{ operation: 'DescribeEnvironments', fault: 'reset', status: 0 }])
    expect(box.calls('DescribeEnvironments')).toEqual([])
    // other operations are untouched
    expect((await eb.send(new DescribeApplicationsCommand({}))).Applications).toHaveLength(4)
  })
})

describe('slow responses and run-time changes', () => {
  it('delayMs adds latency; setFaults switches faults on and off while running', async () => {
    const box = await sandbox()
    const eb = beanstalkClient(box, { maxAttempts: 1 })
    await eb.send(new DescribeApplicationsCommand({}))
    box.setFaults({ delayMs: 300 })
    const started = Date.now()
    await eb.send(new DescribeApplicationsCommand({}))
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    box.setFaults({ throttleFirst: 1 })
    expect((await failure(eb.send(new DescribeApplicationsCommand({})))).name).toBe('Throttling')
    box.setFaults(undefined)
    await eb.send(new DescribeApplicationsCommand({}))
    expect(box.requests.map(r => r.fault ?? 'ok')).toEqual(['ok', 'ok', 'throttle', 'ok'])
  })

  it('S3 is exempt from faults unless named; named, it answers SlowDown (503) and stores nothing', async () => {
    const box = await sandbox({ throttleRate: 1 })
    const s3 = s3Client(box, { maxAttempts: 1 })
    const out = await s3.send(new ListBucketsCommand({}))
    expect(out.Buckets?.map(b => b.Name)).toContain(box.storageBucket())
    expect(box.requests.at(-1)).toMatchObject({ service: 's3', operation: 'ListBuckets', status: 200 })
    box.setFaults({ throttleFirst: 1, operations: ['PutObject'] })
    const put = () =>
      s3.send(new PutObjectCommand({ Bucket: box.storageBucket(), Key: 'k.zip', Body: 'data' }))
    const err = await failure(put())
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['SlowDown', 503])
    expect(
      await failure(s3.send(new HeadObjectCommand({ Bucket: box.storageBucket(), Key: 'k.zip' })))
    ).toMatchObject({
      name: 'NotFound'
    })
    await put()
    expect(box.calls('PutObject')).toHaveLength(1)
    expect(box.requests.filter(r => r.operation === 'PutObject').map(r => r.fault)).toEqual([
      'throttle',
      undefined
    ])
  })
})

describe('Faults on the reply (after the effect), echoed requests, request counting', () => {
  it('a lost reply: UpdateEnvironment takes effect, the connection is destroyed before the answer', async () => {
    const box = await sandbox({ lostReplies: { operations: ['UpdateEnvironment'] } })
    const eb = beanstalkClient(box, { maxAttempts: 1 })
    expect(box.environment(ENV)?.status).toBe('Ready')
    const lost = await failure(
      eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v0-initial' }))
    )
    expect(lost.message).toMatch(/socket hang up|ECONNRESET/)
    expect(box.environment(ENV)?.status).toBe('Updating')
    expect(box.requests.map(r => r.fault)).toEqual(['lost-reply'])
    // it took effect, so it counts among the mutating calls
    expect(box.mutatingCalls().map(r => r.operation)).toEqual(['UpdateEnvironment'])
  })

  it('a malformed reply: HTTP 200 with a truncated body, the SDK cannot read it; count limits it', async () => {
    const box = await sandbox({ malformed: { operations: ['DescribeEnvironments'], count: 1 } })
    const eb = beanstalkClient(box, { maxAttempts: 1 })
    const bad = await failure(eb.send(new DescribeEnvironmentsCommand({})))
    expect(bad.message).toMatch(/Deserialization error|Unexpected end|closing tag|not well-formed/i)
    const good = await eb.send(new DescribeEnvironmentsCommand({}))
    expect(good.Environments).toHaveLength(4)
    expect(box.requests.map(r => r.fault)).toEqual(['malformed', undefined])
  })

  it('an echoed request: AccessDenied whose message holds the request headers, session token included', async () => {
    const box = await sandbox({ echoRequest: { operations: ['DescribeEnvironments'] } })
    const eb = new (await import('@aws-sdk/client-elastic-beanstalk')).ElasticBeanstalkClient({
      region: 'eu-central-1',
      endpoint: box.url,
      maxAttempts: 1,
      credentials: {
        accessKeyId: box.env.AWS_ACCESS_KEY_ID,
        secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY,
        sessionToken: 'SESSIONTOKEN-echo-1234567890'
      }
    })
    const denied = await failure(eb.send(new DescribeEnvironmentsCommand({})))
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403])
    expect(denied.message).toContain('SESSIONTOKEN-echo-1234567890')
    expect(denied.message).toContain('elasticbeanstalk:DescribeEnvironments')
    expect(box.requests.map(r => r.fault)).toEqual(['echo'])
  })

  it('peakRequests counts every request in a 60 s window, throttled ones included', async () => {
    const box = await sandbox({ throttleFirst: 2 })
    await beanstalkClient(box, { maxAttempts: 3 }).send(new DescribeApplicationsCommand({}))
    expect(box.requests.map(r => r.fault)).toEqual(['throttle', 'throttle', undefined])
    expect(box.peakRequests('elasticbeanstalk')).toBe(3)
    expect(box.peakRequests('cloudfront')).toBe(0)
    expect(box.peakRequests('elasticbeanstalk', 1)).toBeLessThan(3)
    // what AWS answered: the two refused with Throttling left out
    expect(box.peakRequests('elasticbeanstalk', 60_000, 'answered')).toBe(1)
  })
})
