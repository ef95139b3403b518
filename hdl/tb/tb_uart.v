// UART core testbench: talks to kh_top_uart only through its serial line, as
// docs/core-protocol.md §9 frames it — escaping on the way in, a byte with a low stop bit, a bad
// escape, a frame split by a stray END, a glitch on the idle line, and a host whose baud rate
// is 2 % off either way. Prints PASS or FAIL lines, then ALL PASS.
`timescale 1ns/1ps
`default_nettype none
module tb_uart;
  `include "kh_crc.vh"
  `include "kh_protocol.vh"
  localparam real CORE_BIT_NS = 80.0;   // 24 MHz core (simulated at 100 MHz), 3 Mbaud: 8 cycles a bit
  reg clk = 0;
  always #5 clk = ~clk;
  reg rx = 1;
  wire tx, ready, hashing;
  kh_top_uart #(.ENGINES(1), .CLOCK_HZ(24_000_000), .BAUD(3_000_000)) dut (
      .clk(clk), .uart_rx(rx), .uart_tx(tx), .ready(ready), .hashing(hashing));

  integer failures = 0, fi;
  task check(input ok, input [8*56-1:0] what);
    begin
      if (ok) $display("PASS %0s", what);
      else begin
        $display("FAIL %0s (STATUS %h, answered %0d, %0d of %0d bytes)", what, status, answered, got_n, fr_n);
        failures = failures + 1;
        for (fi = 0; fi < got_n; fi = fi + 1) $write(" %h", got[fi]);
        $write("\n");
      end
    end
  endtask

  // ── the host's transmitter ──────────────────────────────────────────────────────────────
  real bit_ns = 80.0;
  task line_byte(input [7:0] b, input stop_ok);
    integer i;
    begin
      rx = 0; #(bit_ns);
      for (i = 0; i < 8; i = i + 1) begin rx = b[i]; #(bit_ns); end
      rx = stop_ok; #(bit_ns);
      if (!stop_ok) begin rx = 1; #(bit_ns); end
    end
  endtask
  task send_escaped(input [7:0] b, input stop_ok);
    begin
      if (b == KH_UART_END) begin line_byte(KH_UART_ESC, 1'b1); line_byte(KH_UART_ESC_END, stop_ok); end
      else if (b == KH_UART_ESC) begin line_byte(KH_UART_ESC, 1'b1); line_byte(KH_UART_ESC_ESC, stop_ok); end
      else line_byte(b, stop_ok);
    end
  endtask

  // ── the host's receiver: always listening; the core's answers are plain bytes ─────────
  reg [7:0] got [0:255];
  integer got_n = 0, rx_framing = 0;
  reg [7:0] rb;
  integer ri;
  always begin
    @(negedge tx);
    #(CORE_BIT_NS / 2);
    if (tx == 1'b0) begin
      for (ri = 0; ri < 8; ri = ri + 1) begin #(CORE_BIT_NS); rb[ri] = tx; end
      #(CORE_BIT_NS);
      if (tx != 1'b1) rx_framing = rx_framing + 1;
      else begin got[got_n] = rb; got_n = got_n + 1; end
    end
  end

  // ── frames ──────────────────────────────────────────────────────────────────────────────
  reg [7:0] fr [0:79];
  integer fr_n;
  reg [31:0] words [0:15];
  integer bad_at;       // index of a byte to send with a low stop bit (-1: none)
  integer split_at;     // index before which a stray END goes (-1: none)

  task build(input [7:0] cmd, input [7:0] addr, input [7:0] count);
    integer w, b;
    reg [7:0] c;
    reg [15:0] d;
    begin
      fr[0] = cmd; fr[1] = addr; fr[2] = count;
      c = crc8_byte(crc8_byte(crc8_byte(8'd0, cmd), addr), count);
      fr[3] = c;
      d = 16'hffff;
      for (w = 0; w < count; w = w + 1)
        for (b = 0; b < 4; b = b + 1) begin
          fr[4 + 4*w + b] = cmd == KH_CMD_WRITE ? words[w][31 - 8*b -: 8] : 8'h00;
          d = crc16_byte(d, fr[4 + 4*w + b]);
        end
      fr[4 + 4*count] = cmd == KH_CMD_WRITE ? d[15:8] : 8'h00;
      fr[5 + 4*count] = cmd == KH_CMD_WRITE ? d[7:0] : 8'h00;
      fr_n = 6 + 4*count;
    end
  endtask

  // Sends the frame (END first); the answers follow each byte within a few cycles, so two
  // byte times after the closing END they are all in.
  reg answered;
  task exchange;
    integer i;
    begin
      got_n = 0;
      line_byte(KH_UART_END, 1'b1);
      for (i = 0; i < fr_n; i = i + 1) begin
        if (i == split_at) line_byte(KH_UART_END, 1'b1);
        send_escaped(fr[i], i != bad_at);
      end
      line_byte(KH_UART_END, 1'b1);
      #(20 * CORE_BIT_NS);
      answered = got_n == fr_n;
      bad_at = -1;
      split_at = -1;
    end
  endtask

  // A read: words[] from the answer; reply_ok when its length and DCRC are right.
  reg reply_ok;
  task read_regs(input [7:0] addr, input [7:0] count);
    integer w, b;
    reg [15:0] d;
    begin
      build(KH_CMD_READ, addr, count);
      exchange;
      d = 16'hffff;
      for (w = 0; w < count; w = w + 1)
        for (b = 0; b < 4; b = b + 1) begin
          words[w] = {words[w][23:0], got[3 + 4*w + b]};
          d = crc16_byte(d, got[3 + 4*w + b]);
        end
      reply_ok = answered && {got[3 + 4*count], got[4 + 4*count]} == d;
    end
  endtask

  task write_regs(input [7:0] addr, input [7:0] count);
    begin
      build(KH_CMD_WRITE, addr, count);
      exchange;
    end
  endtask

  reg [31:0] status;
  task read_status;
    begin
      read_regs(KH_A_STATUS, 8'd1);
      status = words[0];
    end
  endtask
  // Functions, not wires: a wire would settle only after the check that reads it.
  function [7:0] errors(input dummy); errors = status[KH_ST_ERRORS +: 8]; endfunction
  function [7:0] accepted(input dummy); accepted = status[KH_ST_ACCEPTED +: 8]; endfunction

  task reset_core;
    begin
      words[0] = 32'd1 << KH_CTRL_RESET;
      write_regs(KH_A_CONTROL, 8'd1);
    end
  endtask

  // A work whose words are full of END and ESC bytes, with work id 0xc0db.
  task work_words;
    integer i;
    begin
      for (i = 0; i < KH_WORK_WORDS; i = i + 1) words[i] = 32'hc0db_c0db ^ i;
      words[KH_W_FIRST] = 32'd0;
      words[KH_W_LAST] = 32'hffff_ffff;
      words[KH_W_ID] = 32'h0000_c0db;
      words[KH_W_THRESHOLD] = 32'd32;
    end
  endtask

  initial begin
    bad_at = -1;
    split_at = -1;
    #1000;

    read_regs(KH_A_MAGIC, 8'd2);
    check(reply_ok && words[0] == KH_MAGIC && words[1] == KH_VERSION, "identity over the line");
    check(got_n == fr_n, "a frame of n bytes is answered by n bytes");
    read_status;
    check(reply_ok && errors(0) == 8'd0 && accepted(0) == 8'd0, "STATUS: no errors, nothing accepted");

    work_words;
    write_regs(KH_A_WORK, KH_WORK_WORDS);
    check(answered, "a WORK frame full of END and ESC bytes: a byte for each");
    read_status;
    check(reply_ok && errors(0) == 8'd0 && accepted(0) == 8'd1 && status[KH_ST_BUSY], "it was unescaped and taken: the core hashes");
    read_regs(KH_A_WORK_ID, 8'd1);
    check(reply_ok && words[0] == 32'h8000_c0db, "WORK_ID 0xc0db comes back intact");
    reset_core;
    read_status;
    check(reply_ok && errors(0) == 8'd0 && accepted(0) == 8'd0 && !status[KH_ST_BUSY], "CONTROL.RESET over the line");

    work_words;
    bad_at = 30;
    write_regs(KH_A_WORK, KH_WORK_WORDS);
    read_status;
    // The damaged byte is not passed on, so the CRC fails too where the frame's end should be.
    check(reply_ok && (errors(0) & (8'd1 << KH_E_FRAME)) != 8'd0 && accepted(0) == 8'd0, "a byte with a low stop bit: ERR_FRAME, work refused");
    reset_core;

    build(KH_CMD_READ, KH_A_STATUS, 8'd1);
    got_n = 0;
    begin : bad_escape
      integer i;
      line_byte(KH_UART_END, 1'b1);
      for (i = 0; i < 3; i = i + 1) line_byte(fr[i], 1'b1);
      line_byte(KH_UART_ESC, 1'b1);
      line_byte(8'h00, 1'b1);
      line_byte(KH_UART_END, 1'b1);
      #(20 * CORE_BIT_NS);
    end
    read_status;
    check(reply_ok && errors(0) == (8'd1 << KH_E_FRAME), "a bad escape: ERR_FRAME");
    reset_core;

    work_words;
    split_at = 20;
    write_regs(KH_A_WORK, KH_WORK_WORDS);
    read_status;
    check(reply_ok && accepted(0) == 8'd0 && errors(0) != 8'd0, "a WORK split by a stray END: refused");
    reset_core;

    rx = 0; #20; rx = 1; #(4 * CORE_BIT_NS);
    read_regs(KH_A_MAGIC, 8'd2);
    check(reply_ok && words[0] == KH_MAGIC, "a glitch on the idle line is ignored");
    read_status;
    check(reply_ok && errors(0) == 8'd0, "  and raises no error");

    bit_ns = CORE_BIT_NS * 1.02;
    work_words;
    write_regs(KH_A_WORK, KH_WORK_WORDS);
    read_regs(KH_A_WORK_ID, 8'd1);
    check(reply_ok && words[0] == 32'h8000_c0db, "a host 2 % slow: WORK and WORK_ID");
    reset_core;
    bit_ns = CORE_BIT_NS * 0.98;
    work_words;
    write_regs(KH_A_WORK, KH_WORK_WORDS);
    read_regs(KH_A_WORK_ID, 8'd1);
    check(reply_ok && words[0] == 32'h8000_c0db, "a host 2 % fast: WORK and WORK_ID");
    bit_ns = CORE_BIT_NS;
    read_status;
    check(reply_ok && errors(0) == 8'd0 && accepted(0) == 8'd1, "  no errors, one work accepted");

    check(rx_framing == 0, "every byte the core sent had its stop bit");
    if (failures == 0) $display("ALL PASS");
    $finish;
  end
endmodule
`default_nettype wire
