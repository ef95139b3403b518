// Engine testbench, driven from tests/hdl/engine.test.ts (or by hand):
//   +midstate=<64 hex> +tail=<24 hex> +first=<8 hex> +last=<8 hex> +threshold=<decimal> +stride=<decimal>
// Prints "FOUND <nonce>" per reported nonce and "DONE hashed=<n> cycles=<n>" at the end.
`timescale 1ns/1ps
`default_nettype none
module tb_engine;
  reg clk = 0, rst = 1, start = 0;
  always #5 clk = ~clk;
  reg [255:0] midstate;
  reg [95:0]  tail;
  reg [31:0]  first, last;
  integer     threshold = 32, stride = 1;
  wire busy, found, hashed;
  wire [31:0] found_nonce;
  integer n_hashed = 0, cycles = 0;

  kh_engine dut (.clk(clk), .rst(rst), .start(start), .stop(1'b0),
                 .first_nonce(first), .last_nonce(last), .stride(stride[7:0]),
                 .midstate(midstate), .tail(tail), .threshold(threshold[5:0]),
                 .busy(busy), .found(found), .found_nonce(found_nonce), .hashed(hashed));

  always @(posedge clk) begin
    if (found) $display("FOUND %h", found_nonce);
    if (hashed) n_hashed = n_hashed + 1;
    if (busy) cycles = cycles + 1;
  end

  initial begin
    if (!$value$plusargs("midstate=%h", midstate) || !$value$plusargs("tail=%h", tail) ||
        !$value$plusargs("first=%h", first) || !$value$plusargs("last=%h", last)) begin
      $display("ERROR: needs +midstate= +tail= +first= +last=");
      $finish;
    end
    if ($value$plusargs("threshold=%d", threshold)) ;
    if ($value$plusargs("stride=%d", stride)) ;
    repeat (3) @(negedge clk);
    rst = 0;
    @(negedge clk) start = 1;
    @(negedge clk) start = 0;
    wait (busy);
    wait (!busy);
    repeat (2) @(negedge clk);
    $display("DONE hashed=%0d cycles=%0d", n_hashed, cycles);
    $finish;
  end
endmodule
`default_nettype wire
