// iCEBreaker (iCE40UP5K-SG48 with an FT2232H): the core on a USB serial port, no ESP32.
// 12 MHz oscillator → PLL → core clock; the FT2232H's channel B is the UART (FPGA pin 6 in,
// pin 9 out), framed as docs/core-protocol.md §9 at BAUD (default 3 Mbaud, the FT2232H's
// fastest; CLOCK_HZ / BAUD must be at least 8, within 2 %). LEDs: green while hashing, red
// for a moment each time the core finds a nonce. Clock and reset: kh_ice40_clock.
`default_nettype none
module kh_top_icebreaker #(
    parameter integer ENGINES  = 1,
    parameter integer CLOCK_HZ = 24_000_000,
    parameter integer BAUD     = 3_000_000
) (
    input  wire clk_12m,
    input  wire uart_rx,
    output wire uart_tx,
    output wire led_r_n,
    output wire led_g_n
);
  wire clk, rst;
  kh_ice40_clock clock (.clk_12m(clk_12m), .clk(clk), .rst(rst));

  wire ready, hashing;
  kh_core_uart #(.ENGINES(ENGINES), .CLOCK_HZ(CLOCK_HZ), .BAUD(BAUD)) core (
      .clk(clk), .rst(rst), .uart_rx(uart_rx), .uart_tx(uart_tx), .ready(ready), .hashing(hashing));

  // A found nonce leaves the FIFO within a poll: stretch its READY edge to a tenth of a second.
  localparam integer FLASH = CLOCK_HZ / 10;
  reg [$clog2(FLASH + 1)-1:0] flash = 0;
  reg ready_was = 1'b0;
  always @(posedge clk) begin
    ready_was <= ready;
    if (ready && !ready_was) flash <= FLASH[$clog2(FLASH + 1)-1:0];
    else if (flash != 0) flash <= flash - 1'b1;
  end
  assign led_r_n = flash == 0;
  assign led_g_n = !hashing;
endmodule
`default_nettype wire
