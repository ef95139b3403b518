// One double-SHA-256 mining engine: a single round unit used iteratively.
//   hash 1: 64 rounds of the header's second block from the midstate
//   2 cycles: H1 = midstate + state into the message window; then h + K0 + W0 for hash 2
//   hash 2: only 61 rounds — the top hash word H7 = IV7 + h64 and h64 = e61, so the last
//           three rounds cannot change whether a nonce is reported
//   1 cycle: compare, step to the next nonce
// = 128 clock cycles per nonce. The engine walks first, first+stride, … ≤ last.
// Each round's h + K[t] + W[t] is formed one cycle earlier (from g, which becomes h), which
// takes the K table and two adders off the round's critical path.
`default_nettype none
module kh_engine (
    input  wire         clk,
    input  wire         rst,
    input  wire         start,        // pulse: begin the range below (ignored while busy)
    input  wire         stop,        // pulse: drop the range (nothing more is reported)
    input  wire [31:0]  first_nonce,
    input  wire [31:0]  last_nonce,   // inclusive
    input  wire [7:0]   stride,
    input  wire [255:0] midstate,     // {H0 … H7} after the first 64 header bytes
    input  wire [95:0]  tail,         // W0..W2 of the second block
    input  wire [5:0]   threshold,    // leading zero bits wanted, 1..32
    output wire         busy,
    output reg          found,        // pulse: found_nonce meets the threshold
    output reg  [31:0]  found_nonce,
    output reg          hashed        // pulse: one more nonce done
);
  localparam [2:0] IDLE = 3'd0, ARM = 3'd6, HASH1 = 3'd1, LOAD2 = 3'd2, PRE2 = 3'd3, HASH2 = 3'd4, CHECK = 3'd5;
  localparam [255:0] IV = {32'h6a09e667, 32'hbb67ae85, 32'h3c6ef372, 32'ha54ff53a,
                           32'h510e527f, 32'h9b05688c, 32'h1f83d9ab, 32'h5be0cd19};

  reg [2:0]   phase_reg;
  reg [5:0]   t_reg;
  reg [255:0] state_reg;
  reg [511:0] w_reg;
  reg [31:0]  nonce_reg, last_reg;
  reg [7:0]   stride_reg;
  reg [31:0]  hkw_reg;      // h + K[t] + W[t] for the round about to run
  reg [31:0]  mask_reg;     // the top `threshold` bits set: those must be zero to report
  reg [31:0]  next_nonce_reg;
  reg         more_reg;     // next_nonce_reg is still in range (formed during hash 2)

  assign busy = phase_reg != IDLE;

  wire [31:0]  k_ahead, k0;
  reg  [31:0]  k_reg;        // K[t+1], looked up a cycle earlier still
  wire [255:0] round_out;
  wire [511:0] w_next;
  kh_sha256_k        k_rom  (.t(t_reg + 6'd2), .k(k_ahead));
  kh_sha256_k        k_rom0 (.t(6'd0), .k(k0));
  kh_sha256_round    round (.state_in(state_reg), .hkw(hkw_reg), .state_out(round_out));
  // Next round's h is this round's g; its W is the next word of the window.
  wire [31:0] hkw_next = state_reg[63:32] + k_reg + w_reg[479:448];
  // Round 0 of hash 1 for any nonce: h = midstate H7, W0 = tail word 0 (fixed per work).
  wire [31:0] hkw_first = midstate[31:0] + k0 + tail[95:64];
  kh_sha256_schedule sched (.w_in(w_reg), .w_out(w_next));

  function [31:0] bswap(input [31:0] v);
    bswap = {v[7:0], v[15:8], v[23:16], v[31:24]};
  endfunction

  // The second block of hash 1 for a nonce: tail, the nonce as the header stores it, padding.
  function [511:0] block2(input [31:0] nonce);
    block2 = {tail, bswap(nonce), 32'h80000000, 320'd0, 32'd640};
  endfunction

  // Hash 1's output: the state after 64 rounds plus the midstate, word by word.
  wire [255:0] h1 = {midstate[255:224] + state_reg[255:224], midstate[223:192] + state_reg[223:192],
                     midstate[191:160] + state_reg[191:160], midstate[159:128] + state_reg[159:128],
                     midstate[127:96]  + state_reg[127:96],  midstate[95:64]   + state_reg[95:64],
                     midstate[63:32]   + state_reg[63:32],   midstate[31:0]    + state_reg[31:0]};

  // After 61 rounds of hash 2, e holds what h would hold after 64: H7 = IV7 + e61.
  wire [31:0] h7 = 32'h5be0cd19 + state_reg[127:96];
  // The hash read as a little-endian number starts with bswap(H7): its leading zero bits
  // must cover the mask (fixed per range, so no shifter sits on the path to `found`).
  wire        meets = (bswap(h7) & mask_reg) == 32'd0;
  wire [32:0] next_nonce = {1'b0, nonce_reg} + {25'd0, stride_reg};

  always @(posedge clk) begin
    found  <= 1'b0;
    hashed <= 1'b0;
    if (rst) begin
      phase_reg <= IDLE;
      t_reg     <= 6'd0;
    end else begin
      case (phase_reg)
        IDLE: if (start) begin
          nonce_reg  <= first_nonce;
          last_reg   <= last_nonce;
          stride_reg <= (stride == 8'd0) ? 8'd1 : stride;
          mask_reg   <= (threshold >= 6'd32) ? 32'hffffffff : ~(32'hffffffff >> threshold);
          phase_reg  <= ARM;
        end
        // One cycle per range: check it from registers, then load the first nonce.
        ARM: if (nonce_reg <= last_reg) begin
          state_reg  <= midstate;
          w_reg      <= block2(nonce_reg);
          hkw_reg    <= hkw_first;
          k_reg      <= 32'h71374491;   // K[1]
          t_reg      <= 6'd0;
          phase_reg  <= HASH1;
        end else begin
          phase_reg  <= IDLE;
        end
        HASH1: begin
          state_reg <= round_out;
          w_reg     <= w_next;
          hkw_reg   <= hkw_next;
          k_reg     <= k_ahead;
          t_reg     <= t_reg + 6'd1;            // wraps to 0 after round 63
          if (t_reg == 6'd63) phase_reg <= LOAD2;
        end
        LOAD2: begin
          state_reg <= IV;
          w_reg     <= {h1, 32'h80000000, 192'd0, 32'd256};
          phase_reg <= PRE2;
        end
        PRE2: begin
          hkw_reg   <= 32'h5be0cd19 + k0 + w_reg[511:480];   // IV7 + K0 + H1[0]
          k_reg     <= 32'h71374491;                         // K[1]
          phase_reg <= HASH2;
        end
        HASH2: begin
          // The next nonce and whether it is in range, settled long before CHECK needs them.
          next_nonce_reg <= next_nonce[31:0];
          more_reg       <= !next_nonce[32] && next_nonce[31:0] <= last_reg;
          state_reg <= round_out;
          w_reg     <= w_next;
          hkw_reg   <= hkw_next;
          k_reg     <= k_ahead;
          t_reg     <= t_reg + 6'd1;
          if (t_reg == 6'd60) phase_reg <= CHECK;
        end
        CHECK: begin
          hashed <= 1'b1;
          if (meets) begin
            found       <= 1'b1;
            found_nonce <= nonce_reg;
          end
          t_reg <= 6'd0;
          if (more_reg && !stop) begin
            nonce_reg <= next_nonce_reg;
            state_reg <= midstate;
            w_reg     <= block2(next_nonce_reg);
            hkw_reg   <= hkw_first;
            k_reg     <= 32'h71374491;
            phase_reg <= HASH1;
          end else begin
            phase_reg <= IDLE;
          end
        end
        default: phase_reg <= IDLE;
      endcase
      if (stop && phase_reg != CHECK) begin
        phase_reg <= IDLE;
        t_reg     <= 6'd0;
      end
    end
  end
endmodule
`default_nettype wire
