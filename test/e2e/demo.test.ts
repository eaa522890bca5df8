/**
 * `npm run demo` is the README's first command: keep it true. The default scenario and the signals run as a user
 * runs them (npm, Node 24, the real bundles against the sandbox, the GHCR stand-in and the demo app's site); the
 * other scenarios run the same script on Node 24 under tsx without npm in front (a second or so less each). After
 * each nothing may be left listening or in the temporary directory. Nothing here waits on a timer: the sandbox's clock moves with the
 * actions' calls (sandbox/action-clock.ts), so an update is over when deploy-beanstalk first looks and the busy
 * scenario's other deployment is running when it does. What remains is the actions' own pace: deploy-beanstalk
 * polls a running update again after 2 s (busy) and gives a Red environment 5 s to recover (rollback).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  leftovers,
  npmRun,
  printedPorts,
  scriptsStoppedAfterEach,
  tsxRun,
  type ScriptRun
} from '../helpers/scripts.js'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'

/** Each step's job summary, as the demo kept it with --summaries: `02-deploy-beanstalk` → its Markdown. */
type Summaries = Array<{ step: string; markdown: string }>

const summaryDirs: string[] = []
afterEach(() => {
  for (const dir of summaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/**
 * The default scenario through npm, as the README says; the others straight through tsx (see tsxRun). Every run
 * keeps its job summaries (--summaries, outside the script's own TMPDIR, which must end empty).
 */
async function demo(
  scenario?: string
): Promise<{ code: number | null; out: string; run: ScriptRun; summaries: Summaries }> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-summaries-'))
  summaryDirs.push(dir)
  const keep = ['--summaries', dir]
  const run = scenario ? tsxRun('scripts/demo.ts', ['--scenario', scenario, ...keep]) : npmRun('demo', keep)
  const { code } = await run.exited
  const summaries = readdirSync(dir)
    .sort()
    .map(file => ({ step: file.replace(/\.md$/, ''), markdown: readFileSync(join(dir, file), 'utf8') }))
  return { code, out: run.output(), run, summaries }
}

/**
 * Every summary a scenario produced is well formed (no table without headings, no row without a value, no
 * message twice) and follows the layout (the heading with its sign, the headline; Why and What to do on a
 * failure); the steps and their signs are the scenario's story. Returns the summaries by step.
 */
function expectSummaries(summaries: Summaries, story: string[]): Record<string, string> {
  expect(
    summaries.map(({ step, markdown }) => ({
      step,
      faults: [...summaryFaults(markdown), ...layoutFaults(markdown)]
    }))
  ).toEqual(summaries.map(({ step }) => ({ step, faults: [] })))
  expect(summaries.map(({ step, markdown }) => `${step} ${/^### (\S+)/.exec(markdown)?.[1] ?? '?'}`)).toEqual(
    story
  )
  return Object.fromEntries(summaries.map(({ step, markdown }) => [step, markdown]))
}

const ALL_PASSED = [
  '01-verify-package-public ✅',
  '02-deploy-beanstalk ✅',
  '03-invalidate-cloudfront ✅',
  '04-check-url ✅'
]

async function nothingLeft(run: ScriptRun, out: string): Promise<void> {
  const ports = printedPorts(out)
  expect(ports.length).toBeGreaterThanOrEqual(4) // sandbox (2), the stand-in and the site
  expect(await leftovers(run, ports)).toEqual({ listening: [], files: [] })
}

scriptsStoppedAfterEach()

/** The environment property scripts/demo.ts seeds (as if set in the console): its instances' logs print it. */
const DEMO_SIGNING_KEY = 'demo-signing-key-7f3a9c'

describe('npm run demo', () => {
  it('happy (the default): verify → deploy the verified digest → invalidate → the site answers with it; exit 0', async () => {
    const { code, out, run, summaries } = await demo()
    expect({ code, tail: out.slice(-2000) }).toEqual({ code: 0, tail: expect.any(String) })
    const shown = expectSummaries(summaries, ALL_PASSED)
    expect(out).toContain('imbit/actions demo: happy')
    expect(out).toContain('✓ verify-package-public succeeded')
    expect(out).toContain('✓ deploy-beanstalk succeeded')
    expect(out).toContain('✓ invalidate-cloudfront succeeded')
    // the site behind CloudFront (the environment's URL) answers with the new version
    const label = /version-label = (d3e0d3e-[0-9a-f]{8})/.exec(out)?.[1]
    expect(label).toBeDefined()
    expect(out).toMatch(new RegExp(`http://127\\.0\\.0\\.1:\\d+/: 200 OK \\(attempt 1, \\d+ms\\): passed`))
    expect(out).toContain(`body containing "version ${label}"`)
    expect(out).toContain('✓ check-url succeeded')
    expect(out).toContain(`The site now answers: 200, version ${label}`)
    // the image verified is the image deployed, by digest: in the check, the pinning and the deployed bundle
    const checked = /Pullable: (sha256:[0-9a-f]{64})/.exec(out)?.[1]
    expect(checked).toBeDefined()
    expect(out).toMatch(
      new RegExp(
        `Service web: 127\\.0\\.0\\.1:\\d+/imbit/demo-app:latest → 127\\.0\\.0\\.1:\\d+/imbit/demo-app@${checked}`
      )
    )
    expect(out).toMatch(new RegExp(`Image in the deployed bundle: \\S+@${checked} \\(the same digest\\)`))
    expect(out).toContain(`digest = ${checked}`)
    expect(out).toMatch(
      /AWS calls that changed something: CreateStorageLocation, PutObject, CreateApplicationVersion, UpdateEnvironment, CreateInvalidation\n/
    )
    expect(out).toMatch(
      /In the sandbox now: BrillianCRM-env is Ready, health Green, running d3e0d3e-[0-9a-f]{8} \(the new version\)/
    )
    expect(out).toContain('Demo finished: the workflow succeeded.')
    expect(out).not.toMatch(/NodeVersionSupportWarning|<storage bucket>|<[a-z]+ [a-z ]+>|<\/?h\d>/)
    // the deploy's headline: what now runs where, and what ran before
    expect(shown['02-deploy-beanstalk']).toMatch(
      new RegExp(
        `^### ✅ Elastic Beanstalk\\n\\n\`${label}\` runs on BrillianCRM-env, Green, after \\S+ — previously \`v0-initial\`\\.\\n`
      )
    )
    await nothingLeft(run, out)
  }, 15_000)

  it('private-package: stops before the deploy with the settings link; exit 1', async () => {
    const { code, out, run, summaries } = await demo('private-package')
    expect(code).toBe(1)
    const shown = expectSummaries(summaries, ['01-verify-package-public ❌'])
    expect(shown['01-verify-package-public']).toContain(
      '**What to do**\n\nMake it public at https://github.com/orgs/imbit/packages/container/demo-app/settings.'
    )
    expect(out).toMatch(
      /Error \(Package is not public\): 127\.0\.0\.1:\d+\/imbit\/demo-app:sha-d3e0d3e is private: .*https:\/\/github\.com\/orgs\/imbit\/packages\/container\/demo-app\/settings/
    )
    expect(out).toContain('✗ verify-package-public failed (exit 1)')
    expect(out).not.toContain('deploy-beanstalk succeeded')
    expect(out).toContain('The workflow stops at the failed step')
    expect(out).toContain('AWS calls that changed something: none')
    expect(out).toContain('running v0-initial')
    await nothingLeft(run, out)
  }, 30_000)

  it("failed-deploy: Beanstalk's events as errors, the old version keeps running; exit 1", async () => {
    const { code, out, run, summaries } = await demo('failed-deploy')
    expect(code).toBe(1)
    const shown = expectSummaries(summaries, ['01-verify-package-public ✅', '02-deploy-beanstalk ❌'])
    // what failed and what runs now; then Beanstalk's messages, one a line
    expect(shown['02-deploy-beanstalk']).toMatch(
      /^### ❌ Elastic Beanstalk\n\nDeploying `d3e0d3e-[0-9a-f]{8}` to BrillianCRM-env failed after \S+; BrillianCRM-env runs `v0-initial`, Green\.\n\n\*\*Why\*\*\n\n- Failed to deploy application\.\n- Instance deployment failed\./
    )
    expect(out).toContain('Error (Beanstalk event):')
    expect(out).toMatch(
      /Error \(Deployment failed\): Deploying d3e0d3e-[0-9a-f]{8} to BrillianCRM-env failed: Failed to deploy application\./
    )
    expect(out).toContain('✗ deploy-beanstalk failed (exit 1)')
    expect(out).toMatch(/^ {2}Deploying `d3e0d3e-[0-9a-f]{8}` to BrillianCRM-env failed after /m) // the summary's headline
    expect(out).not.toContain('invalidate-cloudfront succeeded')
    expect(out).toMatch(
      /In the sandbox now: BrillianCRM-env is Ready, health Green, running v0-initial \(not d3e0d3e-/
    )
    // why, in the instances' own words: the tail of eb-engine.log, then the container's, the property masked
    expect(out).toMatch(/Instance logs: i-0[0-9a-f]{16} \(the last 25 lines/)
    expect(out).toContain(
      '[ERROR] An error occurred during execution of command [app-deploy] - [Run Docker Compose]'
    )
    expect(out).toContain('web-1  | read APP_SIGNING_KEY from the environment: ***')
    expect(out).not.toContain(DEMO_SIGNING_KEY)
    expect(out).toMatch(/logs-file = \S+beanstalk-logs-BrillianCRM-env-d3e0d3e-[0-9a-f]{8}\.txt/)
    await nothingLeft(run, out)
  }, 30_000)

  it('rollback: the new version turns Red, the previous one is redeployed and runs Green; exit 1', async () => {
    const { code, out, run, summaries } = await demo('rollback')
    expect(code).toBe(1)
    const deploy = expectSummaries(summaries, ['01-verify-package-public ✅', '02-deploy-beanstalk ❌'])[
      '02-deploy-beanstalk'
    ]
    // the headline says what runs now; the rollback's result once, in its row
    expect(deploy).toContain('; BrillianCRM-env runs `v0-initial` again after the rollback, Green.')
    expect(deploy).toContain('**Why**\n\nThe environment runs "d3e0d3e-')
    expect(deploy.match(/rolled back to v0-initial/g)).toHaveLength(1)
    expect(deploy).toContain('| Rollback | rolled back to v0-initial: Ready on v0-initial, health Green. |')
    expect(out).toContain('but its health is Red and did not recover within 5s')
    expect(out).toContain('Rollback: rolled back to v0-initial: Ready on v0-initial, health Green.')
    expect(out).toMatch(/UpdateEnvironment, UpdateEnvironment/)
    expect(out).toMatch(/In the sandbox now: BrillianCRM-env is Ready, health Green, running v0-initial/)
    // the poll schedule spreads the 20 Beanstalk requests a minute: the rollback never waits for the window
    expect(out).not.toContain('Pacing Beanstalk requests')
    await nothingLeft(run, out)
  }, 30_000)

  it('busy: another deployment is waited out, then the deploy goes on; exit 0', async () => {
    const { code, out, run, summaries } = await demo('busy')
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 0, tail: expect.any(String) })
    expectSummaries(summaries, ALL_PASSED)
    expect(out).toMatch(/BrillianCRM-env is Updating \(another update is running\): waiting for it to finish/)
    expect(out).toContain('✓ invalidate-cloudfront succeeded')
    expect(out).toContain('✓ check-url succeeded')
    await nothingLeft(run, out)
  }, 30_000)

  it('failed-check: Green but the site answers 500; the evidence, the previous version redeployed; exit 1', async () => {
    const { code, out, run, summaries } = await demo('failed-check')
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 1, tail: expect.any(String) })
    const shown = expectSummaries(summaries, [
      '01-verify-package-public ✅',
      '02-deploy-beanstalk ✅',
      '03-invalidate-cloudfront ✅',
      '04-check-url ❌',
      '05-deploy-beanstalk ✅', // the rollback: the previous version redeployed
      '06-invalidate-cloudfront ✅'
    ])
    expect(shown['04-check-url']).toMatch(
      /\*\*Why\*\*\n\nhttp:\/\/127\.0\.0\.1:\d+\/: answered 500 Internal Server Error: /
    )
    expect(shown['05-deploy-beanstalk']).toMatch(
      /^### ✅ Elastic Beanstalk\n\n`v0-initial` runs on BrillianCRM-env, Green/
    )
    const label = /version-label = (d3e0d3e-[0-9a-f]{8})/.exec(out)?.[1]
    expect(label).toBeDefined()
    expect(out).toContain('✓ deploy-beanstalk succeeded')
    // check-url's own error: what was expected and what came back
    expect(out).toMatch(
      /Error \(Site check failed\): http:\/\/127\.0\.0\.1:\d+\/ failed the site check: it did not pass within the timeout \(1\.5s, \d+ attempts\)\./
    )
    expect(out).toContain('Got: 500 Internal Server Error.')
    expect(out).toContain(`demo-app ${label}: cannot connect to the database (DATABASE_URL is not set)`)
    expect(out).toContain('✗ check-url failed (exit 1)')
    // the workflow's steps after a failed check: redeploy the previous version, invalidate again, report
    expect(out).toContain('Roll back to the previous version: deploy-beanstalk redeploys v0-initial')
    expect(out).toContain('Version:      v0-initial (exists: redeployed as it is, nothing built or uploaded)')
    expect(out).toContain('Invalidate CloudFront again after the rollback')
    const report = new RegExp(
      `The site check failed after deploying ${label} to BrillianCRM-env \\(http://127\\.0\\.0\\.1:\\d+/ answered 500; details in the check-url step above\\)\\.`
    )
    expect(out).toMatch(
      new RegExp(
        `Error \\(Site check failed\\): ${report.source} Rolled back: BrillianCRM-env runs v0-initial again\\.`
      )
    )
    // the job summary of the report step
    expect(out).toMatch(
      new RegExp(
        `Job summary\\n  Site check failed\\n  ${report.source}\\n  Rolled back: BrillianCRM-env runs v0-initial again\\.`
      )
    )
    expect(out).toMatch(
      /AWS calls that changed something: CreateStorageLocation, PutObject, CreateApplicationVersion, UpdateEnvironment, CreateInvalidation, UpdateEnvironment, CreateInvalidation\n/
    )
    expect(out).toMatch(
      /In the sandbox now: BrillianCRM-env is Ready, health Green, running v0-initial \(not d3e0d3e-/
    )
    expect(out).toContain('The site now answers: 200, version v0-initial')
    expect(out).toContain('Demo finished: the workflow failed, as this scenario shows.')
    await nothingLeft(run, out)
  }, 30_000)

  it('platform-update: platform: latest moves the environment to the newest version of its branch with the new version, in one update; exit 0', async () => {
    const { code, out, run, summaries } = await demo('platform-update')
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 0, tail: expect.any(String) })
    const shown = expectSummaries(summaries, ALL_PASSED)
    expect(shown['02-deploy-beanstalk']).toMatch(
      /\| Platform \| 64bit Amazon Linux 2023 v4\.4\.0 running Docker → 64bit Amazon Linux 2023 v4\.10\.0 running Docker: sent with the version, in one update; runs 4\.10\.0 \|/
    )
    // the plan: the platform that runs, the target, what changes; sent with the version
    expect(out).toContain(
      'Platform:     64bit Amazon Linux 2023 v4.4.0 running Docker (branch Docker running on 64bit Amazon Linux 2023, supported)'
    )
    expect(out).toContain(
      'Platform to:  64bit Amazon Linux 2023 v4.10.0 running Docker (platform: latest, the newest Ready version of the same branch)'
    )
    expect(out).toContain(
      'platform version 4.4.0 → 4.10.0, same branch (Docker running on 64bit Amazon Linux 2023)'
    )
    expect(out).toMatch(/Deploying d3e0d3e-[0-9a-f]{8} on the new platform version to BrillianCRM-env/)
    expect(out).toContain(
      'Platform: Docker running on 64bit Amazon Linux 2023/4.4.0 → Docker running on 64bit Amazon Linux 2023/4.10.0'
    )
    expect(out).toContain('✓ check-url succeeded')
    // one update carried both
    expect(out).toMatch(
      /AWS calls that changed something: CreateStorageLocation, PutObject, CreateApplicationVersion, UpdateEnvironment, CreateInvalidation\n/
    )
    expect(out).toContain('Demo finished: the workflow succeeded.')
    await nothingLeft(run, out)
  }, 30_000)

  it('blue-green: the first release creates the twin and swaps to it, the second swaps back the other way; the live one is never updated; exit 0', async () => {
    const { code, out, run, summaries } = await demo('blue-green')
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 0, tail: expect.any(String) })
    const release = (first: number) =>
      ['deploy-beanstalk', 'check-url', 'swap-environments', 'invalidate-cloudfront', 'check-url'].map(
        (step, i) => `${String(first + i).padStart(2, '0')}-${step} ✅`
      )
    const shown = expectSummaries(summaries, ['01-verify-package-public ✅', ...release(2), ...release(7)])
    // release 1: the twin created as a clone, deployed to, checked on its own URL, swapped in
    expect(out).toContain('BrillianCRM-env-twin does not exist: it is created as a clone of BrillianCRM-env.')
    const labels = [...out.matchAll(/live-version-label = ([bc][0-9a-f]{6}-[0-9a-f]{8})/g)].map(m => m[1])
    expect(labels).toHaveLength(2)
    expect(out).toContain(
      `Swapped: BrillianCRM-env-twin (${labels[0]}) holds brilliancrm.eu-central-1.elasticbeanstalk.com`
    )
    // release 2: the pair the other way round, deployed to BrillianCRM-env, swapped back to it
    expect(out).toContain(
      `Swapped: BrillianCRM-env (${labels[1]}) holds brilliancrm.eu-central-1.elasticbeanstalk.com; BrillianCRM-env-twin (${labels[0]}) is idle`
    )
    // each update went to the idle one only: two updates, one per release, two swaps, no termination
    expect(out).toMatch(
      /AWS calls that changed something: CreateConfigurationTemplate, CreateEnvironment, DeleteConfigurationTemplate, CreateStorageLocation, PutObject, CreateApplicationVersion, UpdateEnvironment, SwapEnvironmentCNAMEs, CreateInvalidation, CreateStorageLocation, PutObject, CreateApplicationVersion, UpdateEnvironment, SwapEnvironmentCNAMEs, CreateInvalidation\n/
    )
    expect(out).toContain(`The site now answers: 200, version ${labels[1]}`)
    expect(shown['04-swap-environments']).toMatch(
      new RegExp(
        `^### ✅ Blue/green swap\\n\\nThe live CNAME \`brilliancrm\\.eu-central-1\\.elasticbeanstalk\\.com\` now points to \\*\\*BrillianCRM-env-twin\\*\\* \\(\`${labels[0]}\`\\); BrillianCRM-env \\(\`v0-initial\`\\) is idle, one swap away\\.\\n`
      )
    )
    expect(out).toContain('Demo finished: the workflow succeeded.')
    await nothingLeft(run, out)
  }, 60_000)

  it('blue-green-swap-back: the twin passes on its own URL, the live check fails after the swap, swapped back: the old version answers again; exit 1', async () => {
    const { code, out, run, summaries } = await demo('blue-green-swap-back')
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 1, tail: expect.any(String) })
    const shown = expectSummaries(summaries, [
      '01-verify-package-public ✅',
      '02-deploy-beanstalk ✅',
      '03-check-url ✅',
      '04-swap-environments ✅',
      '05-invalidate-cloudfront ✅',
      '06-check-url ❌',
      '07-swap-environments ✅',
      '08-invalidate-cloudfront ✅'
    ])
    expect(shown['07-swap-environments']).toContain(
      'The live CNAME `brilliancrm.eu-central-1.elasticbeanstalk.com` now points to **BrillianCRM-env** (`v0-initial`)'
    )
    expect(out).toContain('✓ check-url succeeded') // the idle environment on its own URL
    expect(out).toContain("Invalid HTTP_HOST header: 'brilliancrm.com'")
    expect(out).toContain(
      'Swapped: BrillianCRM-env (v0-initial) holds brilliancrm.eu-central-1.elasticbeanstalk.com'
    )
    expect(out).toMatch(/failed the live check after the swap; swapped back: v0-initial is live again/)
    expect(out).toContain('The site now answers: 200, version v0-initial')
    expect(out).toContain('Demo finished: the workflow failed, as this scenario shows.')
    await nothingLeft(run, out)
  }, 60_000)

  it('--help lists the scenarios without starting anything; an unknown one exits 2', async () => {
    const help = npmRun('demo', ['--help'])
    expect((await help.exited).code).toBe(0)
    // exactly the scenarios the tests above run, each with its job summaries checked: a new one needs its test
    const listed = help.output().slice(help.output().indexOf('Scenarios'))
    expect([...listed.matchAll(/^ {2}(\S+) {2,}\S/gm)].map(m => m[1])).toEqual([
      'happy',
      'private-package',
      'failed-deploy',
      'rollback',
      'busy',
      'failed-check',
      'platform-update',
      'blue-green',
      'blue-green-swap-back'
    ])
    expect(help.output()).not.toContain('verify-package-public succeeded')
    expect(await leftovers(help, [])).toEqual({ listening: [], files: [] })
    const wrong = npmRun('demo', ['--scenario', 'nope'])
    expect((await wrong.exited).code).toBe(2)
    expect(wrong.output()).toContain('Unknown scenario "nope".')
    expect(await leftovers(wrong, [])).toEqual({ listening: [], files: [] })
  }, 20_000)

  it('SIGTERM to npm in the middle: the bundle, the sandbox and the stand-ins stop, the folders go', async () => {
    const run = npmRun('demo', ['--scenario', 'rollback'])
    await run.waitFor(/Follow the update of BrillianCRM-env/, 25_000)
    const ports = printedPorts(run.output())
    expect(ports.length).toBeGreaterThanOrEqual(4)
    run.child.kill('SIGTERM')
    await run.exited
    expect(await leftovers(run, ports, 10_000)).toEqual({ listening: [], files: [] })
    expect(run.output()).toContain('SIGTERM: stopping the demo, the sandbox and the stand-ins…')
  }, 45_000)

  it('Ctrl-C (SIGINT to the whole process group, as a terminal sends it): everything stops, the folders go', async () => {
    const run = npmRun('demo', ['--scenario', 'rollback'], {}, { detached: true })
    await run.waitFor(/Follow the update of BrillianCRM-env/, 25_000)
    const ports = printedPorts(run.output())
    expect(ports.length).toBeGreaterThanOrEqual(4)
    process.kill(-run.child.pid!, 'SIGINT')
    await run.exited
    expect(await leftovers(run, ports, 10_000)).toEqual({ listening: [], files: [] })
    expect(run.output()).toContain('SIGINT: stopping the demo, the sandbox and the stand-ins…')
  }, 45_000)
})
