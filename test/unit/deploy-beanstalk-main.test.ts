/**
 * The whole story in process: the action with mocked Beanstalk and S3 clients, a fake clock and a stand-in for the
 * bundle module, to check the wiring (label from GITHUB_SHA and the bundle's sha256, key, description from
 * the push event, dry run, redeploy). The real bundle module and sandbox run in the e2e tests.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { fakeClock, environmentDescription } from '../helpers/fakes.js'
import {
  CreateApplicationVersionCommand,
  CreateStorageLocationCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  UpdateEnvironmentCommand
} from '@aws-sdk/client-elastic-beanstalk'
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputFile } from '../../sandbox/index.js'

const ZIP = Buffer.from('PK fake zip for the wiring test')
const ZIP_SHA = createHash('sha256').update(ZIP).digest('hex')
const zipWrites: string[] = []

// The real bundle code (compose pinning, contents), with a stand-in for the zip writer.
jest.unstable_mockModule('../../src/deploy-beanstalk/bundle/zip.js', () => ({
  writeDeterministicZip: async (_entries: unknown[], outPath: string) => {
    zipWrites.push(outPath)
    writeFileSync(outPath, ZIP)
    return { path: outPath, sha256: ZIP_SHA, size: ZIP.length, entries: ['docker-compose.yml'] }
  }
}))

const { deployBeanstalk } = await import('../../src/deploy-beanstalk/main.js')
const { BeanstalkGateway } = await import('../../src/deploy-beanstalk/aws/beanstalk.js')
const { StorageGateway } = await import('../../src/deploy-beanstalk/aws/s3.js')

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }
const SHA = 'abcdef0123456789abcdef0123456789abcdef01'
const LABEL = `abcdef0-${ZIP_SHA.slice(0, 8)}`
const env = environmentDescription

let dir: string
let ebClient: ElasticBeanstalkClient
let s3Client: S3Client
let eb: AwsClientStub<ElasticBeanstalkClient>
let s3: AwsClientStub<S3Client>
let stdout: jest.SpiedFunction<typeof process.stdout.write>
const saved = { ...process.env }

beforeEach(() => {
  zipWrites.length = 0
  dir = mkdtempSync(join(tmpdir(), 'deploy-beanstalk-main-'))
  writeFileSync(
    join(dir, 'docker-compose.yml'),
    'services:\n  web:\n    image: ghcr.io/imbit/demo-app:latest\n'
  )
  writeFileSync(
    join(dir, 'event.json'),
    JSON.stringify({ head_commit: { message: 'Fix the login page\n\nlong body' } })
  )
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name]
  Object.assign(process.env, {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    GITHUB_SHA: SHA,
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    AWS_REGION: 'eu-central-1',
    'INPUT_APPLICATION-NAME': 'BrillianCRM',
    'INPUT_ENVIRONMENT-NAME': 'BrillianCRM-env'
  })
  writeFileSync(join(dir, 'output'), '')
  writeFileSync(join(dir, 'summary'), '')
  ebClient = new ElasticBeanstalkClient({ region: 'eu-central-1', credentials })
  s3Client = new S3Client({ region: 'eu-central-1', credentials })
  eb = mockClient(ebClient)
  s3 = mockClient(s3Client)
  eb.on(DescribeApplicationsCommand).resolves({ Applications: [{ ApplicationName: 'BrillianCRM' }] })
  eb.on(DescribeApplicationVersionsCommand).resolves({ ApplicationVersions: [] })
  eb.on(DescribeEventsCommand).resolves({ Events: [] })
  eb.on(CreateStorageLocationCommand).resolves({ S3Bucket: 'elasticbeanstalk-eu-central-1-123456789012' })
  eb.on(UpdateEnvironmentCommand).resolves(env({ Status: 'Updating' }))
  s3.on(HeadObjectCommand).rejects(
    Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } })
  )
  s3.on(PutObjectCommand).resolves({})
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(() => {
  stdout.mockRestore()
  rmSync(dir, { recursive: true, force: true })
  process.env = { ...saved }
})

async function runIt() {
  const clock = fakeClock()
  const action = deployBeanstalk({
    clock,
    env: process.env,
    gatewayFor: region => new BeanstalkGateway(region, ebClient, clock),
    storageFor: region => new StorageGateway(region, { client: s3Client })
  })
  // the story and its one report, as runAction runs them; the story's error is the test's
  const run = action.record()
  const error = await action.main(run).then(
    () => undefined,
    (e: unknown) => e
  )
  await action.report(run, error)
  if (error !== undefined) throw error
  return parseOutputFile(readFileSync(join(dir, 'output'), 'utf8'))
}

const mutating = () => [
  ...eb.commandCalls(CreateStorageLocationCommand),
  ...eb.commandCalls(CreateApplicationVersionCommand),
  ...eb.commandCalls(UpdateEnvironmentCommand),
  ...s3.commandCalls(PutObjectCommand)
]

describe('deploy-beanstalk in process', () => {
  it('labels the version <short sha>-<bundle sha256>, uploads to <app>/<label>.zip, describes it with the commit subject', async () => {
    process.env.INPUT_IMAGE = 'ghcr.io/imbit/demo-app:abc'
    eb.on(DescribeEnvironmentsCommand)
      .resolvesOnce({ Environments: [env()] })
      .resolvesOnce({ Environments: [env({ Status: 'Updating' })] })
      .resolves({ Environments: [env({ VersionLabel: LABEL })] })
    eb.on(DescribeApplicationVersionsCommand)
      .resolvesOnce({ ApplicationVersions: [] })
      .resolves({ ApplicationVersions: [{ VersionLabel: LABEL, Status: 'Processed' }] })
    eb.on(CreateApplicationVersionCommand).resolves({
      ApplicationVersion: { VersionLabel: LABEL, Status: 'Processing' }
    })
    const outputs = await runIt()
    expect(zipWrites).toHaveLength(1)
    expect(outputs).toMatchObject({
      'version-label': LABEL,
      deployed: 'true',
      'bundle-sha256': ZIP_SHA,
      'previous-version-label': 'v1'
    })
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input
    expect([put.Bucket, put.Key, put.Metadata]).toEqual([
      'elasticbeanstalk-eu-central-1-123456789012',
      `BrillianCRM/${LABEL}.zip`,
      { sha256: ZIP_SHA }
    ])
    expect(eb.commandCalls(CreateApplicationVersionCommand)[0].args[0].input).toMatchObject({
      ApplicationName: 'BrillianCRM',
      VersionLabel: LABEL,
      Description: `Fix the login page [bundle sha256:${ZIP_SHA}]`, // the record a promotion checks
      SourceBundle: {
        S3Bucket: 'elasticbeanstalk-eu-central-1-123456789012',
        S3Key: `BrillianCRM/${LABEL}.zip`
      },
      Process: true
    })
    expect(eb.commandCalls(UpdateEnvironmentCommand)[0].args[0].input).toEqual({
      EnvironmentId: 'e-crm0000001',
      VersionLabel: LABEL
    })
    expect(readFileSync(join(dir, 'summary'), 'utf8')).toMatch(
      new RegExp(
        `^### ✅ Elastic Beanstalk\\n\\n\`${LABEL}\` runs on BrillianCRM-env, Green, after \\S+ — previously \`v1\`\\.`
      )
    )
    expect(process.exitCode ?? 0).toBe(0)
  })

  it('dry run: the plan and outputs, no mutating call', async () => {
    process.env['INPUT_DRY-RUN'] = 'true'
    eb.on(DescribeEnvironmentsCommand).resolves({ Environments: [env()] })
    const outputs = await runIt()
    expect(outputs).toMatchObject({
      deployed: 'false',
      'version-label': LABEL,
      'environment-url': 'http://crm.eu-central-1.elasticbeanstalk.com',
      health: 'Green'
    })
    expect(mutating()).toEqual([])
  })

  it('redeploy by label: no bundle, no upload, no new version', async () => {
    process.env['INPUT_VERSION-LABEL'] = 'v0'
    eb.on(DescribeApplicationVersionsCommand).resolves({
      ApplicationVersions: [
        {
          VersionLabel: 'v0',
          Status: 'Processed',
          Description: 'old one',
          SourceBundle: { S3Bucket: 'b', S3Key: 'BrillianCRM/v0.zip' }
        }
      ]
    })
    eb.on(DescribeEnvironmentsCommand)
      .resolvesOnce({ Environments: [env()] })
      .resolvesOnce({ Environments: [env({ Status: 'Updating' })] })
      .resolves({ Environments: [env({ VersionLabel: 'v0' })] })
    const outputs = await runIt()
    expect(outputs).toMatchObject({ deployed: 'true', 'version-label': 'v0', 'bundle-sha256': '' })
    expect(zipWrites).toEqual([])
    expect(s3.commandCalls(PutObjectCommand)).toEqual([])
    expect(eb.commandCalls(CreateApplicationVersionCommand)).toEqual([])
    expect(eb.commandCalls(UpdateEnvironmentCommand)).toHaveLength(1)
  })

  it('require-existing-version and a label that does not exist: fails before anything is built or changed', async () => {
    process.env['INPUT_VERSION-LABEL'] = 'v9'
    process.env['INPUT_REQUIRE-EXISTING-VERSION'] = 'true'
    eb.on(DescribeEnvironmentsCommand).resolves({ Environments: [env()] })
    await expect(runIt()).rejects.toThrow(
      'Application "BrillianCRM" in eu-central-1 has no version "v9" to redeploy (require-existing-version is true), so nothing was built or changed. Check the label (Beanstalk console → Application versions) and the application name.'
    )
    expect(eb.commandCalls(DescribeApplicationVersionsCommand).map(c => c.args[0].input)).toEqual([
      { ApplicationName: 'BrillianCRM', VersionLabels: ['v9'] }
    ])
    expect(zipWrites).toEqual([])
    expect(mutating()).toEqual([])
  })

  it('without require-existing-version, a label that does not exist becomes a new version when image pins what is built', async () => {
    process.env['INPUT_VERSION-LABEL'] = 'v9'
    process.env.INPUT_IMAGE = 'ghcr.io/imbit/demo-app:0123456789abcdef0123456789abcdef01234567'
    process.env['INPUT_DRY-RUN'] = 'true'
    eb.on(DescribeEnvironmentsCommand).resolves({ Environments: [env()] })
    const outputs = await runIt()
    expect(outputs['version-label']).toBe('v9')
    expect(zipWrites).toHaveLength(1)
    expect(mutating()).toEqual([])
  })
})
