// One hashing lane: the datapath of a double-SHA-256 for one nonce, one round per clock.
// Lanes run in lockstep under kh_engine, which owns every decision; a lane is only the part
// that differs per nonce: the state, h + K + W, and the message schedule.
//
// The message words live in block RAM, not flip-flops: two copies of a 256-word memory
// (identical writes) give the schedule its two taps, W[j-7] and (a cycle ahead) W[j-15];
// W[j-1] and the last far tap are the only message words held in registers. Two of the
// schedule's four terms are formed a cycle early and registered, σ1(W[j-2]) and
// σ0(W[j-15]) + W[j-16], so a word is one three-input add after the memory (that path was
// critical with three lanes). Memory map (docs/core-design.md):
//   0x00-0x3f  hash 1: W0-W63 of the header's second block (W0-W2 the tail, W3 this lane's
//              nonce, W4-W15 padding constants set at configuration)
//   0x40-0x7f  hash 2: W0-W7 = hash 1's output, W8-W15 padding constants, W16-W63
//   0x80-0x87  the midstate, for hash 1's feed-forward
// Hash 1's output H = midstate + state leaves through the schedule adder: with σ1(W[j-2])
// cleared, the schedule computes M[k] + p, and p is loaded from e (the e-chain, rounds 61-63
// and U0) then from d (the a-chain shifting, U1-U4). One adder per lane instead of eight.
`default_nettype none
module kh_lane (
    input  wire        clk,
    // state a..g. a and e only ever take the round's result or zero: a state with
    // a = b = e = g = 0 makes Σ0, Σ1, Maj and Ch zero, so the next round gives a = h+K+W and
    // e = d + h+K+W, which is how a hash's first state is loaded (kh_engine, Z0-Z2).
    // b, c, d, f, g shift or take the shared load words.
    input  wire        clr,        // a, b, e, f, g <= 0
    input  wire        clr_g,      // g <= 0 and W[j-1] <= 0
    input  wire        ld,
    input  wire        ld_iv,      // hash 2: b, c, f, g take IV1, IV2, IV5, IV6 instead
    input  wire [159:0] ld_words,  // {b, c, d, f, g} when ld
    input  wire        hold_abcd,  // a, b, c, d keep their values (hash 1's output on its way out)
    // h + K + W for the next round: g + k + W[j-1]
    input  wire [31:0] k,
    // message schedule
    input  wire        w1_mem,     // W[j] is the memory's word (j < 16), not the schedule's
    input  wire        s1_clr,     // σ1(W[j-2]) is zero next cycle
    input  wire        far_e,      // the far term takes e or d next cycle (hash 1's state on its
    input  wire        far_d,      // way out), not σ0(W[j-15]) + W[j-16]
    input  wire        we,
    input  wire [7:0]  waddr,
    input  wire        wsel_init,  // write init_word instead of the schedule's word
    input  wire [31:0] init_word,
    input  wire [7:0]  raddr_far,  // far tap, read for the next cycle: W[j-14], so that it is
                                   // W[j-15] by the time its term is formed
    input  wire [7:0]  raddr_near, // W[j-7] tap, a block word or a midstate word, likewise
    // share test after hash 2: e & mask must be zero (hash 2's last round added IV7 to e, so
    // e is H7), mask byte-swapped by the engine
    input  wire [31:0] mask,
    output wire        meets
);
  localparam [31:0] IV1 = 32'hbb67ae85, IV2 = 32'h3c6ef372, IV5 = 32'h9b05688c, IV6 = 32'h1f83d9ab;
  reg [31:0] a, b, c, d, e, f, g;  // h is never held: it only ever enters h + K + W, formed from g
  wire [31:0] hkw;              // h + K[t] + W[t] of the round about to run (registered)
  reg [31:0] w1;                // W[j-1] for the word j being formed
  reg [31:0] w16;               // last cycle's far tap: W[j-16] when the far term is formed
  reg [31:0] s1_term;           // σ1(W[j-2]), formed a cycle early from W[j-1]
  reg [31:0] far_term;          // σ0(W[j-15]) + W[j-16], formed a cycle early

  // Two copies: one write port each, one read port each.
  reg [31:0] mem_far  [0:255];
  reg [31:0] mem_near [0:255];
  reg [31:0] far_q, near_q;
  integer i;
  initial begin
    // Padding words of both blocks never change; the configuration sets them once.
    for (i = 0; i < 256; i = i + 1) begin
      mem_far[i]  = 32'd0;
      mem_near[i] = 32'd0;
    end
    mem_far[8'h04]  = 32'h80000000;  mem_near[8'h04]  = 32'h80000000;
    mem_far[8'h0f]  = 32'd640;       mem_near[8'h0f]  = 32'd640;
    mem_far[8'h48]  = 32'h80000000;  mem_near[8'h48]  = 32'h80000000;
    mem_far[8'h4f]  = 32'd256;       mem_near[8'h4f]  = 32'd256;
  end

  wire [31:0] sg0 = {far_q[6:0], far_q[31:7]} ^ {far_q[17:0], far_q[31:18]} ^ (far_q >> 3);
  wire [31:0] sg1 = {w1[16:0], w1[31:17]} ^ {w1[18:0], w1[31:19]} ^ (w1 >> 10);
  wire [31:0] sched = s1_term + near_q + far_term;
  wire [31:0] wdata = wsel_init ? init_word : sched;

  always @(posedge clk) begin
    if (we) begin
      mem_far[waddr]  <= wdata;
      mem_near[waddr] <= wdata;
    end
    far_q  <= mem_far[raddr_far];
    near_q <= mem_near[raddr_near];
  end

  wire [31:0] a_round, e_round;
  kh_sha256_round round (.a(a), .b(b), .c(c), .d(d), .e(e), .f(f), .g(g), .hkw(hkw), .a_out(a_round), .e_out(e_round));

  always @(posedge clk) begin
    if (clr) a <= 32'd0; else if (!hold_abcd) a <= a_round;
    e <= clr ? 32'd0 : e_round;
    if (clr) b <= 32'd0; else if (!hold_abcd) b <= ld ? (ld_iv ? IV1 : ld_words[159:128]) : a;
    if (!hold_abcd) c <= ld ? (ld_iv ? IV2 : ld_words[127:96]) : b;
    if (!hold_abcd) d <= ld ? ld_words[95:64] : c;
    f <= clr ? 32'd0 : ld ? (ld_iv ? IV5 : ld_words[63:32]) : e;
    g <= (clr || clr_g) ? 32'd0 : ld ? (ld_iv ? IV6 : ld_words[31:0]) : f;
  end

  // h + K + W = g + (k + W[j-1]), registered: two adders that can be DSP blocks (kh_add32).
  wire [31:0] kw;
  kh_add32 #(.REG(0)) add_kw (.clk(clk), .x(k), .y(w1), .s(kw));
  kh_add32 #(.REG(1)) add_hkw (.clk(clk), .x(g), .y(kw), .s(hkw));

  always @(posedge clk) begin
    w1  <= clr_g ? 32'd0 : w1_mem ? near_q : sched;
    s1_term  <= s1_clr ? 32'd0 : sg1;
    w16      <= far_q;
    far_term <= far_e ? e : far_d ? d : sg0 + w16;
  end

  assign meets = (e & mask) == 32'd0;
endmodule
`default_nettype wire
