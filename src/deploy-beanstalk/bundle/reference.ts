import {
  COMPONENT,
  DOCKER_HUB_NAMES,
  HOST,
  TAG,
  looksLikeHost,
  splitTagAndDigest
} from '../../common/image-ref.js'

/** Docker image references as Compose writes them. Pure: no I/O. */
export interface ImageRef {
  /** Registry host (with port), lower case; `docker.io` when none is written. */
  registry: string
  /** Repository path: `imbit/brilliancrm`; Docker Hub single names get `library/`. */
  repository: string
  tag?: string
  /** `sha256:<hex>` */
  digest?: string
}

export const DOCKER_HUB = 'docker.io'
const HUB_ALIASES = DOCKER_HUB_NAMES
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/

/** Parses `[HOST[:PORT]/]PATH[:TAG][@DIGEST]`; throws an Error saying what is wrong. */
export function parseImageRef(ref: string): ImageRef {
  const value = ref.trim()
  if (value === '') throw new Error('the image reference is empty')
  if (/\s/.test(value)) throw new Error(`"${value}" contains spaces`)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new Error(`"${value}" has a scheme (drop "https://")`)
  const { name: rest, tag, digest } = splitTagAndDigest(value)
  if (digest !== undefined && !DIGEST.test(digest))
    throw new Error(`"${value}" has an invalid digest "${digest}" (expected sha256:<hex>)`)
  if (tag !== undefined && !TAG.test(tag)) throw new Error(`"${value}" has an invalid tag "${tag}"`)
  const parts = rest.split('/')
  let registry = DOCKER_HUB
  if (parts.length > 1 && looksLikeHost(parts[0] ?? '')) {
    const host = parts.shift() ?? ''
    if (!HOST.test(host)) throw new Error(`"${value}" has an invalid registry host "${host}"`)
    registry = host.toLowerCase()
  }
  if (parts.length === 0 || parts.some(p => p === ''))
    throw new Error(`"${value}" has an empty path component`)
  for (const part of parts) {
    if (part !== part.toLowerCase()) {
      throw new Error(`"${value}" has upper-case letters in "${part}": repository names must be lower case`)
    }
    if (!COMPONENT.test(part)) throw new Error(`"${value}" has an invalid repository component "${part}"`)
  }
  if (HUB_ALIASES.has(registry)) {
    registry = DOCKER_HUB
    if (parts.length === 1) parts.unshift('library')
  }
  const repository = parts.join('/')
  if (repository.length > 255) throw new Error(`"${value}" has a repository name over 255 characters`)
  return {
    registry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest })
  }
}

/** Same registry and repository, ignoring tag and digest (`nginx` ≡ `docker.io/library/nginx`). */
export function sameRepository(a: ImageRef, b: ImageRef): boolean {
  const norm = (r: string): string => (HUB_ALIASES.has(r) ? DOCKER_HUB : r)
  return norm(a.registry) === norm(b.registry) && a.repository === b.repository
}

/** `registry/repository` for messages. */
export function repositoryName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`
}
