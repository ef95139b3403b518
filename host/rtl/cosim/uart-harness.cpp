// Verilator harness for the UART core (kh_top_uart): a serial line on stdin/stdout. Bytes read
// from stdin go onto the core's RX pin as 8N1 at +cpb= clock cycles per bit; what the core
// sends on its TX pin is decoded the same way and written to stdout. The simulation runs free
// (the core hashes between bytes, as a board does) until stdin closes.
// `kilohash serial virtual-board` puts a pseudo-terminal in front of it (host/serial).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <deque>
#include <vector>
#include <poll.h>
#include <unistd.h>
#include <fcntl.h>
#include "Vkh_top_uart.h"
#include "verilated.h"

static Vkh_top_uart *top;
static int cpb = 8;

// The host's transmitter: one byte at a time onto uart_rx.
static std::deque<uint8_t> to_core;
static int tx_bit = -1;       // -1 idle, 0 start, 1-8 data, 9 stop
static int tx_count = 0;
static uint8_t tx_byte = 0;

// The host's receiver: uart_tx sampled mid-bit.
static std::vector<uint8_t> from_core;
static int rx_bit = -1;
static int rx_count = 0;
static uint8_t rx_shift = 0;

static void drive_line() {
  if (tx_bit < 0) {
    if (to_core.empty()) { top->uart_rx = 1; return; }
    tx_byte = to_core.front();
    to_core.pop_front();
    tx_bit = 0;
    tx_count = cpb;
  }
  top->uart_rx = tx_bit == 0 ? 0 : tx_bit == 9 ? 1 : (tx_byte >> (tx_bit - 1)) & 1;
  if (--tx_count == 0) {
    tx_count = cpb;
    if (++tx_bit == 10) tx_bit = -1;
  }
}

static void sample_line() {
  int level = top->uart_tx & 1;
  if (rx_bit < 0) {
    if (level == 0) { rx_bit = 0; rx_count = cpb / 2; }
    return;
  }
  if (--rx_count > 0) return;
  rx_count = cpb;
  if (rx_bit == 0 && level != 0) { rx_bit = -1; return; }
  if (rx_bit >= 1 && rx_bit <= 8) rx_shift = (uint8_t)((rx_shift >> 1) | (level << 7));
  if (rx_bit == 9) {
    if (level == 1) from_core.push_back(rx_shift);  // a low stop bit is a broken byte: dropped
    rx_bit = -1;
    return;
  }
  rx_bit++;
}

static void tick() {
  drive_line();
  top->clk = 0;
  top->eval();
  top->clk = 1;
  top->eval();
  sample_line();
}

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  for (int i = 1; i < argc; i++) if (!strncmp(argv[i], "+cpb=", 5)) cpb = atoi(argv[i] + 5);
  if (cpb < 4) cpb = 4;
  top = new Vkh_top_uart;
  top->uart_rx = 1;
  for (int i = 0; i < 32; i++) tick();  // past the power-on reset
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  uint8_t buf[4096];
  bool open = true;
  while (open) {
    bool idle = to_core.empty() && tx_bit < 0 && rx_bit < 0 && !top->hashing;
    struct pollfd p = {0, POLLIN, 0};
    // Nothing on the line and nothing to hash: wait for the host instead of spinning.
    if (poll(&p, 1, idle ? 5 : 0) > 0) {
      ssize_t n = read(0, buf, sizeof buf);
      if (n == 0) open = false;
      for (ssize_t i = 0; i < n; i++) to_core.push_back(buf[i]);
    }
    for (int i = 0; i < 4096; i++) tick();
    size_t off = 0;
    while (off < from_core.size()) {
      ssize_t w = write(1, from_core.data() + off, from_core.size() - off);
      if (w <= 0) { open = false; break; }
      off += (size_t)w;
    }
    from_core.clear();
  }
  top->final();
  delete top;
  return 0;
}
