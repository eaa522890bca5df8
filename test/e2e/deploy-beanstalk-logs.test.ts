/**
 * deploy-beanstalk's instance logs and its post step, end to end: the real bundle run as the runner runs it
 * (the post step too: the same entry, with the STATE_ variables the main step saved), against the sandbox, whose
 * instances answer tail requests with pre-signed URLs to its S3 and honour AbortEnvironmentUpdate. The bounded wait
 * for answers that never come runs on a fake clock: test/scenarios/deploy-beanstalk-logs.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'
import {
  APP,
  ENV,
  IMAGE,
  errors,
  scenario,
  show,
  workspace as tempWorkspace
} from '../helpers/deploy-beanstalk-fixtures.js'
import {
  runBundle,
  startSandbox,
  type BundleRun,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function sandbox(spec: SandboxScenario): Promise<Sandbox> {
  const box = await startSandbox(spec, { silent: true })
  cleanups.push(() => box.close())
  return box
}

function runnerTemp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runner-temp-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Set by this step (environment-variables). */
const STEP_VALUE = 'step-plain-value-4410'
/** Set before, in the console: only DescribeConfigurationSettings knows it. */
const SEEDED_VALUE = 'seeded-plain-value-7731'
/** Known to nobody, but shaped like a GitHub token. */
const SHAPED_VALUE = `ghp_${'A1b2C3d4E5'.repeat(4)}`

const failing = (more: Partial<SandboxScenario> = {}) =>
  scenario(
    {
      update: { durationMs: 1500, outcome: 'fail' },
      environmentVariables: { SEEDED_SETTING: SEEDED_VALUE, TOKEN_LIKE: SHAPED_VALUE }
    },
    more
  )

async function deploy(box: Sandbox, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  const ws = tempWorkspace(cleanups)
  return await runBundle('deploy-beanstalk', {
    workspace: ws,
    env: { ...box.env, ...env },
    inputs: {
      'application-name': APP,
      'environment-name': ENV,
      image: IMAGE,
      timeout: '60s',
      'environment-variables': `STEP_SETTING=${STEP_VALUE}`,
      ...inputs
    }
  })
}

const warnings = (run: BundleRun) => run.annotations.filter(a => a.level === 'warning')
/** The step's own error annotations (not Beanstalk's ERROR events, which are annotations too), times left out. */
const stepErrors = (run: BundleRun) =>
  errors(run)
    .filter(e => e.title !== 'Beanstalk event')
    .map(e => `${e.title}: ${e.message.replace(/\d\d:\d\d:\d\d/g, 'hh:mm:ss')}`)

describe('a failed deploy shows why: the instances own logs', () => {
  it('puts the tail of eb-engine.log, then the container log, in the summary and the log, masked, and writes logs-file', async () => {
    const box = await sandbox(failing())
    const temp = runnerTemp()
    const run = await deploy(box, {}, { RUNNER_TEMP: temp })
    expect([run.code, stepErrors(run)]).toEqual([
      1,
      [expect.stringMatching(/^Deployment failed: Deploying .* failed/)]
    ])
    // the summary: the last 100 lines of eb-engine.log, with the platform's error, then the container's output
    const summary = run.summary
    expect(summary).toMatch(/<details><summary>Instance logs: i-0[0-9a-f]{16} \(the last 100 lines/)
    const engine = summary.indexOf('==> /var/log/eb-engine.log <==')
    const container = summary.indexOf('==> /var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log <==')
    expect(engine).toBeGreaterThan(0)
    expect(container).toBeGreaterThan(engine)
    expect(summary).toContain(
      'An error occurred during execution of command [app-deploy] - [Run Docker Compose]'
    )
    expect(summary).toContain('step 25 of the deployment')
    expect(summary).not.toContain('step 24 of the deployment')
    expect(summary).not.toContain('/var/log/nginx/access.log') // not a log that explains a failed deploy
    // every value masked: the step's, the environment's own (DescribeConfigurationSettings), the token-shaped one
    expect(summary).toContain('read STEP_SETTING from the environment: ***')
    expect(summary).toContain('read SEEDED_SETTING from the environment: ***')
    expect(summary).toContain('read TOKEN_LIKE from the environment: ***')
    // (the runner's ::add-mask:: commands name them: that is how they are masked, and the runner hides them)
    const log = run.stdout.replace(/^::add-mask::.*$/gm, '')
    for (const text of [summary, log, run.stderr])
      for (const secret of [STEP_VALUE, SEEDED_VALUE, SHAPED_VALUE]) expect(text).not.toContain(secret)
    // the log: the same lines, in a group
    expect(run.stdout).toMatch(
      /::group::Instance logs of BrillianCRM-env[\s\S]*\[Run Docker Compose\][\s\S]*::endgroup::/
    )
    // logs-file: everything retrieved, masked the same way
    const file = run.outputs['logs-file']
    expect(file.startsWith(temp)).toBe(true)
    const all = readFileSync(file, 'utf8')
    expect(all).toContain('step 1 of the deployment')
    expect(all).toContain('/var/log/nginx/access.log')
    for (const secret of [STEP_VALUE, SEEDED_VALUE, SHAPED_VALUE]) expect(all).not.toContain(secret)
    expect(box.calls('RequestEnvironmentInfo')).toHaveLength(1)
    expect(box.calls('GetObject').some(c => String(c.params.Key).includes('/logs/tail/'))).toBe(true)
    expect(warnings(run)).toEqual([])
    expect([...summaryFaults(summary), ...layoutFaults(summary)]).toEqual([])
    // What to do points at the logs below, not at the console
    expect(summary).toContain("the instances' logs (below; all of them in the logs-file output)")
  }, 60_000)

  it('a denied log request is one warning, and the step fails with the same first error as without logs', async () => {
    const box = await sandbox(failing({ tailLogs: { behaviour: 'denied' } }))
    const run = await deploy(box)
    const without = await deploy(await sandbox(failing()), { 'log-lines': '0' })
    expect(without.outputs['logs-file']).toBe('')
    expect(run.code).toBe(1)
    expect(stepErrors(run)).toEqual(stepErrors(without))
    expect(stepErrors(run)).toEqual([expect.stringMatching(/^Deployment failed: Deploying .* failed/)])
    expect(warnings(run).map(w => w.message)).toEqual([
      expect.stringMatching(
        /^The instances' logs of BrillianCRM-env could not be fetched \(AccessDenied: .*RequestEnvironmentInfo/
      )
    ])
    expect(run.outputs['logs-file']).toBe('')
    expect(run.summary).not.toContain('Instance logs:')
    expect(run.summary).toContain("the instances' logs (Logs, in the environment's console)")
  }, 60_000)

  it('log-lines: 0 asks for no logs; a bad value is refused before anything changes', async () => {
    const box = await sandbox(failing())
    const off = await deploy(box, { 'log-lines': '0' })
    expect([off.code, box.calls('RequestEnvironmentInfo')]).toEqual([1, []])
    const bad = await deploy(box, { 'log-lines': 'all' })
    expect(stepErrors(bad)).toEqual([
      expect.stringMatching(
        /^Input 'log-lines': Input 'log-lines' is "all": expected a whole number of lines from 0 \(no logs\) to 1000/
      )
    ])
    expect(box.calls('UpdateEnvironment')).toHaveLength(1) // the first run's only
  }, 60_000)
})

describe('a cancelled run stops its own update (post step)', () => {
  const post = (box: Sandbox, state: Record<string, string>, inputs: Record<string, string> = {}) =>
    runBundle('deploy-beanstalk', {
      env: { ...box.env, ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])) },
      inputs: { 'application-name': APP, 'environment-name': ENV, ...inputs }
    })

  it('SIGINT while following: the report is written, and the post step aborts this run’s update once', async () => {
    const box = await sandbox(scenario({ update: { durationMs: 2000, outcome: 'never' } }))
    const ws = tempWorkspace(cleanups)
    const main = await runBundle('deploy-beanstalk', {
      workspace: ws,
      env: box.env,
      inputs: { 'application-name': APP, 'environment-name': ENV, image: IMAGE, timeout: '60s' },
      signal: { name: 'SIGINT', when: () => box.calls('DescribeEvents').length > 0 }
    })
    expect([main.code, errors(main).map(e => e.title)]).toEqual([1, ['Cancelled']])
    expect(main.summary).toContain('Cancelled')
    expect(main.outputs['deployed']).toBe('false')
    expect(box.calls('AbortEnvironmentUpdate')).toEqual([]) // the main step leaves it to the post step
    const state = main.state ?? {}
    expect(JSON.parse(state.update)).toMatchObject({ environmentName: ENV, requestId: expect.any(String) })
    const first = await post(box, state, { image: IMAGE })
    expect([first.code, show(first)]).toEqual([
      0,
      expect.stringContaining('Aborted: the update of BrillianCRM-env to')
    ])
    expect(first.summary).toContain('Aborted: the update of BrillianCRM-env to')
    expect([...summaryFaults(first.summary), ...layoutFaults(first.summary)]).toEqual([])
    expect(box.calls('AbortEnvironmentUpdate')).toHaveLength(1)
    // a second look (a re-run post step) finds the abort's own update, not this run's: never aborted twice
    const again = await post(box, state, { image: IMAGE })
    expect(again.code).toBe(0)
    expect(box.calls('AbortEnvironmentUpdate')).toHaveLength(1)
    await new Promise(resolve => setTimeout(resolve, 1500))
    expect(box.environment(ENV)).toMatchObject({ status: 'Ready', versionLabel: 'v0-initial' })
  }, 60_000)

  it("never aborts another run's update, nor after a step that ended by itself, nor with wait: false", async () => {
    const box = await sandbox(scenario({ update: { durationMs: 2000, outcome: 'never' } }))
    const ws = tempWorkspace(cleanups)
    // this run: requested, not waited for; the step ended by itself and cleared what it saved
    const requested = await runBundle('deploy-beanstalk', {
      workspace: ws,
      env: box.env,
      inputs: { 'application-name': APP, 'environment-name': ENV, image: IMAGE, wait: 'false' }
    })
    expect([requested.code, requested.state?.update]).toEqual([0, ''])
    expect(show(await post(box, requested.state ?? {}, { wait: 'false' }))).toContain('nothing to abort')
    // what a run would have saved for that update, but the update running now is another request's
    const mine = {
      region: 'eu-central-1',
      application: APP,
      environmentId: box.environment(ENV)?.id ?? '',
      environmentName: ENV,
      label: 'v-mine',
      requestId: '00000000-0000-4000-8000-000000000000',
      since: new Date(Date.now() - 60_000).toISOString()
    }
    const other = await post(box, { isPost: 'true', update: JSON.stringify(mine) })
    expect([other.code, show(other)]).toEqual([0, expect.stringContaining("not this run's: not aborted")])
    const waitFalse = await post(box, { isPost: 'true', update: JSON.stringify(mine) }, { wait: 'false' })
    expect(show(waitFalse)).toContain('wait is false')
    expect(box.calls('AbortEnvironmentUpdate')).toEqual([])
    expect(box.environment(ENV)?.status).toBe('Updating')
  }, 60_000)
})
