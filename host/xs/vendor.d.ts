// The parts of @agoric/xsnap and tmp this project uses (neither ships TypeScript types).
declare module '@agoric/xsnap' {
  export interface RunResult<T> {
    reply: T;
    meterUsage: { compute: number | null; allocate: number | null; currentHeapCount: number | null };
  }
  export interface XSnapWorker {
    evaluate(code: string): Promise<RunResult<ArrayBuffer>>;
    issueStringCommand(message: string): Promise<RunResult<string>>;
    close(): Promise<void>;
  }
  export function xsnap(options: {
    os: string;
    spawn: unknown;
    fs: unknown;
    handleCommand?: (request: Uint8Array) => Promise<Uint8Array>;
    name?: string;
    stdout?: 'ignore' | 'inherit' | 'pipe';
    stderr?: 'ignore' | 'inherit' | 'pipe';
    meteringLimit?: number;
  }): Promise<XSnapWorker>;
}
declare module 'tmp' {
  const tmp: { tmpName(options: unknown, cb: (err: Error | null, name: string) => void): void };
  export default tmp;
}
