// The UART link (docs/core-protocol.md §9): the core's frames, SLIP-framed on a serial line.
//   in:  END closes a frame; ESC ESC_END and ESC ESC_ESC stand for END and ESC inside one; an
//        END with no frame open is ignored, so a host that sends END first discards noise.
//   out: for each byte of a frame, the byte SPI would have shifted out during it (the first is
//        0x00, then what the core answered to the byte before), escaped the same way; END
//        when the frame closes. So a frame of n bytes is answered by n bytes and an END.
// A bad escape or a byte with a low stop bit damages the frame: it ends as a frame cut short
// (ERR_FRAME, nothing done), as an SPI frame that ends inside a byte does.
// Answers queue in a FIFO (block RAM) because escaping can make them longer than the frame:
// 128 entries hold the longest well-formed frame's answer (70 bytes and END) with room.
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
    output reg  [7:0] rx_byte,
    input  wire [7:0] tx_byte
);
  /* verilator lint_off UNUSEDPARAM */
  `include "kh_protocol.vh"
  /* verilator lint_on UNUSEDPARAM */

  wire       u_valid, u_error;
  wire [7:0] u_data;
  kh_uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) receiver (.clk(clk), .rst(rst), .rx(uart_rx),
      .valid(u_valid), .data(u_data), .frame_error(u_error));

  // ── in: line bytes → a frame's bytes ────────────────────────────────────────────────────
  reg       in_frame, escaped, damaged;
  // The byte in `held` goes to the core 3 cycles after it arrived: the parser registers its
  // decisions on the byte position, which frame_start resets, so a frame's first byte must
  // come a few cycles after its start (over SPI, a byte's 8 SCK periods see to that).
  reg [2:0] deliver;
  reg [7:0] held;
  reg [7:0] answer;           // what to send for the frame's next byte
  reg [1:0] capture;          // counts down to taking the core's answer (as kh_spi_slave does)
  reg       push_end;

  wire       is_end   = u_data == KH_UART_END;
  wire       is_esc   = u_data == KH_UART_ESC;
  wire [7:0] unescape = u_data == KH_UART_ESC_END ? KH_UART_END : KH_UART_ESC;
  wire       good_esc = u_data == KH_UART_ESC_END || u_data == KH_UART_ESC_ESC;
  wire       bad_byte = u_error || (escaped && !good_esc);

  always @(posedge clk) begin
    frame_start   <= 1'b0;
    frame_end     <= 1'b0;
    frame_partial <= 1'b0;
    rx_valid      <= 1'b0;
    deliver       <= {deliver[1:0], 1'b0};
    push_end      <= 1'b0;
    if (rst) begin
      in_frame <= 1'b0;
      escaped  <= 1'b0;
      damaged  <= 1'b0;
      capture  <= 2'd0;
      deliver  <= 3'd0;
    end else begin
      if (deliver[2]) begin
        rx_valid <= 1'b1;
        rx_byte  <= held;
        capture  <= 2'd3;
      end
      if (capture != 2'd0) begin
        capture <= capture - 2'd1;
        if (capture == 2'd1) answer <= tx_byte;
      end
      if (u_valid) begin
        if (!u_error && is_end) begin
          if (in_frame) begin
            frame_end     <= 1'b1;
            frame_partial <= damaged || escaped;
            push_end      <= 1'b1;
          end
          in_frame <= 1'b0;
          escaped  <= 1'b0;
        end else begin
          if (!in_frame) begin
            frame_start <= 1'b1;
            in_frame    <= 1'b1;
            answer      <= 8'h00;
          end
          damaged <= (in_frame && damaged) || bad_byte;
          escaped <= !u_error && !escaped && is_esc;
          held    <= escaped ? unescape : u_data;
          deliver[0] <= !bad_byte && (escaped || !is_esc);
        end
      end
    end
  end

  // ── out: answers → FIFO → escaped line bytes ────────────────────────────────────────────
  // An entry is {END marker, byte}. A frame's byte is answered as it is delivered; END once
  // the frame closed (a cycle later than its last byte's answer was queued).
  wire       fifo_empty;
  wire [8:0] head;
  wire       tx_ready;
  reg        second;          // the escaped half of an END or ESC still to send
  reg  [7:0] second_byte;
  wire       head_end = head[8];
  wire       head_special = !head_end && (head[7:0] == KH_UART_END || head[7:0] == KH_UART_ESC);
  wire       send = tx_ready && (second || !fifo_empty);
  wire [7:0] out_byte = second ? second_byte : head_end ? KH_UART_END : head_special ? KH_UART_ESC : head[7:0];
  /* verilator lint_off PINCONNECTEMPTY */
  kh_result_fifo #(.WIDTH(9), .DEPTH_LOG2(7)) answers (
      .clk(clk), .rst(rst), .push(deliver[2] || push_end), .din(push_end ? {1'b1, 8'h00} : {1'b0, answer}),
      .pop(send && !second), .dout(head), .empty(fifo_empty), .full(), .count());
  /* verilator lint_on PINCONNECTEMPTY */
  always @(posedge clk) begin
    if (rst) second <= 1'b0;
    else if (send) begin
      second      <= !second && head_special;
      second_byte <= head[7:0] == KH_UART_END ? KH_UART_ESC_END : KH_UART_ESC_ESC;
    end
  end
  kh_uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) transmitter (.clk(clk), .rst(rst), .start(send), .data(out_byte),
      .ready(tx_ready), .tx(uart_tx));
endmodule
`default_nettype wire
