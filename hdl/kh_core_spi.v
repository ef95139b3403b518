// The mining core behind SPI (docs/core-protocol.md §1): kh_spi_slave turns the pins into a
// frame's bytes, kh_core answers them. What the ESP32 boards (ICE-V Wireless, ULX3S) use.
`default_nettype none
module kh_core_spi #(
    parameter integer ENGINES  = 1,
    parameter integer LOOP     = 0,           // > 0: the pipelined engine (kh_core)
    parameter integer ROUNDS   = 1,           // its rounds per stage and clock (kh_core)
    parameter integer CLOCK_HZ = 36_000_000
) (
    input  wire clk,
    input  wire rst,
    input  wire spi_sck,
    input  wire spi_mosi,
    input  wire spi_cs_n,
    output wire spi_miso,
    output wire ready,        // result FIFO not empty
    output wire hashing       // a work is being hashed
);
  wire       frame_start, frame_end, frame_partial, rx_valid;
  wire [7:0] rx_byte, tx_byte;
  kh_spi_slave spi (.clk(clk), .rst(rst), .sck(spi_sck), .mosi(spi_mosi), .cs_n(spi_cs_n), .miso(spi_miso),
                    .frame_start(frame_start), .frame_end(frame_end), .frame_partial(frame_partial),
                    .rx_valid(rx_valid), .rx_byte(rx_byte), .tx_byte(tx_byte));
  kh_core #(.ENGINES(ENGINES), .LOOP(LOOP), .ROUNDS(ROUNDS), .CLOCK_HZ(CLOCK_HZ)) core (
      .clk(clk), .rst(rst), .frame_start(frame_start), .frame_end(frame_end), .frame_partial(frame_partial),
      .rx_valid(rx_valid), .rx_byte(rx_byte), .tx_byte(tx_byte), .ready(ready), .hashing(hashing));
endmodule
`default_nettype wire
