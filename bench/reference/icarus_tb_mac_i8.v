// Hand-written streaming Icarus testbench for bench/verify-throughput.ts: int8 MAC (latency 1), $readmemh
// of npugen's hex vector files, transaction-level check. Compile with -DN=<vectors>.
module hand_tb;
  reg clk = 1'b0;
  always #5 clk = ~clk;
  reg rst = 1'b1;
  reg [7:0] a = 8'd0, b = 8'd0;
  reg en = 1'b0, clear = 1'b0;
  wire [31:0] acc_out;
  mac_i8 dut (.a(a), .b(b), .en(en), .clear(clear), .clk(clk), .rst(rst), .acc_out(acc_out));
  reg [17:0] stim [0:`N-1];
  reg [31:0] expv [0:`N-1];
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
    rst <= 1'b0;
    if (cyc >= 3 && cyc - 3 < n) begin
      checked = checked + 1;
      if (acc_out !== expv[cyc - 3]) bad = bad + 1;
    end
    if (cyc >= 1 && cyc - 1 < n) {clear, en, b, a} <= stim[cyc - 1];
    if (cyc == n + 2) begin
      $display("bad=%0d checked=%0d", bad, checked);
      $finish;
    end
    cyc = cyc + 1;
  end
endmodule
