import { describe, expect, it } from '@jest/globals'
import { describeActionDocs, loadAction } from '../helpers/action-docs.js'
import { DEFAULTS, INPUT_NAMES } from '../../src/verify-package-public/inputs.js'

describeActionDocs('verify-package-public')

describe('verify-package-public action.yml matches the code and the contract', () => {
  const action = loadAction('verify-package-public')

  it('has the contract names (DESIGN.md) and the inputs the code reads', () => {
    expect(Object.keys(action.inputs)).toEqual(['image', 'token', 'timeout', 'fail-on-private', 'platforms'])
    expect([...INPUT_NAMES]).toEqual(Object.keys(action.inputs))
    expect(action.inputs.image.required).toBe(true)
    expect(Object.keys(action.outputs)).toEqual(['visibility', 'pullable', 'digest'])
  })

  it('declares the same defaults as the code', () => {
    expect(action.inputs.token.default).toBe(DEFAULTS.token)
    expect(action.inputs.timeout.default).toBe(DEFAULTS.timeout)
    expect(action.inputs['fail-on-private'].default).toBe(DEFAULTS['fail-on-private'])
    expect(action.inputs.platforms.default).toBe(DEFAULTS.platforms)
  })
})
