/**
 * Configuration templates on the Beanstalk of beanstalk.ts (for launch.ts, which clones with them):
 * CreateConfigurationTemplate (from an environment: its platform and option settings; from another template; from a
 * platform), DescribeConfigurationSettings of a template and DeleteConfigurationTemplate.
 */
import type { Beanstalk, Environment, Params } from './beanstalk.js'
import { AwsError, type OptionSettingView } from './types.js'
import { members, type XmlNode } from './xml.js'

export interface Template {
  region: string
  app: string
  name: string
  description?: string
  stack: string
  settings: OptionSettingView[]
  created: number
  /** The environment it was saved from (CreateConfigurationTemplate with EnvironmentId). */
  source?: Environment
}

const invalid = (message: string) => new AwsError('InvalidParameterValue', message)
const missing = (name: string) =>
  new AwsError('MissingParameter', `The request must contain the parameter ${name}.`)

export class Templates {
  private readonly templates: Template[] = []

  constructor(private readonly beanstalk: Beanstalk) {}

  names(app: string, region: string): string[] {
    return this.templates.filter(t => t.app === app && t.region === region).map(t => t.name)
  }

  find(app: string, name: string, region: string): Template | undefined {
    return this.templates.find(t => t.region === region && t.app === app && t.name === name)
  }

  private xml(t: Template): XmlNode {
    return {
      SolutionStackName: t.stack,
      PlatformArn: this.beanstalk.platforms.arnForStack(t.region, t.stack),
      ApplicationName: t.app,
      TemplateName: t.name,
      Description: t.description,
      DateCreated: new Date(t.created),
      DateUpdated: new Date(t.created),
      OptionSettings: members(
        t.settings.map(s => ({
          ResourceName: s.resourceName,
          Namespace: s.namespace,
          OptionName: s.optionName,
          Value: s.value
        }))
      )
    }
  }

  /** CreateConfigurationTemplate from an environment (EnvironmentId), another template or a platform. */
  create(p: Params, region: string): XmlNode {
    if (!p.ApplicationName) throw missing('ApplicationName')
    if (!p.TemplateName) throw missing('TemplateName')
    if (!this.beanstalk.application(p.ApplicationName, region))
      throw invalid(`No Application named '${p.ApplicationName}' found.`)
    if (p.TemplateName.length > 100)
      throw invalid(`Value '${p.TemplateName}' for TemplateName is longer than 100 characters.`)
    if (this.find(p.ApplicationName, p.TemplateName, region))
      throw invalid(`Configuration Template ${p.TemplateName} already exists.`)
    let stack: string
    let settings: OptionSettingView[] = []
    let source: Environment | undefined
    if (p.EnvironmentId) {
      const env = this.beanstalk.findEnv({ EnvironmentId: p.EnvironmentId }, region)
      if (env.app !== p.ApplicationName)
        throw invalid(`No Environment found for EnvironmentId = '${p.EnvironmentId}'.`)
      this.beanstalk.settle(env)
      stack = env.stack
      settings = env.settings.map(s => ({ ...s }))
      source = env
    } else if (p['SourceConfiguration.TemplateName']) {
      const source = this.find(
        p['SourceConfiguration.ApplicationName'] ?? p.ApplicationName,
        p['SourceConfiguration.TemplateName'],
        region
      )
      if (!source)
        throw invalid(`No Configuration Template named '${p['SourceConfiguration.TemplateName']}' found.`)
      stack = source.stack
      settings = source.settings.map(s => ({ ...s }))
    } else {
      const platform = this.beanstalk.platforms.requested(p, region)
      if (!platform)
        throw new AwsError(
          'InvalidParameterCombination',
          'You must specify a SolutionStackName, a PlatformArn, a SourceConfiguration or an EnvironmentId.'
        )
      stack = platform.solutionStackName
    }
    const template: Template = {
      region,
      app: p.ApplicationName,
      name: p.TemplateName,
      description: p.Description,
      stack,
      settings,
      created: this.beanstalk.now(),
      source
    }
    this.templates.push(template)
    return this.xml(template)
  }

  /** DescribeConfigurationSettings with a TemplateName. */
  describe(p: Params, region: string): XmlNode {
    if (!p.ApplicationName) throw missing('ApplicationName')
    const t = this.find(p.ApplicationName, p.TemplateName ?? '', region)
    if (!t) throw invalid(`No Configuration Template named '${p.TemplateName ?? ''}' found.`)
    return { ConfigurationSettings: members([this.xml(t)]) }
  }

  delete(p: Params, region: string): void {
    if (!p.ApplicationName) throw missing('ApplicationName')
    if (!p.TemplateName) throw missing('TemplateName')
    const at = this.templates.findIndex(
      t => t.region === region && t.app === p.ApplicationName && t.name === p.TemplateName
    )
    if (at < 0) throw invalid(`No Configuration Template named '${p.TemplateName}' found.`)
    this.templates.splice(at, 1)
  }
}
