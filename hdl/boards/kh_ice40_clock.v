// The clock and reset of an iCE40 board with a 12 MHz oscillator on the PLL's pad (pin 35 of
// the UP5K-SG48: ICE-V Wireless, iCEBreaker): the PLL makes the core clock, and the core is
// held in reset until it has locked and 16 cycles after. PLL settings come from kh_pll.vh,
// which `kilohash synth` writes for the requested clock (icepll).
`default_nettype none
module kh_ice40_clock (
    input  wire clk_12m,   // the oscillator's pad
    output wire clk,
    output wire rst
);
  `include "kh_pll.vh"
  wire locked;
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
  assign rst = !por[4];
endmodule
`default_nettype wire
