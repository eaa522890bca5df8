/**
 * The first log line of every action: which imbit/actions runs, from the runner's GITHUB_ACTION_REPOSITORY/REF
 * (a downloaded action) or the git checkout the bundle runs from (deploy.yml's ./.imbit-actions), read from real
 * git repositories made here: branch, detached commit, lightweight, annotated and packed tags, a `.git` file.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { bundleVersionLine, readCheckout, versionLine } from '../../src/common/version.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

describe('versionLine', () => {
  it.each([
    [
      'a downloaded action',
      { repository: 'imbit/actions', ref: 'v1', tags: [] },
      'imbit/actions deploy-beanstalk v1'
    ],
    [
      'a release checkout',
      { commit: SHA, tags: ['v1', 'v1.4.2'] },
      `imbit/actions deploy-beanstalk v1, v1.4.2, commit ${SHA}`
    ],
    [
      'a branch checkout',
      { commit: SHA, branch: 'main', tags: [] },
      `imbit/actions deploy-beanstalk commit ${SHA}, branch main`
    ],
    ['a detached commit', { commit: SHA, tags: [] }, `imbit/actions deploy-beanstalk commit ${SHA}`],
    [
      'nothing known',
      { tags: [] },
      'imbit/actions deploy-beanstalk version unknown (no release tag or git commit found)'
    ]
  ])('names %s', (_, facts, line) => {
    expect(versionLine('deploy-beanstalk', facts)).toBe(line)
  })
})

describe('readCheckout and bundleVersionLine, on real git repositories', () => {
  let dir = ''
  let repo = ''
  const shas: Record<string, string> = {}
  const git = (...args: string[]): string =>
    execFileSync(
      'git',
      ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
      {
        cwd: repo,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' }
      }
    ).trim()
  const commit = (message: string): string => {
    writeFileSync(join(repo, 'file.txt'), message)
    git('add', 'file.txt')
    git('commit', '-q', '-m', message)
    return git('rev-parse', 'HEAD')
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'version-'))
    repo = join(dir, 'imbit-actions')
    mkdirSync(repo)
    git('init', '-q')
    shas.first = commit('first')
    git('tag', '-a', 'v1.0.0', '-m', 'v1.0.0')
    git('tag', 'v1')
    shas.second = commit('second')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads the branch and its commit', () => {
    expect(readCheckout(repo)).toEqual({ commit: shas.second, branch: 'main', tags: [] })
  })

  it('reads a detached commit and its tags, lightweight and annotated, loose and packed', () => {
    git('checkout', '-q', '--detach', shas.first)
    expect(readCheckout(repo)).toEqual({ commit: shas.first, branch: undefined, tags: ['v1', 'v1.0.0'] })
    git('pack-refs', '--all')
    expect(readCheckout(repo)).toEqual({ commit: shas.first, branch: undefined, tags: ['v1', 'v1.0.0'] })
    git('checkout', '-q', 'main')
    expect(readCheckout(repo)).toEqual({ commit: shas.second, branch: 'main', tags: [] })
  })

  it('follows a .git file (worktrees, submodules) and a commondir', () => {
    const linked = join(dir, 'linked')
    const gitdir = join(dir, 'linked-gitdir')
    mkdirSync(linked)
    mkdirSync(gitdir)
    writeFileSync(join(linked, '.git'), `gitdir: ${gitdir}\n`)
    writeFileSync(join(gitdir, 'HEAD'), `${shas.first}\n`)
    writeFileSync(join(gitdir, 'commondir'), join(repo, '.git'))
    expect(readCheckout(linked)).toEqual({ commit: shas.first, branch: undefined, tags: ['v1', 'v1.0.0'] })
  })

  it('knows nothing outside a git checkout (the runner downloads actions without .git)', () => {
    expect(readCheckout(join(dir, 'nowhere'))).toEqual({ tags: [] })
  })

  it('takes the action from the bundle path and the checkout from two folders up; the runner’s ref wins', () => {
    const bundle = pathToFileURL(join(repo, 'dist', 'check-url', 'index.js')).href
    expect(bundleVersionLine(bundle, {})).toBe(`imbit/actions check-url commit ${shas.second}, branch main`)
    expect(
      bundleVersionLine(bundle, { GITHUB_ACTION_REPOSITORY: 'imbit/actions', GITHUB_ACTION_REF: 'v1.4.2' })
    ).toBe(`imbit/actions check-url v1.4.2, commit ${shas.second}`)
    // A local action (uses: ./…): the runner sets the variables empty.
    expect(bundleVersionLine(bundle, { GITHUB_ACTION_REPOSITORY: '', GITHUB_ACTION_REF: '' })).toBe(
      `imbit/actions check-url commit ${shas.second}, branch main`
    )
    expect(bundleVersionLine('not a file url', {})).toBe(
      'imbit/actions action version unknown (no release tag or git commit found)'
    )
  })
})
