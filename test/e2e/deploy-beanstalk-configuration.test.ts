/**
 * deploy-beanstalk's environment configuration end to end: the real bundle against the sandbox, each done-when
 * item of issue 12 (set, change, remove, unchanged, combined update accepted / refused, the 4,096-byte limit,
 * a bad ARN, rollback restoring the previous values), and after every run a scan of the log, the summary and the
 * outputs for every value the test used.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type BundleRun,
  errorMessages,
  type RequestLogEntry,
  ROOT,
  runBundle,
  type Sandbox,
  type SandboxScenario,
  startSandbox
} from '../../sandbox/index.js'

const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
/** Each run redeploys this existing version (nothing built or processed), so the configuration is what varies. */
const LABEL = 'v1-ready'
const ENV_NS = 'aws:elasticbeanstalk:application:environment'
const SECRETS_NS = 'aws:elasticbeanstalk:application:environmentsecrets'

/** What the environment has before each test (values a run must never print either). */
const EXISTING = {
  LOG_LEVEL: 'old-log-level-c0ffee',
  LEGACY_TOKEN: 'legacy-token-value-5e1f',
  KEEP: 'kept-value-77aa'
}
const EXISTING_SECRET = 'arn:aws:ssm:eu-central-1:123456789012:parameter/crm/old-smtp-3b9d'
const DB_URL = 'postgres://crm:Sup3r=S3cret@db.internal:5432/crm'
const API_KEY = 'api-key-9f8e7d6c5b4a'
const SMTP_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:crm/smtp-AbCd12:password'
const POLICY = 'RollingWithAdditionalBatch'
const EVERY_VALUE = [
  ...Object.values(EXISTING),
  EXISTING_SECRET,
  DB_URL,
  API_KEY,
  SMTP_ARN,
  POLICY,
  'changed-log-level-d00d'
]

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-config-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), dir, { recursive: true })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * Updates take `durationMs` (by default 0: over at once) and versions are processed at once: these runs are on
 * the real clock, where the poll schedule spaces its looks by seconds; the waits themselves are tested in process
 * on a fake clock (test/scenarios).
 */
function scenario(
  outcome: 'healthy' | 'fail' = 'healthy',
  more: Partial<SandboxScenario> = {},
  durationMs = 0
): SandboxScenario {
  return {
    name: 'configuration e2e',
    processingMs: 0,
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }, { label: LABEL }],
        environments: [
          {
            name: ENV,
            versionLabel: 'v0-initial',
            update: { durationMs, outcome },
            environmentVariables: EXISTING,
            environmentSecrets: { OLD_SMTP: EXISTING_SECRET }
          }
        ]
      }
    ],
    ...more
  }
}

async function sandbox(spec: SandboxScenario = scenario()): Promise<Sandbox> {
  const box = await startSandbox(spec, { silent: true })
  cleanups.push(() => box.close())
  return box
}

async function deploy(box: Sandbox, inputs: Record<string, string>): Promise<BundleRun> {
  const run = await runBundle('deploy-beanstalk', {
    inputs: {
      'application-name': APP,
      'environment-name': ENV,
      'version-label': LABEL,
      timeout: '30s',
      ...inputs
    },
    env: box.env,
    workspace: workspace(),
    timeoutMs: 30_000
  })
  expectNoValueShown(run)
  return run
}

/**
 * No value used in the tests appears in the log, the summary or the outputs. The `::add-mask::` commands are the
 * masking itself (the runner consumes them and never shows them), so they are left out of the scan, and checked
 * to be there for every environment-variables value given.
 */
function expectNoValueShown(run: BundleRun): void {
  const log = [...run.stdout.split('\n').filter(line => !line.startsWith('::add-mask::')), run.stderr].join(
    '\n'
  )
  const places = { log, summary: run.summary, outputs: JSON.stringify(run.outputs) }
  for (const value of EVERY_VALUE) {
    for (const [place, text] of Object.entries(places)) {
      expect([place, value, text.includes(value)]).toEqual([place, value, false])
    }
  }
}

const masked = (run: BundleRun) =>
  run.stdout
    .split('\n')
    .filter(line => line.startsWith('::add-mask::'))
    .map(line => line.slice('::add-mask::'.length))

type Setting = { Namespace?: string; OptionName?: string; Value?: string }
/** OptionSettings / OptionsToRemove of a logged UpdateEnvironment call (Query protocol members). */
function sent(call: RequestLogEntry, list: 'OptionSettings' | 'OptionsToRemove'): Setting[] {
  const out: Record<string, Setting> = {}
  for (const [key, value] of Object.entries(call.params)) {
    const m = new RegExp(`^${list}\\.member\\.(\\d+)\\.(\\w+)$`).exec(key)
    if (m) out[m[1]] = { ...out[m[1]], [m[2]]: String(value) }
  }
  return Object.values(out)
}

const property = (box: Sandbox, name: string, namespace = ENV_NS) =>
  box.settings(ENV)?.find(s => s.namespace === namespace && s.optionName === name)?.value

const show = (run: BundleRun) => `exit ${run.code}\n${run.stdout}\n${run.stderr}`

describe('deploy-beanstalk configuration e2e', () => {
  it('set: new variables, a secret and an option go out with the version in one update; values masked', async () => {
    const box = await sandbox()
    const run = await deploy(box, {
      'environment-variables': `# database\nDATABASE_URL=${DB_URL}\n\nAPI_KEY=${API_KEY}\n`,
      'environment-secrets': `SMTP_PASSWORD=${SMTP_ARN}`,
      'option-settings': `- namespace: aws:elasticbeanstalk:command\n  option-name: DeploymentPolicy\n  value: ${POLICY}\n`
    })
    expect([run.code, show(run)]).toEqual([0, show(run)])
    expect(masked(run)).toEqual(expect.arrayContaining([DB_URL, API_KEY, ...Object.values(EXISTING)]))
    const [update] = box.calls('UpdateEnvironment')
    expect(box.calls('UpdateEnvironment')).toHaveLength(1)
    expect(update.params.VersionLabel).toBe(run.outputs['version-label'])
    expect(sent(update, 'OptionSettings')).toEqual([
      { Namespace: ENV_NS, OptionName: 'DATABASE_URL', Value: DB_URL },
      { Namespace: ENV_NS, OptionName: 'API_KEY', Value: API_KEY },
      { Namespace: SECRETS_NS, OptionName: 'SMTP_PASSWORD', Value: SMTP_ARN },
      { Namespace: 'aws:elasticbeanstalk:command', OptionName: 'DeploymentPolicy', Value: POLICY }
    ])
    expect(sent(update, 'OptionsToRemove')).toEqual([])
    expect([property(box, 'DATABASE_URL'), property(box, 'SMTP_PASSWORD', SECRETS_NS)]).toEqual([
      DB_URL,
      SMTP_ARN
    ])
    expect(property(box, 'LOG_LEVEL')).toBe(EXISTING.LOG_LEVEL)
    expect(run.stdout).toContain('added: DATABASE_URL, API_KEY, SMTP_PASSWORD (secret)')
    expect(run.stdout).toContain('changed: aws:elasticbeanstalk:command DeploymentPolicy')
    expect(run.summary).toContain('| DATABASE_URL | variable | added |')
    expect(run.summary).toContain('| SMTP_PASSWORD | secret | added |')
    expect(run.summary).toContain('| aws:elasticbeanstalk:command DeploymentPolicy | option | changed |')
    expect(run.summary).toContain(
      '| Configuration | 3 added, 1 changed: sent with the version, in one update |'
    )
  })

  it('change and remove: only the differences are sent; a name that is not there is listed as not present', async () => {
    const box = await sandbox()
    const run = await deploy(box, {
      'environment-variables': `LOG_LEVEL=changed-log-level-d00d\nKEEP=${EXISTING.KEEP}`,
      'remove-environment-variables': 'LEGACY_TOKEN, OLD_SMTP, NEVER_SET'
    })
    expect([run.code, show(run)]).toEqual([0, show(run)])
    const [update] = box.calls('UpdateEnvironment')
    expect(sent(update, 'OptionSettings')).toEqual([
      { Namespace: ENV_NS, OptionName: 'LOG_LEVEL', Value: 'changed-log-level-d00d' }
    ])
    expect(sent(update, 'OptionsToRemove')).toEqual([
      { Namespace: ENV_NS, OptionName: 'LEGACY_TOKEN' },
      { Namespace: SECRETS_NS, OptionName: 'OLD_SMTP' }
    ])
    expect(property(box, 'LOG_LEVEL')).toBe('changed-log-level-d00d')
    expect(property(box, 'LEGACY_TOKEN')).toBeUndefined()
    expect(property(box, 'OLD_SMTP', SECRETS_NS)).toBeUndefined()
    expect(run.stdout).toContain('changed: LOG_LEVEL')
    expect(run.stdout).toContain('removed: LEGACY_TOKEN, OLD_SMTP (secret)')
    expect(run.stdout).toContain('unchanged: KEEP')
    expect(run.stdout).toContain('not present: NEVER_SET')
    expect(run.summary).toContain('| NEVER_SET | variable | not present |')
  })

  it('unchanged: nothing differs, so the update carries no OptionSettings or OptionsToRemove at all', async () => {
    const box = await sandbox()
    const run = await deploy(box, {
      'environment-variables': `LOG_LEVEL=${EXISTING.LOG_LEVEL}\nKEEP=${EXISTING.KEEP}`,
      'environment-secrets': `OLD_SMTP=${EXISTING_SECRET}`
    })
    expect([run.code, show(run)]).toEqual([0, show(run)])
    const [update] = box.calls('UpdateEnvironment')
    expect(Object.keys(update.params).filter(k => /^Option/.test(k))).toEqual([])
    expect(update.params.VersionLabel).toBe(run.outputs['version-label'])
    expect(run.stdout).toContain('nothing differs: no configuration is sent')
    expect(run.summary).toContain('| Configuration | 3 unchanged: nothing sent |')
  })

  it('combined update refused (InvalidParameterCombination): configuration first, waited for, then the version', async () => {
    const box = await sandbox(scenario('healthy', { configurationWithVersion: 'refused' }, 0))
    const run = await deploy(box, { 'environment-variables': `API_KEY=${API_KEY}` })
    expect([run.code, show(run)]).toEqual([0, show(run)])
    const updates = box.requests.filter(r => r.operation === 'UpdateEnvironment')
    expect(updates.map(u => [u.errorCode, u.params.VersionLabel, sent(u, 'OptionSettings').length])).toEqual([
      ['InvalidParameterCombination', run.outputs['version-label'], 1],
      [undefined, undefined, 1],
      [undefined, run.outputs['version-label'], 0]
    ])
    expect(run.stdout).toContain('Beanstalk refused the version and the configuration in one update')
    const log = run.stdout
    expect(log).toContain('Successfully deployed new configuration to environment.')
    expect(
      log.indexOf('The configuration is applied to BrillianCRM-env; now deploying v1-ready.')
    ).toBeGreaterThan(log.indexOf('Successfully deployed new configuration to environment.'))
    expect(box.environment(ENV)).toMatchObject({
      status: 'Ready',
      versionLabel: run.outputs['version-label']
    })
    expect(property(box, 'API_KEY')).toBe(API_KEY)
    expect(run.summary).toContain('before the version, in an update of its own')
    expect(errorMessages(run)).toEqual([])
  })

  it('two-step path whose configuration update does not finish: fails saying the version was not deployed', async () => {
    const box = await sandbox({
      ...scenario('healthy', { configurationWithVersion: 'refused' }),
      applications: scenario().applications?.map(app => ({
        ...app,
        environments: app.environments?.map(e => ({
          ...e,
          update: { durationMs: 1000, outcome: 'never' as const }
        }))
      }))
    })
    const run = await deploy(box, { 'environment-variables': `API_KEY=${API_KEY}`, timeout: '2s' })
    expect(run.code).toBe(1)
    expect(errorMessages(run).join('\n')).toMatch(
      /did not reach Ready on v0-initial after the configuration update \(v1-ready was not deployed\)/
    )
    expect(box.calls('UpdateEnvironment').map(c => c.params.VersionLabel)).toEqual([undefined])
    expect(run.outputs.deployed).toBe('false')
  })

  it('dry-run: reads and compares, lists the names, sends nothing', async () => {
    const box = await sandbox()
    const run = await deploy(box, {
      'environment-variables': `API_KEY=${API_KEY}\nLOG_LEVEL=${EXISTING.LOG_LEVEL}`,
      'dry-run': 'true'
    })
    expect([run.code, show(run)]).toEqual([0, show(run)])
    expect(box.calls('DescribeConfigurationSettings')).toHaveLength(1)
    expect(box.mutatingCalls()).toEqual([])
    expect(run.stdout).toContain('added: API_KEY')
    expect(run.stdout).toContain('unchanged: LOG_LEVEL')
    expect(run.summary).toContain('| Configuration | 1 added, 1 unchanged: not sent (dry run) |')
  })

  it('the 4,096-byte limit (existing plus new, as name=value): refused before any change', async () => {
    const box = await sandbox()
    const big = 'B'.repeat(4100)
    EVERY_VALUE.push(big)
    try {
      const run = await deploy(box, { 'environment-variables': `BIG=${big}` })
      expect(run.code).toBe(1)
      expect(errorMessages(run).join('\n')).toMatch(
        /environment properties would take 4\d{3} bytes as name=value .*Beanstalk allows 4096 bytes in all\. Nothing was changed\. .* the largest are BIG,/
      )
      expect(box.mutatingCalls()).toEqual([])
      expect(box.calls('DescribeConfigurationSettings')).toHaveLength(1)
    } finally {
      EVERY_VALUE.pop()
    }
  })

  it('a bad ARN: refused before any AWS call; an ARN of another region: refused before any change', async () => {
    const box = await sandbox()
    const run = await deploy(box, {
      'environment-secrets': 'SMTP_PASSWORD=arn:aws:s3:::crm-secrets/smtp'
    })
    expect(run.code).toBe(1)
    expect(errorMessages(run).join('\n')).toMatch(
      /Input 'environment-secrets': the ARN for SMTP_PASSWORD is not one Beanstalk can fetch\. .* It is an ARN of s3/
    )
    expect(box.requests).toEqual([])
    const elsewhere = await deploy(box, {
      'environment-secrets': `SMTP_PASSWORD=${SMTP_ARN.replace('eu-central-1', 'us-east-1')}`
    })
    expect(elsewhere.code).toBe(1)
    expect(errorMessages(elsewhere).join('\n')).toMatch(
      /SMTP_PASSWORD is in us-east-1, the environment in eu-central-1/
    )
    expect(box.mutatingCalls()).toEqual([])
  })

  it('rollback restores the previous configuration (the old values, read before the change, never printed)', async () => {
    const box = await sandbox(scenario('fail', {}, 0))
    const before = box.settings(ENV)
    const run = await deploy(box, {
      'environment-variables': `LOG_LEVEL=changed-log-level-d00d\nAPI_KEY=${API_KEY}`,
      'remove-environment-variables': 'LEGACY_TOKEN',
      'rollback-on-failure': 'true'
    })
    expect(run.code).toBe(1)
    const [deployUpdate, rollbackUpdate, ...more] = box.calls('UpdateEnvironment')
    expect(more).toEqual([])
    expect(deployUpdate.params.VersionLabel).toBe(run.outputs['version-label'])
    // Beanstalk kept v0-initial: the rollback restores the configuration only.
    expect(rollbackUpdate.params.VersionLabel).toBeUndefined()
    expect(sent(rollbackUpdate, 'OptionSettings')).toEqual(
      expect.arrayContaining([
        { Namespace: ENV_NS, OptionName: 'LOG_LEVEL', Value: EXISTING.LOG_LEVEL },
        { Namespace: ENV_NS, OptionName: 'LEGACY_TOKEN', Value: EXISTING.LEGACY_TOKEN }
      ])
    )
    expect(sent(rollbackUpdate, 'OptionsToRemove')).toEqual([{ Namespace: ENV_NS, OptionName: 'API_KEY' }])
    expect(box.settings(ENV)).toEqual(expect.arrayContaining(before ?? []))
    expect(box.settings(ENV)).toHaveLength(before?.length ?? -1)
    expect(errorMessages(run).join('\n')).toMatch(
      /Rollback: restored the previous configuration: Ready on v0-initial/
    )
    expect(run.summary).toContain('| Rollback | restored the previous configuration')
  })
})
