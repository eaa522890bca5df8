/**
 * deploy-beanstalk on its bad days, in process on the injected fake clock against the sandbox (started in
 * process, on the same clock): the whole action (runAction → run) as the bundle runs it, with the sandbox's
 * fault injection (lost replies after the effect, malformed bodies, echoed requests, throttling). Nothing
 * sleeps: the fake clock moves on at every wait, and the sandbox's updates follow it.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fakeClock } from '../helpers/fakes.js'
import { layoutFaults, summaryFaults } from '../helpers/summary-lint.js'
import {
  ROOT,
  parseAnnotations,
  parseOutputFile,
  startSandbox,
  type EnvSpec,
  type FaultSpec,
  type Sandbox,
  type SandboxScenario
} from '../../sandbox/index.js'
import { deployBeanstalk } from '../../src/deploy-beanstalk/main.js'
import { runAction } from '../../src/common/run.js'
import { clearSecrets } from '../../src/common/secrets.js'

const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const IMAGE = 'ghcr.io/imbit/demo-app:0123456789abcdef0123456789abcdef01234567'
const TOKEN = 'FQoGZXIvYXdzEJr-session-token-0123456789abcdef'

function scenario(env: Partial<EnvSpec> = {}, faults?: FaultSpec): SandboxScenario {
  return {
    name: 'deploy-beanstalk failures',
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }],
        environments: [
          {
            name: ENV,
            versionLabel: 'v0-initial',
            update: { durationMs: 20_000, outcome: 'healthy' },
            ...env
          }
        ]
      }
    ],
    faults
  }
}

let dir: string
let box: Sandbox | undefined
let stdout: string[]
const saved = { ...process.env }

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-failures-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), join(dir, 'ws'), { recursive: true })
  writeFileSync(join(dir, 'output'), '')
  writeFileSync(join(dir, 'summary'), '')
  stdout = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk))
    return true
  })
})

afterEach(async () => {
  jest.restoreAllMocks()
  await box?.close()
  box = undefined
  rmSync(dir, { recursive: true, force: true })
  process.env = { ...saved }
  process.exitCode = undefined
  clearSecrets()
})

interface Result {
  exitCode: number
  outputs: Record<string, string>
  summary: string
  log: string
  errors: Array<{ title?: string; message: string }>
}

async function deploy(
  spec: SandboxScenario,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<Result> {
  const clock = fakeClock(Date.now())
  box = await startSandbox(spec, { silent: true, now: clock.now })
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name]
  const all: Record<string, string> = {
    'application-name': APP,
    'environment-name': ENV,
    image: IMAGE,
    timeout: '10m',
    ...inputs
  }
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value
  Object.assign(process.env, box.env, {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_WORKSPACE: join(dir, 'ws'),
    RUNNER_TEMP: dir,
    GITHUB_SHA: 'abcdef0123456789abcdef0123456789abcdef01',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env
  })
  await runAction(deployBeanstalk({ clock, env: process.env }))
  const log = stdout.join('')
  return {
    exitCode: Number(process.exitCode ?? 0),
    outputs: parseOutputFile(readFileSync(join(dir, 'output'), 'utf8')),
    summary: readFileSync(join(dir, 'summary'), 'utf8'),
    log,
    errors: parseAnnotations(log).filter(a => a.level === 'error')
  }
}

const sandbox = (): Sandbox => {
  if (!box) throw new Error('no sandbox')
  return box
}

describe('one report on every exit (1), known conditions (8), secrets scrubbed (5)', () => {
  it('AccessDenied on UpdateEnvironment after the version was created: outputs, summary, plain error, no token', async () => {
    const result = await deploy(
      scenario({}, { echoRequest: { operations: ['UpdateEnvironment'] } }),
      {},
      { AWS_SESSION_TOKEN: TOKEN }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    const [error] = result.errors
    expect(error.title).toBe('AWS permission missing')
    expect(error.message).toContain('elasticbeanstalk:UpdateEnvironment')
    expect(error.message).toContain('docs/aws-setup.md')
    // the echoed session token is scrubbed from everything we wrote
    const logged = result.log.split('\n').filter(line => !line.startsWith('::add-mask::'))
    expect(logged.join('\n')).not.toContain(TOKEN.slice(8))
    expect(logged.join('\n')).toContain('x-amz-security-token:***')
    expect(result.summary).not.toContain(TOKEN.slice(8))
    expect(result.log).toContain(`::add-mask::${TOKEN}`)
    // the version was created: reported, with what is left behind
    const label = result.outputs['version-label']
    expect(label).toMatch(/^abcdef0-[0-9a-f]{8}$/)
    expect(sandbox().version(APP, label)).toBeDefined()
    expect(result.outputs).toMatchObject({
      deployed: 'false',
      'previous-version-label': 'v0-initial',
      'environment-id': expect.stringMatching(/^e-/),
      health: 'Green'
    })
    expect(result.summary).toContain(
      `\`${label}\` was not deployed to BrillianCRM-env; BrillianCRM-env runs \`v0-initial\``
    )
    expect(result.summary).toContain('**Why**\n\nAWS permission missing: ')
    // What to do: the policy, then the version this run left behind
    expect(result.summary).toMatch(
      new RegExp(
        `\\*\\*What to do\\*\\*\\n\\n- Add elasticbeanstalk:UpdateEnvironment .*\\n- Version ${label} was created but not deployed`
      )
    )
    expect([...summaryFaults(result.summary), ...layoutFaults(result.summary)]).toEqual([])
  })

  it('a failure before the plan (unknown environment) still sets deployed=false and writes the summary', async () => {
    const result = await deploy(scenario(), { 'environment-name': 'BrillianCRM-nope' })
    expect(result.exitCode).toBe(1)
    expect(result.outputs.deployed).toBe('false')
    expect(result.summary).toContain(
      'Nothing was deployed to BrillianCRM-nope: the run stopped before the deploy, and nothing was changed in Beanstalk.'
    )
    expect(result.summary).toMatch(/\*\*Why\*\*\n\n.*BrillianCRM-nope/)
    expect(summaryFaults(result.summary)).toEqual([])
    expect(sandbox().mutatingCalls()).toEqual([])
  })

  it('missing credentials: titled as such with the fix, not "Unexpected error"', async () => {
    const result = await deploy(scenario(), {}, { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' })
    expect(result.exitCode).toBe(1)
    expect(result.errors.map(e => e.title)).toEqual(['AWS credentials missing'])
    expect(result.errors[0].message).toContain('aws-actions/configure-aws-credentials')
    expect(result.outputs.deployed).toBe('false')
    expect(result.log).not.toContain('[object Object]')
  })

  it('a YAML alias bomb in the compose file: the file, the problem and the input, not "Unexpected error"', async () => {
    const bomb = [
      'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'x-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'x-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'x-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'x-e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'services:',
      '  web:',
      '    image: ghcr.io/imbit/demo-app:latest',
      '    labels: *e',
      ''
    ].join('\n')
    writeFileSync(join(dir, 'ws', 'docker-compose.yml'), bomb)
    const result = await deploy(scenario())
    expect(result.exitCode).toBe(1)
    expect(result.errors.map(e => e.title)).toEqual(['Unusable compose file'])
    expect(result.errors[0].message).toMatch(/docker-compose\.yml cannot be read safely: .*alias/i)
    expect(sandbox().mutatingCalls()).toEqual([])
  })
})

describe('idempotent mutating calls (2)', () => {
  it('UpdateEnvironment took effect but its reply was lost: checked, followed, exactly one deployment', async () => {
    const result = await deploy(scenario({}, { lostReplies: { operations: ['UpdateEnvironment'] } }))
    expect([result.exitCode, result.errors]).toEqual([0, []])
    expect(sandbox().calls('UpdateEnvironment')).toHaveLength(1)
    expect(result.log).toContain('The reply to UpdateEnvironment was lost')
    expect(result.log).toContain('It took')
    expect(result.outputs.deployed).toBe('true')
    expect(sandbox().environment(ENV)?.versionLabel).toBe(result.outputs['version-label'])
  })

  it('CreateApplicationVersion took effect but its reply was lost: the version is used, created once', async () => {
    const result = await deploy(scenario({}, { lostReplies: { operations: ['CreateApplicationVersion'] } }))
    expect([result.exitCode, result.errors]).toEqual([0, []])
    expect(sandbox().calls('CreateApplicationVersion')).toHaveLength(1)
    expect(result.log).toContain('exists with this bundle: using it')
    expect(sandbox().calls('UpdateEnvironment')).toHaveLength(1)
  })
})

describe('transient means transient (3)', () => {
  it('one malformed DescribeEnvironments and DescribeEvents body while following: retried, success', async () => {
    const result = await deploy(
      scenario({}, { malformed: { operations: ['DescribeEnvironments', 'DescribeEvents'], count: 2 } })
    )
    expect([result.exitCode, result.errors]).toEqual([0, []])
    expect(sandbox().requests.filter(r => r.fault === 'malformed')).toHaveLength(4)
    expect(result.log).not.toMatch(/Deserialization error/)
  })
})

describe('no debris (11), contradictory inputs (9)', () => {
  it('a busy environment that stays busy: nothing uploaded, no version created, reported as timed out', async () => {
    const result = await deploy(scenario({ status: 'Updating', busyForMs: 600_000 }), { timeout: '2m' })
    expect(result.exitCode).toBe(1)
    expect(result.errors.map(e => e.title)).toEqual(['Environment busy'])
    expect(sandbox().mutatingCalls()).toEqual([])
    expect(result.outputs).toMatchObject({ deployed: 'false', 'version-label': '' })
    expect(result.summary).toMatch(/^### ⏱️ Elastic Beanstalk\n/)
    expect(result.summary).toContain(
      'was not deployed to BrillianCRM-env: the timeout ran out before the update could start'
    )
    expect(result.summary).toMatch(/\*\*Why\*\*\n\nEnvironment busy: .*another update is still running/)
    expect(result.summary).toContain('(not created)')
  })

  it('a busy environment that becomes Ready: waited out before the upload, then deployed', async () => {
    const result = await deploy(scenario({ status: 'Updating', busyForMs: 30_000 }))
    expect([result.exitCode, result.errors]).toEqual([0, []])
    const operations = sandbox().requests.map(r => r.operation)
    expect(operations.indexOf('CreateApplicationVersion')).toBeGreaterThan(
      operations.lastIndexOf('DescribeEnvironments', operations.indexOf('CreateApplicationVersion'))
    )
    expect(result.log).toContain('Wait for BrillianCRM-env to be Ready')
  })

  it('rollback-on-failure without wait is refused before any call', async () => {
    const result = await deploy(scenario(), { wait: 'false', 'rollback-on-failure': 'true' })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toMatchObject({ title: "Input 'rollback-on-failure'" })
    expect(sandbox().requests).toEqual([])
  })
})

describe('the call budget (4)', () => {
  it('a 3-minute update under throttling: no 60 s window holds more than 20 answered Beanstalk requests (a throttled one gives its slot back)', async () => {
    const result = await deploy(
      scenario({ update: { durationMs: 180_000, outcome: 'healthy' } }, { throttleRate: 0.25, seed: 3 })
    )
    expect([result.exitCode, result.errors]).toEqual([0, []])
    expect(sandbox().requests.some(r => r.fault === 'throttle')).toBe(true)
    expect(sandbox().peakRequests('elasticbeanstalk', 60_000, 'answered')).toBeLessThanOrEqual(20)
    expect(sandbox().calls('UpdateEnvironment')).toHaveLength(1)
  })
})

describe('moved from the e2e layer: more than 20 requests a minute, spread by the budget on the fake clock', () => {
  it('rollback: redeploys the previous version, follows it, and still fails the step', async () => {
    // the rollback's own timeout must hold the wait for the call budget's window (the failed deploy used it)
    const result = await deploy(scenario({ update: { durationMs: 1000, outcome: 'red' } }), {
      timeout: '2m',
      'rollback-on-failure': 'true'
    })
    expect(result.exitCode).toBe(1)
    expect(result.errors.map(e => e.message).join('\n')).toMatch(/Rollback: /)
    expect(
      sandbox()
        .calls('UpdateEnvironment')
        .map(c => c.params.VersionLabel)
    ).toEqual([result.outputs['version-label'], 'v0-initial'])
    // the rollback failed too (every version runs Red here): part of the Why, said once
    expect(result.summary).toContain('- Rollback: rolling back to v0-initial failed too')
    expect(summaryFaults(result.summary)).toEqual([])
    expect(sandbox().peakRequests('elasticbeanstalk')).toBeLessThanOrEqual(20)
  })

  it('a throttling storm (30% throttled, some 5xx): one version, one update, success', async () => {
    const result = await deploy(scenario({}, { throttleRate: 0.3, serverErrorRate: 0.05, seed: 7 }))
    expect([result.exitCode, result.errors]).toEqual([0, []])
    expect(sandbox().calls('CreateApplicationVersion')).toHaveLength(1)
    expect(sandbox().calls('UpdateEnvironment')).toHaveLength(1)
    expect(sandbox().requests.some(r => r.fault === 'throttle')).toBe(true)
    expect(sandbox().peakRequests('elasticbeanstalk', 60_000, 'answered')).toBeLessThanOrEqual(20)
  })
})

describe('progress while waiting (10)', () => {
  const beats = (log: string) => log.split('\n').filter(line => line.startsWith('Still waiting for'))

  it('a busy environment, version processing and a 3-minute update each print a heartbeat at least every 30 s', async () => {
    const result = await deploy(
      {
        ...scenario({
          status: 'Updating',
          busyForMs: 95_000,
          update: { durationMs: 180_000, outcome: 'healthy' }
        }),
        processingMs: 65_000
      },
      { timeout: '15m' }
    )
    expect([result.exitCode, result.errors]).toEqual([0, []])
    const lines = beats(result.log)
    expect(
      lines.filter(l => l.includes('to be Ready (another update is running)')).length
    ).toBeGreaterThanOrEqual(2)
    expect(lines.filter(l => l.includes('to process version')).length).toBeGreaterThanOrEqual(1)
    const update = lines.filter(l => l.includes(`${result.outputs['version-label']} on e-`))
    // the 3-minute update: a heartbeat in each 30 s without another line (Beanstalk's events are progress too)
    expect(update.length).toBeGreaterThanOrEqual(3)
    expect(update[0]).toMatch(/: [\dhms ]+ elapsed, [\dhms ]+ left; Updating, health \w+, version v0-initial/)
    expect(update[0]).not.toMatch(/\.\.$/)
  })
})
