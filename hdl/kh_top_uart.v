// Generic UART top: the core on a clock pin and a serial line, with a power-on reset. The
// virtual board (`kilohash serial virtual-board --core verilator`) simulates it; board tops
// (boards/icebreaker) add a PLL, pins and LEDs.
`default_nettype none
module kh_top_uart #(
    parameter integer ENGINES  = 1,
    parameter integer CLOCK_HZ = 24_000_000,
    parameter integer BAUD     = 3_000_000
) (
    input  wire clk,
    input  wire uart_rx,
    output wire uart_tx,
    output wire ready,
    output wire hashing
);
  reg [4:0] por = 5'd0;
  always @(posedge clk) if (!por[4]) por <= por + 5'd1;
  kh_core_uart #(.ENGINES(ENGINES), .CLOCK_HZ(CLOCK_HZ), .BAUD(BAUD)) core (
      .clk(clk), .rst(!por[4]), .uart_rx(uart_rx), .uart_tx(uart_tx), .ready(ready), .hashing(hashing));
endmodule
`default_nettype wire
