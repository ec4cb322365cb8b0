// How the desk writes a network scanner's address, the same in the device worker and in main:
// an eSCL root with scheme, host, port and path always written (`http://10.0.0.21:80/eSCL`), so one
// scanner has one name, and the origin its certificate is pinned for.

/**
 * The eSCL root for what a person typed or discovery found: `10.0.0.21`, `10.0.0.21:8080`,
 * `https://scanner.kantor.local/eSCL`… (no scheme: http; no path: /eSCL). Undefined when it is not
 * an address a scanner can have.
 */
export function normaliseScannerUrl(input: string): string | undefined {
  const text = input.trim();
  const url = URL.parse(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const path = url.pathname.replace(/\/+$/, '') || '/eSCL';
  return `${url.protocol}//${url.hostname}:${port}${path}`;
}

/** The origin a certificate is pinned for, with its port always written (`https://10.0.0.5:443`). */
export function originOf(url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`;
}

/** The host of a scanner's root, as a person reads it (an IPv6 address without brackets). */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}
