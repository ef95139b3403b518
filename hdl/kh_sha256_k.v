// SHA-256 round constants K[0..63] (FIPS 180-4, the table in kh_sha256_kfn.vh) in block RAM,
// read one cycle ahead (k is the entry addressed last cycle). Entries 64, 65 and 68 are
// EXTRA0..EXTRA2, constants the engine wants on the same path; 66 and 67 are written by the
// engine per work (see kh_engine).
`default_nettype none
module kh_sha256_k #(
    parameter [31:0] EXTRA0 = 32'd0,
    parameter [31:0] EXTRA1 = 32'd0,
    parameter [31:0] EXTRA2 = 32'd0
) (
    input  wire        clk,
    input  wire [6:0]  addr,
    output reg  [31:0] k,
    input  wire        we,
    input  wire [6:0]  waddr,
    input  wire [31:0] wdata
);
  `include "kh_sha256_kfn.vh"
  reg [31:0] rom [0:127];
  integer i;
  initial begin
    for (i = 66; i < 128; i = i + 1) rom[i] = 32'd0;
    for (i = 0; i < 64; i = i + 1) rom[i] = sha256_k(i[6:0]);
    rom[64] = EXTRA0;
    rom[65] = EXTRA1;
    rom[68] = EXTRA2;
  end
  always @(posedge clk) begin
    if (we) rom[waddr] <= wdata;
    k <= rom[addr];
  end
endmodule
`default_nettype wire
