// Engine testbench, driven from tests/hdl/engine.test.ts (or by hand):
//   +midstate=<64 hex> +tail=<24 hex> +first=<8 hex> +last=<8 hex> +threshold=<decimal>
// Prints "FOUND <nonce>" per reported nonce and "DONE hashed=<n> cycles=<n>" at the end.
// With +stop_at=<clocks> the engine is stopped that many clocks after the start ("STOPPED
// hashed=<n>" once it is idle), then the range +first2..+last2 is loaded and run to the end:
// nothing of the stopped work may leak into the second.
// LANES is a parameter (the tests build it with 1 and 3 lanes); LOOP > 0 builds the pipelined
// engine (kh_pipe_engine, one lane) instead, with LOOP clocks per nonce.
`timescale 1ns/1ps
`default_nettype none
module tb_engine #(parameter integer LANES = 1, parameter integer LOOP = 0, parameter integer ROUNDS = 1);
  reg clk = 0, rst = 1, start = 0;
  always #5 clk = ~clk;
  reg [255:0] midstate;
  reg [95:0]  tail;
  reg [31:0]  first, last, first2, last2;
  integer     stop_at = 0;
  reg         stop = 0;
  integer     threshold = 32;
  reg         load = 0;
  reg [3:0]   load_idx = 0;
  reg [31:0]  load_word = 0;
  wire busy, found, hashed;
  wire [LANES-1:0] found_lanes;
  wire [31:0] found_base;
  wire [3:0]  hashed_count;
  integer n_hashed = 0, cycles = 0, i, j;
  reg started = 0;

  generate
    if (LOOP == 0) begin : lanes
      kh_engine #(.LANES(LANES)) dut (
          .clk(clk), .rst(rst), .start(start), .stop(stop),
          .ld_mid({midstate[223:128], midstate[95:32]}), .load(load), .load_idx(load_idx), .load_word(load_word),
          .threshold(threshold[5:0]), .busy(busy), .found(found), .found_lanes(found_lanes),
          .found_base(found_base), .hashed(hashed), .hashed_count(hashed_count));
    end else begin : pipe
      kh_pipe_engine #(.LOOP(LOOP), .ROUNDS(ROUNDS)) dut (
          .clk(clk), .rst(rst), .start(start), .stop(stop),
          .ld_mid({midstate[223:128], midstate[95:32]}), .load(load), .load_idx(load_idx), .load_word(load_word),
          .threshold(threshold[5:0]), .busy(busy), .found(found), .found_lanes(found_lanes),
          .found_base(found_base), .hashed(hashed), .hashed_count(hashed_count));
    end
  endgenerate

  always @(posedge clk) begin
    if (found)
      for (i = 0; i < LANES; i = i + 1) if (found_lanes[i]) $display("FOUND %h", found_base + i);
    if (hashed) n_hashed = n_hashed + hashed_count;
    // From the start on: a pipelined engine is also busy while reset flushes it.
    if (busy && started) cycles = cycles + 1;
    // An engine that never goes idle (a lost count) fails here, not at the test's time limit.
    if (cycles > 1000000) begin
      $display("HUNG: busy for %0d clocks", cycles);
      $finish;
    end
  end

  // The work's words as the core's loader streams them (midstate, tail, first, last), then the start.
  task run(input [31:0] from, input [31:0] to);
    begin
      for (j = 0; j < 13; j = j + 1) begin
        @(negedge clk);
        load = 1;
        load_idx = j[3:0];
        load_word = (j < 8) ? midstate[255 - 32 * j -: 32] : (j < 11) ? tail[95 - 32 * (j - 8) -: 32] : (j == 11) ? from : to;
      end
      @(negedge clk) load = 0;
      start = 1;
      started = 1;
      @(negedge clk) start = 0;
    end
  endtask

  initial begin
    if (!$value$plusargs("midstate=%h", midstate) || !$value$plusargs("tail=%h", tail) ||
        !$value$plusargs("first=%h", first) || !$value$plusargs("last=%h", last)) begin
      $display("ERROR: needs +midstate= +tail= +first= +last=");
      $finish;
    end
    if ($value$plusargs("threshold=%d", threshold)) ;
    if ($value$plusargs("stop_at=%d", stop_at) &&
        (!$value$plusargs("first2=%h", first2) || !$value$plusargs("last2=%h", last2))) begin
      $display("ERROR: +stop_at= needs +first2= +last2=");
      $finish;
    end
    repeat (3) @(negedge clk);
    rst = 0;
    run(first, last);
    if (stop_at > 0) begin
      repeat (stop_at) @(negedge clk);
      stop = 1;
      @(negedge clk) stop = 0;
      wait (!busy);
      @(negedge clk);
      $display("STOPPED hashed=%0d", n_hashed);
      run(first2, last2);
    end
    // Busy from the cycle after start, unless the range is empty.
    @(negedge clk);
    wait (!busy);
    repeat (2) @(negedge clk);
    $display("DONE hashed=%0d cycles=%0d", n_hashed, cycles);
    $finish;
  end
endmodule
`default_nettype wire
