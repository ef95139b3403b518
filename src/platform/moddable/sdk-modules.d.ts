// Moddable SDK modules that @moddable/typings does not describe; shapes from the SDK's sources
// (build/devices/esp32/modules/ota/ota.js, modules/io/system/system.js).
declare module 'ota' {
  export default class OTA {
    constructor(options?: { byteLength?: number });
    write(data: ArrayBuffer): void;
    cancel(): void;
    complete(): void;
  }
}

declare module 'system' {
  export default class System {
    static restart(): void;
  }
}


declare module 'debug' {
  export default class Debug {
    /** With no argument: collect garbage now. */
    static gc(enable?: boolean): void;
  }
}
