/*
 * kilohash SPI bridge for Espruino boards (uploaded by `kilohash espruino upload`).
 *
 * Runs on the Espruino interpreter, not on Node: ES5 only (no let/const semantics, arrows,
 * classes, Map, destructuring), because that is what every Espruino build parses. Each line of
 * this file is checked by running it on the Linux build (tests/espruino), not by reading.
 *
 * It defines one global, KH, and does nothing at boot: the REPL stays usable. A host session
 * starts it with a REPL line `KH.start({...})`; from then on the console device carries
 * base64 lines in the format of docs/espruino.md (one SPI frame each way, CRC-32 checked) until
 * the host sends QUIT or the console is taken back (a new USB or Telnet connection).
 */
var KH = {
  VERSION: '1.0.0',
  /* Longest base64 line taken: a 255-byte frame plus the hop's 7 bytes is 352 characters. */
  MAX_LINE: 400,
  OP_XFER: 0x01,
  OP_QUIT: 0x03,
  OP_BAD: 0xff,
  ST_OK: 0,
  ST_CRC: 1,
  ST_LENGTH: 2,
  ST_OP: 3,
  ST_SPI: 4,
  ST_LINE: 5,

  dev: null,
  buf: '',
  skipping: false,
  busy: false,
  queue: [],
  lastSeq: -1,
  lastReply: '',
  cs: undefined,
  setup: null,
  /* The pins chosen at upload (kilohash appends them); KH.start's options override them. */
  defaults: {},

  /* Pin names only ("B3", "D18"), so a typo is an error instead of a number read as a pin. */
  pin: function (name, role) {
    if (name === undefined || name === null) return undefined;
    var p = typeof name === 'string' ? global[name] : undefined;
    if (p === undefined || !(p instanceof Pin)) throw new Error('this board has no pin ' + JSON.stringify(name) + ' (for ' + role + ')');
    return p;
  },

  /* The default pins this board does not have, as "role pin" strings (checked after upload). */
  missingPins: function () {
    var out = [], roles = ['sck', 'mosi', 'miso', 'cs'], i;
    for (i = 0; i < roles.length; i++) {
      var name = KH.defaults[roles[i]];
      if (name !== undefined && !(global[name] instanceof Pin)) out.push(roles[i] + ' ' + name);
    }
    return out.join(', ');
  },

  /* The SPI step, replaceable: `spiSetup(o)` returns what it set up, `xfer(bytes, done)` calls
   * done(reply) or done(undefined, message). On a board both finish at once. */
  spiSetup: function (o) {
    var s = {
      sck: KH.pin(o.sck, 'sck'), mosi: KH.pin(o.mosi, 'mosi'), miso: KH.pin(o.miso, 'miso'),
      baud: o.baud || 1000000, mode: 0
    };
    KH.cs = KH.pin(o.cs, 'cs');
    if (KH.cs === undefined) throw new Error('cs (chip select) is required');
    SPI1.setup(s);
    KH.cs.write(1);
    return { bus: 'SPI1', sck: o.sck, mosi: o.mosi, miso: o.miso, cs: o.cs, baud: s.baud, mode: 0 };
  },
  xfer: function (bytes, done) {
    var r = SPI1.send(bytes, KH.cs);
    done(r);
  },

  start: function (o) {
    var name = E.getConsole();
    var dev = global[name];
    var merged = {}, k;
    for (k in KH.defaults) merged[k] = KH.defaults[k];
    for (k in o || {}) merged[k] = o[k];
    try {
      KH.setup = KH.spiSetup(merged);
    } catch (e) {
      dev.write('KH! ' + JSON.stringify({ error: e.message }) + '\n');
      return;
    }
    if (KH.dev) KH.dev.removeAllListeners('data');
    KH.dev = dev;
    KH.buf = '';
    KH.skipping = false;
    KH.busy = false;
    KH.queue = [];
    KH.lastSeq = -1;
    KH.lastReply = '';
    /* Not forced: a new USB or Telnet connection takes the console back for the REPL. */
    LoopbackA.setConsole(false);
    dev.on('data', KH.onData);
    dev.write('KH ' + JSON.stringify({
      bridge: KH.VERSION, board: process.env.BOARD, espruino: process.version, console: name,
      spi: KH.setup
    }) + '\n');
  },

  stop: function () {
    if (!KH.dev) return;
    var dev = KH.dev;
    KH.dev = null;
    dev.removeAllListeners('data');
    dev.setConsole(false);
  },

  onData: function (d) {
    KH.buf += d;
    var i;
    while ((i = KH.buf.indexOf('\n')) >= 0) {
      var line = KH.buf.substr(0, i);
      KH.buf = KH.buf.substr(i + 1);
      if (KH.skipping) { KH.skipping = false; continue; }
      if (line.length > 0 && line.charAt(line.length - 1) === '\r') line = line.substr(0, line.length - 1);
      if (line.length > 0 && KH.queue.length < 4) KH.queue.push(line);
    }
    if (KH.buf.length > KH.MAX_LINE) {
      KH.buf = '';
      KH.skipping = true;
      KH.send(KH.OP_BAD, 0, KH.ST_LINE, undefined);
    }
    KH.next();
  },

  next: function () {
    while (!KH.busy && KH.queue.length > 0) KH.handle(KH.queue.shift());
  },

  handle: function (line) {
    var b;
    try {
      b = E.toUint8Array(atob(line));
    } catch (e) {
      return KH.send(KH.OP_BAD, 0, KH.ST_LINE, undefined);
    }
    var n = b.length;
    if (n < 7) return KH.send(KH.OP_BAD, 0, KH.ST_LENGTH, undefined);
    var crc = (b[n - 4] | (b[n - 3] << 8) | (b[n - 2] << 16) | (b[n - 1] << 24)) >>> 0;
    if ((E.CRC32(new Uint8Array(b.buffer, 0, n - 4)) >>> 0) !== crc) return KH.send(KH.OP_BAD, 0, KH.ST_CRC, undefined);
    var op = b[0], seq = b[1], len = b[2];
    if (len !== n - 7) return KH.send(KH.OP_BAD, 0, KH.ST_LENGTH, undefined);
    if (op === KH.OP_QUIT) {
      KH.send(op | 0x80, seq, KH.ST_OK, undefined);
      KH.stop();
      return;
    }
    if (op !== KH.OP_XFER) return KH.send(op | 0x80, seq, KH.ST_OP, undefined);
    /* The reply to this seq was lost on the way back: send it again without a second SPI
     * transaction, so a retried read never pops the core twice. */
    if (seq === KH.lastSeq) { KH.dev.write(KH.lastReply); return; }
    var frame = new Uint8Array(len);
    frame.set(new Uint8Array(b.buffer, 3, len));
    KH.busy = true;
    try {
      KH.xfer(frame, function (r, err) {
        KH.busy = false;
        if (r === undefined || r.length !== len) KH.send(op | 0x80, seq, KH.ST_SPI, undefined, err);
        else KH.send(op | 0x80, seq, KH.ST_OK, r);
        KH.next();
      });
    } catch (e) {
      KH.busy = false;
      KH.send(op | 0x80, seq, KH.ST_SPI, undefined, e.message);
    }
  },

  send: function (op, seq, status, data, message) {
    if (!KH.dev) return;
    if (data === undefined && message) data = E.toUint8Array(String(message).substr(0, 200));
    var len = data === undefined ? 0 : data.length;
    var out = new Uint8Array(len + 8);
    out[0] = op;
    out[1] = seq;
    out[2] = status;
    out[3] = len;
    if (len > 0) out.set(data, 4);
    var crc = E.CRC32(new Uint8Array(out.buffer, 0, len + 4));
    out[len + 4] = crc & 255;
    out[len + 5] = (crc >> 8) & 255;
    out[len + 6] = (crc >> 16) & 255;
    out[len + 7] = (crc >>> 24) & 255;
    var line = btoa(E.toString(out)) + '\n';
    if (op === (KH.OP_XFER | 0x80)) {
      KH.lastSeq = seq;
      KH.lastReply = line;
    }
    KH.dev.write(line);
  }
};
