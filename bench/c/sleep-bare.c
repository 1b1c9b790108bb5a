/* only sleeps: the C counterpart of sleep-bare. */
#include <unistd.h>

int main(void) {
  for (;;) pause();
}
