// Hand-written reference for bench/qor.ts: int8 x int8 -> int32 wrapping multiply-accumulate,
// same ports, latency (1) and semantics as npugen's `mac` (a, b int8; en; clear; sync reset).
//   acc <= (clear ? 0 : acc) + a*b when en, else (clear ? 0 : acc)
`default_nettype none
module mac_i8 (
  input  wire [7:0]  a,
  input  wire [7:0]  b,
  input  wire        en,
  input  wire        clear,
  input  wire        clk,
  input  wire        rst,
  output reg  [31:0] acc_out
);
  wire signed [15:0] prod = $signed(a) * $signed(b);
  wire [31:0] base = clear ? 32'd0 : acc_out;
  always @(posedge clk) begin
    if (rst) acc_out <= 32'd0;
    else if (en) acc_out <= base + {{16{prod[15]}}, prod};
    else acc_out <= base;
  end
endmodule
`default_nettype wire
