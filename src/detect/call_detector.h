#pragma once
// Finds call sites (SPEC §2) in resolved summaries using the SDK catalog.
#include <vector>

#include "core/report_model.h"
#include "index/resolver.h"
#include "rules/catalog.h"

namespace gapmap::detect {

using index::CallStep;
using index::Resolution;
using index::ResolutionSet;
using index::Resolver;
using index::Scope;

struct DetectedCall {
  CallSite site;
  uint32_t file = 0;
  uint32_t call = UINT32_MAX;  // index into the file's calls; for bindings the constructor call
  const Value* client_ctor = nullptr;  // how the client was built (timeouts, retries, base URL)
  Scope ctor_scope;
  std::vector<CallStep> steps;  // calls the receiver went through (constructor, passthroughs)
  // A site reached through URL wrappers (gpt.send(url) -> doRequest(link) -> client.Do(req)):
  // the calls inside them on the way to the request, as (file, call). What guards those (a retry
  // loop around client.Do) guards every caller's request.
  std::vector<std::pair<uint32_t, uint32_t>> inner_calls;
};

class CallDetector {
 public:
  CallDetector(const Resolver& resolver, const rules::Catalog& catalog);

  // Sorted by file, line, column; ids are stable for unchanged code.
  // Files whose resolution spent its work budget are named in `diagnostics`.
  std::vector<DetectedCall> detect(std::vector<ScanError>* diagnostics = nullptr) const;

 private:
  struct Match;
  bool match_sdk(const Scope& scope, const Call& call, const Resolution& r, const std::string& language,
                 DetectedCall& out) const;
  enum class UrlKind { Model, NotModel, Unknown };
  UrlKind classify_url(const std::string& url, CallSite& site) const;
  const Value* model_request_body(const Scope& scope, const Call& call) const;
  std::optional<Resolution> sender_of(const Scope& scope, uint32_t send_call) const;
  uint32_t sending_call(const Scope& scope, const Call& builder, const std::vector<std::string>& methods) const;
  // A project function that sends an HTTP request to a URL it is given: its callers' URLs decide
  // whether each of its calls reaches a model (Feishu's gpt.sendRequestWithBodyType(url, ...)).
  struct UrlWrapper {
    index::FunctionRef fn;
    size_t param = 0;  // position of the URL among the function's parameters
    const Value* client_ctor = nullptr;
    Scope ctor_scope;
    std::vector<CallStep> steps;
    // The client that sends is a parameter too (doRequest(url, client *http.Client)): its position.
    std::optional<size_t> client_param;
    std::vector<std::pair<uint32_t, uint32_t>> inner_calls;
  };
  bool match_http(const Scope& scope, const Call& call, const Resolution& r, const std::string& language,
                  DetectedCall& out, UrlWrapper* wrapper = nullptr) const;
  void detect_through_wrappers(std::vector<UrlWrapper> found, std::vector<DetectedCall>& out) const;
  // `partial`: resolution was cut short, so a free name may still be a client we could not follow.
  bool match_heuristic(const Scope& scope, const Call& call, const std::string& language, DetectedCall& out,
                       bool partial = false) const;

  std::string provider_for_model(const Scope& scope, const Value& model) const;
  std::string provider_for_url(const std::string& url) const;
  std::optional<std::string> model_literal(const Scope& scope, const Value* v) const;
  // Like find_argument, and also through a `**kwargs` / `...options` spread of a local dict.
  const Value* argument_in(const Scope& scope, const std::vector<Argument>& args, std::string_view name) const;

  const Resolver& resolver_;
  const rules::Catalog& catalog_;
};

// The value of a named argument: a keyword argument, or a field of an object argument (JS options).
const Value* find_argument(const std::vector<Argument>& args, std::string_view name);
const Value* positional_argument(const std::vector<Argument>& args, size_t index);
bool may_be_true(const Value* v);

}  // namespace gapmap::detect
