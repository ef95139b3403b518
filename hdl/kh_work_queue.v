// Work queue and loader: WORK frames land in block RAM slots as their words arrive and join the
// queue when the frame commits; whenever the engine is idle, the loader streams the oldest
// work into it word by word (docs/core-protocol.md §4 has the layout) and starts it. ABORT
// empties the queue; the engine drops the running work itself.
`default_nettype none
module kh_work_queue #(
    parameter integer DEPTH = 2   // works queued beside the running one (CAPS.QUEUE_DEPTH; STATUS.QUEUED is 2 bits)
) (
    input  wire         clk,
    input  wire         rst,
    // from the frame parser: a WORK frame's words, then its commit
    input  wire         word_we,
    input  wire [3:0]   word_idx,
    input  wire [31:0]  word,
    input  wire         commit,
    input  wire         abort,
    // what STATUS shows
    output reg  [1:0]   queued,
    output wire         queue_full,
    output reg  [7:0]   accepted,   // works taken since reset, modulo 256: how a driver confirms a write
    output wire         overflow,   // a work committed with the queue full (it is dropped)
    output reg          busy,       // a work is loaded or running
    output reg  [15:0]  active_id,
    // to the engine
    input  wire         engine_busy,
    output reg          engine_start,
    output wire         load,        // load_word is work word load_idx
    output wire [3:0]   load_idx,
    output wire [31:0]  load_word,
    output reg  [159:0] midstate_words,   // {M1, M2, M3, M5, M6}: what the lanes load each pass
    output reg  [5:0]   threshold
);
  /* verilator lint_off UNUSEDPARAM */   // each module uses a few of the protocol's numbers
  `include "kh_protocol.vh"
  /* verilator lint_on UNUSEDPARAM */

  // The generated integers at the widths they are compared in.
  localparam [4:0] WORK_WORDS  = KH_WORK_WORDS[4:0];
  localparam [1:0] QUEUE_DEPTH = DEPTH[1:0];
  // One slot more than the depth, rounded up to a power of two: a refused frame's words land
  // in the slot after the last queued work, never in one still waiting to be loaded.
  localparam integer SLOT_BITS = $clog2(DEPTH + 1);
  localparam [3:0] W_MID1 = KH_W_MIDSTATE[3:0] + 4'd1, W_MID2 = KH_W_MIDSTATE[3:0] + 4'd2, W_MID3 = KH_W_MIDSTATE[3:0] + 4'd3,
                   W_MID5 = KH_W_MIDSTATE[3:0] + 4'd5, W_MID6 = KH_W_MIDSTATE[3:0] + 4'd6,
                   W_ID = KH_W_ID[3:0], W_THRESHOLD = KH_W_THRESHOLD[3:0];

  localparam [1:0] LOAD_IDLE    = 2'd0,   // waiting for a work and an idle engine
                   LOAD_WORDS   = 2'd1,   // streaming the work's words into the engine
                   LOAD_START   = 2'd2,   // the engine starts; the slot is free
                   LOAD_RUNNING = 2'd3;   // until the engine is idle again

  // 2^SLOT_BITS slots × 16 words (the slot being written is `tail`; a frame's words are kept
  // only if it commits).
  reg  [31:0] slots [0:(16 << SLOT_BITS) - 1];
  reg  [SLOT_BITS-1:0]   head, tail;
  reg  [SLOT_BITS+3:0]   raddr;
  reg  [31:0] rdata;
  always @(posedge clk) begin
    if (word_we) slots[{tail, word_idx}] <= word;
    rdata <= slots[raddr];
  end

  assign queue_full = queued == QUEUE_DEPTH;
  assign overflow   = commit && queue_full;
  wire   take       = commit && !queue_full;

  reg [1:0] state;
  reg [4:0] idx;        // the word rdata holds is idx - 1 (one cycle of read latency)
  reg [1:0] settle;     // cycles before the engine's busy reflects the start
  assign load      = state == LOAD_WORDS && idx != 5'd0;
  assign load_idx  = idx[3:0] - 4'd1;
  assign load_word = rdata;

  always @(posedge clk) begin
    engine_start <= 1'b0;
    if (rst) begin
      head      <= {SLOT_BITS{1'b0}};
      tail      <= {SLOT_BITS{1'b0}};
      queued    <= 2'd0;
      state     <= LOAD_IDLE;
      busy      <= 1'b0;
      active_id <= 16'd0;
      accepted  <= 8'd0;
    end else begin
      if (take) begin
        tail     <= tail + 1'b1;
        accepted <= accepted + 8'd1;
      end
      case (state)
        LOAD_IDLE: if (queued != 2'd0 && !engine_busy) begin
          state <= LOAD_WORDS;
          idx   <= 5'd0;
          raddr <= {head, 4'd0};
        end
        LOAD_WORDS: begin
          raddr <= {head, idx[3:0] + 4'd1};
          if (load) begin
            case (load_idx)
              W_MID1:      midstate_words[159:128] <= rdata;
              W_MID2:      midstate_words[127:96]  <= rdata;
              W_MID3:      midstate_words[95:64]   <= rdata;
              W_MID5:      midstate_words[63:32]   <= rdata;
              W_MID6:      midstate_words[31:0]    <= rdata;
              W_ID:        active_id <= rdata[15:0];   // FIRST, LAST: read by the engine
              W_THRESHOLD: threshold <= (rdata[5:0] == 6'd0) ? 6'd1 : (rdata[5:0] > 6'd32 ? 6'd32 : rdata[5:0]);
              default: ;
            endcase
          end
          idx <= idx + 5'd1;
          if (idx == WORK_WORDS) state <= LOAD_START;
        end
        LOAD_START: begin
          head         <= head + 1'b1;
          engine_start <= 1'b1;
          busy         <= 1'b1;
          settle       <= 2'd2;
          state        <= LOAD_RUNNING;
        end
        default: begin   // LOAD_RUNNING
          if (settle != 2'd0) settle <= settle - 2'd1;
          else if (!engine_busy) begin
            busy  <= 1'b0;
            state <= LOAD_IDLE;
          end
        end
      endcase
      // The count follows pushes and pops, including both in one cycle.
      queued <= queued + (take ? 2'd1 : 2'd0) - ((state == LOAD_START) ? 2'd1 : 2'd0);
      if (abort) begin
        head   <= tail;
        queued <= 2'd0;
        if (state != LOAD_RUNNING) state <= LOAD_IDLE;
      end
    end
  end
endmodule
`default_nettype wire
