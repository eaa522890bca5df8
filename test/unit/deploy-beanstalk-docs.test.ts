import { describe, expect, it } from '@jest/globals'
import { describeActionDocs, loadAction } from '../helpers/action-docs.js'
import { DEFAULTS, INPUT_NAMES } from '../../src/deploy-beanstalk/inputs.js'

describeActionDocs('deploy-beanstalk')

const action = loadAction('deploy-beanstalk')

describe('action.yml matches the contract and the code', () => {
  it('has the contract names from DESIGN.md, which the code reads', () => {
    expect(Object.keys(action.inputs)).toEqual([
      'application-name',
      'environment-name',
      'region',
      'compose-file',
      'image',
      'include',
      'bundle',
      'version-label',
      'version-description',
      'bucket',
      'wait',
      'timeout',
      'required-health',
      'rollback-on-failure',
      'dry-run',
      'require-existing-version',
      'environment-variables',
      'environment-secrets',
      'remove-environment-variables',
      'option-settings',
      'keep-versions',
      'delete-source-bundles',
      'from-environment',
      'platform',
      'strategy',
      'live-cname',
      'log-lines'
    ])
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES])
    expect(Object.keys(action.outputs)).toEqual([
      'version-label',
      'previous-version-label',
      'environment-url',
      'environment-id',
      'health',
      'bundle-sha256',
      'deployed',
      'versions-deleted',
      'platform-arn',
      'previous-platform-arn',
      'environment-name',
      'live-environment-name',
      'idle-environment-name',
      'logs-file'
    ])
  })
  it('declares the same defaults as the code (compose-file documented, applied in code)', () => {
    for (const [name, value] of Object.entries(DEFAULTS)) {
      if (name === 'compose-file') {
        expect(action.inputs[name].default).toBeUndefined()
        expect(action.inputs[name].description).toContain(value)
      } else {
        expect([name, action.inputs[name].default]).toEqual([name, value])
      }
    }
    expect(action.inputs['application-name'].required).toBe(true)
    expect(action.inputs['environment-name'].required).toBe(true)
  })
  it('runs the committed bundle on node24, the same entry as the post step of a cancelled or failed job', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: '../../dist/deploy-beanstalk/index.js',
      post: '../../dist/deploy-beanstalk/index.js',
      'post-if': 'cancelled() || failure()'
    })
  })
})
