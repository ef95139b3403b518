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
    output reg  [WIDTH-1:0] dout,
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

  always @(posedge clk) begin
    if (do_push) mem[wr_reg[DEPTH_LOG2-1:0]] <= din;
    // Read the entry that will be at the head next cycle; bypass when it is being written now.
    if (do_push && rd_next == wr_reg) dout <= din;
    else dout <= mem[rd_next[DEPTH_LOG2-1:0]];
    if (rst) begin
      wr_reg <= 0;
      rd_reg <= 0;
    end else begin
      if (do_push) wr_reg <= wr_reg + 1'b1;
      rd_reg <= rd_next;
    end
  end
endmodule
`default_nettype wire
