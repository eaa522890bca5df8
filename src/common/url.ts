/** Hosts and URLs, as two or more actions read them. Pure. */

/**
 * Whether a host name is this machine (`localhost`, `127.x.x.x`, `::1`, with or without IPv6 brackets, any case):
 * the one place plain HTTP is spoken (local servers: tests, the demo, act).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/**
 * Whether a host is an Elastic Beanstalk environment's own name (`<prefix>.<region>.elasticbeanstalk.com`, or the
 * older `<prefix>.elasticbeanstalk.com`): environments answer plain HTTP on port 80 there (check-url's allow-http).
 */
export function isBeanstalkHost(hostname: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z]{2}(?:-[a-z]+)+-\d)?\.elasticbeanstalk\.com$/.test(
    hostname.toLowerCase().replace(/\.$/, '')
  )
}
