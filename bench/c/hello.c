#include <unistd.h>

int main(void) {
  static const char msg[] = "Hello, World!\n";
  return write(1, msg, sizeof msg - 1) != sizeof msg - 1;
}
