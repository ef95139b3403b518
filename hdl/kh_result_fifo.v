// Result FIFO in block RAM, first-word-fall-through: `dout` always shows the oldest entry
// (a pushed entry becomes visible the cycle after the push).
`default_nettype none
module kh_result_fifo #(
    parameter integer WIDTH = 48,
    parameter integer DEPTH_LOG2 = 4
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             push,
    input  wire [WIDTH-1:0] din,
    input  wire             pop,
    output wire [WIDTH-1:0] dout,
    output wire             empty,
    output wire             full,
    output wire [DEPTH_LOG2:0] count
);
  reg [WIDTH-1:0] mem [0:(1 << DEPTH_LOG2) - 1];
  reg [DEPTH_LOG2:0] wr_reg, rd_reg;
  // The reader sees a push one cycle late (wr_seen): by then the entry is in the RAM and the
  // RAM's own read register can show it, so no bypass path (48 flip-flops and a multiplexer)
  // is needed and the RAM keeps its output register, which is what puts it in block RAM.
  reg [DEPTH_LOG2:0] wr_seen;
  assign count = wr_seen - rd_reg;
  assign empty = count == 0;
  assign full  = (wr_reg - rd_reg) == (1 << DEPTH_LOG2);
  wire do_push = push && !full;
  wire do_pop  = pop && !empty;
  wire [DEPTH_LOG2:0] rd_next = rd_reg + {{DEPTH_LOG2{1'b0}}, do_pop};

  reg [WIDTH-1:0] mem_q;
  always @(posedge clk) begin
    if (do_push) mem[wr_reg[DEPTH_LOG2-1:0]] <= din;
    mem_q <= mem[rd_next[DEPTH_LOG2-1:0]];
    if (rst) begin
      wr_reg  <= 0;
      wr_seen <= 0;
      rd_reg  <= 0;
    end else begin
      if (do_push) wr_reg <= wr_reg + 1'b1;
      wr_seen <= wr_reg;
      rd_reg  <= rd_next;
    end
  end
  assign dout = mem_q;
endmodule
`default_nettype wire
