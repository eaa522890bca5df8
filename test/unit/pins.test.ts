/**
 * imbit/actions is referenced by commit with its version beside it (issue 20): in the example callers, the README
 * and the set-up and migration guides, every `imbit/actions/…@` is `@<40 hex> # vX.Y.Z`, one commit throughout
 * (so a release updates them with one replacement), the one the pinned trust policy names; the example
 * Dependabot configuration keeps callers' pins current.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../../sandbox/index.js'
import { read } from '../helpers/workflow.js'

const files = [
  'README.md',
  'docs/aws-setup.md',
  'docs/migration.md',
  ...readdirSync(join(ROOT, 'examples'))
    .filter(name => /\.ya?ml$/.test(name))
    .map(name => `examples/${name}`)
]
/** Every `uses: imbit/actions/…@ref [# comment]` line of a file. */
const references = (path: string): string[] =>
  [...read(path).matchAll(/uses:\s*(imbit\/actions\/\S+@\S+(?:\s+#\s*\S+)?)/g)].map(m => m[1])

describe('imbit/actions pinned by commit', () => {
  it.each(files)('%s pins imbit/actions by commit SHA with the version as a comment', path => {
    const refs = references(path)
    expect(refs.length).toBeGreaterThan(0)
    expect(refs.filter(ref => !/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(ref))).toEqual([])
  })

  it('pins one commit everywhere, the one the pinned trust policies name', () => {
    const commits = new Set(files.flatMap(references).map(ref => /@([0-9a-f]{40})/.exec(ref)?.[1]))
    expect(commits.size).toBe(1)
    const [commit] = commits
    for (const file of ['deploy-trust-policy-pinned.json', 'read-only-trust-policy-pinned.json']) {
      expect(read(`docs/iam/${file}`)).toContain(
        `job_workflow_ref:imbit/actions/.github/workflows/deploy.yml@${commit}"`
      )
    }
  })

  it('gives callers a Dependabot configuration that updates the pin (github-actions)', () => {
    const config = parse(read('examples/.github/dependabot.yml')) as {
      version: number
      updates: {
        'package-ecosystem': string
        directory: string
        groups?: Record<string, { patterns: string[] }>
      }[]
    }
    expect(config.version).toBe(2)
    expect(config.updates).toEqual([
      expect.objectContaining({ 'package-ecosystem': 'github-actions', directory: '/' })
    ])
    expect(config.updates[0].groups?.['imbit-actions'].patterns).toEqual(['imbit/actions*'])
    expect(read('README.md')).toContain('examples/.github/dependabot.yml')
  })
})
