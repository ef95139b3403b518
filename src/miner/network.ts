/**
 * Which network a solo miner is mining on, as its payout address says (solo pools take the
 * address as the username): the dashboard's odds and money are that network's, and labelled
 * so. Only the prefix is read; the pool checks the address itself.
 *
 * - `main`: bc1…, 1…, 3… — Bitcoin; coins priced at the user's coin price;
 * - `test`: tb1…, m…, n…, 2… — testnet or signet; coins without a price;
 * - `regtest`: bcrt1… — a local chain (kilohash's classroom pool, a regtest node): its block
 *   time and coin value are the pool's, so the miner shows odds only;
 * - `unknown`: a pool account name, not an address — figures as for Bitcoin, labelled as a guess.
 */
export type NetworkKind = 'main' | 'test' | 'regtest' | 'unknown';

export function payoutNetwork(user: string): NetworkKind {
  const address = user.split('.')[0]!;
  const bech32 = address.toLowerCase();
  if (bech32.startsWith('bcrt1')) return 'regtest';
  if (bech32.startsWith('bc1')) return 'main';
  if (bech32.startsWith('tb1')) return 'test';
  // Base58: P2PKH and P2SH, by their version byte's first character.
  if (/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(address)) return 'main';
  if (/^[mn2][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(address)) return 'test';
  return 'unknown';
}

export const NETWORK_LABELS: Record<NetworkKind, string> = {
  main: 'Bitcoin',
  test: 'test network (coins without a price)',
  regtest: 'local chain (regtest): block time and coin value are the pool\'s',
  unknown: 'assumed Bitcoin (the pool user is not an address)',
};
