// CRC-8/SMBUS (polynomial 0x07, init 0x00, MSB first): one byte into the running CRC.
function [7:0] crc8_byte(input [7:0] crc, input [7:0] data);
  integer i;
  reg [7:0] c;
  begin
    c = crc ^ data;
    for (i = 0; i < 8; i = i + 1) c = c[7] ? ({c[6:0], 1'b0} ^ 8'h07) : {c[6:0], 1'b0};
    crc8_byte = c;
  end
endfunction

// CRC-16/CCITT-FALSE (polynomial 0x1021, init 0xffff, MSB first): the data CRC from protocol
// 2.0. One byte into the running CRC.
function [15:0] crc16_byte(input [15:0] crc, input [7:0] data);
  integer i;
  reg [15:0] c;
  begin
    c = crc ^ {data, 8'h00};
    for (i = 0; i < 8; i = i + 1) c = c[15] ? ({c[14:0], 1'b0} ^ 16'h1021) : {c[14:0], 1'b0};
    crc16_byte = c;
  end
endfunction
