// One SHA-256 compression as a pipeline of 64/LOOP stages, each applying LOOP consecutive
// rounds to the block it holds, one round per clock; a new block enters every LOOP clocks
// (LOOP = 1: one block per clock, every round its own stage). All stages step together: in
// cycle `step` (0..LOOP-1) stage s applies round s·LOOP + step, and on the last step every
// stage hands its block on. A stage holds a..g, h + K + W for its next round (formed a round
// early, so the round itself is kh_sha256_round's short path) and the 16-word message window.
// At LOOP = 1 a padding word is a constant in every stage that holds it, and words no later
// round reads feed nothing, so synthesis may drop those flip-flops; with LOOP > 1 a stage's
// registers also take its own result, and stay. (Measured so far only at LOOP = 8:
// docs/core-design.md.)
`default_nettype none
module kh_sha256_pipe #(
    parameter integer LOOP = 1     // 1, 2, 4, 8, 16, 32 or 64
) (
    input  wire         clk,
    input  wire         flush,       // every block in flight is dropped
    input  wire         advance,     // the last step of LOOP: blocks move one stage on
    input  wire [5:0]   step,        // 0..LOOP-1
    input  wire         in_valid,    // taken when advance
    input  wire [223:0] in_state,    // {a, b, c, d, e, f, g}
    input  wire [31:0]  in_hkw,      // h + K[0] + W[0]
    input  wire [511:0] in_w,        // W[0] .. W[15], W[0] in the top word
    output reg          out_valid,   // for one advance: out_state is a block's state after round 63
    output reg  [255:0] out_state    // {a, b, c, d, e, f, g, h}
);
  localparam integer STAGES = 64 / LOOP;
  `include "kh_sha256_kfn.vh"

  wire [STAGES-1:0] v;             // each stage's valid bit (its registers live in the stage)

  // What each stage's round makes of its block: the next state, the next h + K + W, the next window.
  wire [223:0] st_n  [0:STAGES-1];
  wire [31:0]  hkw_n [0:STAGES-1];
  wire [511:0] w_n   [0:STAGES-1];
  wire [31:0]  h_n   [0:STAGES-1];   // g before the round: the new h

  genvar s;
  generate
    for (s = 0; s < STAGES; s = s + 1) begin : stage
      reg [223:0] st;
      reg [31:0]  hkw;
      reg [511:0] w;
      reg         valid;
      assign v[s] = valid;
      wire [31:0] a = st[223:192], b = st[191:160], c = st[159:128], d = st[127:96];
      wire [31:0] e = st[95:64], f = st[63:32], g = st[31:0];
      wire [31:0] a_r, e_r;
      kh_sha256_round round (.a(a), .b(b), .c(c), .d(d), .e(e), .f(f), .g(g), .hkw(hkw), .a_out(a_r), .e_out(e_r));
      assign st_n[s] = {a_r, a, b, c, e_r, e, f};
      assign h_n[s]  = g;
      // The window slides: W[t+16] = σ1(W[t+14]) + W[t+9] + σ0(W[t+1]) + W[t].
      wire [31:0] w0 = w[511:480], w1 = w[479:448], w9 = w[223:192], w14 = w[63:32];
      wire [31:0] sg0 = {w1[6:0], w1[31:7]} ^ {w1[17:0], w1[31:18]} ^ (w1 >> 3);
      wire [31:0] sg1 = {w14[16:0], w14[31:17]} ^ {w14[18:0], w14[31:19]} ^ (w14 >> 10);
      assign w_n[s] = {w[479:0], sg1 + w9 + sg0 + w0};
      // The next round's h is this round's g; its W is W[t+1].
      localparam integer FIRST = s * LOOP;
      localparam [6:0]   FIRST_ROUND = FIRST[6:0];
      assign hkw_n[s] = g + (sha256_k(FIRST_ROUND + {1'b0, step} + 7'd1) + w1);

      // What enters this stage when blocks move on: the input, or the stage before's result.
      wire [223:0] st_in;
      wire [31:0]  hkw_in;
      wire [511:0] w_in;
      wire         v_in;
      if (s == 0) begin : first
        assign st_in = in_state;
        assign hkw_in = in_hkw;
        assign w_in = in_w;
        assign v_in = in_valid;
      end else begin : next
        assign st_in = st_n[s - 1];
        assign hkw_in = hkw_n[s - 1];
        assign w_in = w_n[s - 1];
        assign v_in = v[s - 1];
      end

      always @(posedge clk) begin
        st  <= advance ? st_in : st_n[s];
        hkw <= advance ? hkw_in : hkw_n[s];
        w   <= advance ? w_in : w_n[s];
        if (flush) valid <= 1'b0;
        else if (advance) valid <= v_in;
      end
    end
  endgenerate

  always @(posedge clk) begin
    out_valid <= !flush && advance && v[STAGES - 1];
    if (advance) out_state <= {st_n[STAGES - 1], h_n[STAGES - 1]};
  end
endmodule
`default_nettype wire
