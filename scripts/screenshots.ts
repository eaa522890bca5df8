/**
 * `npm run screenshots`: pictures of the job summaries, made from the current code. Runs the demo (the real
 * action bundles against the local sandbox, offline) for a success, a failed deploy with its rollback and a
 * failed site check, keeps each step's job summary, renders it as GitHub does (GitHub-flavoured Markdown by
 * marked, GitHub's own Markdown stylesheet from github-markdown-css) in headless Chromium (Debian's `chromium`;
 * CHROMIUM_PATH to use another), and writes one PNG per scenario under docs/images/ (the README and the
 * actions' docs show them). Each picture shows the steps that tell its story (all of them for a success), cropped
 * to the content, at the width of a job summary.
 *
 *   npm run screenshots [-- --scenario happy --out docs/images]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { marked } from 'marked'
import puppeteer from 'puppeteer-core'
import { toPalettePng } from './png-palette.js'

const ROOT = resolve(import.meta.dirname, '..')

interface Picture {
  file: string
  /** The line the page shows above the summaries. */
  caption: string
  /** The steps shown (the demo's summary files, `04-check-url`) with the label above each; all when not given. */
  steps?: Record<string, string>
}

/** The pictures: demo scenario → file name, caption, and the steps that tell its story. */
export const PICTURES: Record<string, Picture> = {
  happy: { file: 'summary-success', caption: 'A release that went out: every step of the deploy job' },
  rollback: {
    file: 'summary-rollback',
    caption: 'A failed deploy: the new version ran Red, the previous one was restored',
    steps: { '02-deploy-beanstalk': 'deploy-beanstalk (rollback-on-failure: true)' }
  },
  'failed-check': {
    file: 'summary-failed-check',
    caption: 'A failed site check: Green in Beanstalk, 500 on the site, the previous version back',
    steps: {
      '04-check-url': 'check-url',
      '05-deploy-beanstalk': 'deploy-beanstalk, redeploying the previous version after the failed check'
    }
  },
  'blue-green': {
    file: 'summary-blue-green',
    caption:
      'A blue/green release: deployed to the idle twin (created on the first release), checked, swapped in',
    steps: {
      '02-deploy-beanstalk': 'deploy-beanstalk (strategy: blue-green)',
      '04-swap-environments': 'swap-environments'
    }
  },
  'private-package': {
    file: 'summary-private-package',
    caption: 'A private package: stopped before anything was deployed, with the link that fixes it',
    steps: { '01-verify-package-public': 'verify-package-public' }
  }
}

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (path): path is string => Boolean(path)
  )
  const found = candidates.find(path => existsSync(path))
  if (!found)
    throw new Error(
      'Chromium was not found: install Debian\'s "chromium" package (apt-get install chromium) or set CHROMIUM_PATH.'
    )
  return found
}

/** The page GitHub would show: each step's summary, rendered as GFM, in GitHub's Markdown stylesheet. */
export function summaryPage(caption: string, summaries: Array<{ step: string; markdown: string }>): string {
  const require = createRequire(import.meta.url)
  const css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8')
  const sections = summaries
    .map(
      ({ step, markdown }) =>
        `<section><p class="step">${step}</p><article class="markdown-body">${marked.parse(markdown, { gfm: true, async: false })}</article></section>`
    )
    .join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body { margin: 0; padding: 24px; background: #f6f8fa; font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
h1.caption { font-size: 16px; font-weight: 600; color: #1f2328; margin: 0 0 16px; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 16px 24px; margin-bottom: 16px; }
p.step { font-size: 12px; color: #59636e; margin: 0 0 8px; font-family: ui-monospace, monospace; }
</style></head><body><h1 class="caption">${caption}</h1>${sections}</body></html>`
}

function runDemo(scenario: string, dir: string): void {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts'), '--scenario', scenario, '--summaries', dir],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 }
  )
  if (result.error) throw result.error
  if (readdirSync(dir).length === 0)
    throw new Error(`the demo scenario ${scenario} wrote no summary:\n${result.stdout}\n${result.stderr}`)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', multiple: true },
      out: { type: 'string', default: join(ROOT, 'docs', 'images') }
    }
  })
  const scenarios = values.scenario ?? Object.keys(PICTURES)
  const out = resolve(values.out)
  mkdirSync(out, { recursive: true })
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // root in a container has no user namespaces for Chromium's sandbox; the page is our own local HTML
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=full', '--disable-lcd-text']
  })
  const work = mkdtempSync(join(tmpdir(), 'screenshots-'))
  try {
    for (const scenario of scenarios) {
      const picture = PICTURES[scenario]
      if (!picture) throw new Error(`no picture is defined for scenario "${scenario}"`)
      const dir = join(work, scenario)
      mkdirSync(dir)
      console.log(`${scenario}: running the demo…`)
      runDemo(scenario, dir)
      const summaries = readdirSync(dir)
        .sort()
        .map(file => file.replace(/\.md$/, ''))
        .filter(step => !picture.steps || step in picture.steps)
        .map(step => ({
          step: picture.steps?.[step] ?? step.replace(/^\d+-/, ''),
          markdown: readFileSync(join(dir, `${step}.md`), 'utf8')
        }))
      if (summaries.length !== Object.keys(picture.steps ?? {}).length && picture.steps)
        throw new Error(
          `the demo scenario ${scenario} did not write the summaries of ${Object.keys(picture.steps).join(', ')}`
        )
      const page = await browser.newPage()
      // about the width of a job summary on GitHub
      await page.setViewport({ width: 900, height: 400, deviceScaleFactor: 1 })
      await page.setContent(summaryPage(picture.caption, summaries), { waitUntil: 'load' })
      // the collapsed <details> stay collapsed, as a reader first sees them
      const file = join(out, `${picture.file}.png`)
      // Chromium's 24-bit PNG, as an 8-bit palette PNG: half the bytes, the same picture
      writeFileSync(file, toPalettePng(Buffer.from(await page.screenshot({ fullPage: true }))))
      await page.close()
      console.log(`${scenario}: ${file}`)
    }
  } finally {
    await browser.close()
    rmSync(work, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
