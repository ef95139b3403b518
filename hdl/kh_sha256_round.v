// One SHA-256 round, combinational: the new a and e from (a..g, h + K[t] + W[t]).
// The other six words only shift (b = a, c = b, …), which the lane does itself.
// h + K + W arrives pre-added (formed a cycle early from g, which becomes h), so the round's
// critical path is Σ1/Ch, one three-input add, then + d or + T2. With CHAINS = 1 (the
// pipelined core) every sum is a 2-operand carry chain (kh_add_chain): one chain more on the
// path, a third fewer LUTs. There a new e is (d + hkw) + (Σ1 + Ch) with EARLY_E (two chains
// after Σ1; kh_sha256_stage says which rounds), else d + ((hkw + Σ1) + Ch) (three, a chain
// fewer); a new a is always three chains after Σ1.
`default_nettype none
module kh_sha256_round #(
    parameter integer CHAINS = 0,
    parameter integer EARLY_E = 0,  // with CHAINS = 1: the new e two chains after Σ1, not three
    parameter [0:0]   FIXED = 1'b0,  // with CHAINS = 1: a..g are FIXED_STATE, the ports unread
    parameter [223:0] FIXED_STATE = 224'd0
) (
    /* verilator lint_off UNUSEDSIGNAL */   // unread when FIXED
    input  wire [31:0] a, b, c, d, e, f, g,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [31:0] hkw,        // h + K[t] + W[t]
    output wire [31:0] a_out,
    output wire [31:0] e_out
);
  function [31:0] big_sigma1(input [31:0] x);
    big_sigma1 = {x[5:0], x[31:6]} ^ {x[10:0], x[31:11]} ^ {x[24:0], x[31:25]};
  endfunction
  function [31:0] big_sigma0(input [31:0] x);
    big_sigma0 = {x[1:0], x[31:2]} ^ {x[12:0], x[31:13]} ^ {x[21:0], x[31:22]};
  endfunction
  function [31:0] choose(input [31:0] x, input [31:0] y, input [31:0] z);
    choose = (x & y) ^ (~x & z);
  endfunction
  function [31:0] majority(input [31:0] x, input [31:0] y, input [31:0] z);
    majority = (x & y) ^ (x & z) ^ (y & z);
  endfunction
  /* verilator lint_off UNUSEDSIGNAL */   // unread when FIXED
  wire [31:0] s1  = big_sigma1(e);
  wire [31:0] ch  = choose(e, f, g);
  wire [31:0] s0  = big_sigma0(a);
  wire [31:0] maj = majority(a, b, c);
  /* verilator lint_on UNUSEDSIGNAL */
  // With FIXED: a..g, and the parts of T1 (less hkw) and T2 they make.
  localparam [31:0] FA = FIXED_STATE[223:192], FB = FIXED_STATE[191:160], FC = FIXED_STATE[159:128];
  localparam [31:0] FD = FIXED_STATE[127:96], FE = FIXED_STATE[95:64], FF = FIXED_STATE[63:32], FG = FIXED_STATE[31:0];
  localparam [31:0] F_T1 = big_sigma1(FE) + choose(FE, FF, FG);
  localparam [31:0] F_T2 = big_sigma0(FA) + majority(FA, FB, FC);
  generate
    if (CHAINS != 0 && FIXED != 0) begin : fixed
      kh_add_chain add_a (.x(hkw), .y(F_T1 + F_T2), .s(a_out));
      kh_add_chain add_e (.x(hkw), .y(F_T1 + FD), .s(e_out));
    end else if (CHAINS == 0) begin : merged
      wire [31:0] t1 = hkw + s1 + ch;
      wire [31:0] t2 = s0 + maj;
      assign a_out = t1 + t2;
      assign e_out = d + t1;
    end else begin : chained
      wire [31:0] t1, t2;
      kh_add_chain add_t2 (.x(s0), .y(maj), .s(t2));
      kh_add_chain add_a (.x(t1), .y(t2), .s(a_out));
      if (EARLY_E != 0) begin : early_e
        // e' = (d + hkw) + (Σ1 + Ch): d + hkw is summed beside Σ1, so e' is ready a chain
        // before a' (t1 = hkw + (Σ1 + Ch), then + T2), for one chain more.
        wire [31:0] sc, dh;
        kh_add_chain add_sc (.x(s1), .y(ch), .s(sc));
        kh_add_chain add_dh (.x(d), .y(hkw), .s(dh));
        kh_add_chain add_e (.x(dh), .y(sc), .s(e_out));
        kh_add_chain add_t1 (.x(hkw), .y(sc), .s(t1));
      end else begin : late_e
        wire [31:0] hs1;
        kh_add_chain add_hs1 (.x(hkw), .y(s1), .s(hs1));
        kh_add_chain add_t1 (.x(hs1), .y(ch), .s(t1));
        kh_add_chain add_e (.x(d), .y(t1), .s(e_out));
      end
    end
  endgenerate
endmodule
`default_nettype wire
