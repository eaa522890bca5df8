/**
 * verify-package-public in process: run() with the real fetch, on a fake clock, against (a) a GHCR stand-in
 * on 127.0.0.1 (token flow + packages API) sharing that clock and (b) a real registry, Debian's
 * docker-registry, started by the test with an image pushed to it over HTTP. Retries while a push settles,
 * backoff and the timeout run in milliseconds. The real bundle's wiring is tested in
 * test/e2e/verify-package-public.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type AddressInfo } from 'node:net'
import { fakeClock } from '../helpers/fakes.js'
import {
  type BundleRun,
  errors,
  type GhcrStub,
  type GhcrStubOptions,
  loadAction,
  type LocalRegistry,
  pushImage,
  runInProcess,
  startGhcrStub,
  startRegistry
} from '../../sandbox/index.js'

const TOKEN = 'ghs_testtoken0123456789abcdef'

beforeAll(() => loadAction('verify-package-public'), 60_000)

let stub: GhcrStub | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

/** The clock of the current test: the action's, and the stand-in's (for tags that appear later). */
let clock = fakeClock()

async function ghcr(options?: GhcrStubOptions): Promise<GhcrStub> {
  clock = fakeClock()
  stub = await startGhcrStub({ ...options, now: clock.now })
  return stub
}

function verify(
  s: GhcrStub,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): Promise<BundleRun> {
  return runInProcess('verify-package-public', {
    clock,
    inputs: { token: TOKEN, timeout: '2s', ...inputs },
    env: { GITHUB_API_URL: s.apiUrl, ...env }
  })
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}

const warnings = (run: BundleRun) => run.annotations.filter(a => a.level === 'warning')
const manifestRequests = (s: GhcrStub) => s.requests.filter(r => r.path.includes('/manifests/'))
const apiRequests = (s: GhcrStub) => s.requests.filter(r => r.path.startsWith('/api/'))

describe('against the GHCR stand-in', () => {
  it('private user-owned package: the /users/ settings link, on the GitHub host of GITHUB_SERVER_URL', async () => {
    const s = await ghcr({
      packages: [{ owner: 'jdoe', name: 'quiz', visibility: 'private', ownerType: 'users' }]
    })
    const run = await verify(
      s,
      { image: `${s.registry}/jdoe/quiz` },
      { GITHUB_SERVER_URL: 'https://github.example.com' }
    )
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toContain(
      'https://github.example.com/users/jdoe/packages/container/quiz/settings'
    )
    expect(apiRequests(s).map(r => r.path)).toEqual([
      '/api/orgs/jdoe/packages/container/quiz',
      '/api/users/jdoe/packages/container/quiz'
    ])
  })

  it('internal package: the registry refuses the manifest; exit 1, visibility internal', async () => {
    const s = await ghcr({ packages: [{ owner: 'imbit', name: 'internal-app', visibility: 'internal' }] })
    const run = await verify(s, { image: `${s.registry}/imbit/internal-app:latest` })
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toContain('is internal: only members of the enterprise can pull it')
    expect(errors(run)[0].message).toContain(
      'https://github.com/orgs/imbit/packages/container/internal-app/settings'
    )
    expect(run.outputs.visibility).toBe('internal')
    expect(run.outputs.pullable).toBe('false')
  })

  it('fail-on-private: false turns a private package into a warning, exit 0', async () => {
    const s = await ghcr({ packages: [{ owner: 'imbit', name: 'brilliancrm', visibility: 'private' }] })
    const run = await verify(s, { image: `${s.registry}/imbit/brilliancrm:v1`, 'fail-on-private': 'false' })
    expect(run.code).toBe(0)
    expect(errors(run)).toEqual([])
    expect(
      warnings(run)
        .map(w => w.message)
        .join('\n')
    ).toContain('https://github.com/orgs/imbit/packages/container/brilliancrm/settings')
    expect(run.outputs).toEqual({ visibility: 'private', pullable: 'false', digest: '' })
  })

  it('missing tag: retried until the timeout, then a not-found naming the reference tried', async () => {
    const s = await ghcr()
    const run = await verify(s, { image: `${s.registry}/imbit/demo-app:v9`, timeout: '3s' })
    expect(run.code).toBe(1)
    const [error] = errors(run)
    expect(error.title).toBe('Image not found')
    expect(error.message).toContain(`${s.registry}/imbit/demo-app:v9 was not found`)
    expect(error.message).toContain('no tag "v9"')
    expect(manifestRequests(s).length).toBeGreaterThan(2)
    expect(run.stdout).toContain('not found yet; trying again in')
    expect(run.outputs).toEqual({ visibility: 'public', pullable: 'false', digest: '' })
  })

  it('a tag that appears while the push settles is found on a later try', async () => {
    const s = await ghcr({
      packages: [{ owner: 'imbit', name: 'demo-app', visibility: 'public', appearsAfterMs: 1500 }]
    })
    const run = await verify(s, { image: `${s.registry}/imbit/demo-app`, timeout: '20s' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('not found yet; trying again in')
    expect(run.outputs.digest).toBe(s.digestOf('imbit/demo-app', 'latest'))
  })

  it('a registry answering 503 for a moment: retried with backoff, then pullable', async () => {
    const s = await ghcr({ failFirst: 2 })
    const run = await verify(s, { image: `${s.registry}/imbit/demo-app`, timeout: '20s' })
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('answered 503 Service Unavailable; trying again in')
    expect(manifestRequests(s).filter(r => !r.headers.authorization)).toHaveLength(3)
    expect(run.outputs.digest).toBe(s.digestOf('imbit/demo-app', 'latest'))
  })

  it('a registry that does not answer: retried until the timeout, then a clear error naming the fault', async () => {
    const s = await ghcr()
    // A loopback port that was free a moment ago and is closed now: connection refused.
    const port = await closedPort()
    const run = await verify(s, { image: `127.0.0.1:${port}/imbit/demo-app`, timeout: '2s' })
    expect(run.code).toBe(1)
    const [error] = errors(run)
    expect(error.title).toBe('Registry unreachable')
    expect(error.message).toContain(`Could not check 127.0.0.1:${port}/imbit/demo-app:latest`)
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).toContain('raise `timeout`')
    expect(run.stdout).toMatch(/Try 2: .*ECONNREFUSED/)
    expect(apiRequests(s)).toEqual([])
    // one report on every exit (issue 9): outputs and the summary with the reason
    expect(run.outputs).toEqual({ visibility: 'unknown', pullable: 'false', digest: '' })
    expect(run.summary).toContain('could not be checked')
    expect(run.summary).toContain('**Why**\n\nRegistry unreachable: ')
  })

  it('multi-arch image: the OCI index, served only when the index type is accepted, is found', async () => {
    const s = await ghcr({
      packages: [{ owner: 'imbit', name: 'multi', visibility: 'public', multiArch: true }]
    })
    // The stand-in really does hide the index from a client that only accepts single manifests.
    const token = (await (
      await fetch(`http://${s.registry}/token?service=ghcr-stub&scope=repository:imbit/multi:pull`)
    ).json()) as { token: string }
    const narrow = await fetch(`http://${s.registry}/v2/imbit/multi/manifests/latest`, {
      method: 'HEAD',
      headers: {
        Authorization: `Bearer ${token.token}`,
        Accept: 'application/vnd.docker.distribution.manifest.v2+json'
      }
    })
    expect(narrow.status).toBe(404)
    const run = await verify(s, { image: `${s.registry}/imbit/multi:latest` })
    expect(run.code).toBe(0)
    expect(run.outputs.digest).toBe(s.digestOf('imbit/multi', 'latest'))
    expect(run.stdout).toContain('application/vnd.oci.image.index.v1+json')
  })

  describe('the platform (issue 9, point 7)', () => {
    const multi = (architectures?: string[]) =>
      ghcr({
        packages: [{ owner: 'imbit', name: 'multi', visibility: 'public', multiArch: true, architectures }]
      })

    it('an index holding the wanted platform: exit 0, the platforms found in the summary', async () => {
      const s = await multi()
      const run = await verify(s, { image: `${s.registry}/imbit/multi:latest`, platforms: 'linux/arm64' })
      expect(errors(run)).toEqual([])
      expect(run.code).toBe(0)
      expect(run.summary).toContain('linux/amd64, linux/arm64 (manifest list)')
      // the index is read with the anonymous token
      const gets = manifestRequests(s).filter(r => r.method === 'GET')
      expect(gets.length).toBeGreaterThan(0)
      for (const r of gets) expect(r.headers.authorization).toMatch(/^Bearer /)
    })

    it.each([
      ['amd64', 0, 'linux/amd64 (single-platform image)'],
      ['arm64', 1, 'linux/arm64 (single-platform image)']
    ])(
      'a single manifest for %s, linux/amd64 wanted (the default): its config blob decides',
      async (architecture, code, found) => {
        const s = await ghcr({
          packages: [{ owner: 'imbit', name: 'one', visibility: 'public', architectures: [architecture] }]
        })
        const run = await verify(s, { image: `${s.registry}/imbit/one:latest` })
        expect(run.code).toBe(code)
        expect(run.summary).toContain(found)
        const blobs = s.requests.filter(r => r.path.includes('/blobs/sha256:'))
        expect(blobs).toHaveLength(1)
        expect(blobs[0].headers.authorization).toMatch(/^Bearer /)
        if (code === 1) {
          const [error] = errors(run)
          expect(error.title).toBe('Platform missing')
          expect(error.message).toContain(
            'has no linux/amd64 image: it is a single-platform image for linux/arm64.'
          )
        } else {
          expect(errors(run)).toEqual([])
        }
      }
    )

    it('a malformed platforms input: an input error before any request', async () => {
      const s = await ghcr()
      const run = await verify(s, { image: `${s.registry}/imbit/demo-app`, platforms: 'amd64' })
      expect(run.code).toBe(1)
      const [error] = errors(run)
      expect(error.title).toBe("Input 'platforms'")
      expect(error.message).toContain('"amd64" is not os/arch[/variant]')
      expect(s.requests).toEqual([])
    })
  })

  it('pinned by digest: pulls that manifest', async () => {
    const s = await ghcr()
    const digest = s.digestOf('imbit/demo-app', 'latest')
    const run = await verify(s, { image: `${s.registry}/imbit/demo-app@${digest}` })
    expect(run.code).toBe(0)
    expect(run.outputs.digest).toBe(digest)
    expect(manifestRequests(s).every(r => r.path === `/v2/imbit/demo-app/manifests/${digest}`)).toBe(true)
  })

  it('a package name with "/" is encoded for the packages API', async () => {
    const s = await ghcr({ packages: [{ owner: 'imbit', name: 'tools/cli', visibility: 'private' }] })
    const run = await verify(s, { image: `${s.registry}/imbit/tools/cli:1.0` })
    expect(run.code).toBe(1)
    expect(apiRequests(s)[0].path).toBe('/api/orgs/imbit/packages/container/tools%2Fcli')
    expect(errors(run)[0].message).toContain(
      'https://github.com/orgs/imbit/packages/container/tools%2Fcli/settings'
    )
  })

  it('API refuses the token: a warning, and the pull verdict stands (public)', async () => {
    const s = await ghcr({ apiRefuses: true })
    const run = await verify(s, { image: `${s.registry}/imbit/demo-app:latest` })
    expect(run.code).toBe(0)
    const warning = warnings(run)
      .map(w => w.message)
      .join('\n')
    expect(warning).toContain('refused the token (403: Resource not accessible by integration)')
    expect(warning).toContain('packages: read')
    expect(run.outputs).toMatchObject({ pullable: 'true', visibility: 'public' })
  })

  it('API refuses the token, private package: fails on the pull verdict, with both settings link forms', async () => {
    const s = await ghcr({
      apiRefuses: true,
      packages: [{ owner: 'imbit', name: 'brilliancrm', visibility: 'private' }]
    })
    const run = await verify(s, { image: `${s.registry}/imbit/brilliancrm:latest` })
    expect(run.code).toBe(1)
    expect(
      warnings(run)
        .map(w => w.message)
        .join('\n')
    ).toContain('refused the token')
    const [error] = errors(run)
    expect(error.message).toContain('the package is private, or does not exist')
    expect(error.message).toContain('https://github.com/orgs/imbit/packages/container/brilliancrm/settings')
    expect(error.message).toContain('https://github.com/users/imbit/packages/container/brilliancrm/settings')
    expect(run.outputs).toEqual({ visibility: 'unknown', pullable: 'false', digest: '' })
  })

  it('no token: no API request; the pull decides', async () => {
    const s = await ghcr()
    const run = await verify(s, { image: `${s.registry}/imbit/demo-app`, token: '' })
    expect(run.code).toBe(0)
    expect(apiRequests(s)).toEqual([])
    expect(run.outputs).toMatchObject({ pullable: 'true', visibility: 'public' })
  })

  it.each([
    ['empty image', { image: '' }, "Input 'image' is empty: it is required"],
    ['no name', { image: 'ghcr.io/imbit' }, 'it has no package name'],
    [
      'uppercase',
      { image: 'ghcr.io/IMBIT/BrillianCRM:V1' },
      'must be lower case: use "ghcr.io/imbit/brilliancrm:V1"'
    ],
    ['bad tag characters', { image: 'ghcr.io/imbit/app:v1+build' }, 'the tag "v1+build" is not valid'],
    ['digest of the wrong length', { image: 'ghcr.io/imbit/app@sha256:abc123' }, 'has 6 hex digits'],
    ['no registry host', { image: 'imbit/app:v1' }, 'use "ghcr.io/imbit/app:v1"'],
    [
      'timeout not a duration',
      { image: 'ghcr.io/imbit/app', timeout: 'soon' },
      'Input \'timeout\' is "soon"'
    ],
    [
      'fail-on-private not a boolean',
      { image: 'ghcr.io/imbit/app', 'fail-on-private': 'yes' },
      'expected true or false'
    ]
  ])('bad input (%s): a clear error and no request at all', async (_case, inputs, expected) => {
    const s = await ghcr()
    const run = await verify(s, { ...inputs, image: inputs.image.replace('ghcr.io', s.registry) })
    expect(run.code).toBe(1)
    expect(errors(run)).toHaveLength(1)
    expect(errors(run)[0].message.replaceAll(s.registry, 'ghcr.io')).toContain(expected)
    expect(s.requests).toEqual([])
    expect(run.outputs).toEqual({})
  })
})

describe("against a real registry (Debian's docker-registry)", () => {
  let registry: LocalRegistry
  let digest: string
  beforeAll(async () => {
    registry = await startRegistry()
    digest = await pushImage(registry.url, 'imbit/pushed-app', 'v1')
  }, 30_000)
  afterAll(async () => {
    await registry?.close()
  })

  const check = (inputs: Record<string, string>) =>
    runInProcess('verify-package-public', {
      clock: fakeClock(),
      inputs: { token: '', timeout: '2s', ...inputs }
    })

  it('an image pushed over HTTP is pullable, with the digest the push reported', async () => {
    const run = await check({ image: `${registry.registry}/imbit/pushed-app:v1` })
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({ visibility: 'public', pullable: 'true', digest })
    expect(run.stdout).toContain('application/vnd.docker.distribution.manifest.v2+json')
  })

  it('pinned by that digest: pullable', async () => {
    const run = await check({ image: `${registry.registry}/imbit/pushed-app@${digest}` })
    expect(run.code).toBe(0)
    expect(run.outputs.digest).toBe(digest)
  })

  it('a tag that was never pushed: not found once the timeout is spent', async () => {
    const run = await check({ image: `${registry.registry}/imbit/pushed-app:v2` })
    expect(run.code).toBe(1)
    expect(errors(run)[0].message).toContain(`${registry.registry}/imbit/pushed-app:v2 was not found`)
    expect(run.outputs.pullable).toBe('false')
  })
})
