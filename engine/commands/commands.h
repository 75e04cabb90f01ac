// What every pipeline command's file includes: the Command interface, the spec it
// registers itself with (RegisterCommand), and the argument tokens. One command per file in
// this folder; adding a command is one new file.
#pragma once

#include "engine/pipeline/command.h"
#include "engine/pipeline/command_spec.h"
