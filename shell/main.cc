// Entry point of the `cairn` binary: global options, then a subcommand.
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "shell/cli.h"

namespace {

const char kUsage[] =
    "usage: cairn [--index DIR] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  ingest PATH...     add AWS logs (files, directories, .gz, - for stdin)\n"
    "  info               describe the index: segments, events, time range, fields\n"
    "  search 'QUERY'     run a Splunk-style search\n"
    "  explain 'QUERY'    show the plan of a search, with cardinalities and timings\n"
    "  shell              the interactive SPL shell (also: cairn alone on a terminal)\n"
    "  check              read every segment in full and verify its checksums\n"
    "  repair             set damaged segments aside (into DIR/damaged) so the rest answers cleanly\n"
    "  hunt PATH...       run saved hunts, Sigma rules and ESCU detections over the index\n"
    "  sigma convert RULE print the SPL a Sigma rule runs as\n"
    "  lab list|start|task|hint|answer|status|reset|shell   training labs (docs/labs/)\n"
    "\n"
    "The index is ./cairn-data unless --index DIR or $CAIRN_INDEX says otherwise.\n";

// glibc gives large blocks their own mappings and returns freed memory to the system at
// once, so a process that builds and drops many large buffers (decoded column groups,
// alert text, ingest batches) faults the same pages in again and again. cairn is a
// short-lived process or a shell: keep blocks below 32 MiB in the heap and up to 256 MiB
// of freed memory for reuse.
void TuneAllocator() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  TuneAllocator();
  cairn::shell::GlobalOptions global;
  if (const char* env = std::getenv("CAIRN_INDEX"); env != nullptr && *env) global.index_dir = env;
  std::vector<std::string> args(argv + 1, argv + argc);
  size_t i = 0;
  while (i < args.size() && args[i].rfind("--", 0) == 0) {
    if (args[i] == "--index" && i + 1 < args.size()) {
      global.index_dir = args[i + 1];
      i += 2;
    } else if (args[i].rfind("--index=", 0) == 0) {
      global.index_dir = args[i].substr(8);
      ++i;
    } else if (args[i] == "--index") {
      std::fputs("cairn: --index needs a directory\n", stderr);
      return 2;
    } else if (args[i] == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      break;
    }
  }
  if (global.index_dir.empty()) global.index_dir = "cairn-data";
  if (i >= args.size()) {
    // `cairn` alone on a terminal opens the shell.
    if (::isatty(0) && ::isatty(1)) return cairn::shell::RunShell(global, {});
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string cmd = args[i];
  // The global option may also follow the command (`cairn search --index DIR 'QUERY'`).
  std::vector<std::string> rest;
  for (size_t k = i + 1; k < args.size(); ++k) {
    if (args[k] == "--index") {
      if (k + 1 >= args.size()) {
        std::fputs("cairn: --index needs a directory\n", stderr);
        return 2;
      }
      global.index_dir = args[++k];
    } else if (args[k].rfind("--index=", 0) == 0) {
      global.index_dir = args[k].substr(8);
    } else {
      rest.push_back(args[k]);
    }
  }
  if (cmd == "ingest") return cairn::shell::RunIngest(global, rest);
  if (cmd == "info") return cairn::shell::RunInfo(global, rest);
  if (cmd == "search") return cairn::shell::RunSearch(global, rest);
  if (cmd == "explain") return cairn::shell::RunExplain(global, rest);
  if (cmd == "check") return cairn::shell::RunCheck(global, rest);
  if (cmd == "repair") return cairn::shell::RunRepair(global, rest);
  if (cmd == "lab") return cairn::shell::RunLab(global, rest);
  if (cmd == "shell") return cairn::shell::RunShell(global, rest);
  if (cmd == "hunt") return cairn::shell::RunHunt(global, rest);
  if (cmd == "sigma") return cairn::shell::RunSigma(global, rest);
  if (cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "cairn: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
  return 2;
}
