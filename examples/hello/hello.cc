// A tiny static HTTP-less program for the example image: prints who it runs as and exits.
#include <unistd.h>

#include <cstdio>

int main() {
  std::printf("hello from plinth: uid=%d gid=%d\n", static_cast<int>(getuid()),
              static_cast<int>(getgid()));
  return 0;
}
