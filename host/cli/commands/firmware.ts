/**
 * `kilohash firmware` — writes the firmware's JavaScript for mcconfig (build/firmware/<platform>/main.js),
 * which manifest.json names as the app's main module. Then: mcconfig -d -m -p esp32/esp32c3 manifest.json
 */
import { type Command, Option } from 'commander';
import { FIRMWARE_DIR, FIRMWARE_PLATFORMS, type FirmwarePlatform, buildFirmware } from '../../firmware/build.ts';
import { bitstreamPath, installBitstream, newestSynthBitstream, type BitstreamPick } from '../../firmware/bitstream.ts';

export function registerFirmware(program: Command, print: (s: string) => void): void {
  program
    .command('firmware')
    .description('build the firmware JavaScript that manifest.json hands to mcconfig (Moddable SDK)')
    .addOption(new Option('--platform <p>', 'which build (default: all)').choices(Object.keys(FIRMWARE_PLATFORMS)))
    .option('--bitstream <file>', 'the UP5K bitstream the ICE-V Wireless firmware loads into its FPGA (default: the newest build/synth/kilohash-up5k-*.bin)')
    .option('--out <dir>', 'where to write (manifest.json reads build/firmware)', FIRMWARE_DIR)
    .option('--json', 'print what was built as JSON')
    .action(async (o: { platform?: FirmwarePlatform; bitstream?: string; out: string; json?: boolean }) => {
      const platforms = o.platform ? [o.platform] : (Object.keys(FIRMWARE_PLATFORMS) as FirmwarePlatform[]);
      // The bitstream first: a wrong one stops the build before anything is written.
      const source = platforms.includes('esp32') ? (o.bitstream ?? newestSynthBitstream()) : undefined;
      const bitstream: BitstreamPick | undefined = source ? installBitstream(source, bitstreamPath(o.out)) : undefined;
      const built = [];
      for (const p of platforms) built.push(await buildFirmware(p, o.out));
      if (o.json) {
        print(JSON.stringify({ builds: built, bitstream: bitstream ?? null }));
        return;
      }
      for (const b of built) print(`${b.platform}: ${b.file} (${(b.bytes / 1024).toFixed(1)} KiB; Moddable modules: ${b.imports.join(', ')})`);
      if (bitstream) print(`bitstream: ${bitstream.file} (${bitstream.bytes} bytes, from ${bitstream.source})`);
      else if (platforms.includes('esp32')) print('bitstream: none yet. The ICE-V Wireless build needs one: npx kilohash synth --device up5k (or --bitstream FILE); the ULX3S and lin builds do not.');
    });
}
