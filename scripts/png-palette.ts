/**
 * Makes a screenshot PNG small enough to commit: Chromium writes 24-bit RGB, but a rendered job summary has few
 * colours that matter (the text, its anti-aliasing greys, the link blue, the emoji). `toPalettePng` keeps 256 of
 * them (each distinct colour, then the most frequent), maps every other one to the nearest of them, and writes an 8-bit palette PNG at zlib's
 * best compression: about half the bytes, with no visible change to text. Node's zlib only, no image library.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib'

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])

export interface Image {
  width: number
  height: number
  /** 8-bit RGB, row after row. */
  rgb: Buffer
}

/** Decodes an 8-bit RGB or RGBA PNG, not interlaced (what Chromium writes); alpha is dropped. */
export function decodePng(png: Buffer): Image {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG')
  let header: Buffer | undefined
  const data: Buffer[] = []
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at)
    const type = png.toString('ascii', at + 4, at + 8)
    const body = png.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') header = body
    if (type === 'IDAT') data.push(body)
    at += 12 + length
  }
  if (!header) throw new Error('a PNG without IHDR')
  const width = header.readUInt32BE(0)
  const height = header.readUInt32BE(4)
  const [depth, colourType, , , interlace] = header.subarray(8, 13)
  if (depth !== 8 || (colourType !== 2 && colourType !== 6) || interlace !== 0)
    throw new Error(
      `only 8-bit RGB or RGBA PNGs without interlacing are read (depth ${depth}, type ${colourType})`
    )
  const channels = colourType === 6 ? 4 : 3
  const stride = width * channels
  const raw = inflateSync(Buffer.concat(data))
  const rows = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const out = rows.subarray(y * stride, (y + 1) * stride)
    const up = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride)
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels] : 0
      const b = up[i]
      const c = i >= channels ? up[i - channels] : 0
      const predicted =
        filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c)
      out[i] = (line[i] + predicted) & 0xff
    }
  }
  if (channels === 3) return { width, height, rgb: rows }
  const rgb = Buffer.alloc(width * height * 3)
  for (let p = 0; p < width * height; p++) rows.copy(rgb, p * 3, p * 4, p * 4 + 3)
  return { width, height, rgb }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/**
 * The palette: first each colour that is far from all chosen so far (most frequent first, so the red of a ❌ is
 * kept beside the greys of the text), then the most frequent of the rest; and for each pixel the index of the
 * nearest colour of the palette.
 */
export function quantize(image: Image): { palette: number[]; indices: Uint8Array } {
  const pixels = image.width * image.height
  const counts = new Map<number, number>()
  const colour = (p: number) => (image.rgb[p * 3] << 16) | (image.rgb[p * 3 + 1] << 8) | image.rgb[p * 3 + 2]
  for (let p = 0; p < pixels; p++) counts.set(colour(p), (counts.get(colour(p)) ?? 0) + 1)
  const byFrequency = [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])
  const palette: number[] = []
  for (const [c, count] of byFrequency) {
    if (palette.length === 256 || count < MIN_PIXELS) break
    if (palette.every(q => distance(c, q) >= DISTINCT)) palette.push(c)
  }
  const chosen = new Set(palette)
  for (const [c] of byFrequency) {
    if (palette.length === 256) break
    if (!chosen.has(c)) palette.push(c)
  }
  const nearest = new Map<number, number>(palette.map((c, i) => [c, i]))
  const indices = new Uint8Array(pixels)
  for (let p = 0; p < pixels; p++) {
    const c = colour(p)
    let index = nearest.get(c)
    if (index === undefined) {
      let best = Infinity
      for (let i = 0; i < palette.length; i++) {
        const d = distance(c, palette[i])
        if (d < best) [best, index] = [d, i]
      }
      nearest.set(c, index as number)
    }
    indices[p] = index as number
  }
  return { palette, indices }
}

/** A colour far enough from the chosen ones to be a colour of its own (squared distance in RGB). */
const DISTINCT = 40 ** 2
/** Fewer pixels than this are noise, not a colour of the picture. */
const MIN_PIXELS = 8

function distance(c: number, q: number): number {
  return (
    ((c >> 16) - (q >> 16)) ** 2 + (((c >> 8) & 255) - ((q >> 8) & 255)) ** 2 + ((c & 255) - (q & 255)) ** 2
  )
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0)
  return Buffer.concat([head, body, crc])
}

/** The PNG again, as an 8-bit palette PNG of at most 256 colours. */
export function toPalettePng(png: Buffer): Buffer {
  const image = decodePng(png)
  const { palette, indices } = quantize(image)
  const header = Buffer.alloc(13)
  header.writeUInt32BE(image.width, 0)
  header.writeUInt32BE(image.height, 4)
  header.set([8, 3, 0, 0, 0], 8)
  const plte = Buffer.alloc(palette.length * 3)
  palette.forEach((c, i) => plte.set([c >> 16, (c >> 8) & 255, c & 255], i * 3))
  const rows = Buffer.alloc((image.width + 1) * image.height)
  for (let y = 0; y < image.height; y++)
    rows.set(indices.subarray(y * image.width, (y + 1) * image.width), y * (image.width + 1) + 1)
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}
