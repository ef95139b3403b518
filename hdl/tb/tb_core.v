// Core testbench: talks to kh_core (behind kh_core_spi) only through SPI frames as docs/core-protocol.md defines
// them. Plusargs as tb_engine (+midstate +tail +first +last +expect) and +cycles (per nonce);
// prints PASS or FAIL lines.
`timescale 1ns/1ps
`default_nettype none
module tb_core;
  `include "kh_crc.vh"
  `include "kh_protocol.vh"
  reg clk = 0, rst = 1;
  always #5 clk = ~clk;
  reg sck = 0, mosi = 0, cs_n = 1;
  wire miso, ready, hashing;
  kh_core_spi #(.ENGINES(2), .CLOCK_HZ(36_000_000)) dut (.clk(clk), .rst(rst), .spi_sck(sck), .spi_mosi(mosi),
      .spi_cs_n(cs_n), .spi_miso(miso), .ready(ready), .hashing(hashing));

  integer failures = 0;
  integer cycles_per_nonce;   // as kh_core declares it (+cycles=)
  task check(input ok, input [8*48-1:0] what);
    begin
      if (ok) $display("PASS %0s", what);
      else begin $display("FAIL %0s", what); failures = failures + 1; end
    end
  endtask

  // One SPI byte, mode 0, SCK = clk/10.
  task spi_byte(input [7:0] out, output [7:0] in);
    integer i;
    begin
      for (i = 7; i >= 0; i = i - 1) begin
        mosi = out[i];
        #50 sck = 1; in[i] = miso;
        #50 sck = 0;
      end
    end
  endtask

  reg [7:0] rx, crc;
  reg [15:0] crc16v;
  reg [31:0] words [0:15];
  reg [7:0] resp_crc;

  task frame_begin; begin cs_n = 0; #100; end endtask
  task frame_end; begin #100 cs_n = 1; #200; end endtask

  task header(input [7:0] cmd, input [7:0] addr, input [7:0] count, input bad_crc);
    begin
      crc = 8'd0;
      spi_byte(cmd, rx);   crc = crc8_byte(crc, cmd);
      spi_byte(addr, rx);  crc = crc8_byte(crc, addr);
      spi_byte(count, rx); crc = crc8_byte(crc, count);
      spi_byte(crc ^ {7'd0, bad_crc}, rx);
    end
  endtask

  // Read `count` words from `addr` into words[]; resp_ok says the core's DCRC matched.
  reg resp_ok;
  task read_regs(input [7:0] addr, input [7:0] count);
    integer w, b;
    reg [15:0] dcrc;
    reg [7:0] rx2;
    begin
      frame_begin;
      header(KH_CMD_READ, addr, count, 1'b0);
      dcrc = 16'hffff;
      for (w = 0; w < count; w = w + 1)
        for (b = 0; b < 4; b = b + 1) begin
          spi_byte(8'h00, rx);
          words[w] = {words[w][23:0], rx};
          dcrc = crc16_byte(dcrc, rx);
        end
      spi_byte(8'h00, rx);
      spi_byte(8'h00, rx2);
      resp_ok = {rx, rx2} == dcrc;
      if (!resp_ok) $display("  crc mismatch: got %h%h want %h (words %h %h)", rx, rx2, dcrc, words[0], words[1]);
      frame_end;
    end
  endtask

  task write_regs(input [7:0] addr, input [7:0] count, input bad_hcrc, input bad_dcrc, input truncate);
    integer w, b;
    reg [15:0] dcrc;
    begin
      frame_begin;
      header(KH_CMD_WRITE, addr, count, bad_hcrc);
      dcrc = 16'hffff;
      for (w = 0; w < count; w = w + 1)
        for (b = 0; b < 4; b = b + 1) begin
          spi_byte(words[w][31 - 8*b -: 8], rx);
          dcrc = crc16_byte(dcrc, words[w][31 - 8*b -: 8]);
        end
      spi_byte(dcrc[15:8], rx);
      if (!truncate) spi_byte(dcrc[7:0] ^ {7'd0, bad_dcrc}, rx);
      frame_end;
    end
  endtask

  function [31:0] result_head(input [7:0] seq, input [15:0] id);
    result_head = (32'd1 << KH_R_VALID) | ({24'd0, seq} << KH_R_SEQ) | ({16'd0, id} << KH_R_ID);
  endfunction

  reg [255:0] midstate;
  reg [95:0] tail;
  reg [31:0] first, last, expect_nonce, status;
  task load_work(input [15:0] id, input bad_dcrc);
    integer i;
    begin
      for (i = 0; i < 8; i = i + 1) words[KH_W_MIDSTATE + i] = midstate[255 - 32*i -: 32];
      for (i = 0; i < 3; i = i + 1) words[KH_W_TAIL + i] = tail[95 - 32*i -: 32];
      words[KH_W_FIRST] = first; words[KH_W_LAST] = last; words[KH_W_ID] = {16'd0, id}; words[KH_W_THRESHOLD] = 32'd32;
      write_regs(KH_A_WORK, KH_WORK_WORDS, 1'b0, bad_dcrc, 1'b0);
    end
  endtask

  initial begin
    if (!$value$plusargs("midstate=%h", midstate) || !$value$plusargs("tail=%h", tail) ||
        !$value$plusargs("first=%h", first) || !$value$plusargs("last=%h", last) ||
        !$value$plusargs("expect=%h", expect_nonce) || !$value$plusargs("cycles=%d", cycles_per_nonce)) begin
      $display("FAIL needs +midstate= +tail= +first= +last= +expect= +cycles=");
      $finish;
    end
    crc = 8'd0;
    crc = crc8_byte(crc, "1"); crc = crc8_byte(crc, "2"); crc = crc8_byte(crc, "3");
    crc = crc8_byte(crc, "4"); crc = crc8_byte(crc, "5"); crc = crc8_byte(crc, "6");
    crc = crc8_byte(crc, "7"); crc = crc8_byte(crc, "8"); crc = crc8_byte(crc, "9");
    check(crc == 8'hf4, "crc8 check value");
    crc16v = 16'hffff;
    crc16v = crc16_byte(crc16v, "1"); crc16v = crc16_byte(crc16v, "2"); crc16v = crc16_byte(crc16v, "3");
    crc16v = crc16_byte(crc16v, "4"); crc16v = crc16_byte(crc16v, "5"); crc16v = crc16_byte(crc16v, "6");
    crc16v = crc16_byte(crc16v, "7"); crc16v = crc16_byte(crc16v, "8"); crc16v = crc16_byte(crc16v, "9");
    check(crc16v == 16'h29b1, "crc16 check value");
    #100 rst = 0; #100;

    read_regs(KH_A_MAGIC, 8'd4);
    check(resp_ok && words[0] == KH_MAGIC && words[1] == KH_VERSION, "identity: magic and version");
    check(words[2][KH_CAPS_ENGINES +: 8] == 8'd2 && words[2][KH_CAPS_QUEUE_DEPTH +: 4] == KH_QUEUE_DEPTH &&
          words[2][KH_CAPS_FIFO_DEPTH +: 8] == KH_FIFO_DEPTH && words[2][KH_CAPS_CYCLES_PER_NONCE +: 12] == cycles_per_nonce[11:0], "identity: caps");
    check(words[3] == 32'd36_000_000, "identity: clock");

    // A write with a corrupted data CRC is refused and flagged.
    load_work(16'h0001, 1'b1);
    read_regs(KH_A_STATUS, 8'd1); status = words[0];
    check(status[KH_ST_ERRORS +: 8] == 1 << KH_E_CRC && status[KH_ST_QUEUED +: 2] == 2'd0 && !status[KH_ST_BUSY], "bad DCRC: ERR_CRC, nothing queued");
    words[0] = 1 << KH_CTRL_CLEAR_ERRORS; write_regs(KH_A_CONTROL, 8'd1, 1'b0, 1'b0, 1'b0);   // CLEAR_ERRORS
    read_regs(KH_A_STATUS, 8'd1);
    check(words[0][KH_ST_ERRORS +: 8] == 8'h00, "CLEAR_ERRORS");

    // Unknown command, bad address, truncated frame.
    frame_begin; header(8'h41, KH_A_MAGIC, 8'd1, 1'b0); frame_end;
    read_regs(KH_A_STATUS, 8'd1);
    check(words[0][KH_ST_ERRORS + KH_E_CMD] == 1'b1, "unknown command: ERR_CMD");
    words[0] = 1 << KH_CTRL_CLEAR_ERRORS; write_regs(KH_A_CONTROL, 8'd1, 1'b0, 1'b0, 1'b0);
    words[0] = 32'h1; write_regs(KH_A_MAGIC, 8'd1, 1'b0, 1'b0, 1'b0);
    read_regs(KH_A_STATUS, 8'd1);
    check(words[0][KH_ST_ERRORS + KH_E_ADDR] == 1'b1, "write to read-only: ERR_ADDR");
    words[0] = 1 << KH_CTRL_CLEAR_ERRORS; write_regs(KH_A_CONTROL, 8'd1, 1'b0, 1'b0, 1'b0);
    load_work(16'h0002, 1'b0); // sanity: fine
    words[0] = 1 << KH_CTRL_ABORT; write_regs(KH_A_CONTROL, 8'd1, 1'b0, 1'b0, 1'b0);  // ABORT it again
    words[0] = 1 << KH_CTRL_RESET; write_regs(KH_A_CONTROL, 8'd1, 1'b0, 1'b0, 1'b0);  // RESET
    begin : trunc
      integer i;
      for (i = 0; i < 8; i = i + 1) words[i] = midstate[255 - 32*i -: 32];
      write_regs(KH_A_WORK, KH_WORK_WORDS, 1'b0, 1'b0, 1'b1);
    end
    read_regs(KH_A_STATUS, 8'd1);
    check(words[0][KH_ST_ERRORS + KH_E_FRAME] == 1'b1 && words[0][KH_ST_QUEUED +: 2] == 2'd0, "truncated frame: ERR_FRAME, nothing queued");
    words[0] = 1 << KH_CTRL_RESET; write_regs(KH_A_CONTROL, 8'd1, 1'b0, 1'b0, 1'b0);  // RESET

    // Real work: two works queued back to back; the second queued while the first hashes.
    load_work(16'h00a1, 1'b0);
    load_work(16'h00a2, 1'b0);
    read_regs(KH_A_STATUS, 8'd1); status = words[0];
    check(status[KH_ST_BUSY] && status[KH_ST_QUEUED +: 2] == 2'd1 && status[KH_ST_ACCEPTED +: 8] == 8'd2, "busy with one more work queued; two accepted");
    load_work(16'h00a3, 1'b0);
    load_work(16'h00a4, 1'b0);  // queue now full: refused
    read_regs(KH_A_STATUS, 8'd1); status = words[0];
    check(status[KH_ST_QUEUE_FULL] && status[KH_ST_ERRORS + KH_E_QUEUE] && status[KH_ST_ACCEPTED +: 8] == 8'd3, "queue full: QUEUE_FULL, ERR_QUEUE, the refused work not counted");

    wait (ready);
    read_regs(KH_A_RESULT, KH_RESULT_WORDS);
    check(resp_ok && words[0] == result_head(8'd0, 16'h00a1) && words[1] == expect_nonce, "result 1: work a1, the real nonce");
    // Nothing is lost to a broken read: cut the frame short, then read again.
    wait (ready);
    frame_begin; header(KH_CMD_READ, KH_A_RESULT, KH_RESULT_WORDS, 1'b0); spi_byte(8'h00, rx); frame_end;
    read_regs(KH_A_RESULT, KH_RESULT_WORDS);
    check(resp_ok && words[0] == result_head(8'd1, 16'h00a2) && words[1] == expect_nonce, "result 2 survives a broken read (sequence 1)");
    // Protocol 1.1: RESULT_PEEK leaves the result; RESULT_ACK pops it only by its sequence number.
    wait (ready);
    read_regs(KH_A_RESULT_PEEK, KH_RESULT_WORDS);
    check(resp_ok && words[0] == result_head(8'd2, 16'h00a3) && words[1] == expect_nonce, "result 3: the queue kept the engines busy");
    read_regs(KH_A_RESULT_PEEK, KH_RESULT_WORDS);
    check(resp_ok && words[0] == result_head(8'd2, 16'h00a3), "RESULT_PEEK does not pop");
    words[0] = 32'h1; write_regs(KH_A_RESULT_ACK, 8'd1, 1'b0, 1'b0, 1'b0);
    read_regs(KH_A_RESULT_PEEK, KH_RESULT_WORDS);
    check(resp_ok && words[0] == result_head(8'd2, 16'h00a3), "an acknowledgement naming another result pops nothing");
    words[0] = 32'h2; write_regs(KH_A_RESULT_ACK, 8'd1, 1'b0, 1'b1, 1'b0);
    read_regs(KH_A_RESULT_PEEK, KH_RESULT_WORDS);
    check(resp_ok && words[0] == result_head(8'd2, 16'h00a3), "a corrupted acknowledgement pops nothing");
    words[0] = 1 << KH_CTRL_CLEAR_ERRORS; write_regs(KH_A_CONTROL, 8'd1, 1'b0, 1'b0, 1'b0);  // CLEAR_ERRORS (the bad DCRC)
    words[0] = 32'h2; write_regs(KH_A_RESULT_ACK, 8'd1, 1'b0, 1'b0, 1'b0);
    read_regs(KH_A_RESULT_PEEK, KH_RESULT_WORDS);
    if (words[0][KH_R_VALID]) $display("  got %h %h", words[0], words[1]);
    check(resp_ok && words[0][KH_R_VALID] == 1'b0, "acknowledged: the FIFO is empty");
    words[0] = 32'h2; write_regs(KH_A_RESULT_ACK, 8'd1, 1'b0, 1'b0, 1'b0);   // the same acknowledgement again
    read_regs(KH_A_STATUS, 8'd1);
    check(words[0][KH_ST_ERRORS +: 8] == 8'h00 && words[0][KH_ST_RESULTS +: 8] == 8'd0, "a repeated acknowledgement is harmless");
    read_regs(KH_A_RESULT, KH_RESULT_WORDS);
    check(resp_ok && words[0][KH_R_VALID] == 1'b0, "empty FIFO reads as not valid");
    wait (!hashing);
    #1000;
    read_regs(KH_A_NONCES_LO, 8'd4);
    check(words[0] == 3 * (last - first + 1) && words[1] == 0, "nonce counter is exact");
    check(words[2] > 3 * (last - first + 1) * cycles_per_nonce / 2, "cycle counter runs");
    if (failures == 0) $display("ALL PASS");
    $finish;
  end
endmodule
`default_nettype wire
