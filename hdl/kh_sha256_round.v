// One SHA-256 round, combinational: (a..g, h + K[t] + W[t]) -> next (a..h).
// h + K + W arrives pre-added (the engine forms it a cycle early from g, which becomes h), so
// the round's critical path is Σ1/Ch, one three-input add, then + d or + T2.
`default_nettype none
module kh_sha256_round (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [255:0] state_in,   // {a, b, c, d, e, f, g, h}; h arrives inside hkw
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [31:0]  hkw,        // h + K[t] + W[t]
    output wire [255:0] state_out
);
  wire [31:0] a = state_in[255:224], b = state_in[223:192], c = state_in[191:160], d = state_in[159:128];
  wire [31:0] e = state_in[127:96],  f = state_in[95:64],   g = state_in[63:32];

  wire [31:0] s1  = {e[5:0], e[31:6]} ^ {e[10:0], e[31:11]} ^ {e[24:0], e[31:25]};
  wire [31:0] ch  = (e & f) ^ (~e & g);
  wire [31:0] s0  = {a[1:0], a[31:2]} ^ {a[12:0], a[31:13]} ^ {a[21:0], a[31:22]};
  wire [31:0] maj = (a & b) ^ (a & c) ^ (b & c);
  wire [31:0] t1  = hkw + s1 + ch;
  wire [31:0] t2  = s0 + maj;

  assign state_out = {t1 + t2, a, b, c, d + t1, e, f, g};
endmodule
`default_nettype wire
