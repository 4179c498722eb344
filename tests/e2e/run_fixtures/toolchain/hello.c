#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("hello from a RUN-built binary, uid %d\n", (int)getuid());
  return 0;
}
