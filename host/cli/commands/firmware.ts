/**
 * `kilohash firmware` — writes the firmware's JavaScript for mcconfig (build/firmware/<platform>/main.js),
 * which manifest.json names as the app's main module. Then: mcconfig -d -m -p esp32/esp32c3 manifest.json
 */
import { type Command, Option } from 'commander';
import { FIRMWARE_PLATFORMS, type FirmwarePlatform, buildFirmware } from '../../firmware/build.ts';

export function registerFirmware(program: Command, print: (s: string) => void): void {
  program
    .command('firmware')
    .description('build the firmware JavaScript that manifest.json hands to mcconfig (Moddable SDK)')
    .addOption(new Option('--platform <p>', 'which build (default: all)').choices(Object.keys(FIRMWARE_PLATFORMS)))
    .option('--json', 'print what was built as JSON')
    .action(async (o: { platform?: FirmwarePlatform; json?: boolean }) => {
      const platforms = o.platform ? [o.platform] : (Object.keys(FIRMWARE_PLATFORMS) as FirmwarePlatform[]);
      const built = [];
      for (const p of platforms) built.push(await buildFirmware(p));
      if (o.json) print(JSON.stringify(built));
      else for (const b of built) print(`${b.platform}: ${b.file} (${(b.bytes / 1024).toFixed(1)} KiB; Moddable modules: ${b.imports.join(', ')})`);
    });
}
