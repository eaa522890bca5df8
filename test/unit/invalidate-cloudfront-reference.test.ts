import { describe, expect, it } from '@jest/globals'
import { callerReference } from '../../src/invalidate-cloudfront/reference.js'

const run = {
  GITHUB_RUN_ID: '8123456789',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_REPOSITORY: 'imbit/brilliancrm',
  GITHUB_JOB: 'deploy',
  GITHUB_ACTION: 'invalidate'
}
const paths = ['/*']

describe('callerReference', () => {
  it('is derived from the run: the same step tried again gets the same reference', () => {
    const first = callerReference('E2CRM000000001', paths, { ...run })
    const again = callerReference('E2CRM000000001', ['/*'], { ...run })
    expect(first.derived).toBe(true)
    expect(again.value).toBe(first.value)
    expect(first.value).toMatch(/^imbit-8123456789-1-[0-9a-f]{20}$/)
  })

  it('changes with the run attempt (a re-run is a new deploy and gets a new invalidation)', () => {
    const first = callerReference('E2CRM000000001', paths, { ...run })
    const rerun = callerReference('E2CRM000000001', paths, { ...run, GITHUB_RUN_ATTEMPT: '2' })
    expect(rerun.value).not.toBe(first.value)
    expect(rerun.value).toMatch(/^imbit-8123456789-2-/)
  })

  it('changes with the run, job, step, distribution and paths', () => {
    const base = callerReference('E2CRM000000001', paths, { ...run }).value
    const variants = [
      callerReference('E2CRM000000001', paths, { ...run, GITHUB_RUN_ID: '8123456790' }),
      callerReference('E2CRM000000001', paths, { ...run, GITHUB_JOB: 'deploy-staging' }),
      callerReference('E2CRM000000001', paths, { ...run, GITHUB_ACTION: 'invalidate-2' }),
      callerReference('E2CRM000000001', paths, { ...run, GITHUB_REPOSITORY: 'imbit/brillianicm' }),
      callerReference('E2ICM000000002', paths, { ...run }),
      callerReference('E2CRM000000001', ['/index.html'], { ...run }),
      callerReference('E2CRM000000001', ['/*', '/x'], { ...run })
    ].map(r => r.value)
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1)
  })

  it('does not confuse path lists that join to the same text', () => {
    const a = callerReference('E2CRM000000001', ['/a,/b'], { ...run })
    const b = callerReference('E2CRM000000001', ['/a', '/b'], { ...run })
    expect(a.value).not.toBe(b.value)
  })

  it('takes attempt 1 when GITHUB_RUN_ATTEMPT is missing', () => {
    const noAttempt: Record<string, string> = { ...run }
    delete noAttempt.GITHUB_RUN_ATTEMPT
    expect(callerReference('E2CRM000000001', paths, noAttempt).value).toBe(
      callerReference('E2CRM000000001', paths, { ...run }).value
    )
  })

  it('is unique outside GitHub Actions', () => {
    const a = callerReference('E2CRM000000001', paths, {})
    const b = callerReference('E2CRM000000001', paths, {})
    expect(a.derived).toBe(false)
    expect(a.value).toMatch(/^imbit-local-/)
    expect(a.value).not.toBe(b.value)
    expect(callerReference('E2CRM000000001', paths, {}, () => 'fixed').value).toBe('imbit-local-fixed')
  })
})
