/**
 * verify-package-public end to end: the real bundle (dist/verify-package-public/index.js), run as the runner
 * runs it, against a GHCR stand-in on 127.0.0.1 (token flow + packages API). This layer proves the wiring:
 * inputs, outputs, summary, annotations, masking, exit codes. Every other case (retries while a push
 * settles, backoff, timeouts, a real docker-registry) runs in process: test/scenarios/verify-package-public.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  type BundleRun,
  errors,
  type GhcrStub,
  type GhcrStubOptions,
  runBundle,
  startGhcrStub
} from '../../sandbox/index.js'

const TOKEN = 'ghs_testtoken0123456789abcdef'

let stub: GhcrStub | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

async function ghcr(options?: GhcrStubOptions): Promise<GhcrStub> {
  stub = await startGhcrStub(options)
  return stub
}

function verify(
  s: GhcrStub,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): Promise<BundleRun> {
  return runBundle('verify-package-public', {
    inputs: { token: TOKEN, timeout: '2s', ...inputs },
    env: { GITHUB_API_URL: s.apiUrl, ...env }
  })
}

const manifestRequests = (s: GhcrStub) => s.requests.filter(r => r.path.includes('/manifests/'))
const tokenRequests = (s: GhcrStub) => s.requests.filter(r => r.path.startsWith('/token'))
const apiRequests = (s: GhcrStub) => s.requests.filter(r => r.path.startsWith('/api/'))

describe('verify-package-public e2e (the real bundle, GHCR stand-in)', () => {
  it('a multi-arch image without a wanted platform: Platform missing, outputs and summary still set', async () => {
    const s = await ghcr({
      packages: [
        { owner: 'imbit', name: 'multi', visibility: 'public', multiArch: true, architectures: ['amd64'] }
      ]
    })
    const run = await verify(s, {
      image: `${s.registry}/imbit/multi:latest`,
      platforms: 'linux/amd64\nlinux/arm64'
    })
    expect(run.code).toBe(1)
    const [error] = errors(run)
    expect(error.title).toBe('Platform missing')
    expect(error.message).toContain('has no linux/arm64 image: its manifest list holds linux/amd64.')
    expect(error.message).toContain("the reusable workflow's `platforms` build input")
    expect(run.outputs).toEqual({
      visibility: 'public',
      pullable: 'true',
      digest: s.digestOf('imbit/multi', 'latest')
    })
    expect(run.summary).toContain('| Platforms | linux/amd64 (manifest list) |')
    expect(run.summary).toContain('not for every wanted platform')
  })

  it('public package: exit 0, pullable, the digest the registry serves, visibility from the API', async () => {
    const s = await ghcr()
    const run = await verify(s, { image: `${s.registry}/imbit/demo-app:latest` })
    expect(errors(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({
      visibility: 'public',
      pullable: 'true',
      digest: s.digestOf('imbit/demo-app', 'latest')
    })
    expect(run.summary).toContain(`\`${s.registry}/imbit/demo-app:latest\` is public`)
    expect(run.summary).toContain(s.digestOf('imbit/demo-app', 'latest'))
    // The token flow: the realm the challenge named, with its service and scope, anonymously.
    const [token] = tokenRequests(s)
    expect(token.path).toBe('/token?service=ghcr-stub&scope=repository%3Aimbit%2Fdemo-app%3Apull')
    expect(token.headers.authorization).toBeUndefined()
    // HEAD (anonymous, then with the token), then a GET with the token for the platform; every manifest
    // request accepts the index, the list and both manifest types.
    expect(manifestRequests(s).map(r => r.method)).toEqual(['HEAD', 'HEAD', 'GET'])
    for (const r of manifestRequests(s)) {
      expect(String(r.headers.accept).split(', ').sort()).toEqual([
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.oci.image.manifest.v1+json'
      ])
    }
    // The GitHub token goes to the packages API only, and is masked.
    expect(apiRequests(s).map(r => r.path)).toEqual(['/api/orgs/imbit/packages/container/demo-app'])
    // @actions/github's Octokit sends the token in the `token` scheme (the API takes it and `Bearer` alike)
    expect(apiRequests(s)[0].headers.authorization).toBe(`token ${TOKEN}`)
    for (const r of [...manifestRequests(s), ...tokenRequests(s)]) {
      expect(JSON.stringify(r.headers)).not.toContain(TOKEN)
    }
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`)
    expect(run.stdout.split(`::add-mask::${TOKEN}`).join('')).not.toContain(TOKEN)
  })

  it('private organisation package: exit 1 at once, the settings link in the ::error line', async () => {
    const s = await ghcr({ packages: [{ owner: 'imbit', name: 'brilliancrm', visibility: 'private' }] })
    const run = await verify(s, { image: `${s.registry}/imbit/brilliancrm:v1`, timeout: '30s' })
    expect(run.code).toBe(1)
    expect(errors(run)).toHaveLength(1)
    const [error] = errors(run)
    expect(error.title).toBe('Package is not public')
    expect(error.message).toContain(`${s.registry}/imbit/brilliancrm:v1 is private`)
    expect(error.message).toContain('Elastic Beanstalk pulls images without credentials')
    expect(error.message).toContain('https://github.com/orgs/imbit/packages/container/brilliancrm/settings')
    expect(error.message).toContain('cannot be changed through the API')
    expect(run.outputs).toEqual({ visibility: 'private', pullable: 'false', digest: '' })
    // Final at once: one token request, no retries.
    expect(tokenRequests(s)).toHaveLength(1)
    expect(run.summary).toContain('cannot be pulled without credentials (visibility: private)')
    expect(run.summary).toContain(
      'Make it public at https://github.com/orgs/imbit/packages/container/brilliancrm/settings'
    )
  })

  it('without GITHUB_STEP_SUMMARY (older act) the summary goes to the log', async () => {
    const s = await ghcr()
    const run = await runBundle('verify-package-public', {
      inputs: { image: `${s.registry}/imbit/demo-app`, token: TOKEN },
      env: { GITHUB_API_URL: s.apiUrl },
      noSummaryFile: true
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('GITHUB_STEP_SUMMARY is not set; the job summary follows:')
    expect(run.stdout).toContain('is public: an anonymous pull works')
  })

  it('bad input: one clear error, no request at all, no outputs', async () => {
    const s = await ghcr()
    const run = await verify(s, { image: `${s.registry}/IMBIT/BrillianCRM:V1` })
    expect(run.code).toBe(1)
    expect(errors(run)).toHaveLength(1)
    expect(errors(run)[0].message).toContain(`must be lower case: use "${s.registry}/imbit/brilliancrm:V1"`)
    expect(s.requests).toEqual([])
    expect(run.outputs).toEqual({})
  })
})
