// One hashing lane: the datapath of a double-SHA-256 for one nonce, one round per clock.
// Lanes run in lockstep under kh_engine, which owns every decision; a lane is only the part
// that differs per nonce: the state, h + K + W, and the message schedule.
//
// The message words live in block RAM, not flip-flops: two copies of a 256-word memory
// (identical writes) give the schedule its two far taps, W[j-7] and W[j-15]; W[j-1], W[j-2]
// and W[j-16] are the only message words held in registers. Memory map (docs/core-design.md):
//   0x00-0x3f  hash 1: W0-W63 of the header's second block (W0-W2 the tail, W3 this lane's
//              nonce, W4-W15 padding constants set at configuration)
//   0x40-0x7f  hash 2: W0-W7 = hash 1's output, W8-W15 padding constants, W16-W63
//   0x80-0x87  the midstate, for hash 1's feed-forward
// Hash 1's output H = midstate + state leaves through the schedule adder: with W[j-2] cleared
// and the W[j-15] tap reading a zero word, the schedule computes M[k] + w16, and w16 is loaded
// from e while the state shifts d → e. One adder per lane instead of eight.
`default_nettype none
module kh_lane (
    input  wire        clk,
    // state a..g: a and e take the round's result or a shared word (e also d, to unload);
    // b, c, f, g shift or take midstate words; d always shifts. iv_ld sets the whole state to
    // SHA-256's IV (the flip-flops' own synchronous set/reset: no logic), hold keeps it.
    input  wire        a_ld,
    input  wire [31:0] a_word,
    input  wire        e_ld,
    input  wire        e_from_d,
    input  wire [31:0] e_word,
    input  wire        m_ld,
    input  wire [127:0] m_words,   // {b, c, f, g} when m_ld
    input  wire        iv_ld,
    input  wire        hold,
    // h + K + W for the next round: g + k + W[j-1]
    input  wire [31:0] k,
    // message schedule
    input  wire        w1_mem,     // W[j] is the memory's word (j < 16), not the schedule's
    input  wire        w2_clr,
    input  wire        w16_e,      // w16 takes e (hash 1's state on its way out), not memory
    input  wire        we,
    input  wire [7:0]  waddr,
    input  wire        wsel_init,  // write init_word instead of the schedule's word
    input  wire [31:0] init_word,
    input  wire [7:0]  raddr_far,  // W[j-15] tap (or the zero word), read for the next cycle
    input  wire [7:0]  raddr_near, // W[j-7] tap, a block word or a midstate word, likewise
    // share test after hash 2: (IV7 + e) & mask must be zero, mask byte-swapped by the engine
    input  wire [31:0] mask,
    output wire        meets
);
  reg [31:0] a, b, c, d, e, f, g;  // h is never held: it only ever enters h + K + W, formed from g
  reg [31:0] hkw;               // h + K[t] + W[t] of the round about to run
  reg [31:0] w1, w2, w16;       // W[j-1], W[j-2], W[j-16] for the word j being formed

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
  wire [31:0] sg1 = {w2[16:0], w2[31:17]} ^ {w2[18:0], w2[31:19]} ^ (w2 >> 10);
  wire [31:0] sched = sg1 + near_q + sg0 + w16;
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
    if (iv_ld) begin
      {a, b, c, d} <= {32'h6a09e667, 32'hbb67ae85, 32'h3c6ef372, 32'ha54ff53a};
      {e, f, g}    <= {32'h510e527f, 32'h9b05688c, 32'h1f83d9ab};
    end else if (!hold) begin
      a <= a_ld ? a_word : a_round;
      b <= m_ld ? m_words[127:96] : a;
      c <= m_ld ? m_words[95:64] : b;
      d <= c;
      e <= e_ld ? e_word : e_from_d ? d : e_round;
      f <= m_ld ? m_words[63:32] : e;
      g <= m_ld ? m_words[31:0] : f;
    end
  end

  always @(posedge clk) begin
    hkw <= g + k + w1;
    w1  <= w1_mem ? near_q : sched;
    w2  <= w2_clr ? 32'd0 : w1;
    w16 <= w16_e ? e : far_q;
  end

  assign meets = ((32'h5be0cd19 + e) & mask) == 32'd0;
endmodule
`default_nettype wire
