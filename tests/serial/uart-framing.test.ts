import { describe, expect, it } from 'vitest';
import { UART } from '../../src/core/protocol.ts';
import { encodeUartFrame, spiReply, uartAnswer, uartBaudProblem, uartCyclesPerBit, UartFrameDecoder } from '../../src/core/uart-framing.ts';

const { END, ESC, ESC_END, ESC_ESC } = UART;

function decode(bytes: number[], decoder = new UartFrameDecoder()): Array<{ bytes: number[]; damaged: boolean }> {
  const out: Array<{ bytes: number[]; damaged: boolean }> = [];
  decoder.push(new Uint8Array(bytes), (f) => out.push({ bytes: [...f.bytes], damaged: f.damaged }));
  return out;
}

describe('UART framing (docs/core-protocol.md §9)', () => {
  it('escapes END and ESC and wraps the frame in ENDs', () => {
    expect([...encodeUartFrame(new Uint8Array([1, END, 2, ESC, 3]))]).toEqual([END, 1, ESC, ESC_END, 2, ESC, ESC_ESC, 3, END]);
  });

  it("answers each byte with the core's answer to it: the SPI reply one byte early", () => {
    const spi = new Uint8Array([0x00, 0x11, 0x22, 0x33]);
    const answer = uartAnswer(spi, 0x44);
    expect([...answer]).toEqual([0x11, 0x22, 0x33, 0x44]);
    const frame = new Uint8Array([9, 9, 9, 9]);
    spiReply(answer, frame);
    expect([...frame]).toEqual([...spi]);
    expect([...uartAnswer(new Uint8Array(0), 7)]).toEqual([]);
  });

  it('decodes what it encodes, for every byte value', () => {
    const frame = new Uint8Array(256).map((_, i) => i);
    expect(decode([...encodeUartFrame(frame)])).toEqual([{ bytes: [...frame], damaged: false }]);
  });

  it('skips empty frames, and keeps state across pushes', () => {
    const d = new UartFrameDecoder();
    expect(decode([END, END, 1, 2, ESC], d)).toEqual([]);
    expect(d.pending).toBe(2);
    expect(decode([ESC_END, END], d)).toEqual([{ bytes: [1, 2, END], damaged: false }]);
  });

  it('marks a bad escape, an escape cut by END, and an overlong frame as damaged', () => {
    expect(decode([1, ESC, 7, 2, END])).toEqual([{ bytes: [1, 2], damaged: true }]);
    expect(decode([1, ESC, END])).toEqual([{ bytes: [1], damaged: true }]);
    const d = new UartFrameDecoder(4);
    expect(decode([1, 2, 3, 4, 5, 6, END, 9, END], d)).toEqual([{ bytes: [1, 2, 3, 4], damaged: true }, { bytes: [9], damaged: false }]);
  });

  it('says which baud rates a core clock can run, and why not', () => {
    expect(uartCyclesPerBit(24_000_000, 3_000_000)).toBe(8);
    expect(uartCyclesPerBit(36_000_000, 115_200)).toBe(313);
    expect(uartBaudProblem(24_000_000, 3_000_000)).toBeUndefined();
    expect(uartBaudProblem(36_000_000, 115_200)).toBeUndefined();
    expect(uartBaudProblem(12_000_000, 3_000_000)).toMatch(/at least 8 clock cycles a bit: a 12 MHz core runs at most 1500000 baud/);
    expect(uartBaudProblem(30_000_000, 2_500_000)).toBeUndefined();
    expect(uartBaudProblem(20_000_000, 2_300_000)).toMatch(/2300000 baud is 3\.4 % off at 20 MHz \(9 cycles a bit\)/);
  });
});
