// The mining core behind a UART (docs/core-protocol.md §9): kh_uart_link turns the serial
// line into a frame's bytes, kh_core answers them. For FPGA boards reached over USB serial
// (iCEBreaker's FT2232H), with no ESP32. The bit time is CLOCK_HZ / BAUD cycles, rounded;
// `kilohash synth` refuses a baud rate that is off by more than 2 % or under 8 cycles a bit.
`default_nettype none
module kh_core_uart #(
    parameter integer ENGINES  = 1,
    parameter integer CLOCK_HZ = 24_000_000,
    parameter integer BAUD     = 3_000_000
) (
    input  wire clk,
    input  wire rst,
    input  wire uart_rx,
    output wire uart_tx,
    output wire ready,        // result FIFO not empty
    output wire hashing       // a work is being hashed
);
  localparam integer CLKS_PER_BIT = (CLOCK_HZ + BAUD / 2) / BAUD;
  wire       frame_start, frame_end, frame_partial, rx_valid;
  wire [7:0] rx_byte, tx_byte;
  kh_uart_link #(.CLKS_PER_BIT(CLKS_PER_BIT)) link (.clk(clk), .rst(rst), .uart_rx(uart_rx), .uart_tx(uart_tx),
      .frame_start(frame_start), .frame_end(frame_end), .frame_partial(frame_partial),
      .rx_valid(rx_valid), .rx_byte(rx_byte), .tx_byte(tx_byte));
  kh_core #(.ENGINES(ENGINES), .CLOCK_HZ(CLOCK_HZ)) core (
      .clk(clk), .rst(rst), .frame_start(frame_start), .frame_end(frame_end), .frame_partial(frame_partial),
      .rx_valid(rx_valid), .rx_byte(rx_byte), .tx_byte(tx_byte), .ready(ready), .hashing(hashing));
endmodule
`default_nettype wire
