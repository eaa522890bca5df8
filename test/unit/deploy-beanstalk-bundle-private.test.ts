/**
 * The bundle ships nothing private (issue 9, point 6): VCS folders and .env files inside included folders are
 * left out and listed; a service pinned to `image` loses its `build:` (the bundle has no build context).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { collectEntries, isPrivatePath } from '../../src/deploy-beanstalk/bundle/contents.js'
import { pinComposeImage } from '../../src/deploy-beanstalk/bundle/compose.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-private-'))
  dirs.push(dir)
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  return dir
}

describe('private paths inside included folders', () => {
  it('isPrivatePath: .git, .hg, .svn and .env* only', () => {
    expect(['.git', '.hg', '.svn', '.env', '.env.local', '.env.production'].map(isPrivatePath)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true
    ])
    expect(
      ['git', '.gitignore', '.github', 'env', '.envrc-not', 'app.env', '.environment'].map(isPrivatePath)
    ).toEqual([false, false, false, false, false, false, false])
  })

  it('a .git folder and .env files at any depth are left out and listed as skipped', async () => {
    const ws = workspace({
      '.platform/nginx/conf.d/app.conf': 'server {}',
      '.platform/nginx/.git/config': '[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0',
      '.platform/nginx/.git/HEAD': 'ref: refs/heads/main',
      '.platform/hooks/prebuild/.env.local': 'DB_PASSWORD=hunter2',
      '.ebextensions/.svn/entries': '12',
      '.ebextensions/01.config': 'option_settings: []',
      '.ebextensions/.gitignore': '*.log'
    })
    const skipped: string[] = []
    const entries = await collectEntries({
      workspace: ws,
      composeFile: 'docker-compose.yml',
      composeContent: Buffer.from('services: {}'),
      include: ['.ebextensions', '.platform'],
      includeExplicit: true,
      skipped
    })
    expect(entries.map(e => e.name)).toEqual([
      '.ebextensions/.gitignore',
      '.ebextensions/01.config',
      '.platform/nginx/conf.d/app.conf',
      'docker-compose.yml'
    ])
    expect(skipped.sort()).toEqual([
      '.ebextensions/.svn',
      '.platform/hooks/prebuild/.env.local',
      '.platform/nginx/.git'
    ])
  })

  it('an include that names a .env file itself is skipped too', async () => {
    const ws = workspace({ '.env': 'TOKEN=x', 'conf/app.conf': 'x' })
    const skipped: string[] = []
    const entries = await collectEntries({
      workspace: ws,
      composeFile: 'docker-compose.yml',
      composeContent: Buffer.from('services: {}'),
      include: ['.env', 'conf'],
      includeExplicit: true,
      skipped
    })
    expect(entries.map(e => e.name)).toEqual(['conf/app.conf', 'docker-compose.yml'])
    expect(skipped).toEqual(['.env'])
  })
})

describe('build: removed from pinned services', () => {
  it('a service with build: and image: keeps its image (pinned) and loses build:, logged by service', () => {
    const compose = [
      'services:',
      '  web:',
      '    build:',
      '      context: .',
      '      dockerfile: Dockerfile',
      '    image: ghcr.io/imbit/demo-app:latest # pinned by CI',
      '    ports: ["80:3000"]',
      '  worker:',
      '    build: ./worker',
      '',
      '  redis:',
      '    image: redis:7',
      ''
    ].join('\n')
    const result = pinComposeImage(compose, 'ghcr.io/imbit/demo-app:abc123')
    expect(result.buildRemoved).toEqual(['web'])
    expect(result.yaml).not.toMatch(/^ {4}build:\n {6}context/m)
    expect(result.yaml).toContain('image: ghcr.io/imbit/demo-app:abc123 # pinned by CI')
    // a build-only service is not ours to change
    expect(result.yaml).toContain('    build: ./worker')
  })
})
