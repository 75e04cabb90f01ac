#include "engine/ingest/input_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "storage/block.h"

namespace cairn::engine {

namespace fs = std::filesystem;

namespace {
bool EndsWith(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}
InputFile MakeInput(const fs::path& p) {
  InputFile f;
  f.path = p.string();
  std::error_code ec;
  f.size = fs::file_size(p, ec);
  if (ec) f.size = 0;
  f.gzip = EndsWith(f.path, ".gz");
  return f;
}
}  // namespace

std::vector<InputFile> ExpandInputs(const std::vector<std::string>& paths, std::vector<std::string>* errors) {
  std::vector<InputFile> out;
  for (const std::string& p : paths) {
    if (p == "-") {
      out.push_back({"-", 0, false});
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> files;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) files.push_back(it->path());
      }
      if (ec) errors->push_back(p + ": cannot list directory: " + ec.message());
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) out.push_back(MakeInput(f));
    } else if (fs::is_regular_file(p, ec)) {
      out.push_back(MakeInput(p));
    } else {
      errors->push_back(p + ": no such file or directory");
    }
  }
  return out;
}

Result<std::string> Fingerprint(const InputFile& file) {
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(file.path + ": " + std::strerror(errno));
  constexpr size_t kSpan = 1 << 20;
  std::string head(std::min<uint64_t>(kSpan, file.size), '\0');
  std::string tail(std::min<uint64_t>(kSpan, file.size), '\0');
  ssize_t a = ::pread(fd, head.data(), head.size(), 0);
  ssize_t b = ::pread(fd, tail.data(), tail.size(), static_cast<off_t>(file.size - tail.size()));
  ::close(fd);
  if (a < 0 || b < 0) return Status::IOError(file.path + ": cannot read");
  char buf[64];
  std::snprintf(buf, sizeof buf, "%llx-%08x-%08x", static_cast<unsigned long long>(file.size),
                storage::Crc32(head), storage::Crc32(tail));
  return std::string(buf);
}

ByteStream::~ByteStream() {
  if (gz_ != nullptr) gzclose(gz_);
  if (fd_ > 0) ::close(fd_);
}

Result<ByteStream*> ByteStream::Open(const InputFile& file) {
  auto* s = new ByteStream();
  s->path_ = file.path;
  if (file.path == "-") {
    s->fd_ = 0;
    return s;
  }
  s->fd_ = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (s->fd_ < 0) {
    Status st = Status::IOError(file.path + ": " + std::strerror(errno));
    delete s;
    return st;
  }
  if (file.gzip) {
    s->gz_ = gzdopen(s->fd_, "rb");
    s->fd_ = -1;
    if (s->gz_ == nullptr) {
      delete s;
      return Status::IOError(file.path + ": cannot open gzip stream");
    }
    gzbuffer(s->gz_, 1 << 17);
  }
  return s;
}

Result<size_t> ByteStream::Read(size_t max, std::string* out) {
  size_t base = out->size();
  out->resize(base + max);
  if (gz_ != nullptr) {
    int n = gzread(gz_, out->data() + base, static_cast<unsigned>(max));
    disk_bytes_ = static_cast<uint64_t>(gzoffset(gz_));
    if (n < 0) {
      out->resize(base);
      int errnum = 0;
      const char* msg = gzerror(gz_, &errnum);
      return Status::Corruption(path_ + ": gzip data is damaged near compressed byte " +
                                std::to_string(disk_bytes_) + " (" + msg + ")");
    }
    out->resize(base + static_cast<size_t>(n));
    if (n == 0) {
      int errnum = 0;
      const char* msg = gzerror(gz_, &errnum);
      if (errnum != Z_OK && errnum != Z_STREAM_END)
        return Status::Corruption(path_ + ": gzip data is damaged (" + std::string(msg) + ")");
      if (!gzeof(gz_)) return Status::Corruption(path_ + ": gzip stream ended early");
    }
    return static_cast<size_t>(n);
  }
  while (true) {
    ssize_t n = ::read(fd_, out->data() + base, max);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out->resize(base);
      return Status::IOError(path_ + ": " + std::strerror(errno));
    }
    out->resize(base + static_cast<size_t>(n));
    disk_bytes_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
}

}  // namespace cairn::engine
