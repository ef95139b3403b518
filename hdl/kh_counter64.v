// A 64-bit counter, value += inc each clock (synchronous clear). On the UP5K (`KH_ICE40_DSP`)
// the low 32 bits are an SB_MAC16 accumulating into its own output register, and its carry
// out steps the high half in the same clock, so a read never sees the halves disagree; that
// leaves 32 logic cells of adder and flip-flops to the hashing lanes. Elsewhere it is plain.
`default_nettype none
module kh_counter64 (
    input  wire        clk,
    input  wire        clr,
    input  wire [3:0]  inc,
    output wire [63:0] value
);
  wire [31:0] lo;
  wire        carry;
  reg  [31:0] hi;
`ifdef KH_ICE40_DSP
  // Top and bottom 16-bit adders: output register + A:B, bottom carry into top; OLOAD puts
  // C:D (zero) into the output register instead, the clear.
  SB_MAC16 #(
      .TOPADDSUB_UPPERINPUT(1'b0), .TOPADDSUB_LOWERINPUT(2'd0), .TOPADDSUB_CARRYSELECT(2'd2),
      .BOTADDSUB_UPPERINPUT(1'b0), .BOTADDSUB_LOWERINPUT(2'd0), .BOTADDSUB_CARRYSELECT(2'd0),
      .TOPOUTPUT_SELECT(2'd1), .BOTOUTPUT_SELECT(2'd1)
  ) dsp (
      .CLK(clk), .CE(1'b1),
      .A(16'd0), .B({12'd0, inc}), .C(16'd0), .D(16'd0),
      .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), .DHOLD(1'b0),
      .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0),
      .OLOADTOP(clr), .OLOADBOT(clr), .ADDSUBTOP(1'b0), .ADDSUBBOT(1'b0),
      .OHOLDTOP(1'b0), .OHOLDBOT(1'b0), .CI(1'b0), .ACCUMCI(1'b0), .SIGNEXTIN(1'b0),
      .O(lo), .CO(carry), .ACCUMCO(), .SIGNEXTOUT());
`else
  reg [31:0] lo_acc;
  wire [32:0] next = {1'b0, lo_acc} + {29'd0, inc};
  always @(posedge clk) lo_acc <= clr ? 32'd0 : next[31:0];
  assign lo = lo_acc;
  assign carry = next[32];
`endif
  always @(posedge clk) hi <= clr ? 32'd0 : hi + {31'd0, carry};
  assign value = {hi, lo};
endmodule
`default_nettype wire
