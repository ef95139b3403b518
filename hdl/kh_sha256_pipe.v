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
// (docs/core-design.md); the price is that constants no longer fold across a stage's ports.
`default_nettype none
module kh_sha256_pipe #(
    parameter integer LOOP   = 1,  // clocks a stage holds a block: 1, 2, 4, …, 64
    parameter integer ROUNDS = 1,  // rounds a stage applies per clock: 1, 2 or 4
    parameter integer LAST_ROUND = 63  // the last round whose result is read downstream
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
        for (r = 0; r < ROUNDS; r = r + 1) begin : constant
          localparam [6:0] NEXT = r + 1;
          assign k[32 * (ROUNDS - r) - 1 -: 32] = sha256_k(FIRST7 + NEXT);
        end
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
      if (s == 0) begin : first
        kh_sha256_stage #(.LOOP(LOOP), .ROUNDS(ROUNDS), .LIVE(LIVE)) body (
            .clk(clk), .flush(flush), .advance(advance), .k(k),
            .in_valid(in_valid), .in_state(in_state), .in_hkw(in_hkw), .in_w(in_w),
            .valid(v[s]), .st_n(st_n[s]), .hkw_n(hkw_n[s]), .w_n(w_n[s]), .h_n(h_n[s]));
      end else begin : next
        kh_sha256_stage #(.LOOP(LOOP), .ROUNDS(ROUNDS), .LIVE(LIVE)) body (
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
