// One SHA-256 round, combinational: (a..h, K[t] + W[t]) -> next (a..h).
// The K+W sum comes in pre-added so the round's critical path starts at the state registers.
`default_nettype none
module kh_sha256_round (
    input  wire [255:0] state_in,   // {a, b, c, d, e, f, g, h}
    input  wire [31:0]  kw,         // K[t] + W[t]
    output wire [255:0] state_out
);
  wire [31:0] a = state_in[255:224], b = state_in[223:192], c = state_in[191:160], d = state_in[159:128];
  wire [31:0] e = state_in[127:96],  f = state_in[95:64],   g = state_in[63:32],   h = state_in[31:0];

  wire [31:0] s1  = {e[5:0], e[31:6]} ^ {e[10:0], e[31:11]} ^ {e[24:0], e[31:25]};
  wire [31:0] ch  = (e & f) ^ (~e & g);
  wire [31:0] s0  = {a[1:0], a[31:2]} ^ {a[12:0], a[31:13]} ^ {a[21:0], a[31:22]};
  wire [31:0] maj = (a & b) ^ (a & c) ^ (b & c);
  wire [31:0] t1  = h + s1 + ch + kw;
  wire [31:0] t2  = s0 + maj;

  assign state_out = {t1 + t2, a, b, c, d + t1, e, f, g};
endmodule
`default_nettype wire
