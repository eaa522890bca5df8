import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../helpers/run-bundle.js'
import { DEFAULTS, INPUT_NAMES } from '../../src/verify-package-public/inputs.js'

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

const actionFile = join(ROOT, 'actions', 'verify-package-public', 'action.yml')
const action = parse(readFileSync(actionFile, 'utf8')) as ActionYml
const docs = readFileSync(join(ROOT, 'docs', 'verify-package-public.md'), 'utf8')

/** The rows of the first Markdown table under `## heading`, as arrays of trimmed cells. */
function table(heading: string): string[][] {
  const section = docs.split(/^## /m).find(part => part.startsWith(`${heading}\n`))
  if (!section) throw new Error(`docs/verify-package-public.md has no "## ${heading}" section`)
  const rows = section
    .split('\n')
    .filter(line => line.startsWith('|'))
    .map(line =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(cell => cell.trim())
    )
  return rows.slice(2) // header and separator
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1')

describe('docs/verify-package-public.md matches action.yml', () => {
  it('lists exactly the inputs of action.yml, in order, with the same defaults and required flags', () => {
    const rows = table('Inputs')
    expect(rows.map(row => unquote(row[0]))).toEqual(Object.keys(action.inputs))
    for (const [name, required, defaultCell] of rows) {
      const input = action.inputs[unquote(name)]
      expect([name, unquote(defaultCell)]).toEqual([name, input.default ?? ''])
      expect([name, required === 'yes']).toEqual([name, input.required === true])
    }
  })

  it('lists exactly the outputs of action.yml, in order', () => {
    expect(table('Outputs').map(row => unquote(row[0]))).toEqual(Object.keys(action.outputs))
  })

  it('describes every input and output in action.yml', () => {
    for (const [name, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) {
      expect([name, spec.description.trim().length > 10]).toEqual([name, true])
    }
  })
})

describe('action.yml matches the code and the contract', () => {
  it('has the contract names (DESIGN.md) and the inputs the code reads', () => {
    expect(Object.keys(action.inputs)).toEqual(['image', 'token', 'timeout', 'fail-on-private'])
    expect([...INPUT_NAMES]).toEqual(Object.keys(action.inputs))
    expect(action.inputs.image.required).toBe(true)
    expect(Object.keys(action.outputs)).toEqual(['visibility', 'pullable', 'digest'])
  })

  it('declares the same defaults as the code', () => {
    expect(action.inputs.token.default).toBe(DEFAULTS.token)
    expect(action.inputs.timeout.default).toBe(DEFAULTS.timeout)
    expect(action.inputs['fail-on-private'].default).toBe(DEFAULTS['fail-on-private'])
  })

  it('runs the committed bundle on node24', () => {
    expect(action.runs.using).toBe('node24')
    const bundle = resolve(dirname(actionFile), action.runs.main)
    expect(bundle).toBe(join(ROOT, 'dist', 'verify-package-public', 'index.js'))
    expect(existsSync(bundle)).toBe(true)
  })
})
