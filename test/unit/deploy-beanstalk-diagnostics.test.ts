/**
 * The pure parts of issue 24: which log files explain a failed deploy and how many lines of each are shown (tail.ts),
 * when every instance has answered a tail request and which URLs are read (fetch.ts), the `log-lines` input, the
 * masking of log text (common/secrets.ts), the summary's blocks (diagnostics/index.ts), and, for a cancelled run,
 * whose update the environment is running (cancel/decide.ts), the saved state, and the signal that stops a step.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mockCore } from '../helpers/core-fixture.js'

await mockCore()
const { excerpt, explainingFiles, fullText, lastLines, parseTail } =
  await import('../../src/deploy-beanstalk/diagnostics/tail.js')
const { completeAnswers, readableUrl } = await import('../../src/deploy-beanstalk/diagnostics/fetch.js')
const { parseLogLines } = await import('../../src/deploy-beanstalk/diagnostics/inputs.js')
const { logDetails } = await import('../../src/deploy-beanstalk/diagnostics/index.js')
const { addSecret, clearSecrets, maskAll } = await import('../../src/common/secrets.js')
const { ownUpdate } = await import('../../src/deploy-beanstalk/cancel/decide.js')
const { readStarted } = await import('../../src/deploy-beanstalk/cancel/state.js')
const { StoppedBySignal, stopOnSignal } = await import('../../src/deploy-beanstalk/cancel/signals.js')

const RULE = '----------------------------------------'
const tail = [
  RULE,
  '/var/log/nginx/access.log',
  RULE,
  'GET / 502',
  '',
  RULE,
  '/var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log',
  RULE,
  'web-1  | Error: connect ECONNREFUSED',
  RULE,
  '/var/log/eb-engine.log',
  RULE,
  ...Array.from({ length: 8 }, (_, i) => `engine line ${i + 1}`),
  '',
  ''
].join('\r\n')

describe('the tail logs (tail.ts)', () => {
  it('splits a tail into its files, by the path between two rules of dashes, trailing blank lines dropped', () => {
    const files = parseTail(tail)
    expect(files.map(f => [f.path, f.lines.length])).toEqual([
      ['/var/log/nginx/access.log', 1],
      ['/var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log', 1],
      ['/var/log/eb-engine.log', 8]
    ])
    // text before any header is kept, as a file of its own
    expect(parseTail('just a line\n')).toEqual([{ path: '(tail)', lines: ['just a line'] }])
    expect(parseTail('')).toEqual([])
  })

  it('shows eb-engine.log first, then the containers’ logs, the last N lines of each; other files only in the file', () => {
    const files = parseTail(tail)
    expect(explainingFiles(files).map(f => f.path)).toEqual([
      '/var/log/eb-engine.log',
      '/var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log'
    ])
    const [shown] = excerpt([{ instanceId: 'i-1', files }], 3)
    expect(shown.files[0].lines).toEqual(['engine line 6', 'engine line 7', 'engine line 8'])
    expect(lastLines(['a', 'b'], 5)).toEqual(['a', 'b'])
    expect(lastLines(['a', 'b'], 0)).toEqual([])
    const all = fullText([{ instanceId: 'i-1', files }])
    expect(all).toContain('==== i-1 ====')
    expect(all).toContain('---- /var/log/nginx/access.log ----\nGET / 502')
    expect(all).toContain('engine line 1\n')
  })
})

describe('the answers to a tail request (fetch.ts)', () => {
  const at = (s: number) => new Date(1_700_000_000_000 + s * 1000)
  const requested = at(0).getTime()
  const answer = (instanceId: string, s: number) => ({
    instanceId,
    url: `https://s3/${instanceId}/${s}`,
    sampled: at(s)
  })

  it('waits until a round brings no instance the round before had not, then takes each instance’s newest', () => {
    const answers = [answer('i-b', 3), answer('i-a', 2), answer('i-a', 4)]
    expect(completeAnswers(answers, requested, undefined)).toBeUndefined() // the first round: maybe more coming
    expect(completeAnswers(answers, requested, new Set(['i-a']))).toBeUndefined() // i-b is new
    expect(completeAnswers(answers, requested, new Set(['i-a', 'i-b']))).toEqual([
      answer('i-a', 4),
      answer('i-b', 3)
    ])
  })

  it('ignores the answers of an earlier request (older than ours, beyond a small clock margin)', () => {
    expect(completeAnswers([answer('i-a', -600)], requested, new Set(['i-a']))).toBeUndefined()
    expect(completeAnswers([answer('i-a', -2)], requested, new Set(['i-a']))).toHaveLength(1)
  })

  it('reads https URLs, and plain http only on a loopback host', () => {
    expect(readableUrl('https://bucket.s3.amazonaws.com/k?X-Amz-Signature=1')?.hostname).toBe(
      'bucket.s3.amazonaws.com'
    )
    expect(readableUrl('http://127.0.0.1:9000/bucket/key')).toBeDefined()
    expect(readableUrl('http://bucket.s3.amazonaws.com/key')).toBeUndefined()
    expect(readableUrl('file:///etc/passwd')).toBeUndefined()
    expect(readableUrl('not a url')).toBeUndefined()
  })
})

describe('log-lines', () => {
  it('is a whole number from 0 (no logs) to 1000, 100 by default', () => {
    expect(['', '0', '250', '1000'].map(parseLogLines)).toEqual([100, 0, 250, 1000])
    for (const bad of ['1001', '-1', '1.5', 'all', '10 lines'])
      expect(() => parseLogLines(bad)).toThrow(
        `Input 'log-lines' is "${bad}": expected a whole number of lines from 0 (no logs) to 1000, such as 100.`
      )
  })
})

describe('masking log text (common/secrets.ts maskAll)', () => {
  const write = process.stdout.write
  beforeEach(() => {
    process.stdout.write = (() => true) as typeof process.stdout.write
  })
  afterEach(() => {
    process.stdout.write = write
    clearSecrets()
  })

  it('masks every registered value and everything shaped like a secret, and leaves the rest', () => {
    addSecret('plain-but-registered')
    const line =
      'db plain-but-registered token ghp_A1b2C3d4E5A1b2C3d4E5A1b2C3d4E5A1b2C3d4E5 password=hunter22 key AKIAABCDEFGHIJKLMNOP ok'
    expect(maskAll(line)).toBe('db *** token *** password=*** key *** ok')
  })
})

describe('the summary’s blocks (logDetails)', () => {
  it('one collapsed block per instance, its files under their paths in one fenced block; a tail without them says so', () => {
    const details = logDetails({
      lines: 100,
      shown: [
        {
          instanceId: 'i-1',
          files: [
            { path: '/var/log/eb-engine.log', lines: ['a ``` b', 'c'] },
            { path: '/var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log', lines: ['web-1  | up'] }
          ]
        },
        { instanceId: 'i-2', files: [] }
      ]
    })
    expect(details.map(d => d.title)).toEqual([
      "Instance logs: i-1 (the last 100 lines of eb-engine.log and the containers' logs)",
      "Instance logs: i-2 (the last 100 lines of eb-engine.log and the containers' logs)"
    ])
    expect(details[0].body).toBe(
      [
        '```text',
        '==> /var/log/eb-engine.log <==',
        "a ''' b",
        'c',
        '',
        '==> /var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log <==',
        'web-1  | up',
        '```'
      ].join('\n')
    )
    expect(details[1].body).toMatch(/^- No eb-engine\.log or container log in its tail/)
    expect(logDetails(undefined)).toEqual([])
  })
})

describe('whose update is running (cancel/decide.ts)', () => {
  const since = '2026-12-07T10:00:00.000Z'
  const started = {
    region: 'eu-central-1',
    application: 'BrillianCRM',
    environmentId: 'e-abcd123456',
    environmentName: 'BrillianCRM-env',
    label: 'v2',
    requestId: 'req-mine',
    since
  }
  const env = (status: string) => ({
    id: 'e-abcd123456',
    name: 'BrillianCRM-env',
    application: 'BrillianCRM',
    status,
    health: 'Grey',
    versionLabel: 'v1'
  })
  const event = (seconds: number, requestId?: string, versionLabel?: string) => ({
    date: new Date(Date.parse(since) + seconds * 1000),
    message: 'Environment update is starting.',
    severity: 'INFO',
    requestId,
    versionLabel
  })

  it('aborts when the newest event with a request id since this run’s request is this run’s', () => {
    const verdict = ownUpdate(started, env('Updating'), [event(1, 'req-mine', 'v2'), event(5, undefined)])
    expect(verdict).toEqual({
      abort: true,
      detail: 'the update of BrillianCRM-env to v2 is still running'
    })
  })

  it('never aborts another update: a newer request, no telling event, an ended update, no environment', () => {
    const other = ownUpdate(started, env('Updating'), [
      event(1, 'req-mine', 'v2'),
      event(9, 'req-other', 'v3')
    ])
    expect(other).toEqual({ abort: false, detail: expect.stringContaining('request req-other, version v3') })
    // an event from before this run's request is another update's, whatever it says
    expect(ownUpdate(started, env('Updating'), [event(-5, 'req-mine')]).abort).toBe(false)
    expect(ownUpdate(started, env('Updating'), []).abort).toBe(false)
    expect(ownUpdate(started, env('Ready'), [event(1, 'req-mine')])).toEqual({
      abort: false,
      detail: expect.stringContaining('is Ready (health Grey, running v1)')
    })
    expect(ownUpdate(started, undefined, []).abort).toBe(false)
  })

  it('without the request id (its reply was lost), tells by the version the update deploys', () => {
    const lost = { ...started, requestId: undefined }
    expect(ownUpdate(lost, env('Updating'), [event(1, 'req-x', 'v2')]).abort).toBe(true)
    expect(ownUpdate(lost, env('Updating'), [event(1, 'req-x', 'v3')]).abort).toBe(false)
    expect(ownUpdate({ ...lost, label: undefined }, env('Updating'), [event(1, 'req-x')]).abort).toBe(false)
  })

  it('reads the saved state back, and nothing from an empty or broken one', () => {
    expect(readStarted(JSON.stringify(started))).toEqual(started)
    expect(readStarted('')).toBeUndefined()
    expect(readStarted('{not json')).toBeUndefined()
    expect(readStarted(JSON.stringify({ region: 'eu-central-1' }))).toBeUndefined()
  })
})

describe('a signal while the step waits (cancel/signals.ts)', () => {
  it('ends main at once with StoppedBySignal, and tells which signal came', async () => {
    let finish: () => void = () => undefined
    const action = stopOnSignal({
      record: () => ({}),
      main: () => new Promise<void>(resolve => (finish = resolve)),
      report: () => undefined
    })
    const running = action.main({})
    process.emit('SIGTERM')
    await expect(running).rejects.toBeInstanceOf(StoppedBySignal)
    await expect(running).rejects.toMatchObject({ title: 'Cancelled', signal: 'SIGTERM' })
    expect(action.signal()).toBe('SIGTERM')
    finish()
  })
})
