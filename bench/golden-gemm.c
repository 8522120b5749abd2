/*
 * C reference for bench/golden-gemm.ts: int8 x int8 -> int32 GEMM, C = A(m x k) B(k x n), row-major,
 * the usual i-k-j loop with restrict pointers. Prints "<n> <seconds> <checksum>" for each size given.
 * Compiled by the benchmark with gcc -O2 into a temporary directory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void gemm(const int8_t *restrict a, const int8_t *restrict b, int32_t *restrict c, int m, int k, int n) {
  memset(c, 0, sizeof(int32_t) * (size_t)m * (size_t)n);
  for (int i = 0; i < m; i++) {
    int32_t *restrict crow = c + (size_t)i * n;
    for (int t = 0; t < k; t++) {
      const int32_t av = a[(size_t)i * k + t];
      const int8_t *restrict brow = b + (size_t)t * n;
      for (int j = 0; j < n; j++) crow[j] += av * brow[j];
    }
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  for (int arg = 1; arg < argc; arg++) {
    int n = atoi(argv[arg]);
    size_t nn = (size_t)n * n;
    int8_t *a = malloc(nn), *b = malloc(nn);
    int32_t *c = malloc(nn * sizeof(int32_t));
    uint32_t s = 12345;
    for (size_t i = 0; i < nn; i++) { s = s * 1664525u + 1013904223u; a[i] = (int8_t)(s >> 24); }
    for (size_t i = 0; i < nn; i++) { s = s * 1664525u + 1013904223u; b[i] = (int8_t)(s >> 24); }
    /* Repeat until at least 0.5 s so small sizes are timed reliably. */
    int reps = 0;
    double t0 = now(), t1;
    do { gemm(a, b, c, n, n, n); reps++; t1 = now(); } while (t1 - t0 < 0.5);
    int64_t sum = 0;
    for (size_t i = 0; i < nn; i++) sum += c[i];
    printf("%d %.9f %lld\n", n, (t1 - t0) / reps, (long long)sum);
    free(a); free(b); free(c);
  }
  return 0;
}
