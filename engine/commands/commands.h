// Factories of the pipeline commands, one per file in this folder; registered by name in
// engine/pipeline/registry.cc.
#pragma once

#include "engine/pipeline/command.h"

namespace cairn::engine {

#define CAIRN_DECLARE_COMMAND(name)                                                                  \
  std::unique_ptr<Command> name(const query::CommandNode& node, CommandArgs* args,                   \
                                std::optional<query::Diagnostic>* error)
CAIRN_DECLARE_COMMAND(MakeDedupCommand);
CAIRN_DECLARE_COMMAND(MakeEvalCommand);
CAIRN_DECLARE_COMMAND(MakeFieldsCommand);
CAIRN_DECLARE_COMMAND(MakeFillnullCommand);
CAIRN_DECLARE_COMMAND(MakeHeadCommand);
CAIRN_DECLARE_COMMAND(MakeRareCommand);
CAIRN_DECLARE_COMMAND(MakeRegexCommand);
CAIRN_DECLARE_COMMAND(MakeRenameCommand);
CAIRN_DECLARE_COMMAND(MakeRexCommand);
CAIRN_DECLARE_COMMAND(MakeSearchCommand);
CAIRN_DECLARE_COMMAND(MakeSortCommand);
CAIRN_DECLARE_COMMAND(MakeStatsCommand);
CAIRN_DECLARE_COMMAND(MakeTableCommand);
CAIRN_DECLARE_COMMAND(MakeTailCommand);
CAIRN_DECLARE_COMMAND(MakeTopCommand);
CAIRN_DECLARE_COMMAND(MakeWhereCommand);
#undef CAIRN_DECLARE_COMMAND

}  // namespace cairn::engine
