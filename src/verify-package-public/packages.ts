import * as core from '@actions/core'
import { networkReason, type Fetch } from './registry.js'

export type Visibility = 'public' | 'private' | 'internal'
export type OwnerType = 'orgs' | 'users'

/** What the GitHub packages API says about a container package. */
export type ApiResult =
  | { kind: 'found'; visibility: Visibility; ownerType: OwnerType; htmlUrl?: string }
  /** Neither the organisation nor the user endpoint knows the package (or the token cannot see it). */
  | { kind: 'missing' }
  /** The API refused the token (401/403): e.g. GITHUB_TOKEN without `packages: read`. */
  | { kind: 'refused'; status: number; message: string }
  /** Not asked, or no usable answer: the pull check alone decides. */
  | { kind: 'unavailable'; reason: string }

export interface PackagesApiOptions {
  apiUrl: string
  token: string
  requestTimeoutMs: number
  fetch?: Fetch
}

/**
 * GET /orgs/{owner}/packages/container/{name}, then /users/{owner}/… when the organisation endpoint answers
 * 404 (the owner is a user). Names with `/` are encoded. Read-only; the token goes only to this API.
 */
export async function lookUpPackage(
  owner: string,
  name: string,
  options: PackagesApiOptions
): Promise<ApiResult> {
  const base = options.apiUrl.replace(/\/+$/, '')
  for (const ownerType of ['orgs', 'users'] as const) {
    const url = `${base}/${ownerType}/${encodeURIComponent(owner)}/packages/container/${encodeURIComponent(name)}`
    core.debug(`GET ${url}`)
    let response: Response
    try {
      response = await (options.fetch ?? fetch)(url, {
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${options.token}`,
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'imbit-actions/verify-package-public'
        },
        signal: AbortSignal.timeout(options.requestTimeoutMs)
      })
    } catch (error) {
      return { kind: 'unavailable', reason: `the GitHub API did not answer: ${networkReason(error)}` }
    }
    core.debug(`→ ${response.status} ${response.statusText}`)
    if (response.status === 404) continue
    const body = (await response.json().catch(() => undefined)) as
      { visibility?: unknown; html_url?: unknown; message?: unknown } | undefined
    if (response.status === 401 || response.status === 403) {
      const message = typeof body?.message === 'string' ? body.message : response.statusText
      return { kind: 'refused', status: response.status, message }
    }
    if (response.status !== 200) {
      return {
        kind: 'unavailable',
        reason: `the GitHub API answered ${response.status} ${response.statusText}`
      }
    }
    const visibility = body?.visibility
    if (visibility !== 'public' && visibility !== 'private' && visibility !== 'internal') {
      return {
        kind: 'unavailable',
        reason: `the GitHub API gave no known visibility (${String(visibility)})`
      }
    }
    return {
      kind: 'found',
      visibility,
      ownerType,
      htmlUrl: typeof body?.html_url === 'string' ? body.html_url : undefined
    }
  }
  return { kind: 'missing' }
}

/** Where a package's visibility is changed (there is no API for it): the package settings page. */
export function settingsUrl(serverUrl: string, ownerType: OwnerType, owner: string, name: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/${ownerType}/${owner}/packages/container/${encodeURIComponent(name)}/settings`
}
