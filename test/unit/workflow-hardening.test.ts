/**
 * deploy.yml's smaller hardening points of issue 20, on the real YAML: the Actions layer cache (writable by any run
 * on the caller's default branch) is off unless `build-cache` turns it on; the token for the own-commit checkout
 * reaches only the own-commit checkout steps (never a script, never another action, never persisted); the check
 * job's dry run, outside the environment, is given no configuration (diffing it reads property values).
 */
import { describe, expect, it } from '@jest/globals'
import { load, read, type Step } from '../helpers/workflow.js'

const workflow = load('.github/workflows/deploy.yml')
const inputs = (workflow.on.workflow_call as { inputs: Record<string, { type: string; default?: unknown }> })
  .inputs
const steps = (job: string): Step[] => workflow.jobs[job].steps ?? []

describe('the build’s layer cache', () => {
  const push = steps('build').find(s => s.uses?.startsWith('docker/build-push-action@'))

  it('is off by default, behind the boolean input build-cache', () => {
    expect(inputs['build-cache']).toMatchObject({ type: 'boolean', default: false })
    for (const key of ['cache-from', 'cache-to']) {
      const value = String(push?.with?.[key])
      expect([key, value]).toEqual([
        key,
        expect.stringMatching(/^\$\{\{ inputs\.build-cache && format\('type=gha,/)
      ])
      expect(value).toMatch(/\|\| '' \}\}$/)
      // scoped to the application and environment, so apps sharing a repository never share layers
      expect(value).toContain(
        "scope=imbit-deploy-{0}-{1}', inputs.application-name, inputs.environment-name)"
      )
    }
    // no unconditional Actions cache anywhere in the workflow
    const lines = read('.github/workflows/deploy.yml')
      .split('\n')
      .filter(line => !/^\s*#/.test(line) && !line.includes('GitHub Actions cache (type=gha'))
    expect(
      lines.filter(line => line.includes('type=gha') && !line.includes('inputs.build-cache &&'))
    ).toEqual([])
  })
})

describe('the token for the own-commit checkout', () => {
  it('is given only to the checkout of imbit/actions at this workflow’s commit, never persisted', () => {
    const uses: string[] = []
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        const text = JSON.stringify(step)
        if (!text.includes('secrets.actions-token')) continue
        uses.push(name)
        expect(step.uses).toMatch(/^actions\/checkout@[0-9a-f]{40}$/)
        expect(step.with).toMatchObject({
          path: '.imbit-actions',
          token: '${{ secrets.actions-token || github.token }}',
          'persist-credentials': false
        })
        expect(String(step.with?.ref)).toMatch(/actions-sha|steps\.self\.outputs\.sha/)
        expect(JSON.stringify(step.env ?? {})).not.toContain('actions-token')
      }
    }
    // the jobs that run our actions from that checkout, and only they
    expect(uses).toEqual(['check', 'build', 'deploy'])
    // in the build job only after the image is built: the build never runs with it checked out
    const names = steps('build').map(s => s.uses ?? s.name ?? '')
    const push = names.findIndex(n => n.startsWith('docker/build-push-action@'))
    const checkout = steps('build').findIndex(s => JSON.stringify(s).includes('secrets.actions-token'))
    expect(checkout).toBeGreaterThan(push)
  })
})

describe('the check job outside the environment', () => {
  it('gives its dry run no configuration: the property values stay readable by the deploy role only', () => {
    const dryRun = steps('check').find(s => s.uses === './.imbit-actions/actions/deploy-beanstalk')
    for (const name of [
      'environment-variables',
      'environment-secrets',
      'remove-environment-variables',
      'option-settings'
    ]) {
      expect([name, dryRun?.with?.[name]]).toEqual([name, undefined])
    }
    const deploy = steps('deploy').find(s => s.id === 'deploy')
    expect(deploy?.with?.['environment-secrets']).toBe('${{ inputs.environment-secrets }}')
  })
})
