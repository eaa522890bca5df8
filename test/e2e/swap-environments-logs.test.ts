/**
 * swap-environments' instance logs (issue 24, for the swap): the real bundle run as the runner runs it, against the
 * sandbox, whose swap can fail (swapOutcome: 'fail': ERROR events, the CNAMEs as they were, the environment being
 * swapped in Red) and whose instances answer tail requests with pre-signed URLs to its S3. Which environments a
 * failure concerns: test/unit/swap-environments-logs.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'
import { errors } from '../helpers/deploy-beanstalk-fixtures.js'
import { runBundle, sandboxesClosedAfterEach, type BundleRun, type Sandbox } from '../../sandbox/index.js'
import { APP, BLUE, GREEN, LIVE_HOST, pairScenario } from '../helpers/swap-fixtures.js'

const sandbox = sandboxesClosedAfterEach()
const temps: string[] = []
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Set in the console on the idle environment: only DescribeConfigurationSettings knows it. */
const SEEDED_VALUE = 'seeded-plain-value-5521'
/** Known to nobody, but shaped like a GitHub token. */
const SHAPED_VALUE = `ghp_${'Z9y8X7w6V5'.repeat(4)}`

const failingSwap = (more: Parameters<typeof pairScenario>[0] = {}) =>
  pairScenario({
    swapMs: 0,
    swapOutcome: 'fail',
    green: { environmentVariables: { SEEDED_SETTING: SEEDED_VALUE, TOKEN_LIKE: SHAPED_VALUE } },
    ...more
  })

async function swap(box: Sandbox, inputs: Record<string, string> = {}) {
  const temp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
  temps.push(temp)
  const run = await runBundle('swap-environments', {
    inputs: {
      'application-name': APP,
      'environment-name': `${BLUE} ${GREEN}`,
      'live-cname': 'brilliancrm',
      'expect-version-label': 'v2',
      'wait-for-dns': 'false',
      timeout: '1m',
      ...inputs
    },
    env: { ...box.env, RUNNER_TEMP: temp }
  })
  return { run, temp }
}

const warnings = (run: BundleRun) => run.annotations.filter(a => a.level === 'warning')
/** The step's own error annotations (not Beanstalk's ERROR events). */
const stepErrors = (run: BundleRun) =>
  errors(run)
    .filter(e => e.title !== 'Beanstalk event')
    .map(e => `${e.title}: ${e.message}`)

describe('a swap that fails shows why: the instances own logs', () => {
  it('puts the masked tail of the environment that went Red in the summary and the log, and writes logs-file', async () => {
    const box = await sandbox(failingSwap())
    const { run, temp } = await swap(box)
    expect(run.code).toBe(1)
    expect(stepErrors(run)).toEqual([
      expect.stringMatching(/^Swap failed: The swap did not complete: BrillianCRM-blue still holds/)
    ])
    expect(box.environment(BLUE)?.cname).toBe(LIVE_HOST)
    // only the environment that went Red: its tail, named, with the platform's error and the container's output
    expect(box.calls('RequestEnvironmentInfo').map(c => c.params.EnvironmentId)).toEqual([
      box.environment(GREEN)?.id
    ])
    const summary = run.summary
    expect(summary).toContain('### ❌ Blue/green swap')
    expect(summary).toMatch(
      new RegExp(`<details><summary>Instance logs: ${GREEN} i-0[0-9a-f]{16} \\(the last 100 lines`)
    )
    const engine = summary.indexOf('==> /var/log/eb-engine.log <==')
    const container = summary.indexOf('==> /var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log <==')
    expect(engine).toBeGreaterThan(0)
    expect(container).toBeGreaterThan(engine)
    expect(summary).toContain('[ERROR] Container web-1 exited with code 1')
    expect(summary).toContain('step 25 of the deployment')
    expect(summary).not.toContain('step 24 of the deployment')
    // every value masked: the environment's own (DescribeConfigurationSettings), the token-shaped one
    expect(summary).toContain('read SEEDED_SETTING from the environment: ***')
    expect(summary).toContain('read TOKEN_LIKE from the environment: ***')
    const log = run.stdout.replace(/^::add-mask::.*$/gm, '')
    for (const text of [summary, log, run.stderr])
      for (const secret of [SEEDED_VALUE, SHAPED_VALUE]) expect(text).not.toContain(secret)
    expect(run.stdout).toMatch(
      new RegExp(`::group::Instance logs of ${GREEN}[\\s\\S]*Container web-1 exited[\\s\\S]*::endgroup::`)
    )
    // logs-file: everything retrieved, masked the same way, each instance under its environment
    const file = run.outputs['logs-file']
    expect(file.startsWith(temp)).toBe(true)
    const all = readFileSync(file, 'utf8')
    expect(all).toMatch(new RegExp(`^==== ${GREEN} i-0[0-9a-f]{16} ====`))
    expect(all).toContain('step 1 of the deployment')
    expect(all).toContain('/var/log/nginx/access.log')
    for (const secret of [SEEDED_VALUE, SHAPED_VALUE]) expect(all).not.toContain(secret)
    expect(run.outputs).toMatchObject({ swapped: 'false', 'live-environment-name': BLUE })
    expect(warnings(run)).toEqual([])
    expect([...summaryFaults(summary), ...layoutFaults(summary)]).toEqual([])
  }, 60_000)

  it('a denied log request is one warning, and the step fails with the same error as without logs', async () => {
    const { run } = await swap(await sandbox(failingSwap({ tailLogs: { behaviour: 'denied' } })))
    const { run: without } = await swap(await sandbox(failingSwap()), { 'log-lines': '0' })
    expect([run.code, without.code]).toEqual([1, 1])
    expect(stepErrors(run)).toEqual(stepErrors(without))
    expect(warnings(run).map(w => w.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The instances' logs of ${GREEN} could not be fetched \\(AccessDenied: .*RequestEnvironmentInfo.*\\); the swap's own error follows\\.$`
        )
      )
    ])
    for (const r of [run, without]) {
      expect(r.outputs['logs-file']).toBe('')
      expect(r.summary).not.toContain('Instance logs:')
    }
    expect(warnings(without)).toEqual([])
  }, 60_000)

  it('a step that fails before the swap (an unhealthy idle one is refused) asks for no logs', async () => {
    const box = await sandbox(failingSwap({ green: { health: 'Red' } }))
    const { run } = await swap(box)
    expect(run.code).toBe(1)
    expect(box.calls('RequestEnvironmentInfo')).toEqual([])
    expect(run.outputs['logs-file']).toBe('')
  }, 60_000)

  it('log-lines is refused when malformed, before any call', async () => {
    const box = await sandbox(failingSwap())
    const { run } = await swap(box, { 'log-lines': 'many' })
    expect(run.code).toBe(1)
    expect(stepErrors(run)).toEqual([expect.stringContaining('Input \'log-lines\' is "many"')])
    expect(box.requests).toEqual([])
  }, 60_000)
})
