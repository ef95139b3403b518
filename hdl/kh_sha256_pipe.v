// One SHA-256 compression as a pipeline of STAGES = 64 / (LOOP · ROUNDS) stages. Each stage
// holds one block for LOOP clocks and applies ROUNDS consecutive rounds to it every clock
// (combinationally, one after the other); a new block enters every LOOP clocks. LOOP = 1,
// ROUNDS = 1: one block per clock, every round its own stage. ROUNDS = 2 halves the stages and
// so the flip-flops, at the price of a clock period two rounds long.
//
// All stages step together: in cycle `step` (0..LOOP-1) stage s applies rounds
// (s·LOOP + step)·ROUNDS onwards, and on the last step every stage hands its block on. A stage
// holds a..g, h + K + W for its next round (formed a round early, so the round itself is
// kh_sha256_round's short path; inside a stage round i's h is an entry word, g, f or e, so
// every h + K + W of the clock is formed beside the rounds, not after them) and the 16-word
// message window.
//
// LAST_ROUND is the last round whose result anything downstream reads (hash 2's share test
// reads h after round 63, which is e after round 60): the pipeline ends with the stage that
// applies it, out_e is e after it, and window slots that can only ever hold later words are
// zero, so synthesis drops their flip-flops even when LOOP > 1 (where a stage's registers also
// take their own next value, which would keep them alive). At one or two rounds a stage this
// drops hash 2's last stages; at more, the stage that applies round 60 is the last anyway.
//
// A stage is its own module (kh_sha256_stage, kept whole through yosys' flatten), its round
// constants an input: stages that differ only in their constants are one module, mapped once.
// A flattened 85F pipeline needs more memory than the WebAssembly yosys has
// (docs/core-design.md). Constants would not fold across a stage's ports, so what every block
// holds when it enters (W_FIXED/W_VALUE, ST_FIXED/ST_VALUE: hash 1's padding, hash 2's IV and
// padding) is handed as parameters to the stages that read it, at LOOP 1: those stages are
// modules of their own, and synthesis folds the words into their sums and drops their
// flip-flops.
`default_nettype none
module kh_sha256_pipe #(
    parameter integer LOOP   = 1,  // clocks a stage holds a block: 1, 2, 4, …, 64
    parameter integer ROUNDS = 1,  // rounds a stage applies per clock: 1, 2 or 4
    parameter integer LAST_ROUND = 63, // the last round whose result is read downstream
    // What in_w and in_state hold for every block, known when the design is built: at LOOP 1
    // the stages that read them fold them in (kh_sha256_stage). Bit 15 of W_FIXED is W[0].
    parameter [15:0]  W_FIXED = 16'h0000,
    parameter [511:0] W_VALUE = 512'd0,
    parameter [0:0]   ST_FIXED = 1'b0,
    parameter [223:0] ST_VALUE = 224'd0
) (
    input  wire         clk,
    input  wire         flush,       // every block in flight is dropped
    input  wire         advance,     // the last step of LOOP: blocks move one stage on
    /* verilator lint_off UNUSEDSIGNAL */   // at LOOP = 1 the constants are fixed
    input  wire [5:0]   step_next,   // the step (0..LOOP-1) of the next clock
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire         in_valid,    // taken when advance
    input  wire [223:0] in_state,    // {a, b, c, d, e, f, g}
    input  wire [31:0]  in_hkw,      // h + K[0] + W[0]
    input  wire [511:0] in_w,        // W[0] .. W[15], W[0] in the top word
    output reg          out_valid,   // for one advance: out_state and out_e are a block's
    output reg  [255:0] out_state,   // {a, b, c, d, e, f, g, h} after the last stage's rounds
    output wire [31:0]  out_e        // e after LAST_ROUND
);
  localparam integer PER_STAGE = LOOP * ROUNDS;   // rounds a stage applies to a block
  localparam integer STAGES = (LAST_ROUND + PER_STAGE) / PER_STAGE;
  localparam integer LAST_W = LAST_ROUND;         // the last message word a round reads
  // Rounds the last stage applies after LAST_ROUND (0..3): e has moved on that many words.
  localparam integer PAST = STAGES * PER_STAGE - 1 - LAST_ROUND;
  `include "kh_sha256_kfn.vh"
  // The constants of a stage's rounds at LOOP 1, for h + K + W formed a round early: K of the
  // rounds after each of them.
  function [32 * ROUNDS - 1:0] stage_k(input [6:0] first);
    integer i;
    begin
      stage_k = {ROUNDS{32'd0}};
      for (i = 0; i < ROUNDS; i = i + 1) stage_k[32 * (ROUNDS - i) - 1 -: 32] = sha256_k(first + i[6:0] + 7'd1);
    end
  endfunction

  // Each stage's outputs: its valid bit, and what it hands on at an advance.
  wire         v     [0:STAGES-1];
  wire [223:0] st_n  [0:STAGES-1];
  /* verilator lint_off UNUSEDSIGNAL */   // the last stage's are not (with one stage, none is)
  wire [31:0]  hkw_n [0:STAGES-1];
  wire [511:0] w_n   [0:STAGES-1];
  /* verilator lint_on UNUSEDSIGNAL */
  wire [31:0]  h_n   [0:STAGES-1];

  genvar s, r;
  generate
    for (s = 0; s < STAGES; s = s + 1) begin : stage
      localparam integer FIRST = s * PER_STAGE;
      localparam [6:0] FIRST7 = FIRST[6:0], ROUNDS7 = ROUNDS[6:0];
      // The constants of this clock's rounds, for h + K + W formed a round early: K of the
      // rounds after each of them. A constant at LOOP = 1; otherwise looked up a clock ahead
      // from the next step and registered, which keeps the table off the adders' path (it
      // was the slowest path of the 45F's build: step counter → table → two adders).
      wire [32 * ROUNDS - 1:0] k;
      if (LOOP == 1) begin : fixed
        assign k = stage_k(FIRST7);
      end else begin : stepped
        wire [6:0] next_first = FIRST7 + {1'b0, step_next} * ROUNDS7;
        reg [32 * ROUNDS - 1:0] k_r;
        for (r = 0; r < ROUNDS; r = r + 1) begin : constant
          localparam [6:0] NEXT = r + 1;
          always @(posedge clk) k_r[32 * (ROUNDS - r) - 1 -: 32] <= sha256_k(next_first + NEXT);
        end
        assign k = k_r;
      end
      // A window slot is live while it can still hold a word up to LAST_W (its word is at
      // least W[FIRST + ROUNDS + slot] once the stage has stepped).
      localparam [15:0] LIVE = (FIRST + ROUNDS > LAST_W) ? 16'h0000
                             : ~(16'hffff >> (LAST_W - FIRST - ROUNDS + 1 > 16 ? 16 : LAST_W - FIRST - ROUNDS + 1));
      // At LOOP 1 stage s reads W[FIRST..FIRST+15], of which those below 16 may be fixed;
      // a stage that reads any fixed word is its own module, so it takes its constants as
      // parameters too.
      localparam [15:0] SLOTS_FIXED = LOOP == 1 ? W_FIXED << FIRST : 16'h0000;
      localparam [0:0]   STATE_FIXED = LOOP == 1 && s == 0 ? ST_FIXED : 1'b0;
      localparam [0:0]   OWN_K = SLOTS_FIXED != 16'h0000 || STATE_FIXED != 0;
      if (s == 0) begin : first
        kh_sha256_stage #(.LOOP(LOOP), .ROUNDS(ROUNDS), .LIVE(LIVE), .W_FIXED(SLOTS_FIXED), .W_VALUE(W_VALUE << (32 * FIRST)),
                          .ST_FIXED(STATE_FIXED), .ST_VALUE(ST_VALUE), .K_FIXED(OWN_K), .K_VALUE(stage_k(FIRST7))) body (
            .clk(clk), .flush(flush), .advance(advance), .k(k),
            .in_valid(in_valid), .in_state(in_state), .in_hkw(in_hkw), .in_w(in_w),
            .valid(v[s]), .st_n(st_n[s]), .hkw_n(hkw_n[s]), .w_n(w_n[s]), .h_n(h_n[s]));
      end else begin : next
        kh_sha256_stage #(.LOOP(LOOP), .ROUNDS(ROUNDS), .LIVE(LIVE), .W_FIXED(SLOTS_FIXED), .W_VALUE(W_VALUE << (32 * FIRST)),
                          .K_FIXED(OWN_K), .K_VALUE(stage_k(FIRST7))) body (
            .clk(clk), .flush(flush), .advance(advance), .k(k),
            .in_valid(v[s - 1]), .in_state(st_n[s - 1]), .in_hkw(hkw_n[s - 1]), .in_w(w_n[s - 1]),
            .valid(v[s]), .st_n(st_n[s]), .hkw_n(hkw_n[s]), .w_n(w_n[s]), .h_n(h_n[s]));
      end
    end
  endgenerate

  always @(posedge clk) begin
    out_valid <= !flush && advance && v[STAGES - 1];
    if (advance) out_state <= {st_n[STAGES - 1], h_n[STAGES - 1]};
  end
  assign out_e = out_state[127 - 32 * PAST -: 32];
endmodule
`default_nettype wire
