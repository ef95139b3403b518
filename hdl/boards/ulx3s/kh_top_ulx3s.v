// ULX3S top (ESP32-WROOM-32 + Lattice ECP5, 12F/25F/45F/85F): the pipelined core behind SPI
// from the ESP32, on a PLL from the board's 25 MHz oscillator.
//
// ESP32 pins (manifest.json, platform "esp32"), all of them ones the ESP32 does not sample at
// reset (GPIO0, 2, 5, 12 and 15 are strapping pins: GPIO12 high at reset would pick 1.8 V
// flash, GPIO0 low the ROM's download mode):
//   GPIO14 SCK → sd_clk (H2)      GPIO13 MOSI → sd_d[3] (K2)     GPIO4 MISO ← sd_d[1] (H1)
//   GPIO17 CS  → wifi_gpio17 (N3)  GPIO16 READY ← wifi_gpio16 (L1)
// The board's USB serial (FT231X) reaches the ESP32 only through the FPGA, so this top passes
// the ESP32's UART0 through and turns the adapter's DTR/RTS into EN/GPIO0 the way esptool's
// classic reset expects: `kilohash serial monitor` and esptool keep working with the miner
// loaded.
//
// LEDs: 0 configured and clock locked, 1 hashing, 2 a share found (held 1/4 s), 3 results
// waiting (READY), 7 a 1 Hz heartbeat of the hashing clock.
`default_nettype none
module kh_top_ulx3s #(
    parameter integer ENGINES  = 1,            // the lanes' count, unused: this board runs the pipeline
    parameter integer LOOP     = 1,            // the pipelined engine (kh_core): a nonce every LOOP clocks
    parameter integer ROUNDS   = 2,            // rounds per stage and clock
    parameter integer CLOCK_HZ = 40_000_000,   // the PLL's output, for the core's CAPS/rate registers
    // EHXPLLL from 25 MHz: out = 25 MHz · CLKFB_DIV / CLKI_DIV, VCO = out · CLKOP_DIV
    // (kilohash synth sets these from ecppll; the defaults are its answer for 40 MHz).
    parameter integer PLL_CLKI_DIV     = 5,
    parameter integer PLL_CLKFB_DIV    = 8,
    parameter integer PLL_CLKOP_DIV    = 15,
    parameter integer PLL_CLKOP_CPHASE = 7
) (
    input  wire       clk_25mhz,
    // ESP32 ⇄ FPGA
    input  wire       esp_sck,
    input  wire       esp_mosi,
    output wire       esp_miso,
    input  wire       esp_cs_n,
    output wire       esp_ready,
    // USB serial ⇄ ESP32 UART0, and the ESP32's reset and boot pins
    input  wire       ftdi_txd,
    output wire       ftdi_rxd,
    input  wire       ftdi_ndtr,
    input  wire       ftdi_nrts,
    input  wire       wifi_txd,
    output wire       wifi_rxd,
    output wire       wifi_en,
    output wire       wifi_gpio0,
    output wire [7:0] led
);
  // ── the ESP32's serial port and reset, passed through ───────────────────────────────────
  assign wifi_rxd = ftdi_txd;
  assign ftdi_rxd = wifi_txd;
  // esptool: RTS alone asserted holds EN low (reset), DTR alone pulls GPIO0 low (download mode);
  // both or neither leave the ESP32 running, so a terminal that asserts both does not reset it.
  // The adapter's pins are active low.
  assign wifi_en    = ftdi_nrts | !ftdi_ndtr;
  assign wifi_gpio0 = ftdi_ndtr | !ftdi_nrts;

  // ── the hashing clock ───────────────────────────────────────────────────────────────────
  wire clk, locked;
  (* ICP_CURRENT="12" *) (* LPF_RESISTOR="8" *) (* MFG_ENABLE_FILTEROPAMP="1" *) (* MFG_GMCREF_SEL="2" *)
  EHXPLLL #(
      .PLLRST_ENA("DISABLED"), .INTFB_WAKE("DISABLED"), .STDBY_ENABLE("DISABLED"), .DPHASE_SOURCE("DISABLED"),
      .OUTDIVIDER_MUXA("DIVA"), .OUTDIVIDER_MUXB("DIVB"), .OUTDIVIDER_MUXC("DIVC"), .OUTDIVIDER_MUXD("DIVD"),
      .CLKI_DIV(PLL_CLKI_DIV), .CLKFB_DIV(PLL_CLKFB_DIV), .FEEDBK_PATH("CLKOP"),
      .CLKOP_ENABLE("ENABLED"), .CLKOP_DIV(PLL_CLKOP_DIV), .CLKOP_CPHASE(PLL_CLKOP_CPHASE), .CLKOP_FPHASE(0)
  ) pll (
      .RST(1'b0), .STDBY(1'b0), .CLKI(clk_25mhz), .CLKOP(clk), .CLKFB(clk), .CLKINTFB(),
      .PHASESEL0(1'b0), .PHASESEL1(1'b0), .PHASEDIR(1'b1), .PHASESTEP(1'b1), .PHASELOADREG(1'b1),
      .PLLWAKESYNC(1'b0), .ENCLKOP(1'b0), .LOCK(locked));

  // Reset until the PLL has locked and 16 clocks more (ECP5 flip-flops start at zero).
  reg [1:0] lock_sync = 2'b00;
  reg [4:0] por = 5'd0;
  always @(posedge clk) begin
    lock_sync <= {lock_sync[0], locked};
    if (!lock_sync[1]) por <= 5'd0;
    else if (!por[4]) por <= por + 5'd1;
  end
  wire rst = !por[4];

  // ── the core ────────────────────────────────────────────────────────────────────────────
  wire hashing;
  kh_core_spi #(.ENGINES(ENGINES), .LOOP(LOOP), .ROUNDS(ROUNDS), .CLOCK_HZ(CLOCK_HZ)) core (
      .clk(clk), .rst(rst), .spi_sck(esp_sck), .spi_mosi(esp_mosi), .spi_cs_n(esp_cs_n),
      .spi_miso(esp_miso), .ready(esp_ready), .hashing(hashing));

  // ── LEDs ────────────────────────────────────────────────────────────────────────────────
  localparam integer HOLD = CLOCK_HZ / 4;         // a found share stays lit a quarter second
  localparam integer HALF = CLOCK_HZ / 2;         // heartbeat half period
  reg        ready_was = 1'b0;
  reg [31:0] share_left = 32'd0;
  reg [31:0] beat_count = 32'd0;
  reg        beat = 1'b0;
  always @(posedge clk) begin
    ready_was <= esp_ready;
    if (esp_ready && !ready_was) share_left <= HOLD;
    else if (share_left != 32'd0) share_left <= share_left - 32'd1;
    if (beat_count == HALF - 1) begin
      beat_count <= 32'd0;
      beat <= !beat;
    end else beat_count <= beat_count + 32'd1;
  end
  assign led = {beat, 3'b000, esp_ready, share_left != 32'd0, hashing, !rst};
endmodule
`default_nettype wire
