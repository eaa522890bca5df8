/** Hosts and URLs, as two or more actions read them. Pure. */

/**
 * Whether a host name is this machine (`localhost`, `127.x.x.x`, `::1`, with or without IPv6 brackets, any case):
 * the one place plain HTTP is spoken (local servers: tests, the demo, act).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
