/**
 * `npm run local` as a user runs it: the action's source under @github/local-action against the sandbox and
 * stand-ins the script starts itself. The failure path is shown as the runner shows it (the annotation, the
 * summary, the exit code), and nothing is left listening or in the temporary directory afterwards, also when
 * npm is sent SIGTERM in the middle of a deployment.
 *
 * These run the real tool chain (npm, Node 24, tsx, local-action), as a user does: a run of an action takes about
 * 3.5 s when the machine is quiet, 4 to 5 s when it is busy (it took 5 to 11 s), most of it local-action's own
 * start-up (its dependencies, and the `npm ls` it runs to find @actions/*). What keeps it there is in
 * scripts/local.ts and scripts/compile-cache.mjs (docs/local-testing.md, "npm run local"); the first run after a
 * fresh checkout compiles into .tmp/compile-cache and takes about a second longer: the verify-package-public run
 * comes first, the lightest, so the deploy run after it (on a clean clone, as in .ci/run) only compiles its own
 * action's source.
 */
import { describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ROOT, runBundle } from '../../sandbox/index.js'
import { leftovers, npmRun, printedPorts, scriptsStoppedAfterEach } from '../helpers/scripts.js'

scriptsStoppedAfterEach()

describe('npm run local', () => {
  it('verify-package-public, a private package: the settings link in the annotation, exit code 1, nothing left', async () => {
    const run = npmRun('local', ['verify-package-public', '--scenario', 'private'])
    const { code } = await run.exited
    const out = run.output()
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 1, tail: expect.any(String) })
    expect(out).toMatch(
      /::error title=Package is not public::127\.0\.0\.1:\d+\/imbit\/demo-app:latest is private: .* Make it public at https:\/\/github\.com\/orgs\/imbit\/packages\/container\/demo-app\/settings\./
    )
    expect(out).toContain('Visibility: private (organisation package).')
    expect(out).toContain('✗ verify-package-public failed: Error: Process completed with exit code 1.')
    const ports = printedPorts(out)
    expect(ports).toHaveLength(1) // the GHCR stand-in (registry and packages API on one port); no AWS sandbox
    expect(await leftovers(run, ports)).toEqual({ listening: [], files: [] })
  }, 60_000)

  it('deploy-beanstalk, an update that fails: the error annotation, the summary, exit code 1, nothing left', async () => {
    const run = npmRun('local', ['deploy-beanstalk', '--scenario', 'failing'])
    const { code } = await run.exited
    const out = run.output()
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 1, tail: expect.any(String) })
    expect(out).toContain('::error title=Beanstalk event::')
    expect(out).toMatch(
      /::error title=Deployment failed::Deploying 0123456-[0-9a-f]{8} to BrillianCRM-env failed: Failed to deploy application\./
    )
    // the job summary's heading and headline
    expect(out).toMatch(
      /❌ Elastic Beanstalk\s+Deploying `?0123456-[0-9a-f]{8}`? to BrillianCRM-env failed after /
    )
    expect(out).toContain('✗ deploy-beanstalk failed: Error: Process completed with exit code 1.')
    expect(out).not.toMatch(/NodeVersionSupportWarning|Uncaught|TypeError/)
    const ports = printedPorts(out)
    expect(ports).toHaveLength(2)
    expect(await leftovers(run, ports)).toEqual({ listening: [], files: [] })
  }, 60_000)

  it('deploy-beanstalk, as the docs show it (the default scenario): deployed, the version line names the action, the description is the demo app commit', async () => {
    const run = npmRun('local', ['deploy-beanstalk'])
    const { code } = await run.exited
    const out = run.output()
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 0, tail: expect.any(String) })
    expect(out).toMatch(
      /^(?:::info::)?imbit\/actions deploy-beanstalk (commit [0-9a-f]{40}|version unknown)/m
    )
    // the runner's push event for the demo app (npm run local writes it), not this checkout's last commit
    expect(out).toContain('Description:  Show the running version on the home page\n')
    expect(out).toContain('✓ deploy-beanstalk succeeded (exit code 0)')
    expect(await leftovers(run, printedPorts(out))).toEqual({ listening: [], files: [] })
  }, 60_000)

  it('invalidate-cloudfront with --env-file (a copy of .env.example): the distribution of brilliancrm.com invalidated', async () => {
    const envFile = join(mkdtempSync(join(tmpdir(), 'local-env-')), '.env')
    try {
      copyFileSync(join(ROOT, '.env.example'), envFile)
      const run = npmRun('local', ['invalidate-cloudfront', '--env-file', envFile])
      const { code } = await run.exited
      const out = run.output()
      expect({ code, tail: out.slice(-1500) }).toEqual({ code: 0, tail: expect.any(String) })
      expect(out).toMatch(/^(?:::info::)?imbit\/actions invalidate-cloudfront /m)
      expect(out).toContain(`.env           from ${envFile}`)
      expect(out).toContain('E2CRM000000001')
      expect(out).toContain('✓ invalidate-cloudfront succeeded (exit code 0)')
      expect(await leftovers(run, printedPorts(out))).toEqual({ listening: [], files: [] })
    } finally {
      rmSync(dirname(envFile), { recursive: true, force: true })
    }
  }, 60_000)

  it('check-url out of the box: the demo app answers, exit 0; the version line names check-url', async () => {
    const run = npmRun('local', ['check-url'])
    const { code } = await run.exited
    const out = run.output()
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 0, tail: expect.any(String) })
    expect(out).toMatch(/^(?:::info::)?imbit\/actions check-url /m)
    expect(out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/: 200 OK \(attempt 1, \d+ms\): passed/)
    expect(out).toContain('✓ check-url succeeded (exit code 0)')
    const ports = printedPorts(out)
    expect(ports).toHaveLength(1) // the site only
    expect(await leftovers(run, ports)).toEqual({ listening: [], files: [] })
  }, 60_000)

  it('check-url --scenario failing: what was expected and what came back, exit 1', async () => {
    const run = npmRun('local', ['check-url', '--scenario', 'failing'])
    const { code } = await run.exited
    const out = run.output()
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 1, tail: expect.any(String) })
    expect(out).toMatch(/::error title=Site check failed::http:\/\/127\.0\.0\.1:\d+\/ failed the site check/)
    expect(out).toContain('cannot connect to the database')
    expect(out).toContain('✗ check-url failed: Error: Process completed with exit code 1.')
    expect(await leftovers(run, printedPorts(out))).toEqual({ listening: [], files: [] })
  }, 60_000)

  it('SIGTERM to npm during a deployment stops the action, the sandbox and removes the temporary folder', async () => {
    const run = npmRun('local', ['deploy-beanstalk', '--scenario', 'never'])
    await run.waitFor(/Follow the update of BrillianCRM-env/, 45_000)
    const ports = printedPorts(run.output())
    expect(ports).toHaveLength(2)
    run.child.kill('SIGTERM')
    await run.exited
    expect(await leftovers(run, ports, 10_000)).toEqual({ listening: [], files: [] })
    expect(run.output()).toContain('SIGTERM: stopping the action, the sandbox and the stand-ins')
  }, 60_000)

  it('swap-environments out of the box (the blue-green scenario): the twin takes the live CNAME, exit 0', async () => {
    const run = npmRun('local', ['swap-environments'])
    const { code } = await run.exited
    const out = run.output()
    expect({ code, tail: out.slice(-1500) }).toEqual({ code: 0, tail: expect.any(String) })
    expect(out).toContain(
      'Swapped: BrillianCRM-env-twin (v1) holds brilliancrm.eu-central-1.elasticbeanstalk.com'
    )
    expect(out).toContain('✓ swap-environments succeeded (exit code 0)')
    expect(await leftovers(run, printedPorts(out))).toEqual({ listening: [], files: [] })
  }, 60_000)

  it('--help lists the actions and the scenarios; an unknown action exits 2 without starting anything', async () => {
    const help = npmRun('local', ['--help'])
    expect((await help.exited).code).toBe(0)
    expect(help.output()).toMatch(/Actions: .*deploy-beanstalk.*verify-package-public/)
    expect(help.output()).toContain('private ')
    expect(await leftovers(help, [])).toEqual({ listening: [], files: [] })
    const wrong = npmRun('local', ['deploy-everything'])
    expect((await wrong.exited).code).toBe(2)
    expect(wrong.output()).toContain('Unknown action "deploy-everything".')
    expect(await leftovers(wrong, [])).toEqual({ listening: [], files: [] })
  }, 30_000)
})

describe('npm run registry', () => {
  it('serves a private imbit/demo-app; the printed variables make verify-package-public fail with the settings link; SIGTERM stops it', async () => {
    const run = npmRun('registry', ['--visibility', 'private'])
    await run.waitFor(/Running \(Ctrl-C to stop\)\./, 20_000)
    const exports = Object.fromEntries(
      [...run.output().matchAll(/^export (\w+)=(\S+)$/gm)].map(m => [m[1], m[2]] as [string, string])
    )
    expect(exports).toEqual({
      GITHUB_API_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api$/),
      INPUT_IMAGE: expect.stringMatching(/^127\.0\.0\.1:\d+\/imbit\/demo-app:latest$/),
      INPUT_TOKEN: 'local-token-not-a-secret',
      INPUT_TIMEOUT: '10s'
    })
    const verify = await runBundle('verify-package-public', {
      inputs: { image: exports.INPUT_IMAGE, token: exports.INPUT_TOKEN, timeout: exports.INPUT_TIMEOUT },
      env: { GITHUB_API_URL: exports.GITHUB_API_URL }
    })
    expect(verify.code).toBe(1)
    expect(verify.outputs.visibility).toBe('private')
    expect(verify.annotations.map(a => a.title)).toContain('Package is not public')
    const ports = printedPorts(run.output())
    expect(ports).toHaveLength(1)
    run.child.kill('SIGTERM')
    await run.exited
    expect(await leftovers(run, ports)).toEqual({ listening: [], files: [] })
  }, 30_000)
})
