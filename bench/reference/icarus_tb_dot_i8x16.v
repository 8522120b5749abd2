// Hand-written streaming Icarus testbench for bench/verify-throughput.ts: 16-lane int8 dot product
// (latency 2), $readmemh of npugen's hex vector files, transaction-level check. Compile with -DN=<vectors>.
module hand_tb;
  reg clk = 1'b0;
  always #5 clk = ~clk;
  reg [7:0] a0 = 8'd0, a1 = 8'd0, a2 = 8'd0, a3 = 8'd0, a4 = 8'd0, a5 = 8'd0, a6 = 8'd0, a7 = 8'd0, a8 = 8'd0, a9 = 8'd0, a10 = 8'd0, a11 = 8'd0, a12 = 8'd0, a13 = 8'd0, a14 = 8'd0, a15 = 8'd0, b0 = 8'd0, b1 = 8'd0, b2 = 8'd0, b3 = 8'd0, b4 = 8'd0, b5 = 8'd0, b6 = 8'd0, b7 = 8'd0, b8 = 8'd0, b9 = 8'd0, b10 = 8'd0, b11 = 8'd0, b12 = 8'd0, b13 = 8'd0, b14 = 8'd0, b15 = 8'd0;
  wire [19:0] y;
  dot_i8x16 dut (.a0(a0), .a1(a1), .a2(a2), .a3(a3), .a4(a4), .a5(a5), .a6(a6), .a7(a7), .a8(a8), .a9(a9), .a10(a10), .a11(a11), .a12(a12), .a13(a13), .a14(a14), .a15(a15), .b0(b0), .b1(b1), .b2(b2), .b3(b3), .b4(b4), .b5(b5), .b6(b6), .b7(b7), .b8(b8), .b9(b9), .b10(b10), .b11(b11), .b12(b12), .b13(b13), .b14(b14), .b15(b15), .clk(clk), .y(y));
  reg [255:0] stim [0:`N-1];
  reg [19:0] expv [0:`N-1];
  reg [1023:0] sp, ep;
  integer n = 0, cyc = 0, bad = 0, checked = 0;
  initial begin
    if (!$value$plusargs("vectors=%d", n)) n = 0;
    if (!$value$plusargs("stim=%s", sp)) n = 0;
    if (!$value$plusargs("exp=%s", ep)) n = 0;
    $readmemh(sp, stim);
    $readmemh(ep, expv);
  end
  always @(posedge clk) begin
    if (cyc >= 4 && cyc - 4 < n) begin
      checked = checked + 1;
      if (y !== expv[cyc - 4]) bad = bad + 1;
    end
    if (cyc >= 1 && cyc - 1 < n) {b15, b14, b13, b12, b11, b10, b9, b8, b7, b6, b5, b4, b3, b2, b1, b0, a15, a14, a13, a12, a11, a10, a9, a8, a7, a6, a5, a4, a3, a2, a1, a0} <= stim[cyc - 1];
    if (cyc == n + 3) begin
      $display("bad=%0d checked=%0d", bad, checked);
      $finish;
    end
    cyc = cyc + 1;
  end
endmodule
