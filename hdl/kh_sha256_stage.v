// One stage of kh_sha256_pipe: its registers (a..g, h + K + W, the window, a valid bit) and
// the ROUNDS rounds it applies each clock. On `advance` it takes the block offered at in_*,
// otherwise its own next value (LOOP > 1); st_n, hkw_n, w_n and h_n are what it makes of its
// block this clock. Its round constants come in on `k`, so stages that differ only in them
// are one module, and yosys (keep_hierarchy) maps it once for all of them.
//
// What the design fixes when it is built (hash 1's padding words, hash 2's IV and padding)
// would not fold across the ports: a stage that reads such words is told them by parameter
// (W_FIXED/W_VALUE, ST_FIXED/ST_VALUE, with its constants in K_VALUE), reads them instead of
// its registers, and synthesis folds them into its logic and drops those flip-flops. Only
// at LOOP = 1, where a stage sees the same round of every block.
`default_nettype none
(* keep_hierarchy *)
module kh_sha256_stage #(
    parameter integer LOOP = 1,         // 1: advance is always high (a parameter, not the port,
                                        // so a stage synthesised on its own has no hold muxes)
    parameter integer ROUNDS = 1,
    parameter [15:0]  LIVE = 16'hffff,  // window slots still read: bit 15 is slot 0 (the oldest word)
    parameter [15:0]  W_FIXED = 16'h0000,   // window slots that hold a word fixed at build time
    parameter [511:0] W_VALUE = 512'd0,     // ... and those words, slot 0 in the top word
    parameter [0:0]   ST_FIXED = 1'b0,       // 1: a..g are ST_VALUE for every block (LOOP = 1)
    parameter [223:0] ST_VALUE = 224'd0,
    parameter [0:0]   K_FIXED = 1'b0,        // 1: the constants are K_VALUE, not the k port
    parameter [32 * ROUNDS - 1:0] K_VALUE = {ROUNDS{32'd0}}
) (
    input  wire                     clk,
    input  wire                     flush,
    input  wire                     advance,
    input  wire [32 * ROUNDS - 1:0] k,          // K of the round after each of this clock's rounds
    input  wire                     in_valid,
    input  wire [223:0]             in_state,
    input  wire [31:0]              in_hkw,
    input  wire [511:0]             in_w,
    output reg                      valid,
    output wire [223:0]             st_n,
    output wire [31:0]              hkw_n,
    output wire [511:0]             w_n,
    output wire [31:0]              h_n
);
  function [31:0] sigma0(input [31:0] x);
    sigma0 = {x[6:0], x[31:7]} ^ {x[17:0], x[31:18]} ^ (x >> 3);
  endfunction
  function [31:0] sigma1(input [31:0] x);
    sigma1 = {x[16:0], x[31:17]} ^ {x[18:0], x[31:19]} ^ (x >> 10);
  endfunction

  // What is fixed is read from the parameters: the registers behind it have no reader, and
  // synthesis removes them.
  /* verilator lint_off UNUSEDSIGNAL */
  reg [223:0] st;
  reg [31:0]  hkw;
  reg [511:0] w;
  /* verilator lint_on UNUSEDSIGNAL */
  wire [223:0] st_now = ST_FIXED != 0 ? ST_VALUE : st;
  wire [32 * ROUNDS - 1:0] k_now = K_FIXED != 0 ? K_VALUE : k;

  // Window slot i (0..15) holds a word fixed at build time, and that word.
  function slot_fixed(input integer i);
    slot_fixed = i < 16 ? W_FIXED[15 - i] : 1'b0;
  endfunction
  function [31:0] slot_value(input integer i);
    slot_value = i < 16 ? W_VALUE[511 - 32 * i -: 32] : 32'd0;
  endfunction
  // Round i's g (0..2) when a..g are fixed: the entry g, f, then e.
  function [31:0] fixed_g(input integer i);
    fixed_g = ST_VALUE[31 + 32 * i -: 32];
  endfunction

  // The message words this clock reads: the window, then ROUNDS new ones,
  // W[t+16] = σ1(W[t+14]) + W[t+9] + σ0(W[t+1]) + W[t].
  // (split_var: Verilator would otherwise see each array as one signal that feeds itself.)
  wire [31:0] word [0:15 + ROUNDS] /* verilator split_var */;
  genvar r;
  generate
    for (r = 0; r < 16; r = r + 1) begin : window
      assign word[r] = slot_fixed(r) ? slot_value(r) : w[511 - 32 * r -: 32];
    end
    for (r = 0; r < ROUNDS; r = r + 1) begin : schedule
      // Three 2-operand chains, not one 4-operand sum (kh_add_chain says why); a sum of
      // fixed words is a constant, and one with a fixed zero is no sum at all (kh_add_fold).
      // A word this stage makes is never taken as fixed: in the pipeline's builds it never is.
      localparam [0:0]   HIGH_FIXED = slot_fixed(14 + r) && slot_fixed(9 + r);
      localparam [0:0]   LOW_FIXED  = slot_fixed(1 + r) && slot_fixed(r);
      localparam [31:0]  HIGH_VALUE = sigma1(slot_value(14 + r)) + slot_value(9 + r);
      localparam [31:0]  LOW_VALUE  = sigma0(slot_value(1 + r)) + slot_value(r);
      wire [31:0] high, low;
      kh_add_fold #(.X_FIXED(slot_fixed(14 + r)), .X_VALUE(sigma1(slot_value(14 + r))),
                    .Y_FIXED(slot_fixed(9 + r)), .Y_VALUE(slot_value(9 + r)))
          add_high (.x(sigma1(word[14 + r])), .y(word[9 + r]), .s(high));
      kh_add_fold #(.X_FIXED(slot_fixed(1 + r)), .X_VALUE(sigma0(slot_value(1 + r))),
                    .Y_FIXED(slot_fixed(r)), .Y_VALUE(slot_value(r)))
          add_low (.x(sigma0(word[1 + r])), .y(word[r]), .s(low));
      kh_add_fold #(.X_FIXED(HIGH_FIXED), .X_VALUE(HIGH_VALUE), .Y_FIXED(LOW_FIXED), .Y_VALUE(LOW_VALUE))
          add_w (.x(high), .y(low), .s(word[16 + r]));
    end
  endgenerate

  // The rounds, one after another: state words {a, b, c, d, e, f, g, h} after each.
  wire [31:0] a_at [0:ROUNDS] /* verilator split_var */, b_at [0:ROUNDS] /* verilator split_var */;
  wire [31:0] c_at [0:ROUNDS] /* verilator split_var */, d_at [0:ROUNDS] /* verilator split_var */;
  wire [31:0] e_at [0:ROUNDS] /* verilator split_var */, f_at [0:ROUNDS] /* verilator split_var */;
  wire [31:0] g_at [0:ROUNDS] /* verilator split_var */, h_at [0:ROUNDS] /* verilator split_var */;
  wire [31:0] hkw_at [0:ROUNDS] /* verilator split_var */;
  assign {a_at[0], b_at[0], c_at[0], d_at[0], e_at[0], f_at[0], g_at[0]} = st_now;
  assign h_at[0] = 32'd0;       // folded into hkw; nothing reads it
  assign hkw_at[0] = hkw;
  generate
    for (r = 0; r < ROUNDS; r = r + 1) begin : round
      wire [31:0] a_r, e_r;
      // Every round but the last makes its e early: the next round's a waits on this round's
      // e (through Σ1, Ch and T1), one chain longer than on its a. A stage of two rounds is
      // then five chains deep, not six; the last round's e would only wait for its a.
      // With a..g fixed, the first round's new a and e are each hkw + a constant.
      kh_sha256_round #(.CHAINS(1), .EARLY_E(r < ROUNDS - 1 ? 1 : 0),
                        .FIXED(r == 0 ? ST_FIXED : 1'b0), .FIXED_STATE(ST_VALUE)) step_round (
          .a(a_at[r]), .b(b_at[r]), .c(c_at[r]), .d(d_at[r]), .e(e_at[r]), .f(f_at[r]), .g(g_at[r]),
          .hkw(hkw_at[r]), .a_out(a_r), .e_out(e_r));
      assign {a_at[r + 1], b_at[r + 1], c_at[r + 1], d_at[r + 1]} = {a_r, a_at[r], b_at[r], c_at[r]};
      assign {e_at[r + 1], f_at[r + 1], g_at[r + 1], h_at[r + 1]} = {e_r, e_at[r], f_at[r], g_at[r]};
      // The next round's h is this round's g, an entry word for every round but the
      // fourth's successor (ROUNDS = 4: the first round's new e, still short of the end).
      localparam [0:0]   KW_FIXED = K_FIXED != 0 && slot_fixed(r + 1);
      localparam [31:0]  KW_VALUE = K_VALUE[32 * (ROUNDS - r) - 1 -: 32] + slot_value(r + 1);
      wire [31:0] kw;
      kh_add_fold #(.X_FIXED(K_FIXED), .X_VALUE(K_VALUE[32 * (ROUNDS - r) - 1 -: 32]),
                    .Y_FIXED(slot_fixed(r + 1)), .Y_VALUE(slot_value(r + 1)))
          add_kw (.x(k_now[32 * (ROUNDS - r) - 1 -: 32]), .y(word[r + 1]), .s(kw));
      kh_add_fold #(.X_FIXED(ST_FIXED != 0 && r < 3), .X_VALUE(fixed_g(r < 3 ? r : 0)), .Y_FIXED(KW_FIXED), .Y_VALUE(KW_VALUE))
          add_hkw (.x(g_at[r]), .y(kw), .s(hkw_at[r + 1]));
    end
  endgenerate

  assign st_n  = {a_at[ROUNDS], b_at[ROUNDS], c_at[ROUNDS], d_at[ROUNDS], e_at[ROUNDS], f_at[ROUNDS], g_at[ROUNDS]};
  assign h_n   = h_at[ROUNDS];
  assign hkw_n = hkw_at[ROUNDS];
  generate
    for (r = 0; r < 16; r = r + 1) begin : slide
      // A dead slot is zero, and synthesis drops its flip-flops.
      assign w_n[511 - 32 * r -: 32] = LIVE[15 - r] ? word[r + ROUNDS] : 32'd0;
    end
  endgenerate

  wire take = LOOP == 1 || advance;
  always @(posedge clk) begin
    st  <= take ? in_state : st_n;
    hkw <= take ? in_hkw : hkw_n;
    w   <= take ? in_w : w_n;
    if (flush) valid <= 1'b0;
    else if (take) valid <= in_valid;
  end
endmodule
`default_nettype wire
