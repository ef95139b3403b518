/**
 * `kilohash espruino …` — an Espruino board as the SPI bridge to an FPGA core:
 *   upload  puts kh-bridge.js on the board (EspruinoTools), saved, with its SPI pins;
 *   check   starts the bridge, reads the core's identity through it and times frames.
 * Mining through it is `--core espruino:<port>` on scan, mine and demo.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { CoreDriver } from '../../../src/core/driver.ts';
import { EspruinoLink, type BridgeSpi } from '../../espruino/espruino-link.ts';
import { BOARD_PINS, UploadError, uploadBridge } from '../../espruino/upload.ts';
import { keepAliveClock } from '../../platform/node.ts';
import { UsageError } from '../errors.ts';
import { consolePortOption, intOption } from '../options.ts';


function pinOption(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,11}$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a pin name (Espruino names pins like B3 or D18)`);
  return value;
}

function boardOption(value: string): string {
  if (!(value in BOARD_PINS)) throw new InvalidArgumentError(`expected one of ${Object.keys(BOARD_PINS).join(', ')} (or give --sck, --mosi, --miso and --cs)`);
  return value;
}

interface UploadFlags {
  port: string;
  board?: string;
  sck?: string;
  mosi?: string;
  miso?: string;
  cs?: string;
  spiHz?: number;
  json?: boolean;
}

export function registerEspruino(program: Command, print: (s: string) => void): void {
  const cmd = program
    .command('espruino')
    .description('an Espruino board as the SPI bridge between the host and an FPGA core');

  cmd
    .command('upload')
    .description('upload the kilohash bridge to an Espruino board with EspruinoTools and save it to its flash')
    .requiredOption('--port <port>', 'the board: a serial path (/dev/ttyACM0) or tcp://host:port (Telnet console)', consolePortOption)
    .option('--board <name>', `SPI pins of a known board: ${Object.entries(BOARD_PINS).map(([b, p]) => `${b} (sck ${p.sck}, mosi ${p.mosi}, miso ${p.miso}, cs ${p.cs})`).join('; ')}`, boardOption)
    .option('--sck <pin>', 'SPI clock pin', pinOption)
    .option('--mosi <pin>', 'SPI data to the FPGA', pinOption)
    .option('--miso <pin>', 'SPI data from the FPGA', pinOption)
    .option('--cs <pin>', 'chip select to the FPGA', pinOption)
    .option('--spi-hz <hz>', 'SPI clock', intOption(1000, 20_000_000), 1_000_000)
    .option('--json', 'print the result as one JSON object')
    .action(async (f: UploadFlags) => {
      const base = f.board ? BOARD_PINS[f.board]! : {};
      const spi: BridgeSpi = { ...base, ...(f.sck ? { sck: f.sck } : {}), ...(f.mosi ? { mosi: f.mosi } : {}), ...(f.miso ? { miso: f.miso } : {}), ...(f.cs ? { cs: f.cs } : {}), baud: f.spiHz };
      if (!spi.cs) throw new UsageError('the bridge needs a chip-select pin: give --board or --cs');
      if (!f.json) print(`uploading the kilohash bridge to ${f.port} …`);
      try {
        const r = await uploadBridge(f.port, spi);
        if (f.json) print(JSON.stringify({ port: f.port, bridge: r.version, bytes: r.bytes, spi }));
        else print(`bridge ${r.version} (${r.bytes} bytes) saved on ${f.port}; SPI sck ${spi.sck ?? 'default'} mosi ${spi.mosi ?? 'default'} miso ${spi.miso ?? 'default'} cs ${spi.cs} at ${spi.baud} Hz\nmine through it with --core espruino:${f.port}`);
      } catch (err) {
        if (err instanceof UploadError) throw new Error(err.message);
        throw err;
      }
    });

  cmd
    .command('check')
    .description('start the bridge on a board, read the core\'s identity through it and time the frames')
    .requiredOption('--port <port>', 'the board: a serial path or tcp://host:port', consolePortOption)
    .option('--frames <n>', 'STATUS reads to time', intOption(1, 100_000), 200)
    .option('--json', 'print the result as one JSON object')
    .action(async (f: { port: string; frames: number; json?: boolean }) => {
      const link = new EspruinoLink({ port: f.port });
      try {
        const hello = await link.started();
        const driver = new CoreDriver({ link, clock: keepAliveClock });
        const id = await driver.probe();
        const t0 = performance.now();
        for (let i = 0; i < f.frames; i++) await driver.poll();
        const seconds = (performance.now() - t0) / 1000;
        const out = { port: f.port, bridge: hello, core: id, framesPerSecond: Math.round(f.frames / seconds), retries: link.retries };
        if (f.json) print(JSON.stringify(out));
        else {
          print(`bridge ${hello.bridge} on ${hello.board ?? 'an Espruino board'} (Espruino ${hello.espruino ?? '?'}, console ${hello.console}), SPI ${JSON.stringify(hello.spi)}`);
          print(`core: protocol ${id.version >>> 16}.${id.version & 0xffff}, ${id.engines} engine(s), ${id.nominalHashRate > 0 ? `${(id.nominalHashRate / 1e6).toFixed(2)} MH/s nominal` : 'no nominal rate'}`);
          print(`${out.framesPerSecond} frames/s through the bridge (${f.frames} STATUS reads, ${link.retries} sent again)`);
        }
      } finally {
        await link.close();
      }
    });
}
