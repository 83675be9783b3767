// The LINSTOR connection flags of both plugin binaries and the client config they
// make: flags win over the LS_* environment (FlagSet's env fallback covers LS_CONTROLLERS,
// LS_*_FILE and LS_TIMEOUT; ClientConfig::ApplyEnv fills the rest: LS_ROOT_CA PEM content,
// LS_USERNAME/LS_PASSWORD, LS_BEARER_TOKEN_FILE).
#pragma once

#include "base/flags.h"
#include "base/status.h"
#include "linstor/client_config.h"

namespace lcsi::linstor {

void AddLinstorFlags(FlagSet& flags);
Result<ClientConfig> LinstorConfigFromFlags(const FlagSet& flags, const EnvLookup& env);

}  // namespace lcsi::linstor
