/**
 * `npm run demo`: the reusable workflow's main job, offline, against the embedded local sandbox.
 * Starts the AWS sandbox (Elastic Beanstalk, S3, CloudFront on 127.0.0.1) and a GHCR stand-in, then runs the
 * real action bundles in the order .github/workflows/deploy.yml does:
 *   verify-package-public → deploy-beanstalk (examples/demo-app) → invalidate-cloudfront
 * showing their logs and each job summary. Exits non-zero when a step fails.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { inputVariables, parseOutputFile, runnerEnvironment } from '../test/helpers/run-bundle.js'
import { bold, dim, green, red, renderLogLine, renderSummary } from './render.js'

const ROOT = resolve(import.meta.dirname, '..')
interface StepResult {
  code: number | null
  outputs: Record<string, string>
}

async function runStep(
  title: string,
  action: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  workspace: string
): Promise<StepResult> {
  console.log('\n' + bold(`━━ ${title} `.padEnd(78, '━')))
  const dir = mkdtempSync(join(tmpdir(), `demo-${action}-`))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const childEnv = runnerEnvironment(dir, workspace, {
    GITHUB_REPOSITORY: 'imbit/demo-app',
    GITHUB_SHA: 'd3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0',
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_JOB: action,
    ...env,
    ...inputVariables(inputs)
  })
  const node = process.env.ACTION_NODE || process.execPath
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(node, [join(ROOT, 'dist', action, 'index.js')], {
      env: childEnv,
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let pending = ''
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const shown = renderLogLine(line)
        if (shown !== undefined) console.log(shown)
      }
    })
    child.on('error', fail)
    child.on('close', exit => {
      if (pending) console.log(renderLogLine(pending) ?? '')
      done(exit)
    })
  })
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
  const summary = readFileSync(summaryFile, 'utf8')
  if (summary.trim()) console.log('\n' + dim('  Job summary') + '\n' + renderSummary(summary))
  if (Object.keys(outputs).length > 0) {
    console.log('\n' + dim('  Outputs'))
    for (const [k, v] of Object.entries(outputs)) console.log(`    ${k} = ${v}`)
  }
  console.log(code === 0 ? green(`  ✓ ${action} succeeded`) : red(`  ✗ ${action} failed (exit ${code})`))
  rmSync(dir, { recursive: true, force: true })
  return { code, outputs }
}

async function main(): Promise<number> {
  const have = (name: string) => existsSync(join(ROOT, 'dist', name, 'index.js'))
  const { startSandbox } = await import('../test/sandbox/index.js')
  const { startGhcrStub } = await import('../test/stubs/ghcr.js')
  const sandbox = await startSandbox('default', { silent: true })
  const ghcr = await startGhcrStub()
  const workspace = mkdtempSync(join(tmpdir(), 'demo-app-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), workspace, { recursive: true })
  console.log(bold('imbit/actions demo') + dim(' — the deploy workflow against a local AWS sandbox, offline'))
  console.log(dim(`  AWS sandbox   ${sandbox.url} (Elastic Beanstalk, CloudFront), S3 ${sandbox.s3Url}`))
  console.log(dim(`  GHCR stand-in ${ghcr.registry} (registry + packages API)`))
  const env = { ...sandbox.env, GITHUB_API_URL: ghcr.apiUrl }
  let failed = false
  try {
    if (have('verify-package-public')) {
      const verify = await runStep(
        '1/3 verify-package-public: can Beanstalk pull the image anonymously?',
        'verify-package-public',
        { image: `${ghcr.registry}/imbit/demo-app:latest`, token: 'demo-token-not-a-secret', timeout: '10s' },
        env,
        workspace
      )
      failed ||= verify.code !== 0
    }
    if (!failed && have('deploy-beanstalk')) {
      const deploy = await runStep(
        '2/3 deploy-beanstalk: bundle, upload, version, deploy, follow to healthy',
        'deploy-beanstalk',
        {
          'application-name': 'BrillianCRM',
          'environment-name': 'BrillianCRM-env',
          region: 'eu-central-1',
          'compose-file': 'docker-compose.yml',
          image: 'ghcr.io/imbit/demo-app:sha-d3e0d3e',
          timeout: '2m'
        },
        env,
        workspace
      )
      failed ||= deploy.code !== 0
    }
    if (!failed && have('invalidate-cloudfront')) {
      const invalidate = await runStep(
        '3/3 invalidate-cloudfront: clear the CDN in front of the app',
        'invalidate-cloudfront',
        { domain: 'brilliancrm.com', paths: '/*', wait: 'true', timeout: '1m' },
        env,
        workspace
      )
      failed ||= invalidate.code !== 0
    }
    const mutating = sandbox.mutatingCalls().map(c => c.operation)
    console.log('\n' + bold('AWS calls that changed something: ') + (mutating.join(', ') || 'none'))
  } finally {
    await ghcr.close()
    await sandbox.close()
    rmSync(workspace, { recursive: true, force: true })
  }
  console.log(failed ? red('\nDemo failed.') : green('\nDemo finished: the app is live in the sandbox.'))
  return failed ? 1 : 0
}

process.exitCode = await main()
