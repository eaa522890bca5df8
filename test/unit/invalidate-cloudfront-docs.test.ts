import { describe, expect, it } from '@jest/globals'
import { describeActionDocs, loadAction } from '../helpers/action-docs.js'
import { DEFAULTS, INPUT_NAMES } from '../../src/invalidate-cloudfront/inputs.js'

describeActionDocs('invalidate-cloudfront')

describe('invalidate-cloudfront action.yml matches the code and the contract', () => {
  const action = loadAction('invalidate-cloudfront')

  it('has the contract names (DESIGN.md) and the inputs the code reads', () => {
    expect(Object.keys(action.inputs)).toEqual(['distribution-id', 'domain', 'paths', 'wait', 'timeout'])
    expect([...INPUT_NAMES]).toEqual(Object.keys(action.inputs))
    expect(Object.keys(action.outputs)).toEqual(['invalidation-id', 'distribution-id', 'status'])
  })

  it('declares the same defaults as the code', () => {
    expect(action.inputs.paths.default).toBe(DEFAULTS.paths)
    expect(action.inputs.wait.default).toBe(DEFAULTS.wait)
    expect(action.inputs.timeout.default).toBe(DEFAULTS.timeout)
  })
})
