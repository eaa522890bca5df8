/**
 * deploy.yml's check of the deploy role's trust policy (issue 20, finding 3), the real `run:` script with a stub
 * aws CLI: the deploy job's subject is derived from the check job's own sub claim, so the default format
 * (repo:OWNER/REPO:…), the ID-based one (repo:OWNER@ID/REPO@ID:…) and a customised one (include_claim_keys
 * repo, context, job_workflow_ref) are each checked as GitHub will issue them; a role that also trusts another
 * environment of the repository (the production + staging role the docs warn against) or another repository is
 * refused before the build.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load, read, runScript, scriptOf } from '../helpers/workflow.js'

const workflow = load('.github/workflows/deploy.yml')
const STEP = 'The deploy role trusts this environment, and only it'
const github = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'
const aud = { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }
const sub = (value: string | string[]) => ({ 'token.actions.githubusercontent.com:sub': value })
const trusting = (conditions: Record<string, Record<string, string | string[]>>) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: github },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: conditions
    }
  ]
})

const pinned = 'job_workflow_ref:imbit/actions/.github/workflows/deploy.yml@refs/tags/v1.4.2'
/** The check job's own sub claim (on main), and the deploy job's in the environment, per format. */
const formats = {
  default: {
    check: 'repo:imbit/BrillianCRM:ref:refs/heads/main',
    deploy: 'repo:imbit/BrillianCRM:environment:BrillianCRM-env'
  },
  'ID-based': {
    check: 'repo:imbit@1342004/BrillianCRM@735124312:ref:refs/heads/main',
    deploy: 'repo:imbit@1342004/BrillianCRM@735124312:environment:BrillianCRM-env'
  },
  'customised (repo, context, job_workflow_ref)': {
    check: `repo:imbit/BrillianCRM:ref:refs/heads/main:${pinned}`,
    deploy: `repo:imbit/BrillianCRM:environment:BrillianCRM-env:${pinned}`
  },
  'customised and ID-based': {
    check: `repo:imbit@1342004/BrillianCRM@735124312:ref:refs/heads/main:${pinned}`,
    deploy: `repo:imbit@1342004/BrillianCRM@735124312:environment:BrillianCRM-env:${pinned}`
  }
}

let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trust-check-'))
  writeFileSync(
    join(dir, 'aws'),
    '#!/bin/bash\necho "$*" >> "$AWS_STUB_LOG"\nif [ -n "$AWS_STUB_ERROR" ]; then echo "$AWS_STUB_ERROR" >&2; exit 254; fi\ncat "$AWS_STUB_DOCUMENT"\n',
    { mode: 0o755 }
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function check(document: unknown, subject: string, ref = 'refs/heads/main') {
  const file = join(dir, 'document.json')
  const log = join(dir, 'calls.log')
  writeFileSync(file, JSON.stringify(document))
  writeFileSync(log, '')
  const result = await runScript(scriptOf(workflow, 'check', STEP), {
    PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    AWS_STUB_DOCUMENT: file,
    AWS_STUB_LOG: log,
    AWS_STUB_ERROR: '',
    ROLE_ARN: 'arn:aws:iam::123456789012:role/github-deploy-brilliancrm',
    ENVIRONMENT: 'BrillianCRM-env',
    SUBJECT: subject,
    CALLER_REF: ref
  })
  return { ...result, calls: readFileSync(log, 'utf8') }
}
const errors = (result: Awaited<ReturnType<typeof check>>) =>
  result.annotations.filter(a => a.level === 'error')

describe("deploy.yml's trust check reads the subject format from the check job's token", () => {
  it('gives the step the sub claim the own-commit step decoded, and the caller’s ref', () => {
    const step = (workflow.jobs.check.steps ?? []).find(s => s.name === STEP)
    expect(step?.env).toMatchObject({
      SUBJECT: '${{ steps.self.outputs.subject }}',
      CALLER_REF: '${{ github.ref }}'
    })
    expect(scriptOf(workflow, 'check', 'self')).toContain(`subject="$(jq -r '.sub // empty' <<< "$claims")"`)
    expect(scriptOf(workflow, 'check', 'self')).toContain('echo "subject=$subject"')
  })

  it.each(Object.entries(formats))(
    'passes a role trusting exactly the deploy job’s subject in the %s format',
    async (_, { check: subject, deploy }) => {
      const result = await check(trusting({ StringEquals: { ...aud, ...sub(deploy) } }), subject)
      expect([result.status, errors(result)]).toEqual([0, []])
      expect(result.stdout).toContain(`can be assumed by the deploy job in BrillianCRM-env (${deploy})`)
    }
  )

  it.each(Object.entries(formats).filter(([name]) => name !== 'default'))(
    'refuses, before the build, a default-format role when the repository issues the %s format',
    async (_, { check: subject, deploy }) => {
      const result = await check(JSON.parse(read('docs/iam/deploy-trust-policy.json')), subject)
      expect(result.status).toBe(1)
      expect(errors(result)).toEqual([
        expect.objectContaining({
          title: 'Deploy role does not trust the environment',
          message: expect.stringContaining(`(sub "${deploy}", aud sts.amazonaws.com)`)
        })
      ])
    }
  )

  it('passes the pinned trust policy of the docs for the customised subject', async () => {
    const policy = JSON.parse(read('docs/iam/deploy-trust-policy-pinned.json')) as {
      Statement: { Condition: { StringEquals: Record<string, string> } }[]
    }
    const trusted = policy.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']
    const workflowRef = trusted.slice(trusted.indexOf(':job_workflow_ref:') + 1)
    const result = await check(policy, `repo:imbit/BrillianCRM:ref:refs/heads/main:${workflowRef}`)
    expect([result.status, errors(result), result.annotations]).toEqual([0, [], []])
  })

  it('notes when the trust is not pinned to the workflow (the default subject)', async () => {
    const { check: subject, deploy } = formats.default
    const result = await check(trusting({ StringEquals: { ...aud, ...sub(deploy) } }), subject)
    expect(result.annotations).toEqual([
      expect.objectContaining({ level: 'notice', title: 'Deploy role not pinned to the workflow' })
    ])
  })

  it('refuses a role pinned to another version of the workflow than the one this run uses', async () => {
    const { check: subject, deploy } = formats['customised (repo, context, job_workflow_ref)']
    const older = deploy.replace('v1.4.2', 'v1.3.0')
    const result = await check(trusting({ StringEquals: { ...aud, ...sub(older) } }), subject)
    expect(result.status).toBe(1)
    expect(errors(result).map(a => a.title)).toEqual(['Deploy role does not trust the environment'])
  })

  it('refuses a customised subject without the context claim (it cannot tell the environment)', async () => {
    const result = await check(
      trusting({ StringEquals: { ...aud, ...sub('repo:imbit/BrillianCRM') } }),
      `repo:imbit/BrillianCRM:${pinned}`
    )
    expect(result.status).toBe(1)
    expect(errors(result)).toEqual([
      expect.objectContaining({
        title: 'Unknown subject format',
        message: expect.stringContaining('include "context"')
      })
    ])
    expect(result.calls).toBe('')
  })
})

describe("deploy.yml's trust check refuses a role that trusts anything else", () => {
  it.each(Object.entries(formats))(
    'refuses the production role that also trusts staging (two environments), %s format',
    async (_, { check: subject, deploy }) => {
      const staging = deploy.replace('environment:BrillianCRM-env', 'environment:BrillianCRM-staging')
      const result = await check(trusting({ StringEquals: { ...aud, ...sub([deploy, staging]) } }), subject)
      expect(result.status).toBe(1)
      expect(errors(result)).toEqual([
        expect.objectContaining({
          title: 'Deploy role can be assumed outside the environment',
          message: expect.stringContaining(`${staging} (another environment of this repository)`)
        })
      ])
    }
  )

  it('refuses a role that also trusts another repository', async () => {
    const { check: subject, deploy } = formats.default
    const other = 'repo:imbit/Other:ref:refs/heads/main'
    const result = await check(trusting({ StringEquals: { ...aud, ...sub([other, deploy]) } }), subject)
    expect(result.status).toBe(1)
    expect(errors(result)[0].message).toContain(`${other} (another repository)`)
  })

  it('refuses a second statement trusting another environment', async () => {
    const { check: subject, deploy } = formats.default
    const document = trusting({ StringEquals: { ...aud, ...sub(deploy) } })
    document.Statement.push({
      ...document.Statement[0],
      Condition: {
        StringEquals: { ...aud, ...sub('repo:imbit/BrillianCRM:environment:BrillianCRM-staging') }
      }
    })
    const result = await check(document, subject)
    expect(result.status).toBe(1)
    expect(errors(result)[0].message).toContain(
      'repo:imbit/BrillianCRM:environment:BrillianCRM-staging (another environment of this repository)'
    )
  })

  it.each([
    ['every environment of the repository', 'repo:imbit/BrillianCRM:environment:*'],
    ['every workflow ref of the environment', 'repo:imbit/BrillianCRM:environment:BrillianCRM-env*'],
    ['the whole organisation', 'repo:imbit/*']
  ])('refuses a wildcard over %s', async (_, pattern) => {
    const result = await check(
      trusting({ StringEquals: aud, StringLike: sub(pattern) }),
      formats.default.check
    )
    expect(result.status).toBe(1)
    expect(errors(result).map(a => a.title)).toEqual(['Deploy role can be assumed outside the environment'])
  })

  it('refuses a statement with no sub condition at all (any GitHub repository)', async () => {
    const result = await check(trusting({ StringEquals: aud }), formats.default.check)
    expect(result.status).toBe(1)
    expect(errors(result)[0].message).toContain('(another repository)')
  })

  it('works out the subject on a pull request run as well', async () => {
    const result = await check(
      trusting({ StringEquals: { ...aud, ...sub(formats.default.deploy) } }),
      'repo:imbit/BrillianCRM:pull_request',
      'refs/pull/7/merge'
    )
    expect([result.status, errors(result)]).toEqual([0, []])
  })
})
