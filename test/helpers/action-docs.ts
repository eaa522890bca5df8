/**
 * Shared checks that an action's reference page (docs/<name>.md) and its action.yml agree: every input and
 * output listed in order, with the same defaults and required flags, all described; the action runs its
 * committed bundle on node24.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../../sandbox/index.js'

export interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

export function loadAction(name: string): ActionYml {
  return parse(readFileSync(join(ROOT, 'actions', name, 'action.yml'), 'utf8')) as ActionYml
}

/** The rows of the first Markdown table under `## heading` in docs/<name>.md, as trimmed cells. */
export function docsTable(name: string, heading: string): string[][] {
  const docs = readFileSync(join(ROOT, 'docs', `${name}.md`), 'utf8')
  const section = docs.split(/^## /m).find(part => part.startsWith(`${heading}\n`))
  if (!section) throw new Error(`docs/${name}.md has no "## ${heading}" section`)
  return section
    .split('\n')
    .filter(line => line.startsWith('|'))
    .map(line =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(cell => cell.trim())
    )
    .slice(2) // header and separator
}

export const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1')

export function describeActionDocs(name: string): void {
  const action = loadAction(name)

  describe(`docs/${name}.md matches action.yml`, () => {
    it('lists exactly the inputs, in order, with the same defaults and required flags', () => {
      const rows = docsTable(name, 'Inputs')
      expect(rows.map(row => unquote(row[0]))).toEqual(Object.keys(action.inputs))
      for (const [input, required, defaultCell] of rows) {
        const spec = action.inputs[unquote(input)]
        expect([input, unquote(defaultCell)]).toEqual([input, spec.default ?? ''])
        expect([input, required === 'yes']).toEqual([input, spec.required === true])
      }
    })

    it('lists exactly the outputs, in order', () => {
      expect(docsTable(name, 'Outputs').map(row => unquote(row[0]))).toEqual(Object.keys(action.outputs))
    })

    it('describes every input and output in action.yml', () => {
      for (const [key, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) {
        expect([key, spec.description.trim().length > 10]).toEqual([key, true])
      }
    })
  })

  describe(`actions/${name}/action.yml runs the committed bundle`, () => {
    it('on node24', () => {
      expect(action.runs.using).toBe('node24')
      const bundle = resolve(join(ROOT, 'actions', name), action.runs.main)
      expect(bundle).toBe(join(ROOT, 'dist', name, 'index.js'))
      expect(existsSync(bundle)).toBe(true)
      expect(dirname(bundle)).toBe(join(ROOT, 'dist', name))
    })
  })
}
