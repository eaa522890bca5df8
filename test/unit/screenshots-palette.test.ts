/**
 * scripts/png-palette.ts, which makes `npm run screenshots`' pictures small enough to commit: Chromium's RGB PNG
 * read back whatever row filters it used, and written as a palette PNG that shows the same picture.
 */
import { describe, expect, it } from '@jest/globals'
import { crc32, deflateSync, inflateSync } from 'node:zlib'
import { decodePng, quantize, toPalettePng } from '../../scripts/png-palette.js'

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0)
  return Buffer.concat([head, body, crc])
}

/** An RGB PNG whose row y uses filter y % 5 (none, sub, up, average, Paeth), as encoders mix them. */
function rgbPng(width: number, height: number, rgb: Buffer): Buffer {
  const stride = width * 3
  const rows: number[] = []
  for (let y = 0; y < height; y++) {
    const filter = y % 5
    rows.push(filter)
    for (let i = 0; i < stride; i++) {
      const x = rgb[y * stride + i]
      const a = i >= 3 ? rgb[y * stride + i - 3] : 0
      const b = y > 0 ? rgb[(y - 1) * stride + i] : 0
      const c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0
      const p = a + b - c
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter]
      rows.push((x - predicted) & 0xff)
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** A picture with a gradient (many colours) over a few flat ones, like text on a page. */
function picture(width: number, height: number, colours: number): Buffer {
  const rgb = Buffer.alloc(width * height * 3)
  for (let p = 0; p < width * height; p++) {
    const shade = (p * 7) % colours
    rgb.set([shade % 256, (shade * 3) % 256, 200], p * 3)
  }
  return rgb
}

describe('png-palette', () => {
  it('reads an RGB PNG whatever filter each row uses', () => {
    const rgb = picture(13, 11, 1000)
    expect(decodePng(rgbPng(13, 11, rgb))).toEqual({ width: 13, height: 11, rgb })
  })

  it('keeps up to 256 colours exactly, and maps others to the nearest kept one', () => {
    const few = { width: 20, height: 10, rgb: picture(20, 10, 40) }
    const exact = quantize(few)
    for (let p = 0; p < 200; p++) {
      const c = exact.palette[exact.indices[p]]
      expect([c >> 16, (c >> 8) & 255, c & 255]).toEqual([...few.rgb.subarray(p * 3, p * 3 + 3)])
    }
    const many = { width: 40, height: 40, rgb: picture(40, 40, 1000) }
    const { palette, indices } = quantize(many)
    expect(palette).toHaveLength(256)
    let worst = 0
    for (let p = 0; p < 1600; p++) {
      const c = palette[indices[p]]
      const [r, g] = [many.rgb[p * 3], many.rgb[p * 3 + 1]]
      worst = Math.max(worst, Math.abs((c >> 16) - r) + Math.abs(((c >> 8) & 255) - g))
    }
    expect(worst).toBeLessThan(64)
  })

  it('keeps a rare colour of its own (the red of a ❌ among the greys of the text)', () => {
    const width = 100
    const rgb = Buffer.alloc(width * width * 3)
    for (let p = 0; p < width * width; p++) {
      const grey = p % 300 < 256 ? p % 300 : 255 // 256 greys, white the most frequent
      rgb.set(p < 12 ? [220, 30, 40] : [grey, grey, grey], p * 3)
    }
    const { palette, indices } = quantize({ width, height: width, rgb })
    expect(palette[indices[0]]).toBe((220 << 16) | (30 << 8) | 40)
  })

  it('writes a valid palette PNG of the same size', () => {
    const png = toPalettePng(rgbPng(30, 20, picture(30, 20, 50)))
    expect(png.subarray(0, 8)).toEqual(SIGNATURE)
    const header = png.subarray(16, 29)
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([30, 20, 8, 3])
    // IHDR, PLTE (50 colours), IDAT: one filter byte and 30 indices a row
    const plteLength = png.readUInt32BE(33)
    expect(plteLength).toBe(50 * 3)
    const idatAt = 33 + 12 + plteLength
    expect(png.toString('ascii', idatAt + 4, idatAt + 8)).toBe('IDAT')
    const idat = png.subarray(idatAt + 8, idatAt + 8 + png.readUInt32BE(idatAt))
    expect(inflateSync(idat)).toHaveLength(20 * 31)
  })
})
