/**
 * Promotion verifies the bundle (issue 20): the sha256 recorded in a version's description when it was created,
 * compared with its S3 object (metadata first, then the streamed content). The pure parts, and the check against a
 * fake S3 reader (the real one is StorageGateway, end to end in test/e2e/deploy-beanstalk-promotion-integrity).
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createHash } from 'node:crypto'
import { UserError } from '../../src/common/errors.js'
import type { VersionInfo } from '../../src/deploy-beanstalk/aws/beanstalk.js'
import {
  DESCRIPTION_LIMIT,
  describeWithDigest,
  integrityVerdict,
  recordedDigest,
  sha256Of,
  verifyPromotedBundle,
  type BundleReader
} from '../../src/deploy-beanstalk/versions/integrity.js'

const sha = (text: string): string => createHash('sha256').update(text).digest('hex')
const GOOD = 'the bundle staging ran'
const BAD = 'a bundle put there afterwards'

describe('the record in the version description', () => {
  it('appends the sha256 to the description and reads it back', () => {
    const description = describeWithDigest('Fix the login page', sha(GOOD))
    expect(description).toBe(`Fix the login page [bundle sha256:${sha(GOOD)}]`)
    expect(recordedDigest(description)).toBe(sha(GOOD))
  })

  it('keeps within Beanstalk’s 200 characters, shortening the text, never the record', () => {
    const description = describeWithDigest('x'.repeat(300), sha(GOOD))
    expect(Array.from(description)).toHaveLength(DESCRIPTION_LIMIT)
    expect(description).toMatch(/x…\s\[bundle sha256:[0-9a-f]{64}\]$/)
    expect(recordedDigest(description)).toBe(sha(GOOD))
    const emoji = describeWithDigest('🚀'.repeat(190), sha(GOOD))
    expect(Array.from(emoji).length).toBeLessThanOrEqual(DESCRIPTION_LIMIT)
  })

  it('replaces a record already there (a description copied from another version), and stands alone when empty', () => {
    const copied = describeWithDigest(`Old [bundle sha256:${sha(BAD)}]`, sha(GOOD))
    expect(copied).toBe(`Old [bundle sha256:${sha(GOOD)}]`)
    expect(describeWithDigest('', sha(GOOD))).toBe(`[bundle sha256:${sha(GOOD)}]`)
    expect(() => describeWithDigest('x', 'abc')).toThrow('not a sha256')
  })

  it('finds no record in other descriptions, nor one in the middle of the text', () => {
    expect(recordedDigest(undefined)).toBeUndefined()
    expect(recordedDigest('Fix the login page')).toBeUndefined()
    expect(recordedDigest(`[bundle sha256:${sha(GOOD)}] and more`)).toBeUndefined()
  })
})

describe('integrityVerdict', () => {
  it('passes the recorded content; refuses other content, a forged metadata, a missing object', () => {
    expect(
      integrityVerdict({ exists: true, recorded: sha(GOOD), metadata: sha(GOOD), actual: sha(GOOD) })
    ).toEqual({
      ok: true,
      how: 'recorded'
    })
    // the overwrite copied the metadata: only the content tells
    expect(
      integrityVerdict({ exists: true, recorded: sha(GOOD), metadata: sha(GOOD), actual: sha(BAD) })
    ).toEqual({
      ok: false,
      title: 'Promoted bundle changed',
      why: `its S3 object hashes to sha256 ${sha(BAD)}, but ${sha(GOOD)} was recorded when the version was created`
    })
    expect(integrityVerdict({ exists: true, recorded: sha(GOOD), metadata: sha(BAD) })).toMatchObject({
      ok: false,
      why: expect.stringContaining(`now claims sha256 ${sha(BAD)}`)
    })
    expect(integrityVerdict({ exists: false, recorded: sha(GOOD) })).toMatchObject({
      ok: false,
      title: 'Promoted bundle missing'
    })
  })

  it('falls back to the metadata for versions made before the record, and passes unrecorded ones', () => {
    expect(integrityVerdict({ exists: true, metadata: sha(GOOD), actual: sha(GOOD) })).toEqual({
      ok: true,
      how: 'metadata-only'
    })
    expect(integrityVerdict({ exists: true, metadata: sha(GOOD), actual: sha(BAD) })).toMatchObject({
      ok: false
    })
    expect(integrityVerdict({ exists: true })).toEqual({ ok: true, how: 'unverifiable' })
  })
})

describe('verifyPromotedBundle', () => {
  let out: string[]
  let spy: jest.SpiedFunction<typeof process.stdout.write>
  beforeEach(() => {
    out = []
    spy = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      out.push(String(chunk))
      return true
    })
  })
  afterEach(() => spy.mockRestore())

  const version = (description?: string): VersionInfo => ({
    label: 'abc1234-0f0f0f0f',
    status: 'Processed',
    description,
    bucket: 'elasticbeanstalk-eu-central-1-123456789012',
    key: 'BrillianCRM/abc1234-0f0f0f0f.zip'
  })
  const reader = (content: string | undefined, metadata?: string) => {
    const reads: string[] = []
    const storage: BundleReader = {
      head: async () => (content === undefined ? undefined : { size: content.length, sha256: metadata }),
      read: async (bucket, key) => {
        reads.push(`${bucket}/${key}`)
        if (content === undefined) return undefined
        // in two chunks, as a stream comes
        return (async function* () {
          yield Buffer.from(content.slice(0, 5))
          yield Buffer.from(content.slice(5))
        })()
      }
    }
    return { storage, reads }
  }
  const ctx = { application: 'BrillianCRM', source: 'BrillianCRM-staging' }
  const recorded = describeWithDigest('Fix the login page', sha(GOOD))

  it('passes the bundle recorded at creation, hashing the object', async () => {
    const { storage, reads } = reader(GOOD, sha(GOOD))
    await verifyPromotedBundle(storage, version(recorded), ctx)
    expect(reads).toEqual(['elasticbeanstalk-eu-central-1-123456789012/BrillianCRM/abc1234-0f0f0f0f.zip'])
    expect(out.join('')).toContain(
      `verified: s3://elasticbeanstalk-eu-central-1-123456789012/BrillianCRM/abc1234-0f0f0f0f.zip has sha256 ${sha(GOOD)}`
    )
  })

  it('refuses an overwritten bundle whose metadata was forged to match, naming from-environment', async () => {
    const { storage } = reader(BAD, sha(GOOD))
    const error = await verifyPromotedBundle(storage, version(recorded), ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(error).toMatchObject({ input: 'from-environment', title: 'Promoted bundle changed' })
    expect((error as Error).message).toContain(
      `The bundle of version abc1234-0f0f0f0f (run by BrillianCRM-staging) cannot be promoted: its S3 object hashes to sha256 ${sha(BAD)}, but ${sha(GOOD)} was recorded when the version was created`
    )
    expect((error as Error).message).toContain('Nothing was changed.')
  })

  it('refuses on the metadata alone when it differs from the record (no download)', async () => {
    const { storage, reads } = reader(BAD, sha(BAD))
    await expect(verifyPromotedBundle(storage, version(recorded), ctx)).rejects.toThrow('now claims sha256')
    expect(reads).toEqual([])
  })

  it('refuses a bundle that is gone', async () => {
    const { storage } = reader(undefined)
    await expect(verifyPromotedBundle(storage, version(recorded), ctx)).rejects.toMatchObject({
      title: 'Promoted bundle missing'
    })
  })

  it('warns, and promotes, a version with no record at all; checks one with metadata only', async () => {
    await verifyPromotedBundle(reader(GOOD).storage, version('Made in the console'), ctx)
    expect(out.join('')).toMatch(/::warning::Version abc1234-0f0f0f0f has no recorded sha256/)
    await verifyPromotedBundle(reader(GOOD, sha(GOOD)).storage, version('Made before'), ctx)
    expect(out.join('')).toContain('matches the sha256 in its S3 metadata')
    await expect(
      verifyPromotedBundle(reader(BAD, sha(GOOD)).storage, version('Made before'), ctx)
    ).rejects.toThrow('(in the object’s metadata)')
  })

  it('hashes a stream as sha256 does', async () => {
    expect(
      await sha256Of(
        (async function* () {
          yield Buffer.from('ab')
          yield Buffer.from('c')
        })()
      )
    ).toBe(sha('abc'))
  })
})
