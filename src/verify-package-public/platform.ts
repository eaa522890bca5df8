import { inputError } from '../common/errors.js'
import { parseList } from '../common/inputs.js'

/** An image platform, as in an OCI index entry or an image config: `linux/arm64`, `linux/arm/v7`. */
export interface Platform {
  os: string
  architecture: string
  variant?: string
}

/** What the image offers: the entries of a manifest list / index, or the one platform of a single manifest. */
export type ImagePlatforms =
  | { kind: 'index'; platforms: Platform[] }
  | { kind: 'manifest'; platforms: Platform[] }
  /** The platform could not be read (a config blob the registry would not serve, say). */
  | { kind: 'unknown'; reason: string }

export const DEFAULT_PLATFORMS = 'linux/amd64'

const PART = /^[a-z0-9][a-z0-9._-]*$/

/** `os/arch[/variant]` items, comma- or newline-separated; empty → the default. Throws a UserError. */
export function parsePlatforms(value: string): Platform[] {
  const items = parseList(value === '' ? DEFAULT_PLATFORMS : value)
  if (items.length === 0) {
    throw inputError('platforms', value, `expected os/arch[/variant] items such as ${DEFAULT_PLATFORMS}.`)
  }
  const platforms: Platform[] = []
  for (const item of items) {
    const parts = item.toLowerCase().split('/')
    if (parts.length < 2 || parts.length > 3 || !parts.every(part => PART.test(part))) {
      throw inputError(
        'platforms',
        value,
        `"${item}" is not os/arch[/variant]; use items such as linux/amd64, linux/arm64 or linux/arm/v7, separated by commas or newlines.`
      )
    }
    const [os, architecture, variant] = parts
    const platform: Platform = variant ? { os, architecture, variant } : { os, architecture }
    if (!platforms.some(p => formatPlatform(p) === formatPlatform(platform))) platforms.push(platform)
  }
  return platforms
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/')
}

/** arm64 without a variant is v8, as Docker and containerd normalise it. */
function variantOf(p: Platform): string | undefined {
  return p.variant || (p.architecture === 'arm64' ? 'v8' : undefined)
}

/** Whether an image entry serves a wanted platform: os and architecture equal, and the variant when one is wanted. */
export function serves(entry: Platform, wanted: Platform): boolean {
  if (entry.os !== wanted.os || entry.architecture !== wanted.architecture) return false
  return wanted.variant === undefined || variantOf(entry) === variantOf(wanted)
}

/** Entries that are no runnable image (BuildKit's attestation manifests say `unknown/unknown`). */
export function isRunnable(p: Platform): boolean {
  return p.os !== 'unknown' && p.architecture !== 'unknown'
}

/** The wanted platforms the image does not serve. Pure. */
export function missingPlatforms(wanted: Platform[], found: Platform[]): Platform[] {
  return wanted.filter(w => !found.some(entry => serves(entry, w)))
}
