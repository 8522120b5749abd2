// Hand-written reference for bench/qor.ts: 16-lane int8 dot product, exact int20 sum,
// registered output (latency 1), no reset: same ports and semantics as npugen's `dot` with
// pipeline_stages 1. The straightforward way: 16 signed 8x8 products, one sum expression.
`default_nettype none
module dot_i8x16_p1 (
  input  wire [7:0]  a0,
  input  wire [7:0]  a1,
  input  wire [7:0]  a2,
  input  wire [7:0]  a3,
  input  wire [7:0]  a4,
  input  wire [7:0]  a5,
  input  wire [7:0]  a6,
  input  wire [7:0]  a7,
  input  wire [7:0]  a8,
  input  wire [7:0]  a9,
  input  wire [7:0]  a10,
  input  wire [7:0]  a11,
  input  wire [7:0]  a12,
  input  wire [7:0]  a13,
  input  wire [7:0]  a14,
  input  wire [7:0]  a15,
  input  wire [7:0]  b0,
  input  wire [7:0]  b1,
  input  wire [7:0]  b2,
  input  wire [7:0]  b3,
  input  wire [7:0]  b4,
  input  wire [7:0]  b5,
  input  wire [7:0]  b6,
  input  wire [7:0]  b7,
  input  wire [7:0]  b8,
  input  wire [7:0]  b9,
  input  wire [7:0]  b10,
  input  wire [7:0]  b11,
  input  wire [7:0]  b12,
  input  wire [7:0]  b13,
  input  wire [7:0]  b14,
  input  wire [7:0]  b15,
  input  wire        clk,
  output reg  [19:0] y
);
  wire signed [15:0] p0 = $signed(a0) * $signed(b0);
  wire signed [15:0] p1 = $signed(a1) * $signed(b1);
  wire signed [15:0] p2 = $signed(a2) * $signed(b2);
  wire signed [15:0] p3 = $signed(a3) * $signed(b3);
  wire signed [15:0] p4 = $signed(a4) * $signed(b4);
  wire signed [15:0] p5 = $signed(a5) * $signed(b5);
  wire signed [15:0] p6 = $signed(a6) * $signed(b6);
  wire signed [15:0] p7 = $signed(a7) * $signed(b7);
  wire signed [15:0] p8 = $signed(a8) * $signed(b8);
  wire signed [15:0] p9 = $signed(a9) * $signed(b9);
  wire signed [15:0] p10 = $signed(a10) * $signed(b10);
  wire signed [15:0] p11 = $signed(a11) * $signed(b11);
  wire signed [15:0] p12 = $signed(a12) * $signed(b12);
  wire signed [15:0] p13 = $signed(a13) * $signed(b13);
  wire signed [15:0] p14 = $signed(a14) * $signed(b14);
  wire signed [15:0] p15 = $signed(a15) * $signed(b15);
  // Operands are signed, so each 16-bit product is sign-extended to the 20-bit sum.
  wire signed [19:0] sum = p0 + p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9 + p10 + p11 + p12 + p13 + p14 + p15;
  always @(posedge clk) y <= sum;
endmodule
`default_nettype wire
