// kh_counter64 testbench (tests/hdl/counter.test.ts): counts across the 2^32 boundary in both
// builds (plain, and SB_MAC16 under yosys' model). Starting near the boundary means writing
// the low half's register directly, which is where the two builds differ.
// Prints "VALUE <hex>" after each step and "DONE".
`timescale 1ns/1ps
`default_nettype none
module tb_counter64;
  reg clk = 0, clr = 1;
  reg [3:0] inc = 0;
  wire [63:0] value;
  always #5 clk = ~clk;
  kh_counter64 dut (.clk(clk), .clr(clr), .inc(inc), .value(value));

  task step(input [3:0] n);
    begin
      inc = n;
      @(posedge clk);
      #1 $display("VALUE %h", value);
    end
  endtask

  initial begin
    @(posedge clk);
    #1 clr = 0;
    $display("VALUE %h", value);
    // Low half to 0xfffffff0 (high half stays 0).
`ifdef KH_ICE40_DSP
    dut.dsp.rQ = 16'hffff;
    dut.dsp.rS = 16'hfff0;
`else
    dut.lo_acc = 32'hfffffff0;
`endif
    #1 $display("VALUE %h", value);
    step(4'd15);   // ...ffff
    step(4'd1);    // 1_00000000: the carry steps the high half in the same clock
    step(4'd0);
    step(4'd9);
    clr = 1;
    step(4'd3);    // the clear wins
    clr = 0;
    step(4'd3);
    $display("DONE");
    $finish;
  end
endmodule
`default_nettype wire
