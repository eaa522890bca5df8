import { describe, expect, it } from '@jest/globals'
import { describeActionDocs, loadAction } from '../helpers/action-docs.js'
import { DEFAULTS, INPUT_NAMES } from '../../src/check-url/inputs.js'

describeActionDocs('check-url')

describe('check-url action.yml matches the code and the contract', () => {
  const action = loadAction('check-url')

  it('has the contract names (DESIGN.md) and the inputs the code reads', () => {
    expect(Object.keys(action.inputs)).toEqual([
      'url',
      'expect-status',
      'expect-text',
      'expect-header',
      'timeout',
      'follow-redirects',
      'allow-http'
    ])
    expect([...INPUT_NAMES]).toEqual(Object.keys(action.inputs))
    expect(action.inputs.url.required).toBe(true)
    expect(Object.keys(action.outputs)).toEqual(['status', 'url', 'duration-ms', 'ok'])
  })

  it('declares the same defaults as the code', () => {
    expect(action.inputs['expect-status'].default).toBe(DEFAULTS['expect-status'])
    expect(action.inputs.timeout.default).toBe(DEFAULTS.timeout)
    expect(action.inputs['follow-redirects'].default).toBe(DEFAULTS['follow-redirects'])
    expect(action.inputs['allow-http'].default).toBe(DEFAULTS['allow-http'])
  })
})
