// kilohash mining core: SPI frames → registers → work queue → engines → result FIFO.
// The contract is docs/core-protocol.md (register map, frame format, work layout, errors);
// this file implements it and nothing else. Its numbers (addresses, bit positions, the work
// layout, depths) come from kh_protocol.vh, generated from src/core/protocol.ts.
//
//   MAGIC, VERSION, CAPS, CLOCK_HZ   R   identity
//   CONTROL                          W   RESET | CLEAR_ERRORS | ABORT
//   STATUS                           R   busy, queue, FIFO, errors, accepted works
//   NONCES_LO/HI, CYCLES_LO/HI       R   counters (reading _LO latches _HI)
//   WORK_ID                          R   the running work
//   WORK                             W   one work per frame
//   RESULT                           R   one result per frame, popped when the frame ends well
//   RESULT_PEEK                      R   the same words, not popped
//   RESULT_ACK                       W   pops the oldest result if its sequence number is the one written
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
  `include "kh_protocol.vh"   // the protocol's numbers, generated from src/core/protocol.ts

  localparam [31:0] CYCLES_PER_NONCE = 32'd134;
  // The generated integers at the widths the datapath compares them in: 32-bit arithmetic on
  // them would cost comparators and counters extra carry logic.
  localparam [6:0] HDR_BYTES   = KH_HEADER_BYTES;    // CMD ADDR COUNT HCRC
  localparam [6:0] DCRC_BYTES  = KH_DATA_CRC_BYTES;
  localparam [4:0] MAX_WORDS   = KH_MAX_FRAME_WORDS;
  localparam [4:0] WORK_WORDS  = KH_WORK_WORDS;
  localparam [4:0] RES_WORDS   = KH_RESULT_WORDS;
  localparam [1:0] QUEUE_DEPTH = KH_QUEUE_DEPTH;
  localparam [4:0] W_MID1 = KH_W_MIDSTATE + 1, W_MID2 = KH_W_MIDSTATE + 2, W_MID3 = KH_W_MIDSTATE + 3,
                   W_MID5 = KH_W_MIDSTATE + 5, W_MID6 = KH_W_MIDSTATE + 6, W_ID = KH_W_ID, W_THRESHOLD = KH_W_THRESHOLD;
  localparam [31:0] CAPS = (CYCLES_PER_NONCE << KH_CAPS_CYCLES_PER_NONCE) | (KH_FIFO_DEPTH << KH_CAPS_FIFO_DEPTH) |
                           (KH_QUEUE_DEPTH << KH_CAPS_QUEUE_DEPTH) | (ENGINES << KH_CAPS_ENGINES);

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
  kh_result_fifo #(.WIDTH(48), .DEPTH_LOG2(KH_FIFO_DEPTH_LOG2)) results (
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
  wire        queue_full = q_count == QUEUE_DEPTH;
  wire [31:0] status = ({24'd0, accepted} << KH_ST_ACCEPTED) | ({26'd0, errors} << KH_ST_ERRORS) |
                       ({27'd0, fifo_count} << KH_ST_RESULTS) | ({31'd0, !fifo_empty} << KH_ST_RESULT_READY) |
                       ({30'd0, q_count} << KH_ST_QUEUED) | ({31'd0, queue_full} << KH_ST_QUEUE_FULL) |
                       ({31'd0, active_busy} << KH_ST_BUSY);
  // Word 0 of a RESULT read: the oldest result's sequence number and work id, if there is one.
  wire [31:0] result_head = fifo_empty ? 32'd0 :
                            (32'd1 << KH_R_VALID) | ({24'd0, res_seq} << KH_R_SEQ) | ({16'd0, fifo_dout[47:32]} << KH_R_ID);

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
  wire        is_result = addr[5:1] == KH_A_RESULT[5:1];   // RESULT or RESULT_PEEK: they differ in bit 0 only

  wire [6:0] data_bytes = {count, 2'b00};
  wire [6:0] frame_len  = HDR_BYTES + data_bytes + DCRC_BYTES;
  wire [6:0] data_pos   = pos - HDR_BYTES;              // byte index within the data
  wire [3:0] word_idx   = data_pos[5:2];   // word within the data (at most 16)
  reg  [5:0] rd_addr;         // register of the word being sent (reads)
  wire [5:0] next_addr  = rd_addr + 6'd1;

  // Byte-position decisions, registered: pos, count, addr and cmd change only when a byte
  // arrives, and the next byte is at least 64 clocks away (SCK <= clk/8), so every decision
  // below reads a flip-flop instead of a chain of comparators.
  reg f_hdr, f_hcrc, f_data, f_dcrc, f_dcrc2, f_last, f_hvalid, f_next_nlo, f_next_clo;
  always @(posedge clk) begin
    f_hdr      <= pos < HDR_BYTES - 7'd1;
    f_hcrc     <= pos == HDR_BYTES - 7'd1;
    f_data     <= pos > HDR_BYTES - 7'd1 && pos < HDR_BYTES + data_bytes;
    f_dcrc     <= pos == HDR_BYTES + data_bytes;
    f_dcrc2    <= pos == HDR_BYTES + 7'd1 + data_bytes;
    f_last     <= data_pos + 7'd1 == data_bytes;
    f_hvalid   <= header_valid(cmd, addr, count);
    f_next_nlo <= next_addr == KH_A_NONCES_LO;
    f_next_clo <= next_addr == KH_A_CYCLES_LO;
  end

  function header_valid(input [7:0] c, input [5:0] a, input [4:0] n);
    header_valid = (c == KH_CMD_READ  && n != 5'd0 && n <= MAX_WORDS &&
                      (((a == KH_A_RESULT || a == KH_A_RESULT_PEEK) && n == RES_WORDS) ||
                       (a != KH_A_CONTROL && a <= KH_A_WORK_ID && ({1'b0, a} + {2'b0, n}) <= {1'b0, KH_A_WORK_ID} + 7'd1))) ||
                   (c == KH_CMD_WRITE && (((a == KH_A_CONTROL || a == KH_A_RESULT_ACK) && n == 5'd1) ||
                                          (a == KH_A_WORK && n == WORK_WORDS)));
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
      KH_A_MAGIC:       rv = KH_MAGIC;
      KH_A_VERSION:     rv = KH_VERSION;
      KH_A_CAPS:        rv = CAPS;
      KH_A_CLOCK_HZ:    rv = CLOCK_HZ;
      KH_A_STATUS:      rv = status;
      KH_A_NONCES_LO:   rv = nonces[31:0];
      KH_A_NONCES_HI:   rv = nonces_hi_latch;
      KH_A_CYCLES_LO:   rv = cycles[31:0];
      KH_A_CYCLES_HI:   rv = cycles_hi_latch;
      KH_A_WORK_ID:     rv = {active_busy, 15'd0, active_id};
      default:          rv = 32'd0;
    endcase
  end

  // Push requests from the frame side to the mining side.
  reg commit_work, do_abort;

  assign mem_we = rx_valid && f_data && cmd == KH_CMD_WRITE && data_pos[1:0] == 2'd3 && addr == KH_A_WORK;
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
          if (pos == 7'd2) count <= (rx_byte > {3'd0, MAX_WORDS}) ? 5'd0 : rx_byte[4:0];
          tx_byte <= 8'h00;
        end else if (f_hcrc) begin
          // HCRC: the header stands or falls here.
          if (rx_byte != hcrc) begin
            errors[KH_E_CRC] <= 1'b1;
            frame_bad <= 1'b1;
          end else if (cmd != KH_CMD_READ && cmd != KH_CMD_WRITE) begin
            errors[KH_E_CMD] <= 1'b1;
            frame_bad <= 1'b1;
          end else if (frame_bad || !f_hvalid) begin
            errors[KH_E_ADDR] <= 1'b1;
            frame_bad <= 1'b1;
          end else begin
            header_ok <= 1'b1;
          end
          if (rx_byte == hcrc && !frame_bad && f_hvalid && cmd == KH_CMD_READ) begin
            // First data byte of a read: capture its word now.
            rd_addr <= addr;
            tx_word <= rv;
            if (is_result) begin
              tx_word <= result_head;
              result_latched <= !fifo_empty;
            end
            if (addr == KH_A_NONCES_LO) nonces_hi_latch <= nonces[63:32];
            if (addr == KH_A_CYCLES_LO) cycles_hi_latch <= cycles[63:32];
            tx_byte <= is_result ? result_head[31:24] : rv[31:24];
          end else begin
            tx_byte <= (cmd == KH_CMD_READ) ? 8'hff : 8'h00;
            refused_read <= cmd == KH_CMD_READ;
          end
        end else if (f_data) begin
          // Data bytes.
          if (cmd == KH_CMD_WRITE) begin
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
          if (cmd == KH_CMD_WRITE && header_ok && rx_byte != dcrc[15:8]) begin
            errors[KH_E_CRC] <= 1'b1;
            frame_bad <= 1'b1;
          end
          tx_byte <= (cmd == KH_CMD_READ && header_ok) ? dcrc[7:0] : 8'h00;
        end else if (f_dcrc2) begin
          // DCRC's low byte.
          if (cmd == KH_CMD_WRITE && header_ok && !frame_bad) begin
            if (rx_byte == dcrc[7:0]) data_crc_ok <= 1'b1;
            else begin
              errors[KH_E_CRC] <= 1'b1;
              frame_bad <= 1'b1;
            end
          end
          tx_byte <= 8'h00;
        end else begin
          // Bytes past the frame's length.
          if (!frame_bad) errors[KH_E_FRAME] <= 1'b1;
          frame_bad <= 1'b1;
          tx_byte <= 8'h00;
        end
        // A refused read answers 0xff to its last byte, whatever length its header claimed: a
        // mix of 0xff and 0x00 could carry a matching CRC.
        if (refused_read) tx_byte <= 8'hff;
      end
      if (frame_end) begin
        if (pos != 7'd0 && (frame_partial || (header_ok && pos < frame_len) || (pos < 7'd4))) errors[KH_E_FRAME] <= 1'b1;
        // A RESULT read pops only once the frame that carried it ended correctly.
        if (header_ok && !frame_bad && !frame_partial && pos == frame_len && cmd == KH_CMD_READ && addr == KH_A_RESULT && result_latched)
          fifo_pop <= 1'b1;
        if (header_ok && !frame_bad && !frame_partial && pos == frame_len && cmd == KH_CMD_WRITE && data_crc_ok) begin
          if (addr == KH_A_WORK) commit_work <= 1'b1;
          if (addr == KH_A_CONTROL) begin
            if (wshift[KH_CTRL_RESET]) soft_reset <= 1'b1;
            if (wshift[KH_CTRL_CLEAR_ERRORS] || wshift[KH_CTRL_RESET]) errors <= 6'd0;
            if (wshift[KH_CTRL_ABORT]) do_abort <= 1'b1;
          end
          if (addr == KH_A_RESULT_ACK && !fifo_empty && wshift[7:0] == res_seq) fifo_pop <= 1'b1;
        end
      end
      if (soft_reset) errors <= 6'd0;
      if (commit_work && queue_full) errors[KH_E_QUEUE] <= 1'b1;
      if (fifo_push && fifo_full) errors[KH_E_FIFO] <= 1'b1;
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
      if (commit_work && !queue_full) begin
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
              W_MID1:      ld_mid[159:128] <= mem_rdata;
              W_MID2:      ld_mid[127:96]  <= mem_rdata;
              W_MID3:      ld_mid[95:64]   <= mem_rdata;
              W_MID5:      ld_mid[63:32]   <= mem_rdata;
              W_MID6:      ld_mid[31:0]    <= mem_rdata;
              W_ID:        active_id <= mem_rdata[15:0];   // FIRST, LAST: read by the engine
              W_THRESHOLD: threshold <= (mem_rdata[5:0] == 6'd0) ? 6'd1 : (mem_rdata[5:0] > 6'd32 ? 6'd32 : mem_rdata[5:0]);
              default: ;
            endcase
          end
          load_idx <= load_idx + 5'd1;
          if (load_idx == WORK_WORDS) load_state <= 2'd2;
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
      q_count <= q_count + ((commit_work && !queue_full) ? 2'd1 : 2'd0) - ((load_state == 2'd2) ? 2'd1 : 2'd0);
      if (do_abort) begin
        q_head <= q_tail;
        q_count <= 2'd0;
        if (load_state != 2'd3) load_state <= 2'd0;
      end
    end
  end
endmodule
`default_nettype wire
