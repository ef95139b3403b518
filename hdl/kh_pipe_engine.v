// The pipelined mining engine for large parts (ECP5): SHA-256d as two kh_sha256_pipe chains,
// a nonce entering every LOOP clocks (LOOP = 1: one nonce per clock). Same ports and meaning
// as kh_engine with one lane, so kh_core and the queue do not change; the result arbiter
// takes a one-lane result in the cycle it is reported, since results may come every clock:
//
//   feed      at each advance, the next nonce of the range enters hash 1: state = midstate,
//             window = tail, nonce (byte-swapped, as in the header), padding
//   hash 1    64 rounds; then H = midstate + state (registered)
//   hash 2    state = IV, window = H, padding; rounds 0..60 (h after round 63 is e after 60)
//   test      H7 = IV7 + h; the nonce meets the threshold when H7 & mask is zero
//
// Nonces leave in the order they entered, so the nonce of each result is a counter that
// starts at the range's first nonce and steps once per result: nothing rides along the
// pipeline but a valid bit. A work runs until its last nonce has left; `stop` drops every
// nonce in flight, unreported and uncounted, so NONCES_DONE counts exactly the nonces tested.
//
// The pipelines span the part, so no path from one end of them to the other, or from the core
// to hash 2's end, is combinational: the flush reaches the valid bits through a register (the
// engine is busy for that clock and drops whatever leaves meanwhile); hash 1's feed-forward
// adds a copy of the midstate kept beside it; the loader's words and start reach the work
// registers a clock late, in order; and the share test's verdict comes back a clock after it
// is made, at hash 2's end (the engine stays busy for that clock).
`default_nettype none
module kh_pipe_engine #(
    parameter integer LOOP = 1,    // clocks per nonce: 1, 2, 4, 8, 16, 32 or 64
    parameter integer ROUNDS = 1   // rounds a stage applies per clock: 1, 2 or 4 (64 / (LOOP · ROUNDS) stages)
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         start,       // pulse: begin the loaded work (ignored while busy)
    input  wire         stop,        // pulse: drop the range (nothing more is reported)
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [159:0] ld_mid,      // kh_engine's midstate taps; this engine keeps its own copy
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire         load,        // while idle: work word load_idx is load_word:
                                     // 0-7 midstate, 8-10 tail, 11 first nonce, 12 last nonce
    input  wire [3:0]   load_idx,
    input  wire [31:0]  load_word,
    input  wire [5:0]   threshold,   // leading zero bits wanted, 1..32
    output wire         busy,
    output reg          found,       // pulse: found_base met the threshold
    output wire [0:0]   found_lanes,
    output reg  [31:0]  found_base,
    output reg          hashed,      // pulse: hashed_count more nonces done
    output wire [3:0]   hashed_count
);
  localparam [31:0] IV0 = 32'h6a09e667, IV1 = 32'hbb67ae85, IV2 = 32'h3c6ef372, IV3 = 32'ha54ff53a;
  localparam [31:0] IV4 = 32'h510e527f, IV5 = 32'h9b05688c, IV6 = 32'h1f83d9ab, IV7 = 32'h5be0cd19;
  localparam [31:0] K0 = 32'h428a2f98;

  function [31:0] bswap(input [31:0] x);
    bswap = {x[7:0], x[15:8], x[23:16], x[31:24]};
  endfunction

  // ── the work ────────────────────────────────────────────────────────────────────────────
  reg [255:0] mid;              // M0 .. M7
  reg [95:0]  tail;             // hash 1's W0 .. W2
  reg [31:0]  feed_nonce;       // the next nonce to enter
  reg [31:0]  out_nonce;        // the nonce of the next result
  reg [31:0]  to_feed;          // nonces still to enter, less one
  reg         empty;            // the loaded range ends before it starts
  reg         feeding;          // nonces remain to enter
  reg [31:0]  mask_set;         // byte-swapped: the bits of H7 that must be zero, set at start
  reg [31:0]  mask;             // its copy beside the share test (below)
  reg [8:0]   in_flight;        // nonces entered and not yet reported (at most 2·64 + 4)

  // The loader sits by the core, and the work's registers by hash 1's entry, which may be
  // across the part: its words and its start take a register on the way, in the order they
  // came. The start is dropped with the range if `stop` or `rst` comes with it, and the engine
  // is busy while it is on its way, as it would have been had it been taken at once.
  reg         load_q, start_q;
  reg  [3:0]  load_idx_q;
  reg  [31:0] load_word_q;
  wire        active;           // feeding, nonces in flight, or flushing
  always @(posedge clk) begin
    load_q      <= load && !busy;
    load_idx_q  <= load_idx;
    load_word_q <= load_word;
    start_q     <= start && !busy && !rst && !stop;
  end

  always @(posedge clk) begin
    if (load_q) begin
      case (load_idx_q)
        4'd0: mid[255:224] <= load_word_q;
        4'd1: mid[223:192] <= load_word_q;
        4'd2: mid[191:160] <= load_word_q;
        4'd3: mid[159:128] <= load_word_q;
        4'd4: mid[127:96]  <= load_word_q;
        4'd5: mid[95:64]   <= load_word_q;
        4'd6: mid[63:32]   <= load_word_q;
        4'd7: mid[31:0]    <= load_word_q;
        4'd8: tail[95:64]  <= load_word_q;
        4'd9: tail[63:32]  <= load_word_q;
        4'd10: tail[31:0]  <= load_word_q;
        default: ;
      endcase
    end
  end

  // ── the step counter: every LOOP clocks the pipelines advance ────────────────────────────
  // At LOOP = 1 they advance every clock, and say so as constants: a counter that synthesis
  // cannot prove stuck at zero would keep every stage's hold multiplexers and turn each
  // stage's round constants into a table indexed by the step.
  wire [5:0] step_next;
  wire       advance;
  generate
    if (LOOP == 1) begin : every_clock
      assign step_next = 6'd0;
      assign advance = 1'b1;
    end else begin : counted
      reg [5:0] count;
      assign advance = count == LOOP[5:0] - 6'd1;
      assign step_next = (rst || advance) ? 6'd0 : count + 6'd1;
      always @(posedge clk) count <= step_next;
    end
  endgenerate

  wire feed = feeding && advance;

  // ── dropping the work ───────────────────────────────────────────────────────────────────
  // `stop` and `rst` clear feeding and in_flight at once; the pipelines' valid bits (one in
  // every stage, across the part) hear of it a clock later, from one register. Whatever
  // leaves a pipeline in that clock is dropped, and the engine is busy meanwhile, so no work
  // loads or starts into a pipeline still being flushed.
  reg  flush_q;
  always @(posedge clk) flush_q <= rst || stop;
  wire dropping = rst || stop || flush_q;

  // ── hash 1 ──────────────────────────────────────────────────────────────────────────────
  // W[4..15] are the padding of an 80-byte header, fixed: the stages that read them fold them in.
  localparam [383:0] PAD1 = {32'h80000000, 320'd0, 32'd640};
  wire [511:0] w1_in = {tail, bswap(feed_nonce), PAD1};
  wire [31:0]  m7 = mid[31:0];
  reg  [31:0]  hkw1_in;         // M7 + K0 + W0: the same for every nonce of the work
  always @(posedge clk) hkw1_in <= m7 + K0 + tail[95:64];
  wire         h1_valid;
  wire [255:0] h1_state;
  /* verilator lint_off PINCONNECTEMPTY */   // out_e: the feed-forward reads the whole state
  kh_sha256_pipe #(.LOOP(LOOP), .ROUNDS(ROUNDS), .W_FIXED(16'h0fff), .W_VALUE({128'd0, PAD1})) hash1 (
      .clk(clk), .flush(flush_q), .advance(advance), .step_next(step_next),
      .in_valid(feed), .in_state(mid[255:32]), .in_hkw(hkw1_in), .in_w(w1_in),
      .out_valid(h1_valid), .out_state(h1_state), .out_e());
  /* verilator lint_on PINCONNECTEMPTY */

  // H = midstate + state, registered; it waits there for hash 2's next advance. The midstate
  // comes from a copy two registers on from `mid`, which the placer can put beside these
  // adders: hash 1's ends are 32 stages apart. The copy is settled long before the work's
  // first nonce arrives (the loader starts a work clocks after its midstate, and the nonce
  // then takes 64 / ROUNDS clocks to get here).
  reg  [255:0] mid_on, mid_end;
  always @(posedge clk) begin
    mid_on  <= mid;
    mid_end <= mid_on;
  end
  reg  [255:0] h1;
  reg          h1_v;
  wire [255:0] h1_sum;
  genvar hw;
  generate
    for (hw = 0; hw < 8; hw = hw + 1) begin : feed_forward
      assign h1_sum[255 - 32 * hw -: 32] = mid_end[255 - 32 * hw -: 32] + h1_state[255 - 32 * hw -: 32];
    end
  endgenerate
  always @(posedge clk) begin
    h1 <= h1_sum;
    // Between the hashes, far from where stop comes from: the flush register is enough, as
    // what this passes on in the flush's clock is cleared in hash 2's first stage with the rest.
    if (flush_q) h1_v <= 1'b0;
    else if (h1_valid) h1_v <= 1'b1;
    else if (advance) h1_v <= 1'b0;
  end

  // ── hash 2 ──────────────────────────────────────────────────────────────────────────────
  // W[8..15] are the padding of a 32-byte message and a..g the IV: fixed, and folded in.
  localparam [255:0] PAD2 = {32'h80000000, 192'd0, 32'd256};
  localparam [223:0] IV_AG = {IV0, IV1, IV2, IV3, IV4, IV5, IV6};
  wire [511:0] w2_in = {h1, PAD2};
  wire [31:0]  hkw2_in = (IV7 + K0) + h1[255:224];
  // The share test reads only h after round 63, which is e after round 60: the pipeline
  // stops at the stage that applies round 60.
  wire         h2_valid;
  /* verilator lint_off UNUSEDSIGNAL */
  wire [255:0] h2_state;
  /* verilator lint_on UNUSEDSIGNAL */
  wire [31:0]  h2_e60;
  kh_sha256_pipe #(.LOOP(LOOP), .ROUNDS(ROUNDS), .LAST_ROUND(60),
                   .W_FIXED(16'h00ff), .W_VALUE({256'd0, PAD2}), .ST_FIXED(1'b1), .ST_VALUE(IV_AG)) hash2 (
      .clk(clk), .flush(flush_q), .advance(advance), .step_next(step_next),
      .in_valid(h1_v), .in_state(IV_AG), .in_hkw(hkw2_in), .in_w(w2_in),
      .out_valid(h2_valid), .out_state(h2_state), .out_e(h2_e60));

  // ── the share test ──────────────────────────────────────────────────────────────────────
  // The share test sits at hash 2's end, which may be across the part from the core's
  // registers and the start logic. It reads a copy of the mask taken every clock, with no
  // enable, so the start decision does not have to reach it (the copy is a clock behind, long
  // before a work's first nonce gets here); it hears of a flush from the flush register, as
  // the stages do; and its verdict, one bit, goes to the core through a register, where the
  // drop is applied again: what was tested in the clock `stop` came is not reported.
  reg         tested_end, tested, meets;
  reg  [31:0] h7;
  always @(posedge clk) mask <= mask_set;
  always @(posedge clk) begin
    tested_end <= !flush_q && h2_valid;
    h7         <= IV7 + h2_e60;
    meets      <= (h7 & mask) == 32'd0;
    tested     <= !dropping && tested_end;
  end

  assign found_lanes = 1'b1;
  assign hashed_count = 4'd1;
  assign active = feeding || in_flight != 9'd0 || flush_q;
  assign busy = active || start_q;

  always @(posedge clk) begin
    found  <= 1'b0;
    hashed <= 1'b0;
    if (rst || stop) begin
      feeding   <= 1'b0;
      in_flight <= 9'd0;
    end else begin
      // The range is measured as it loads, so starting a work is not a 32-bit subtraction.
      if (load_q && load_idx_q == 4'd11) feed_nonce <= load_word_q;
      if (load_q && load_idx_q == 4'd12) {empty, to_feed} <= {1'b0, load_word_q} - {1'b0, feed_nonce};
      if (start_q && !active && !empty) begin
        feeding   <= 1'b1;
        out_nonce <= feed_nonce;
        mask_set  <= bswap((threshold >= 6'd32) ? 32'hffffffff : ~(32'hffffffff >> threshold));
      end
      if (feed) begin
        feed_nonce <= feed_nonce + 32'd1;
        to_feed    <= to_feed - 32'd1;
        if (to_feed == 32'd0) feeding <= 1'b0;
      end
      in_flight <= in_flight + {8'd0, feed} - {8'd0, tested};
      if (tested) begin
        hashed     <= 1'b1;
        found      <= meets;
        found_base <= out_nonce;
        out_nonce  <= out_nonce + 32'd1;
      end
    end
  end
endmodule
`default_nettype wire
