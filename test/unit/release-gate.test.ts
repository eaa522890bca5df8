/**
 * release.yml binds (issue 20, finding 4): publish releases exactly the commit the check job verified (its output
 * `sha`, compared with the tag and GITHUB_SHA), and the major tag never moves backwards. The real `run:` scripts
 * against local git repositories (a bare origin and a clone, as actions/checkout leaves it); docs/releasing.md
 * names the tag ruleset that keeps a branch's release.yml from publishing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load, read, runScript, scriptOf } from '../helpers/workflow.js'

const release = load('.github/workflows/release.yml')
const STILL = 'The tag still points at the commit the checks ran on'
const MOVE = 'Point the major tag at this release'

let dir = ''
let origin = ''
let clone = ''
let work = ''
const shas: Record<string, string> = {}
const gitEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com'
}
const git = (cwd: string, ...args: string[]): string =>
  execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } }
  ).trim()

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-gate-'))
  origin = join(dir, 'origin.git')
  work = join(dir, 'work')
  git(dir, 'init', '--bare', origin)
  git(dir, 'init', work)
  const commit = (message: string): string => {
    writeFileSync(join(work, 'file.txt'), `${message}\n`)
    git(work, 'add', 'file.txt')
    git(work, 'commit', '-m', message)
    return git(work, 'rev-parse', 'HEAD')
  }
  shas.first = commit('first')
  shas.second = commit('second')
  shas.third = commit('third')
  git(work, 'tag', 'v1.0.0', shas.first)
  git(work, 'tag', 'v1.1.0', shas.second)
  git(work, 'tag', 'v1.2.0', shas.third)
  git(work, 'remote', 'add', 'origin', origin)
  git(work, 'push', '--quiet', 'origin', 'main', '--tags')
  clone = join(dir, 'clone')
  git(dir, 'clone', '--quiet', origin, clone)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('release.yml publishes exactly the commit the checks ran on', () => {
  it('passes the verified commit from check to publish, never re-reading the tag name for it', () => {
    expect(release.jobs.check.outputs?.sha).toBe('${{ steps.tag.outputs.sha }}')
    const publish = release.jobs.publish.steps ?? []
    const still = publish.find(s => s.name === STILL)
    expect(still?.env).toMatchObject({
      VERIFIED: '${{ needs.check.outputs.sha }}',
      EVENT_SHA: '${{ github.sha }}'
    })
    // it comes before anything is published
    const names = publish.map(s => s.name ?? s.uses ?? '')
    expect(names.indexOf(STILL)).toBeGreaterThan(0)
    expect(names.indexOf(STILL)).toBeLessThan(names.indexOf('Publish the release notes'))
    expect(publish.find(s => s.name === MOVE)?.env).toMatchObject({
      VERIFIED: '${{ needs.check.outputs.sha }}'
    })
    expect(scriptOf(release, 'publish', MOVE)).not.toMatch(/rev-parse "\$TAG/)
  })

  it('check refuses a tag whose commit is not the run’s (the tag moved while the run started)', async () => {
    git(clone, 'checkout', '--quiet', '--detach', shas.second)
    const result = await runScript(
      scriptOf(release, 'check', 'tag'),
      { TAG: 'v1.1.0', DEFAULT_BRANCH: 'main', EVENT_SHA: shas.first },
      clone
    )
    expect(result.status).toBe(1)
    expect(result.outputs).toEqual({})
    expect(result.annotations.map(a => a.title)).toEqual(['v1.1.0 moved'])
  })

  it('check outputs the commit it verified', async () => {
    git(clone, 'checkout', '--quiet', '--detach', shas.second)
    const result = await runScript(
      scriptOf(release, 'check', 'tag'),
      { TAG: 'v1.1.0', DEFAULT_BRANCH: 'main', EVENT_SHA: shas.second },
      clone
    )
    expect([result.status, result.outputs.sha]).toEqual([0, shas.second])
  })

  it('publish refuses when the tag was moved after the checks ran', async () => {
    const still = scriptOf(release, 'publish', STILL)
    const ok = await runScript(still, { TAG: 'v1.1.0', VERIFIED: shas.second, EVENT_SHA: shas.second }, clone)
    expect([ok.status, ok.annotations]).toEqual([0, []])
    // the tag is moved on origin (to another commit of main) after the checks verified shas.second
    git(work, 'tag', '--force', 'v1.1.0', shas.third)
    git(work, 'push', '--quiet', '--force', 'origin', 'refs/tags/v1.1.0')
    try {
      const moved = await runScript(
        still,
        { TAG: 'v1.1.0', VERIFIED: shas.second, EVENT_SHA: shas.second },
        clone
      )
      expect(moved.status).toBe(1)
      expect(moved.annotations).toEqual([
        expect.objectContaining({
          title: 'v1.1.0 is not the commit checked',
          message: expect.stringContaining(`points at ${shas.third} now; the checks ran on ${shas.second}`)
        })
      ])
      const noOutput = await runScript(still, { TAG: 'v1.2.0', VERIFIED: '', EVENT_SHA: shas.third }, clone)
      expect(noOutput.status).toBe(1)
    } finally {
      git(work, 'tag', '--force', 'v1.1.0', shas.second)
      git(work, 'push', '--quiet', '--force', 'origin', 'refs/tags/v1.1.0')
    }
  })
})

describe('release.yml never moves the major tag backwards', () => {
  const move = (tag: string, sha: string) =>
    runScript(scriptOf(release, 'publish', MOVE), { ...gitEnv, TAG: tag, MAJOR: 'v1', VERIFIED: sha }, clone)

  it('moves v1 forward, leaves it on a re-run, and refuses an older release', async () => {
    const first = await move('v1.2.0', shas.third)
    expect([first.status, first.stderr]).toEqual([0, ''])
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(shas.third)

    const again = await move('v1.2.0', shas.third)
    expect(again.status).toBe(0)
    expect(again.summary).toContain('already points at `v1.2.0`')

    // v1.0.0 pushed (again) after v1.2.0: v1 must not go back to it
    const older = await move('v1.0.0', shas.first)
    expect(older.status).toBe(1)
    expect(older.annotations).toEqual([
      expect.objectContaining({
        title: 'v1 would move backwards',
        message: expect.stringContaining(shas.third)
      })
    ])
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(shas.third)
  })

  it('refuses when v1 on origin moved ahead of the local clone’s copy', async () => {
    // the clone's own v1 is older than origin's: the script reads origin's before deciding
    git(clone, 'tag', '--force', 'v1', shas.first)
    const result = await move('v1.1.0', shas.second)
    expect(result.status).toBe(1)
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(shas.third)
  })
})

describe('docs/releasing.md', () => {
  const doc = read('docs/releasing.md')
  it('names the tag ruleset: v* tags created, moved and deleted by maintainers only', () => {
    expect(doc).toMatch(/refs\/tags\/v\*/)
    for (const rule of ['Restrict creations', 'Restrict updates', 'Restrict deletions'])
      expect(doc).toContain(rule)
    expect(doc).toContain('release.yml')
    expect(doc).toContain('Bypass list')
  })
})
