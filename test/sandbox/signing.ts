/** SigV4 details the sandbox reads: the region of the credential scope (…/<date>/<region>/<service>/aws4_request). */
export function regionFromAuthorization(header: string | undefined): string | undefined {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/.exec(header ?? '')
  return match?.[1]
}
