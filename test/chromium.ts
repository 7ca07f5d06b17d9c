/**
 * The browser for the dashboard test: the Chromium that `@sparticuz/chromium` ships inside
 * its npm package (inflated to the temp folder on first use, nothing downloaded), or the
 * one named by SEALNET_CHROMIUM when an operator configures a system browser.
 */
import Chromium from '@sparticuz/chromium'
import { type Browser, chromium } from 'playwright-core'

// the machine's network is closed: without these Chromium keeps dialing out; and with no
// LANG set, the packaged build reports the language 'en-US@posix', which Intl refuses
const COMMON_ARGS = [
  '--lang=en-US',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]
// what a system Chromium needs to run headless as root
const SYSTEM_ARGS = ['--no-sandbox', '--disable-gpu']

/** Launches headless Chromium: SEALNET_CHROMIUM if set, else the npm-shipped build. */
export async function launchChromium(): Promise<Browser> {
  const configured = process.env.SEALNET_CHROMIUM
  if (configured)
    return chromium.launch({ executablePath: configured, args: [...SYSTEM_ARGS, ...COMMON_ARGS] })
  return chromium.launch({
    executablePath: await Chromium.executablePath(),
    args: [...Chromium.args, ...COMMON_ARGS],
  })
}
