// Register file: what a read frame sees and what a write frame does (docs/core-protocol.md §3).
//   reads   MAGIC, VERSION, CAPS, CLOCK_HZ; STATUS; the counters (reading _LO latches _HI, so a
//           64-bit value is read whole); WORK_ID; RESULT / RESULT_PEEK (the FIFO's head)
//   writes  CONTROL (RESET, CLEAR_ERRORS, ABORT); RESULT_ACK (pops the head if its sequence
//           number is the one written); a RESULT read pops once its frame ended well
// and the error flags, set by the parser, the work queue and the result FIFO.
`default_nettype none
module kh_regfile #(
    parameter integer ENGINES          = 1,
    parameter integer CLOCK_HZ         = 36_000_000,
    parameter integer CYCLES_PER_NONCE = 134
) (
    input  wire        clk,
    input  wire        rst,
    // from the frame parser
    input  wire [5:0]  addr,
    input  wire [5:0]  rd_sel_next,
    input  wire        rd_first,
    input  wire        rd_next,
    input  wire        rd_word0,
    output reg  [31:0] rd_data,
    input  wire        write_ok,
    input  wire [23:0] wr_low,
    input  wire        read_ok,
    input  wire [5:0]  err_set,
    // what the registers show
    input  wire [63:0] nonces,
    input  wire [63:0] cycles,
    input  wire [7:0]  accepted,
    input  wire [1:0]  queued,
    input  wire        queue_full,
    input  wire        busy,
    input  wire [15:0] active_id,
    input  wire        res_valid,     // the result FIFO's head
    input  wire [7:0]  res_seq,
    input  wire [15:0] res_id,
    input  wire [31:0] res_nonce,
    input  wire [4:0]  res_count,
    input  wire        queue_overflow, // a work arrived with the queue full
    input  wire        fifo_overflow,  // a result arrived with the FIFO full
    // what writes do
    output reg         soft_reset,
    output reg         abort,
    output reg         res_pop
);
  /* verilator lint_off UNUSEDPARAM */   // each module uses a few of the protocol's numbers
  `include "kh_protocol.vh"
  /* verilator lint_on UNUSEDPARAM */

  localparam [31:0] CAPS = (CYCLES_PER_NONCE << KH_CAPS_CYCLES_PER_NONCE) | (KH_FIFO_DEPTH << KH_CAPS_FIFO_DEPTH) |
                           (KH_QUEUE_DEPTH << KH_CAPS_QUEUE_DEPTH) | (ENGINES << KH_CAPS_ENGINES);

  reg  [5:0]  errors;
  reg  [31:0] nonces_hi_latch, cycles_hi_latch;
  reg         res_latched;    // RESULT/RESULT_PEEK read: its first word said a result was there
  // RESULT or RESULT_PEEK (they differ in bit 0 only), registered: the address is set by the
  // frame's second byte, two bytes before any word is read, and the read path starts at a
  // flip-flop instead of a comparator.
  reg         is_result;
  always @(posedge clk) is_result <= addr[5:1] == KH_A_RESULT[5:1];

  wire [31:0] status = ({24'd0, accepted} << KH_ST_ACCEPTED) | ({26'd0, errors} << KH_ST_ERRORS) |
                       ({27'd0, res_count} << KH_ST_RESULTS) | ({31'd0, res_valid} << KH_ST_RESULT_READY) |
                       ({30'd0, queued} << KH_ST_QUEUED) | ({31'd0, queue_full} << KH_ST_QUEUE_FULL) |
                       ({31'd0, busy} << KH_ST_BUSY);
  // Word 0 of a RESULT read: the oldest result's sequence number and work id, if there is one.
  wire [31:0] result_head = !res_valid ? 32'd0 :
                            (32'd1 << KH_R_VALID) | ({24'd0, res_seq} << KH_R_SEQ) | ({16'd0, res_id} << KH_R_ID);

  // The register multiplexer's address is a register, set bytes before it is used (the parser
  // changes it only as bytes arrive); the values are read live, so a counter's two halves are
  // still captured in one clock. It is an always @* block, not a function of the address: a
  // simulator re-evaluates a function call only when its arguments change, and Icarus then
  // returned counters and STATUS from when the address last moved (hardware reads them live).
  reg  [5:0]  sel;
  reg         sel_nonces_lo, sel_cycles_lo;
  reg  [31:0] reg_word;
  always @(posedge clk) begin
    sel           <= rd_sel_next;
    sel_nonces_lo <= rd_sel_next == KH_A_NONCES_LO;
    sel_cycles_lo <= rd_sel_next == KH_A_CYCLES_LO;
  end
  always @* begin
    case (sel)
      KH_A_MAGIC:     reg_word = KH_MAGIC;
      KH_A_VERSION:   reg_word = KH_VERSION;
      KH_A_CAPS:      reg_word = CAPS;
      KH_A_CLOCK_HZ:  reg_word = CLOCK_HZ;
      KH_A_STATUS:    reg_word = status;
      KH_A_NONCES_LO: reg_word = nonces[31:0];
      KH_A_NONCES_HI: reg_word = nonces_hi_latch;
      KH_A_CYCLES_LO: reg_word = cycles[31:0];
      KH_A_CYCLES_HI: reg_word = cycles_hi_latch;
      KH_A_WORK_ID:   reg_word = {busy, 15'd0, active_id};
      default:        reg_word = 32'd0;
    endcase
    // A result read's second word is the nonce, if its first said there was a result.
    if (is_result) rd_data = rd_word0 ? result_head : res_latched ? res_nonce : 32'd0;
    else           rd_data = reg_word;
  end

  always @(posedge clk) begin
    if (rd_first && is_result) res_latched <= res_valid;
    // (A result read never selects a counter: its addresses are RESULT and RESULT + 1.)
    if ((rd_first || rd_next) && sel_nonces_lo) nonces_hi_latch <= nonces[63:32];
    if ((rd_first || rd_next) && sel_cycles_lo) cycles_hi_latch <= cycles[63:32];
  end

  // Writes act when their frame ended well; the flags are set the cycle they are raised.
  wire control = write_ok && addr == KH_A_CONTROL;
  always @(posedge clk) begin
    soft_reset <= control && wr_low[KH_CTRL_RESET];
    abort      <= control && wr_low[KH_CTRL_ABORT];
    // res_latched says the head was there when the read began; nothing else pops it meanwhile.
    res_pop    <= (read_ok && addr == KH_A_RESULT && res_latched) ||
                  (write_ok && addr == KH_A_RESULT_ACK && res_valid && wr_low[7:0] == res_seq);
    if (rst) errors <= 6'd0;
    else begin
      errors <= errors | err_set;
      if (control && (wr_low[KH_CTRL_CLEAR_ERRORS] || wr_low[KH_CTRL_RESET])) errors <= 6'd0;
      if (soft_reset) errors <= 6'd0;
      if (queue_overflow) errors[KH_E_QUEUE] <= 1'b1;
      if (fifo_overflow) errors[KH_E_FIFO] <= 1'b1;
    end
  end
endmodule
`default_nettype wire
