/**
 * invalidate-cloudfront end to end: the real bundle (dist/invalidate-cloudfront/index.js) run as the runner
 * runs it, against the AWS sandbox's CloudFront on 127.0.0.1, reached through AWS_ENDPOINT_URL like any AWS SDK
 * endpoint override. This layer proves the wiring: inputs, outputs, summary, annotations, exit codes. Every
 * other scenario (the wait, the queue, the timeout, a retried step) runs in process on a fake clock:
 * test/scenarios/invalidate-cloudfront.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CRM, scenario } from '../helpers/invalidate-cloudfront-fixtures.js'
import { summaryFaults } from '../helpers/summary-lint.js'
import {
  type BundleRun,
  errorText,
  runBundle,
  type Sandbox,
  type SandboxScenario,
  startSandbox
} from '../../sandbox/index.js'

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

async function start(s: SandboxScenario): Promise<Sandbox> {
  sandbox = await startSandbox(s, { silent: true })
  return sandbox
}

function invalidate(
  sb: Sandbox,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): Promise<BundleRun> {
  return runBundle('invalidate-cloudfront', { inputs, env: { ...sb.env, ...env } })
}

function expectSuccess(run: BundleRun): void {
  expect({ code: run.code, errors: errorText(run) }).toEqual({ code: 0, errors: '' })
}

describe('invalidate-cloudfront e2e (the real bundle)', () => {
  it('invalidates by id and reports: outputs, summary, exit 0, signed for us-east-1', async () => {
    // CloudFront completes at once here: the wait is tested in process.
    const sb = await start(scenario('by-id', { distributions: [{ ...CRM, invalidationMs: 0 }] }))
    const run = await invalidate(sb, {
      'distribution-id': CRM.id,
      paths: '/index.html\n/app/*, /app/main.js\n/Über uns.html'
    })
    expect({ code: run.code, errors: errorText(run) }).toEqual({ code: 0, errors: '' })
    const creates = sb.calls('CreateInvalidation')
    expect(creates).toHaveLength(1)
    const sent = JSON.stringify(creates[0].params)
    expect(sent).toContain('/%C3%9Cber%20uns.html')
    expect(sent).not.toContain('/app/main.js')
    expect(sent).toContain('/index.html')
    expect(sent).toContain('/app/*')
    expect(sent).toContain('imbit-1000-1-')
    expect(sb.calls('ListDistributions')).toHaveLength(0)
    // CloudFront's API is global: signed for us-east-1 whatever AWS_REGION (eu-central-1 here) says
    expect(sb.env.AWS_REGION).toBe('eu-central-1')
    expect(new Set(sb.requests.filter(r => r.service === 'cloudfront').map(r => r.region))).toEqual(
      new Set(['us-east-1'])
    )
    expect(run.outputs['distribution-id']).toBe(CRM.id)
    expect(run.outputs.status).toBe('Completed')
    expect(run.outputs['invalidation-id']).toMatch(/^I[A-Z0-9]+$/)
    expect(run.summary).toContain(
      'Invalidated `/index.html`, `/app/*`, `/%C3%9Cber%20uns.html` on E2CRM000000001'
    )
    expect(run.summary).toContain('Completed in')
    expect(run.stdout).toContain('Left out /app/main.js: already covered by /app/*')
  })

  it('an unknown domain: exit 1, the distributions and the closest in the annotation, nothing changed', async () => {
    const sb = await start(scenario('unknown-domain'))
    const run = await invalidate(sb, { domain: 'brillianquiz.com' })
    expect(run.code).toBe(1)
    const message = errorText(run)
    expect(message).toContain('no CloudFront distribution of this account has it as an alternate domain name')
    expect(message).toContain('Did you mean "www.brillianquiz.com" (E2QUIZ00000003)?')
    expect(sb.mutatingCalls()).toHaveLength(0)
  })

  it('bad input: one clear error and no call reaches AWS', async () => {
    const sb = await start(scenario('bad-input'))
    const run = await invalidate(sb, { 'distribution-id': CRM.id, paths: '/img/*.png' })
    expect(run.code).toBe(1)
    expect(run.annotations.filter(a => a.level === 'error')).toHaveLength(1)
    expect(errorText(run)).toContain('"*" may only be the last character')
    expect(sb.requests).toEqual([])
  })

  it('an unexpected error (a bug of ours) shows a stack that points at src/, through the source map', async () => {
    // A CloudFront that accepts the invalidation but answers without an id: our code calls that a bug.
    const server = createServer((req, res) => {
      req.resume()
      res.writeHead(201, { 'content-type': 'text/xml' })
      res.end(
        '<?xml version="1.0"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"></Invalidation>'
      )
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const run = await runBundle('invalidate-cloudfront', {
        inputs: { 'distribution-id': CRM.id, wait: 'false' },
        // the stack is in the debug log, which the runner shows when its debug logging is on
        env: {
          AWS_ENDPOINT_URL: url,
          AWS_ACCESS_KEY_ID: 'AKIDTEST',
          AWS_SECRET_ACCESS_KEY: 'test',
          RUNNER_DEBUG: '1'
        }
      })
      expect(run.code).toBe(1)
      expect(run.annotations.find(a => a.level === 'error')?.title).toBe('Unexpected error')
      const stack = run.stdout.split('\n').filter(line => line.startsWith('::debug::') && /\bat /.test(line))
      expect(stack.join('\n')).toMatch(/src\/invalidate-cloudfront\/cloudfront\.ts:\d+/)
      // without the runner's debug logging (a run by hand), no debug line at all: the error is in view
      const quiet = await runBundle('invalidate-cloudfront', {
        inputs: { 'distribution-id': CRM.id, wait: 'false' },
        env: { AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test' }
      })
      expect(quiet.code).toBe(1)
      expect(quiet.stdout).not.toContain('::debug::')
      expect(quiet.annotations.find(a => a.level === 'error')?.title).toBe('Unexpected error')
    } finally {
      await new Promise(resolve => server.close(resolve))
    }
  })
})

describe('invalidate-cloudfront (e2e, sandbox): trust at the moment of failure (issue 9)', () => {
  it('NoSuchDistribution: outputs and a job summary with the reason, from the one exit report', async () => {
    const sb = await start(scenario('report-on-failure'))
    const run = await invalidate(sb, { 'distribution-id': 'E2NOPE00000009' })
    expect(run.code).toBe(1)
    expect(run.outputs).toEqual({
      'invalidation-id': '',
      'distribution-id': 'E2NOPE00000009',
      status: 'not-created'
    })
    expect(run.summary).toContain('Nothing was invalidated on E2NOPE00000009: no invalidation was created.')
    expect(run.summary).toMatch(/\*\*Why\*\*\n\nNoSuchDistribution: /)
    expect(summaryFaults(run.summary)).toEqual([])
  })

  it('a malformed GetInvalidation body while waiting is retried, not a failure', async () => {
    const sb = await start(
      scenario('malformed', { faults: { malformed: { operations: ['GetInvalidation'], count: 2 } } })
    )
    const run = await invalidate(sb, { 'distribution-id': CRM.id })
    expectSuccess(run)
    expect(sb.requests.filter(r => r.fault === 'malformed')).toHaveLength(2)
    expect(run.stdout).not.toContain('::error')
    expect(run.outputs.status).toBe('Completed')
  })

  it('AccessDenied echoing the request: the session token is masked and scrubbed, the permission named', async () => {
    const token = 'IQoJb3JpZ2luX2VjEJr-cloudfront-session-token-42'
    const sb = await start(
      scenario('echo', { faults: { echoRequest: { operations: ['CreateInvalidation'] } } })
    )
    const run = await invalidate(sb, { 'distribution-id': CRM.id }, { AWS_SESSION_TOKEN: token })
    expect(run.code).toBe(1)
    const lines = run.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    expect(lines.join('\n')).not.toContain(token)
    expect(run.stdout).toContain(`::add-mask::${token}`)
    expect(run.summary).not.toContain(token)
    expect(errorText(run)).toContain('cloudfront:CreateInvalidation')
    expect(run.outputs.status).toBe('not-created')
  })
})
