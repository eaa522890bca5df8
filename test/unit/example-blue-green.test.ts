/**
 * examples/deploy-blue-green.yml: a caller of the reusable workflow with strategy: blue-green, pinned by commit like
 * every example (pins.test.ts), giving only inputs deploy.yml declares; what deploy.yml then does is simulated in
 * workflow-blue-green.test.ts. actionlint runs over it with the other workflows in workflows.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { read } from '../helpers/workflow.js'

interface Job {
  uses?: string
  with?: Record<string, string | boolean>
  permissions?: Record<string, string>
}
const example = parse(read('examples/deploy-blue-green.yml')) as {
  on: Record<string, unknown>
  jobs: Record<string, Job>
}
const reusable = (
  parse(read('.github/workflows/deploy.yml')) as {
    on: { workflow_call: { inputs: Record<string, { required?: boolean }> } }
  }
).on.workflow_call

describe('examples/deploy-blue-green.yml', () => {
  const { deploy } = example.jobs

  it('releases on a push to main and by hand, through the reusable workflow pinned by commit', () => {
    expect(Object.keys(example.on)).toEqual(['push', 'workflow_dispatch'])
    expect(deploy.uses).toMatch(/^imbit\/actions\/\.github\/workflows\/deploy\.yml@[0-9a-f]{40}$/)
    expect(deploy.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' })
  })

  it('names the pair, the live CNAME and the strategy, and checks the live site (a failure swaps back)', () => {
    expect(deploy.with).toMatchObject({
      strategy: 'blue-green',
      'environment-name': 'BrillianCRM-env',
      'live-cname': 'brilliancrm',
      'idle-after-swap': 'keep',
      'check-url': expect.stringMatching(/^https:\/\//)
    })
  })

  it('gives only inputs the reusable workflow declares, every required one', () => {
    const given = Object.keys(deploy.with ?? {})
    for (const name of given) expect(Object.keys(reusable.inputs)).toContain(name)
    for (const [name, spec] of Object.entries(reusable.inputs))
      if (spec.required) expect(given).toContain(name)
  })
})
