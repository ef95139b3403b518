// Frame parser: SPI bytes in, the frame's meaning out (docs/core-protocol.md §2). It checks the
// header and its CRC-8, the data CRC-16 of a write, the length; it streams a read's words out
// with their CRC; and it says what the frame did only once the frame ended well:
//   word_we        a write's data word is complete (word_idx, word) — the work queue stores
//                  WORK words as they arrive, and keeps them only if the frame commits
//   write_ok       a write frame ended well: `addr`, and its last word's low 24 bits (`wr_low`)
//   read_ok        a read frame ended well (a RESULT read pops only then)
//   err_set        error flags raised this cycle (CRC, CMD, ADDR, FRAME; at the KH_E_* positions)
// Reads ask the register file for words: `rd_sel_next` is the address of the next word to
// send (registered there), `rd_first`/`rd_next` say when `rd_data` is captured.
`default_nettype none
module kh_frame_parser (
    input  wire        clk,
    input  wire        rst,
    input  wire        frame_start,
    input  wire        frame_end,
    input  wire        frame_partial,   // the frame ended inside a byte
    input  wire        rx_valid,
    input  wire [7:0]  rx_byte,
    output reg  [7:0]  tx_byte,
    output reg  [5:0]  addr,
    // reads
    output wire [5:0]  rd_sel_next,
    output wire        rd_first,        // capture rd_data: the frame's first word
    output wire        rd_next,         // capture rd_data: the next word
    output wire        rd_word0,        // a capture now is of the frame's first word
    input  wire [31:0] rd_data,
    // writes
    output wire        word_we,
    output wire [3:0]  word_idx,
    output wire [31:0] word,
    output wire        write_ok,
    output wire [23:0] wr_low,
    output wire        read_ok,
    output wire [5:0]  err_set
);
  `include "kh_crc.vh"
  /* verilator lint_off UNUSEDPARAM */   // each module uses a few of the protocol's numbers
  `include "kh_protocol.vh"
  /* verilator lint_on UNUSEDPARAM */

  // The generated integers at the widths the parser compares them in: 32-bit arithmetic on
  // them would cost the comparators extra carry logic.
  localparam [6:0] HDR_BYTES  = KH_HEADER_BYTES[6:0];    // CMD ADDR COUNT HCRC
  localparam [6:0] DCRC_BYTES = KH_DATA_CRC_BYTES[6:0];
  localparam [4:0] MAX_WORDS  = KH_MAX_FRAME_WORDS[4:0];
  localparam [4:0] WORK_WORDS = KH_WORK_WORDS[4:0];
  localparam [4:0] RES_WORDS  = KH_RESULT_WORDS[4:0];

  reg  [6:0]  pos;            // index of the next byte to arrive
  reg  [7:0]  cmd, hcrc;
  reg  [15:0] dcrc;           // data CRC-16, running over the data bytes in either direction
  reg         refused_read;   // a read whose header failed: 0xff to the end, whatever its length
  reg  [4:0]  count;          // words, 1..16
  reg         header_ok;      // header valid and accepted
  reg         frame_bad;      // something in this frame already failed
  reg         data_crc_ok;
  reg  [23:0] wshift;         // write data: bytes of the current word so far
  reg  [31:0] tx_word;        // read data: the word being sent, captured at its first byte
  reg  [5:0]  rd_addr;        // register of the word being sent (reads)

  wire [6:0] data_bytes = {count, 2'b00};
  wire [6:0] frame_len  = HDR_BYTES + data_bytes + DCRC_BYTES;
  wire [6:0] data_pos   = pos - HDR_BYTES;   // byte index within the data
  wire [5:0] next_addr  = rd_addr + 6'd1;

  // Byte-position decisions, registered: pos, count, addr and cmd change only when a byte
  // arrives, and the next byte is at least 64 clocks away (SCK <= clk/8), so every decision
  // below reads a flip-flop instead of a chain of comparators.
  reg at_header, at_hcrc, in_data, at_dcrc_hi, at_dcrc_lo, at_last_data, header_fits;
  always @(posedge clk) begin
    at_header    <= pos < HDR_BYTES - 7'd1;
    at_hcrc      <= pos == HDR_BYTES - 7'd1;
    in_data      <= pos > HDR_BYTES - 7'd1 && pos < HDR_BYTES + data_bytes;
    at_dcrc_hi   <= pos == HDR_BYTES + data_bytes;
    at_dcrc_lo   <= pos == HDR_BYTES + 7'd1 + data_bytes;
    at_last_data <= data_pos + 7'd1 == data_bytes;
    header_fits  <= header_valid(cmd, addr, count);
  end

  function header_valid(input [7:0] c, input [5:0] a, input [4:0] n);
    header_valid = (c == KH_CMD_READ  && n != 5'd0 && n <= MAX_WORDS &&
                      (((a == KH_A_RESULT || a == KH_A_RESULT_PEEK) && n == RES_WORDS) ||
                       (a != KH_A_CONTROL && a <= KH_A_WORK_ID && ({1'b0, a} + {2'b0, n}) <= {1'b0, KH_A_WORK_ID} + 7'd1))) ||
                   (c == KH_CMD_WRITE && (((a == KH_A_CONTROL || a == KH_A_RESULT_ACK) && n == 5'd1) ||
                                          (a == KH_A_WORK && n == WORK_WORDS)));
  endfunction

  function [7:0] word_byte(input [31:0] w, input [1:0] i);
    case (i)
      2'd0: word_byte = w[31:24];
      2'd1: word_byte = w[23:16];
      2'd2: word_byte = w[15:8];
      default: word_byte = w[7:0];
    endcase
  endfunction

  wire [15:0] dcrc_sent = crc16_byte(dcrc, word_byte(tx_word, data_pos[1:0]));   // a read's CRC with this byte

  // The header's CRC byte, arriving well on a read the header allows: the first word goes out.
  wire header_read = rx_valid && at_hcrc && rx_byte == hcrc && !frame_bad && header_fits && cmd == KH_CMD_READ;
  wire word_end    = data_pos[1:0] == 2'd3;
  assign rd_first    = header_read;
  assign rd_next     = rx_valid && in_data && cmd == KH_CMD_READ && header_ok && !at_last_data && word_end;
  assign rd_sel_next = at_hcrc ? addr : next_addr;
  assign rd_word0    = at_hcrc;

  assign word_we  = rx_valid && in_data && cmd == KH_CMD_WRITE && word_end;
  assign word_idx = data_pos[5:2];
  assign word     = {wshift, rx_byte};
  assign wr_low   = wshift;

  wire ended_well = frame_end && header_ok && !frame_bad && !frame_partial && pos == frame_len;

  // The error flags, decided in one place: the byte that raises one also marks the frame bad.
  wire hcrc_bad  = rx_valid && at_hcrc && rx_byte != hcrc;
  wire cmd_bad   = rx_valid && at_hcrc && rx_byte == hcrc && cmd != KH_CMD_READ && cmd != KH_CMD_WRITE;
  wire addr_bad  = rx_valid && at_hcrc && rx_byte == hcrc && (cmd == KH_CMD_READ || cmd == KH_CMD_WRITE) && (frame_bad || !header_fits);
  wire dcrc_bad  = rx_valid && cmd == KH_CMD_WRITE && header_ok &&
                   ((at_dcrc_hi && rx_byte != dcrc[15:8]) || (at_dcrc_lo && !frame_bad && rx_byte != dcrc[7:0]));
  wire past_end  = rx_valid && !at_header && !at_hcrc && !in_data && !at_dcrc_hi && !at_dcrc_lo;   // bytes past the frame's length
  wire cut_short = frame_end && pos != 7'd0 && (frame_partial || (header_ok && pos < frame_len) || (pos < 7'd4));
  assign err_set = ({5'd0, hcrc_bad || dcrc_bad} << KH_E_CRC) | ({5'd0, cmd_bad} << KH_E_CMD) |
                   ({5'd0, addr_bad} << KH_E_ADDR) | ({5'd0, (past_end && !frame_bad) || cut_short} << KH_E_FRAME);
  assign write_ok = ended_well && cmd == KH_CMD_WRITE && data_crc_ok;
  assign read_ok  = ended_well && cmd == KH_CMD_READ;

  always @(posedge clk) begin
    if (rst) begin
      pos       <= 7'd0;
      header_ok <= 1'b0;
      frame_bad <= 1'b0;
      tx_byte   <= 8'h00;
    end else begin
      if (frame_start) begin
        pos          <= 7'd0;
        header_ok    <= 1'b0;
        frame_bad    <= 1'b0;
        data_crc_ok  <= 1'b0;
        refused_read <= 1'b0;
        hcrc         <= 8'd0;
        dcrc         <= 16'hffff;
        tx_byte      <= 8'h00;
      end
      if (rx_valid) begin
        pos <= (pos == 7'd127) ? pos : pos + 7'd1;
        if (at_header) begin
          hcrc <= crc8_byte(hcrc, rx_byte);
          if (pos == 7'd0) cmd <= rx_byte;
          if (pos == 7'd1) addr <= rx_byte[5:0];
          if (pos == 7'd1 && rx_byte[7:6] != 2'd0) frame_bad <= 1'b1;
          if (pos == 7'd2) count <= (rx_byte > {3'd0, MAX_WORDS}) ? 5'd0 : rx_byte[4:0];
          tx_byte <= 8'h00;
        end else if (at_hcrc) begin
          // HCRC: the header stands or falls here.
          if (hcrc_bad || cmd_bad || addr_bad) frame_bad <= 1'b1;
          else header_ok <= 1'b1;
          if (header_read) begin
            rd_addr <= addr;
            tx_word <= rd_data;
            tx_byte <= rd_data[31:24];
          end else begin
            tx_byte <= (cmd == KH_CMD_READ) ? 8'hff : 8'h00;
            refused_read <= cmd == KH_CMD_READ;
          end
        end else if (in_data) begin
          if (cmd == KH_CMD_WRITE) begin
            dcrc <= crc16_byte(dcrc, rx_byte);
            wshift <= {wshift[15:0], rx_byte};   // its low byte ends as the word's bits [7:0]
            tx_byte <= 8'h00;
          end else if (header_ok) begin
            // This byte (data_pos) was just sent; choose the next one.
            dcrc <= dcrc_sent;
            if (at_last_data) begin
              tx_byte <= dcrc_sent[15:8];
            end else if (word_end) begin
              rd_addr <= next_addr;   // (a result read's words ignore it)
              tx_word <= rd_data;
              tx_byte <= rd_data[31:24];
            end else begin
              tx_byte <= word_byte(tx_word, data_pos[1:0] + 2'd1);
            end
          end else begin
            tx_byte <= 8'hff;
          end
        end else if (at_dcrc_hi) begin
          // DCRC's high byte: from the host (writes), or ours went out (reads: the low one next).
          if (dcrc_bad) frame_bad <= 1'b1;
          tx_byte <= (cmd == KH_CMD_READ && header_ok) ? dcrc[7:0] : 8'h00;
        end else if (at_dcrc_lo) begin
          // DCRC's low byte.
          if (cmd == KH_CMD_WRITE && header_ok && !frame_bad && rx_byte == dcrc[7:0]) data_crc_ok <= 1'b1;
          if (dcrc_bad) frame_bad <= 1'b1;
          tx_byte <= 8'h00;
        end else begin
          // Bytes past the frame's length.
          frame_bad <= 1'b1;
          tx_byte <= 8'h00;
        end
        // A refused read answers 0xff to its last byte, whatever length its header claimed: a
        // mix of 0xff and 0x00 could carry a matching CRC.
        if (refused_read) tx_byte <= 8'hff;
      end
    end
  end
endmodule
`default_nettype wire
