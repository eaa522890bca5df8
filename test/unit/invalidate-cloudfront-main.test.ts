/**
 * The whole story in process (run() with a mocked CloudFront client and a fake clock): inputs → distribution
 * → plan → invalidate → wait → outputs and summary. The same paths run for real in the e2e tests.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { fakeClock } from '../helpers/fakes.js'
import {
  AccessDenied,
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  ListDistributionsCommand,
  NoSuchDistribution
} from '@aws-sdk/client-cloudfront'
import { mockClient } from 'aws-sdk-client-mock'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { outputWrites, parseAnnotations, parseOutputFile } from '../../sandbox/index.js'
import { runAction } from '../../src/common/run.js'
import { CloudFrontGateway } from '../../src/invalidate-cloudfront/cloudfront.js'
import { invalidateCloudFront, type Dependencies } from '../../src/invalidate-cloudfront/main.js'

const invalidation = (status: string) => ({
  Invalidation: {
    Id: 'I2J0I21PCUYOIK',
    Status: status,
    CreateTime: new Date(1_700_000_000_000),
    InvalidationBatch: { CallerReference: 'x', Paths: { Quantity: 1, Items: ['/*'] } }
  }
})

const cf = mockClient(CloudFrontClient)
const saved = { ...process.env }
let dir: string
let stdout: jest.SpiedFunction<typeof process.stdout.write>

beforeEach(() => {
  cf.reset()
  dir = mkdtempSync(join(tmpdir(), 'icf-main-'))
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name]
  process.env.GITHUB_OUTPUT = join(dir, 'output')
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
  writeFileSync(process.env.GITHUB_OUTPUT, '')
  writeFileSync(process.env.GITHUB_STEP_SUMMARY, '')
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(() => {
  stdout.mockRestore()
  process.exitCode = undefined
  rmSync(dir, { recursive: true, force: true })
  process.env = { ...saved }
})

function inputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.toUpperCase()}`] = value
}
const outputs = () => parseOutputFile(readFileSync(join(dir, 'output'), 'utf8'))
const summary = () => readFileSync(join(dir, 'summary'), 'utf8')
const log = () => stdout.mock.calls.map(call => String(call[0])).join('')
/** The run's ::error annotations (runAction turns a failure into one, and exit code 1). */
const failures = () => parseAnnotations(log()).filter(a => a.level === 'error')
const run = (given: Partial<Dependencies>) => runAction(invalidateCloudFront(given))
const deps = () => ({
  gateway: new CloudFrontGateway(new CloudFrontClient({ region: 'us-east-1' })),
  clock: fakeClock(),
  env: { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'deploy', GITHUB_ACTION: 'cdn' }
})

describe('run', () => {
  it('finds the distribution by domain, invalidates, waits, and reports', async () => {
    cf.on(ListDistributionsCommand)
      .resolvesOnce({
        DistributionList: {
          Marker: '',
          MaxItems: 1,
          IsTruncated: true,
          NextMarker: 'm2',
          Quantity: 1,
          Items: [
            {
              Id: 'E2ICM000000002',
              DomainName: 'd2.cloudfront.net',
              Aliases: { Quantity: 1, Items: ['brillianicm.com'] }
            }
          ]
        }
      } as never)
      .resolvesOnce({
        DistributionList: {
          Marker: 'm2',
          MaxItems: 1,
          IsTruncated: false,
          Quantity: 1,
          Items: [
            {
              Id: 'E2CRM000000001',
              DomainName: 'd1.cloudfront.net',
              Aliases: { Quantity: 2, Items: ['brilliancrm.com', 'www.brilliancrm.com'] }
            }
          ]
        }
      } as never)
    cf.on(CreateInvalidationCommand).resolves(invalidation('InProgress'))
    cf.on(GetInvalidationCommand).resolvesOnce(invalidation('InProgress')).resolves(invalidation('Completed'))
    inputs({ domain: 'WWW.BrillianCRM.com', paths: '/index.html, /app/*\n/app/main.js' })

    await run(deps())

    const create = cf.commandCalls(CreateInvalidationCommand)
    expect(create).toHaveLength(1)
    expect(create[0].args[0].input.DistributionId).toBe('E2CRM000000001')
    expect(create[0].args[0].input.InvalidationBatch?.Paths).toEqual({
      Quantity: 2,
      Items: ['/index.html', '/app/*']
    })
    expect(create[0].args[0].input.InvalidationBatch?.CallerReference).toMatch(/^imbit-42-1-[0-9a-f]{20}$/)
    expect(outputs()).toEqual({
      'invalidation-id': 'I2J0I21PCUYOIK',
      'distribution-id': 'E2CRM000000001',
      status: 'Completed'
    })
    expect(summary()).toContain(
      'Invalidated `/index.html`, `/app/*` on E2CRM000000001 (www.brilliancrm.com): Completed in'
    )
    expect(log()).toContain('Left out /app/main.js: already covered by /app/*')
  })

  it('makes no AWS call at all on bad input', async () => {
    inputs({ 'distribution-id': 'E2CRM000000001', paths: '/*.html' })
    await run(deps())
    expect(failures()).toEqual([expect.objectContaining({ title: "Input 'paths'" })])
    inputs({ 'distribution-id': 'E2CRM000000001', paths: '/*', wait: 'maybe' })
    await run(deps())
    expect(failures()[1].message).toContain("Input 'wait'")
    expect(process.exitCode).toBe(1)
    expect(cf.calls()).toHaveLength(0)
    // refused inputs: their error is the whole report
    expect(outputs()).toEqual({})
    expect(summary()).toBe('')
  })

  it('on NoSuchDistribution lists the distributions, when it may', async () => {
    const meta = { $metadata: { httpStatusCode: 404 } }
    cf.on(CreateInvalidationCommand).rejects(
      new NoSuchDistribution({ message: 'The specified distribution does not exist.', ...meta })
    )
    cf.on(ListDistributionsCommand).resolves({
      DistributionList: {
        Marker: '',
        MaxItems: 100,
        IsTruncated: false,
        Quantity: 1,
        Items: [
          {
            Id: 'E2CRM000000001',
            DomainName: 'd1.cloudfront.net',
            Aliases: { Quantity: 1, Items: ['brilliancrm.com'] }
          }
        ]
      }
    } as never)
    inputs({ 'distribution-id': 'E2CRM000000002' })
    await run(deps())
    const [error] = failures()
    expect(error.title).toBe('AWS error NoSuchDistribution')
    expect(error.message).toContain('NoSuchDistribution: The specified distribution does not exist.')
    expect(error.message).toContain('Did you mean "E2CRM000000001"?')
    expect(error.message).toContain('E2CRM000000001: brilliancrm.com (d1.cloudfront.net)')

    // Without cloudfront:ListDistributions the original message stands.
    cf.on(ListDistributionsCommand).rejects(new AccessDenied({ message: 'not authorized', ...meta }))
    await run(deps())
    expect(failures()[1].message).toMatch(
      /^NoSuchDistribution: .*give `domain` instead to look it up by its alternate domain name\.$/
    )
  })

  it('with wait: false returns InProgress without polling', async () => {
    cf.on(CreateInvalidationCommand).resolves(invalidation('InProgress'))
    inputs({ 'distribution-id': 'E2CRM000000001', wait: 'false' })
    await run(deps())
    expect(cf.commandCalls(GetInvalidationCommand)).toHaveLength(0)
    expect(outputs().status).toBe('InProgress')
    expect(summary()).toContain('InProgress (not waited for')
  })

  it('at the timeout fails, but still sets the outputs and the summary', async () => {
    cf.on(CreateInvalidationCommand).resolves(invalidation('InProgress'))
    cf.on(GetInvalidationCommand).resolves(invalidation('InProgress'))
    inputs({ 'distribution-id': 'E2CRM000000001', timeout: '1m' })
    await run(deps())
    expect(failures()).toEqual([expect.objectContaining({ title: 'Invalidation still running' })])
    expect(outputs()).toEqual({
      'invalidation-id': 'I2J0I21PCUYOIK',
      'distribution-id': 'E2CRM000000001',
      status: 'InProgress'
    })
    expect(summary()).toContain('still InProgress when the step stopped waiting, after 1m')
  })

  it('says when CloudFront hands back the invalidation an earlier try of this step made', async () => {
    const old = invalidation('Completed')
    old.Invalidation.CreateTime = new Date(1_700_000_000_000 - 5 * 60_000)
    cf.on(CreateInvalidationCommand).resolves(old)
    inputs({ 'distribution-id': 'E2CRM000000001' })
    await run(deps())
    expect(log()).toContain('by an earlier try of this step: no second invalidation was made')
    expect(cf.commandCalls(GetInvalidationCommand)).toHaveLength(0)
    expect(summary()).toContain('(reused: made by an earlier try of this step)')
  })

  it('an unexpected throw in the middle of the wait still writes every output and the summary, once', async () => {
    cf.on(CreateInvalidationCommand).resolves(invalidation('InProgress'))
    cf.on(GetInvalidationCommand).resolves(invalidation('InProgress'))
    inputs({ 'distribution-id': 'E2CRM000000001' })
    const clock = fakeClock()
    // a bug of ours in the middle of the wait: the clock breaks on its second sleep
    let sleeps = 0
    const broken = {
      now: clock.now,
      sleep: async (ms: number) => {
        if (++sleeps === 2) throw new Error('boom')
        await clock.sleep(ms)
      }
    }
    await run({ ...deps(), clock: broken })
    expect(process.exitCode).toBe(1)
    expect(cf.commandCalls(GetInvalidationCommand)).toHaveLength(1)
    expect(outputWrites(readFileSync(join(dir, 'output'), 'utf8'))).toEqual([
      ['invalidation-id', 'I2J0I21PCUYOIK'],
      ['distribution-id', 'E2CRM000000001'],
      ['status', 'InProgress']
    ])
    expect(summary().match(/### ❌ CloudFront invalidation/g)).toHaveLength(1)
    expect(summary()).toContain('**Why**\n\nUnexpected error: boom')
    expect(failures()).toEqual([expect.objectContaining({ message: expect.stringContaining('boom') })])
  })
})
