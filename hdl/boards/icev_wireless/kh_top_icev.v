// ICE-V Wireless (ESP32-C3 + iCE40UP5K-SG48): 12 MHz oscillator → PLL → core clock.
// SPI to the ESP32-C3: GPIO2 SCK → pin 15, GPIO0 MOSI → pin 17, GPIO3 MISO ← pin 14,
// GPIO1 CS_N → pin 16. No ESP32 line is left for READY on this board, so the driver polls
// STATUS (bit 4) instead. Clock and reset: kh_ice40_clock.
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
  wire clk, rst;
  kh_ice40_clock clock (.clk_12m(clk_12m), .clk(clk), .rst(rst));
  /* verilator lint_off PINCONNECTEMPTY */
  kh_core_spi #(.ENGINES(ENGINES), .CLOCK_HZ(CLOCK_HZ)) core (
      .clk(clk), .rst(rst), .spi_sck(spi_sck), .spi_mosi(spi_mosi), .spi_cs_n(spi_cs_n),
      .spi_miso(spi_miso), .ready(), .hashing());
  /* verilator lint_on PINCONNECTEMPTY */
endmodule
`default_nettype wire
