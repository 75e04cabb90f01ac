// Helpers shared by the libFuzzer targets (tests/fuzz/, `make fuzz`): a scratch directory
// per fuzzing process (in /dev/shm when it exists, so that an ingest's fsyncs cost
// nothing), and writing an input to a file there. Targets that need a file or an index
// on disk use these; the rest take the bytes as they come.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace cairn::fuzz {

/// A directory of this process's own, made on first use and removed at exit.
inline const std::string& ScratchDir() {
  // Never destroyed: the exit handler that removes the directory runs after static
  // destructors may have.
  static const std::string* dir = [] {
    std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    auto* d = new std::string(base + "/cairn-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(*d);
    std::filesystem::create_directories(*d);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(ScratchDir(), ignored);
    });
    return d;
  }();
  return *dir;
}

/// Writes `bytes` to `name` in the scratch directory and returns its path.
inline std::string WriteScratchFile(const std::string& name, std::string_view bytes) {
  std::string path = ScratchDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

/// Stops the fuzzer with a report when an invariant does not hold (a wrong answer, not a
/// crash: libFuzzer saves the input like a crash's).
inline void Require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace cairn::fuzz
