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

// The http Server hands a connection over (modules/network/http/http.js `detach`), and the
// websocket Server takes one (modules/network/websocket/websocket.js `attach`; `port: null`
// makes it listen nowhere). @moddable/typings has neither.
declare module 'http' {
  interface Server {
    detach(request: unknown): import('./axeos-sockets.ts').DetachedSocket;
  }
}

declare module 'websocket' {
  interface Server {
    attach(socket: import('./axeos-sockets.ts').DetachedSocket): void;
  }
}
