/**
 * What deploy-beanstalk tells, in process against the sandbox on a fake clock: the one report on an unexpected
 * throw (issue 19), and the output details of issue 22, each where it is caused: no empty "Inputs" group, each
 * version status once, the plan's steps in the order they are carried out, the health after a rollback, the Red
 * grace period said, and a rollback's events its own.
 */
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runAction } from '../../src/common/run.js'
import { clearSecrets } from '../../src/common/secrets.js'
import { BeanstalkGateway } from '../../src/deploy-beanstalk/aws/beanstalk.js'
import { deployBeanstalk } from '../../src/deploy-beanstalk/main.js'
import { APP, ENV, IMAGE, errors, scenario, show, workspace } from '../helpers/deploy-beanstalk-fixtures.js'
import { fakeClock } from '../helpers/fakes.js'
import {
  loadAction,
  parseAnnotations,
  parseOutputFile,
  runInProcess,
  startSandbox,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'

beforeAll(async () => {
  await loadAction('deploy-beanstalk')
  await import('../../src/deploy-beanstalk/aws/s3.js') // loaded by the first upload: not a test's time
}, 60_000)

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

let clock = fakeClock()

/** A sandbox on the test's clock; `aheadMs`: Beanstalk's clock runs that much ahead of ours (events dated so). */
async function sandbox(spec: SandboxScenario, aheadMs = 0): Promise<Sandbox> {
  clock = fakeClock()
  const box = await startSandbox(spec, { silent: true, now: () => clock.now() + aheadMs })
  cleanups.push(() => box.close())
  return box
}

async function deploy(box: Sandbox, inputs: Record<string, string>) {
  return await runInProcess('deploy-beanstalk', {
    clock,
    inputs: { 'application-name': APP, 'environment-name': ENV, image: IMAGE, ...inputs },
    env: box.env,
    workspace: workspace(cleanups)
  })
}

/** The log lines inside the group titled `title` (the first one whose title starts so). */
function group(stdout: string, title: string): string[] {
  const lines = stdout.split('\n')
  const start = lines.findIndex(line => line.startsWith(`::group::${title}`))
  if (start < 0) return []
  const end = lines.indexOf('::endgroup::', start)
  return lines.slice(start + 1, end).filter(line => !line.startsWith('::debug::'))
}

const groups = (stdout: string) =>
  stdout
    .split('\n')
    .filter(line => line.startsWith('::group::'))
    .map(line => line.slice('::group::'.length))

describe('the one report (issue 19)', () => {
  it('an unexpected throw after the version was created: every output and the summary, once each', async () => {
    const box = await sandbox(scenario())
    const dir = workspace(cleanups)
    const files = { output: join(dir, 'output.txt'), summary: join(dir, 'summary.md') }
    writeFileSync(files.output, '')
    writeFileSync(files.summary, '')
    const saved = { ...process.env }
    cleanups.push(() => {
      process.env = saved
      process.exitCode = undefined
      clearSecrets()
    })
    for (const name of Object.keys(process.env))
      if (/^(INPUT_|GITHUB_|RUNNER_)/.test(name)) delete process.env[name]
    Object.assign(process.env, box.env, {
      'INPUT_APPLICATION-NAME': APP,
      'INPUT_ENVIRONMENT-NAME': ENV,
      INPUT_IMAGE: IMAGE,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: dir
    })
    /** A gateway with a bug of ours in the middle of the run: UpdateEnvironment throws a plain Error. */
    class Broken extends BeanstalkGateway {
      override updateEnvironment(): never {
        throw new Error('a bug in the middle of the run')
      }
    }
    const stdout: string[] = []
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      stdout.push(String(chunk))
      return true
    })
    try {
      await runAction(
        deployBeanstalk({
          clock,
          env: process.env,
          gatewayFor: region => new Broken(region, undefined, clock)
        })
      )
    } finally {
      write.mockRestore()
    }
    expect(process.exitCode).toBe(1)
    const raw = readFileSync(files.output, 'utf8')
    const names = [
      'version-label',
      'previous-version-label',
      'environment-url',
      'environment-id',
      'health',
      'bundle-sha256',
      'deployed',
      'versions-deleted'
    ]
    expect(names.map(name => raw.split('\n').filter(l => l.startsWith(`${name}<<`)).length)).toEqual(
      names.map(() => 1)
    )
    const outputs = parseOutputFile(raw)
    expect(outputs).toMatchObject({
      deployed: 'false',
      'version-label': expect.stringMatching(/^[0-9a-f]{7}-[0-9a-f]{8}$|^local-[0-9a-f]{8}$/),
      'previous-version-label': 'v0-initial',
      health: 'Green'
    })
    expect(box.version(APP, outputs['version-label'])).toBeDefined()
    const summary = readFileSync(files.summary, 'utf8')
    expect(summary.match(/### ❌ Elastic Beanstalk/g)).toHaveLength(1)
    expect(summary).toContain(`\`${outputs['version-label']}\` was not deployed to BrillianCRM-env`)
    expect(summary).toMatch(/\*\*Why\*\*\n\nUnexpected error: a bug in the middle of the run/)
    expect(summary).toContain(`Version ${outputs['version-label']} was created but not deployed`)
    const annotations = parseAnnotations(stdout.join('')).filter(a => a.level === 'error')
    expect(annotations).toHaveLength(1)
    expect(annotations[0].message).toContain('a bug in the middle of the run')
  })
})

describe('output details (issue 22)', () => {
  it('no empty "Inputs" group; each status of the new version told once', async () => {
    const box = await sandbox(scenario({}, { processingMs: 3000 }))
    const run = await deploy(box, {})
    expect([run.code, show(run)]).toEqual([0, show(run)])
    expect(groups(run.stdout)).not.toContain('Inputs')
    const label = run.outputs['version-label']
    expect(group(run.stdout, 'Create version')).toEqual([
      `Version ${label} created in ${APP}: PROCESSING.`,
      `Version ${label}: PROCESSED.`
    ])
  })

  it('a busy environment: the plan says the wait comes first, and it does', async () => {
    const box = await sandbox(scenario({ status: 'Updating', busyForMs: 5000 }))
    const run = await deploy(box, {})
    expect([run.code, show(run)]).toEqual([0, show(run)])
    const steps = group(run.stdout, 'Plan').find(line => line.startsWith('Steps:')) ?? ''
    const planned = ['wait until', 'upload the bundle', 'create version', 'deploy ', 'follow the update'].map(
      step => steps.indexOf(step)
    )
    expect(planned.every(at => at >= 0)).toBe(true)
    expect([...planned].sort((a, b) => a - b)).toEqual(planned)
    // the phases in the same order
    const done = ['Wait for', 'Upload the bundle', 'Create version', 'Deploy ', 'Follow the update'].map(
      title => groups(run.stdout).findIndex(g => g.startsWith(title))
    )
    expect(done.every(at => at >= 0)).toBe(true)
    expect([...done].sort((a, b) => a - b)).toEqual(done)
  })

  it('Red after Ready: the grace period is said, not passed in silence', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 1000, outcome: 'red' } }))
    const run = await deploy(box, { timeout: '40s' })
    expect(run.code).toBe(1)
    const said = group(run.stdout, 'Follow the update').filter(line =>
      line.includes('waiting out a short Red')
    )
    expect(said).toEqual([
      `${ENV}: Ready on ${run.outputs['version-label']} but health Red: waiting out a short Red (up to 5s) to see whether it recovers.`
    ])
  })

  it('a rollback that leaves the environment Green: the health output and the summary say Green', async () => {
    const box = await sandbox(
      scenario({ update: { durationMs: 1000, outcome: 'red', healthyVersions: ['v0-initial'] } })
    )
    // the bucket given: no CreateStorageLocation, so the requests before the rollback are as many as before the
    // platform look-up (DescribePlatformVersion) was added, and the rollback's follow keeps within its 40 s
    const run = await deploy(box, {
      timeout: '40s',
      'rollback-on-failure': 'true',
      bucket: box.storageBucket(),
      // the instances' logs, fetched before the rollback, would take requests of the minute this tight timeout
      // leaves the rollback (they are tested in deploy-beanstalk-logs.test.ts)
      'log-lines': '0'
    })
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toContain(
      'Rollback: rolled back to v0-initial: Ready on v0-initial, health Green.'
    )
    expect(box.environment(ENV)).toMatchObject({ versionLabel: 'v0-initial', health: 'Green' })
    expect(run.outputs.health).toBe('Green')
    expect(run.summary).toContain('| Health | Green |')
    // the headline says what runs now; the rollback's result is said once, in its row
    expect(run.summary).toContain('BrillianCRM-env runs `v0-initial` again after the rollback, Green.')
    expect(run.summary.match(/rolled back to v0-initial/g)).toHaveLength(1)
    expect(run.summary).toContain(
      '| Rollback | rolled back to v0-initial: Ready on v0-initial, health Green. |'
    )
  })

  it('a rollback shows its own events, not the failed update’s again (Beanstalk’s clock ahead of ours)', async () => {
    const box = await sandbox(
      scenario({ update: { durationMs: 1000, outcome: 'red', healthyVersions: ['v0-initial'] } }),
      10_000
    )
    // no instance logs: their requests would come out of the minute this tight timeout leaves the rollback
    const run = await deploy(box, { timeout: '40s', 'rollback-on-failure': 'true', 'log-lines': '0' })
    expect(run.code).toBe(1)
    // event lines, annotations (WARN, ERROR) included
    const events = (title: string) =>
      group(run.stdout, title)
        .map(line => line.replace(/^::(warning|error) title=Beanstalk event::/, ''))
        .filter(line => /^\d\d:\d\d:\d\d \w+ /.test(line))
    const failed = events('Follow the update')
    const rollback = events('Roll back')
    expect(failed.length).toBeGreaterThan(0)
    expect(rollback[0]).toMatch(/Environment update is starting\./)
    expect(rollback.filter(line => failed.includes(line))).toEqual([])
  })

  it('configuration first (Beanstalk refused both in one update): its events reach the summary too', async () => {
    const box = await sandbox(scenario({}, { configurationWithVersion: 'refused' }))
    const run = await deploy(box, { 'environment-variables': 'FEATURE_FLAG=on' })
    expect([run.code, show(run)]).toEqual([0, show(run)])
    expect(run.summary).toContain('sent before the version, in an update of its own')
    const events = run.summary.slice(run.summary.indexOf('Beanstalk events'))
    expect(events).toContain('Successfully deployed new configuration to environment.')
    expect(events).toContain('Environment update completed successfully.')
  })
})
