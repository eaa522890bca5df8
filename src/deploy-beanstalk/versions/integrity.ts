import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import { UserError } from '../../common/errors.js'
import type { VersionInfo } from '../aws/beanstalk.js'
import type { StoredObject } from '../aws/s3.js'

/**
 * Bundle integrity for promotion (`from-environment`, issue 20): production deploys a version staging ran, by
 * its label; the bundle behind that label is an S3 object any role allowed to upload the application's bundles
 * can overwrite. So the bundle's sha256 is recorded when the version is created, and a promotion refuses a
 * version whose S3 object no longer hashes to it.
 *
 * Where the record lives, and why: in the version's **description** (`… [bundle sha256:<hex>]`), set once by
 * CreateApplicationVersion. Beanstalk keeps it, DescribeApplicationVersions (already read by the promotion)
 * returns it, and no deploy role can change it afterwards (the policies allow no UpdateApplicationVersion; a
 * version an environment runs cannot be deleted and recreated). The S3 object's metadata (`x-amz-meta-sha256`,
 * written with the upload) is kept too, but only as a cheap first look: whoever overwrites the object sets its
 * metadata as well, so it proves nothing against a deliberate overwrite. The object itself is streamed and
 * hashed (memory flat; a compose bundle is kilobytes) and compared with the description's record.
 *
 * Bundles are also create-only (the upload sends If-None-Match: *, the deploy policy allows no other write): an
 * object already under a new bundle's key is reused only when its bytes hash to this bundle's sha256.
 */

/** Beanstalk's limit for a version description. */
export const DESCRIPTION_LIMIT = 200
const RECORD = /\s*\[bundle sha256:([0-9a-f]{64})\]$/

/** The description with the bundle's sha256 recorded at its end, shortened to fit Beanstalk's 200. Pure. */
export function describeWithDigest(description: string, sha256: string): string {
  const digest = sha256.toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error(`not a sha256: ${sha256}`)
  const record = `[bundle sha256:${digest}]`
  const text = description.replace(RECORD, '').trim()
  const room = DESCRIPTION_LIMIT - record.length - 1
  const chars = Array.from(text)
  const kept = chars.length <= room ? text : `${chars.slice(0, room - 1).join('')}…`
  return kept === '' ? record : `${kept} ${record}`
}

/** The sha256 recorded in a version's description, if any. Pure. */
export function recordedDigest(description: string | undefined): string | undefined {
  return description === undefined ? undefined : RECORD.exec(description)?.[1]
}

/** What was found about a promoted version's bundle. */
export interface BundleEvidence {
  /** From the version's description (trusted: set once at creation). */
  recorded?: string
  /** The S3 object's sha256 metadata; undefined when the object has none. */
  metadata?: string
  /** The object is there at all. */
  exists: boolean
  /** The object's content, hashed; undefined when not read. */
  actual?: string
}

export type Verdict =
  { ok: true; how: 'recorded' | 'metadata-only' | 'unverifiable' } | { ok: false; title: string; why: string }

/** Whether the bundle is what was recorded when its version was created. Pure. */
export function integrityVerdict(evidence: BundleEvidence): Verdict {
  if (!evidence.exists) {
    return { ok: false, title: 'Promoted bundle missing', why: 'its S3 object is gone' }
  }
  const expected = evidence.recorded ?? evidence.metadata
  if (expected === undefined) return { ok: true, how: 'unverifiable' }
  if (evidence.recorded && evidence.metadata && evidence.metadata !== evidence.recorded) {
    return {
      ok: false,
      title: 'Promoted bundle changed',
      why: `its S3 object now claims sha256 ${evidence.metadata}, but ${evidence.recorded} was recorded when the version was created`
    }
  }
  if (evidence.actual === undefined) throw new Error('integrityVerdict: the object was not hashed')
  if (evidence.actual !== expected) {
    return {
      ok: false,
      title: 'Promoted bundle changed',
      why: `its S3 object hashes to sha256 ${evidence.actual}, but ${expected} was recorded when the version was created${evidence.recorded ? '' : ' (in the object’s metadata)'}`
    }
  }
  return { ok: true, how: evidence.recorded ? 'recorded' : 'metadata-only' }
}

/** The read side of S3 the check needs (StorageGateway has it). */
export interface BundleReader {
  head(bucket: string, key: string): Promise<StoredObject | undefined>
  /** The object's bytes as a stream, or undefined when it does not exist. */
  read(bucket: string, key: string): Promise<AsyncIterable<Uint8Array> | undefined>
}

/** sha256 of a stream, hex. */
export async function sha256Of(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of stream) hash.update(chunk)
  return hash.digest('hex')
}

/**
 * Refuses (UserError on from-environment, before anything changes) a promoted version whose bundle is gone or no
 * longer hashes to the sha256 recorded when the version was created. A version with no record at all (made
 * outside deploy-beanstalk) is promoted with a warning; one that is not an S3 bundle is not checked.
 */
export async function verifyPromotedBundle(
  storage: BundleReader,
  version: VersionInfo,
  ctx: { application: string; source: string }
): Promise<void> {
  if (!version.bucket || !version.key) {
    core.warning(
      `Version ${version.label} has no S3 source bundle: its content cannot be compared with what ${ctx.source} was given.`
    )
    return
  }
  const where = `s3://${version.bucket}/${version.key}`
  const recorded = recordedDigest(version.description)
  const head = await storage.head(version.bucket, version.key)
  const evidence: BundleEvidence = { recorded, metadata: head?.sha256, exists: head !== undefined }
  const needsHash =
    evidence.exists &&
    (recorded ?? evidence.metadata) !== undefined &&
    !(recorded && evidence.metadata && recorded !== evidence.metadata)
  if (needsHash) {
    const stream = await storage.read(version.bucket, version.key)
    if (stream === undefined) evidence.exists = false
    else evidence.actual = await sha256Of(stream)
  }
  const verdict = integrityVerdict(evidence)
  if (!verdict.ok) {
    throw new UserError(
      `The bundle of version ${version.label} (run by ${ctx.source}) cannot be promoted: ${verdict.why} (${where}). It was replaced or deleted after the version was created, so it is not what ${ctx.source} was tested with. Nothing was changed. Deploy a new build to ${ctx.source} (or redeploy the commit) and promote that; check who can write to the bucket (docs/aws-setup.md, one role per environment).`,
      { input: 'from-environment', title: verdict.title }
    )
  }
  if (verdict.how === 'unverifiable') {
    core.warning(
      `Version ${version.label} has no recorded sha256 (made outside deploy-beanstalk, or before it recorded one): its bundle ${where} is promoted unverified.`
    )
  } else if (verdict.how === 'metadata-only') {
    core.info(
      `Bundle of ${version.label} matches the sha256 in its S3 metadata (${evidence.actual}); versions created from now on also record it in their description, which an upload cannot change.`
    )
  } else {
    core.info(
      `Bundle of ${version.label} verified: ${where} has sha256 ${evidence.actual}, as recorded when the version was created.`
    )
  }
}

/**
 * An object already under a new bundle's key (bundles are create-only: docs/aws-setup.md): reused when it holds
 * exactly these bytes (its content hashed: metadata is written by whoever wrote the object, so it only rules out
 * early), else a UserError before the version is created; the object is never replaced.
 */
export async function reuseExistingBundle(
  storage: BundleReader,
  sha256: string,
  at: { bucket: string; key: string; label: string }
): Promise<void> {
  const where = `s3://${at.bucket}/${at.key}`
  const head = await storage.head(at.bucket, at.key)
  let actual = head?.sha256
  if (head !== undefined && (actual === undefined || actual === sha256)) {
    const stream = await storage.read(at.bucket, at.key)
    actual = stream === undefined ? undefined : await sha256Of(stream)
  }
  if (actual === sha256) {
    core.info(`${where} is already there with the same bytes (sha256 ${sha256}): not uploaded again.`)
    return
  }
  if (head === undefined) throw new Error(`${where} was refused as existing, but it cannot be found.`)
  throw new UserError(
    `${where} already holds another bundle (sha256 ${actual ?? 'unknown'}; this run's is ${sha256}), and no version uses the label ${at.label} yet. Bundles are create-only: an existing one is never overwritten (docs/aws-setup.md), so nothing was uploaded or created. An earlier run may have uploaded other content under this label without creating the version, or someone else wrote it. Use another version-label (the default, <short sha>-<bundle hash>, differs whenever the content does), or delete that object if you are sure nothing needs it.`,
    { input: 'version-label', title: 'Bundle already exists' }
  )
}
