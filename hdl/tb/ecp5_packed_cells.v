// Simulation models of the two cells nextpnr-ecp5 packs a design into, for simulating its
// routed netlist (host/rtl/synth/routed-netlist.ts): half a slice's logic (TRELLIS_COMB) and
// one of its flip-flops (TRELLIS_FF), with the parameters nextpnr writes. Only what a
// kilohash build uses: a LUT, a carry-chain half, the slice's wide-function mux; no
// distributed RAM (the routed build has none). Unknown settings stop the simulation at
// elaboration, so a netlist this does not describe is never simulated wrongly.
`default_nettype none
// String parameters are compared with strings of other lengths (zero-extended, as Verilog
// does); the modules are named for the cells, not the file.
/* verilator lint_off UNUSEDSIGNAL */
/* verilator lint_off UNUSEDPARAM */
/* verilator lint_off WIDTH */
/* verilator lint_off DECLFILENAME */
module TRELLIS_COMB #(
    parameter MODE = "LOGIC",          // "LOGIC" or "CCU2"
    parameter [15:0] INITVAL = 16'h0,  // the LUT's truth table, indexed by {D, C, B, A}
    parameter CCU2_INJECT1 = "NO",     // "YES": this half starts a chain (no carry in, no generate)
    parameter WREMUX = "WRE",
    parameter IS_Z1 = 1'b0             // the mux is the slice's second-level one (FXA/FXB)
) (
    input  wire A, B, C, D, M,
    input  wire FCI, F1, FXA, FXB,
    input  wire WD, WAD0, WAD1, WAD2, WAD3, WRE, WCK,
    output wire F, FCO, OFX
);
  wire lut4 = INITVAL[{D, C, B, A}];
  generate
    if (MODE == "LOGIC") begin : logic_mode
      assign F = lut4;
      assign FCO = 1'b0;
    end else if (MODE == "CCU2") begin : carry_mode
      // The carry half: propagate is the LUT, generate its low quarter (a function of A and
      // B alone); with INJECT1 the chain's carry in is ignored for the sum and generate is 0.
      wire inject = CCU2_INJECT1 == "YES";
      wire lut2 = INITVAL[{B, A}];
      assign F = lut4 ^ (inject ? 1'b0 : FCI);
      assign FCO = lut4 ? FCI : (inject ? 1'b0 : lut2);
    end else begin : unknown_mode
      initial begin
        $display("ERROR: TRELLIS_COMB mode %s is not modelled", MODE);
        $finish;
      end
    end
    if (IS_Z1 != 1'b0) begin : mux6
      assign OFX = M ? FXB : FXA;
    end else begin : mux5
      assign OFX = M ? F1 : F;
    end
  endgenerate
endmodule

module TRELLIS_FF #(
    parameter GSR = "ENABLED",
    parameter CEMUX = "1",             // "1", "0", "CE" or "INV"
    parameter CLKMUX = "CLK",          // "CLK" or "INV"
    parameter LSRMUX = "LSR",          // "LSR" or "INV"
    parameter SRMODE = "LSR_OVER_CE",  // or "ASYNC"
    parameter REGSET = "RESET",        // what LSR sets: "RESET" (0) or "SET" (1)
    parameter LSRMODE = "LSR",         // or "PRLD": LSR loads M
    parameter SD = "1"                 // the data: "1" the LUT's output (DI), "0" the bypass (M)
) (
    input  wire CLK, LSR, CE, DI, M,
    output reg  Q
);
  wire ce  = CEMUX == "1" ? 1'b1 : CEMUX == "0" ? 1'b0 : CEMUX == "INV" ? !CE : CE;
  wire lsr = LSRMUX == "INV" ? !LSR : LSR;
  wire clk = CLKMUX == "INV" ? !CLK : CLK;
  wire d   = SD == "0" ? M : DI;
  wire set_to = LSRMODE == "PRLD" ? M : (REGSET == "SET");
  initial Q = (REGSET == "SET");
  generate
    if (SRMODE == "ASYNC") begin : async_reset
      always @(posedge clk or posedge lsr)
        if (lsr) Q <= set_to;
        else if (ce) Q <= d;
    end else begin : sync_reset
      always @(posedge clk)
        if (lsr) Q <= set_to;
        else if (ce) Q <= d;
    end
  endgenerate
endmodule
/* verilator lint_on DECLFILENAME */
/* verilator lint_on WIDTH */
/* verilator lint_on UNUSEDPARAM */
/* verilator lint_on UNUSEDSIGNAL */
`default_nettype wire
