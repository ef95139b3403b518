// kilohash mining core: frames → registers → work queue → engine → result FIFO.
// The contract is docs/core-protocol.md (register map, frame format, work layout, errors);
// its numbers (addresses, bit positions, the work layout, depths) come from kh_protocol.vh,
// generated from src/core/protocol.ts. The core sees a frame as bytes between a start and an
// end; the link that carries them is outside it (kh_core_spi: SPI, kh_core_uart: a UART).
// For each byte received, `tx_byte` is the byte the link sends during the next one (the
// first byte of a frame is answered with 0x00). One module per job, joined here:
//
//   kh_frame_parser    bytes → header, CRCs, the words of a read or write, error flags
//   kh_regfile         what reads see (identity, STATUS, counters, results) and what
//                      CONTROL and RESULT_ACK do; the error flags
//   kh_work_queue      WORK frames → queue slots → loaded into the engine
//   kh_engine          the hashing lanes (or kh_pipe_engine, the pipeline for large parts)
//   kh_result_arbiter  lanes that met the threshold → result FIFO, with sequence numbers
`default_nettype none
module kh_core #(
    parameter integer ENGINES  = 1,           // iterative lanes (kh_engine), when LOOP = 0
    parameter integer LOOP     = 0,           // > 0: the pipelined engine instead (kh_pipe_engine),
                                              // one nonce every LOOP clocks; ENGINES must be 1
    parameter integer ROUNDS   = 1,           // the pipelined engine's rounds per stage and clock
    parameter integer CLOCK_HZ = 36_000_000
) (
    input  wire clk,
    input  wire rst,
    // the link: one frame's bytes
    input  wire       frame_start,   // pulse: a frame begins
    input  wire       frame_end,     // pulse: it ends
    input  wire       frame_partial, // with frame_end: it ended inside a byte, or damaged
    input  wire       rx_valid,      // pulse: rx_byte is the frame's next byte
    input  wire [7:0] rx_byte,
    output wire [7:0] tx_byte,       // the answer to send next; settled 2 cycles after rx_valid
    output wire       ready,         // result FIFO not empty
    output wire       hashing        // a work is being hashed
);
  /* verilator lint_off UNUSEDPARAM */   // each module uses a few of the protocol's numbers
  `include "kh_protocol.vh"
  /* verilator lint_on UNUSEDPARAM */

  localparam [31:0] LANE_CYCLES_PER_NONCE = 32'd134;
  localparam [31:0] CYCLES_PER_NONCE = (LOOP == 0) ? LANE_CYCLES_PER_NONCE : LOOP;

  // CONTROL.RESET (core_rst) resets the queue, the engine, the result FIFO and the counters;
  // the frame parser and the register file run on the power-on reset only (the register file
  // clears the error flags on CONTROL.RESET itself).
  wire soft_reset;
  wire core_rst = rst | soft_reset;

  // ── frames ──────────────────────────────────────────────────────────────────────────────
  wire [5:0]  addr, rd_sel_next, err_set;
  wire        rd_first, rd_next, rd_word0, word_we, write_ok, read_ok;
  wire [31:0] rd_data, word;
  wire [3:0]  word_idx;
  wire [23:0] wr_low;
  kh_frame_parser parser (
      .clk(clk), .rst(rst), .frame_start(frame_start), .frame_end(frame_end), .frame_partial(frame_partial),
      .rx_valid(rx_valid), .rx_byte(rx_byte), .tx_byte(tx_byte), .addr(addr),
      .rd_sel_next(rd_sel_next), .rd_first(rd_first), .rd_next(rd_next), .rd_word0(rd_word0), .rd_data(rd_data),
      .word_we(word_we), .word_idx(word_idx), .word(word), .write_ok(write_ok), .wr_low(wr_low),
      .read_ok(read_ok), .err_set(err_set));

  // ── registers ───────────────────────────────────────────────────────────────────────────
  wire [63:0] nonces, cycles;
  wire [7:0]  accepted, res_seq;
  wire [1:0]  queued;
  wire        queue_full, queue_overflow, busy, abort, res_pop, res_valid, fifo_overflow;
  wire [15:0] active_id, res_id;
  wire [31:0] res_nonce;
  wire [KH_FIFO_DEPTH_LOG2:0] res_count;
  kh_regfile #(.ENGINES(ENGINES), .CLOCK_HZ(CLOCK_HZ), .CYCLES_PER_NONCE(CYCLES_PER_NONCE)) regs (
      .clk(clk), .rst(rst), .addr(addr), .rd_sel_next(rd_sel_next), .rd_first(rd_first), .rd_next(rd_next),
      .rd_word0(rd_word0), .rd_data(rd_data), .write_ok(write_ok), .wr_low(wr_low), .read_ok(read_ok), .err_set(err_set),
      .nonces(nonces), .cycles(cycles), .accepted(accepted), .queued(queued), .queue_full(queue_full),
      .busy(busy), .active_id(active_id), .res_valid(res_valid), .res_seq(res_seq), .res_id(res_id),
      .res_nonce(res_nonce), .res_count(res_count), .queue_overflow(queue_overflow), .fifo_overflow(fifo_overflow),
      .soft_reset(soft_reset), .abort(abort), .res_pop(res_pop));

  // ── work: queue → engine ────────────────────────────────────────────────────────────────
  // A WORK frame joins the queue the cycle after its frame ended well.
  reg commit_work;
  always @(posedge clk) commit_work <= !rst && write_ok && addr == KH_A_WORK;

  wire               engine_busy, engine_start, load, found, hashed;
  wire [3:0]         load_idx, hashed_count;
  wire [31:0]        load_word, found_base;
  wire [159:0]       midstate_words;
  wire [5:0]         threshold;
  wire [ENGINES-1:0] found_lanes;
  kh_work_queue #(.DEPTH(KH_QUEUE_DEPTH)) queue (
      .clk(clk), .rst(core_rst), .word_we(word_we && addr == KH_A_WORK), .word_idx(word_idx), .word(word),
      .commit(commit_work), .abort(abort), .queued(queued), .queue_full(queue_full), .accepted(accepted),
      .overflow(queue_overflow), .busy(busy), .active_id(active_id), .engine_busy(engine_busy),
      .engine_start(engine_start), .load(load), .load_idx(load_idx), .load_word(load_word),
      .midstate_words(midstate_words), .threshold(threshold));

  generate
    if (LOOP == 0) begin : lanes
      kh_engine #(.LANES(ENGINES)) engine (
          .clk(clk), .rst(core_rst), .start(engine_start), .stop(abort),
          .ld_mid(midstate_words),
          .load(load), .load_idx(load_idx), .load_word(load_word), .threshold(threshold),
          .busy(engine_busy), .found(found), .found_lanes(found_lanes), .found_base(found_base),
          .hashed(hashed), .hashed_count(hashed_count));
    end else begin : pipe
      kh_pipe_engine #(.LOOP(LOOP), .ROUNDS(ROUNDS)) engine (
          .clk(clk), .rst(core_rst), .start(engine_start), .stop(abort),
          .ld_mid(midstate_words),
          .load(load), .load_idx(load_idx), .load_word(load_word), .threshold(threshold),
          .busy(engine_busy), .found(found), .found_lanes(found_lanes), .found_base(found_base),
          .hashed(hashed), .hashed_count(hashed_count));
    end
  endgenerate

  // ── results and counters ────────────────────────────────────────────────────────────────
  kh_result_arbiter #(.LANES(ENGINES), .DEPTH_LOG2(KH_FIFO_DEPTH_LOG2)) results (
      .clk(clk), .rst(core_rst), .found(found), .found_lanes(found_lanes), .found_base(found_base),
      .work_id(active_id), .pop(res_pop), .valid(res_valid), .seq(res_seq), .id(res_id), .nonce(res_nonce),
      .count(res_count), .overflow(fifo_overflow));
  assign ready = res_valid;
  assign hashing = busy;

  kh_counter64 nonce_counter (.clk(clk), .clr(core_rst), .inc(hashed ? hashed_count : 4'd0), .value(nonces));
  kh_counter64 cycle_counter (.clk(clk), .clr(core_rst), .inc(4'd1), .value(cycles));
endmodule
`default_nettype wire
