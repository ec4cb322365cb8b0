// Where a desk looks for new versions of Loket: the agency's own server serves an electron-updater
// "generic" feed (latest.yml and the installers, server/updates/routes.ts), so desks update from the
// same host they sync with and need no other address.

/** The feed's base URL for the desk's server; undefined for a standalone desk (it is updated by hand). */
export function updateFeedUrl(serverUrl: string): string | undefined {
  if (serverUrl === '') return undefined;
  return `${serverUrl.replace(/\/+$/, '')}/updates`;
}
