// Result arbiter: the lanes that met the threshold in one pass, into the result FIFO one per
// cycle (lowest lane first), each as {work id, nonce}; and the FIFO's head with its sequence
// number (results popped since reset, modulo 256). An acknowledgement names that number, so
// one that is repeated (its first copy arrived, the driver never learnt so) finds a different
// number at the head and pops nothing. A pass reports its lanes at once, one pass per 134
// cycles, so they leave long before the next pass can report; the engine holds found_base
// until then. With one lane a result is pushed in the cycle it is reported.
`default_nettype none
module kh_result_arbiter #(
    parameter integer LANES      = 1,
    parameter integer DEPTH_LOG2 = 4
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             found,        // pulse: found_lanes of the pass at found_base
    input  wire [LANES-1:0] found_lanes,
    input  wire [31:0]      found_base,
    input  wire [15:0]      work_id,
    input  wire             pop,
    output wire             valid,        // the FIFO holds a result: the head below
    output reg  [7:0]       seq,
    output wire [15:0]      id,
    output wire [31:0]      nonce,
    output wire [DEPTH_LOG2:0] count,
    output wire             overflow      // a result arrived with the FIFO full (it is lost)
);
  reg [LANES-1:0] pending;
  reg [LANES-1:0] grant;
  reg [31:0]      grant_lane;
  integer j;
  always @* begin
    grant      = {LANES{1'b0}};
    grant_lane = 32'd0;
    for (j = LANES - 1; j >= 0; j = j - 1) if (pending[j]) begin
      grant      = {{LANES-1{1'b0}}, 1'b1} << j;
      grant_lane = j;
    end
  end

  wire        empty, full;
  wire [47:0] head;
  // One lane (and the pipelined engine, which may report a nonce every clock): each result
  // goes in as it is reported. Several: the pass's lanes one per cycle after it.
  wire        push = (LANES == 1) ? !rst && found : !rst && !found && pending != {LANES{1'b0}};
  wire [31:0] nonce_in = (LANES == 1) ? found_base : found_base + grant_lane;
  kh_result_fifo #(.WIDTH(48), .DEPTH_LOG2(DEPTH_LOG2)) fifo (
      .clk(clk), .rst(rst), .push(push), .din({work_id, nonce_in}), .pop(pop),
      .dout(head), .empty(empty), .full(full), .count(count));
  assign valid    = !empty;
  assign id       = head[47:32];
  assign nonce    = head[31:0];
  assign overflow = push && full;

  always @(posedge clk) begin
    if (rst)          pending <= {LANES{1'b0}};
    else if (found)   pending <= found_lanes;
    else if (push)    pending <= pending & ~grant;
  end

  always @(posedge clk) begin
    if (rst)      seq <= 8'd0;
    else if (pop) seq <= seq + 8'd1;   // pop is only raised with a result there
  end
endmodule
`default_nettype wire
