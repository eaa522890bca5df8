/**
 * deploy-beanstalk's strategy: blue-green below the bundle: the inputs (strategy, live-cname, the pair), the pure
 * plan (the twin's CNAME candidates, template, tags; the plan pointed at the idle one; what it prints), and the twin's
 * creation at the SDK level for the branches the sandbox cannot stage: a CNAME taken between the check and the
 * creation (Beanstalk's own message), a lost reply that did not create anything (sent once more), a template left by
 * an interrupted run (replaced).
 */
import { describe, expect, it } from '@jest/globals'
import {
  CreateConfigurationTemplateCommand,
  CreateEnvironmentCommand,
  DeleteConfigurationTemplateCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient
} from '@aws-sdk/client-elastic-beanstalk'
import { mockClient } from 'aws-sdk-client-mock'
import { awsError, environmentDescription, fakeClock } from '../helpers/fakes.js'
import { mockCore } from '../helpers/core-fixture.js'
import type { RawInputs } from '../../src/deploy-beanstalk/inputs.js'

const coreLog = await mockCore()
const { UserError } = await import('../../src/common/errors.js')
const { OutcomeUnknownError } = await import('../../src/common/failure.js')
const { Deadline } = await import('../../src/common/retry.js')
const { parseLiveCname } = await import('../../src/common/pair.js')
const { BeanstalkGateway, toEnvironmentInfo } = await import('../../src/deploy-beanstalk/aws/beanstalk.js')
const { INPUT_NAMES, parseInputs } = await import('../../src/deploy-beanstalk/inputs.js')
const { describePlan, makePlan, planSteps } = await import('../../src/deploy-beanstalk/plan.js')
const { cloneTags, twinPrefixCandidates, twinToCreate, withBlueGreen, withTwin } =
  await import('../../src/deploy-beanstalk/bluegreen/plan.js')
const { createTwin } = await import('../../src/deploy-beanstalk/bluegreen/create.js')

const raw = (over: Partial<RawInputs> = {}): RawInputs => ({
  ...(Object.fromEntries(INPUT_NAMES.map(n => [n, ''])) as RawInputs),
  'application-name': 'BrillianCRM',
  'environment-name': 'BrillianCRM-blue BrillianCRM-green',
  strategy: 'blue-green',
  'live-cname': 'brilliancrm',
  'version-label': 'v2',
  ...over
})
const env = { AWS_REGION: 'eu-central-1' }

function refusal(fn: () => unknown): InstanceType<typeof UserError> {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as InstanceType<typeof UserError>
  }
  throw new Error('expected a UserError')
}

describe('inputs: strategy and live-cname', () => {
  it('default to in-place (no pair), and read a blue/green pair with its live CNAME', () => {
    const inPlace = parseInputs(
      raw({ strategy: '', 'live-cname': '', 'environment-name': 'BrillianCRM-env' }),
      env
    )
    expect(inPlace.blueGreen).toBeUndefined()
    const inputs = parseInputs(raw({ strategy: 'Blue-Green' }), env)
    expect(inputs.environment).toBe('BrillianCRM-blue BrillianCRM-green')
    expect(inputs.blueGreen).toEqual({
      pair: { names: ['BrillianCRM-blue', 'BrillianCRM-green'], twinDerived: false },
      liveCname: { prefix: 'brilliancrm', host: 'brilliancrm.eu-central-1.elasticbeanstalk.com' }
    })
  })
  it('refuses live-cname with in-place (it would deploy in place to the live one), saying both ways out', () => {
    const error = refusal(() =>
      parseInputs(raw({ strategy: '', 'environment-name': 'BrillianCRM-blue' }), env)
    )
    expect(error.input).toBe('live-cname')
    expect(error.message).toContain("'strategy' is not set (in-place)")
    expect(error.message).toContain('Set strategy: blue-green')
    expect(error.message).toContain('or remove live-cname')
  })
  it('refuses an unknown strategy, a missing live-cname, a pair and from-environment that overlap', () => {
    expect(refusal(() => parseInputs(raw({ strategy: 'canary' }), env)).input).toBe('strategy')
    expect(refusal(() => parseInputs(raw({ 'live-cname': '' }), env)).input).toBe('live-cname')
    const from = refusal(() =>
      parseInputs(raw({ 'from-environment': 'brilliancrm-green', 'version-label': '' }), env)
    )
    expect(from.input).toBe('from-environment')
    expect(from.message).toContain('one of the pair')
    // with in-place, a pair of names is no environment name
    expect(refusal(() => parseInputs(raw({ strategy: 'in-place', 'live-cname': '' }), env)).input).toBe(
      'environment-name'
    )
  })
})

const live = toEnvironmentInfo(
  environmentDescription({
    EnvironmentName: 'BrillianCRM-blue',
    EnvironmentId: 'e-blue000001',
    CNAME: 'brilliancrm.eu-central-1.elasticbeanstalk.com',
    VersionLabel: 'v1',
    EnvironmentArn:
      'arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/BrillianCRM/BrillianCRM-blue'
  })
)
const liveCname = parseLiveCname('brilliancrm', 'eu-central-1')

describe('the twin (pure)', () => {
  it('takes <live-cname>-twin, else its own name, as a CNAME prefix', () => {
    expect(twinPrefixCandidates(liveCname, 'BrillianCRM-green')).toEqual([
      'brilliancrm-twin',
      'brilliancrm-green'
    ])
    // a generated CNAME (name.token) makes no prefix of its own: the twin's name
    const generated = parseLiveCname('crm-env.abcd123456.eu-central-1.elasticbeanstalk.com', 'eu-central-1')
    expect(twinPrefixCandidates(generated, 'Crm-env-twin')).toEqual(['crm-env-twin'])
    // never the live one's own prefix
    expect(twinPrefixCandidates(parseLiveCname('crm-twin', 'eu-central-1'), 'crm-twin')).toEqual([
      'crm-twin-twin'
    ])
  })
  it('copies the live one’s own tags, not the Name Beanstalk gave it', () => {
    expect(cloneTags({ team: 'crm', Name: 'BrillianCRM-blue' }, 'BrillianCRM-blue')).toEqual({ team: 'crm' })
    expect(cloneTags({ Name: 'shop' }, 'BrillianCRM-blue')).toEqual({ Name: 'shop' })
  })
})

function planFor(create: boolean) {
  const inputs = parseInputs(raw({ 'rollback-on-failure': 'true' }), env)
  const idle = toEnvironmentInfo(
    environmentDescription({
      EnvironmentName: 'BrillianCRM-green',
      EnvironmentId: 'e-green00001',
      CNAME: 'brilliancrm-twin.eu-central-1.elasticbeanstalk.com',
      VersionLabel: 'v0'
    })
  )
  const plan = makePlan({
    inputs: { ...inputs, environment: create ? live.name : idle.name },
    environment: create ? live : idle,
    label: 'v2',
    description: 'v2',
    existing: { label: 'v2', status: 'Processed' }
  })
  const twin = create
    ? twinToCreate(live, 'BrillianCRM-green', 'brilliancrm-twin', 'eu-central-1', { team: 'crm' })
    : undefined
  return withBlueGreen(plan, {
    liveCname,
    live,
    idleName: 'BrillianCRM-green',
    idle: create ? undefined : idle,
    create: twin
  })
}

describe('the plan', () => {
  it('deploys to the idle one that exists, and says the live one is not changed', () => {
    const plan = planFor(false)
    expect(plan).toMatchObject({
      environment: 'BrillianCRM-green',
      environmentId: 'e-green00001',
      previousLabel: 'v0'
    })
    const text = describePlan(plan).join('\n')
    expect(text).toMatch(
      /Live: +BrillianCRM-blue \(brilliancrm\.eu-central-1\.elasticbeanstalk\.com, Ready, running v1\)/
    )
    expect(text).toContain('not changed by this step')
    expect(text).toMatch(/Idle: +BrillianCRM-green \(brilliancrm-twin\..*\): deployed to/)
    expect(planSteps(plan)).toEqual([
      'deploy v2 to BrillianCRM-green',
      'follow the update until Ready on v2 with health Green (timeout 20m)',
      'on failure, redeploy v0'
    ])
  })
  it('creates a missing twin first, with its cost, and rolls back to the live one’s version it starts on', () => {
    const plan = planFor(true)
    expect(plan).toMatchObject({
      environment: 'BrillianCRM-green',
      environmentId: '',
      previousLabel: 'v1',
      current: { name: 'BrillianCRM-green', cname: 'brilliancrm-twin.eu-central-1.elasticbeanstalk.com' }
    })
    expect(plan.consoleUrl).toContain('applicationName=BrillianCRM')
    const text = describePlan(plan).join('\n')
    expect(text).toContain('Environment:  BrillianCRM-green (to be created)')
    expect(text).toContain('BrillianCRM-green does not exist: it is created as a clone of BrillianCRM-blue')
    expect(text).toContain('option settings and 1 tag;')
    expect(text).toMatch(/Cost: +one more environment/)
    const steps = planSteps(plan)
    expect(steps.slice(0, 3)).toEqual([
      'save a configuration template of BrillianCRM-blue (BrillianCRM-green-from-BrillianCRM-blue)',
      'create BrillianCRM-green from it at brilliancrm-twin.eu-central-1.elasticbeanstalk.com on v1 (the template is deleted once it is created)',
      'follow the launch of BrillianCRM-green until Ready (a launch takes minutes)'
    ])
    expect(steps.at(-1)).toBe('on failure, redeploy v1')
    // once it exists, the plan is its own
    const created = withTwin(plan, { ...plan.current, id: 'e-green00002', status: 'Ready' })
    expect(created).toMatchObject({ environmentId: 'e-green00002', environmentStatus: 'Ready' })
    expect(created.consoleUrl).toContain('environmentId=e-green00002')
  })
})

describe('creating the twin (SDK level)', () => {
  function gateway() {
    const client = new ElasticBeanstalkClient({
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      maxAttempts: 1
    })
    const clock = fakeClock()
    return { mock: mockClient(client), beanstalk: new BeanstalkGateway('eu-central-1', client, clock), clock }
  }
  const launched = environmentDescription({
    EnvironmentName: 'BrillianCRM-green',
    EnvironmentId: 'e-green00001',
    CNAME: 'brilliancrm-twin.eu-central-1.elasticbeanstalk.com',
    Status: 'Launching',
    Health: 'Grey',
    VersionLabel: undefined
  })
  const ready = environmentDescription({ ...launched, Status: 'Ready', Health: 'Green', VersionLabel: 'v1' })

  it('surfaces Beanstalk’s own message when the CNAME was taken since it was checked; the template is deleted', async () => {
    const { mock, beanstalk, clock } = gateway()
    mock.on(CreateConfigurationTemplateCommand).resolves({})
    mock
      .on(CreateEnvironmentCommand)
      .rejects(
        awsError(
          'InvalidParameterValue',
          'DNS name (brilliancrm-twin.eu-central-1.elasticbeanstalk.com) is not available.'
        )
      )
    mock.on(DeleteConfigurationTemplateCommand).resolves({})
    let caught: unknown
    await createTwin(beanstalk, planFor(true), new Deadline(60_000, clock)).catch(
      (e: unknown) => (caught = e)
    )
    expect(caught).toBeInstanceOf(UserError)
    const error = caught as InstanceType<typeof UserError>
    expect(error.message).toContain(
      "Beanstalk refused the twin's CNAME: DNS name (brilliancrm-twin.eu-central-1.elasticbeanstalk.com) is not available."
    )
    expect(error.message).toContain('Run again')
    expect(mock.commandCalls(DeleteConfigurationTemplateCommand)).toHaveLength(1)
    expect(mock.commandCalls(CreateEnvironmentCommand)).toHaveLength(1)
  })

  it('after a lost reply that created nothing, sends CreateEnvironment once more; a stale template is replaced', async () => {
    const { mock, beanstalk, clock } = gateway()
    mock
      .on(CreateConfigurationTemplateCommand)
      .rejectsOnce(
        awsError(
          'InvalidParameterValue',
          'Configuration Template BrillianCRM-green-from-BrillianCRM-blue already exists.'
        )
      )
      .resolves({})
    mock.on(DeleteConfigurationTemplateCommand).resolves({})
    mock
      .on(CreateEnvironmentCommand)
      .rejectsOnce(new OutcomeUnknownError('CreateEnvironment', new Error('socket hang up')))
      .resolves(launched)
    mock
      .on(DescribeEnvironmentsCommand, { EnvironmentNames: ['BrillianCRM-green'] })
      .resolves({ Environments: [] })
      .on(DescribeEnvironmentsCommand, { EnvironmentIds: ['e-green00001'] })
      .resolves({ Environments: [ready] })
    mock.on(DescribeEventsCommand).resolves({ Events: [] })
    const plan = await createTwin(beanstalk, planFor(true), new Deadline(60_000, clock))
    expect(plan).toMatchObject({
      environmentId: 'e-green00001',
      environmentStatus: 'Ready',
      previousLabel: 'v1'
    })
    expect(mock.commandCalls(CreateEnvironmentCommand)).toHaveLength(2)
    expect(mock.commandCalls(CreateConfigurationTemplateCommand)).toHaveLength(2)
    // the stale one, then the used one
    expect(mock.commandCalls(DeleteConfigurationTemplateCommand)).toHaveLength(2)
    expect(mock.commandCalls(CreateEnvironmentCommand)[1].args[0].input).toMatchObject({
      EnvironmentName: 'BrillianCRM-green',
      TemplateName: 'BrillianCRM-green-from-BrillianCRM-blue',
      CNAMEPrefix: 'brilliancrm-twin',
      VersionLabel: 'v1',
      Tags: [{ Key: 'team', Value: 'crm' }]
    })
    expect(coreLog.info).toContain('It does not: sending CreateEnvironment again.')
  })

  it('fails with the launch’s own reason when the twin does not come up, saying the live one was not changed', async () => {
    const { mock, beanstalk, clock } = gateway()
    mock.on(CreateConfigurationTemplateCommand).resolves({})
    mock.on(DeleteConfigurationTemplateCommand).resolves({})
    mock.on(CreateEnvironmentCommand).resolves(launched)
    mock.on(DescribeEnvironmentsCommand).resolves({ Environments: [{ ...launched, Health: 'Red' }] })
    mock.on(DescribeEventsCommand).resolves({
      Events: [
        {
          EventDate: new Date(clock.now() + 1000),
          Message: 'Failed to launch environment.',
          Severity: 'ERROR'
        }
      ]
    })
    let caught: unknown
    await createTwin(beanstalk, planFor(true), new Deadline(60_000, clock)).catch(
      (e: unknown) => (caught = e)
    )
    expect((caught as Error).message).toContain(
      'Creating BrillianCRM-green as a clone of BrillianCRM-blue failed: Failed to launch environment.'
    )
    expect((caught as Error).message).toContain('BrillianCRM-blue was not changed')
  })

  it('leaves an in-place plan as it is', async () => {
    const { beanstalk, clock, mock } = gateway()
    const plan = planFor(false)
    expect(await createTwin(beanstalk, plan, new Deadline(60_000, clock))).toBe(plan)
    expect(mock.calls()).toHaveLength(0)
  })
})
