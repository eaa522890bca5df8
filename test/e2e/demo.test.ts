/**
 * `npm run demo` is the README's first command: keep it true. Each scenario runs as a user runs it (npm, Node 24,
 * the real bundles against the sandbox and the GHCR stand-in), and after each nothing may be left listening or in
 * the temporary directory. The durations are the action's own: it polls Beanstalk every 2 s and gives a Red
 * environment at least 5 s to recover, so the deploy scenarios take 5-25 s each.
 */
import { describe, expect, it } from '@jest/globals'
import {
  leftovers,
  npmRun,
  printedPorts,
  scriptsStoppedAfterEach,
  type ScriptRun
} from '../helpers/scripts.js'

async function demo(scenario?: string): Promise<{ code: number | null; out: string; run: ScriptRun }> {
  const run = npmRun('demo', scenario ? ['--scenario', scenario] : [])
  const { code } = await run.exited
  return { code, out: run.output(), run }
}

async function nothingLeft(run: ScriptRun, out: string): Promise<void> {
  const ports = printedPorts(out)
  expect(ports.length).toBeGreaterThanOrEqual(3) // sandbox (2) and the stand-in
  expect(await leftovers(run, ports)).toEqual({ listening: [], files: [] })
}

scriptsStoppedAfterEach()

describe('npm run demo', () => {
  it('happy (the default): verify → deploy the verified digest → invalidate; exit 0', async () => {
    const { code, out, run } = await demo()
    expect({ code, tail: out.slice(-2000) }).toEqual({ code: 0, tail: expect.any(String) })
    expect(out).toContain('imbit/actions demo: happy')
    expect(out).toContain('✓ verify-package-public succeeded')
    expect(out).toContain('✓ deploy-beanstalk succeeded')
    expect(out).toContain('✓ invalidate-cloudfront succeeded')
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
      /AWS calls that changed something: CreateStorageLocation, PutObject, CreateApplicationVersion, UpdateEnvironment, CreateInvalidation/
    )
    expect(out).toMatch(
      /In the sandbox now: BrillianCRM-env is Ready, health Green, running d3e0d3e-[0-9a-f]{8} \(the new version\)/
    )
    expect(out).toContain('Demo finished: the workflow succeeded.')
    expect(out).not.toMatch(/NodeVersionSupportWarning|<storage bucket>|<[a-z]+ [a-z ]+>/)
    await nothingLeft(run, out)
  }, 30_000)

  it('private-package: stops before the deploy with the settings link; exit 1', async () => {
    const { code, out, run } = await demo('private-package')
    expect(code).toBe(1)
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
    const { code, out, run } = await demo('failed-deploy')
    expect(code).toBe(1)
    expect(out).toContain('Error (Beanstalk event):')
    expect(out).toMatch(
      /Error \(Deployment failed\): Deploying d3e0d3e-[0-9a-f]{8} to BrillianCRM-env failed: Failed to deploy application\./
    )
    expect(out).toContain('✗ deploy-beanstalk failed (exit 1)')
    expect(out).not.toContain('invalidate-cloudfront succeeded')
    expect(out).toMatch(
      /In the sandbox now: BrillianCRM-env is Ready, health Green, running v0-initial \(not d3e0d3e-/
    )
    await nothingLeft(run, out)
  }, 30_000)

  it('rollback: the new version turns Red, the previous one is redeployed and runs Green; exit 1', async () => {
    const { code, out, run } = await demo('rollback')
    expect(code).toBe(1)
    expect(out).toContain('but its health is Red and did not recover within 5s')
    expect(out).toContain('Rollback: rolled back to v0-initial: Ready, health Green.')
    expect(out).toMatch(/UpdateEnvironment, UpdateEnvironment/)
    expect(out).toMatch(/In the sandbox now: BrillianCRM-env is Ready, health Green, running v0-initial/)
    await nothingLeft(run, out)
  }, 45_000)

  it('busy: another deployment is waited out, then the deploy goes on; exit 0', async () => {
    const { code, out, run } = await demo('busy')
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 0, tail: expect.any(String) })
    expect(out).toMatch(/BrillianCRM-env is Updating \(another update is running\): waiting for it to finish/)
    expect(out).toContain('✓ invalidate-cloudfront succeeded')
    await nothingLeft(run, out)
  }, 45_000)

  it('--help lists the scenarios without starting anything; an unknown one exits 2', async () => {
    const help = npmRun('demo', ['--help'])
    expect((await help.exited).code).toBe(0)
    for (const name of ['happy', 'private-package', 'failed-deploy', 'rollback', 'busy']) {
      expect(help.output()).toMatch(new RegExp(`^  ${name} +\\S`, 'm'))
    }
    expect(help.output()).not.toContain('verify-package-public succeeded')
    expect(await leftovers(help, [])).toEqual({ listening: [], files: [] })
    const wrong = npmRun('demo', ['--scenario', 'nope'])
    expect((await wrong.exited).code).toBe(2)
    expect(wrong.output()).toContain('Unknown scenario "nope".')
    expect(await leftovers(wrong, [])).toEqual({ listening: [], files: [] })
  }, 20_000)

  it('SIGTERM to npm in the middle: the bundle, the sandbox and the stand-in stop, the folders go', async () => {
    const run = npmRun('demo', ['--scenario', 'rollback'])
    await run.waitFor(/Follow the update of BrillianCRM-env/, 25_000)
    const ports = printedPorts(run.output())
    expect(ports.length).toBeGreaterThanOrEqual(3)
    run.child.kill('SIGTERM')
    await run.exited
    expect(await leftovers(run, ports, 10_000)).toEqual({ listening: [], files: [] })
    expect(run.output()).toContain('SIGTERM: stopping the demo, the sandbox and the stand-in')
  }, 45_000)

  it('Ctrl-C (SIGINT to the whole process group, as a terminal sends it): everything stops, the folders go', async () => {
    const run = npmRun('demo', ['--scenario', 'rollback'], {}, { detached: true })
    await run.waitFor(/Follow the update of BrillianCRM-env/, 25_000)
    const ports = printedPorts(run.output())
    expect(ports.length).toBeGreaterThanOrEqual(3)
    process.kill(-run.child.pid!, 'SIGINT')
    await run.exited
    expect(await leftovers(run, ports, 10_000)).toEqual({ listening: [], files: [] })
    expect(run.output()).toContain('SIGINT: stopping the demo, the sandbox and the stand-in')
  }, 45_000)
})
