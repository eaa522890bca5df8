/**
 * The configuration inputs and their difference against the environment (pure): parsing, the documented name and
 * ARN rules, the 4,096-byte limit, what is sent and how it is undone. Messages never carry a value.
 */
import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/common/errors.js'
import {
  configurationTable,
  countChanges,
  describeConfiguration,
  planConfiguration
} from '../../src/deploy-beanstalk/configuration/diff.js'
import { accountOf } from '../../src/deploy-beanstalk/configuration/index.js'
import {
  ENVIRONMENT_NAMESPACE as ENV_NS,
  SECRETS_NAMESPACE as SECRETS_NS,
  parseConfigurationInputs,
  parseOptionSettings,
  parseSecretArn,
  valuesToMask,
  type OptionSettingInput
} from '../../src/deploy-beanstalk/configuration/inputs.js'

const raw = (over: Partial<Record<string, string>> = {}) => ({
  'environment-variables': '',
  'environment-secrets': '',
  'remove-environment-variables': '',
  'option-settings': '',
  ...over
})
const SSM = 'arn:aws:ssm:eu-central-1:123456789012:parameter/crm/db-password'
const SM = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:crm/smtp-AbCd12'
const ENV = { region: 'eu-central-1', account: '123456789012' }

function thrown(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('expected a UserError')
}

describe('environment-variables', () => {
  it('NAME=value lines; blank lines and # comments ignored; = allowed in the value', () => {
    const c = parseConfigurationInputs(
      raw({ 'environment-variables': '# db\nDATABASE_URL=postgres://u:p=w@h/db\n\n  LOG_LEVEL = info  \n' })
    )
    expect([...c.variables]).toEqual([
      ['DATABASE_URL', 'postgres://u:p=w@h/db'],
      ['LOG_LEVEL', 'info']
    ])
  })

  it('masks every value, and a line without "=" whole', () => {
    expect(valuesToMask('A=one\n# c\nB=two=2\njust-a-secret\nEMPTY=')).toEqual([
      'one',
      'two=2',
      'just-a-secret'
    ])
  })

  it.each([
    ['no =', 'just-a-secret-value', /line 1: expected NAME=value/],
    [
      'a space in the name',
      'MY VAR=x',
      /"MY VAR" has " "; Beanstalk allows only letters, digits and _ \. : \/ \+ \\ - @/
    ],
    ['an empty name', '=x', /line 1: the name is empty/],
    ['a name of 129 characters', `${'N'.repeat(129)}=x`, /has 129 characters; Beanstalk allows at most 128/],
    ['a name twice', 'A=1\nA=2', /line 2: A is set twice/]
  ])('refuses %s, naming the line, never the value', (_, text, message) => {
    const error = thrown(() => parseConfigurationInputs(raw({ 'environment-variables': text })))
    expect(error.input).toBe('environment-variables')
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('just-a-secret-value')
  })

  it('accepts every character Beanstalk allows, warning when a name is not portable', () => {
    const c = parseConfigurationInputs(raw({ 'environment-variables': 'a.b:c/d+e\\f-g@h=1\nGOOD_NAME=2' }))
    expect(c.variables.size).toBe(2)
    expect(c.warnings).toEqual([
      expect.stringContaining('a.b:c/d+e\\f-g@h (environment-variables) is a valid')
    ])
  })
})

describe('environment-secrets', () => {
  it.each([
    [SSM, { service: 'ssm', region: 'eu-central-1', account: '123456789012' }],
    [SM, { service: 'secretsmanager', jsonKey: undefined }],
    [`${SM}:password`, { service: 'secretsmanager', jsonKey: 'password' }],
    ['arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x', { partition: 'aws-cn', region: 'cn-north-1' }]
  ])('parses %s', (arn, expected) => {
    expect(parseSecretArn(arn)).toMatchObject(expected)
  })

  it.each([
    ['not an ARN', 'hunter2', /is not one Beanstalk can fetch.*It is not an ARN/],
    ['another service', 'arn:aws:s3:::bucket/key', /It is an ARN of s3/],
    ['a JSON key on an SSM parameter', `${SSM}:key`, /:json-key suffix works only with Secrets Manager/],
    ['a short account', 'arn:aws:ssm:eu-central-1:1234:parameter/x', /is not one Beanstalk can fetch/],
    ['no ARN', '', /DB has no ARN/]
  ])('refuses %s before any call, never showing it', (_, arn, message) => {
    const error = thrown(() => parseConfigurationInputs(raw({ 'environment-secrets': `DB=${arn}` })))
    expect([error.input, error.message]).toEqual(['environment-secrets', expect.stringMatching(message)])
    if (arn !== '') expect(error.message).not.toContain(arn)
  })

  it('refuses a name that is both a variable and a secret, and one both set and removed', () => {
    const both = thrown(() =>
      parseConfigurationInputs(raw({ 'environment-variables': 'DB=x', 'environment-secrets': `DB=${SSM}` }))
    )
    expect(both.message).toMatch(/DB is set both in environment-variables and in environment-secrets/)
    const removed = thrown(() =>
      parseConfigurationInputs(raw({ 'environment-variables': 'DB=x', 'remove-environment-variables': 'DB' }))
    )
    expect([removed.input, removed.message]).toEqual([
      'remove-environment-variables',
      expect.stringMatching(/DB is both set and listed in remove-environment-variables/)
    ])
  })
})

describe('option-settings', () => {
  it('takes YAML or JSON, our keys or AWS’s, numbers and booleans as text', () => {
    const yaml = parseOptionSettings(
      '- namespace: aws:elasticbeanstalk:command\n  option-name: Timeout\n  value: 900\n- Namespace: aws:autoscaling:asg\n  OptionName: MaxSize\n  Value: "2"\n  resource-name: AWSEBAutoScalingGroup\n'
    )
    expect(yaml).toEqual([
      {
        namespace: 'aws:elasticbeanstalk:command',
        optionName: 'Timeout',
        value: '900',
        resourceName: undefined
      },
      {
        namespace: 'aws:autoscaling:asg',
        optionName: 'MaxSize',
        value: '2',
        resourceName: 'AWSEBAutoScalingGroup'
      }
    ])
    const json = parseOptionSettings(
      '[{"namespace":"aws:elasticbeanstalk:cloudwatch:logs","option-name":"StreamLogs","value":true}]'
    )
    expect(json[0].value).toBe('true')
  })

  it.each([
    ['not a list', 'namespace: x', /expected a YAML or JSON list/],
    ['broken YAML', '- [a', /is not valid YAML or JSON/],
    [
      'a missing option-name',
      '- namespace: aws:elasticbeanstalk:command\n  value: x',
      /item 1: namespace and option-name are required/
    ],
    ['an unknown key', '- namespace: aws:a\n  option-name: b\n  valu: c', /unknown key "valu"/],
    [
      'not a namespace',
      '- namespace: elasticbeanstalk\n  option-name: b\n  value: c',
      /is not a Beanstalk namespace/
    ],
    [
      'the environment namespace',
      `- namespace: ${ENV_NS}\n  option-name: A\n  value: b`,
      /with the environment-variables input/
    ],
    [
      'a list as value',
      '- namespace: aws:a\n  option-name: b\n  value: [1]',
      /value must be text, a number or true\/false/
    ],
    [
      'an option twice',
      '- {namespace: aws:a, option-name: b, value: c}\n- {namespace: aws:a, option-name: b, value: d}',
      /item 2: aws:a b is given twice/
    ]
  ])('refuses %s', (_, text, message) => {
    const error = thrown(() => parseOptionSettings(text))
    expect([error.input, error.message]).toEqual(['option-settings', expect.stringMatching(message)])
  })
})

const current: OptionSettingInput[] = [
  { namespace: ENV_NS, optionName: 'LOG_LEVEL', value: 'info' },
  { namespace: ENV_NS, optionName: 'OLD', value: 'old-value' },
  { namespace: SECRETS_NS, optionName: 'SMTP', value: SM },
  { namespace: 'aws:elasticbeanstalk:command', optionName: 'DeploymentPolicy', value: 'AllAtOnce' }
]

describe('planConfiguration', () => {
  it('sends only the differences, lists every name with its change, and keeps the undo', () => {
    const inputs = parseConfigurationInputs(
      raw({
        'environment-variables': 'LOG_LEVEL=debug\nNEW=n',
        'environment-secrets': `SMTP=${SM}\nDB=${SSM}`,
        'remove-environment-variables': 'OLD, GONE',
        'option-settings':
          '- {namespace: aws:elasticbeanstalk:command, option-name: DeploymentPolicy, value: AllAtOnce}'
      })
    )
    const plan = planConfiguration(inputs, current, ENV)
    expect(plan.changes).toEqual([
      { kind: 'variable', name: 'LOG_LEVEL', change: 'changed' },
      { kind: 'variable', name: 'NEW', change: 'added' },
      { kind: 'secret', name: 'SMTP', change: 'unchanged' },
      { kind: 'secret', name: 'DB', change: 'added' },
      { kind: 'variable', name: 'OLD', change: 'removed' },
      { kind: 'variable', name: 'GONE', change: 'not present' },
      { kind: 'option', name: 'aws:elasticbeanstalk:command DeploymentPolicy', change: 'unchanged' }
    ])
    expect(plan.send).toEqual({
      optionSettings: [
        { namespace: ENV_NS, optionName: 'LOG_LEVEL', value: 'debug' },
        { namespace: ENV_NS, optionName: 'NEW', value: 'n' },
        { namespace: SECRETS_NS, optionName: 'DB', value: SSM }
      ],
      optionsToRemove: [{ namespace: ENV_NS, optionName: 'OLD' }]
    })
    expect(plan.restore).toEqual({
      optionSettings: [
        { namespace: ENV_NS, optionName: 'LOG_LEVEL', value: 'info' },
        { namespace: ENV_NS, optionName: 'OLD', value: 'old-value' }
      ],
      optionsToRemove: [
        { namespace: ENV_NS, optionName: 'NEW', resourceName: undefined },
        { namespace: SECRETS_NS, optionName: 'DB', resourceName: undefined }
      ]
    })
    const shown = [...describeConfiguration(plan), configurationTable(plan), countChanges(plan)].join('\n')
    for (const value of ['debug', 'old-value', SSM, SM, 'AllAtOnce', 'info'])
      expect(shown).not.toContain(value)
    expect(countChanges(plan)).toBe('2 added, 1 changed, 1 removed, 2 unchanged, 1 not present')
  })

  it('nothing differs: nothing to send, nothing to restore', () => {
    const plan = planConfiguration(
      parseConfigurationInputs(raw({ 'environment-variables': 'LOG_LEVEL=info' })),
      current,
      ENV
    )
    expect([plan.send, plan.restore]).toEqual([undefined, undefined])
    expect(describeConfiguration(plan)).toContain('  nothing differs: no configuration is sent')
  })

  it('a name moving from secret to variable leaves the secrets namespace (and comes back on undo)', () => {
    const plan = planConfiguration(
      parseConfigurationInputs(raw({ 'environment-variables': 'SMTP=plain' })),
      current,
      ENV
    )
    expect(plan.changes).toEqual([
      { kind: 'variable', name: 'SMTP', change: 'changed', note: 'was a secret' }
    ])
    expect(plan.send?.optionsToRemove).toEqual([{ namespace: SECRETS_NS, optionName: 'SMTP' }])
    expect(plan.restore?.optionSettings).toEqual([{ namespace: SECRETS_NS, optionName: 'SMTP', value: SM }])
  })

  it('the 4,096-byte limit counts existing plus new as name=value, minus removals', () => {
    const near = 'x'.repeat(4096 - 'BIG='.length - 'LOG_LEVEL=info'.length - 'OLD=old-value'.length)
    const fits = planConfiguration(
      parseConfigurationInputs(raw({ 'environment-variables': `BIG=${near}` })),
      current,
      ENV
    )
    expect(fits.propertyBytes).toBe(4096)
    const over = thrown(() =>
      planConfiguration(
        parseConfigurationInputs(raw({ 'environment-variables': `BIG=${near}y` })),
        current,
        ENV
      )
    )
    expect([over.input, over.title]).toEqual(['environment-variables', 'Environment properties too large'])
    expect(over.message).toMatch(
      /would take 4097 bytes .* Beanstalk allows 4096 bytes in all\. Nothing was changed\..* the largest are BIG, OLD, LOG_LEVEL\./
    )
    expect(over.message).not.toContain(near)
    const removing = planConfiguration(
      parseConfigurationInputs(
        raw({ 'environment-variables': `BIG=${near}y`, 'remove-environment-variables': 'OLD' })
      ),
      current,
      ENV
    )
    expect(removing.propertyBytes).toBe(4097 - 'OLD=old-value'.length)
  })

  it('a secret in another region or account is refused, naming both', () => {
    const region = thrown(() =>
      planConfiguration(
        parseConfigurationInputs(
          raw({ 'environment-secrets': `DB=${SSM.replace('eu-central-1', 'eu-west-1')}` })
        ),
        current,
        ENV
      )
    )
    expect(region.message).toMatch(
      /the SSM parameter for DB is in eu-west-1, the environment in eu-central-1/
    )
    const account = thrown(() =>
      planConfiguration(
        parseConfigurationInputs(
          raw({ 'environment-secrets': `DB=${SM.replace('123456789012', '210987654321')}` })
        ),
        current,
        ENV
      )
    )
    expect(account.message).toMatch(/belongs to account 210987654321, the environment to 123456789012/)
  })

  it('warns about options that change the instances, the VPC or the load balancer', () => {
    const plan = planConfiguration(
      parseConfigurationInputs(
        raw({
          'option-settings':
            '- {namespace: aws:autoscaling:launchconfiguration, option-name: InstanceType, value: t4g.small}\n- {namespace: aws:ec2:vpc, option-name: Subnets, value: subnet-1}\n- {namespace: aws:elasticbeanstalk:environment, option-name: LoadBalancerType, value: application}\n- {namespace: aws:elasticbeanstalk:command, option-name: Timeout, value: "900"}'
        })
      ),
      current,
      ENV
    )
    expect(plan.warnings).toEqual([
      expect.stringMatching(/InstanceType changes the instances/),
      expect.stringMatching(/Subnets changes the VPC or subnets/),
      expect.stringMatching(/LoadBalancerType changes the load balancer/)
    ])
  })

  it('reads the account from the environment ARN', () => {
    expect(accountOf('arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/A/B')).toBe(
      '123456789012'
    )
    expect(accountOf(undefined)).toBeUndefined()
  })
})
