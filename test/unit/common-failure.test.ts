/**
 * explain(): every kind of failure titled with its fix (issue 9, point 8), with real SDK errors where the
 * shape matters (a refused connection, a malformed body); secrets scrubbed (point 5); the call budget (point 4).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { DescribeEnvironmentsCommand, ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CallBudget } from '../../src/common/retry.js'
import { DeadlineReached, UserError, awsErrorInfo } from '../../src/common/errors.js'
import { Deadline } from '../../src/common/retry.js'
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

  describe('within a deadline', () => {
    /** A budget of 2 a minute, both slots taken at t=0: the next slot comes at t=60 s. */
    async function fullBudget(waits: number[] = []) {
      const clock = fakeClock(0)
      const budget = new CallBudget(
        2,
        60_000,
        clock,
        ms => waits.push(ms),
        'at most 2 Beanstalk requests in any minute'
      )
      await budget.acquire()
      await budget.acquire()
      return { clock, budget }
    }

    it('a slot that comes only after the deadline: fails at once, no sleep, nothing taken', async () => {
      const waits: number[] = []
      const { clock, budget } = await fullBudget(waits)
      const deadline = new Deadline(45_000, clock) // ends at 45 s; the slot comes at 60 s
      clock.t = 10_000
      const error = await budget.acquire(deadline).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DeadlineReached)
      expect(clock.t).toBe(10_000) // not one sleep
      expect(clock.waits).toEqual([])
      expect(waits).toEqual([]) // no "Pacing …" line for a wait that will not happen
      expect(budget.total).toBe(2)
      expect(budget.inWindow()).toBe(2)
      // plain words, the timeout's input, the cap, what to do; classified as a timeout
      const explained = explain(error)
      expect(explained).toMatchObject({ title: 'Timeout reached', kind: 'timeout' })
      expect(explained.message).toBe(
        "The step's timeout (45s) is reached: the next request could only be sent in 50s, later than the 35s left, " +
          'because this action keeps to at most 2 Beanstalk requests in any minute (every request AWS answers counts, ' +
          "the SDK's retries too). It stops now rather than run over its timeout: raise `timeout` if the work needs longer."
      )
      expect((error as DeadlineReached).input).toBe('timeout')
    })

    it('a slot within the deadline is waited for as before (told, in waits of at most 20 s)', async () => {
      const waits: number[] = []
      const { clock, budget } = await fullBudget(waits)
      const deadline = new Deadline(60_000, clock) // ends exactly when the slot comes
      await budget.acquire(deadline)
      expect(clock.t).toBe(60_000)
      expect(waits).toEqual([60_000, 40_000, 20_000])
      expect(budget.total).toBe(3)
    })

    it('never sleeps past the deadline: a deadline 1 ms short of the slot fails at once', async () => {
      const { clock, budget } = await fullBudget()
      await expect(budget.acquire(new Deadline(59_999, clock))).rejects.toBeInstanceOf(DeadlineReached)
      expect(clock.t).toBe(0)
    })

    it('a free slot is taken even after the deadline (a last look after a timeout is not held back)', async () => {
      const clock = fakeClock(0)
      const budget = new CallBudget(2, 60_000, clock)
      const deadline = new Deadline(1_000, clock)
      clock.t = 5_000
      await budget.acquire(deadline)
      expect(budget.total).toBe(1)
      await budget.acquire(deadline)
      await expect(budget.acquire(deadline)).rejects.toThrow(/after the timeout/)
    })

    it('the deadline is per call: a later, fresh deadline (a rollback) waits again where the old one failed', async () => {
      const { clock, budget } = await fullBudget()
      const step = new Deadline(30_000, clock)
      await expect(budget.acquire(step)).rejects.toBeInstanceOf(DeadlineReached)
      const rollback = new Deadline(120_000, clock)
      await budget.acquire(rollback)
      expect(clock.t).toBe(60_000)
    })

    it('is never read as an AWS error, even with the $metadata the SDK retry loop adds to any error', async () => {
      const { clock, budget } = await fullBudget()
      const error = await budget.acquire(new Deadline(1_000, clock)).catch((e: unknown) => e)
      Object.assign(error as object, { $metadata: { attempts: 1, totalRetryDelay: 0 } })
      expect(awsErrorInfo(error)).toBeUndefined()
      expect(outcomeUnknown(error)).toBe(false)
      expect(explain(error).kind).toBe('timeout')
    })
  })
})

describe('explain: the reason and the fix apart (the summary shows them as Why and What to do)', () => {
  it('splits a known failure into what went wrong and what to do, the annotation keeping both', () => {
    const denied = Object.assign(
      new Error(
        'User: arn:aws:sts::1:assumed-role/r is not authorized to perform: elasticbeanstalk:UpdateEnvironment'
      ),
      {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 }
      }
    )
    const e = explain(denied)
    expect(e.reason).toMatch(/^The role this job assumed may not call elasticbeanstalk:UpdateEnvironment/)
    expect(e.fix).toMatch(/^Add elasticbeanstalk:UpdateEnvironment to the role's policy/)
    expect(e.message).toBe(`${e.reason} ${e.fix}`)
  })

  it('takes a UserError fix as given, and none when the message carries it', () => {
    const withFix = explain(new UserError('The package is private.', { fix: 'Make it public.' }))
    expect(withFix).toMatchObject({ reason: 'The package is private.', fix: 'Make it public.' })
    expect(withFix.message).toBe('The package is private. Make it public.')
    expect(explain(new UserError('Set region.')).fix).toBeUndefined()
  })
})
