/**
 * deploy.yml keeps the instances' logs of a failed update (issue 24): deploy-beanstalk's `logs-file` (and the
 * rollback's) uploaded as an artifact when the deploy or the site check failed, on the real YAML: the step's `if:`
 * evaluated as GitHub does, and the action pinned by commit like every other.
 */
import { describe, expect, it } from '@jest/globals'
import { load, read, simulateSteps, type Step } from '../helpers/workflow.js'

const workflow = load('.github/workflows/deploy.yml')
const KEEP = "Keep the instances' logs"
const app = { 'application-name': 'BrillianCRM', 'environment-name': 'BrillianCRM-env' }
const site = { 'check-url': 'https://brilliancrm.com/' }
const step = (): Step => {
  const found = (workflow.jobs.deploy.steps ?? []).find(s => s.name === KEEP)
  if (!found) throw new Error(`no step ${KEEP} in the deploy job`)
  return found
}
const run = (
  inputs: Record<string, string | boolean>,
  failing: string[],
  outputs: Record<string, Record<string, string>>
) => simulateSteps(workflow, 'deploy', { ...app, ...inputs }, { failing, outputs }).steps[KEEP]

describe("deploy.yml keeps the instances' logs of a failed update", () => {
  it('uploads deploy-beanstalk’s logs-file and the rollback’s, named for the environment, pinned by commit', () => {
    expect(step().uses).toMatch(/^actions\/upload-artifact@[0-9a-f]{40}$/)
    expect(step().with).toEqual({
      name: 'beanstalk-logs-${{ inputs.environment-name }}',
      path: '${{ steps.deploy.outputs.logs-file }}\n${{ steps.rollback.outputs.logs-file }}\n',
      'if-no-files-found': 'ignore',
      'retention-days': 14,
      overwrite: true
    })
    // the version beside the commit, as every pin of the workflow has it
    expect(read('.github/workflows/deploy.yml')).toMatch(
      /uses: actions\/upload-artifact@[0-9a-f]{40} # v\d+\.\d+\.\d+\n/
    )
  })

  it('runs when the deploy failed with logs', () => {
    const logs = { deploy: { 'logs-file': '/runner/temp/beanstalk-logs-BrillianCRM-env-v2.txt' } }
    expect(run({}, ['deploy'], logs)).toBe('success')
    expect(run(site, ['deploy'], logs)).toBe('success')
  })

  it('runs when the site check failed and the rollback left logs', () => {
    const logs = {
      deploy: { 'version-label': 'v2', 'previous-version-label': 'v1' },
      rollback: { 'logs-file': '/t/r.txt' }
    }
    expect(run({ ...site, 'rollback-on-failure': true }, ['site', 'rollback'], logs)).toBe('success')
  })

  it('does not run after a success, without logs, or when only a later step failed', () => {
    const logs = { deploy: { 'logs-file': '/t/l.txt' } }
    expect(run(site, [], logs)).toBe('skipped')
    expect(run(site, ['deploy'], { deploy: { 'logs-file': '' } })).toBe('skipped')
    expect(run({ ...site, 'cloudfront-domain': 'brilliancrm.com' }, ['invalidate'], logs)).toBe('skipped')
  })
})
