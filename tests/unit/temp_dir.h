// A fresh, empty directory under the system's temporary directory for one unit test.
#pragma once

#include <filesystem>
#include <string>

namespace cairn::test {

inline std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("cairn-unit-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace cairn::test
