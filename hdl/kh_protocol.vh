// Generated from src/core/protocol.ts by host/tools/gen-protocol-vh.ts: do not edit.
// docs/core-protocol.md specifies these numbers; `include this file inside a module.

// Identity
localparam [31:0] KH_MAGIC = 32'h4b484153;
localparam [31:0] KH_VERSION = 32'h00020000;

// Frame commands and sizes (bytes, words)
localparam [7:0] KH_CMD_READ = 8'h52;
localparam [7:0] KH_CMD_WRITE = 8'h57;
localparam integer KH_HEADER_BYTES = 4;
localparam integer KH_DATA_CRC_BYTES = 2;
localparam integer KH_MAX_FRAME_WORDS = 16;
localparam integer KH_WORK_WORDS = 15;
localparam integer KH_RESULT_WORDS = 2;

// Register addresses
localparam [5:0] KH_A_MAGIC = 6'h00;
localparam [5:0] KH_A_VERSION = 6'h01;
localparam [5:0] KH_A_CAPS = 6'h02;
localparam [5:0] KH_A_CLOCK_HZ = 6'h03;
localparam [5:0] KH_A_CONTROL = 6'h04;
localparam [5:0] KH_A_STATUS = 6'h05;
localparam [5:0] KH_A_NONCES_LO = 6'h06;
localparam [5:0] KH_A_NONCES_HI = 6'h07;
localparam [5:0] KH_A_CYCLES_LO = 6'h08;
localparam [5:0] KH_A_CYCLES_HI = 6'h09;
localparam [5:0] KH_A_WORK_ID = 6'h0a;
localparam [5:0] KH_A_WORK = 6'h10;
localparam [5:0] KH_A_RESULT = 6'h20;
localparam [5:0] KH_A_RESULT_PEEK = 6'h21;
localparam [5:0] KH_A_RESULT_ACK = 6'h22;

// CONTROL bits
localparam integer KH_CTRL_RESET = 0;
localparam integer KH_CTRL_CLEAR_ERRORS = 1;
localparam integer KH_CTRL_ABORT = 2;

// STATUS fields (lowest bit of each)
localparam integer KH_ST_BUSY = 0;
localparam integer KH_ST_QUEUE_FULL = 1;
localparam integer KH_ST_QUEUED = 2;
localparam integer KH_ST_RESULT_READY = 4;
localparam integer KH_ST_RESULTS = 8;
localparam integer KH_ST_ERRORS = 16;
localparam integer KH_ST_ACCEPTED = 24;

// Error flags (bit in STATUS's error byte)
localparam integer KH_E_CRC = 0;
localparam integer KH_E_CMD = 1;
localparam integer KH_E_ADDR = 2;
localparam integer KH_E_FRAME = 3;
localparam integer KH_E_QUEUE = 4;
localparam integer KH_E_FIFO = 5;

// CAPS fields (lowest bit of each)
localparam integer KH_CAPS_ENGINES = 0;
localparam integer KH_CAPS_QUEUE_DEPTH = 8;
localparam integer KH_CAPS_FIFO_DEPTH = 12;
localparam integer KH_CAPS_CYCLES_PER_NONCE = 20;

// RESULT word 0 fields (lowest bit of each)
localparam integer KH_R_VALID = 31;
localparam integer KH_R_SEQ = 16;
localparam integer KH_R_ID = 0;

// WORK write: first word of each field
localparam integer KH_W_MIDSTATE = 0;
localparam integer KH_W_TAIL = 8;
localparam integer KH_W_FIRST = 11;
localparam integer KH_W_LAST = 12;
localparam integer KH_W_ID = 13;
localparam integer KH_W_THRESHOLD = 14;

// UART link framing bytes
localparam [7:0] KH_UART_END = 8'hc0;
localparam [7:0] KH_UART_ESC = 8'hdb;
localparam [7:0] KH_UART_ESC_END = 8'hdc;
localparam [7:0] KH_UART_ESC_ESC = 8'hdd;

// Depths
localparam integer KH_QUEUE_DEPTH = 2;
localparam integer KH_FIFO_DEPTH = 16;
localparam integer KH_FIFO_DEPTH_LOG2 = 4;
