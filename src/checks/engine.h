#pragma once
// Runs every check over every detected call site (SPEC §3) and the project-level check.
#include <vector>

#include "checks/context.h"

namespace gapmap::checks {

// Evidence the whole project shares: tracing set-up, human review steps. `env_lines` are
// "FILE:LINE:KEY=VALUE" facts from .env files found next to the code.
struct EnvSetting {
  std::string file;
  uint32_t line = 0;
  std::string key, value;
};
// A YAML configuration file next to the code, as text (LiteLLM proxy config.yaml).
struct ConfigText {
  std::string path;
  std::string text;
};
ProjectFacts collect_facts(const index::ProjectIndex& index, const index::Resolver& resolver, const rules::Knowledge& knowledge,
                           const std::vector<EnvSetting>& env, const std::vector<ConfigText>& configs);

// Judges every site on `jobs` threads. Each thread resolves through an overlay over `resolver`
// (which must not change meanwhile), cleared per site, so a verdict never depends on the order.
void judge_sites(std::vector<detect::DetectedCall>& sites, const index::ProjectIndex& index,
                 const index::Resolver& resolver, const index::CallGraph& graph,
                 const rules::Knowledge& knowledge, const ProjectFacts& facts, unsigned jobs = 1);

// GAP009: more than one provider, or a fallback at every site of the one provider.
CheckResult judge_provider_concentration(const std::vector<detect::DetectedCall>& sites);

}  // namespace gapmap::checks
