/**
 * invalidate-cloudfront in process: run() against the sandbox's CloudFront on 127.0.0.1 through the real SDK
 * client, on a fake clock shared with the sandbox, so CloudFront's invalidation queue, the wait until
 * Completed, the timeout and a retried step run in milliseconds and the same way every time. The real
 * bundle's wiring is tested in test/e2e/invalidate-cloudfront.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { CloudFrontClient, ListInvalidationsCommand } from '@aws-sdk/client-cloudfront'
import { ConfiguredRetryStrategy } from '@smithy/core/retry'
import { awsClientConfig } from '../../src/common/aws.js'
import { CloudFrontGateway, CLOUDFRONT_REGION } from '../../src/invalidate-cloudfront/cloudfront.js'
import { CRM, scenario } from '../helpers/invalidate-cloudfront-fixtures.js'
import { fakeClock } from '../helpers/fakes.js'
import {
  type BundleRun,
  errorText,
  loadAction,
  runInProcess,
  type Sandbox,
  type SandboxScenario,
  startSandbox
} from '../../sandbox/index.js'

beforeAll(() => loadAction('invalidate-cloudfront'), 60_000)

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

/** The clock of the current test: the sandbox's time and the action's. */
let clock = fakeClock()

async function start(s: SandboxScenario): Promise<Sandbox> {
  clock = fakeClock()
  sandbox = await startSandbox(s, { silent: true, now: clock.now })
  return sandbox
}

/**
 * The product's client (awsClientConfig, CloudFront's region) pointed at the sandbox, with one change: the
 * SDK's own retries do not wait (its real-time backoff and adaptive rate limiter are the SDK's; what is
 * tested is our code under the faults).
 */
function gateway(sb: Sandbox): CloudFrontGateway {
  return new CloudFrontGateway(
    new CloudFrontClient({
      ...awsClientConfig(CLOUDFRONT_REGION),
      endpoint: sb.url,
      retryStrategy: new ConfiguredRetryStrategy(8, () => 0)
    })
  )
}

function invalidate(
  sb: Sandbox,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): Promise<BundleRun> {
  return runInProcess('invalidate-cloudfront', {
    clock,
    deps: { gateway: gateway(sb) },
    inputs,
    env: { ...sb.env, ...env }
  })
}

/** The ids of the distribution's invalidations, as CloudFront (the sandbox) lists them. */
async function invalidationIds(sb: Sandbox, distributionId: string): Promise<string[]> {
  const client = new CloudFrontClient({
    region: 'us-east-1',
    endpoint: sb.url,
    credentials: { accessKeyId: sb.env.AWS_ACCESS_KEY_ID, secretAccessKey: sb.env.AWS_SECRET_ACCESS_KEY }
  })
  const out = await client.send(new ListInvalidationsCommand({ DistributionId: distributionId }))
  client.destroy()
  return (out.InvalidationList?.Items ?? []).map(i => i.Id ?? '')
}

function expectSuccess(run: BundleRun): void {
  expect({ code: run.code, errors: errorText(run) }).toEqual({ code: 0, errors: '' })
}

describe('invalidate-cloudfront in process (sandbox, fake clock)', () => {
  it('waits until the invalidation is Completed, then reports it', async () => {
    // the wiring and the request are checked on the real bundle (test/e2e); here, the wait on the fake clock
    const sb = await start(scenario('by-id'))
    const run = await invalidate(sb, { 'distribution-id': CRM.id, paths: '/index.html' })
    expectSuccess(run)
    expect(sb.calls('CreateInvalidation')).toHaveLength(1)
    expect(sb.calls('GetInvalidation').length).toBeGreaterThanOrEqual(1)
    expect(run.outputs.status).toBe('Completed')
    expect(run.summary).toContain('Completed in')
  })

  it('finds the distribution by domain through every page of ListDistributions', async () => {
    // More distributions than one page holds: the one asked for is the very last.
    const filler = Array.from({ length: 230 }, (_, i) => ({
      id: `E9FILL${String(i).padStart(8, '0')}`,
      domainName: `d${i}fill.cloudfront.net`,
      aliases: [`app${i}.example.org`]
    }))
    const sb = await start(
      scenario('by-domain-paged', { distributions: [...filler, { ...CRM, invalidationMs: 1000 }] })
    )
    const run = await invalidate(sb, { domain: 'WWW.BrillianCRM.com', wait: 'false' })
    expectSuccess(run)
    const lists = sb.calls('ListDistributions')
    expect(lists.length).toBeGreaterThan(1)
    expect(run.outputs['distribution-id']).toBe(CRM.id)
    expect(run.outputs.status).toBe('InProgress')
    expect(sb.calls('CreateInvalidation')).toHaveLength(1)
    expect(JSON.stringify(sb.calls('CreateInvalidation')[0].params)).toContain(CRM.id)
    expect(sb.calls('GetInvalidation')).toHaveLength(0)
  })

  it('an unknown domain lists the distributions and suggests the closest, changing nothing', async () => {
    const sb = await start(scenario('unknown-domain'))
    const run = await invalidate(sb, { domain: 'brillianquiz.com' })
    expect(run.code).toBe(1)
    const message = errorText(run)
    expect(message).toContain('no CloudFront distribution of this account has it as an alternate domain name')
    expect(message).toContain('Did you mean "www.brillianquiz.com" (E2QUIZ00000003)?')
    expect(message).toContain('E2CRM000000001: brilliancrm.com, www.brilliancrm.com')
    expect(sb.mutatingCalls()).toHaveLength(0)
  })

  it('a retried step gets the same invalidation back; a re-run attempt makes a new one', async () => {
    const sb = await start(scenario('idempotent-retry'))
    const env = { GITHUB_RUN_ID: '777', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'deploy', GITHUB_ACTION: 'cdn' }
    const inputs = { domain: 'brilliancrm.com', paths: '/*', wait: 'false' }
    const first = await invalidate(sb, inputs, env)
    // The retry starts well after the first try's invalidation was created (beyond the clock-skew allowance).
    clock.t += 6_000
    const retried = await invalidate(sb, inputs, env)
    expectSuccess(first)
    expectSuccess(retried)
    expect(retried.outputs['invalidation-id']).toBe(first.outputs['invalidation-id'])
    expect(first.stdout).not.toContain('earlier try')
    expect(retried.stdout).toContain('by an earlier try of this step: no second invalidation was made')
    expect(retried.summary).toContain('(reused: made by an earlier try of this step)')
    const references = sb
      .calls('CreateInvalidation')
      .map(c => JSON.stringify(c.params).match(/imbit-777-1-[0-9a-f]+/)?.[0])
    expect(references).toHaveLength(2)
    expect(references[0]).toBeDefined()
    expect(references[1]).toBe(references[0])

    expect(await invalidationIds(sb, CRM.id)).toEqual([first.outputs['invalidation-id']])

    const rerun = await invalidate(sb, inputs, { ...env, GITHUB_RUN_ATTEMPT: '2' })
    expectSuccess(rerun)
    expect(rerun.outputs['invalidation-id']).not.toBe(first.outputs['invalidation-id'])
    expect((await invalidationIds(sb, CRM.id)).sort()).toEqual(
      [first.outputs['invalidation-id'], rerun.outputs['invalidation-id']].sort()
    )
  })

  it('waits out TooManyInvalidationsInProgress, then succeeds', async () => {
    const sb = await start(scenario('too-many', { distributions: [{ ...CRM, invalidationMs: 4000 }] }))
    // Fill the distribution's wildcard allowance with 15 running wildcard invalidations (another deploy).
    const wildcards = Array.from({ length: 15 }, (_, i) => `/dir-${i}/*`).join('\n')
    const other = await invalidate(
      sb,
      { 'distribution-id': CRM.id, paths: wildcards, wait: 'false' },
      { GITHUB_RUN_ID: '1' }
    )
    expectSuccess(other)
    const run = await invalidate(
      sb,
      { 'distribution-id': CRM.id, paths: '/*', timeout: '1m' },
      { GITHUB_RUN_ID: '2' }
    )
    expectSuccess(run)
    expect(run.stdout).toContain(
      'CloudFront is busy with other invalidations of E2CRM000000001 (TooManyInvalidationsInProgress'
    )
    expect(
      sb.requests.some(
        r => r.operation === 'CreateInvalidation' && r.errorCode === 'TooManyInvalidationsInProgress'
      )
    ).toBe(true)
    expect(run.outputs.status).toBe('Completed')
  })

  it('fails at the timeout saying the invalidation is still running, with its id, outputs set', async () => {
    const sb = await start(scenario('wait-timeout', { distributions: [{ ...CRM, invalidationMs: 600_000 }] }))
    const run = await invalidate(sb, { 'distribution-id': CRM.id, timeout: '3s' })
    expect(run.code).toBe(1)
    const id = run.outputs['invalidation-id']
    expect(id).toMatch(/^I[A-Z0-9]+$/)
    expect(run.outputs.status).toBe('InProgress')
    const message = errorText(run)
    expect(message).toContain(`Invalidation ${id} on E2CRM000000001 is still InProgress after`)
    expect(message).toContain(`/invalidations/details/${id}`)
    expect(run.annotations.find(a => a.level === 'error')?.title).toBe('Invalidation still running')
    expect(run.durationMs).toBeLessThan(30_000)
  })

  it('NoSuchDistribution fails fast with CloudFront’s code and message', async () => {
    const sb = await start(scenario('no-such-distribution'))
    const run = await invalidate(sb, { 'distribution-id': 'E2NOPE00000009' })
    expect(run.code).toBe(1)
    expect(errorText(run)).toContain('NoSuchDistribution')
    expect(errorText(run)).toContain('"E2NOPE00000009"')
    expect(errorText(run)).toContain('E2CRM000000001: brilliancrm.com, www.brilliancrm.com')
    expect(sb.mutatingCalls()).toHaveLength(0)
    expect(sb.requests.filter(r => r.operation === 'CreateInvalidation')).toHaveLength(1)
  })

  it('rides out throttling', async () => {
    const sb = await start(
      scenario('throttled', {
        faults: {
          throttleFirst: 3,
          operations: ['ListDistributions', 'CreateInvalidation', 'GetInvalidation']
        }
      })
    )
    const run = await invalidate(sb, { domain: 'brilliancrm.com' })
    expectSuccess(run)
    expect(sb.requests.filter(r => r.fault === 'throttle')).toHaveLength(3)
    expect(sb.calls('CreateInvalidation')).toHaveLength(1)
    expect(run.outputs.status).toBe('Completed')
  })
})

describe('invalidate-cloudfront in process (sandbox): bad input', () => {
  let shared: Sandbox | undefined
  beforeAll(async () => {
    shared = await startSandbox(scenario('bad-input'), { silent: true, now: clock.now })
  })
  afterAll(async () => {
    await shared?.close()
  })

  it.each([
    ['neither id nor domain', {}, "Neither 'distribution-id' nor 'domain'"],
    ['both id and domain', { 'distribution-id': CRM.id, domain: 'brilliancrm.com' }, 'both set'],
    ['a non-CloudFront id', { 'distribution-id': 'brilliancrm' }, "Input 'distribution-id'"],
    ['a path without /', { 'distribution-id': CRM.id, paths: 'index.html' }, 'must start with "/"'],
    [
      '* inside a path',
      { 'distribution-id': CRM.id, paths: '/img/*.png' },
      '"*" may only be the last character'
    ],
    [
      'more than 15 wildcards',
      { 'distribution-id': CRM.id, paths: Array.from({ length: 16 }, (_, i) => `/d${i}/*`).join(',') },
      '16 wildcard paths'
    ],
    [
      'more than 3,000 paths',
      { 'distribution-id': CRM.id, paths: Array.from({ length: 3001 }, (_, i) => `/f${i}`).join('\n') },
      '3,001 distinct paths'
    ],
    ['a bad timeout', { 'distribution-id': CRM.id, timeout: 'ten minutes' }, "Input 'timeout'"],
    ['a bad boolean', { 'distribution-id': CRM.id, wait: 'yes' }, "Input 'wait'"]
  ])('bad input (%s): a clear error and no call reaches AWS', async (_name, inputs, expected) => {
    const sb = shared as Sandbox
    const before = sb.requests.length
    const run = await invalidate(sb, inputs)
    expect(run.code).toBe(1)
    expect(run.annotations.filter(a => a.level === 'error')).toHaveLength(1)
    expect(errorText(run)).toContain(expected)
    expect(sb.requests.slice(before)).toEqual([])
  })
})
