// Engine testbench, driven from tests/hdl/engine.test.ts (or by hand):
//   +midstate=<64 hex> +tail=<24 hex> +first=<8 hex> +last=<8 hex> +threshold=<decimal>
// Prints "FOUND <nonce>" per reported nonce and "DONE hashed=<n> cycles=<n>" at the end.
// LANES is a parameter (the tests build it with 1 and 3 lanes); LOOP > 0 builds the pipelined
// engine (kh_pipe_engine, one lane) instead, with LOOP clocks per nonce.
`timescale 1ns/1ps
`default_nettype none
module tb_engine #(parameter integer LANES = 1, parameter integer LOOP = 0, parameter integer ROUNDS = 1);
  reg clk = 0, rst = 1, start = 0;
  always #5 clk = ~clk;
  reg [255:0] midstate;
  reg [95:0]  tail;
  reg [31:0]  first, last;
  integer     threshold = 32;
  reg         load = 0;
  reg [3:0]   load_idx = 0;
  reg [31:0]  load_word = 0;
  wire busy, found, hashed;
  wire [LANES-1:0] found_lanes;
  wire [31:0] found_base;
  wire [3:0]  hashed_count;
  integer n_hashed = 0, cycles = 0, i;

  generate
    if (LOOP == 0) begin : lanes
      kh_engine #(.LANES(LANES)) dut (
          .clk(clk), .rst(rst), .start(start), .stop(1'b0),
          .ld_mid({midstate[223:128], midstate[95:32]}), .load(load), .load_idx(load_idx), .load_word(load_word),
          .threshold(threshold[5:0]), .busy(busy), .found(found), .found_lanes(found_lanes),
          .found_base(found_base), .hashed(hashed), .hashed_count(hashed_count));
    end else begin : pipe
      kh_pipe_engine #(.LOOP(LOOP), .ROUNDS(ROUNDS)) dut (
          .clk(clk), .rst(rst), .start(start), .stop(1'b0),
          .ld_mid({midstate[223:128], midstate[95:32]}), .load(load), .load_idx(load_idx), .load_word(load_word),
          .threshold(threshold[5:0]), .busy(busy), .found(found), .found_lanes(found_lanes),
          .found_base(found_base), .hashed(hashed), .hashed_count(hashed_count));
    end
  endgenerate

  always @(posedge clk) begin
    if (found)
      for (i = 0; i < LANES; i = i + 1) if (found_lanes[i]) $display("FOUND %h", found_base + i);
    if (hashed) n_hashed = n_hashed + hashed_count;
    if (busy) cycles = cycles + 1;
  end

  initial begin
    if (!$value$plusargs("midstate=%h", midstate) || !$value$plusargs("tail=%h", tail) ||
        !$value$plusargs("first=%h", first) || !$value$plusargs("last=%h", last)) begin
      $display("ERROR: needs +midstate= +tail= +first= +last=");
      $finish;
    end
    if ($value$plusargs("threshold=%d", threshold)) ;
    repeat (3) @(negedge clk);
    rst = 0;
    // The work's words as the core's loader streams them: midstate, tail, first, last.
    for (i = 0; i < 13; i = i + 1) begin
      @(negedge clk);
      load = 1;
      load_idx = i[3:0];
      load_word = (i < 8) ? midstate[255 - 32 * i -: 32] : (i < 11) ? tail[95 - 32 * (i - 8) -: 32] : (i == 11) ? first : last;
    end
    @(negedge clk) load = 0;
    start = 1;
    @(negedge clk) start = 0;
    // Busy from the cycle after start, unless the range is empty.
    @(negedge clk);
    wait (!busy);
    repeat (2) @(negedge clk);
    $display("DONE hashed=%0d cycles=%0d", n_hashed, cycles);
    $finish;
  end
endmodule
`default_nettype wire
