import * as core from '@actions/core'

/**
 * The configuration every AWS client of ours is made with. Credentials come from the SDK's default chain
 * only (OIDC through aws-actions/configure-aws-credentials, or the environment); endpoints from the SDK's own
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>. Transient faults (throttling, 5xx, resets, timeouts) are
 * retried by the SDK in adaptive mode, which also slows down on throttling.
 */
export function awsClientConfig(region: string, options: { maxAttempts?: number } = {}) {
  return {
    region,
    retryMode: 'adaptive' as const,
    maxAttempts: options.maxAttempts ?? 8,
    customUserAgent: 'imbit-actions/1',
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
    logger: {
      trace: () => undefined,
      debug: (...content: unknown[]) => core.debug(content.map(String).join(' ')),
      info: () => undefined,
      warn: (...content: unknown[]) => core.debug(`aws-sdk warn: ${content.map(String).join(' ')}`),
      error: (...content: unknown[]) => core.debug(`aws-sdk error: ${content.map(String).join(' ')}`)
    }
  }
}

/** A console link for a Beanstalk environment. */
export function beanstalkConsoleUrl(
  region: string,
  environmentId: string | undefined,
  applicationName: string
): string {
  const base = `https://${region}.console.aws.amazon.com/elasticbeanstalk/home?region=${region}`
  return environmentId
    ? `${base}#/environment/dashboard?environmentId=${encodeURIComponent(environmentId)}`
    : `${base}#/application/overview?applicationName=${encodeURIComponent(applicationName)}`
}
