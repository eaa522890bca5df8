import { describe, expect, it } from '@jest/globals'
import { INPUT_NAMES, parseInputs, type RawInputs } from '../../src/deploy-beanstalk/inputs.js'
import { bundleKey, describePlan, makePlan } from '../../src/deploy-beanstalk/plan.js'

const inputs = (over: Partial<RawInputs> = {}) =>
  parseInputs(
    {
      ...(Object.fromEntries(INPUT_NAMES.map(n => [n, ''])) as RawInputs),
      'application-name': 'BrillianCRM',
      'environment-name': 'BrillianCRM-env',
      ...over
    },
    { AWS_REGION: 'eu-central-1' }
  )
const environment = {
  name: 'BrillianCRM-env',
  id: 'e-abc1234567',
  application: 'BrillianCRM',
  status: 'Ready',
  health: 'Green',
  versionLabel: 'v1'
}
const bundle = { path: '/tmp/b.zip', sha256: 'ab'.repeat(32), size: 2048, temporary: true }

describe('plan', () => {
  it('a new version: upload to <application>/<label>.zip, then deploy', () => {
    const plan = makePlan({
      inputs: inputs(),
      environment,
      label: 'abc1234-abababab',
      description: 'Fix',
      bundle
    })
    expect(plan).toMatchObject({
      mode: 'new-version',
      upload: { bucket: undefined, key: 'BrillianCRM/abc1234-abababab.zip' },
      previousLabel: 'v1',
      environmentId: 'e-abc1234567'
    })
    const text = describePlan(plan).join('\n')
    expect(text).toContain(
      "Upload to:    BrillianCRM/abc1234-abababab.zip in Beanstalk's storage bucket for the region (CreateStorageLocation)"
    )
    expect(text).not.toContain('<')
    expect(text).toContain('2 KB')
    expect(text).toContain('deploy abc1234-abababab to BrillianCRM-env')
    expect(text).toContain('https://eu-central-1.console.aws.amazon.com/elasticbeanstalk/')
  })
  it('an existing label is redeployed: nothing uploaded', () => {
    const plan = makePlan({
      inputs: inputs({
        'version-label': 'v0',
        bucket: 'my-bucket',
        'dry-run': 'true',
        'rollback-on-failure': 'true'
      }),
      environment: { ...environment, status: 'Updating' },
      label: 'v0',
      description: 'old',
      existing: { label: 'v0', status: 'PROCESSED' }
    })
    expect(plan.mode).toBe('redeploy')
    expect(plan.upload).toBeUndefined()
    const text = describePlan(plan).join('\n')
    expect(text).toContain('exists: redeployed as it is')
    expect(text).toContain('wait until BrillianCRM-env is Ready (it is Updating)')
    expect(text).toContain('on failure, redeploy v1')
    expect(text).toContain('Dry run: stopping here')
  })
  it('keys are <application>/<label>.zip', () => {
    expect(bundleKey('App', 'v1.2')).toBe('App/v1.2.zip')
  })
})
