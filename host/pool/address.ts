/**
 * Bitcoin address → output script, for the coinbase the local pool builds and for checking
 * that a miner's username is an address (as solo pools do). Mainnet, testnet/signet and
 * regtest formats are all accepted: the pool's chain is simulated, so any network will do.
 */
import { Address, NETWORK, OutScript, TEST_NETWORK } from '@scure/btc-signer';

const REGTEST = { ...TEST_NETWORK, bech32: 'bcrt' };
const NETWORKS = [
  { name: 'mainnet', net: NETWORK },
  { name: 'testnet', net: TEST_NETWORK },
  { name: 'regtest', net: REGTEST },
] as const;

export interface DecodedAddress {
  network: 'mainnet' | 'testnet' | 'regtest';
  script: Uint8Array;
}

/** Decodes an address of any supported kind; null when it is not a valid address. */
export function decodeAddress(address: string): DecodedAddress | null {
  const a = address.trim();
  if (a.length < 14 || a.length > 100) return null;
  for (const { name, net } of NETWORKS) {
    try {
      return { network: name, script: OutScript.encode(Address(net).decode(a)) };
    } catch {
      // try the next network
    }
  }
  return null;
}
