#include "engine/config/confined_path.h"

#include <filesystem>

namespace cairn::engine {

namespace fs = std::filesystem;

bool LeadsOutside(const std::string& path, const std::string& root) {
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(path, ec);
  if (ec) return true;
  const fs::path base = fs::weakly_canonical(root, ec);
  if (ec) return true;
  const std::string r = real.string(), b = base.string();
  return !(r == b || (r.size() > b.size() && r.compare(0, b.size(), b) == 0 &&
                      (b.back() == '/' || r[b.size()] == '/')));
}

}  // namespace cairn::engine
