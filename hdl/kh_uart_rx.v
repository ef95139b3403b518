// UART receiver, 8N1, least significant bit first. The line passes through a synchroniser and
// each bit is sampled once, in its middle, counted from the start bit's falling edge; a start
// bit that is gone at its middle was a glitch and is ignored. A low stop bit is reported
// (`frame_error`) with the byte, which the link then distrusts.
`default_nettype none
module kh_uart_rx #(
    parameter integer CLKS_PER_BIT = 8   // at least 8 (docs/core-protocol.md §9)
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       rx,
    output reg        valid,        // pulse: data and frame_error hold a byte
    output wire [7:0] data,         // stays until the next byte's first data bit (1.5 bits on)
    output reg        frame_error
);
  localparam integer CW = $clog2(CLKS_PER_BIT);
  // The synchroniser puts the start edge 2 cycles late: aim this much short of half a bit so
  // the samples land mid-bit.
  localparam integer  TO_MIDDLE_I = CLKS_PER_BIT / 2 - 2;
  localparam [CW-1:0] TO_MIDDLE = TO_MIDDLE_I[CW-1:0];
  localparam integer  BIT_I = CLKS_PER_BIT - 1;
  localparam [CW-1:0] BIT = BIT_I[CW-1:0];

  // A start bit is a falling edge, not a low level: after a byte with a low stop bit (or a
  // break) the receiver waits for the line to rise before it looks for the next byte.
  reg [2:0] sync = 3'b111;
  always @(posedge clk) sync <= {sync[1:0], rx};
  wire line = sync[1];
  wire fell = sync[2] && !sync[1];

  reg          busy;
  reg [3:0]    bit_idx;   // 0 start, 1-8 data, 9 stop
  reg [CW-1:0] count;
  reg [7:0]    shift;
  assign data = shift;
  always @(posedge clk) begin
    valid <= 1'b0;
    if (rst) begin
      busy <= 1'b0;
    end else if (!busy) begin
      if (fell) begin
        busy    <= 1'b1;
        bit_idx <= 4'd0;
        count   <= TO_MIDDLE;
      end
    end else if (count != 0) begin
      count <= count - 1'b1;
    end else begin
      count   <= BIT;
      bit_idx <= bit_idx + 4'd1;
      if (bit_idx == 4'd0) begin
        if (line) busy <= 1'b0;             // not a start bit after all
      end else if (bit_idx != 4'd9) begin
        shift <= {line, shift[7:1]};
      end else begin
        valid       <= 1'b1;
        frame_error <= !line;
        busy        <= 1'b0;                // mid stop bit: ready for the next start edge
      end
    end
  end
endmodule
`default_nettype wire
