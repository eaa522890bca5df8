/**
 * Masking through the real bundle: a refused input registers only whole values (and whole lines of a
 * multi-line value) of a sensible length, never a fragment such as the `=` of base64 padding, which would turn
 * every `=` in the rest of the job's log into `***`. (Issue 21.)
 */
import { describe, expect, it } from '@jest/globals'
import { errors, runBundle } from '../../sandbox/index.js'

/** The values a run registered with the runner (`::add-mask::value`). */
const masks = (stdout: string) =>
  stdout
    .split('\n')
    .filter(line => line.startsWith('::add-mask::'))
    .map(line => line.slice('::add-mask::'.length))

describe('masks of a refused input', () => {
  it('a multi-line certificate pasted into environment-variables is refused; only its whole lines are masked', async () => {
    const run = await runBundle('deploy-beanstalk', {
      inputs: {
        'application-name': 'BrillianCRM',
        'environment-name': 'BrillianCRM-env',
        region: 'eu-central-1',
        // a PEM body: base64 lines end in padding, which parses as NAME=value with the value "="
        'environment-variables': [
          'TLS_CERT=-----BEGIN CERTIFICATE-----',
          'MIIBszCCAVmgAwIBAgIUQ==',
          'MIIBszCCAVmgAwIBAgIUQ2=',
          '-----END CERTIFICATE-----'
        ].join('\n')
      },
      timeoutMs: 15_000
    })
    expect(run.code).toBe(1)
    expect(errors(run)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("Input 'environment-variables'") })
    ])
    const registered = masks(run.stdout)
    expect(registered).toEqual(
      expect.arrayContaining(['-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----'])
    )
    // no fragment: every mask is at least 4 characters with a letter or digit in it
    for (const mask of registered) expect(mask).toMatch(/^(?=.{4,})(?=.*[A-Za-z0-9]).*$/)
    expect(registered).not.toContain('=')
  })
})
