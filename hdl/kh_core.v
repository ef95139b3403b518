// kilohash mining core: SPI frames → registers → work queue → engines → result FIFO.
// The contract is docs/core-protocol.md (register map, frame format, work layout, errors);
// this file implements it and nothing else.
//
//   addr  name       access
//   0x00  MAGIC      R   "KHAS"
//   0x01  VERSION    R   2.0
//   0x02  CAPS       R   engines | queue depth | FIFO depth | cycles per nonce
//   0x03  CLOCK_HZ   R
//   0x04  CONTROL    W   RESET | CLEAR_ERRORS | ABORT
//   0x05  STATUS     R   busy, queue, FIFO, errors
//   0x06  NONCES_LO  R   (latches NONCES_HI)      0x07 NONCES_HI
//   0x08  CYCLES_LO  R   (latches CYCLES_HI)      0x09 CYCLES_HI
//   0x0a  WORK_ID    R
//   0x10  WORK       W   15 words in one frame push one work
//   0x20  RESULT     R   one result (two words) per frame, popped when the frame ends well
//   0x21  RESULT_PEEK R  the same two words, not popped
//   0x22  RESULT_ACK W   pops the oldest result if its sequence number is the one written
`default_nettype none
module kh_core #(
    parameter integer ENGINES  = 1,
    parameter integer CLOCK_HZ = 36_000_000
) (
    input  wire clk,
    input  wire rst,
    input  wire spi_sck,
    input  wire spi_mosi,
    input  wire spi_cs_n,
    output wire spi_miso,
    output wire ready        // result FIFO not empty
);
  `include "kh_crc.vh"

  localparam [31:0] MAGIC   = 32'h4b484153;
  localparam [31:0] VERSION = 32'h00020000;
  localparam [31:0] CYCLES_PER_NONCE = 32'd134;
  localparam [31:0] CAPS = (CYCLES_PER_NONCE << 20) | (32'd16 << 12) | (32'd2 << 8) | ENGINES;
  localparam [7:0] CMD_READ = 8'h52, CMD_WRITE = 8'h57;
  localparam [5:0] A_MAGIC = 6'h00, A_VERSION = 6'h01, A_CAPS = 6'h02, A_CLOCK = 6'h03, A_CONTROL = 6'h04,
                   A_STATUS = 6'h05, A_NONCES_LO = 6'h06, A_NONCES_HI = 6'h07, A_CYCLES_LO = 6'h08,
                   A_CYCLES_HI = 6'h09, A_WORK_ID = 6'h0a, A_WORK = 6'h10, A_RESULT = 6'h20,
                   A_RESULT_PEEK = 6'h21, A_RESULT_ACK = 6'h22;
  localparam integer E_CRC = 0, E_CMD = 1, E_ADDR = 2, E_FRAME = 3, E_QUEUE = 4, E_FIFO = 5;

  // ── soft reset ──────────────────────────────────────────────────────────────────────────
  reg soft_reset;
  wire core_rst = rst | soft_reset;

  // ── SPI bytes ───────────────────────────────────────────────────────────────────────────
  wire       frame_start, frame_end, frame_partial, rx_valid;
  wire [7:0] rx_byte;
  reg  [7:0] tx_byte;
  kh_spi_slave spi (.clk(clk), .rst(rst), .sck(spi_sck), .mosi(spi_mosi), .cs_n(spi_cs_n), .miso(spi_miso),
                    .frame_start(frame_start), .frame_end(frame_end), .frame_partial(frame_partial),
                    .rx_valid(rx_valid), .rx_byte(rx_byte), .tx_byte(tx_byte));

  // ── state shared by the frame logic and the mining side ─────────────────────────────────
  reg  [5:0]  errors;
  wire [63:0] nonces, cycles;
  reg  [31:0] nonces_hi_latch, cycles_hi_latch;
  reg  [1:0]  q_head, q_tail;
  reg  [1:0]  q_count;
  reg         active_busy;
  reg  [15:0] active_id;

  // Work queue storage: 4 slots × 16 words in block RAM (slot = q_tail while a frame writes).
  // A word is written as its last byte arrives (mem_we, decided by the frame parser).
  reg  [31:0] work_mem [0:63];
  wire        mem_we;
  reg  [5:0]  mem_raddr;
  reg  [31:0] mem_rdata;

  // Result FIFO: {work id, nonce}.
  wire        fifo_empty, fifo_full;
  wire [4:0]  fifo_count;
  wire [47:0] fifo_dout;
  wire        fifo_push;
  reg         fifo_pop;
  wire [47:0] fifo_din;
  kh_result_fifo #(.WIDTH(48), .DEPTH_LOG2(4)) results (
      .clk(clk), .rst(core_rst), .push(fifo_push), .din(fifo_din), .pop(fifo_pop),
      .dout(fifo_dout), .empty(fifo_empty), .full(fifo_full), .count(fifo_count));
  assign ready = !fifo_empty;
  // Sequence number of the oldest result: results popped since reset, modulo 256. An
  // acknowledgement names it, so one that is repeated (its first copy arrived, the driver never
  // learnt so) finds a different number at the head and pops nothing.
  reg  [7:0]  res_seq;

  // Works the queue accepted since reset, modulo 256: a driver confirms a WORK write by this
  // count, whatever error flags earlier frames left.
  reg  [7:0]  accepted;
  wire [31:0] status = {accepted, 2'd0, errors, 3'd0, fifo_count, 3'd0, !fifo_empty, q_count, q_count == 2'd2, active_busy};

  // ── frame parser ────────────────────────────────────────────────────────────────────────
  reg  [6:0]  pos;            // index of the next byte to arrive
  reg  [7:0]  cmd, hcrc;
  reg  [15:0] dcrc;           // data CRC-16, running over the data bytes in either direction
  reg         refused_read;   // a read whose header failed: 0xff to the end, whatever its length
  reg  [5:0]  addr;
  reg  [4:0]  count;          // words, 1..16
  reg         header_ok;      // header valid and accepted
  reg         frame_bad;      // something in this frame already failed
  reg         data_crc_ok;
  reg  [23:0] wshift;         // write data: bytes of the current word so far
  reg  [31:0] tx_word;        // read data: the word being sent, captured at its first byte
  reg         result_latched; // RESULT/RESULT_PEEK read: word 0 said a result was there
  wire        is_result = addr[5:1] == 5'b10000;   // A_RESULT or A_RESULT_PEEK

  wire [6:0] data_bytes = {count, 2'b00};
  wire [6:0] frame_len  = 7'd4 + data_bytes + 7'd2;     // header, HCRC, data, DCRC (2 bytes)
  wire [6:0] data_pos   = pos - 7'd4;                   // byte index within the data
  wire [3:0] word_idx   = data_pos[5:2];   // word within the data (at most 16)
  reg  [5:0] rd_addr;         // register of the word being sent (reads)
  wire [5:0] next_addr  = rd_addr + 6'd1;

  // Byte-position decisions, registered: pos, count, addr and cmd change only when a byte
  // arrives, and the next byte is at least 64 clocks away (SCK <= clk/8), so every decision
  // below reads a flip-flop instead of a chain of comparators.
  reg f_hdr, f_hcrc, f_data, f_dcrc, f_dcrc2, f_last, f_hvalid, f_next_nlo, f_next_clo;
  always @(posedge clk) begin
    f_hdr      <= pos < 7'd3;
    f_hcrc     <= pos == 7'd3;
    f_data     <= pos > 7'd3 && pos < 7'd4 + data_bytes;
    f_dcrc     <= pos == 7'd4 + data_bytes;
    f_dcrc2    <= pos == 7'd5 + data_bytes;
    f_last     <= data_pos + 7'd1 == data_bytes;
    f_hvalid   <= header_valid(cmd, addr, count);
    f_next_nlo <= next_addr == A_NONCES_LO;
    f_next_clo <= next_addr == A_CYCLES_LO;
  end

  function header_valid(input [7:0] c, input [5:0] a, input [4:0] n);
    header_valid = (c == CMD_READ  && n != 5'd0 && n <= 5'd16 &&
                      (((a == A_RESULT || a == A_RESULT_PEEK) && n == 5'd2) ||
                       (a != A_CONTROL && a <= A_WORK_ID && ({1'b0, a} + {2'b0, n}) <= 7'd11))) ||
                   (c == CMD_WRITE && (((a == A_CONTROL || a == A_RESULT_ACK) && n == 5'd1) || (a == A_WORK && n == 5'd15)));
  endfunction

  // One register multiplexer serves both reads: the first word (at the header's CRC byte,
  // address addr) and each next one (at a word's last byte, next_addr), never in one cycle.
  // Its address is a register, set bytes before it is used (addr, rd_addr and f_hcrc change
  // only as bytes arrive); the values themselves are read live, so a counter's two halves
  // are still captured in one clock. It is an always @* block, not a function of the address:
  // a simulator re-evaluates a function call only when its arguments change, and Icarus then
  // returned counters and STATUS from when the address last moved (hardware reads them live).
  reg  [5:0]  rv_addr;
  reg  [31:0] rv;
  always @(posedge clk) rv_addr <= f_hcrc ? addr : next_addr;
  always @* begin
    case (rv_addr)
      A_MAGIC:     rv = MAGIC;
      A_VERSION:   rv = VERSION;
      A_CAPS:      rv = CAPS;
      A_CLOCK:     rv = CLOCK_HZ;
      A_STATUS:    rv = status;
      A_NONCES_LO: rv = nonces[31:0];
      A_NONCES_HI: rv = nonces_hi_latch;
      A_CYCLES_LO: rv = cycles[31:0];
      A_CYCLES_HI: rv = cycles_hi_latch;
      A_WORK_ID:   rv = {active_busy, 15'd0, active_id};
      default:     rv = 32'd0;
    endcase
  end

  // Push requests from the frame side to the mining side.
  reg commit_work, do_abort;

  assign mem_we = rx_valid && f_data && cmd == CMD_WRITE && data_pos[1:0] == 2'd3 && addr == A_WORK;
  always @(posedge clk) begin
    if (mem_we) work_mem[{q_tail, word_idx}] <= {wshift, rx_byte};
    mem_rdata <= work_mem[mem_raddr];
  end

  always @(posedge clk) begin
    fifo_pop    <= 1'b0;
    commit_work <= 1'b0;
    do_abort    <= 1'b0;
    soft_reset  <= 1'b0;
    if (rst) begin
      pos <= 7'd0;
      header_ok <= 1'b0;
      frame_bad <= 1'b0;
      tx_byte <= 8'h00;
      errors <= 6'd0;
    end else begin
      if (frame_start) begin
        pos         <= 7'd0;
        header_ok   <= 1'b0;
        frame_bad   <= 1'b0;
        data_crc_ok <= 1'b0;
        refused_read <= 1'b0;
        hcrc        <= 8'd0;
        dcrc        <= 16'hffff;
        tx_byte     <= 8'h00;
      end
      if (rx_valid) begin
        pos <= (pos == 7'd127) ? pos : pos + 7'd1;
        if (f_hdr) begin
          hcrc <= crc8_byte(hcrc, rx_byte);
          if (pos == 7'd0) cmd <= rx_byte;
          if (pos == 7'd1) addr <= rx_byte[5:0];
          if (pos == 7'd1 && rx_byte[7:6] != 2'd0) frame_bad <= 1'b1;
          if (pos == 7'd2) count <= (rx_byte > 8'd16) ? 5'd0 : rx_byte[4:0];
          tx_byte <= 8'h00;
        end else if (f_hcrc) begin
          // HCRC: the header stands or falls here.
          if (rx_byte != hcrc) begin
            errors[E_CRC] <= 1'b1;
            frame_bad <= 1'b1;
          end else if (cmd != CMD_READ && cmd != CMD_WRITE) begin
            errors[E_CMD] <= 1'b1;
            frame_bad <= 1'b1;
          end else if (frame_bad || !f_hvalid) begin
            errors[E_ADDR] <= 1'b1;
            frame_bad <= 1'b1;
          end else begin
            header_ok <= 1'b1;
          end
          if (rx_byte == hcrc && !frame_bad && f_hvalid && cmd == CMD_READ) begin
            // First data byte of a read: capture its word now.
            rd_addr <= addr;
            tx_word <= rv;
            if (is_result) begin
              tx_word <= fifo_empty ? 32'd0 : {1'b1, 7'd0, res_seq, fifo_dout[47:32]};
              result_latched <= !fifo_empty;
            end
            if (addr == A_NONCES_LO) nonces_hi_latch <= nonces[63:32];
            if (addr == A_CYCLES_LO) cycles_hi_latch <= cycles[63:32];
            tx_byte <= is_result ? {!fifo_empty, 7'd0} : rv[31:24];
          end else begin
            tx_byte <= (cmd == CMD_READ) ? 8'hff : 8'h00;
            refused_read <= cmd == CMD_READ;
          end
        end else if (f_data) begin
          // Data bytes.
          if (cmd == CMD_WRITE) begin
            dcrc <= crc16_byte(dcrc, rx_byte);
            wshift <= {wshift[15:0], rx_byte};   // its low byte ends as the word's bits [7:0]
            tx_byte <= 8'h00;
          end else if (header_ok) begin
            // This byte (data_pos) was just sent; choose the next one.
            dcrc <= crc16_byte(dcrc, tx_word_byte(tx_word, data_pos[1:0]));
            if (f_last) begin
              tx_byte <= crc16_byte(dcrc, tx_word_byte(tx_word, data_pos[1:0])) >> 8;
            end else if (data_pos[1:0] == 2'd3) begin
              if (is_result) begin
                // Word 1 of the result: the nonce, if word 0 said there was a result.
                tx_word <= result_latched ? fifo_dout[31:0] : 32'd0;
                tx_byte <= result_latched ? fifo_dout[31:24] : 8'd0;
              end else begin
                rd_addr <= next_addr;
                tx_word <= rv;
                tx_byte <= rv[31:24];
                if (f_next_nlo) nonces_hi_latch <= nonces[63:32];
                if (f_next_clo) cycles_hi_latch <= cycles[63:32];
              end
            end else begin
              tx_byte <= tx_word_byte(tx_word, data_pos[1:0] + 2'd1);
            end
          end else begin
            tx_byte <= 8'hff;
          end
        end else if (f_dcrc) begin
          // DCRC's high byte: from the host (writes), or ours went out (reads: the low one next).
          if (cmd == CMD_WRITE && header_ok && rx_byte != dcrc[15:8]) begin
            errors[E_CRC] <= 1'b1;
            frame_bad <= 1'b1;
          end
          tx_byte <= (cmd == CMD_READ && header_ok) ? dcrc[7:0] : 8'h00;
        end else if (f_dcrc2) begin
          // DCRC's low byte.
          if (cmd == CMD_WRITE && header_ok && !frame_bad) begin
            if (rx_byte == dcrc[7:0]) data_crc_ok <= 1'b1;
            else begin
              errors[E_CRC] <= 1'b1;
              frame_bad <= 1'b1;
            end
          end
          tx_byte <= 8'h00;
        end else begin
          // Bytes past the frame's length.
          if (!frame_bad) errors[E_FRAME] <= 1'b1;
          frame_bad <= 1'b1;
          tx_byte <= 8'h00;
        end
        // A refused read answers 0xff to its last byte, whatever length its header claimed: a
        // mix of 0xff and 0x00 could carry a matching CRC.
        if (refused_read) tx_byte <= 8'hff;
      end
      if (frame_end) begin
        if (pos != 7'd0 && (frame_partial || (header_ok && pos < frame_len) || (pos < 7'd4))) errors[E_FRAME] <= 1'b1;
        // A RESULT read pops only once the frame that carried it ended correctly.
        if (header_ok && !frame_bad && !frame_partial && pos == frame_len && cmd == CMD_READ && addr == A_RESULT && result_latched)
          fifo_pop <= 1'b1;
        if (header_ok && !frame_bad && !frame_partial && pos == frame_len && cmd == CMD_WRITE && data_crc_ok) begin
          if (addr == A_WORK) commit_work <= 1'b1;
          if (addr == A_CONTROL) begin
            if (wshift[0]) soft_reset <= 1'b1;
            if (wshift[1] || wshift[0]) errors <= 6'd0;
            if (wshift[2]) do_abort <= 1'b1;
          end
          if (addr == A_RESULT_ACK && !fifo_empty && wshift[7:0] == res_seq) fifo_pop <= 1'b1;
        end
      end
      if (soft_reset) errors <= 6'd0;
      if (commit_work && q_count == 2'd2) errors[E_QUEUE] <= 1'b1;
      if (fifo_push && fifo_full) errors[E_FIFO] <= 1'b1;
    end
  end

  function [7:0] tx_word_byte(input [31:0] w, input [1:0] i);
    case (i)
      2'd0: tx_word_byte = w[31:24];
      2'd1: tx_word_byte = w[23:16];
      2'd2: tx_word_byte = w[15:8];
      default: tx_word_byte = w[7:0];
    endcase
  endfunction

  // ── mining side: queue → active work → engine ──────────────────────────────────────────
  // The midstate words every pass loads into the lanes' state stay here; the rest of the work
  // (M0, M4, M7, the tail, the range) goes to the engine as the loader reads it.
  reg [159:0] ld_mid;       // {M1, M2, M3, M5, M6}
  reg [5:0]   threshold;
  reg [1:0]   load_state;   // 0 idle, 1 loading, 2 starting, 3 running
  reg [4:0]   load_idx;
  reg         engine_start;
  reg [1:0]   settle;

  wire               e_busy, e_found, e_hashed;
  wire [ENGINES-1:0] e_lanes;
  wire [31:0]        e_base;
  wire [3:0]         e_count;
  wire               word_valid = load_state == 2'd1 && load_idx != 5'd0;
  wire [3:0]         word_idx_l = load_idx[3:0] - 4'd1;
  kh_engine #(.LANES(ENGINES)) engine (
      .clk(clk), .rst(core_rst), .start(engine_start), .stop(do_abort),
      .ld_mid(ld_mid),
      .load(word_valid), .load_idx(word_idx_l), .load_word(mem_rdata), .threshold(threshold),
      .busy(e_busy), .found(e_found), .found_lanes(e_lanes), .found_base(e_base),
      .hashed(e_hashed), .hashed_count(e_count));

  // Results: a pass reports its lanes at once, one pass per 134 cycles, so they leave one per
  // cycle (lowest lane first) long before the next pass can report; the engine holds
  // found_base until then.
  reg [ENGINES-1:0] pending;
  reg [ENGINES-1:0] grant;
  reg [31:0]        grant_idx;
  integer j;
  always @* begin
    grant = {ENGINES{1'b0}};
    grant_idx = 32'd0;
    for (j = ENGINES - 1; j >= 0; j = j - 1) if (pending[j]) begin
      grant = {{ENGINES-1{1'b0}}, 1'b1} << j;
      grant_idx = j;
    end
  end
  assign fifo_push = !core_rst && !e_found && pending != {ENGINES{1'b0}};
  assign fifo_din  = {active_id, e_base + grant_idx};
  always @(posedge clk) begin
    if (core_rst)       pending <= {ENGINES{1'b0}};
    else if (e_found)   pending <= e_lanes;
    else if (fifo_push) pending <= pending & ~grant;
  end

  always @(posedge clk) begin
    if (core_rst)      res_seq <= 8'd0;
    else if (fifo_pop) res_seq <= res_seq + 8'd1;   // fifo_pop is only raised with a result there
  end

  // Nonce and cycle counters.
  kh_counter64 nonce_counter (.clk(clk), .clr(core_rst), .inc(e_hashed ? e_count : 4'd0), .value(nonces));
  kh_counter64 cycle_counter (.clk(clk), .clr(core_rst), .inc(4'd1), .value(cycles));

  // Queue pointers and the loader.
  always @(posedge clk) begin
    engine_start <= 1'b0;
    if (core_rst) begin
      q_head <= 2'd0;
      q_tail <= 2'd0;
      q_count <= 2'd0;
      load_state <= 2'd0;
      active_busy <= 1'b0;
      active_id <= 16'd0;
      accepted <= 8'd0;
    end else begin
      if (commit_work && q_count != 2'd2) begin
        q_tail <= q_tail + 2'd1;
        accepted <= accepted + 8'd1;
      end
      case (load_state)
        2'd0: if (q_count != 2'd0 && !e_busy) begin
          load_state <= 2'd1;
          load_idx   <= 5'd0;
          mem_raddr  <= {q_head, 4'd0};
        end
        2'd1: begin
          // mem_rdata holds word load_idx - 1 (one cycle of read latency).
          mem_raddr <= {q_head, load_idx[3:0] + 4'd1};
          if (load_idx != 5'd0) begin
            case (load_idx - 5'd1)
              5'd1: ld_mid[159:128] <= mem_rdata;    5'd2: ld_mid[127:96] <= mem_rdata;
              5'd3: ld_mid[95:64]   <= mem_rdata;    5'd5: ld_mid[63:32]  <= mem_rdata;
              5'd6: ld_mid[31:0]    <= mem_rdata;
              5'd13: active_id <= mem_rdata[15:0];     // 11, 12: the range, read by the engine
              5'd14: threshold <= (mem_rdata[5:0] == 6'd0) ? 6'd1 : (mem_rdata[5:0] > 6'd32 ? 6'd32 : mem_rdata[5:0]);
              default: ;
            endcase
          end
          load_idx <= load_idx + 5'd1;
          if (load_idx == 5'd15) load_state <= 2'd2;
        end
        2'd2: begin
          q_head       <= q_head + 2'd1;
          engine_start <= 1'b1;
          active_busy  <= 1'b1;
          settle       <= 2'd2;
          load_state   <= 2'd3;
        end
        default: begin
          if (settle != 2'd0) settle <= settle - 2'd1;
          else if (!e_busy) begin
            active_busy <= 1'b0;
            load_state  <= 2'd0;
          end
        end
      endcase
      // The count follows pushes and pops, including both in one cycle.
      q_count <= q_count + ((commit_work && q_count != 2'd2) ? 2'd1 : 2'd0) - ((load_state == 2'd2) ? 2'd1 : 2'd0);
      if (do_abort) begin
        q_head <= q_tail;
        q_count <= 2'd0;
        if (load_state != 2'd3) load_state <= 2'd0;
      end
    end
  end
endmodule
`default_nettype wire
