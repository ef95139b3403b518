// The UART link (docs/core-protocol.md §9): the core's frames on a serial line.
//   in:  SLIP framing. END closes a frame; ESC ESC_END and ESC ESC_ESC stand for END and ESC
//        inside one; an END with no frame open is ignored, so a host that sends END first
//        discards whatever noise came before.
//   out: one plain byte for each byte of a frame: the core's answer to it, which SPI would
//        shift out during the next byte — and nothing else. The host knows a frame's length,
//        so n bytes out bring n bytes back; it puts the 0x00 SPI sends first in front of them
//        and drops the last (the answer to a byte that never comes).
// A bad escape or a byte with a low stop bit damages the frame: it ends as a frame cut short
// (ERR_FRAME, nothing done), as an SPI frame that ends inside a byte does.
// No queue: each answer goes out as soon as the core gives it, and the transmitter's stop
// bit is a quarter bit short, so it is ready again before the next answer even when the host
// sends 2 % fast.
// Written for size: the UP5K holds three lanes and this with a few cells to spare.
`default_nettype none
module kh_uart_link #(
    parameter integer CLKS_PER_BIT = 8
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       uart_rx,
    output wire       uart_tx,
    // to the core
    output reg        frame_start,
    output reg        frame_end,
    output reg        frame_partial,
    output reg        rx_valid,
    output wire [7:0] rx_byte,      // valid with rx_valid (the receiver holds it for a bit time)
    input  wire [7:0] tx_byte
);
  /* verilator lint_off UNUSEDPARAM */
  `include "kh_protocol.vh"
  /* verilator lint_on UNUSEDPARAM */

  wire       u_valid, u_error;
  wire [7:0] u_data;
  kh_uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) receiver (.clk(clk), .rst(rst), .rx(uart_rx),
      .valid(u_valid), .data(u_data), .frame_error(u_error));

  reg       in_frame, escaped, damaged, unescape;
  // A byte goes to the core 3 cycles after it arrived: the parser registers its decisions on
  // the byte position, which frame_start resets, so a frame's first byte must come a few
  // cycles after its start (over SPI, a byte's 8 SCK periods see to that).
  reg [2:0] deliver;
  reg [1:0] capture;          // counts down to sending the core's answer (when kh_spi_slave takes it)

  wire is_end   = u_data == KH_UART_END;
  wire is_esc   = u_data == KH_UART_ESC;
  wire good_esc = u_data == KH_UART_ESC_END || u_data == KH_UART_ESC_ESC;
  wire bad_byte = u_error || (escaped && !good_esc);
  assign rx_byte = !unescape ? u_data : u_data == KH_UART_ESC_END ? KH_UART_END : KH_UART_ESC;

  always @(posedge clk) begin
    frame_start   <= 1'b0;
    frame_end     <= 1'b0;
    frame_partial <= 1'b0;
    rx_valid      <= deliver[2];
    deliver       <= {deliver[1:0], 1'b0};
    if (deliver[2]) capture <= 2'd3;
    else if (capture != 2'd0) capture <= capture - 2'd1;
    if (rst) begin
      in_frame <= 1'b0;
      escaped  <= 1'b0;
      deliver  <= 3'd0;
      rx_valid <= 1'b0;
    end else if (u_valid) begin
      if (!u_error && is_end) begin
        frame_end     <= in_frame;
        frame_partial <= damaged || escaped;
        in_frame      <= 1'b0;
        escaped       <= 1'b0;
      end else begin
        if (!in_frame) begin
          frame_start <= 1'b1;
          in_frame    <= 1'b1;
        end
        damaged    <= (in_frame && damaged) || bad_byte;
        escaped    <= !u_error && !escaped && is_esc;
        unescape   <= escaped;
        deliver[0] <= !bad_byte && (escaped || !is_esc);
      end
    end
  end

  // (A transmitter still busy would mean a host over 2 % fast: the answer is dropped, and the
  // short reply is retried.)
  /* verilator lint_off PINCONNECTEMPTY */
  kh_uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT), .STOP_CYCLES(CLKS_PER_BIT - CLKS_PER_BIT / 4)) transmitter (
      .clk(clk), .rst(rst), .start(capture == 2'd1), .data(tx_byte), .ready(), .tx(uart_tx));
  /* verilator lint_on PINCONNECTEMPTY */
endmodule
`default_nettype wire
