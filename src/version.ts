/**
 * The firmware's version, said once: the CLI's --version, the status API, the AxeOS fields and
 * the Stratum user agent read it here (a test holds it to package.json's). Imports nothing, so
 * every layer may use it.
 */
export const KILOHASH_VERSION = '0.1.0';

/** What mining.subscribe and client.get_version tell the pool we are. */
export const KILOHASH_USER_AGENT = `kilohash/${KILOHASH_VERSION}`;
