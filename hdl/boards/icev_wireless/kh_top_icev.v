// ICE-V Wireless (ESP32-C3 + iCE40UP5K-SG48): 12 MHz oscillator → PLL → core clock.
// SPI to the ESP32-C3: GPIO2 SCK → pin 15, GPIO0 MOSI → pin 17, GPIO3 MISO ← pin 14,
// GPIO1 CS_N → pin 16. No ESP32 line is left for READY on this board, so the driver polls
// STATUS (bit 4) instead. PLL settings come from kh_pll.vh, which `kilohash synth` writes for
// the requested clock (icepll).
`default_nettype none
module kh_top_icev #(
    parameter integer ENGINES  = 1,
    parameter integer CLOCK_HZ = 36_000_000
) (
    input  wire clk_12m,
    input  wire spi_sck,
    input  wire spi_mosi,
    input  wire spi_cs_n,
    output wire spi_miso
);
  `include "kh_pll.vh"
  wire clk, locked;
  // Pin 35 is the UP5K's PLL pad: the oscillator feeds the PLL directly.
  SB_PLL40_PAD #(
      .FEEDBACK_PATH("SIMPLE"),
      .DIVR(PLL_DIVR),
      .DIVF(PLL_DIVF),
      .DIVQ(PLL_DIVQ),
      .FILTER_RANGE(PLL_FILTER_RANGE)
  ) pll (
      .PACKAGEPIN(clk_12m), .PLLOUTGLOBAL(clk), .LOCK(locked),
      .RESETB(1'b1), .BYPASS(1'b0)
  );
  reg [4:0] por = 5'd0;
  always @(posedge clk) if (!locked) por <= 5'd0; else if (!por[4]) por <= por + 5'd1;
  /* verilator lint_off PINCONNECTEMPTY */
  kh_core_spi #(.ENGINES(ENGINES), .CLOCK_HZ(CLOCK_HZ)) core (
      .clk(clk), .rst(!por[4]), .spi_sck(spi_sck), .spi_mosi(spi_mosi), .spi_cs_n(spi_cs_n),
      .spi_miso(spi_miso), .ready(), .hashing());
  /* verilator lint_on PINCONNECTEMPTY */
endmodule
`default_nettype wire
