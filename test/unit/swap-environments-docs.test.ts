import { describe, expect, it } from '@jest/globals'
import { describeActionDocs, loadAction } from '../helpers/action-docs.js'
import { DEFAULTS, INPUT_NAMES } from '../../src/swap-environments/inputs.js'
import { outputs } from '../../src/swap-environments/report.js'

describeActionDocs('swap-environments')

describe('swap-environments action.yml matches the code and the contract', () => {
  const action = loadAction('swap-environments')

  it('has the contract names (DESIGN.md) and the inputs the code reads', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES])
    for (const name of ['application-name', 'environment-name', 'live-cname'])
      expect(action.inputs[name].required).toBe(true)
    expect(Object.keys(action.outputs)).toEqual([...outputs.names])
    expect(Object.keys(action.outputs).slice(0, 3)).toEqual([
      'live-environment-name',
      'idle-environment-name',
      'swapped'
    ])
  })

  it('declares the same defaults as the code', () => {
    for (const [name, value] of Object.entries(DEFAULTS))
      expect([name, action.inputs[name].default]).toEqual([name, value])
  })
})
