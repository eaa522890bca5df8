/**
 * examples/deploy-many-apps.yml: IMBIT's four applications in one workflow, a matrix over the reusable workflow,
 * each entry its own environment and its own concurrency group, which must never be the reusable workflow's
 * (GitHub cancels a run whose caller and called workflow hold one group). actionlint runs over it with the other
 * workflows in workflows.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { evaluate } from '../helpers/workflow.js'

const root = join(import.meta.dirname, '..', '..')
interface Entry {
  application: string
  environment: string
  image: string
  path: string
  role: string
  domain: string
}
interface Job {
  uses?: string
  with?: Record<string, string>
  permissions?: Record<string, string>
  concurrency?: { group: string; 'cancel-in-progress': boolean }
  strategy?: { 'fail-fast'?: boolean; matrix: { include: Entry[] } }
}
const load = (path: string) => parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>
const example = load('examples/deploy-many-apps.yml') as {
  on: Record<string, unknown>
  jobs: Record<string, Job>
}
const reusableFile = load('.github/workflows/deploy.yml') as {
  concurrency: { group: string }
  on: { workflow_call: { inputs: Record<string, { required: boolean }> } }
}
const job = example.jobs.deploy
const entries = job.strategy?.matrix.include ?? []

/** A `${{ matrix.x }}` / `${{ inputs.x }}` expression with the values of one entry put in. */
function expand(template: string, entry: Entry, inputs: Record<string, string> = {}): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    String(
      evaluate(expression, {
        status: { success: true, failure: false, cancelled: false },
        lookup: path => {
          const [scope, key] = path.split('.')
          return scope === 'matrix' ? String(entry[key as keyof Entry]) : (inputs[key] ?? '')
        }
      })
    )
  )
}

describe('examples/deploy-many-apps.yml', () => {
  it("deploys IMBIT's four applications, each to its own environment, none cancelling the others", () => {
    expect(example.on.push).toEqual({ branches: ['main'] })
    expect(Object.keys(example.jobs)).toEqual(['deploy'])
    expect(job.uses).toMatch(/^imbit\/actions\/.github\/workflows\/deploy.yml@[0-9a-f]{40}$/)
    expect(job.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' })
    expect(entries.map(e => e.application)).toEqual([
      'BrillianCRM',
      'BrillianICM',
      'BrillianQuiz',
      'brillianideas'
    ])
    for (const key of ['environment', 'image', 'path', 'role', 'domain'] as const)
      expect(new Set(entries.map(e => e[key])).size).toBe(4)
    expect(job.strategy?.['fail-fast']).toBe(false)
    expect(job.with?.['application-name']).toBe('${{ matrix.application }}')
    expect(job.with?.['environment-name']).toBe('${{ matrix.environment }}')
  })

  it('holds a concurrency group per application/environment, never the reusable workflow’s own (no deadlock)', () => {
    const ours = job.concurrency
    expect(ours?.['cancel-in-progress']).toBe(false)
    const groups = entries.map(e => expand(ours?.group ?? '', e))
    expect(new Set(groups).size).toBe(4)
    for (const [i, entry] of entries.entries()) {
      const theirs = expand(reusableFile.concurrency.group, entry, {
        'application-name': expand(job.with?.['application-name'] ?? '', entry),
        'environment-name': expand(job.with?.['environment-name'] ?? '', entry)
      })
      expect(theirs).toBe(`imbit-deploy-${entry.application}-${entry.environment}`)
      expect(groups[i]).not.toBe(theirs)
      expect(groups[i]).toContain(entry.application)
      expect(groups[i]).toContain(entry.environment)
    }
  })

  it('gives the reusable workflow only inputs it declares, the required ones too', () => {
    const inputs = reusableFile.on.workflow_call.inputs
    const given = Object.keys(job.with ?? {})
    expect(given.filter(key => !(key in inputs))).toEqual([])
    const required = Object.entries(inputs).filter(([, input]) => input.required)
    expect(required.map(([key]) => key).filter(key => !given.includes(key))).toEqual([])
    expect(job.with?.['compose-file']).toBe('${{ matrix.path }}/docker-compose.yml')
    expect(job.with?.context).toBe('${{ matrix.path }}')
    expect(job.with?.['keep-versions']).toMatch(/^\d+$/)
  })
})
