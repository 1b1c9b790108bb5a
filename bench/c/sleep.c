/* sleep forever with no CPU; exit 0 on SIGTERM/SIGINT (also as PID 1); children reaped by the kernel. */
#include <signal.h>
#include <stddef.h>

int main(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  signal(SIGCHLD, SIG_IGN);
  sigprocmask(SIG_BLOCK, &set, NULL);
  for (;;)
    if (sigtimedwait(&set, NULL, NULL) > 0) return 0;
}
