/**
 * docs/aws-setup.md as a reader runs it: every shell block of its set-up (up to "## 4. The workflow"), in the
 * page's order, as one bash script, with Debian's AWS CLI (/usr/bin/aws, 2.9: it needs `--endpoint-url`, which a
 * wrapper named `aws` adds, the only change) against the sandbox (STS, CloudFront) and an IAM stand-in that
 * records what it is sent. The page's files are a copy of docs/iam in a temporary folder; a file the page says
 * to save ("save it as `X`") is saved from the JSON block that follows. So: the placeholders are filled in
 * before any command reads the files, the fill-in command finds the account and the distribution, and every
 * policy IAM receives is the filled-in file.
 *
 * Slow by nature: the CLI is Python and takes about 1.2 s of CPU to start, once per command (about 15 of them), so
 * this test takes 15 s or more on an idle 2-core machine, several times that under load (timeout 3 min).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { startIamStub, type IamStub } from '../helpers/iam-stub.js'
import { ROOT, scenarios, startSandbox, type Sandbox } from '../../sandbox/index.js'

/** The sandbox's account: not the placeholder the page's files hold (123456789012, the sandbox's default). */
const ACCOUNT = '210987654321'

const AWS = '/usr/bin/aws'
const mustRun = process.env.CI === 'true'
const cliTest = existsSync(AWS) || mustRun ? it : it.skip
const missing = existsSync(AWS) ? '' : ' (SKIPPED: no /usr/bin/aws; apt-get install awscli)'

const page = readFileSync(join(ROOT, 'docs', 'aws-setup.md'), 'utf8')
const setUp = page.slice(0, page.indexOf('\n## 4.'))

/** The set-up's shell blocks in order (a block that only continues a command, such as `  --thumbprint-list`, is not one). */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .map(m => m[1])
    .filter(block => !/^\s/.test(block))
}

/** Files the page asks the reader to save: "save it as `NAME`" and the JSON block after it. */
function filesToSave(markdown: string): Array<[string, string]> {
  return [...markdown.matchAll(/save it as\s+`([\w.-]+)`[\s\S]*?```json\n([\s\S]*?)^```$/gm)].map(m => [
    m[1],
    m[2]
  ])
}

let box: Sandbox
let iam: IamStub
let dir: string
beforeAll(async () => {
  box = await startSandbox({ ...scenarios.default, accountId: ACCOUNT }, { silent: true })
  iam = await startIamStub()
  dir = mkdtempSync(join(tmpdir(), 'aws-setup-'))
})
afterAll(async () => {
  await box?.close()
  await iam?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe(`docs/aws-setup.md's commands, in order, against the sandbox${missing}`, () => {
  it('has set-up blocks that call AWS', () => {
    expect(shellBlocks(setUp).length).toBeGreaterThanOrEqual(4)
    expect(shellBlocks(setUp).join('\n')).toMatch(/^aws iam create-role /m)
  })

  cliTest(
    'they run as written: the placeholders filled in first, every role and policy sent with the filled-in files',
    async () => {
      const work = join(dir, 'clone')
      mkdirSync(join(work, 'docs'), { recursive: true })
      cpSync(join(ROOT, 'docs', 'iam'), join(work, 'docs', 'iam'), { recursive: true })
      // the page generates each deploy policy with this script (and the blue/green statements it imports), as a
      // clone of imbit/actions has them
      mkdirSync(join(work, 'scripts'))
      for (const script of ['deploy-policy.mjs', 'deploy-policy-blue-green.mjs'])
        cpSync(join(ROOT, 'scripts', script), join(work, 'scripts', script))
      for (const [name, text] of filesToSave(setUp)) writeFileSync(join(work, name), text)
      const bin = join(dir, 'bin')
      mkdirSync(bin)
      writeFileSync(
        join(bin, 'aws'),
        `#!/bin/bash\ncase "$1" in iam) endpoint="$IAM_ENDPOINT" ;; *) endpoint="$AWS_ENDPOINT_URL" ;; esac\nexec ${AWS} "$@" --endpoint-url "$endpoint"\n`
      )
      chmodSync(join(bin, 'aws'), 0o755)
      // the page's one GitHub call (the repository's OIDC subject): GitHub is not what this test stands in for,
      // so `gh` records what it was asked, for the assertion below
      writeFileSync(
        join(bin, 'gh'),
        `#!/bin/bash\necho "$*" >> "${join(dir, 'gh-calls')}"\ncat > /dev/null\n`
      )
      chmodSync(join(bin, 'gh'), 0o755)
      const script = ['set -e -o pipefail', ...shellBlocks(setUp)].join('\n')
      const child = spawn('bash', ['-c', script], {
        cwd: work,
        env: {
          PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
          HOME: dir,
          AWS_ENDPOINT_URL: box.url,
          IAM_ENDPOINT: iam.url,
          AWS_ACCESS_KEY_ID: box.env.AWS_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: box.env.AWS_SECRET_ACCESS_KEY,
          AWS_DEFAULT_REGION: 'eu-central-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: ''
        }
      })
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
      const code = await new Promise<number | null>(resolve => child.once('close', resolve))
      expect(code === 0 ? 'exit 0' : `exit ${code}:\n${out.slice(-3000)}`).toBe('exit 0')

      expect(readFileSync(join(dir, 'gh-calls'), 'utf8')).toContain(
        'api --method PUT repos/imbit/BrillianCRM/actions/oidc/customization/sub'
      )
      // the fill-in found the sandbox's account and brilliancrm.com's distribution, and filled every file
      expect(out).toContain(`account ${ACCOUNT}, distribution E2CRM000000001`)
      const files = readdirSync(join(work, 'docs', 'iam'))
      for (const file of files) {
        const text = readFileSync(join(work, 'docs', 'iam', file), 'utf8')
        expect({ file, left: /123456789012|E2ABCDEF123456/.test(text) }).toEqual({ file, left: false })
        expect(text).toContain(ACCOUNT)
      }
      expect(readFileSync(join(work, 'docs', 'iam', 'deploy-policy.json'), 'utf8')).toContain(
        'E2CRM000000001'
      )

      // every policy document IAM received is a filled-in file of the page
      const filled = new Map(
        [
          ...files.map(f => join('docs', 'iam', f)),
          ...filesToSave(setUp).map(([name]) => name),
          ...readdirSync(work).filter(f => f.endsWith('.json'))
        ].map(
          path =>
            [JSON.stringify(JSON.parse(readFileSync(join(work, path), 'utf8'))), path] as [string, string]
        )
      )
      const documents = iam.calls.flatMap(call =>
        ['AssumeRolePolicyDocument', 'PolicyDocument'].filter(k => k in call.params).map(k => call.params[k])
      )
      expect(documents.length).toBeGreaterThanOrEqual(4)
      for (const document of documents) {
        expect(filled.get(JSON.stringify(JSON.parse(document)))).toBeDefined()
        expect(document).not.toMatch(/123456789012|E2ABCDEF123456/)
      }
      expect(iam.calls.map(call => call.action)).toEqual(
        expect.arrayContaining([
          'CreateOpenIDConnectProvider',
          'CreateRole',
          'UpdateAssumeRolePolicy',
          'PutRolePolicy'
        ])
      )
    },
    180_000
  )
})
