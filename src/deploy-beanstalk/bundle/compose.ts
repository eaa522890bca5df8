import { isAlias, isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml'
import { UserError } from '../../common/errors.js'
import { parseImageRef, repositoryName, sameRepository, type ImageRef } from '../../common/image-ref.js'

export interface PinResult {
  /** The compose file with the image pinned; comments and formatting kept. */
  yaml: string
  pinned: Array<{ service: string; from: string; to: string }>
  /** Every service and its image after pinning (undefined for `build:`-only services). */
  images: Array<{ service: string; image?: string }>
  /** Pinned services whose `build:` was removed: the bundle has no build context, the instance pulls. */
  buildRemoved: string[]
}

/** The service's effective image as Compose sees it (own key, alias, or merged from `<<`). */
function effectiveImages(doc: Document): Map<string, string | undefined> {
  const js: unknown = doc.toJS({ maxAliasCount: 1000 })
  const services = (js as { services?: unknown } | null)?.services
  const out = new Map<string, string | undefined>()
  if (services === null || typeof services !== 'object' || Array.isArray(services)) return out
  for (const [name, def] of Object.entries(services as Record<string, unknown>)) {
    const image = (def as { image?: unknown } | null)?.image
    out.set(
      name,
      typeof image === 'string' ? image : image === undefined || image === null ? undefined : String(image)
    )
  }
  return out
}

function tryParse(image: string | undefined): ImageRef | undefined {
  if (image === undefined) return undefined
  try {
    return parseImageRef(image)
  } catch {
    return undefined // e.g. ${REGISTRY}/app:${TAG}: not ours to pin
  }
}

/** ` (not a valid reference: …)` for images we cannot parse, so a typo or upper case is visible. */
function invalidNote(image: string): string {
  if (image.includes('${')) return ' (uses variables: not pinned)'
  try {
    parseImageRef(image)
    return ''
  } catch (error) {
    return ` (not a valid reference: ${(error as Error).message})`
  }
}

/**
 * Pins `image` on every service whose image has the same repository. Throws a UserError when the
 * YAML is invalid, has no `services`, or no service matches.
 */
export function pinComposeImage(
  composeYaml: string,
  image: string,
  fileLabel = 'docker-compose.yml'
): PinResult {
  let target: ImageRef
  try {
    target = parseImageRef(image)
  } catch (error) {
    throw new UserError(`Input 'image' is not a valid image reference: ${(error as Error).message}.`, {
      input: 'image'
    })
  }
  const doc = parseDocument(composeYaml, { merge: true, prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    const pos = first?.linePos?.[0]
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : ''
    throw new UserError(
      `${fileLabel} is not valid YAML${where}: ${first?.message.split('\n')[0] ?? 'parse error'}`,
      { input: 'compose-file' }
    )
  }
  const servicesNode = doc.get('services', true)
  if (!isMap(servicesNode) || servicesNode.items.length === 0) {
    throw new UserError(
      `${fileLabel} has no 'services' mapping: expected a Compose file with at least one service (services: web: image: …).`,
      { input: 'compose-file' }
    )
  }
  let before: Map<string, string | undefined>
  try {
    before = effectiveImages(doc)
  } catch (error) {
    // e.g. "Excessive alias count": a YAML alias bomb, or aliases nested too deep to expand safely
    throw new UserError(
      `${fileLabel} cannot be read safely: ${(error as Error).message.split('\n')[0]} (its YAML anchors and *aliases expand to too much). Write the services out without nested aliases.`,
      { input: 'compose-file', title: 'Unusable compose file', cause: error }
    )
  }
  const pinned: PinResult['pinned'] = []
  const aliased: Array<{ service: string; from: string }> = []
  for (const pair of servicesNode.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    const current = before.get(name)
    const ref = tryParse(current)
    if (current === undefined || ref === undefined || !sameRepository(ref, target)) continue
    if (isAlias(pair.value)) {
      aliased.push({ service: name, from: current }) // follows its anchor, checked below
      continue
    }
    if (!isMap(pair.value)) continue
    setImage(doc, pair.value, image)
    pinned.push({ service: name, from: current, to: image })
  }
  if (aliased.length > 0) {
    const now = effectiveImages(doc)
    for (const a of aliased) {
      if (now.get(a.service) !== image) {
        throw new UserError(
          `${fileLabel}: service '${a.service}' is an alias (*anchor) of a node that is not a pinned service; ` +
            `write the service out so its image can be pinned.`,
          { input: 'compose-file' }
        )
      }
      pinned.push({ service: a.service, from: a.from, to: image })
    }
    const order = [...before.keys()]
    pinned.sort((x, y) => order.indexOf(x.service) - order.indexOf(y.service))
  }
  if (pinned.length === 0) {
    const found = [...before.entries()].map(([s, i]) =>
      i === undefined ? `${s} (build only, no image)` : `${s}: ${i}${invalidNote(i)}`
    )
    throw new UserError(
      `No service in ${fileLabel} uses the repository of image '${image}' (${repositoryName(target)}). ` +
        `Services found: ${found.join('; ')}. The image must match one of them (same registry, owner and name; ` +
        `tag or digest may differ), or set 'image:' on the service that should run it.`,
      { input: 'image' }
    )
  }
  const buildRemoved: string[] = []
  for (const pair of servicesNode.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    if (!isMap(pair.value) || !pinned.some(p => p.service === name)) continue
    const own = pair.value.has('build')
    if (own) pair.value.delete('build')
    const effective = effectiveService(doc, name)
    const merged = effective?.build !== undefined && writeOutMerges(doc, pair.value, effective)
    if (own || merged) buildRemoved.push(name)
  }
  const yaml = doc.toString({ flowCollectionPadding: false, lineWidth: 0 })
  const after = effectiveImages(parseDocument(yaml, { merge: true }))
  for (const p of pinned) {
    if (after.get(p.service) !== image)
      throw new Error(`pinning ${p.service} in ${fileLabel} did not take effect`)
  }
  return {
    yaml,
    pinned,
    images: [...after.entries()].map(([service, img]) => ({ service, image: img })),
    buildRemoved
  }
}

/** The service as Compose reads it (merges applied). */
function effectiveService(doc: Document, name: string): Record<string, unknown> | undefined {
  const js: unknown = doc.toJS({ maxAliasCount: 1000 })
  const service = (js as { services?: Record<string, unknown> } | null)?.services?.[name]
  return service !== null && typeof service === 'object' ? (service as Record<string, unknown>) : undefined
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<')
}

/**
 * A `build:` merged in from `<<: *anchor`: the merge is written out in the service (the merged keys but `build`,
 * where the `<<` was), so the anchor, maybe shared with other services, stays as it is. False when no merge.
 */
function writeOutMerges(doc: Document, service: YAMLMap, effective: Record<string, unknown>): boolean {
  const at = service.items.findIndex(pair => isMergeKey(pair.key))
  if (at < 0) return false
  const own = new Set(
    service.items
      .filter(pair => !isMergeKey(pair.key))
      .map(pair => String(isScalar(pair.key) ? pair.key.value : pair.key))
  )
  const merged = Object.entries(effective)
    .filter(([key]) => key !== 'build' && !own.has(key))
    .map(([key, value]) => doc.createPair(key, value))
  const kept = service.items.filter(pair => !isMergeKey(pair.key))
  kept.splice(at, 0, ...merged)
  service.items = kept
  return true
}

/** Sets the service's own `image`, keeping comments; an anchored scalar is changed in place (its aliases follow). */
function setImage(doc: Document, service: YAMLMap, image: string): void {
  const node = service.get('image', true)
  if (isScalar(node)) {
    node.value = image
    return
  }
  // absent (merged from `<<`) or an alias: an own key overrides it without touching the anchor
  service.set('image', doc.createNode(image))
}

/**
 * The services whose image the compose file does not pin itself, with why: no image (built on the instance),
 * variables, `latest` or no tag. Pinned: a digest, or a tag other than `latest`. Unreadable YAML or no services:
 * every service unpinned is not decidable, so one entry saying so (the bundle step reports the YAML itself).
 */
export function unpinnedServices(composeYaml: string): Array<{ service: string; why: string }> {
  const doc = parseDocument(composeYaml, { merge: true, uniqueKeys: true })
  if (doc.errors.length > 0) return [{ service: '(compose file)', why: 'not valid YAML' }]
  let images: Map<string, string | undefined>
  try {
    images = effectiveImages(doc)
  } catch {
    return [{ service: '(compose file)', why: 'its aliases cannot be expanded safely' }]
  }
  if (images.size === 0) return [{ service: '(compose file)', why: 'no services' }]
  const out: Array<{ service: string; why: string }> = []
  for (const [service, image] of images) {
    if (image === undefined) {
      out.push({ service, why: 'no image (built on the instance)' })
      continue
    }
    const ref = tryParse(image)
    if (ref === undefined) out.push({ service, why: `${image}${invalidNote(image)}` })
    else if (ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest'))
      out.push({ service, why: `${image} (${ref.tag === undefined ? 'no tag: latest' : 'latest'})` })
  }
  return out
}
