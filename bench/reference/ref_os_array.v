// Hand-written reference for bench/qor.ts: an R x C output-stationary int8 x int8 -> int32
// (wrapping) systolic array with the protocol of npugen's systolic_array:
// - beat t (in_valid=1): a_i = A[i][t] (packed in `a`), b_j = B[t][j]; last=1 on the final beat;
// - row s of C appears on c (packed) with out_valid=1 at (last beat) + R + C + s, s = 0..R-1.
// Row i of A and column j of B enter skewed by i and j cycles; PE(i,j) sees valid/last delayed
// by i+j; all PEs of column j copy their result into the drain chain at last + R + j; the
// drain shifts up one row per cycle (zeros enter at the bottom) and column j is deskewed by
// C-1-j cycles. Only the accumulators and the control are reset.
`default_nettype none
module ref_os_pe (
  input  wire        clk,
  input  wire        rst,
  input  wire        valid,
  input  wire        last,
  input  wire        load,
  input  wire [7:0]  a,
  input  wire [7:0]  b,
  input  wire [31:0] drain_in,
  output reg  [7:0]  a_out,
  output reg  [7:0]  b_out,
  output reg  [31:0] drain_out
);
  reg [31:0] acc;
  reg [31:0] result;
  wire signed [15:0] prod = $signed(a) * $signed(b);
  wire [31:0] sum = acc + {{16{prod[15]}}, prod};
  always @(posedge clk) begin
    if (rst) acc <= 32'd0;
    else if (valid) acc <= last ? 32'd0 : sum;
    if (last) result <= sum;
    drain_out <= load ? result : drain_in;
    a_out <= a;
    b_out <= b;
  end
endmodule

module ref_os_array #(
  parameter R = 4,
  parameter C = 4
) (
  input  wire            clk,
  input  wire            rst,
  input  wire            in_valid,
  input  wire            last,
  input  wire [8*R-1:0]  a,
  input  wire [8*C-1:0]  b,
  output wire [32*C-1:0] c,
  output wire            out_valid
);
  localparam D = R + C - 1;           // longest control delay (out_count load)
  localparam CW = $clog2(R + 1);
  localparam [CW-1:0] ROWS = R;
  wire go = in_valid & last;
  reg [D:1] last_d;
  reg [D:1] valid_d;
  always @(posedge clk) begin
    if (rst) begin
      last_d <= {D{1'b0}};
      valid_d <= {D{1'b0}};
    end else begin
      last_d <= {last_d[D-1:1], go};
      valid_d <= {valid_d[D-1:1], in_valid};
    end
  end
  wire [D:0] lastv = {last_d, go};
  wire [D:0] validv = {valid_d, in_valid};

  // Links: ah[i*(C+1)+j] enters PE(i,j) from the left; bv[i*C+j] from above; dr[i*C+j] leaves PE(i,j) upwards.
  wire [7:0]  ah [0:R*(C+1)-1];
  wire [7:0]  bv [0:(R+1)*C-1];
  wire [31:0] dr [0:(R+1)*C-1];

  genvar i, j;
  generate
    for (i = 0; i < R; i = i + 1) begin : askew
      if (i == 0) begin : none
        assign ah[0] = a[7:0];
      end else begin : sr
        reg [8*i-1:0] q;
        if (i == 1) begin : one
          always @(posedge clk) q <= a[15:8];
        end else begin : many
          always @(posedge clk) q <= {q[8*i-9:0], a[8*i +: 8]};
        end
        assign ah[i*(C+1)] = q[8*i-1 -: 8];
      end
    end
    for (j = 0; j < C; j = j + 1) begin : bskew
      if (j == 0) begin : none
        assign bv[0] = b[7:0];
      end else begin : sr
        reg [8*j-1:0] q;
        if (j == 1) begin : one
          always @(posedge clk) q <= b[15:8];
        end else begin : many
          always @(posedge clk) q <= {q[8*j-9:0], b[8*j +: 8]};
        end
        assign bv[j] = q[8*j-1 -: 8];
      end
      assign dr[R*C+j] = 32'd0;
    end
    for (i = 0; i < R; i = i + 1) begin : row
      for (j = 0; j < C; j = j + 1) begin : col
        ref_os_pe pe (
          .clk(clk), .rst(rst),
          .valid(validv[i+j]), .last(lastv[i+j]), .load(lastv[R+j]),
          .a(ah[i*(C+1)+j]), .b(bv[i*C+j]), .drain_in(dr[(i+1)*C+j]),
          .a_out(ah[i*(C+1)+j+1]), .b_out(bv[(i+1)*C+j]), .drain_out(dr[i*C+j])
        );
      end
    end
    for (j = 0; j < C; j = j + 1) begin : deskew
      if (j == C - 1) begin : none
        assign c[32*j +: 32] = dr[j];
      end else begin : sr
        localparam N = C - 1 - j;
        reg [32*N-1:0] q;
        if (N == 1) begin : one
          always @(posedge clk) q <= dr[j];
        end else begin : many
          always @(posedge clk) q <= {q[32*N-33:0], dr[j]};
        end
        assign c[32*j +: 32] = q[32*N-1 -: 32];
      end
    end
  endgenerate

  reg [CW-1:0] out_count;
  always @(posedge clk) begin
    if (rst) out_count <= {CW{1'b0}};
    else if (lastv[D]) out_count <= ROWS;
    else if (out_count != 0) out_count <= out_count - 1'b1;
  end
  assign out_valid = out_count != 0;
endmodule
`default_nettype wire
