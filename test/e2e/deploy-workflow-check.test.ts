/**
 * deploy.yml's check job, end to end: its inputs script (the real `run:` from the YAML) decides the image to pin,
 * then its deploy-beanstalk step runs with the `with:` of the YAML, every `${{ }}` evaluated, as the real bundle
 * against the AWS sandbox. A wrong name, a compose file that does not use the image, an unknown redeploy version,
 * a promotion's missing, unhealthy or moved-on source, a malformed secret ARN fail there — before the build — with
 * deploy-beanstalk's own messages, and nothing in AWS changes. The non-secret configuration and keep-versions reach
 * the dry run (its plan lists the names and the versions it would delete); the secret variables never do.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type BundleRun,
  errorMessages,
  ROOT,
  runBundle,
  type Sandbox,
  type SandboxScenario,
  startSandbox
} from '../../sandbox/index.js'
import { evaluate, load, runScript, scriptOf, type Step, type Value } from '../helpers/workflow.js'

const workflow = load('.github/workflows/deploy.yml')
const declared = (workflow.on.workflow_call as { inputs: Record<string, { default?: string | boolean }> })
  .inputs
const SHA = '0123456789abcdef0123456789abcdef01234567'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const scenario: SandboxScenario = {
  name: 'deploy.yml check job',
  applications: [
    {
      name: 'BrillianCRM',
      versions: [{ label: 'v-retired' }, { label: 'v0-initial' }, { label: 'v1-older' }],
      environments: [
        { name: 'BrillianCRM-env', versionLabel: 'v0-initial', environmentVariables: { LOG_LEVEL: 'debug' } },
        { name: 'BrillianCRM-staging', versionLabel: 'v1-older' },
        { name: 'BrillianCRM-broken', versionLabel: 'v1-older', health: 'Red' }
      ]
    },
    { name: 'Shop', region: 'eu-west-1', environments: [{ name: 'Shop-env' }] }
  ]
}

async function sandbox(): Promise<Sandbox> {
  const box = await startSandbox(scenario, { silent: true })
  cleanups.push(() => box.close())
  return box
}

/** `${{ expr }}` in a `with:` value, evaluated with the caller's inputs and the outputs of earlier steps. */
function resolve(value: unknown, lookup: (path: string) => Value): string {
  return String(value).replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const result = evaluate(expression, {
      lookup,
      status: { success: true, failure: false, cancelled: false }
    })
    return result === null ? '' : String(result)
  })
}

/** The check job up to its AWS dry run, for these caller inputs, with the caller repository's workspace. */
async function checkJob(box: Sandbox, inputs: Record<string, string>): Promise<BundleRun> {
  const value = (name: string): string => String(inputs[name] ?? declared[name]?.default ?? '')
  const script = await runScript(scriptOf(workflow, 'check', 'inputs'), {
    CALLER_REPOSITORY: 'imbit/demo-app',
    GITHUB_SHA: SHA,
    IMAGE_NAME: value('image-name'),
    ROLE_ARN: value('aws-role-arn'),
    READ_ONLY_ROLE_ARN: value('aws-read-only-role-arn'),
    HAS_KEY_ID: 'false',
    HAS_SECRET_KEY: 'false',
    DISTRIBUTION_ID: '',
    DISTRIBUTION_DOMAIN: '',
    PLATFORMS: value('platforms'),
    VERSION_LABEL: value('version-label'),
    FROM_ENVIRONMENT: value('from-environment'),
    ENVIRONMENT_NAME: value('environment-name'),
    DRY_RUN: value('dry-run')
  })
  expect([script.status, script.stdout]).toEqual([0, ''])
  const step = (workflow.jobs.check.steps ?? []).find(
    (s: Step) => s.uses === './.imbit-actions/actions/deploy-beanstalk'
  )
  const lookup = (path: string): Value => {
    const [scope, name, field, output] = path.split('.')
    if (scope === 'inputs' && name in declared) return value(name)
    if (scope === 'steps' && name === 'inputs' && field === 'outputs') return script.outputs[output] ?? ''
    throw new Error(`unexpected reference ${path}`)
  }
  const withInputs = Object.fromEntries(
    Object.entries(step?.with ?? {}).map(([name, raw]) => [name, resolve(raw, lookup)])
  )
  expect(withInputs['dry-run']).toBe('true')
  const ws = mkdtempSync(join(tmpdir(), 'check-job-ws-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), ws, { recursive: true })
  cleanups.push(() => rmSync(ws, { recursive: true, force: true }))
  return await runBundle('deploy-beanstalk', {
    inputs: withInputs,
    env: { ...box.env, GITHUB_REPOSITORY: 'imbit/demo-app', GITHUB_SHA: SHA },
    workspace: ws,
    timeoutMs: 30_000
  })
}

const app = {
  'application-name': 'BrillianCRM',
  'environment-name': 'BrillianCRM-env',
  'aws-role-arn': 'arn:aws:iam::123456789012:role/github-deploy',
  'aws-read-only-role-arn': 'arn:aws:iam::123456789012:role/github-check'
}
describe("deploy.yml's check job against the sandbox", () => {
  it('passes with the right names: the plan pins the tag the build will push; nothing changes', async () => {
    const box = await sandbox()
    const run = await checkJob(box, app)
    expect([run.code, errorMessages(run)]).toEqual([0, []])
    expect(run.stdout).toContain('Dry run: stopping here; nothing was changed in AWS.')
    expect(run.outputs['previous-version-label']).toBe('v0-initial')
    expect(box.mutatingCalls()).toEqual([])
    expect(box.calls('DescribeEnvironments').length).toBeGreaterThan(0)
  })

  it('fails on a wrong environment name, suggesting the right one, before the build', async () => {
    const box = await sandbox()
    const run = await checkJob(box, { ...app, 'environment-name': 'BrillianCRM-Env' })
    expect(run.code).toBe(1)
    expect(errorMessages(run)).toEqual([expect.stringMatching(/BrillianCRM-Env[\s\S]*BrillianCRM-env/)])
    expect(box.mutatingCalls()).toEqual([])
  })

  it('fails on a wrong application name, naming the region where it exists', async () => {
    const box = await sandbox()
    const run = await checkJob(box, { ...app, 'application-name': 'Shop', 'environment-name': 'Shop-env' })
    expect(run.code).toBe(1)
    expect(errorMessages(run)).toEqual([expect.stringContaining('eu-west-1')])
    expect(box.mutatingCalls()).toEqual([])
  })

  it('fails when no compose service uses the image the build will push (image-name mismatch)', async () => {
    const box = await sandbox()
    const run = await checkJob(box, { ...app, 'image-name': 'imbit/other-app' })
    expect(run.code).toBe(1)
    expect(errorMessages(run)).toEqual([expect.stringContaining('ghcr.io/imbit/other-app')])
    expect(box.mutatingCalls()).toEqual([])
  })

  it('fails a redeploy of a version that does not exist (require-existing-version), changing nothing', async () => {
    const box = await sandbox()
    const run = await checkJob(box, { ...app, 'version-label': 'v1-oldre' })
    expect(run.code).toBe(1)
    expect(run.annotations.filter(a => a.level === 'error').map(a => a.title)).toEqual(['No such version'])
    expect(errorMessages(run)).toEqual([expect.stringContaining('has no version "v1-oldre" to redeploy')])
    expect(box.mutatingCalls()).toEqual([])
  })

  it('passes a redeploy of an existing version (nothing bundled)', async () => {
    const box = await sandbox()
    const run = await checkJob(box, { ...app, 'version-label': 'v1-older' })
    expect([run.code, errorMessages(run)]).toEqual([0, []])
    expect(run.stdout).toContain('exists: redeployed as it is')
    expect(box.mutatingCalls()).toEqual([])
  })

  it('checks a promotion: the source environment runs the version asked for, healthy; no image pinned, nothing changes', async () => {
    const box = await sandbox()
    // the bundle staging runs is there (the promotion reads it: its sha256 is checked)
    await new S3Client({
      region: 'eu-central-1',
      endpoint: box.s3Url,
      forcePathStyle: true,
      credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
    }).send(
      new PutObjectCommand({ Bucket: box.storageBucket(), Key: 'BrillianCRM/v1-older.zip', Body: 'zip' })
    )
    const before = box.mutatingCalls().length
    const run = await checkJob(box, {
      ...app,
      'from-environment': 'BrillianCRM-staging',
      'version-label': 'v1-older'
    })
    expect([run.code, errorMessages(run)]).toEqual([0, []])
    expect(run.stdout).toContain('Promoting v1-older from BrillianCRM-staging')
    expect(run.outputs['version-label']).toBe('v1-older')
    expect(box.mutatingCalls().slice(before)).toEqual([])
  })

  it.each([
    ['an unhealthy source environment', { 'from-environment': 'BrillianCRM-broken' }],
    [
      'a source that runs another version than the one approved',
      { 'from-environment': 'BrillianCRM-staging', 'version-label': 'v0-initial' }
    ],
    ['a source environment that does not exist', { 'from-environment': 'BrillianCRM-stage' }]
  ])('fails a promotion from %s before the build, changing nothing', async (_, promotion) => {
    const box = await sandbox()
    const run = await checkJob(box, { ...app, ...promotion })
    expect(run.code).toBe(1)
    expect(errorMessages(run)).toEqual([expect.stringContaining(promotion['from-environment'])])
    expect(box.mutatingCalls()).toEqual([])
  })

  it('reads no environment property outside the environment; lists the versions keep-versions would delete', async () => {
    const box = await sandbox()
    const run = await checkJob(box, {
      ...app,
      'environment-variables': 'LOG_LEVEL=info-7f3a\nFEATURE_FLAG=on-9c1e\n',
      'environment-secrets': 'DB_PASSWORD=arn:aws:ssm:eu-central-1:123456789012:secret/nope',
      'remove-environment-variables': 'OLD_FLAG',
      'keep-versions': '1'
    })
    expect([run.code, errorMessages(run)]).toEqual([0, []])
    // The configuration is not given to the check job (issue 20): diffing it would read the environment's
    // property values (DescribeConfigurationSettings), which the read-only role may not. The deploy job checks it
    // (names, ARNs, the diff) before it changes anything.
    expect(box.calls('DescribeConfigurationSettings')).toEqual([])
    expect(run.stdout).not.toMatch(/info-7f3a|on-9c1e|FEATURE_FLAG|DB_PASSWORD/)
    // keep-versions and delete-source-bundles (default true) reach it: the plan lists, nothing is deleted.
    expect(run.stdout).toContain('would delete 1')
    expect(run.stdout).toContain('with their S3 bundles: v-retired')
    expect(box.calls('DeleteApplicationVersion')).toEqual([])
    expect(box.mutatingCalls()).toEqual([])
  })
})
