// One SHA-256 round, combinational: the new a and e from (a..g, h + K[t] + W[t]).
// The other six words only shift (b = a, c = b, …), which the lane does itself.
// h + K + W arrives pre-added (formed a cycle early from g, which becomes h), so the round's
// critical path is Σ1/Ch, one three-input add, then + d or + T2.
`default_nettype none
module kh_sha256_round (
    input  wire [31:0] a, b, c, d, e, f, g,
    input  wire [31:0] hkw,        // h + K[t] + W[t]
    output wire [31:0] a_out,
    output wire [31:0] e_out
);
  wire [31:0] s1  = {e[5:0], e[31:6]} ^ {e[10:0], e[31:11]} ^ {e[24:0], e[31:25]};
  wire [31:0] ch  = (e & f) ^ (~e & g);
  wire [31:0] s0  = {a[1:0], a[31:2]} ^ {a[12:0], a[31:13]} ^ {a[21:0], a[31:22]};
  wire [31:0] maj = (a & b) ^ (a & c) ^ (b & c);
  wire [31:0] t1  = hkw + s1 + ch;
  wire [31:0] t2  = s0 + maj;

  assign a_out = t1 + t2;
  assign e_out = d + t1;
endmodule
`default_nettype wire
