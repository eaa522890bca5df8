/**
 * `.env.example` is correct as written: its commands name files that exist (the entry is resolved from the
 * action's folder, as local-action does), its endpoints match the ports its sandbox command asks for, every
 * INPUT_ is an input of an action, and the workspace holds the compose file it names.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../../sandbox/index.js'

const text = readFileSync(join(ROOT, '.env.example'), 'utf8')
const vars = new Map(
  [...text.matchAll(/^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/gm)].map(m => [m[1], m[2]] as [string, string])
)

describe('.env.example', () => {
  it('the local-action command names an action folder and an entry that exists relative to it', () => {
    const command = /npx local-action run (actions\/[\w-]+) (\S+) \.env/.exec(text)
    expect(command).not.toBeNull()
    const [, action, entry] = command!
    expect(existsSync(join(ROOT, action, 'action.yml'))).toBe(true)
    expect(existsSync(resolve(ROOT, action, entry))).toBe(true)
    expect(readFileSync(join(ROOT, 'package.json'), 'utf8')).toContain('"@github/local-action": "7.0.1"')
  })

  it("the endpoints are the ports its sandbox command fixes, and the sandbox's dummy keys", () => {
    const ports = /npm run sandbox -- --port (\d+) --s3-port (\d+)/.exec(text)
    expect(ports).not.toBeNull()
    expect(vars.get('AWS_ENDPOINT_URL')).toBe(`http://127.0.0.1:${ports![1]}`)
    expect(vars.get('AWS_ENDPOINT_URL_S3')).toBe(`http://127.0.0.1:${ports![2]}`)
    expect([vars.get('AWS_ACCESS_KEY_ID'), vars.get('AWS_SECRET_ACCESS_KEY')]).toEqual(['S3RVER', 'S3RVER'])
  })

  it('every INPUT_ is an input of one of the actions', () => {
    const inputs = new Set<string>()
    for (const action of readdirSync(join(ROOT, 'actions'))) {
      const file = join(ROOT, 'actions', action, 'action.yml')
      if (!existsSync(file)) continue
      const yml = parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, unknown> }
      for (const name of Object.keys(yml.inputs ?? {})) inputs.add(name)
    }
    const given = [...vars.keys()].filter(k => k.startsWith('INPUT_')).map(k => k.slice(6).toLowerCase())
    expect(given.length).toBeGreaterThan(5)
    expect(given.filter(name => !inputs.has(name))).toEqual([])
  })

  it('the workspace (relative to the repository root) holds the compose file it names', () => {
    const workspace = vars.get('GITHUB_WORKSPACE')!
    expect(existsSync(join(ROOT, workspace, vars.get('INPUT_COMPOSE-FILE')!))).toBe(true)
  })
})
