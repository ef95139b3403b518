// SHA-256 message schedule step over a 16-word window {W[t], …, W[t+15]} (W[t] in the top
// word): the next window drops W[t] and appends W[t+16].
`default_nettype none
module kh_sha256_schedule (
    input  wire [511:0] w_in,
    output wire [511:0] w_out
);
  wire [31:0] w0  = w_in[511:480];
  wire [31:0] w1  = w_in[479:448];
  wire [31:0] w9  = w_in[223:192];
  wire [31:0] w14 = w_in[63:32];
  wire [31:0] sg0 = {w1[6:0], w1[31:7]} ^ {w1[17:0], w1[31:18]} ^ (w1 >> 3);
  wire [31:0] sg1 = {w14[16:0], w14[31:17]} ^ {w14[18:0], w14[31:19]} ^ (w14 >> 10);
  assign w_out = {w_in[479:0], w0 + sg0 + w9 + sg1};
endmodule
`default_nettype wire
