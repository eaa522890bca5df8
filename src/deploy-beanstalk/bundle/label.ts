import { BundleError } from './errors.js'

/** Beanstalk's limit on a source bundle. */
export const BEANSTALK_MAX_BUNDLE_BYTES = 500 * 1024 * 1024

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** Throws before any upload when the bundle exceeds Beanstalk's 500 MB limit. */
export function checkBundleSize(size: number, input: string): void {
  if (size <= BEANSTALK_MAX_BUNDLE_BYTES) return
  throw new BundleError(
    `The bundle is ${mb(size)} (${size} bytes), over Elastic Beanstalk's limit of 500 MB ` +
      `(${BEANSTALK_MAX_BUNDLE_BYTES} bytes) per source bundle. Ship the application as a Docker image ` +
      `(the bundle only needs docker-compose.yml and its config) and leave large files out of '${input}'.`,
    input
  )
}

/** `<short sha 7>-<first 8 hex of the bundle sha256>`, or `local-<8 hex>` without a commit. */
export function defaultVersionLabel(sha: string | undefined, bundleSha256: string): string {
  const hash = bundleSha256.toLowerCase().slice(0, 8)
  const commit = sha?.trim().toLowerCase() ?? ''
  return commit === '' ? `local-${hash}` : `${commit.slice(0, 7)}-${hash}`
}
