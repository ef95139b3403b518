// Verilator harness for the co-simulation bridge (host/rtl/cosim/bridge.ts): drives kh_top's pins
// cycle by cycle and speaks the bridge's line protocol on stdin/stdout (docs/core-driver.md):
//   T <hex bytes>   one SPI frame (mode 0, SCK = clk / (2 * half))  → R <hex bytes> <cycles> <ready>
//   C <n>           run n clock cycles                              → C <cycles> <ready>
//   W <n>           run up to n clock cycles, stopping once READY is high → C <cycles> <ready>
//   Q               quit
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include "Vkh_top.h"
#include "verilated.h"

static Vkh_top *top;
static uint64_t cycles = 0;

static inline void tick() {
  top->clk = 0;
  top->eval();
  top->clk = 1;
  top->eval();
  cycles++;
}

static void run(uint64_t n) {
  for (uint64_t i = 0; i < n; i++) tick();
}

// Runs up to n cycles and stops at the first one after which READY is high.
static void run_until_ready(uint64_t n) {
  for (uint64_t i = 0; i < n && !top->ready; i++) tick();
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  int half = 4;  // clk cycles per SCK half period: SCK = clk/8, the fastest the spec allows
  for (int i = 1; i < argc; i++) if (!strncmp(argv[i], "+half=", 6)) half = atoi(argv[i] + 6);
  if (half < 1) half = 1;
  top = new Vkh_top;
  top->spi_cs_n = 1;
  top->spi_sck = 0;
  top->spi_mosi = 0;
  run(32);  // past the power-on reset
  static char line[1 << 16];
  static uint8_t frame[1 << 15];
  setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
  while (fgets(line, sizeof line, stdin)) {
    if (line[0] == 'Q') break;
    if (line[0] == 'C') {
      run(strtoull(line + 1, nullptr, 10));
      printf("C %llu %d\n", (unsigned long long)cycles, top->ready ? 1 : 0);
    } else if (line[0] == 'W') {
      run_until_ready(strtoull(line + 1, nullptr, 10));
      printf("C %llu %d\n", (unsigned long long)cycles, top->ready ? 1 : 0);
    } else if (line[0] == 'T') {
      size_t n = 0;
      const char *p = line + 1;
      while (*p == ' ') p++;
      while (hexval(p[0]) >= 0 && hexval(p[1]) >= 0 && n < sizeof frame) {
        frame[n++] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
        p += 2;
      }
      top->spi_cs_n = 0;
      run(2 * half);
      for (size_t i = 0; i < n; i++) {
        uint8_t out = frame[i], in = 0;
        for (int b = 7; b >= 0; b--) {
          top->spi_mosi = (out >> b) & 1;
          run(half);
          top->spi_sck = 1;
          top->eval();
          in = (uint8_t)(in << 1 | (top->spi_miso & 1));
          run(half);
          top->spi_sck = 0;
        }
        frame[i] = in;
      }
      run(half);
      top->spi_cs_n = 1;
      run(2 * half);
      fputs("R ", stdout);
      for (size_t i = 0; i < n; i++) printf("%02x", frame[i]);
      printf(" %llu %d\n", (unsigned long long)cycles, top->ready ? 1 : 0);
    } else {
      printf("E unknown command\n");
    }
    fflush(stdout);
  }
  top->final();
  delete top;
  return 0;
}
