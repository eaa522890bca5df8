/**
 * deploy-beanstalk end to end: the real bundle (dist/deploy-beanstalk/index.js) against the AWS sandbox
 * (Beanstalk + S3 on 127.0.0.1), with a temp copy of examples/demo-app as the workspace.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, runBundle, type BundleRun } from '../helpers/run-bundle.js'
import {
  startSandbox,
  type AppSpec,
  type EnvSpec,
  type Sandbox,
  type SandboxScenario
} from '../sandbox/index.js'

const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const IMAGE = 'ghcr.io/imbit/demo-app:0123456789abcdef0123456789abcdef01234567'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-ws-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), dir, { recursive: true })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function scenario(
  env: Partial<EnvSpec> = {},
  more: Partial<SandboxScenario> = {},
  app: Partial<AppSpec> = {}
): SandboxScenario {
  return {
    name: 'deploy-beanstalk e2e',
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }],
        environments: [
          { name: ENV, versionLabel: 'v0-initial', update: { durationMs: 1500, outcome: 'healthy' }, ...env }
        ],
        ...app
      },
      { name: 'BrillianQuiz', environments: [{ name: 'BrillianQuiz-env' }] },
      { name: 'Shop', region: 'eu-west-1', environments: [{ name: 'Shop-env' }] }
    ],
    ...more
  }
}

async function sandbox(spec: SandboxScenario = scenario()): Promise<Sandbox> {
  const box = await startSandbox(spec, { silent: true })
  cleanups.push(() => box.close())
  return box
}

async function deploy(
  box: Sandbox,
  inputs: Record<string, string>,
  options: { ws?: string; env?: Record<string, string | undefined> } = {}
): Promise<BundleRun> {
  return await runBundle('deploy-beanstalk', {
    inputs: { 'application-name': APP, 'environment-name': ENV, ...inputs },
    env: { ...box.env, ...options.env },
    workspace: options.ws ?? workspace(),
    timeoutMs: 90_000
  })
}

const errors = (run: BundleRun) => run.annotations.filter(a => a.level === 'error')

function expectUserError(run: BundleRun, pattern: RegExp): void {
  expect([run.code, errors(run).map(a => a.message)]).toEqual([
    1,
    expect.arrayContaining([expect.stringMatching(pattern)])
  ])
}

describe('deploy-beanstalk e2e', () => {
  it('deploys: bundle, upload, version, update, followed to Ready + our version + Green', async () => {
    const box = await sandbox()
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(0)
    const label = run.outputs['version-label']
    expect(label).toMatch(/^0123456-[0-9a-f]{8}$/)
    expect(run.outputs).toMatchObject({
      deployed: 'true',
      'previous-version-label': 'v0-initial',
      health: 'Green',
      'environment-id': box.environment(ENV)?.id
    })
    expect(run.outputs['bundle-sha256']).toMatch(/^[0-9a-f]{64}$/)
    expect(label.endsWith(run.outputs['bundle-sha256'].slice(0, 8))).toBe(true)
    expect(run.outputs['environment-url']).toMatch(/^http:\/\/.+elasticbeanstalk\.com$/)
    expect(box.environment(ENV)).toMatchObject({ status: 'Ready', health: 'Green', versionLabel: label })
    expect(box.version(APP, label)?.sourceBundle).toEqual({
      bucket: box.storageBucket(),
      key: `${APP}/${label}.zip`
    })
    expect(box.calls('CreateApplicationVersion')).toHaveLength(1)
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
    expect(run.stdout).toContain('Environment update is starting.')
    expect(run.summary).toContain('| Application | BrillianCRM |')
    expect(run.summary).toContain('| Previous version | v0-initial |')
    expect(run.summary).toContain('console.aws.amazon.com')
    expect(errors(run)).toEqual([])
  })

  it('a second run of the same commit redeploys: nothing uploaded, no new version', async () => {
    const box = await sandbox()
    const ws = workspace()
    const first = await deploy(box, { image: IMAGE }, { ws })
    expect(first.code).toBe(0)
    const mutatingBefore = box.mutatingCalls().length
    const second = await deploy(box, { image: IMAGE }, { ws })
    expect(second.code).toBe(0)
    expect(second.outputs['version-label']).toBe(first.outputs['version-label'])
    const after = box
      .mutatingCalls()
      .slice(mutatingBefore)
      .map(c => c.operation)
    expect(after).toEqual(['UpdateEnvironment'])
  })

  it('redeploys an existing version by label: nothing built or uploaded', async () => {
    const box = await sandbox(
      scenario({ versionLabel: 'v1' }, {}, { versions: [{ label: 'v0-initial' }, { label: 'v1' }] })
    )
    const run = await deploy(box, { 'version-label': 'v0-initial' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      deployed: 'true',
      'version-label': 'v0-initial',
      'previous-version-label': 'v1',
      'bundle-sha256': ''
    })
    expect(box.mutatingCalls().map(c => c.operation)).toEqual(['UpdateEnvironment'])
    expect(box.environment(ENV)?.versionLabel).toBe('v0-initial')
    expect(run.stdout).toContain('redeployed as it is')
  })

  it('a label already used by other content is an error, never an overwrite', async () => {
    const box = await sandbox()
    const first = await deploy(box, { image: IMAGE, 'version-label': 'release-1' })
    expect(first.code).toBe(0)
    const before = box.mutatingCalls().length
    const second = await deploy(box, { image: 'ghcr.io/imbit/demo-app:other', 'version-label': 'release-1' })
    expectUserError(second, /Version "release-1" already exists with other content/)
    expect(box.mutatingCalls().slice(before)).toEqual([])
  })

  it('dry-run: prints the plan, exit 0, deployed=false, zero mutating calls', async () => {
    const box = await sandbox()
    const run = await deploy(box, { image: IMAGE, 'dry-run': 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs.deployed).toBe('false')
    expect(run.outputs['version-label']).toMatch(/^0123456-[0-9a-f]{8}$/)
    expect(run.stdout).toContain('Dry run: stopping here')
    expect(box.mutatingCalls()).toEqual([])
    expect(box.environment(ENV)?.versionLabel).toBe('v0-initial')
  })

  describe('names that do not match', () => {
    it.each([
      [
        'an application name in the wrong case',
        { 'application-name': 'brilliancrm' },
        /Did you mean "BrillianCRM"\? Set application-name/
      ],
      [
        'an environment name with a typo',
        { 'environment-name': 'BrillianCRM-evn' },
        /Did you mean "BrillianCRM-env"\? Set environment-name/
      ],
      [
        'an environment of another application',
        { 'environment-name': 'BrillianQuiz-env' },
        /belongs to application "BrillianQuiz", not "BrillianCRM"/
      ],
      [
        'an application in another region',
        { 'application-name': 'Shop', 'environment-name': 'Shop-env' },
        /"Shop" exists in eu-west-1: set region to eu-west-1/
      ],
      [
        'an environment in another region',
        { 'application-name': 'BrillianCRM', 'environment-name': 'Shop-env' },
        /"Shop-env" exists in eu-west-1/
      ]
    ])('%s', async (_name, inputs, pattern) => {
      const box = await sandbox()
      const run = await deploy(box, { image: IMAGE, ...inputs })
      expectUserError(run, pattern)
      expect(box.mutatingCalls()).toEqual([])
    })

    it('a terminated environment', async () => {
      const box = await sandbox(scenario({ status: 'Terminated' }))
      const run = await deploy(box, { image: IMAGE })
      expectUserError(run, /is Terminated/)
      expect(box.mutatingCalls()).toEqual([])
    })
  })

  it('waits out an environment busy with another update, saying so', async () => {
    const box = await sandbox(scenario({ status: 'Updating', busyForMs: 2500 }))
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/is Updating \(another update is running\): waiting/)
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
    expect(box.environment(ENV)?.versionLabel).toBe(run.outputs['version-label'])
  })

  it('a failed deployment ends the step with Beanstalk’s own messages', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 1500, outcome: 'fail' } }))
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(1)
    expect(run.outputs.deployed).toBe('false')
    const messages = errors(run)
      .map(a => a.message)
      .join('\n')
    expect(messages).toContain('Failed to deploy application.')
    expect(messages).toMatch(/Deploying .* to BrillianCRM-env failed/)
    expect(box.environment(ENV)?.versionLabel).toBe('v0-initial')
    expect(run.summary).toContain('Deployment failed')
  })

  it('Red after Ready that does not recover fails after the grace period', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 1000, outcome: 'red' } }))
    const run = await deploy(box, { image: IMAGE, timeout: '40s' })
    expect(run.code).toBe(1)
    expect(
      errors(run)
        .map(a => a.message)
        .join('\n')
    ).toMatch(/health is Red and did not recover within 5s/)
    expect(run.outputs.health).toBe('Red')
  })

  it('Yellow then Green: waits for Green', async () => {
    const box = await sandbox(
      scenario({ update: { durationMs: 1000, outcome: 'yellow-then-green', yellowMs: 5000 } })
    )
    const run = await deploy(box, { image: IMAGE })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/health Yellow/)
    expect(run.outputs.health).toBe('Green')
  })

  it('Yellow is enough with required-health: Yellow', async () => {
    const box = await sandbox(
      scenario({ update: { durationMs: 1000, outcome: 'yellow-then-green', yellowMs: 20_000 } })
    )
    const run = await deploy(box, { image: IMAGE, 'required-health': 'Yellow' })
    expect(run.code).toBe(0)
    expect(run.outputs.health).toBe('Yellow')
  })

  // rollback and the throttling storm make more than 20 Beanstalk requests a minute, which the call budget
  // spreads over minutes: they run in process on the fake clock (test/unit/deploy-beanstalk-failures.test.ts).

  it('timeout: says the update may still be running, with the console link', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 1000, outcome: 'never' } }))
    const run = await deploy(box, { image: IMAGE, timeout: '6s' })
    expect(run.code).toBe(1)
    const message = errors(run)
      .map(a => a.message)
      .join('\n')
    expect(message).toContain('The update may still be running')
    expect(message).toContain('https://eu-central-1.console.aws.amazon.com/elasticbeanstalk/')
    expect(run.durationMs).toBeLessThan(20_000)
  })

  it('processing Failed (a corrupt object under the bundle key) ends with the reason', async () => {
    const box = await sandbox()
    const ws = workspace()
    // The plan (dry run) gives the label and sha256; put a corrupt object there that claims that sha256, so
    // the upload is skipped and Beanstalk processes garbage.
    const plan = await deploy(box, { image: IMAGE, 'dry-run': 'true' }, { ws })
    const label = plan.outputs['version-label']
    const s3 = new S3Client({
      region: 'eu-central-1',
      endpoint: box.s3Url,
      forcePathStyle: true,
      credentials: { accessKeyId: box.env.AWS_ACCESS_KEY_ID, secretAccessKey: box.env.AWS_SECRET_ACCESS_KEY }
    })
    await s3.send(
      new PutObjectCommand({
        Bucket: box.storageBucket(),
        Key: `${APP}/${label}.zip`,
        Body: 'not a zip',
        Metadata: { sha256: plan.outputs['bundle-sha256'] }
      })
    )
    s3.destroy()
    const run = await deploy(box, { image: IMAGE }, { ws })
    expectUserError(run, new RegExp(`Beanstalk could not process version ${label} \\(status failed\\)`, 'i'))
    expect(run.stdout).toContain('not uploaded again')
    expect(box.calls('UpdateEnvironment')).toEqual([])
    expect(box.version(APP, label)?.status).toMatch(/^failed$/i)
  })

  it('a missing compose file: names the input, changes nothing', async () => {
    const box = await sandbox()
    const run = await deploy(box, { image: IMAGE, 'compose-file': 'deploy/compose.yml' })
    expectUserError(run, /Input 'compose-file' is "deploy\/compose.yml": no such file/)
    expect(box.mutatingCalls()).toEqual([])
  })

  it('no service matching image: lists the images found, changes nothing', async () => {
    const box = await sandbox()
    const run = await deploy(box, { image: 'ghcr.io/imbit/brilliancrm:abc' })
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toContain('ghcr.io/imbit/demo-app:latest')
    expect(box.mutatingCalls()).toEqual([])
  })

  it('a bundle over Beanstalk’s size limit fails before any AWS change', async () => {
    const box = await sandbox()
    const ws = workspace()
    const big = join(ws, 'big.zip')
    writeFileSync(big, '')
    truncateSync(big, 520 * 1024 * 1024) // sparse: no disk used
    const run = await deploy(box, { bundle: 'big.zip' }, { ws })
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toMatch(/500 MB|limit/i)
    expect(box.mutatingCalls()).toEqual([])
  })

  it('no region anywhere: names the input before any call', async () => {
    const box = await sandbox()
    const run = await deploy(
      box,
      { image: IMAGE },
      { env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined } }
    )
    expectUserError(run, /Input 'region' is empty: no region is set/)
    expect(box.requests).toEqual([])
  })
})
