// s = x + y as one carry chain that synthesis keeps whole. yosys merges a chain of additions
// (x + y + z + …) into one multi-operand sum and builds it from LUTs: on the ECP5 a 4-operand
// sum became about 190 LUTs and a 3-operand one 63 LUTs plus a chain, where separate 2-operand
// chains cost 16 CCU2C each. The pipelined core's stages are LUT-bound, so their sums are
// chains of these (kh_sha256_stage, kh_sha256_round with CHAINS = 1): a third less logic a
// stage, measured.
`default_nettype none
(* keep_hierarchy *)
module kh_add_chain (
    input  wire [31:0] x,
    input  wire [31:0] y,
    output wire [31:0] s
);
  assign s = x + y;
endmodule
`default_nettype wire
