// `cairn search` and `cairn explain`: placeholders until the search language lands.
#include <cstdio>

#include "shell/cli.h"

namespace cairn::shell {

int RunSearch(const GlobalOptions&, const std::vector<std::string>&) {
  std::fprintf(stderr, "cairn search: not built yet\n");
  return 2;
}
int RunExplain(const GlobalOptions&, const std::vector<std::string>&) {
  std::fprintf(stderr, "cairn explain: not built yet\n");
  return 2;
}

}  // namespace cairn::shell
