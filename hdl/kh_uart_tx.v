// UART transmitter, 8N1, least significant bit first. `start` with `ready` high takes `data`;
// the start bit goes out on the next cycle and `ready` rises again after the stop bit, which
// lasts STOP_CYCLES (a receiver samples it at its middle, so it may be shorter than a bit:
// the link uses that to keep ahead of a host whose clock runs fast).
`default_nettype none
module kh_uart_tx #(
    parameter integer CLKS_PER_BIT = 8,
    parameter integer STOP_CYCLES  = CLKS_PER_BIT
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       start,
    input  wire [7:0] data,
    output wire       ready,
    output reg        tx
);
  localparam integer CW = $clog2(CLKS_PER_BIT);
  localparam integer BIT_I = CLKS_PER_BIT - 1;
  localparam integer STOP_I = STOP_CYCLES - 1;
  localparam [CW-1:0] BIT = BIT_I[CW-1:0];
  localparam [CW-1:0] STOP = STOP_I[CW-1:0];
  reg [8:0]    shift;   // data bits, then the stop bit
  reg [3:0]    left;    // bits still to put on the line after the current one
  reg [CW-1:0] count;   // cycles left of the current bit
  assign ready = left == 4'd0 && count == 0;
  always @(posedge clk) begin
    if (rst) begin
      tx    <= 1'b1;
      left  <= 4'd0;
      count <= 0;
    end else if (count != 0) begin
      count <= count - 1'b1;
    end else if (left != 4'd0) begin
      tx    <= shift[0];
      shift <= {1'b1, shift[8:1]};
      left  <= left - 4'd1;
      count <= left == 4'd1 ? STOP : BIT;
    end else if (start) begin
      tx    <= 1'b0;               // start bit
      shift <= {1'b1, data};
      left  <= 4'd9;
      count <= BIT;
    end
  end
endmodule
`default_nettype wire
