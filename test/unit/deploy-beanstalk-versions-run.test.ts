/**
 * keep-versions through the whole story, in process: the action against the sandbox (started in-process) on a fake
 * clock that the sandbox follows too, so a followed deploy (wait: true) takes no real time. Pruning happens
 * only after the update succeeded; a failed deploy deletes nothing.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { S3Client } from '@aws-sdk/client-s3'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fakeClock } from '../helpers/fakes.js'
import {
  ROOT,
  parseOutputFile,
  startSandbox,
  type Sandbox,
  type SandboxScenario,
  type UpdateScript
} from '../../sandbox/index.js'

const { deployBeanstalk } = await import('../../src/deploy-beanstalk/main.js')
const { BeanstalkGateway } = await import('../../src/deploy-beanstalk/aws/beanstalk.js')
const { StorageGateway } = await import('../../src/deploy-beanstalk/aws/s3.js')

const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const LABELS = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6']
const saved = { ...process.env }
let dir: string
let box: Sandbox | undefined
let stdout: jest.SpiedFunction<typeof process.stdout.write>

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-versions-run-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), join(dir, 'ws'), { recursive: true })
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name]
  Object.assign(process.env, {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_WORKSPACE: join(dir, 'ws'),
    RUNNER_TEMP: dir,
    GITHUB_SHA: 'abcdef0123456789abcdef0123456789abcdef01',
    GITHUB_REPOSITORY: 'imbit/brilliancrm',
    AWS_REGION: 'eu-central-1',
    'INPUT_APPLICATION-NAME': APP,
    'INPUT_ENVIRONMENT-NAME': ENV,
    INPUT_IMAGE: 'ghcr.io/imbit/demo-app:abc',
    'INPUT_KEEP-VERSIONS': '3'
  })
  writeFileSync(join(dir, 'output'), '')
  writeFileSync(join(dir, 'summary'), '')
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(async () => {
  stdout.mockRestore()
  await box?.close()
  box = undefined
  rmSync(dir, { recursive: true, force: true })
  process.env = { ...saved }
})

/** v1 … v6 (v1 oldest); the target runs v6, staging v1. */
function scenario(update: UpdateScript): SandboxScenario {
  return {
    name: 'versions in process',
    applications: [
      {
        name: APP,
        versions: LABELS.map(label => ({ label })),
        environments: [
          { name: ENV, versionLabel: 'v6', update },
          { name: 'BrillianCRM-staging', versionLabel: 'v1' }
        ]
      }
    ]
  }
}

async function runIn(spec: SandboxScenario) {
  const clock = fakeClock(Date.now())
  box = await startSandbox(spec, { silent: true, now: clock.now })
  const sandbox = box
  const credentials = {
    accessKeyId: sandbox.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: sandbox.env.AWS_SECRET_ACCESS_KEY
  }
  const action = deployBeanstalk({
    clock,
    env: process.env,
    gatewayFor: region =>
      new BeanstalkGateway(
        region,
        new ElasticBeanstalkClient({ region, credentials, endpoint: sandbox.url }),
        clock
      ),
    storageFor: region =>
      new StorageGateway(region, {
        client: new S3Client({ region, credentials, endpoint: sandbox.s3Url, forcePathStyle: true }),
        clock
      })
  })
  // the story and its one report, as runAction runs them (the error kept for the test, not annotated)
  const run = action.record()
  const error = await action.main(run).then(
    () => undefined,
    (e: unknown) => e as Error
  )
  await action.report(run, error)
  const outputs = parseOutputFile(readFileSync(join(dir, 'output'), 'utf8'))
  return { error, outputs, box: sandbox }
}

const remaining = (sandbox: Sandbox) => LABELS.filter(label => sandbox.version(APP, label) !== undefined)

describe('keep-versions in the whole story (wait: true)', () => {
  it('deletes only after the update is followed to success', async () => {
    const { error, outputs, box: sandbox } = await runIn(scenario({ durationMs: 20_000, outcome: 'healthy' }))
    expect(error).toBeUndefined()
    const label = outputs['version-label']
    expect(sandbox.environment(ENV)).toMatchObject({ status: 'Ready', versionLabel: label, health: 'Green' })
    // keep 3 = the new one, v6 (the previous one) and v5; v1 runs in staging
    expect(remaining(sandbox)).toEqual(['v1', 'v5', 'v6'])
    expect(outputs['versions-deleted']).toBe('3')
    const readyAt = sandbox.environment(ENV)?.readyAt ?? Infinity
    const deletions = sandbox.calls('DeleteApplicationVersion')
    expect(deletions.map(c => c.params.VersionLabel)).toEqual(['v2', 'v3', 'v4'])
    expect(deletions.every(c => c.time >= readyAt)).toBe(true)
  })

  it('a failed deploy deletes nothing', async () => {
    const { error, outputs, box: sandbox } = await runIn(scenario({ durationMs: 5_000, outcome: 'fail' }))
    expect(error?.message).toMatch(/^Deploying .* failed: Failed to deploy application\./)
    expect(sandbox.calls('DeleteApplicationVersion')).toEqual([])
    expect(remaining(sandbox)).toEqual(LABELS)
    expect(outputs['versions-deleted']).toBe('0')
  })
})
