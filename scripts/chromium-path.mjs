// Where the e2e tests find chromium: EPOXY_CHROMIUM (or CHROMIUM_PATH) overrides Debian's /usr/bin/chromium.
export function chromiumPath() {
  return process.env.EPOXY_CHROMIUM || process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}
