/**
 * deploy-beanstalk's strategy: blue-green end to end (issue 23): the real bundle against the sandbox. A first release
 * creates the twin as a clone of the live environment and deploys only to it (the live one gets no UpdateEnvironment);
 * the next finds the twin and deploys to it again without creating anything; a pair the other way round (after a
 * swap) is deployed to on its other side; a lost CreateEnvironment reply is checked, never sent twice; the dry run
 * says what would happen and changes nothing; malformed inputs, a pair neither of which holds live-cname and a twin
 * without a free CNAME are refused before any change.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { APP, IMAGE, workspace as tempWorkspace } from '../helpers/deploy-beanstalk-fixtures.js'
import {
  errorMessages,
  runBundle,
  type BundleRun,
  type EnvSpec,
  type Sandbox,
  type SandboxScenario,
  startSandbox
} from '../../sandbox/index.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const BLUE = 'BrillianCRM-blue'
const GREEN = 'BrillianCRM-green'
const PAIR = `${BLUE} ${GREEN}`
const LIVE_HOST = 'brilliancrm.eu-central-1.elasticbeanstalk.com'
const TWIN_HOST = 'brilliancrm-twin.eu-central-1.elasticbeanstalk.com'

/** The live environment (instant, healthy updates), and whatever else a test needs beside it. */
function scenario(more: EnvSpec[] = [], extra: Partial<SandboxScenario> = {}): SandboxScenario {
  return {
    name: 'blue-green e2e',
    processingMs: 0,
    launchMs: 1500,
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }, { label: 'v1-ready' }],
        environments: [
          {
            name: BLUE,
            versionLabel: 'v0-initial',
            cname: LIVE_HOST,
            update: { durationMs: 0, outcome: 'healthy' },
            environmentVariables: { LOG_LEVEL: 'info' },
            tags: { team: 'crm', 'cost-center': 'imbit' }
          },
          ...more
        ]
      }
    ],
    ...extra
  }
}

async function sandbox(spec: SandboxScenario = scenario()): Promise<Sandbox> {
  const box = await startSandbox(spec, { silent: true })
  cleanups.push(() => box.close())
  return box
}

async function release(box: Sandbox, inputs: Record<string, string> = {}): Promise<BundleRun> {
  return await runBundle('deploy-beanstalk', {
    inputs: {
      'application-name': APP,
      'environment-name': PAIR,
      strategy: 'blue-green',
      'live-cname': 'brilliancrm',
      image: IMAGE,
      timeout: '60s',
      ...inputs
    },
    env: box.env,
    workspace: tempWorkspace(cleanups),
    timeoutMs: 90_000
  })
}

/** The environment names every UpdateEnvironment went to (by id, as deploy-beanstalk sends them). */
function updatedEnvironments(box: Sandbox): string[] {
  const byId = new Map([BLUE, GREEN].map(name => [box.environment(name)?.id, name]))
  return box.calls('UpdateEnvironment').map(c => byId.get(String(c.params.EnvironmentId)) ?? '?')
}

describe('deploy-beanstalk strategy: blue-green (the real bundle)', () => {
  it('a first release creates the twin as a clone of the live one and deploys only to it; the next finds it', async () => {
    const box = await sandbox()
    const first = await release(box, { 'environment-variables': 'LOG_LEVEL=debug-6a1f' })
    expect([first.code, errorMessages(first)]).toEqual([0, []])
    const label = first.outputs['version-label']
    expect(first.outputs).toMatchObject({
      'live-environment-name': BLUE,
      'idle-environment-name': GREEN,
      'environment-name': GREEN,
      'environment-url': `http://${TWIN_HOST}`,
      'environment-id': box.environment(GREEN)?.id,
      'previous-version-label': 'v0-initial',
      deployed: 'true',
      health: 'Green'
    })
    // the twin: created from a template of the live one, at a CNAME of its own, then deployed to
    expect(box.environment(GREEN)).toMatchObject({ status: 'Ready', versionLabel: label, cname: TWIN_HOST })
    // the clone has the live one's settings, and this release's configuration on top: only it
    const property = (name: string) =>
      box.settings(name)?.find(s => s.optionName === 'LOG_LEVEL' && s.namespace.endsWith(':environment'))
        ?.value
    expect([property(BLUE), property(GREEN)]).toEqual(['info', 'debug-6a1f'])
    expect(box.settings(GREEN)?.filter(s => s.optionName !== 'LOG_LEVEL')).toEqual(
      box.settings(BLUE)?.filter(s => s.optionName !== 'LOG_LEVEL')
    )
    // masked (the ::add-mask:: command is the masking itself), and shown nowhere else
    const shown = first.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    expect(first.stdout).toContain('::add-mask::debug-6a1f')
    expect([...shown, first.summary].join('\n')).not.toContain('debug-6a1f')
    const [created] = box.calls('CreateEnvironment')
    expect(created.params).toMatchObject({
      EnvironmentName: GREEN,
      CNAMEPrefix: 'brilliancrm-twin',
      VersionLabel: 'v0-initial',
      TemplateName: `${GREEN}-from-${BLUE}`,
      'Tags.member.1.Key': 'team',
      'Tags.member.2.Key': 'cost-center'
    })
    expect(JSON.stringify(created.params)).not.toContain('elasticbeanstalk:')
    expect(box.calls('CheckDNSAvailability').map(c => c.params.CNAMEPrefix)).toEqual(['brilliancrm-twin'])
    expect(box.mutatingCalls().map(c => c.operation)).toEqual([
      'CreateConfigurationTemplate',
      'CreateEnvironment',
      'DeleteConfigurationTemplate',
      'CreateStorageLocation',
      'PutObject',
      'CreateApplicationVersion',
      'UpdateEnvironment'
    ])
    // the live one: never updated, still on its version, still holding the CNAME
    expect(updatedEnvironments(box)).toEqual([GREEN])
    expect(box.environment(BLUE)).toMatchObject({ versionLabel: 'v0-initial', cname: LIVE_HOST })
    // the launch was followed with its events, then the deploy
    expect(first.stdout).toContain('createEnvironment is starting.')
    expect(first.stdout).toContain(`Successfully launched environment: ${GREEN}`)
    expect(first.stdout).toMatch(/Live: +BrillianCRM-blue \(brilliancrm\.eu-central-1/)
    expect(first.stdout).toContain(`${GREEN} does not exist: it is created as a clone of ${BLUE}`)
    expect(first.summary).toContain(
      `| Live environment | ${BLUE} (${LIVE_HOST}, not changed); idle ${GREEN} created`
    )

    // the next release (no swap in between): the twin exists and is idle, it is deployed to, nothing created
    const second = await release(box, { 'version-label': 'v1-ready', image: '' })
    expect([second.code, errorMessages(second)]).toEqual([0, []])
    expect(second.outputs).toMatchObject({ 'idle-environment-name': GREEN, 'previous-version-label': label })
    expect(box.calls('CreateEnvironment')).toHaveLength(1)
    expect(updatedEnvironments(box)).toEqual([GREEN, GREEN])
    expect(box.environment(GREEN)?.versionLabel).toBe('v1-ready')
    expect(box.environment(BLUE)?.versionLabel).toBe('v0-initial')
  }, 120_000)

  it('finds the pair reversed after a swap: the other one is idle and deployed to', async () => {
    // as after a swap: green holds the live CNAME (in any case), blue the twin's
    const box = await sandbox({
      ...scenario(),
      applications: [
        {
          name: APP,
          versions: [{ label: 'v0-initial' }, { label: 'v1-ready' }],
          environments: [
            {
              name: BLUE,
              versionLabel: 'v0-initial',
              cname: TWIN_HOST,
              update: { durationMs: 0, outcome: 'healthy' }
            },
            { name: GREEN, versionLabel: 'v1-ready', cname: 'BrillianCRM.eu-central-1.elasticbeanstalk.com' }
          ]
        }
      ]
    })
    const run = await release(box, { 'live-cname': LIVE_HOST })
    expect([run.code, errorMessages(run)]).toEqual([0, []])
    expect(run.outputs).toMatchObject({
      'live-environment-name': GREEN,
      'idle-environment-name': BLUE,
      'environment-name': BLUE,
      'environment-url': `http://${TWIN_HOST}`
    })
    expect(updatedEnvironments(box)).toEqual([BLUE])
    expect(box.calls('CreateEnvironment')).toEqual([])
    expect(box.environment(GREEN)?.versionLabel).toBe('v1-ready')
  }, 60_000)

  it('checks a lost CreateEnvironment reply by name and follows what it made: never two twins', async () => {
    const box = await sandbox(
      scenario([], { faults: { lostReplies: { operations: ['CreateEnvironment'], count: 1 } } })
    )
    const run = await release(box)
    expect([run.code, errorMessages(run)]).toEqual([0, []])
    expect(box.requests.filter(r => r.operation === 'CreateEnvironment')).toHaveLength(1)
    expect(run.stdout).toContain(`The reply to CreateEnvironment was lost`)
    expect(run.stdout).toContain('It does (Launching): following it, not sending the request again.')
    expect(updatedEnvironments(box)).toEqual([GREEN])
  }, 60_000)

  it('a dry run says which is live, which idle, that the twin would be created and what it costs; nothing changes', async () => {
    const box = await sandbox()
    const run = await release(box, { 'dry-run': 'true', 'environment-name': BLUE })
    expect([run.code, errorMessages(run)]).toEqual([0, []])
    expect(run.stdout).toContain(`${BLUE}-twin does not exist: it is created as a clone of ${BLUE}`)
    expect(run.stdout).toContain('same platform, option settings and 2 tags')
    expect(run.stdout).toMatch(/Cost: +one more environment/)
    expect(run.stdout).toContain(`save a configuration template of ${BLUE}`)
    expect(run.outputs).toMatchObject({
      'live-environment-name': BLUE,
      'idle-environment-name': `${BLUE}-twin`,
      'environment-url': `http://${TWIN_HOST}`,
      deployed: 'false'
    })
    expect(box.mutatingCalls()).toEqual([])
  }, 60_000)

  it.each([
    [{ strategy: 'blue' }, 'strategy', /expected in-place .* or blue-green/],
    [{ 'live-cname': '' }, 'live-cname', /it is required with strategy blue-green/],
    [{ 'live-cname': 'brilliancrm.eu-west-1.elasticbeanstalk.com' }, 'live-cname', /a CNAME in eu-west-1/],
    [{ 'live-cname': 'brilliancrm.com' }, 'live-cname', /not another host name/],
    [{ 'environment-name': `${PAIR} BrillianCRM-red` }, 'environment-name', /names 3 environments/],
    [{ 'environment-name': `${BLUE},${BLUE}` }, 'environment-name', /twice/],
    [{ 'environment-name': 'BrillianCRM_blue' }, 'environment-name', /is not an environment name/],
    [
      { strategy: 'in-place', 'environment-name': BLUE },
      'live-cname',
      /only means something with strategy: blue-green/
    ]
  ])(
    'refuses %j before any request, naming the input',
    async (inputs, input, message) => {
      const box = await sandbox()
      const run = await release(box, inputs)
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(new RegExp(`::error title=Input '${input}'::`))
      expect(errorMessages(run).join('\n')).toMatch(message)
      expect(box.requests).toEqual([])
    },
    30_000
  )

  it('refuses a pair neither of which holds live-cname, naming both and their CNAMEs', async () => {
    const box = await sandbox(
      scenario([
        {
          name: GREEN,
          versionLabel: 'v0-initial',
          cname: 'brilliancrm-green.eu-central-1.elasticbeanstalk.com'
        }
      ])
    )
    const run = await release(box, { 'live-cname': 'brilliancrm-prod' })
    expect(run.code).toBe(1)
    const [message] = errorMessages(run)
    expect(message).toContain(
      'Neither environment of the pair holds brilliancrm-prod.eu-central-1.elasticbeanstalk.com'
    )
    expect(message).toContain(`${BLUE} (${LIVE_HOST})`)
    expect(message).toContain(`${GREEN} (brilliancrm-green.eu-central-1.elasticbeanstalk.com)`)
    expect(run.outputs.deployed).toBe('false')
    expect(box.mutatingCalls()).toEqual([])
  }, 30_000)

  it('refuses to create a twin when its CNAMEs are taken, before any change', async () => {
    const box = await sandbox(
      scenario([
        { name: 'BrillianCRM-old', cname: TWIN_HOST },
        { name: 'BrillianCRM-other', cname: 'brilliancrm-green.eu-central-1.elasticbeanstalk.com' }
      ])
    )
    const run = await release(box)
    expect(run.code).toBe(1)
    expect(errorMessages(run).join('\n')).toContain(
      `needs a CNAME of its own, but ${TWIN_HOST} and brilliancrm-green.eu-central-1.elasticbeanstalk.com are taken`
    )
    expect(box.mutatingCalls()).toEqual([])
  }, 30_000)
})
