import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import { parseList } from '../../src/common/inputs.js'
import {
  MAX_PATHS,
  MAX_PATH_LENGTH,
  MAX_WILDCARD_PATHS,
  checkPath,
  encodePath,
  planPaths
} from '../../src/invalidate-cloudfront/paths.js'

function userError(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError, nothing was thrown')
}

describe('encodePath', () => {
  it('leaves ordinary paths, query strings and reserved characters alone', () => {
    expect(encodePath('/index.html')).toBe('/index.html')
    expect(encodePath("/a/b-c_d.e!f$g&h'i(j)k+l,m;n=o:p@q")).toBe("/a/b-c_d.e!f$g&h'i(j)k+l,m;n=o:p@q")
    expect(encodePath('/search?q=x&lang=en')).toBe('/search?q=x&lang=en')
  })

  it('never encodes *', () => {
    expect(encodePath('/*')).toBe('/*')
    expect(encodePath('/images/photo*')).toBe('/images/photo*')
    expect(encodePath('/my images/*')).toBe('/my%20images/*')
  })

  it('encodes every RFC 1738 unsafe character', () => {
    expect(encodePath('/a b')).toBe('/a%20b')
    expect(encodePath('/<>"#{}|\\^~[]`')).toBe('/%3C%3E%22%23%7B%7D%7C%5C%5E%7E%5B%5D%60')
  })

  it('encodes non-ASCII characters as UTF-8 bytes, upper-case hex', () => {
    expect(encodePath('/über')).toBe('/%C3%BCber')
    expect(encodePath('/日本')).toBe('/%E6%97%A5%E6%9C%AC')
    expect(encodePath('/😀.png')).toBe('/%F0%9F%98%80.png')
    expect(encodePath('/\u00a0')).toBe('/%C2%A0')
  })

  it('encodes control characters', () => {
    expect(encodePath('/a\tb')).toBe('/a%09b')
    expect(encodePath('/a\u007fb')).toBe('/a%7Fb')
  })

  it('keeps existing %XX escapes and encodes a lone %', () => {
    expect(encodePath('/a%20b')).toBe('/a%20b')
    expect(encodePath('/a%c3%bc')).toBe('/a%c3%bc')
    expect(encodePath('/100%')).toBe('/100%25')
    expect(encodePath('/100%zz')).toBe('/100%25zz')
    expect(encodePath('/%2')).toBe('/%252')
  })

  it('is idempotent: encoding twice changes nothing', () => {
    for (const path of ['/a b/ü', '/100%', '/~user/*', '/x%41y']) {
      expect(encodePath(encodePath(path))).toBe(encodePath(path))
    }
  })
})

describe('checkPath', () => {
  it('accepts paths starting with / and * at the end only', () => {
    expect(() => checkPath('/')).not.toThrow()
    expect(() => checkPath('/*')).not.toThrow()
    expect(() => checkPath('/images/photo*')).not.toThrow()
  })

  it('rejects a path without a leading / and suggests the fix', () => {
    const error = userError(() => checkPath('index.html'))
    expect(error.input).toBe('paths')
    expect(error.message).toContain('must start with "/"')
    expect(error.message).toContain('"/index.html"')
    expect(userError(() => checkPath('*')).message).toContain('did you mean "/*"')
    expect(userError(() => checkPath('./a.js')).message).toContain('did you mean "/a.js"')
  })

  it('suggests the path of a pasted URL', () => {
    expect(userError(() => checkPath('https://brilliancrm.com/app/main.js')).message).toContain(
      'did you mean "/app/main.js"'
    )
    expect(userError(() => checkPath('https://brilliancrm.com')).message).toContain('did you mean "/"')
  })

  it('rejects * anywhere but at the end, suggesting the prefix wildcard', () => {
    const error = userError(() => checkPath('/images/*.jpg'))
    expect(error.message).toContain('"*" may only be the last character')
    expect(error.message).toContain('"/images/*"')
    expect(() => checkPath('/**')).toThrow(UserError)
  })
})

describe('planPaths', () => {
  it('de-duplicates after encoding, keeping the first occurrence and the order', () => {
    const plan = planPaths(['/b', '/a b', '/a%20b', '/b', '/c'])
    expect(plan.paths).toEqual(['/b', '/a%20b', '/c'])
    expect(plan.duplicates).toEqual(['/a%20b', '/b'])
    expect(plan.wildcards).toBe(0)
  })

  it('drops paths a wildcard of the same batch covers', () => {
    const plan = planPaths(['/index.html', '/assets/*', '/assets/app.js', '/assets/css/*', '/other'])
    expect(plan.paths).toEqual(['/index.html', '/assets/*', '/other'])
    expect(plan.covered).toEqual([
      { path: '/assets/app.js', by: '/assets/*' },
      { path: '/assets/css/*', by: '/assets/*' }
    ])
    expect(planPaths(['/a', '/*', '/b/*']).paths).toEqual(['/*'])
    // A prefix is a prefix of the path, not of a directory: /images* covers /images/x and /images2
    expect(planPaths(['/images*', '/images2', '/image']).paths).toEqual(['/images*', '/image'])
  })

  it('works from the text of the input: newline- or comma-separated, trimmed', () => {
    const plan = planPaths(parseList(' /index.html ,\n  /app/*\r\n\n/about , '))
    expect(plan.paths).toEqual(['/index.html', '/app/*', '/about'])
    expect(plan.wildcards).toBe(1)
  })

  it('rejects an empty list', () => {
    expect(userError(() => planPaths([])).message).toContain('no paths')
  })

  it('accepts exactly 3,000 paths and 15 wildcards, and refuses one more', () => {
    const files = Array.from({ length: MAX_PATHS - MAX_WILDCARD_PATHS }, (_, i) => `/file-${i}.html`)
    const wildcards = Array.from({ length: MAX_WILDCARD_PATHS }, (_, i) => `/dir-${i}/*`)
    const plan = planPaths([...files, ...wildcards])
    expect(plan.paths).toHaveLength(MAX_PATHS)
    expect(plan.wildcards).toBe(MAX_WILDCARD_PATHS)

    const tooMany = userError(() => planPaths([...files, ...wildcards, '/one-more']))
    expect(tooMany.input).toBe('paths')
    expect(tooMany.message).toContain('3,001 distinct paths')
    expect(tooMany.message).toContain('at most 3,000')

    const tooWild = userError(() => planPaths([...wildcards, '/dir-x/*']))
    expect(tooWild.message).toContain('16 wildcard paths')
    expect(tooWild.message).toContain(`at most ${MAX_WILDCARD_PATHS}`)
  })

  it('counts limits after duplicates and covered paths are dropped', () => {
    const wildcards = Array.from({ length: MAX_WILDCARD_PATHS }, (_, i) => `/dir-${i}/*`)
    expect(planPaths([...wildcards, ...wildcards, '/dir-0/sub/*']).wildcards).toBe(MAX_WILDCARD_PATHS)
  })

  it('rejects a path longer than CloudFront accepts once encoded', () => {
    expect(planPaths([`/${'a'.repeat(MAX_PATH_LENGTH - 1)}`]).paths[0]).toHaveLength(MAX_PATH_LENGTH)
    const error = userError(() => planPaths([`/${'ü'.repeat(700)}`]))
    expect(error.message).toContain('4,201 characters long once encoded')
  })

  it('reports the first bad path', () => {
    expect(userError(() => planPaths(['/ok', 'bad', '/*/x'])).message).toContain('"bad"')
  })
})
