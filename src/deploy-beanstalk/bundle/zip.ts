import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yazl from 'yazl'
import type { BundleEntry } from './contents.js'

export interface BuiltBundle {
  path: string
  sha256: string
  size: number
  entries: string[]
}

/**
 * 1980-01-01 00:00:00 as local time: yazl writes DOS timestamps from local fields, so this encodes the
 * same bytes (the earliest DOS date) in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0)
const REGULAR_FILE = 0o100000

/**
 * Writes a deterministic zip (sorted names, fixed time, fixed modes, DOS timestamp only) streamed to
 * `outPath`, hashing the bytes on their way to disk. Same entries and contents → same bytes.
 */
export async function writeDeterministicZip(entries: BundleEntry[], outPath: string): Promise<BuiltBundle> {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const zip = new yazl.ZipFile()
  for (const entry of sorted) {
    const options = {
      mtime: FIXED_MTIME,
      mode: REGULAR_FILE | ((entry.mode ?? 0o644) & 0o777),
      compress: true,
      forceDosTimestamp: true
    }
    const source = entry.source
    if ('content' in source) zip.addBuffer(source.content, entry.name, options)
    else zip.addReadStreamLazy(entry.name, options, cb => cb(null, createReadStream(source.path)))
  }
  zip.end()
  const hash = createHash('sha256')
  let size = 0
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      size += chunk.length
      done(null, chunk)
    }
  })
  await pipeline(zip.outputStream, tap, createWriteStream(outPath))
  return { path: outPath, sha256: hash.digest('hex'), size, entries: sorted.map(e => e.name) }
}
