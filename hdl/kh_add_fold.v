// s = x + y where either operand may be fixed when the design is built (X_FIXED/Y_FIXED, its
// value in X_VALUE/Y_VALUE, the port then unread). kh_add_chain is kept whole through
// synthesis, so a constant never folds through it: this decides before it. Two fixed
// operands are a constant, a fixed zero leaves the other operand as it is, and only a sum
// with a live operand on each side costs a carry chain. Not kept whole itself, so what it
// makes constant folds into whatever reads it.
`default_nettype none
module kh_add_fold #(
    parameter [0:0]   X_FIXED = 1'b0,
    parameter [31:0]  X_VALUE = 32'd0,
    parameter [0:0]   Y_FIXED = 1'b0,
    parameter [31:0]  Y_VALUE = 32'd0
) (
    /* verilator lint_off UNUSEDSIGNAL */   // a fixed operand's port is not read
    input  wire [31:0] x,
    input  wire [31:0] y,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [31:0] s
);
  generate
    if (X_FIXED != 0 && Y_FIXED != 0) begin : constant
      assign s = X_VALUE + Y_VALUE;
    end else if (X_FIXED != 0 && X_VALUE == 32'd0) begin : y_only
      assign s = y;
    end else if (Y_FIXED != 0 && Y_VALUE == 32'd0) begin : x_only
      assign s = x;
    end else begin : chain
      kh_add_chain add (.x(X_FIXED != 0 ? X_VALUE : x), .y(Y_FIXED != 0 ? Y_VALUE : y), .s(s));
    end
  endgenerate
endmodule
`default_nettype wire
