// A bench for the pipelined core's slowest path: N stages of kh_sha256_pipe, as its build
// makes them (LOOP, ROUNDS), chained between registers, so nextpnr measures the stage-to-stage
// clock in minutes where the 85F's whole core takes hours to place and route
// (`kilohash synth --stage-bench N`). Not a miner: the stages' inputs are shifted in from one
// pin, and their outputs are folded to one pin through two register levels, so neither end is
// the slowest path. The stages apply rounds 16 onwards, where the message schedule is live.
`default_nettype none
module kh_stage_bench #(
    parameter integer N = 4,
    parameter integer LOOP = 1,
    parameter integer ROUNDS = 2
) (
    input  wire clk,
    input  wire din,
    input  wire advance,        // LOOP > 1: blocks move on (the engine's last step)
    output reg  dout
);
  `include "kh_sha256_kfn.vh"
  localparam integer PER_STAGE = LOOP * ROUNDS;
  localparam integer WIDTH = 224 + 32 + 512;

  reg [WIDTH - 1:0] feed;
  always @(posedge clk) feed <= {feed[WIDTH - 2:0], din};

  wire         v   [0:N];
  wire [223:0] st  [0:N];
  wire [31:0]  hkw [0:N];
  wire [511:0] w   [0:N];
  wire [31:0]  h   [1:N];
  assign {st[0], hkw[0], w[0]} = feed;
  assign v[0] = din;

  genvar s, r;
  generate
    for (s = 0; s < N; s = s + 1) begin : stage
      wire [32 * ROUNDS - 1:0] k;
      for (r = 0; r < ROUNDS; r = r + 1) begin : constant
        localparam integer NEXT = (16 + s * PER_STAGE + r + 1) % 64;
        localparam [6:0] NEXT7 = NEXT[6:0];
        assign k[32 * (ROUNDS - r) - 1 -: 32] = sha256_k(NEXT7);
      end
      kh_sha256_stage #(.LOOP(LOOP), .ROUNDS(ROUNDS)) body (
          .clk(clk), .flush(1'b0), .advance(advance), .k(k),
          .in_valid(v[s]), .in_state(st[s]), .in_hkw(hkw[s]), .in_w(w[s]),
          .valid(v[s + 1]), .st_n(st[s + 1]), .hkw_n(hkw[s + 1]), .w_n(w[s + 1]), .h_n(h[s + 1]));
    end
  endgenerate

  // The last stage's outputs, registered, then folded 32 bits at a time, then to one bit.
  localparam integer OUT = 224 + 32 + 512 + 32 + 1;
  localparam integer WORDS = (OUT + 31) / 32;
  reg [WORDS * 32 - 1:0] last;
  reg [WORDS - 1:0] folded;
  integer i;
  always @(posedge clk) begin
    last <= {{(WORDS * 32 - OUT){1'b0}}, st[N], hkw[N], w[N], h[N], v[N]};
    for (i = 0; i < WORDS; i = i + 1) folded[i] <= ^last[32 * i +: 32];
    dout <= ^folded;
  end
endmodule
`default_nettype wire
