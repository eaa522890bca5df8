/**
 * SDK-level tests (aws-sdk-client-mock) for the branches that hang on CloudFront's answers: paging, the
 * permission named on AccessDenied, busy distributions waited out, errors explained, the wait and its timeout.
 * Time is a fake clock: nothing sleeps.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { fakeClock } from '../helpers/fakes.js'
import {
  AccessDenied,
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  InvalidArgument,
  CloudFrontServiceException,
  ListDistributionsCommand,
  NoSuchDistribution,
  TooManyInvalidationsInProgress
} from '@aws-sdk/client-cloudfront'
import { mockClient } from 'aws-sdk-client-mock'
import { UserError } from '../../src/common/errors.js'
import { Deadline } from '../../src/common/retry.js'
import { CloudFrontGateway, createCloudFrontClient } from '../../src/invalidate-cloudfront/cloudfront.js'
import {
  InvalidationTimeoutError,
  createInvalidation,
  pollDelay,
  waitForCompletion
} from '../../src/invalidate-cloudfront/invalidation.js'

const meta = { $metadata: { httpStatusCode: 400, requestId: 'req-1' } }
const busy = () =>
  new TooManyInvalidationsInProgress({
    message:
      'Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations.',
    ...meta
  })
const inProgress = (id = 'I1') => ({
  Invalidation: {
    Id: id,
    Status: 'InProgress',
    CreateTime: new Date(),
    InvalidationBatch: { CallerReference: 'ref', Paths: { Quantity: 1, Items: ['/*'] } }
  }
})
const completed = (id = 'I1') => ({ Invalidation: { ...inProgress(id).Invalidation, Status: 'Completed' } })
const request = { distributionId: 'E2CRM000000001', paths: ['/*'], callerReference: 'imbit-1-1-abc' }

const cf = mockClient(CloudFrontClient)
let stdout: jest.SpiedFunction<typeof process.stdout.write>

beforeEach(() => {
  cf.reset()
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterEach(() => stdout.mockRestore())

function logged(): string {
  return stdout.mock.calls.map(call => String(call[0])).join('')
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('createCloudFrontClient', () => {
  it('always uses us-east-1, whatever AWS_REGION says', async () => {
    const saved = process.env.AWS_REGION
    process.env.AWS_REGION = 'eu-central-1'
    try {
      expect(await createCloudFrontClient().config.region()).toBe('us-east-1')
    } finally {
      if (saved === undefined) delete process.env.AWS_REGION
      else process.env.AWS_REGION = saved
    }
  })
})

describe('CloudFrontGateway', () => {
  it('lists every page of distributions, following NextMarker', async () => {
    const sent: Array<Record<string, unknown>> = []
    const pages = [
      {
        DistributionList: {
          Marker: '',
          MaxItems: 2,
          IsTruncated: true,
          NextMarker: 'page-2',
          Quantity: 2,
          Items: [
            {
              Id: 'E1',
              DomainName: 'd1.cloudfront.net',
              Aliases: { Quantity: 1, Items: ['One.example'] },
              Comment: '',
              Enabled: true
            },
            {
              Id: 'E2',
              DomainName: 'd2.cloudfront.net',
              Aliases: { Quantity: 0 },
              Comment: 'two',
              Enabled: false
            }
          ]
        }
      },
      {
        DistributionList: {
          Marker: 'page-2',
          MaxItems: 2,
          IsTruncated: false,
          Quantity: 1,
          Items: [
            { Id: 'E3', DomainName: 'd3.cloudfront.net', Aliases: { Quantity: 1, Items: ['three.example'] } }
          ]
        }
      }
    ]
    cf.on(ListDistributionsCommand).callsFake(input => {
      sent.push({ ...input })
      return pages[sent.length - 1]
    })
    const list = await new CloudFrontGateway(
      new CloudFrontClient({ region: 'us-east-1' })
    ).listDistributions()
    expect(list.map(d => d.id)).toEqual(['E1', 'E2', 'E3'])
    expect(list[0]).toEqual({
      id: 'E1',
      domainName: 'd1.cloudfront.net',
      aliases: ['one.example'],
      comment: undefined,
      enabled: true
    })
    expect(list[1]).toMatchObject({ aliases: [], comment: 'two', enabled: false })
    // The paginator reuses one input object, so the inputs are recorded as they were sent.
    expect(sent).toEqual([{}, { Marker: 'page-2' }])
  })

  it.each([
    ['listDistributions', 'cloudfront:ListDistributions', ListDistributionsCommand],
    ['createInvalidation', 'cloudfront:CreateInvalidation', CreateInvalidationCommand],
    ['getInvalidation', 'cloudfront:GetInvalidation', GetInvalidationCommand]
  ] as const)('%s: AccessDenied names the missing permission %s', async (method, permission, command) => {
    cf.on(command as never).rejects(
      new AccessDenied({
        message:
          'User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: ' +
          permission,
        ...meta
      })
    )
    const gateway = new CloudFrontGateway(new CloudFrontClient({ region: 'us-east-1' }))
    const call =
      method === 'listDistributions'
        ? gateway.listDistributions()
        : method === 'createInvalidation'
          ? gateway.createInvalidation('E2CRM000000001', ['/*'], 'ref')
          : gateway.getInvalidation('E2CRM000000001', 'I1')
    const error = (await caught(call)) as UserError
    expect(error).toBeInstanceOf(UserError)
    expect(error.title).toBe(`Missing permission ${permission}`)
    expect(error.message).toContain(
      'AccessDenied: User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized'
    )
    expect(error.message).toContain(`must allow ${permission}`)
  })

  it('sends the batch as given', async () => {
    cf.on(CreateInvalidationCommand).resolves(inProgress('I9'))
    const gateway = new CloudFrontGateway(new CloudFrontClient({ region: 'us-east-1' }))
    expect(await gateway.createInvalidation('E2CRM000000001', ['/a', '/b*'], 'ref-1')).toMatchObject({
      id: 'I9',
      status: 'InProgress',
      callerReference: 'ref'
    })
    expect(cf.commandCalls(CreateInvalidationCommand)[0].args[0].input).toEqual({
      DistributionId: 'E2CRM000000001',
      InvalidationBatch: { CallerReference: 'ref-1', Paths: { Quantity: 2, Items: ['/a', '/b*'] } }
    })
  })
})

describe('createInvalidation', () => {
  const gateway = () => new CloudFrontGateway(new CloudFrontClient({ region: 'us-east-1' }))

  it('waits out TooManyInvalidationsInProgress with growing delays, saying so', async () => {
    cf.on(CreateInvalidationCommand).rejectsOnce(busy()).rejectsOnce(busy()).resolves(inProgress('I7'))
    const clock = fakeClock()
    const result = await createInvalidation(gateway(), request, new Deadline(600_000, clock), () => 1)
    expect(result.id).toBe('I7')
    expect(clock.waits).toEqual([5_000, 10_000])
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(3)
    // The same CallerReference every time: a try that reached CloudFront is never duplicated.
    expect(
      new Set(
        cf
          .commandCalls(CreateInvalidationCommand)
          .map(c => c.args[0].input.InvalidationBatch?.CallerReference)
      )
    ).toEqual(new Set(['imbit-1-1-abc']))
    expect(logged()).toContain(
      'CloudFront is busy with other invalidations of E2CRM000000001 (TooManyInvalidationsInProgress'
    )
    expect(logged()).toContain('trying again in 5s (attempt 2, 10m left of the 10m timeout)')
  })

  it('gives up at the timeout with a plain explanation, having changed nothing', async () => {
    cf.on(CreateInvalidationCommand).rejects(busy())
    const clock = fakeClock()
    const error = (await caught(
      createInvalidation(gateway(), request, new Deadline(60_000, clock), () => 1)
    )) as UserError
    expect(error).toBeInstanceOf(UserError)
    expect(error.title).toBe('CloudFront busy')
    expect(error.message).toMatch(/^TooManyInvalidationsInProgress: Processing your request/)
    expect(error.message).toContain('still had too many invalidations in progress after waiting')
    expect(error.message).toContain('Nothing was invalidated by this step.')
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000)
  })

  it('explains NoSuchDistribution with the id and the fix', async () => {
    cf.on(CreateInvalidationCommand).rejects(
      new NoSuchDistribution({ message: 'The specified distribution does not exist.', ...meta })
    )
    const error = (await caught(
      createInvalidation(gateway(), request, new Deadline(60_000, fakeClock()))
    )) as UserError
    expect(error.input).toBe('distribution-id')
    expect(error.message).toContain('NoSuchDistribution: The specified distribution does not exist.')
    expect(error.message).toContain('"E2CRM000000001"')
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(1)
  })

  it('explains InvalidationBatchAlreadyExists', async () => {
    cf.on(CreateInvalidationCommand).rejects(
      new CloudFrontServiceException({
        // Not modelled by the SDK: it arrives as a generic service exception with this name.
        name: 'InvalidationBatchAlreadyExists',
        $fault: 'client',
        message: 'The specified caller reference already exists.',
        ...meta
      })
    )
    const error = (await caught(
      createInvalidation(gateway(), request, new Deadline(60_000, fakeClock()))
    )) as UserError
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain(
      'InvalidationBatchAlreadyExists: The specified caller reference already exists.'
    )
    expect(error.message).toContain('"imbit-1-1-abc" was already used on E2CRM000000001 with different paths')
    expect(error.message).toContain('Re-run the workflow')
  })

  it('fails fast on any other error, unchanged', async () => {
    const invalid = new InvalidArgument({
      message: 'Your request contains one or more invalid invalidation paths.',
      ...meta
    })
    cf.on(CreateInvalidationCommand).rejects(invalid)
    const clock = fakeClock()
    expect(await caught(createInvalidation(gateway(), request, new Deadline(60_000, clock)))).toBe(invalid)
    expect(clock.waits).toEqual([])
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(1)
  })
})

describe('waitForCompletion', () => {
  const gateway = () => new CloudFrontGateway(new CloudFrontClient({ region: 'us-east-1' }))
  const created = { id: 'I1', status: 'InProgress' }

  it('polls GetInvalidation with a growing interval until Completed', async () => {
    cf.on(GetInvalidationCommand).resolvesOnce(inProgress()).resolvesOnce(inProgress()).resolves(completed())
    const clock = fakeClock()
    const statuses: string[] = []
    const done = await waitForCompletion(
      gateway(),
      'E2CRM000000001',
      created,
      new Deadline(600_000, clock),
      s => statuses.push(s)
    )
    expect(done.status).toBe('Completed')
    expect(statuses).toEqual(['InProgress', 'InProgress', 'Completed'])
    expect(clock.waits).toEqual([pollDelay(1), pollDelay(2), pollDelay(3)])
    expect(clock.waits).toEqual([2000, 3000, 4500])
    expect(cf.commandCalls(GetInvalidationCommand)[0].args[0].input).toEqual({
      DistributionId: 'E2CRM000000001',
      Id: 'I1'
    })
  })

  it('does not poll what is already Completed', async () => {
    const done = await waitForCompletion(
      gateway(),
      'E2CRM000000001',
      { id: 'I1', status: 'Completed' },
      new Deadline(60_000, fakeClock())
    )
    expect(done.status).toBe('Completed')
    expect(cf.commandCalls(GetInvalidationCommand)).toHaveLength(0)
  })

  it('fails at the timeout saying it is still running, with its id and a console link', async () => {
    cf.on(GetInvalidationCommand).resolves(inProgress())
    const clock = fakeClock()
    const error = (await caught(
      waitForCompletion(gateway(), 'E2CRM000000001', created, new Deadline(30_000, clock))
    )) as InvalidationTimeoutError
    expect(error).toBeInstanceOf(InvalidationTimeoutError)
    expect(error.invalidation.status).toBe('InProgress')
    expect(error.message).toContain('Invalidation I1 on E2CRM000000001 is still InProgress after 30s')
    expect(error.message).toContain(
      'https://us-east-1.console.aws.amazon.com/cloudfront/v4/home?region=us-east-1#/distributions/E2CRM000000001/invalidations/details/I1'
    )
    expect(error.message).toContain('Raise `timeout`')
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBe(30_000)
  })

  it('interval stays between 2s and 20s', () => {
    expect(pollDelay(1)).toBe(2000)
    expect(pollDelay(100)).toBe(20_000)
  })
})
