#include "engine/ingest/input_source.h"

#include <fcntl.h>
#include <sys/stat.h>
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
      out.push_back({"-", 0, false, true});
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (!ec && (fs::is_fifo(st) || fs::is_character_file(st))) {
      out.push_back({p, 0, EndsWith(p, ".gz"), true});
      continue;
    }
    if (ec && ec != std::errc::no_such_file_or_directory) {
      errors->push_back(p + ": " + ec.message());  // a symlink loop, a directory it may not enter
      continue;
    }
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

bool GrewFrom(const InputFile& file, const std::string& fingerprint, uint64_t* old_size) {
  unsigned long long size = 0;
  if (file.gzip || file.stream || std::sscanf(fingerprint.c_str(), "%llx-", &size) != 1 || size == 0 ||
      size >= file.size)
    return false;
  InputFile before = file;  // the file as it was: its first `size` bytes
  before.size = size;
  auto same = Fingerprint(before);
  if (!same.ok() || same.value() != fingerprint) return false;
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char last = 0;
  ssize_t n = ::pread(fd, &last, 1, static_cast<off_t>(size - 1));
  ::close(fd);
  if (n != 1 || last != '\n') return false;  // the old end must be a line end
  *old_size = size;
  return true;
}

ByteStream::~ByteStream() {
  if (gz_ != nullptr) gzclose(gz_);
  if (fd_ > 0) ::close(fd_);
}

Result<ByteStream*> ByteStream::Open(const InputFile& file) {
  auto* s = new ByteStream();
  s->path_ = file.path;
  s->fd_ = file.path == "-" ? ::dup(0) : ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (s->fd_ < 0) {
    Status st = Status::IOError(file.path + ": " + std::strerror(errno));
    delete s;
    return st;
  }
  // A stream is read through zlib whatever its name: gzip data is inflated (`<(cat x.gz)`,
  // `- < x.gz`), other bytes pass through as they are.
  if (file.gzip || file.stream) {
    s->gz_ = gzdopen(s->fd_, "rb");
    s->fd_ = -1;
    if (s->gz_ == nullptr) {
      delete s;
      return Status::IOError(file.path + ": cannot open gzip stream");
    }
    gzbuffer(s->gz_, 1 << 17);
  } else {
    // A plain file is read up to its size when the ingest began (the size its fingerprint
    // has): a file still being written neither keeps the ingest reading nor changes under it.
    s->end_ = file.size;
    s->bounded_ = true;
  }
  return s;
}

uint64_t ByteStream::GrewBy() const {
  struct stat st;
  if (!bounded_ || fd_ < 0 || ::fstat(fd_, &st) != 0) return 0;
  const uint64_t now = static_cast<uint64_t>(st.st_size);
  return now > end_ ? now - end_ : 0;
}

Result<ByteStream*> ByteStream::OpenRange(const InputFile& file, uint64_t begin, uint64_t end) {
  if (file.gzip || file.stream) return Status::InvalidArgument(file.path + ": byte ranges need a plain file");
  auto s = Open(file);
  if (!s.ok()) return s;
  s.value()->offset_ = begin;
  s.value()->end_ = end;
  s.value()->bounded_ = end == file.size;  // the last part notices growth
  return s;
}

Result<std::string> ReadHead(const InputFile& file, size_t max) {
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(file.path + ": " + std::strerror(errno));
  std::string head(static_cast<size_t>(std::min<uint64_t>(max, file.size)), '\0');
  ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  ::close(fd);
  if (n < 0) return Status::IOError(file.path + ": cannot read: " + std::strerror(errno));
  head.resize(static_cast<size_t>(n));
  return head;
}

bool StartsAsNdjson(std::string_view head) {
  size_t first = head.find_first_not_of(" \t");
  size_t last = head.find('\n');
  if (first == std::string_view::npos || last == std::string_view::npos) return false;
  while (last > first && (head[last - 1] == '\r' || head[last - 1] == ' ')) --last;
  return last > first && head[first] == '{' && head[last - 1] == '}';
}

Result<std::vector<std::pair<uint64_t, uint64_t>>> SplitAtLines(const InputFile& file, int parts,
                                                                uint64_t min_part_bytes) {
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  if (file.gzip || file.stream || parts < 2 || file.size < min_part_bytes * 2) {
    ranges.emplace_back(0, file.size);
    return ranges;
  }
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(file.path + ": " + std::strerror(errno));
  std::string buf(1 << 20, '\0');
  uint64_t begin = 0;
  for (int p = 1; p < parts; ++p) {
    uint64_t at = file.size / static_cast<uint64_t>(parts) * static_cast<uint64_t>(p);
    if (at <= begin) continue;
    ssize_t got = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(at));
    const void* e = got > 0 ? std::memchr(buf.data(), '\n', static_cast<size_t>(got)) : nullptr;
    if (e == nullptr) break;
    uint64_t cut = at + static_cast<uint64_t>(static_cast<const char*>(e) - buf.data()) + 1;
    if (cut >= file.size) break;
    ranges.emplace_back(begin, cut);
    begin = cut;
  }
  ::close(fd);
  ranges.emplace_back(begin, file.size);
  return ranges;
}

Result<uint64_t> CountLines(const InputFile& file, uint64_t end) {
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(file.path + ": " + std::strerror(errno));
  std::string buf(4 << 20, '\0');
  uint64_t lines = 0, pos = 0;
  while (pos < end) {
    ssize_t got = ::pread(fd, buf.data(), std::min<uint64_t>(buf.size(), end - pos), static_cast<off_t>(pos));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    lines += static_cast<uint64_t>(std::count(buf.data(), buf.data() + got, '\n'));
    pos += static_cast<uint64_t>(got);
  }
  ::close(fd);
  return lines;
}

Result<size_t> ByteStream::Read(size_t max, std::string* out) {
  if (stopped_) return size_t{0};
  if (!pending_.empty()) {
    size_t n = std::min(max, pending_.size());
    out->append(pending_, 0, n);
    pending_.erase(0, n);
    return n;
  }
  size_t base = out->size();
  if (gz_ == nullptr && end_ != UINT64_MAX)
    max = static_cast<size_t>(std::min<uint64_t>(max, end_ - offset_));
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
    gzip_out_bytes_ += static_cast<uint64_t>(n);
    if (gzip_out_bytes_ > kGzipRatioFloorBytes &&
        gzip_out_bytes_ > kMaxGzipRatio * std::max<uint64_t>(disk_bytes_, 1)) {
      out->resize(base);
      return Status::LimitReached(
          path_ + ": the gzip data expands more than " + std::to_string(kMaxGzipRatio) + " times (" +
          std::to_string(gzip_out_bytes_ >> 20) + " MiB from " + std::to_string(disk_bytes_ >> 10) +
          " KiB compressed), cairn's limit against decompression bombs: not read further");
    }
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
    ssize_t n = end_ == UINT64_MAX ? ::read(fd_, out->data() + base, max)
                                   : ::pread(fd_, out->data() + base, max, static_cast<off_t>(offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out->resize(base);
      return Status::IOError(path_ + ": " + std::strerror(errno));
    }
    out->resize(base + static_cast<size_t>(n));
    disk_bytes_ += static_cast<uint64_t>(n);
    offset_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
}

}  // namespace cairn::engine
