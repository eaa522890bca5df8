/**
 * deploy-beanstalk end to end: the real bundle (dist/deploy-beanstalk/index.js) run as the runner runs it,
 * against the AWS sandbox (Beanstalk + S3 on 127.0.0.1), with a temp copy of examples/demo-app as the
 * workspace. This layer proves the wiring: inputs, outputs, summary, annotations, exit codes. Every other
 * scenario (and all that depends on time) runs in process on a fake clock: test/scenarios/deploy-beanstalk.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  APP,
  ENV,
  IMAGE,
  errors,
  expectUserError,
  scenario,
  uploadedBundle,
  workspace as tempWorkspace
} from '../helpers/deploy-beanstalk-fixtures.js'
import {
  runBundle,
  type BundleRun,
  startSandbox,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const workspace = () => tempWorkspace(cleanups)

/** A fake credential planted in private files: it must reach neither the bundle in S3 nor the log. */
const PLANTED = 'c2VjcmV0LXRva2VuLXBsYW50ZWQ='

/**
 * The demo app as a real repository may hold it: VCS folders and a .env file inside the included folders (next
 * to files that must ship), a link with an innocent name to the root .env, and a compose service with both
 * `build:` and the `image:` CI pins.
 */
function workspaceWithPrivateFiles(): string {
  const ws = workspace()
  const files: Record<string, string> = {
    '.platform/nginx/.git/config': `[http]\n\textraheader = AUTHORIZATION: basic ${PLANTED}\n`,
    '.platform/nginx/.git/HEAD': 'ref: refs/heads/main\n',
    '.platform/nginx/conf.d/proxy.conf': 'client_max_body_size 20M;\n',
    '.ebextensions/.env.production': `DB_PASSWORD=${PLANTED}\n`,
    '.platform/hooks/.svn/entries': `12\nsvn+ssh://deploy:${PLANTED}@svn.example/repo\n`,
    'docker-compose.yml': [
      'services:',
      '  web:',
      '    build:',
      '      context: .',
      '      dockerfile: Dockerfile',
      '    image: ghcr.io/imbit/demo-app:latest # pinned by the deploy',
      "    ports: ['80:8080']",
      ''
    ].join('\n')
  }
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(ws, name)), { recursive: true })
    writeFileSync(join(ws, name), content)
  }
  // a link with an innocent name to the workspace's .env (not included itself)
  writeFileSync(join(ws, '.env'), `API_TOKEN=${PLANTED}\n`)
  symlinkSync('../../../.env', join(ws, '.platform/nginx/conf.d/upstream.conf'))
  return ws
}

/** The shared scenario, with no processing time and instant updates: this layer is about wiring, not time. */
const quick = (): SandboxScenario =>
  scenario({ update: { durationMs: 0, outcome: 'healthy' } }, { processingMs: 0 })

async function sandbox(spec: SandboxScenario = quick()): Promise<Sandbox> {
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

describe('deploy-beanstalk e2e (the real bundle)', () => {
  it('deploys: bundle, upload, version, update, followed to Ready + our version + Green', async () => {
    const box = await sandbox()
    const run = await deploy(box, { image: IMAGE }, { ws: workspaceWithPrivateFiles() })
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

    // The bundle ships nothing private (issue 9, point 6): read back from S3, as the instance gets it.
    const bundle = await uploadedBundle(box, label)
    expect(Object.keys(bundle).sort()).toEqual([
      '.ebextensions/01-health.config',
      '.platform/hooks/postdeploy/01-report.sh',
      '.platform/nginx/conf.d/proxy.conf',
      'docker-compose.yml'
    ])
    expect(Object.values(bundle).join('\n')).not.toContain(PLANTED)
    const compose = bundle['docker-compose.yml']
    expect(compose).not.toMatch(/^\s*build:/m)
    expect(compose).not.toContain('dockerfile')
    expect(compose).toContain(`image: ${IMAGE} # pinned by the deploy`)
    const skipped = run.stdout.split('\n').filter(line => line.startsWith('Skipped '))
    expect(skipped).toEqual([
      'Skipped .ebextensions/.env.production: VCS folders and .env files are never shipped.',
      'Skipped .platform/hooks/.svn: VCS folders and .env files are never shipped.',
      'Skipped .platform/nginx/.git: VCS folders and .env files are never shipped.',
      'Skipped .platform/nginx/conf.d/upstream.conf (a link to .env): VCS folders and .env files are never shipped.'
    ])
    expect(run.stdout).toContain(
      'Service web: its build: section was removed (the bundle has no build context; the image is pulled).'
    )
    expect(run.stdout).not.toContain(PLANTED)
  })

  it('require-existing-version: an existing label is redeployed as it is', async () => {
    const box = await sandbox(
      scenario(
        { versionLabel: 'v1', update: { durationMs: 0, outcome: 'healthy' } },
        {},
        { versions: [{ label: 'v0-initial' }, { label: 'v1' }] }
      )
    )
    const run = await deploy(box, { 'version-label': 'v0-initial', 'require-existing-version': 'true' })
    expect([run.code, errors(run)]).toEqual([0, []])
    expect(run.outputs).toMatchObject({
      deployed: 'true',
      'version-label': 'v0-initial',
      'bundle-sha256': ''
    })
    expect(box.mutatingCalls().map(c => c.operation)).toEqual(['UpdateEnvironment'])
  })

  it('require-existing-version: a label that does not exist fails before anything is built or changed', async () => {
    const box = await sandbox()
    const run = await deploy(box, { 'version-label': 'v0-inital', 'require-existing-version': 'true' })
    expect(run.code).toBe(1)
    expect(run.annotations.filter(a => a.level === 'error')).toEqual([
      {
        level: 'error',
        title: 'No such version',
        message:
          'Application "BrillianCRM" in eu-central-1 has no version "v0-inital" to redeploy (require-existing-version is true), so nothing was built or changed. Check the label (Beanstalk console → Application versions) and the application name.'
      }
    ])
    expect(box.mutatingCalls()).toEqual([])
    expect(run.stdout).not.toContain('::group::Bundle')
  })

  it('require-existing-version without version-label: names the input before any call', async () => {
    const box = await sandbox()
    const run = await deploy(box, { 'require-existing-version': 'true' })
    expectUserError(run, /^Input 'require-existing-version' is true but 'version-label' is empty/)
    expect(box.requests).toEqual([])
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

  it('an application name in the wrong case: exit 1, the closest name in the annotation, nothing changed', async () => {
    const box = await sandbox()
    const run = await deploy(box, { image: IMAGE, 'application-name': 'brilliancrm' })
    expectUserError(run, /Did you mean "BrillianCRM"\? Set application-name/)
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
