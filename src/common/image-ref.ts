/**
 * Container image references: the one parser of their grammar (as in distribution's reference package),
 * shared by the actions that read them: deploy-beanstalk (compose images, `image`) and verify-package-public
 * (`image`). An action adds only its own rules and words its own messages from `ImageRefError.problem`. Pure.
 */

/** One repository path component. */
export const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
/** A registry host: a DNS name or a bracketed IPv6 address, with an optional port (any case). */
export const HOST =
  /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?$/i
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/

export const DOCKER_HUB = 'docker.io'
/** Docker Hub's names as people write them. */
export const DOCKER_HUB_NAMES: ReadonlySet<string> = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io'
])

/** A parsed reference: registry and repository normalised (`nginx` is `docker.io/library/nginx`). */
export interface ImageRef {
  /** Registry host (with port), lower case; `docker.io` for Docker Hub and when none is written. */
  registry: string
  /** Repository path: `imbit/brilliancrm`; Docker Hub single names get `library/`. */
  repository: string
  tag?: string
  /** `sha256:<hex>` */
  digest?: string
}

/** The parts of a reference as written, before any check. */
export interface ImageRefParts {
  /** The first of two or more components when it names a registry host (a dot, a port, localhost), as written. */
  host?: string
  /** The repository path as written (everything between the host and the tag). */
  path: string
  tag?: string
  digest?: string
}

export type ImageRefProblem =
  | 'empty'
  | 'spaces'
  | 'scheme'
  | 'digest'
  | 'tag'
  | 'host'
  | 'empty-component'
  | 'upper-case'
  | 'component'
  | 'too-long'

/** What is wrong with a reference: `problem` for the action's own wording, `message` a plain default. */
export class ImageRefError extends Error {
  override readonly name = 'ImageRefError'
  constructor(
    readonly problem: ImageRefProblem,
    message: string,
    /** The part at fault (the tag, the host, the component…), when there is one. */
    readonly part?: string
  ) {
    super(message)
  }
}

/** True when a reference's first component names a registry host (a dot or a port, or localhost). */
export function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component.toLowerCase() === 'localhost'
}

/** Splits `NAME[:TAG][@DIGEST]`: the tag is after a colon that follows the last slash (not a port). */
export function splitTagAndDigest(value: string): { name: string; tag?: string; digest?: string } {
  let name = value
  let digest: string | undefined
  const at = name.indexOf('@')
  if (at >= 0) {
    digest = name.slice(at + 1)
    name = name.slice(0, at)
  }
  let tag: string | undefined
  const colon = name.lastIndexOf(':')
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1)
    name = name.slice(0, colon)
  }
  return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) }
}

/** `[HOST[:PORT]/]PATH[:TAG][@DIGEST]` into its parts, unchecked. */
export function splitImageRef(value: string): ImageRefParts {
  const { name, tag, digest } = splitTagAndDigest(value)
  const slash = name.indexOf('/')
  const first = slash < 0 ? name : name.slice(0, slash)
  const host = slash >= 0 && looksLikeHost(first) ? first : undefined
  const path = host === undefined ? name : name.slice(slash + 1)
  return {
    ...(host === undefined ? {} : { host }),
    path,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest })
  }
}

/** Parses `[HOST[:PORT]/]PATH[:TAG][@DIGEST]`; throws an ImageRefError saying what is wrong. */
export function parseImageRef(ref: string): ImageRef {
  const value = ref.trim()
  if (value === '') throw new ImageRefError('empty', 'the image reference is empty')
  if (/\s/.test(value)) throw new ImageRefError('spaces', `"${value}" contains spaces`)
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)
  if (scheme) {
    throw new ImageRefError(
      'scheme',
      `"${value}" has a scheme (drop "${scheme[0]}")`,
      value.slice(scheme[0].length)
    )
  }
  const { host, path, tag, digest } = splitImageRef(value)
  if (digest !== undefined && !DIGEST.test(digest))
    throw new ImageRefError(
      'digest',
      `"${value}" has an invalid digest "${digest}" (expected sha256:<hex>)`,
      digest
    )
  if (tag !== undefined && !TAG.test(tag))
    throw new ImageRefError('tag', `"${value}" has an invalid tag "${tag}"`, tag)
  let registry = DOCKER_HUB
  if (host !== undefined) {
    if (!HOST.test(host))
      throw new ImageRefError('host', `"${value}" has an invalid registry host "${host}"`, host)
    registry = host.toLowerCase()
  }
  const parts = path.split('/')
  if (parts.some(p => p === ''))
    throw new ImageRefError('empty-component', `"${value}" has an empty path component`)
  for (const part of parts) {
    if (part !== part.toLowerCase()) {
      throw new ImageRefError(
        'upper-case',
        `"${value}" has upper-case letters in "${part}": repository names must be lower case`,
        part
      )
    }
    if (!COMPONENT.test(part))
      throw new ImageRefError('component', `"${value}" has an invalid repository component "${part}"`, part)
  }
  if (DOCKER_HUB_NAMES.has(registry)) {
    registry = DOCKER_HUB
    if (parts.length === 1) parts.unshift('library')
  }
  const repository = parts.join('/')
  if (repository.length > 255)
    throw new ImageRefError('too-long', `"${value}" has a repository name over 255 characters`)
  return {
    registry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest })
  }
}

/** Same registry and repository, ignoring tag and digest (`nginx` ≡ `docker.io/library/nginx`). */
export function sameRepository(a: ImageRef, b: ImageRef): boolean {
  const norm = (r: string): string => (DOCKER_HUB_NAMES.has(r) ? DOCKER_HUB : r)
  return norm(a.registry) === norm(b.registry) && a.repository === b.repository
}

/** `registry/repository` for messages. */
export function repositoryName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`
}
