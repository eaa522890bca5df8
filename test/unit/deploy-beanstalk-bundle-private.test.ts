/**
 * The bundle ships nothing private (issue 9, point 6): VCS folders and .env files inside included folders are
 * left out and listed; a service pinned to `image` loses its `build:` (the bundle has no build context).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { collectEntries, isPrivatePath } from '../../src/deploy-beanstalk/bundle/contents.js'
import { pinComposeImage } from '../../src/deploy-beanstalk/bundle/compose.js'
import { parse } from 'yaml'

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

/** What an explicit `include` ships from `ws` (the entries' names) and what it skips (sorted). */
async function bundleOf(ws: string, include: string[]): Promise<{ names: string[]; skipped: string[] }> {
  const skipped: string[] = []
  const entries = await collectEntries({
    workspace: ws,
    composeFile: 'docker-compose.yml',
    composeContent: Buffer.from('services: {}'),
    include,
    includeExplicit: true,
    skipped
  })
  return { names: entries.map(e => e.name), skipped: skipped.sort() }
}

describe('private paths inside included folders', () => {
  it('isPrivatePath: .git, .hg, .svn and .env* only (any case)', () => {
    const private_ = [
      '.git',
      '.hg',
      '.svn',
      '.env',
      '.env.local',
      '.env.production',
      '.envrc',
      '.env-prod',
      '.env_local',
      '.GIT',
      '.Env'
    ]
    expect(private_.filter(name => !isPrivatePath(name))).toEqual([])
    const shipped = [
      'git',
      '.gitignore',
      '.gitkeep',
      '.github',
      '.svnignore',
      'env',
      'app.env',
      'my.env.conf',
      'environment'
    ]
    expect(shipped.filter(isPrivatePath)).toEqual([])
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
    expect(await bundleOf(ws, ['.ebextensions', '.platform'])).toEqual({
      names: [
        '.ebextensions/.gitignore',
        '.ebextensions/01.config',
        '.platform/nginx/conf.d/app.conf',
        'docker-compose.yml'
      ],
      skipped: ['.ebextensions/.svn', '.platform/hooks/prebuild/.env.local', '.platform/nginx/.git']
    })
  })

  it('an include that names a .env file itself is skipped too', async () => {
    const ws = workspace({ '.env': 'TOKEN=x', 'conf/app.conf': 'x' })
    expect(await bundleOf(ws, ['.env', 'conf'])).toEqual({
      names: ['conf/app.conf', 'docker-compose.yml'],
      skipped: ['.env']
    })
  })
})

describe('private files reached another way', () => {
  it('a symbolic link to a .env file or into .git is skipped, whatever its own name', async () => {
    // actions/checkout leaves the token in .git/config: a link to it must not ship it as ".platform/…/repo.conf"
    const ws = workspace({
      '.git/config': '[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0',
      '.env': 'DB_PASSWORD=hunter2',
      '.platform/nginx/conf.d/app.conf': 'server {}',
      'shared/proxy.conf': 'proxy_buffering off;'
    })
    symlinkSync('../../.git', join(ws, '.platform/nginx/repo'))
    symlinkSync('../../../.git/config', join(ws, '.platform/nginx/conf.d/repo.conf'))
    symlinkSync('../.env', join(ws, '.platform/app.properties'))
    symlinkSync('../../shared/proxy.conf', join(ws, '.platform/nginx/proxy.conf'))
    expect(await bundleOf(ws, ['.platform'])).toEqual({
      names: ['.platform/nginx/conf.d/app.conf', '.platform/nginx/proxy.conf', 'docker-compose.yml'],
      skipped: [
        '.platform/app.properties (a link to .env)',
        '.platform/nginx/conf.d/repo.conf (a link to .git/config)',
        '.platform/nginx/repo (a link to .git)'
      ]
    })
  })

  it('an include path through a VCS folder, or through a linked folder, is checked as a whole', async () => {
    const ws = workspace({ '.git/config': 'token', 'conf/app.conf': 'x', '.hg/hgrc': 'token' })
    symlinkSync('.hg', join(ws, 'settings'))
    expect(await bundleOf(ws, ['.git/config', 'settings/hgrc', 'conf/app.conf'])).toEqual({
      names: ['conf/app.conf', 'docker-compose.yml'],
      skipped: ['.git/config', 'settings/hgrc (a link to .hg/hgrc)']
    })
  })

  it('an include path through a linked folder outside the workspace is refused', async () => {
    const outside = workspace({ passwd: 'root:x:0:0' })
    const ws = workspace({ 'conf/app.conf': 'x' })
    symlinkSync(outside, join(ws, 'etc'))
    await expect(bundleOf(ws, ['etc/passwd'])).rejects.toThrow(
      /"etc\/passwd" is a symbolic link to .*, outside the workspace/
    )
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

  it('a build: merged in from an anchor (<<: *base) is removed too; the anchor and its other users keep it', () => {
    const compose = [
      'x-base: &base',
      '  build: .',
      '  restart: always',
      '  environment:',
      '    TZ: Europe/Berlin',
      'services:',
      '  web:',
      '    <<: *base',
      '    image: ghcr.io/imbit/demo-app:latest # pinned by CI',
      '    restart: unless-stopped',
      '  worker:',
      '    <<: *base',
      '    command: worker',
      ''
    ].join('\n')
    const result = pinComposeImage(compose, 'ghcr.io/imbit/demo-app:abc123')
    expect(result.buildRemoved).toEqual(['web'])
    const js = parse(result.yaml, { merge: true }) as {
      services: Record<string, Record<string, unknown>>
    }
    expect(js.services.web).toEqual({
      image: 'ghcr.io/imbit/demo-app:abc123',
      restart: 'unless-stopped',
      environment: { TZ: 'Europe/Berlin' }
    })
    expect(js.services.worker).toMatchObject({ build: '.', command: 'worker', restart: 'always' })
    expect(result.yaml).toContain('image: ghcr.io/imbit/demo-app:abc123 # pinned by CI')
  })

  it('own build: and a merged one: both gone (deleting the own one must not let the merged one through)', () => {
    const compose = [
      'x-base: &base',
      '  build: ./base',
      'services:',
      '  web:',
      '    <<: *base',
      '    build: ./web',
      '    image: ghcr.io/imbit/demo-app:latest',
      ''
    ].join('\n')
    const result = pinComposeImage(compose, 'ghcr.io/imbit/demo-app:abc123')
    expect(result.buildRemoved).toEqual(['web'])
    const js = parse(result.yaml, { merge: true }) as { services: Record<string, Record<string, unknown>> }
    expect(js.services.web).toEqual({ image: 'ghcr.io/imbit/demo-app:abc123' })
  })

  it('a service without build: is left alone and not reported', () => {
    const compose =
      'x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *base\n    image: ghcr.io/imbit/demo-app:latest\n'
    const result = pinComposeImage(compose, 'ghcr.io/imbit/demo-app:abc123')
    expect(result.buildRemoved).toEqual([])
    expect(result.yaml).toContain('<<: *base')
  })
})
