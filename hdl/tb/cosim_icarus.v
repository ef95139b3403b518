// Icarus Verilog harness for the co-simulation bridge (host/rtl/cosim/bridge.ts): the same line
// protocol as host/rtl/cosim/harness.cpp, read from stdin:
//   T <hex bytes>  → R <hex bytes> <cycles> <ready>      C <n> → C <cycles> <ready>      Q
//   W <n> → C <cycles> <ready>: up to n cycles, stopping once READY is high
`timescale 1ns/1ps
`default_nettype none
module cosim_icarus;
  parameter integer ENGINES = 1;
  parameter integer LOOP = 0;
  parameter integer ROUNDS = 1;
  parameter integer CLOCK_HZ = 12_000_000;
  localparam integer STDIN = 32'h8000_0000;
  reg clk = 0, sck = 0, mosi = 0, cs_n = 1;
  wire miso, ready;
  kh_top #(.ENGINES(ENGINES), .LOOP(LOOP), .ROUNDS(ROUNDS), .CLOCK_HZ(CLOCK_HZ)) dut (.clk(clk), .spi_sck(sck), .spi_mosi(mosi),
      .spi_cs_n(cs_n), .spi_miso(miso), .ready(ready));

  reg [63:0] cycles = 0;
  integer half = 4;
  task tick; begin #5 clk = 1; #5 clk = 0; cycles = cycles + 1; end endtask
  task run(input [63:0] n); reg [63:0] i; begin for (i = 0; i < n; i = i + 1) tick; end endtask
  task run_until_ready(input [63:0] n); reg [63:0] i; begin for (i = 0; i < n && !ready; i = i + 1) tick; end endtask

  reg [8*1024-1:0] line;
  reg [7:0] frame [0:511];
  integer n, i, b, r, c;
  reg [7:0] out, in;
  reg [63:0] count;

  function integer hexval(input [7:0] ch);
    if (ch >= "0" && ch <= "9") hexval = ch - "0";
    else if (ch >= "a" && ch <= "f") hexval = ch - "a" + 10;
    else if (ch >= "A" && ch <= "F") hexval = ch - "A" + 10;
    else hexval = -1;
  endfunction

  // The line as read sits right-aligned in `line`; find its first character.
  integer len, at;
  function [7:0] char_at(input integer k);  // k-th character from the start of the line
    char_at = line[8*(len - 1 - k) +: 8];
  endfunction

  initial begin
    if (!$value$plusargs("half=%d", half)) half = 4;
    run(32);
    forever begin
      line = 0;
      r = $fgets(line, STDIN);
      if (r == 0) $finish;
      len = r;
      c = char_at(0);
      if (c == "Q") $finish;
      if (c == "C") begin
        r = $sscanf(line, "C %d", count);
        run(count);
        $display("C %0d %0d", cycles, ready);
      end else if (c == "W") begin
        r = $sscanf(line, "W %d", count);
        run_until_ready(count);
        $display("C %0d %0d", cycles, ready);
      end else if (c == "T") begin
        at = 1;
        while (at < len && char_at(at) == " ") at = at + 1;
        n = 0;
        while (at + 1 < len && hexval(char_at(at)) >= 0 && hexval(char_at(at + 1)) >= 0) begin
          frame[n] = hexval(char_at(at)) * 16 + hexval(char_at(at + 1));
          n = n + 1;
          at = at + 2;
        end
        cs_n = 0;
        run(2 * half);
        for (i = 0; i < n; i = i + 1) begin
          out = frame[i];
          for (b = 7; b >= 0; b = b - 1) begin
            mosi = out[b];
            run(half);
            sck = 1;
            #1 in[b] = miso;
            run(half);
            sck = 0;
          end
          frame[i] = in;
        end
        run(half);
        cs_n = 1;
        run(2 * half);
        $write("R ");
        for (i = 0; i < n; i = i + 1) $write("%02h", frame[i]);
        $display(" %0d %0d", cycles, ready);
      end else begin
        $display("E unknown command");
      end
      $fflush(32'h8000_0001);
    end
  end
endmodule
`default_nettype wire
