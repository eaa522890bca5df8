/**
 * The instances' tail logs (logs.ts) through the real SDK v3 client: RequestEnvironmentInfo, then
 * RetrieveEnvironmentInfo answering one pre-signed S3 URL per instance once they have answered; the URL reads the
 * log from the sandbox's S3 as any HTTP client would; the scenario can deny the request or never answer it.
 */
import { describe, expect, it } from '@jest/globals'
import {
  RequestEnvironmentInfoCommand,
  RetrieveEnvironmentInfoCommand,
  UpdateEnvironmentCommand
} from '@aws-sdk/client-elastic-beanstalk'
import type { SandboxScenario } from '../index.js'
import { beanstalkClient, Clock, failure, sandboxesClosedAfterEach } from './clients.js'

const sandbox = sandboxesClosedAfterEach()
const ENV = 'BrillianCRM-env'

const scenario = (more: Partial<SandboxScenario> = {}): SandboxScenario => ({
  name: 'logs',
  applications: [
    {
      name: 'BrillianCRM',
      versions: [{ label: 'v0' }, { label: 'v1' }],
      environments: [
        {
          name: ENV,
          versionLabel: 'v0',
          update: { durationMs: 1000, outcome: 'fail' },
          environmentVariables: { API_BASE: 'https://api.example/v2' }
        }
      ]
    }
  ],
  ...more
})

describe('RequestEnvironmentInfo and RetrieveEnvironmentInfo (tail)', () => {
  it('answer each instance’s tail after a moment, as a pre-signed URL to the storage bucket', async () => {
    const clock = new Clock()
    const box = await sandbox(scenario({ tailLogs: { instances: 2, answerAfterMs: 3000 } }), clock)
    const eb = beanstalkClient(box)
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: ENV, VersionLabel: 'v1' }))
    clock.advance(2000) // the update has failed
    await eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: ENV, InfoType: 'tail' }))
    const early = await eb.send(
      new RetrieveEnvironmentInfoCommand({ EnvironmentName: ENV, InfoType: 'tail' })
    )
    expect(early.EnvironmentInfo).toEqual([])
    clock.advance(3000)
    const out = await eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentName: ENV, InfoType: 'tail' }))
    const infos = out.EnvironmentInfo ?? []
    expect(infos.map(i => [i.InfoType, i.Ec2InstanceId?.length, i.SampleTimestamp?.getTime()])).toEqual([
      ['tail', 19, clock.time],
      ['tail', 19, clock.time]
    ])
    const id = box.environment(ENV)?.id ?? ''
    const url = new URL(infos[0].Message ?? '')
    expect(url.origin).toBe(box.s3Url)
    expect(url.pathname).toBe(
      `/${box.storageBucket()}/resources/environments/logs/tail/${id}/${infos[0].Ec2InstanceId}/TailLogs-${clock.time}.out`
    )
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256')
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900')
    // anyone holding the URL reads the log: no credentials, no SDK
    const text = await (await fetch(url)).text()
    expect(text.split('\n').slice(0, 3)).toEqual([
      '----------------------------------------',
      '/var/log/eb-engine.log',
      '----------------------------------------'
    ])
    expect(text).toContain('[ERROR] An error occurred during execution of command [app-deploy]')
    expect(text).toContain('/var/log/eb-docker/containers/eb-current-app/eb-stdouterr.log')
    expect(text).toContain('read API_BASE from the environment: https://api.example/v2')
  })

  it('a healthy environment’s engine log says the deployment completed', async () => {
    const clock = new Clock()
    const box = await sandbox(scenario(), clock)
    const eb = beanstalkClient(box)
    await eb.send(new RequestEnvironmentInfoCommand({ EnvironmentName: ENV, InfoType: 'tail' }))
    clock.advance(2000)
    const out = await eb.send(new RetrieveEnvironmentInfoCommand({ EnvironmentName: ENV, InfoType: 'tail' }))
    const text = await (await fetch(out.EnvironmentInfo?.[0].Message ?? '')).text()
    expect(text).toContain('Instance deployment completed successfully.')
    expect(text).not.toContain('[ERROR]')
  })

  it('a scenario can deny the request, or leave it unanswered', async () => {
    const denied = beanstalkClient(await sandbox(scenario({ tailLogs: { behaviour: 'denied' } })))
    const error = await failure(
      denied.send(new RequestEnvironmentInfoCommand({ EnvironmentName: ENV, InfoType: 'tail' }))
    )
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403])
    expect(error.message).toContain('elasticbeanstalk:RequestEnvironmentInfo')
    const clock = new Clock()
    const never = beanstalkClient(await sandbox(scenario({ tailLogs: { behaviour: 'never' } }), clock))
    await never.send(new RequestEnvironmentInfoCommand({ EnvironmentName: ENV, InfoType: 'tail' }))
    clock.advance(600_000)
    const out = await never.send(
      new RetrieveEnvironmentInfoCommand({ EnvironmentName: ENV, InfoType: 'tail' })
    )
    expect(out.EnvironmentInfo).toEqual([])
  })
})
