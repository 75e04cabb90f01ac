#include "engine/hunt/hunt_state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <vector>

#include "storage/file_io.h"

namespace cairn::engine {

namespace {

constexpr const char* kHeader = "cairn-hunt-state 1";

// Keys and names are written with %, tab, newline and comma percent-escaped.
std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '\t' || c == '\n' || c == ',' || c == '\r') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::strtol(s.substr(i + 1, 2).c_str(), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::stringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

}  // namespace

Result<std::unique_ptr<HuntState>> HuntState::Open(const std::string& index_dir) {
  std::unique_ptr<HuntState> state(new HuntState());
  state->path_ = index_dir + "/hunt-state.tsv";
  std::string lock = index_dir + "/hunt-state.lock";
  state->lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (state->lock_fd_ < 0) return Status::IOError(lock + ": cannot be created for --since last");
  if (::flock(state->lock_fd_, LOCK_EX) != 0) return Status::IOError(lock + ": cannot be locked");
  if (::access(state->path_.c_str(), F_OK) != 0) return state;
  auto text = storage::ReadWholeFile(state->path_);
  if (!text.ok()) return text.status();
  std::vector<std::string> lines = Split(text.value(), '\n');
  if (lines.empty() || lines[0] != kHeader)
    return Status::Corruption(state->path_ + ": not a cairn hunt state (expected the line '" + kHeader +
                              "'); move it away to start again");
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::vector<std::string> cols = Split(lines[i], '\t');
    if (cols.size() < 2)
      return Status::Corruption(state->path_ + ":" + std::to_string(i + 1) + ": a line without its columns");
    RuleState& r = state->rules_[Unescape(cols[0])];
    if (!cols[1].empty()) {
      char* end = nullptr;
      long long v = std::strtoll(cols[1].c_str(), &end, 10);
      if (end == nullptr || *end != '\0')
        return Status::Corruption(state->path_ + ":" + std::to_string(i + 1) + ": a time that is not a number");
      r.newest_us = v;
    }
    if (cols.size() > 2)
      for (const std::string& seg : Split(cols[2], ','))
        if (!seg.empty()) r.segments.insert(Unescape(seg));
  }
  return state;
}

HuntState::~HuntState() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Status HuntState::Save() const {
  std::string out = std::string(kHeader) + "\n";
  for (const auto& [key, r] : rules_) {
    out += Escape(key) + "\t" + (r.newest_us ? std::to_string(*r.newest_us) : "") + "\t";
    bool first = true;
    for (const std::string& seg : r.segments) {
      out += (first ? "" : ",") + Escape(seg);
      first = false;
    }
    out += "\n";
  }
  return storage::WriteFileAtomically(path_, out);
}

}  // namespace cairn::engine
