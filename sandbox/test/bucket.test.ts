/**
 * The account-wide token bucket (FaultSpec.accountBucket): every client of one sandbox shares it, as every caller
 * in one AWS account shares Beanstalk's request limits; an empty bucket answers Throttling "Rate exceeded" and
 * refills at its rate on the sandbox's clock.
 */
import { describe, expect, it } from '@jest/globals'
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk'
import { scenarios } from '../index.js'
import { TokenBucket } from '../aws/bucket.js'
import { beanstalkClient, Clock, failure, sandboxesClosedAfterEach } from './clients.js'

const sandbox = sandboxesClosedAfterEach()

describe('TokenBucket', () => {
  it('lets a burst through, then one request per refilled token', () => {
    let now = 0
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, () => now)
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false])
    now += 500
    expect([bucket.take(), bucket.take()]).toEqual([true, false])
    now += 10_000
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false])
    expect([bucket.taken, bucket.refused]).toEqual([7, 3])
  })
})

describe('accountBucket', () => {
  it('is shared by every client of the sandbox: one client’s burst throttles the other', async () => {
    const clock = new Clock()
    const box = await sandbox(
      { ...scenarios.default, faults: { accountBucket: { perSecond: 1, burst: 2 } } },
      clock
    )
    const first = beanstalkClient(box, { maxAttempts: 1 })
    const second = beanstalkClient(box, { maxAttempts: 1 })
    await first.send(new DescribeEnvironmentsCommand({}))
    await first.send(new DescribeEnvironmentsCommand({}))
    const refused = await failure(second.send(new DescribeEnvironmentsCommand({})))
    expect([refused.name, refused.message, refused.$metadata?.httpStatusCode]).toEqual([
      'Throttling',
      'Rate exceeded',
      400
    ])
    clock.advance(1_000)
    await expect(second.send(new DescribeEnvironmentsCommand({}))).resolves.toBeDefined()
    expect(box.requests.filter(r => r.fault === 'throttle')).toHaveLength(1)
  })
})
