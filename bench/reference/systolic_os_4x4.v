// Hand-written reference for bench/qor.ts: 4x4 output-stationary int8 systolic array with
// int32 wrapping accumulators, same ports, protocol and latency as npugen's systolic_array
// (see ref_os_array.v); this file only names the ports.
`default_nettype none
module systolic_os_4x4 (
  input  wire [7:0]  a_0,
  input  wire [7:0]  a_1,
  input  wire [7:0]  a_2,
  input  wire [7:0]  a_3,
  input  wire [7:0]  b_0,
  input  wire [7:0]  b_1,
  input  wire [7:0]  b_2,
  input  wire [7:0]  b_3,
  input  wire        in_valid,
  input  wire        last,
  input  wire        clk,
  input  wire        rst,
  output wire [31:0] c_0,
  output wire [31:0] c_1,
  output wire [31:0] c_2,
  output wire [31:0] c_3,
  output wire        out_valid
);
  ref_os_array #(.R(4), .C(4)) core (
    .clk(clk), .rst(rst), .in_valid(in_valid), .last(last),
    .a({a_3, a_2, a_1, a_0}), .b({b_3, b_2, b_1, b_0}),
    .c({c_3, c_2, c_1, c_0}), .out_valid(out_valid)
  );
endmodule
`default_nettype wire
