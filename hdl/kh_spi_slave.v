// SPI mode-0 slave, oversampled: SCK, MOSI and CS_N pass through synchronisers into the core
// clock domain, so no register is clocked by SCK and a glitch can only spoil its own frame.
// SCK must be at most clk/8. MISO changes a few cycles after each rising SCK edge (after the
// host has sampled it), which leaves most of an SCK period of setup for the next edge.
`default_nettype none
module kh_spi_slave (
    input  wire       clk,
    input  wire       rst,
    input  wire       sck,
    input  wire       mosi,
    input  wire       cs_n,
    output wire       miso,
    output reg        frame_start,   // pulse: CS_N fell
    output reg        frame_end,     // pulse: CS_N rose
    output reg        frame_partial, // with frame_end: it rose in the middle of a byte
    output reg        rx_valid,      // pulse: rx_byte holds a complete byte
    output reg  [7:0] rx_byte,
    input  wire [7:0] tx_byte        // the byte to send next; sampled 2 cycles after rx_valid
);
  reg [2:0] sck_sync, cs_sync;
  reg [1:0] mosi_sync;
  always @(posedge clk) begin
    sck_sync  <= {sck_sync[1:0], sck};
    cs_sync   <= {cs_sync[1:0], cs_n};
    mosi_sync <= {mosi_sync[0], mosi};
  end
  wire sck_rise = sck_sync[2:1] == 2'b01;
  wire cs_fall  = cs_sync[2:1] == 2'b10;
  wire cs_rise  = cs_sync[2:1] == 2'b01;
  wire active   = !cs_sync[1];

  reg [2:0] bit_count;
  reg [6:0] rx_shift;
  reg [7:0] tx_shift;
  reg [1:0] load_delay;   // counts down to loading the next tx byte
  assign miso = tx_shift[7];

  always @(posedge clk) begin
    frame_start   <= 1'b0;
    frame_end     <= 1'b0;
    frame_partial <= 1'b0;
    rx_valid      <= 1'b0;
    if (rst) begin
      bit_count    <= 3'd0;
      tx_shift   <= 8'd0;
      load_delay <= 2'd0;
    end else if (cs_fall) begin
      frame_start <= 1'b1;
      bit_count     <= 3'd0;
      tx_shift    <= 8'd0;   // the first byte out is always 0x00
      load_delay  <= 2'd0;
    end else if (cs_rise) begin
      frame_end     <= 1'b1;
      frame_partial <= bit_count != 3'd0;
      bit_count       <= 3'd0;
    end else if (active) begin
      if (sck_rise) begin
        rx_shift <= {rx_shift[5:0], mosi_sync[1]};
        bit_count  <= bit_count + 3'd1;
        if (bit_count == 3'd7) begin
          rx_valid   <= 1'b1;
          rx_byte    <= {rx_shift, mosi_sync[1]};
          load_delay <= 2'd3;
        end else begin
          tx_shift <= {tx_shift[6:0], 1'b0};
        end
      end
      if (load_delay != 2'd0) begin
        load_delay <= load_delay - 2'd1;
        if (load_delay == 2'd1) tx_shift <= tx_byte;
      end
    end
  end
endmodule
`default_nettype wire
