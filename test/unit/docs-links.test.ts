/**
 * The README and docs as a newcomer follows them: every relative link names a file that exists, every `#anchor`
 * a heading of its page (GitHub's slugs), and the scenario lists name exactly the scenarios there are (the
 * demo's in the README and docs/local-testing.md, the sandbox's in docs/local-testing.md).
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ROOT, scenarios as sandboxScenarios } from '../../sandbox/index.js'

const pages = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter(f => f.endsWith('.md'))
    .map(f => `docs/${f}`)
]
const read = (page: string) => readFileSync(join(ROOT, page), 'utf8')
/** Markdown without its code blocks (links and headings inside them are not links and headings). */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```$/gm, '')

/** GitHub's heading anchors: lower case, punctuation other than - and _ dropped, spaces to hyphens. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>()
  const found = new Set<string>()
  for (const [, heading] of prose(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = heading
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    found.add(n === 0 ? base : `${base}-${n}`)
  }
  return found
}

describe('links in the README and docs', () => {
  for (const page of pages) {
    it(`${page}: every relative link and anchor resolves`, () => {
      const broken: string[] = []
      for (const [, target] of prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue
        const [path, anchor] = target.split('#')
        const file = path ? resolve(ROOT, dirname(page), path) : join(ROOT, page)
        if (!existsSync(file)) broken.push(`${target} (no ${relative(ROOT, file)})`)
        else if (
          anchor !== undefined &&
          file.endsWith('.md') &&
          !anchors(readFileSync(file, 'utf8')).has(anchor)
        )
          broken.push(`${target} (no such heading in ${relative(ROOT, file)})`)
      }
      expect(broken).toEqual([])
    })
  }
})

describe('pictures', () => {
  const images = join(ROOT, 'docs', 'images')
  const files = existsSync(images) ? readdirSync(images).filter(f => f.endsWith('.png')) : []
  const shown = pages.flatMap(page =>
    [...prose(read(page)).matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, target]) => ({
      page,
      file: relative(ROOT, resolve(ROOT, dirname(page), target))
    }))
  )

  it('every picture a page shows is a PNG under docs/images/ that exists, and every PNG there is shown', () => {
    expect(shown.length).toBeGreaterThanOrEqual(files.length)
    expect(
      shown.filter(({ file }) => !/^docs\/images\/[^/]+\.png$/.test(file) || !existsSync(join(ROOT, file)))
    ).toEqual([])
    expect(files.filter(file => !shown.some(s => s.file === `docs/images/${file}`))).toEqual([])
  })

  it('the README shows the pictures, and so do the docs of the actions whose summaries they show', () => {
    const on = (page: string) =>
      shown.filter(s => s.page === page).map(s => s.file.replace('docs/images/', ''))
    expect(on('README.md')).toEqual([
      'summary-success.png',
      'summary-rollback.png',
      'summary-failed-check.png'
    ])
    expect(on('docs/deploy-beanstalk.md')).toEqual(['summary-success.png', 'summary-rollback.png'])
    expect(on('docs/check-url.md')).toEqual(['summary-failed-check.png'])
    expect(on('docs/verify-package-public.md')).toEqual(['summary-private-package.png'])
    expect(on('docs/invalidate-cloudfront.md')).toEqual(['summary-success.png'])
  })

  it('the pictures stay small: palette PNGs, 400 KB together at most', () => {
    let total = 0
    for (const file of files) {
      const png = readFileSync(join(images, file))
      total += png.length
      expect({ file, colourType: png[25] }).toEqual({ file, colourType: 3 }) // written by scripts/png-palette.ts
    }
    expect(total).toBeLessThanOrEqual(400_000)
  })
})

describe('scenario lists', () => {
  const demoSource = readFileSync(join(ROOT, 'scripts', 'demo.ts'), 'utf8')
  const demoBlock = demoSource.slice(demoSource.indexOf('export const DEMO_SCENARIOS'))
  const demoNames = [
    ...demoBlock.slice(0, demoBlock.indexOf('\n}\n')).matchAll(/^ {2}'?([a-z-]+)'?: \{/gm)
  ].map(m => m[1])
  const tableNames = (text: string, heading: string) => {
    const section = text.slice(text.indexOf(heading))
    const table = section.slice(section.indexOf('\n|'), section.indexOf('\n\n', section.indexOf('\n|') + 1))
    return [...table.matchAll(/^\| `([a-z-]+)` +\|/gm)].map(m => m[1])
  }

  it("the demo's scenarios: the README's list and docs/local-testing.md's table", () => {
    expect(demoNames.length).toBeGreaterThanOrEqual(6)
    const readme = /`-- --help` lists the scenarios \(([^)]+)\)/.exec(read('README.md'))?.[1].split(/, */)
    expect(readme).toEqual(demoNames)
    expect(tableNames(read('docs/local-testing.md'), '## The demo')).toEqual(demoNames)
  })

  it("the sandbox's scenarios: docs/local-testing.md's table", () => {
    expect(tableNames(read('docs/local-testing.md'), '### Scenarios').sort()).toEqual(
      Object.keys(sandboxScenarios).sort()
    )
  })
})
