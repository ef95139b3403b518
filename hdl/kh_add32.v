// A 32-bit adder, s = x + y, optionally registered (s is then the sum of the previous cycle's
// operands). On the UP5K (`KH_ICE40_DSP`, set by `kilohash synth`) it is one SB_MAC16 used as
// two 16-bit adders with the carry between them: the eight DSP blocks would otherwise sit idle,
// and each one takes 32 logic cells (and with REG, 32 flip-flops) off the fabric. Elsewhere —
// the HX8K has no DSP, and the simulators need no vendor model — it is plain `+`.
`default_nettype none
module kh_add32 #(
    parameter integer REG = 0
) (
    input  wire        clk,
    input  wire [31:0] x,
    input  wire [31:0] y,
    output wire [31:0] s
);
`ifdef KH_ICE40_DSP
  // Top half: A + C + carry of the bottom half; bottom half: B + D. Adder inputs taken straight
  // from the ports (no input or multiplier registers); output from the adder or its register.
  SB_MAC16 #(
      .TOPADDSUB_UPPERINPUT(1'b1), .TOPADDSUB_LOWERINPUT(2'd0), .TOPADDSUB_CARRYSELECT(2'd2),
      .BOTADDSUB_UPPERINPUT(1'b1), .BOTADDSUB_LOWERINPUT(2'd0), .BOTADDSUB_CARRYSELECT(2'd0),
      .TOPOUTPUT_SELECT(REG ? 2'd1 : 2'd0), .BOTOUTPUT_SELECT(REG ? 2'd1 : 2'd0)
  ) dsp (
      .CLK(clk), .CE(1'b1),
      .A(x[31:16]), .B(x[15:0]), .C(y[31:16]), .D(y[15:0]),
      .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), .DHOLD(1'b0),
      .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0),
      .OLOADTOP(1'b0), .OLOADBOT(1'b0), .ADDSUBTOP(1'b0), .ADDSUBBOT(1'b0),
      .OHOLDTOP(1'b0), .OHOLDBOT(1'b0), .CI(1'b0), .ACCUMCI(1'b0), .SIGNEXTIN(1'b0),
      .O(s), .CO(), .ACCUMCO(), .SIGNEXTOUT());
`else
  generate
    if (REG != 0) begin : registered
      reg [31:0] r;
      always @(posedge clk) r <= x + y;
      assign s = r;
    end else begin : combinational
      assign s = x + y;
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused = clk;
      /* verilator lint_on UNUSEDSIGNAL */
    end
  endgenerate
`endif
endmodule
`default_nettype wire
