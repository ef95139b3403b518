// Generic top: the core on a clock pin, with a power-on reset. Any board with an SPI link and
// a clock can use it; board tops (boards/*) add a PLL and pin constraints.
`default_nettype none
module kh_top #(
    parameter integer ENGINES  = 1,
    parameter integer LOOP     = 0,           // > 0: the pipelined engine (kh_core)
    parameter integer ROUNDS   = 1,           // its rounds per stage and clock (kh_core)
    parameter integer CLOCK_HZ = 12_000_000
) (
    input  wire clk,
    input  wire spi_sck,
    input  wire spi_mosi,
    input  wire spi_cs_n,
    output wire spi_miso,
    output wire ready
);
  // Hold reset for 16 cycles after configuration (flip-flops start at zero on iCE40).
  reg [4:0] por = 5'd0;
  always @(posedge clk) if (!por[4]) por <= por + 5'd1;
  /* verilator lint_off PINCONNECTEMPTY */
  kh_core_spi #(.ENGINES(ENGINES), .LOOP(LOOP), .ROUNDS(ROUNDS), .CLOCK_HZ(CLOCK_HZ)) core (
      .clk(clk), .rst(!por[4]), .spi_sck(spi_sck), .spi_mosi(spi_mosi), .spi_cs_n(spi_cs_n),
      .spi_miso(spi_miso), .ready(ready), .hashing());
  /* verilator lint_on PINCONNECTEMPTY */
endmodule
`default_nettype wire
