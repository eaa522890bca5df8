/**
 * explain(): every kind of failure titled with its fix (issue 9, point 8), with real SDK errors where the
 * shape matters (a refused connection, a malformed body); secrets scrubbed (point 5); the call budget (point 4).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { DescribeEnvironmentsCommand, ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CallBudget } from '../../src/common/budget.js'
import { UserError } from '../../src/common/errors.js'
import { OutcomeUnknownError, explain, outcomeUnknown } from '../../src/common/failure.js'
import { addSecret, clearSecrets, scrub } from '../../src/common/secrets.js'
import { awsError, fakeClock } from '../helpers/fakes.js'

afterEach(() => clearSecrets())

async function sdkError(endpoint: string): Promise<unknown> {
  const client = new ElasticBeanstalkClient({
    region: 'eu-central-1',
    endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }
  })
  try {
    await client.send(new DescribeEnvironmentsCommand({}))
  } catch (error) {
    return error
  } finally {
    client.destroy()
  }
  throw new Error('expected a failure')
}

describe('explain', () => {
  it('a refused connection: AWS endpoint unreachable, with host, cause and what to check', async () => {
    const error = await sdkError('http://127.0.0.1:1')
    const explained = explain(error)
    expect(explained.title).toBe('AWS endpoint unreachable')
    expect(explained.message).toContain('127.0.0.1:1')
    expect(explained.message).toContain('the connection was refused (ECONNREFUSED)')
    expect(explained.message).toContain('AWS_ENDPOINT_URL')
    expect(explained.debug.length).toBeGreaterThan(0)
  })

  it('a truncated body: Unreadable AWS response, no SDK internals in the message', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' })
      res.end('<DescribeEnvironmentsResponse><DescribeEnvironmentsResult><Environments><member>')
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    try {
      const error = await sdkError(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
      const explained = explain(error)
      expect(explained.title).toBe('Unreadable AWS response')
      expect(explained.message).not.toMatch(/\$response|Deserialization/)
      expect(explained.debug.join('\n')).toMatch(/Deserialization error/)
      expect(outcomeUnknown(error)).toBe(true)
    } finally {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  })

  it('AccessDenied names the IAM action from the message, or from the operation the middleware tagged', () => {
    const named = explain(
      awsError(
        'AccessDenied',
        'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: elasticbeanstalk:UpdateEnvironment on resource',
        403
      )
    )
    expect(named.title).toBe('AWS permission missing')
    expect(named.message).toContain('call elasticbeanstalk:UpdateEnvironment')
    const tagged = Object.assign(awsError('AccessDeniedException', 'Access denied', 403), {
      $operation: 'CreateInvalidation',
      $service: 'cloudfront'
    })
    expect(explain(tagged).message).toContain('cloudfront:CreateInvalidation')
  })

  it('credentials: missing, expired and rejected each get their title and the configure-aws-credentials fix', () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError'
    })
    expect(explain(missing).title).toBe('AWS credentials missing')
    expect(
      explain(awsError('ExpiredToken', 'The security token included in the request is expired')).title
    ).toBe('AWS credentials expired')
    expect(explain(awsError('InvalidClientTokenId', 'The security token is invalid')).title).toBe(
      'AWS credentials rejected'
    )
    for (const e of [missing, awsError('ExpiredToken', 'expired')]) {
      expect(explain(e).message).toContain('aws-actions/configure-aws-credentials')
    }
  })

  it('a UserError keeps its title; a lost reply says to check; a plain bug is "Unexpected error"', () => {
    expect(explain(new UserError('fix it', { input: 'timeout' })).title).toBe("Input 'timeout'")
    const lost = explain(new OutcomeUnknownError('UpdateEnvironment', new Error('socket hang up')))
    expect(lost.title).toBe('AWS reply lost')
    expect(explain(new TypeError('x is undefined')).title).toBe('Unexpected error')
  })

  it('outcomeUnknown: resets, timeouts and 5xx yes; a refused connection or a 4xx no', () => {
    expect(outcomeUnknown(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true)
    expect(outcomeUnknown(awsError('InternalFailure', 'boom', 500))).toBe(true)
    expect(outcomeUnknown(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false
    )
    expect(outcomeUnknown(awsError('InvalidParameterValue', 'bad', 400))).toBe(false)
  })
})

describe('scrub', () => {
  it('removes every registered secret, also URL-encoded, and ignores short values', () => {
    addSecret('abc')
    addSecret('FwoGZXIvYXdz/+token==')
    const text = 'token FwoGZXIvYXdz/+token== or FwoGZXIvYXdz%2F%2Btoken%3D%3D; abc stays'
    expect(scrub(text)).toBe('token *** or ***; abc stays')
  })
})

describe('CallBudget', () => {
  it('never lets more than `limit` requests into any window; waits on the injected clock', async () => {
    const clock = fakeClock(0)
    const budget = new CallBudget(20, 60_000, clock)
    for (let i = 0; i < 50; i++) await budget.acquire()
    expect(budget.peak).toBe(20)
    expect(budget.total).toBe(50)
    // 50 requests at 20 a minute: the last one after two full windows
    expect(clock.t).toBeGreaterThanOrEqual(120_000)
    expect(clock.t).toBeLessThan(121_000)
  })

  it('tells each wait for a slot, none longer than 20 s, so a long wait is never silent', async () => {
    const clock = fakeClock(0)
    const waits: number[] = []
    const budget = new CallBudget(2, 60_000, clock, ms => waits.push(ms))
    await budget.acquire()
    await budget.acquire()
    expect(waits).toEqual([])
    await budget.acquire()
    // 60 s until the first request leaves the window: told 60 s, 40 s, 20 s ahead
    expect(waits).toEqual([60_000, 40_000, 20_000])
    expect(clock.t).toBe(60_000)
  })
})
