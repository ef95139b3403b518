// The mining engine: LANES hashing lanes (kh_lane) in lockstep under one sequencer.
// Everything that is the same for every nonce of a pass exists once — the round counter, the
// K table, the memory addresses, the range and the threshold here, the midstate in the core —
// so adding a lane adds only its datapath. Lane i hashes base + i; each pass advances base
// by LANES, so the lanes split a work's range interleaved, as docs/core-protocol.md says of
// engines.
//
// One pass, in clock cycles (docs/core-design.md has the cycle table):
//   A0, A1       the midstate enters (steps Z1, Z2 below; A0 also tests the previous pass)
//   R1 0..63     hash 1; rounds 61-63 already start feeding hash 1's output out (below)
//   U0..U6       hash 1's output H = midstate + state, one word per cycle through each lane's
//                schedule adder into hash 2's message memory; U4-U6 load IV (Z0-Z2)
//   R2 0..60     hash 2, 61 rounds: the share test needs only H7 = IV7 + e after round 60,
//                and round 60 adds IV7 itself (its K is K60 + IV7)
// = 134 cycles; the next pass's A0 is also the cycle that tests this pass's result.
// Before a work's first pass: one cycle per lane to write each lane's nonce word (W3).
`default_nettype none
module kh_engine #(
    parameter integer LANES = 1     // 1..8: lane i writes its next nonce word in hash 2's round 52 + i
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             start,       // pulse: begin the loaded work (ignored while busy)
    input  wire             stop,        // pulse: drop the range (nothing more is reported)
    input  wire [159:0]     ld_mid,      // {M1, M2, M3, M5, M6}: the midstate words the lanes
                                         // load each pass (M0, M4, M7 arrive only through
                                         // the load stream)
    input  wire             load,        // while idle: work word load_idx is load_word:
                                         // 0-7 midstate, 8-10 tail, 11 first nonce,
                                         // 12 last nonce (inclusive); others ignored
    input  wire [3:0]       load_idx,
    input  wire [31:0]      load_word,
    input  wire [5:0]       threshold,   // leading zero bits wanted, 1..32
    output wire             busy,
    output reg              found,       // pulse: found_lanes of the pass at found_base met it
                                         // (both held until the next pass is tested)
    output reg  [LANES-1:0] found_lanes,
    output reg  [31:0]      found_base,
    output reg              hashed,      // pulse: hashed_count more nonces done
    output reg  [3:0]       hashed_count
);
  localparam [2:0] IDLE = 3'd0, W3 = 3'd1, A0 = 3'd2, A1 = 3'd3, R1 = 3'd4, U = 3'd5, R2 = 3'd6;
  // (IV1, IV2, IV5, IV6 live in kh_lane.)
  localparam [31:0] IV0 = 32'h6a09e667, IV3 = 32'ha54ff53a, IV4 = 32'h510e527f, IV7 = 32'h5be0cd19;
  localparam [31:0] K0 = 32'h428a2f98;
  localparam [31:0] K60 = 32'h90befffa;
  localparam [6:0]  K_IV0 = 7'd64, K_IV7_K0 = 7'd65, K_M0 = 7'd66, K_M7_K0 = 7'd67, K_K60_IV7 = 7'd68;
  // The lanes' message memory (kh_lane has the map): three regions, a word j in each.
  localparam [1:0] W1 = 2'd0,    // hash 1: W0-W63 of the header's second block
                   W2 = 2'd1,    // hash 2: W0-W63 (W0-W7 hash 1's output)
                   MID = 2'd2;   // the midstate M0-M7, for hash 1's feed-forward
  function [7:0] waddr(input [1:0] region, input [5:0] j);
    waddr = {region, j};
  endfunction
  // Counting down within a region subtracts from the whole address, waddr(R, n) - t, not inside
  // it, waddr(R, n - t): the same words, and yosys maps the first into fewer UP5K cells.
  localparam [7:0] ZERO_WORD = {W1, 6'd5};   // hash 1's W5: padding, always zero
  localparam [7:0] NONCE_WORD = {W1, 6'd3};  // hash 1's W3: each lane's own nonce

  wire [31:0] m1 = ld_mid[159:128], m2 = ld_mid[127:96], m3 = ld_mid[95:64];
  wire [31:0] m5 = ld_mid[63:32],   m6 = ld_mid[31:0];

  reg [2:0]  phase;
  reg [5:0]  t;
  reg        check;        // this cycle tests the pass that just ended
  reg [31:0] nonce_w;      // the next nonce word to write: a pass's lane 0 nonce + 2·LANES
                           // by the time it is tested (its own and the next pass's words)
  reg [31:0] remaining;    // last - (this pass's lane 0 nonce)
  reg [31:0] mask;         // byte-swapped: the bits of H7 (e after hash 2) that must be zero
  wire [31:0] k_cur;       // K for the h + K + W formed this cycle

  assign busy = phase != IDLE || check;

  function [31:0] bswap(input [31:0] v);
    bswap = {v[7:0], v[15:8], v[23:16], v[31:24]};
  endfunction

  // ── per-cycle control, decoded from (phase, t) ──────────────────────────────────────────
  wire in_r1 = phase == R1, in_r2 = phase == R2, in_u = phase == U;
  wire rounds = in_r1 || in_r2;
  wire at_a0 = phase == A0, at_a1 = phase == A1, at_u5 = in_u && t == 6'd5, at_u6 = in_u && t == 6'd6;
  wire tail1 = in_r1 && t >= 6'd61;      // hash 1's last rounds: its output starts to leave

  // A hash's first state is loaded in three steps, Z0-Z2, none of them extra cycles:
  //   Z0  clear g and W[j-1]           (hash 1: hash 2's round 60 or the last W3 cycle; hash 2: U4)
  //   Z1  clear a b e f g, d = M4 - M0; h+K+W = 0 + M0 + 0      (hash 1: A0; hash 2: U5)
  //   Z2  the round gives a = M0, e = M4; b c d f g = M1 M2 M3 M5 M6;
  //       h+K+W = 0 + (M7 + K0) + W0                             (hash 1: A1; hash 2: U6)
  // with IV for M in hash 2. M0 and M7 + K0 are K-ROM entries written as the work loads.
  wire z0 = (in_r2 && t == 6'd60) || (phase == W3 && t == LANES[5:0] - 6'd1) || (in_u && t == 6'd4);
  wire z1 = at_a0 || at_u5;
  wire z2 = at_a1 || at_u6;
  reg  [31:0] d_first;     // M4 - M0 of this work
  wire [31:0] d_word = z1 ? (in_u ? IV4 - IV0 : d_first) : (in_u ? IV3 : m3);
  // Hash 2's words are IV constants: each lane picks them itself (ld_iv), which costs it no
  // logic, instead of a shared 128-bit multiplexer here.
  wire [159:0] ld_words = {m1, m2, d_word, m5, m6};
  wire        hold_abcd = in_u && t == 6'd0;
  wire        w1_mem = at_a0 || at_a1 || at_u6 || (rounds && t <= 6'd13);
  wire        s1_clr = tail1 || (in_u && t <= 6'd5);
  wire        far_e = tail1 || (in_u && t == 6'd0);
  wire        far_d = in_u && t >= 6'd1 && t <= 6'd4;

  // Writes: the schedule's words, hash 1's output, nonce words, and the work's words.
  wire [5:0] t2 = t + 6'd2;
  wire       w3_now = (phase == W3) || (in_r2 && t >= 6'd52 && t < 6'd52 + LANES[5:0]);
  wire [5:0] w3_lane = (phase == W3) ? t : t - 6'd52;
  reg        we_all;
  reg  [7:0] wa;
  always @* begin
    we_all = 1'b0;
    wa     = ZERO_WORD;
    if (in_r1 && t >= 6'd14 && t <= 6'd61)      begin we_all = 1'b1; wa = waddr(W1, t2); end
    // Hash 1's output H7, H6 .. H0 (the e-chain, then the d-chain) becomes hash 2's W7 .. W0.
    else if (tail1)                             begin we_all = 1'b1; wa = waddr(W2, (t == 6'd62) ? 6'd7 : 6'd6); end
    else if (in_u && t <= 6'd5)                 begin we_all = 1'b1; wa = waddr(W2, 6'd5) - {2'b00, t}; end
    else if (in_r2 && t >= 6'd14 && t <= 6'd51) begin we_all = 1'b1; wa = waddr(W2, t2); end
    else if (w3_now)                            wa = NONCE_WORD;
    else if (phase == IDLE && load && load_idx <= 4'd10) begin
      // Work words 0-7 are the midstate, 8-10 the tail (hash 1's W0-W2).
      we_all = 1'b1;
      wa     = load_idx[3] ? waddr(W1, {4'd0, load_idx[1:0]}) : waddr(MID, {3'd0, load_idx[2:0]});
    end
  end
  wire        wsel_init = w3_now || phase == IDLE;
  wire [31:0] init_word = (phase == IDLE) ? load_word : bswap(nonce_w);

  // Block-RAM read addresses are registers, each set the cycle before from (phase, t) and the
  // state that follows: near and far are the taps a cycle presents for the next one, k the
  // K-ROM word for the next h + K + W (K[t+2] in round t, the Z1/Z2 words around them; hash
  // 2's round 60 takes K60 + IV7, so e is then H7 itself and the share test needs no adder).
  // Registered, no decode lies between the round counter and a dozen block RAMs. Each arm
  // sets the addresses for the cycle that follows the one it names; the far tap reads
  // W[j-14] a cycle ahead (j = t + 4 in the cycle after next), the near one W[j-7].
  reg [7:0] raddr_near, raddr_far;
  reg [6:0] k_addr;
  always @(posedge clk) begin
    raddr_near <= waddr(W1, 6'd0);
    raddr_far  <= ZERO_WORD;
    k_addr     <= {1'b0, t + 6'd3};
    case (phase)
      IDLE: k_addr <= (LANES == 1) ? K_M0 : 7'd2;
      W3: if (t == LANES[5:0] - 6'd1) begin
            raddr_near <= waddr(W1, 6'd1);
            k_addr     <= K_M7_K0;
          end else if (t + 6'd1 == LANES[5:0] - 6'd1) k_addr <= K_M0;            // the last W3 is Z0
      A0: begin
            raddr_near <= waddr(W1, 6'd2);
            k_addr     <= 7'd1;
          end
      A1: begin
            raddr_near <= waddr(W1, 6'd3);
            raddr_far  <= waddr(W1, 6'd0 - 6'd11);
            k_addr     <= 7'd2;
          end
      R1: if (t == 6'd63) begin
            raddr_near <= waddr(MID, 6'd4);
            k_addr     <= 7'd2;
          end else begin
            raddr_near <= (t <= 6'd11) ? waddr(W1, t + 6'd4) : (t <= 6'd59) ? waddr(W1, t - 6'd3) : waddr(MID, 6'd7) - {2'b00, t - 6'd60};
            if (t <= 6'd59) raddr_far <= waddr(W1, t - 6'd10);
          end
      U:  if (t == 6'd6) begin
            raddr_near <= waddr(W2, 6'd3);
            raddr_far  <= waddr(W2, 6'd0 - 6'd11);
            k_addr     <= 7'd2;
          end else begin
            // The midstate's M3 .. M0 for the d-chain's feed-forward, then hash 2's W1, W2.
            raddr_near <= (t <= 6'd3) ? waddr(MID, 6'd3) - {2'b00, t} : (t == 6'd4) ? waddr(W2, 6'd1) : waddr(W2, 6'd2);
            k_addr     <= (t == 6'd3) ? K_IV0 : (t == 6'd4) ? K_IV7_K0 : (t == 6'd5) ? 7'd1 : {1'b0, t + 6'd3};
          end
      R2: if (t == 6'd60) begin                                                   // A0 next, or IDLE
            if (more) begin
              raddr_near <= waddr(W1, 6'd1);
              k_addr     <= K_M7_K0;
            end
          end else begin
            raddr_near <= (t <= 6'd11) ? waddr(W2, t + 6'd4) : (t <= 6'd58) ? waddr(W2, t - 6'd3) : waddr(W1, 6'd0);
            raddr_far  <= waddr(W2, t - 6'd10);
            k_addr     <= (t == 6'd59) ? K_M0 : (t == 6'd57) ? K_K60_IV7 : {1'b0, t + 6'd3};
          end
      default: ;
    endcase
    if (stop || rst) begin
      raddr_near <= waddr(W1, 6'd0);
      raddr_far  <= ZERO_WORD;
    end
  end

  wire       k_we = phase == IDLE && load && (load_idx == 4'd0 || load_idx == 4'd7);
  kh_sha256_k #(.EXTRA0(IV0), .EXTRA1(IV7 + K0), .EXTRA2(K60 + IV7)) k_rom (
      .clk(clk), .addr(k_addr), .k(k_cur), .we(k_we), .waddr(load_idx[0] ? K_M7_K0 : K_M0),
      .wdata(load_idx[0] ? load_word + K0 : load_word));

  // ── lanes ───────────────────────────────────────────────────────────────────────────────
  wire [LANES-1:0] meets;
  genvar gi;
  generate
    for (gi = 0; gi < LANES; gi = gi + 1) begin : lane
      kh_lane l (
          .clk(clk), .clr(z1), .clr_g(z0), .ld(z1 || z2), .ld_iv(in_u), .ld_words(ld_words), .hold_abcd(hold_abcd),
          .k(k_cur), .w1_mem(w1_mem), .s1_clr(s1_clr), .far_e(far_e), .far_d(far_d),
          .we(we_all || (w3_now && w3_lane == gi)), .waddr(wa), .wsel_init(wsel_init), .init_word(init_word),
          .raddr_far(raddr_far), .raddr_near(raddr_near), .mask(mask), .meets(meets[gi]));
    end
  endgenerate

  // Lane i's nonce is in range while base + i <= last, i.e. i <= remaining.
  // LANES <= 8, so only the low four bits need comparing once the rest is known to be zero.
  wire            far_off = remaining[31:4] != 28'd0;
  reg [LANES-1:0] valid;
  reg [3:0]       n_valid;
  integer vi;
  always @* begin
    n_valid = 4'd0;
    for (vi = 0; vi < LANES; vi = vi + 1) begin
      valid[vi] = far_off || {28'd0, remaining[3:0]} >= vi;
      n_valid = n_valid + {3'd0, valid[vi]};
    end
  end
  wire more = far_off || {28'd0, remaining[3:0]} >= LANES;
  reg  empty;              // the loaded range ends before it starts

  // ── sequencer ───────────────────────────────────────────────────────────────────────────
  always @(posedge clk) begin
    found  <= 1'b0;
    hashed <= 1'b0;
    if (rst) begin
      phase <= IDLE;
      t     <= 6'd0;
      check <= 1'b0;
    end else begin
      check <= 1'b0;
      if (check) begin
        hashed       <= 1'b1;
        hashed_count <= n_valid;
        found        <= |(meets & valid);
        found_lanes  <= meets & valid;
        found_base   <= nonce_w - 2 * LANES;
        if (phase == A0) remaining <= remaining - LANES;
      end
      if (w3_now) nonce_w <= nonce_w + 32'd1;
      if (phase == IDLE && load && load_idx == 4'd0) d_first <= load_word;              // M0
      if (phase == IDLE && load && load_idx == 4'd4) d_first <= load_word - d_first;    // M4 - M0
      // The range is measured as it loads, so starting a work is not a 32-bit subtraction.
      if (phase == IDLE && load && load_idx == 4'd11) nonce_w <= load_word;
      if (phase == IDLE && load && load_idx == 4'd12) {empty, remaining} <= {1'b0, load_word} - {1'b0, nonce_w};
      case (phase)
        IDLE: if (start && !empty) begin
          mask      <= bswap((threshold >= 6'd32) ? 32'hffffffff : ~(32'hffffffff >> threshold));
          t         <= 6'd0;
          phase     <= W3;
        end
        W3: begin
          t <= t + 6'd1;
          if (t == LANES[5:0] - 6'd1) phase <= A0;
        end
        A0: phase <= A1;
        A1: begin
          t     <= 6'd0;
          phase <= R1;
        end
        R1: begin
          t <= t + 6'd1;
          if (t == 6'd63) phase <= U;
        end
        U: begin
          t <= t + 6'd1;
          if (t == 6'd6) begin
            t     <= 6'd0;
            phase <= R2;
          end
        end
        R2: begin
          t <= t + 6'd1;
          if (t == 6'd60) begin
            check <= 1'b1;
            phase <= more ? A0 : IDLE;
          end
        end
        default: phase <= IDLE;
      endcase
      if (stop) begin
        phase <= IDLE;
        check <= 1'b0;
        t     <= 6'd0;
      end
    end
  end
endmodule
`default_nettype wire
