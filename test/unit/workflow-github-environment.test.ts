/**
 * deploy.yml's `github-environment`, on the real YAML: the GitHub environment that gates the deploy job (and so the
 * OIDC subject the deploy role trusts) is `github-environment`, else `environment-name`; the check job refuses a
 * blue/green pair given as two names without it (the deploy job would otherwise run in a GitHub environment named
 * after the whole string), and checks the deploy role's trust against the same name the deploy job will run in.
 */
import { describe, expect, it } from '@jest/globals'
import { evaluate, load, read, runScript, scriptOf, type Context } from '../helpers/workflow.js'

const workflow = load('.github/workflows/deploy.yml')
const inputs = (workflow.on.workflow_call as { inputs: Record<string, { type: string; default?: unknown }> })
  .inputs
const TRUST_STEP = 'The deploy role trusts this environment, and only it'
const GATE = '${{ inputs.github-environment || inputs.environment-name }}'

const context = (given: Record<string, string>): Context => ({
  lookup: path => (path.startsWith('inputs.') ? (given[path.slice('inputs.'.length)] ?? '') : null),
  status: { success: true, failure: false, cancelled: false }
})
const gate = (expression: string, given: Record<string, string>) =>
  evaluate(expression.replace(/^\$\{\{([\s\S]*)\}\}$/, '$1'), context(given))

describe('the deploy job’s GitHub environment', () => {
  it('is an optional string input, empty by default', () => {
    expect(inputs['github-environment']).toMatchObject({ type: 'string', default: '' })
  })

  it('gates the deploy job, and is the one the check job checks the deploy role’s trust against', () => {
    expect(workflow.jobs.deploy.environment?.name).toBe(GATE)
    const trust = (workflow.jobs.check.steps ?? []).find(s => s.name === TRUST_STEP)
    expect(trust?.env?.ENVIRONMENT).toBe(GATE)
  })

  it.each([
    [{ 'environment-name': 'BrillianCRM-env' }, 'BrillianCRM-env'],
    [
      {
        'environment-name': 'BrillianCRM-blue BrillianCRM-green',
        'github-environment': 'BrillianCRM-production'
      },
      'BrillianCRM-production'
    ],
    [{ 'environment-name': 'BrillianCRM-env', 'github-environment': 'production' }, 'production']
  ])('for %j is %s', (given, name) => {
    expect(gate(GATE, given)).toBe(name)
  })

  it('is named in the docs of the trust and of blue/green', () => {
    expect(read('docs/aws-setup.md')).toContain('github-environment')
    expect(read('docs/blue-green.md')).toContain('github-environment')
  })
})

describe('the inputs script (check job): github-environment', () => {
  const run = (env: Record<string, string>) =>
    runScript(scriptOf(workflow, 'check', 'inputs'), {
      CALLER_REPOSITORY: 'imbit/BrillianCRM',
      ROLE_ARN: 'arn:aws:iam::123456789012:role/github-deploy',
      PLATFORMS: 'linux/amd64',
      DRY_RUN: 'false',
      STRATEGY: 'blue-green',
      LIVE_CNAME: 'brilliancrm',
      ...env
    })

  it.each<Record<string, string>>([
    { ENVIRONMENT_NAME: 'BrillianCRM-env' },
    { ENVIRONMENT_NAME: ' BrillianCRM-env ' },
    { ENVIRONMENT_NAME: 'BrillianCRM-env', GATE_ENVIRONMENT: 'BrillianCRM-production' },
    { ENVIRONMENT_NAME: 'BrillianCRM-blue BrillianCRM-green', GATE_ENVIRONMENT: 'BrillianCRM-production' },
    { ENVIRONMENT_NAME: 'BrillianCRM-blue,BrillianCRM-green', GATE_ENVIRONMENT: 'production' }
  ])('takes %j', async env => {
    const result = await run(env)
    expect(result.annotations).toEqual([])
    expect(result.status).toBe(0)
  })

  it.each([
    'BrillianCRM-blue BrillianCRM-green',
    'BrillianCRM-blue,BrillianCRM-green',
    'BrillianCRM-blue, BrillianCRM-green',
    'BrillianCRM-blue\nBrillianCRM-green'
  ])('refuses the pair %j without github-environment, naming the input and the fix', async pair => {
    const result = await run({ ENVIRONMENT_NAME: pair })
    expect(result.status).toBe(1)
    expect(result.annotations).toHaveLength(1)
    const [annotation] = result.annotations
    expect(annotation.title).toBe('deploy.yml input github-environment')
    expect(annotation.message).toContain('is required when environment-name names 2 environments')
    expect(annotation.message).toContain(
      'Set github-environment to the GitHub environment that gates the deploy (such as BrillianCRM-production)'
    )
  })

  it.each(['BrillianCRM production', 'a,b', 'env:prod'])('refuses github-environment %j', async name => {
    const result = await run({ ENVIRONMENT_NAME: 'BrillianCRM-env', GATE_ENVIRONMENT: name })
    expect(result.status).toBe(1)
    expect(result.annotations.map(a => `${a.title}: ${a.message}`)).toEqual([
      expect.stringContaining(
        `deploy.yml input github-environment: "${name}" is not one GitHub environment name`
      )
    ])
  })
})
