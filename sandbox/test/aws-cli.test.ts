/**
 * The real AWS CLI's waiters against the sandbox, as the act recipe and a user's shell use them:
 * `aws elasticbeanstalk wait environment-updated --version-label …` and `aws cloudfront wait
 * invalidation-completed`. The sandbox runs on a hand-driven clock, so each waiter's first poll already
 * sees the end state and returns at once (the CLI's own delay between polls is 20 s).
 *
 * Where no `aws` is installed this file is reported as skipped, with the reason in the test's name; in CI
 * (CI=true, Debian's awscli installed by .ci/run) it always runs, and a missing CLI fails it.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { Sandbox, SandboxScenario } from '../index.js'
import { Clock, sandboxesClosedAfterEach } from './clients.js'

// Debian's awscli (the real AWS CLI v2) first: an `aws` earlier on PATH may be a v1 shim.
const found = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' })
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : found.status === 0 ? found.stdout.trim() : undefined
const mustRun = process.env.CI === 'true'
const cliTest = AWS || mustRun ? it : it.skip
const missing = AWS ? '' : ' (SKIPPED: no aws CLI on PATH; install it, e.g. apt-get install awscli)'
if (!AWS && !mustRun) {
  console.warn(
    'sandbox/test/aws-cli.test.ts: the AWS CLI waiter tests are skipped: no `aws` on PATH (apt-get install awscli).'
  )
}

const sandbox = sandboxesClosedAfterEach()

/** Runs the CLI in a child process (asynchronously: the sandbox answers from this process). */
async function aws(
  box: Sandbox,
  region: string,
  args: string[]
): Promise<{ status: number | null; out: string }> {
  if (!AWS)
    throw new Error('the aws CLI is not installed (CI installs Debian awscli): apt-get install awscli')
  const child = spawn(AWS, [...args, '--endpoint-url', box.url, '--region', region, '--output', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: box.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: box.env.AWS_SECRET_ACCESS_KEY,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: ''
    }
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', code => resolve(code))
  })
  return { status, out }
}

const SCENARIO: SandboxScenario = {
  name: 'aws-cli',
  applications: [
    {
      name: 'BrillianCRM',
      versions: [{ label: 'v0-initial' }, { label: 'v1' }],
      environments: [
        {
          name: 'BrillianCRM-env',
          versionLabel: 'v0-initial',
          update: { durationMs: 3000, outcome: 'healthy' }
        }
      ]
    }
  ],
  distributions: [{ id: 'E2CRM000000001', aliases: ['brilliancrm.com'], invalidationMs: 2000 }]
}

describe(`the AWS CLI against the sandbox${missing}`, () => {
  cliTest(
    'aws elasticbeanstalk wait environment-updated --version-label succeeds once the update ended',
    async () => {
      const clock = new Clock()
      const box = await sandbox(SCENARIO, clock)
      const env = ['--application-name', 'BrillianCRM', '--environment-names', 'BrillianCRM-env']
      const update = await aws(box, 'eu-central-1', [
        'elasticbeanstalk',
        'update-environment',
        '--environment-name',
        'BrillianCRM-env',
        '--version-label',
        'v1'
      ])
      expect(update).toEqual({ status: 0, out: expect.stringContaining('"Status": "Updating"') })
      const during = await aws(box, 'eu-central-1', [
        'elasticbeanstalk',
        'describe-environments',
        ...env,
        '--version-label',
        'v1'
      ])
      expect(JSON.parse(during.out)).toEqual({ Environments: [] })

      clock.advance(3000)
      const wait = await aws(box, 'eu-central-1', [
        'elasticbeanstalk',
        'wait',
        'environment-updated',
        ...env,
        '--version-label',
        'v1'
      ])
      expect(wait).toEqual({ status: 0, out: '' })
      expect(box.environment('BrillianCRM-env')).toMatchObject({ status: 'Ready', versionLabel: 'v1' })
    }
  )

  cliTest('aws cloudfront wait invalidation-completed succeeds once the invalidation completed', async () => {
    const clock = new Clock()
    const box = await sandbox(SCENARIO, clock)
    const created = await aws(box, 'us-east-1', [
      'cloudfront',
      'create-invalidation',
      '--distribution-id',
      'E2CRM000000001',
      '--paths',
      '/*'
    ])
    expect(created.status).toBe(0)
    const id = (JSON.parse(created.out) as { Invalidation: { Id: string; Status: string } }).Invalidation
    expect(id.Status).toBe('InProgress')

    clock.advance(2000)
    const wait = await aws(box, 'us-east-1', [
      'cloudfront',
      'wait',
      'invalidation-completed',
      '--distribution-id',
      'E2CRM000000001',
      '--id',
      id.Id
    ])
    expect(wait).toEqual({ status: 0, out: '' })
  })
})
