#include "storage/manifest.h"

#include <cinttypes>
#include <cstdio>
#include <sstream>

#include "storage/block.h"

namespace cairn::storage {

bool IsSegmentFileName(std::string_view name) {
  constexpr std::string_view kPrefix = "seg-", kSuffix = ".cseg";
  if (name.size() <= kPrefix.size() + kSuffix.size() || name.substr(0, kPrefix.size()) != kPrefix ||
      name.substr(name.size() - kSuffix.size()) != kSuffix)
    return false;
  for (char c : name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size()))
    if (c < '0' || c > '9') return false;
  return true;
}

namespace {
// Paths may hold spaces; they are the rest of the line and never hold a newline.
std::string Sanitize(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}
}  // namespace

std::string Manifest::Encode() const {
  std::ostringstream os;
  os << "cairn-manifest " << kManifestVersion << "\n";
  os << "next_segment " << next_segment << "\n";
  os << "raw_bytes " << raw_bytes << "\n";
  for (const SegmentInfo& s : segments)
    os << "segment " << s.file << " " << s.rows << " " << s.min_time_us << " " << s.max_time_us << " " << s.bytes
       << "\n";
  for (const SourceInfo& s : sources)
    os << "source " << s.fingerprint << " " << s.events << " " << s.bytes << " " << Sanitize(s.path) << "\n";
  for (const PartInfo& p : parts)
    os << "part " << p.fingerprint << " " << (p.whole ? 1 : 0) << " " << p.begin << " " << p.end << " " << p.records
       << " " << p.events << " " << (p.finished ? 1 : 0) << " " << Sanitize(p.path) << "\n";
  std::string body = os.str();
  char crc[32];
  std::snprintf(crc, sizeof crc, "crc32 %08x\n", Crc32(body));
  return body + crc;
}

Status Manifest::Decode(const std::string& text, const std::string& what, Manifest* out) {
  size_t crc_pos = text.rfind("crc32 ");
  if (crc_pos == std::string::npos) return Status::Corruption(what + ": no checksum line");
  std::string body = text.substr(0, crc_pos);
  unsigned stored = 0;
  if (std::sscanf(text.c_str() + crc_pos, "crc32 %x", &stored) != 1 || stored != Crc32(body))
    return Status::Corruption(what + ": checksum mismatch");
  std::istringstream is(body);
  std::string line;
  *out = Manifest();
  bool header = false;
  while (std::getline(is, line)) {
    std::istringstream ls(line);
    std::string kind;
    ls >> kind;
    if (kind == "cairn-manifest") {
      uint32_t v = 0;
      ls >> v;
      if (v < 1 || v > kManifestVersion)
        return Status::Unsupported(what + ": manifest version " + std::to_string(v) + ", this cairn reads " +
                                   std::to_string(kManifestVersion));
      header = true;
    } else if (kind == "next_segment") {
      ls >> out->next_segment;
    } else if (kind == "raw_bytes") {
      ls >> out->raw_bytes;
    } else if (kind == "segment") {
      SegmentInfo s;
      ls >> s.file >> s.rows >> s.min_time_us >> s.max_time_us >> s.bytes;
      if (ls.fail()) return Status::Corruption(what + ": bad segment line: " + line);
      if (!IsSegmentFileName(s.file))  // a name like ../x would lead reads and repairs outside the index
        return Status::Corruption(what + ": '" + s.file + "' is not a segment file name (seg-NNNNNN.cseg)");
      out->segments.push_back(s);
    } else if (kind == "source") {
      SourceInfo s;
      ls >> s.fingerprint >> s.events >> s.bytes;
      if (ls.fail()) return Status::Corruption(what + ": bad source line: " + line);
      std::getline(ls >> std::ws, s.path);
      out->sources.push_back(s);
    } else if (kind == "part") {
      PartInfo p;
      int whole = 0, finished = 0;
      ls >> p.fingerprint >> whole >> p.begin >> p.end >> p.records >> p.events >> finished;
      if (ls.fail()) return Status::Corruption(what + ": bad part line: " + line);
      p.whole = whole != 0;
      p.finished = finished != 0;
      std::getline(ls >> std::ws, p.path);
      out->parts.push_back(p);
    } else if (!kind.empty()) {
      return Status::Corruption(what + ": unknown line: " + line);
    }
  }
  if (!header) return Status::Corruption(what + ": no version line");
  return Status::OK();
}

}  // namespace cairn::storage
