// The `cairn` command line: global options shared by every subcommand, and one entry
// point per subcommand (each in its own cmd_*.cc). Exit codes: 0 success, 1 a failure
// (bad input, I/O), 2 a usage or query error.
#pragma once

#include <string>
#include <vector>

namespace cairn::shell {

struct GlobalOptions {
  std::string index_dir;  ///< --index DIR, else $CAIRN_INDEX, else ./cairn-data
};

int RunIngest(const GlobalOptions& global, const std::vector<std::string>& args);
int RunInfo(const GlobalOptions& global, const std::vector<std::string>& args);
int RunSearch(const GlobalOptions& global, const std::vector<std::string>& args);
int RunExplain(const GlobalOptions& global, const std::vector<std::string>& args);
int RunShell(const GlobalOptions& global, const std::vector<std::string>& args);
int RunCheck(const GlobalOptions& global, const std::vector<std::string>& args);
/// Sets unreadable segments aside (cairn/index_info.h RepairIndex).
int RunRepair(const GlobalOptions& global, const std::vector<std::string>& args);
/// Exit status: 0 no hits, 1 hits, 2 a rule failed to load or run.
int RunHunt(const GlobalOptions& global, const std::vector<std::string>& args);
int RunSigma(const GlobalOptions& global, const std::vector<std::string>& args);
/// Exit status: 0 done (a right answer), 1 a wrong answer or a failure, 2 a usage error.
int RunLab(const GlobalOptions& global, const std::vector<std::string>& args);

}  // namespace cairn::shell
