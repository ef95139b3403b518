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
  reg [DEPTH_LOG2:0] wr_ptr, rd_ptr;
  // An entry is shown one cycle after it is written: the RAM returns the old word when the
  // head is written in the same cycle, and reads the new one on the next. Results are never in
  // a hurry, and this costs five flip-flops where a bypass around the RAM costs two words.
  reg [DEPTH_LOG2:0] wr_shown;
  assign count = wr_shown - rd_ptr;
  assign empty = count == 0;
  assign full  = wr_ptr - rd_ptr == (1 << DEPTH_LOG2);
  wire do_push = push && !full;
  wire do_pop  = pop && !empty;
  wire [DEPTH_LOG2:0] rd_next = rd_ptr + {{DEPTH_LOG2{1'b0}}, do_pop};

  reg [WIDTH-1:0] mem_q;
  always @(posedge clk) begin
    if (do_push) mem[wr_ptr[DEPTH_LOG2-1:0]] <= din;
    mem_q <= mem[rd_next[DEPTH_LOG2-1:0]];
    if (rst) begin
      wr_ptr   <= 0;
      wr_shown <= 0;
      rd_ptr   <= 0;
    end else begin
      if (do_push) wr_ptr <= wr_ptr + 1'b1;
      wr_shown <= wr_ptr;
      rd_ptr   <= rd_next;
    end
  end
  assign dout = mem_q;
endmodule
`default_nettype wire
