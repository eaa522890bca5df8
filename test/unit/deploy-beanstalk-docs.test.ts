import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../helpers/run-bundle.js'
import { DEFAULTS, INPUT_NAMES } from '../../src/deploy-beanstalk/inputs.js'

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

const action = parse(
  readFileSync(join(ROOT, 'actions', 'deploy-beanstalk', 'action.yml'), 'utf8')
) as ActionYml
const docs = readFileSync(join(ROOT, 'docs', 'deploy-beanstalk.md'), 'utf8')

/** The rows of the first Markdown table under `## heading`, as arrays of trimmed cells. */
function table(heading: string): string[][] {
  const section = docs.split(/^## /m).find(part => part.startsWith(`${heading}\n`))
  if (!section) throw new Error(`docs/deploy-beanstalk.md has no "## ${heading}" section`)
  return section
    .split('\n')
    .filter(line => line.startsWith('|'))
    .map(line =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(cell => cell.trim())
    )
    .slice(2)
}
const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1')

describe('docs/deploy-beanstalk.md matches action.yml', () => {
  it('lists exactly the inputs, in order, with the same defaults and required flags', () => {
    const rows = table('Inputs')
    expect(rows.map(row => unquote(row[0]))).toEqual(Object.keys(action.inputs))
    for (const [name, required, defaultCell] of rows) {
      const input = action.inputs[unquote(name)]
      expect([name, unquote(defaultCell)]).toEqual([name, input.default ?? ''])
      expect([name, required === 'yes']).toEqual([name, input.required === true])
    }
  })
  it('lists exactly the outputs, in order', () => {
    expect(table('Outputs').map(row => unquote(row[0]))).toEqual(Object.keys(action.outputs))
  })
  it('describes every input and output', () => {
    for (const [name, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) {
      expect([name, spec.description.trim().length > 10]).toEqual([name, true])
    }
  })
})

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
      'dry-run'
    ])
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES])
    expect(Object.keys(action.outputs)).toEqual([
      'version-label',
      'previous-version-label',
      'environment-url',
      'environment-id',
      'health',
      'bundle-sha256',
      'deployed'
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
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: '../../dist/deploy-beanstalk/index.js' })
  })
})
