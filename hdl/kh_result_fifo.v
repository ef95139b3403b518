// Result FIFO in block RAM, first-word-fall-through: `dout` always shows the oldest entry.
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
  assign count = wr_reg - rd_reg;
  assign empty = count == 0;
  assign full  = count == (1 << DEPTH_LOG2);
  wire do_push = push && !full;
  wire do_pop  = pop && !empty;
  wire [DEPTH_LOG2:0] rd_next = rd_reg + {{DEPTH_LOG2{1'b0}}, do_pop};

  // The RAM's read register holds the entry that will be at the head next cycle. When that
  // entry is being written in the same cycle the RAM would return the old word, so the new
  // one is kept aside and chosen after the RAM (keeping the RAM's output register its own,
  // which is what lets synthesis place it in block RAM).
  reg [WIDTH-1:0] mem_q, din_q;
  reg             bypass_q;
  always @(posedge clk) begin
    if (do_push) mem[wr_reg[DEPTH_LOG2-1:0]] <= din;
    mem_q    <= mem[rd_next[DEPTH_LOG2-1:0]];
    din_q    <= din;
    bypass_q <= do_push && rd_next == wr_reg;
    if (rst) begin
      wr_reg <= 0;
      rd_reg <= 0;
    end else begin
      if (do_push) wr_reg <= wr_reg + 1'b1;
      rd_reg <= rd_next;
    end
  end
  assign dout = bypass_q ? din_q : mem_q;
endmodule
`default_nettype wire
