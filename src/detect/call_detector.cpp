#include "detect/call_detector.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/hash.h"
#include "index/call_graph.h"
#include "lang/notebook.h"

namespace gapmap::detect {
namespace {

bool has_language(const std::vector<std::string>& langs, const std::string& lang) {
  return langs.empty() || std::find(langs.begin(), langs.end(), lang) != langs.end();
}

std::string last_name(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view last = dot == std::string_view::npos ? path : path.substr(dot + 1);
  auto paren = last.find_first_of("([");
  return std::string(last.substr(0, paren));
}

// "with_options().chat.completions.create" -> "chat.completions.create"
std::string normalize_chain(std::string_view chain, const std::vector<std::string>& passthrough) {
  std::string out;
  size_t pos = 0;
  while (pos <= chain.size()) {
    size_t dot = chain.find('.', pos);
    std::string_view seg = chain.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    std::string_view name = seg.substr(0, seg.find_first_of("(["));
    if (!name.empty() && std::find(passthrough.begin(), passthrough.end(), name) == passthrough.end())
    {
      if (!out.empty()) out += '.';
      out.append(name);
    }
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return out;
}

std::string module_of(std::string_view symbol) {
  auto dot = symbol.rfind('.');
  return std::string(dot == std::string_view::npos ? symbol : symbol.substr(0, dot));
}

bool imports_module(const FileSummary& f, const std::string& module) {
  for (const auto& imp : f.imports) {
    std::string full = imp.symbol.empty() ? imp.module : imp.module + "." + imp.symbol;
    if (imp.module == module || full == module || full.starts_with(module + ".") || imp.module.starts_with(module + "/") ||
        imp.module.starts_with(module + "."))
      return true;
  }
  return false;
}

bool arg_condition_holds(const rules::ArgCondition& cond, const Value* ctor) {
  if (!ctor) return false;
  const Value* v = nullptr;
  if (cond.index >= 0) v = positional_argument(ctor->args, static_cast<size_t>(cond.index));
  if (!v && !cond.name.empty()) v = find_argument(ctor->args, cond.name);
  if (!v || v->kind != Value::Kind::String) return false;
  return std::find(cond.equals.begin(), cond.equals.end(), v->text) != cond.equals.end();
}

// The callee as the source spells it: Go receivers are read as `self` (see Function::receiver).
std::string as_written(const FileSummary& f, const Call& call) {
  bool self_rooted = call.callee == "self" || call.callee.starts_with("self.") || call.callee.starts_with("self(");
  if (call.function == kModuleScope || !self_rooted) return call.callee;
  const std::string& receiver = f.functions[call.function].receiver;
  if (receiver.empty()) return call.callee;
  return receiver + call.callee.substr(4);
}

}  // namespace

const Value* find_argument(const std::vector<Argument>& args, std::string_view name) {
  for (const auto& a : args)
    if (a.name == name) return &a.value;
  for (const auto& a : args)
    if (a.name.empty() && a.value.kind == Value::Kind::Object)
      for (const auto& field : a.value.args)
        if (field.name == name) return &field.value;
  return nullptr;
}

// A streaming flag counts unless it is literally off: `stream=stream` can be on.
bool may_be_true(const Value* v) {
  if (!v) return false;
  if (v->kind == Value::Kind::Bool) return v->text == "true";
  return v->kind != Value::Kind::Null && v->kind != Value::Kind::None;
}

const Value* CallDetector::argument_in(const Scope& scope, const std::vector<Argument>& args, std::string_view name) const {
  if (const Value* v = find_argument(args, name)) return v;
  // **kwargs / ...options spread from a dict or object built earlier in the function.
  for (const auto& a : args) {
    if ((a.name != "**" && a.name != "...") && !(a.name.empty() && a.value.kind == Value::Kind::Name)) continue;
    if (a.value.kind != Value::Kind::Name) continue;
    auto bound = resolver_.binding_value(scope, a.value.text);
    if (bound && bound->first->kind == Value::Kind::Object)
      for (const auto& field : bound->first->args)
        if (field.name == name) return &field.value;
  }
  return nullptr;
}

const Value* positional_argument(const std::vector<Argument>& args, size_t index) {
  size_t i = 0;
  for (const auto& a : args) {
    if (!a.name.empty()) continue;
    if (i++ == index) return &a.value;
  }
  return nullptr;
}

CallDetector::CallDetector(const Resolver& resolver, const rules::Catalog& catalog)
    : resolver_(resolver), catalog_(catalog) {}

std::optional<std::string> CallDetector::model_literal(const Scope& scope, const Value* v) const {
  if (!v) return std::nullopt;
  auto s = resolver_.resolve_string(scope, *v);
  if (!s || s->empty() || s->find("{}") != std::string::npos) return std::nullopt;
  return s;
}

std::string CallDetector::provider_for_url(const std::string& url) const {
  for (const auto& h : catalog_.hosts)
    if (url.find(h.contains) != std::string::npos) return h.provider;
  return {};
}

std::string CallDetector::provider_for_model(const Scope& scope, const Value& model) const {
  if (auto s = model_literal(scope, &model)) {
    for (const auto& p : catalog_.model_prefixes)
      if (s->starts_with(p.prefix)) return p.provider;
    return {};
  }
  Resolution r = resolver_.resolve_value(scope, model);
  if (!r.resolved) return {};
  for (const auto& f : catalog_.model_factories) {
    if (r.canonical != f.symbol + "()" && !r.canonical.starts_with(f.symbol + "(") && !r.canonical.starts_with(f.symbol + "."))
      continue;
    if (f.provider_from == "model_prefix" && r.ctor) {
      if (const Value* id = positional_argument(r.ctor->args, 0)) {
        std::string p = provider_for_model(r.ctor_scope, *id);
        return p.empty() ? "unknown" : p;
      }
      return "unknown";
    }
    return f.provider;
  }
  return {};
}

bool CallDetector::match_sdk(const Scope& scope, const Call& call, const Resolution& r, const std::string& language,
                             DetectedCall& out) const {
  const std::string& c = r.canonical;
  for (const auto& sdk : catalog_.sdks) {
    if (!has_language(sdk.languages, language)) continue;
    const rules::ClientSpec* client = nullptr;
    const rules::MethodSpec* method = nullptr;
    const rules::FunctionSpec* function = nullptr;
    const rules::CommandSpec* command = nullptr;
    for (const auto& fn : sdk.functions)
      if (c == fn.symbol) function = &fn;
    if (!function) {
      for (const auto& cl : sdk.clients) {
        std::string prefix = cl.symbol + "().";
        if (!c.starts_with(prefix)) continue;
        const Value* made_by = nullptr;
        for (const auto& step : r.steps)
          if (step.callee == cl.symbol) made_by = step.call;
        if (cl.when && !arg_condition_holds(*cl.when, made_by)) continue;
        std::string chain = normalize_chain(std::string_view(c).substr(prefix.size()), sdk.passthrough);
        for (const auto& m : sdk.methods) {
          if (m.chain != chain && !(m.chain == "*" && !chain.empty() && chain.find('.') == std::string::npos)) continue;
          if (!m.commands.empty()) {
            const Value* arg = positional_argument(call.args, 0);
            if (!arg) continue;
            Resolution cmd = resolver_.resolve_value(scope, *arg);
            for (const auto& cs : m.commands)
              if (cmd.canonical == cs.symbol + "()") command = &cs;
            if (!command) continue;
          }
          client = &cl;
          method = &m;
          break;
        }
        if (method) break;
      }
    }
    if (!function && !method) continue;

    CallSite& site = out.site;
    site.via = sdk.via;
    site.provider = sdk.provider;
    site.confidence = "high";
    if (client && !client->provider.empty()) site.provider = client->provider;
    if (function && !function->provider.empty()) site.provider = function->provider;
    site.api = method ? (!method->api.empty() ? method->api : (!client->api.empty() ? client->api : "chat")) : function->api;
    site.streaming = (method && method->streaming) || (function && function->streaming) || (command && command->streaming);
    for (const auto& p : sdk.stream_params)
      if (may_be_true(argument_in(scope, call.args, p))) site.streaming = true;

    // Model: the request's argument, else the client's (LangChain models carry it).
    const Value* ctor = nullptr;
    Scope ctor_scope;
    if (client)
      for (const auto& step : r.steps)
        if (step.callee == client->symbol) {
          ctor = step.call;
          ctor_scope = step.scope;
        }
    std::optional<std::string> model;
    for (const auto& p : sdk.model_params)
      if (!model) model = model_literal(scope, argument_in(scope, call.args, p));
    if (!model && method && method->model_arg >= 0)
      model = model_literal(scope, positional_argument(call.args, static_cast<size_t>(method->model_arg)));
    if (!model && command) {
      if (const Value* arg = positional_argument(call.args, 0)) {
        Resolution cmd = resolver_.resolve_value(scope, *arg);
        if (cmd.ctor)
          for (const auto& p : sdk.model_params)
            if (!model) model = model_literal(cmd.ctor_scope, find_argument(cmd.ctor->args, p));
      }
    }
    for (auto it = r.steps.rbegin(); !model && it != r.steps.rend(); ++it)
      for (const auto& p : sdk.model_params)
        if (!model && it->call != ctor) model = model_literal(it->scope, find_argument(it->call->args, p));
    if (!model && ctor) {
      for (const auto& p : sdk.model_params)
        if (!model) model = model_literal(ctor_scope, find_argument(ctor->args, p));
      if (!model && client && client->provider_from.empty() && client->when == std::nullopt && sdk.model_arg >= 0)
        model = model_literal(ctor_scope, positional_argument(ctor->args, static_cast<size_t>(sdk.model_arg)));
    }
    site.model = model;

    std::string from = function ? function->provider_from : client->provider_from;
    std::vector<CallStep> wrapped_steps;
    if (from == "model_prefix") {
      std::string p;
      if (model) p = provider_for_model(scope, Value{Value::Kind::String, *model, {}, {}});
      if (p.empty() && ctor)
        if (const Value* first = positional_argument(ctor->args, 0)) p = provider_for_model(ctor_scope, *first);
      if (!p.empty()) site.provider = p;
    } else if (from == "client_arg" && ctor) {
      const Value* inner = positional_argument(ctor->args, static_cast<size_t>(std::max(0, client->client_arg_index)));
      for (const auto& n : client->client_arg_names)
        if (!inner) inner = find_argument(ctor->args, n);
      if (inner) {
        Resolution ir = resolver_.resolve_value(ctor_scope, *inner);
        // The wrapped model's own construction is part of how the request is made (its timeout,
        // its model name).
        wrapped_steps = ir.steps;
        for (auto it = ir.steps.rbegin(); !site.model && it != ir.steps.rend(); ++it)
          for (const auto& p : sdk.model_params)
            if (!site.model) site.model = model_literal(it->scope, find_argument(it->call->args, p));
        for (const auto& s2 : catalog_.sdks)
          for (const auto& cl : s2.clients)
            if (ir.canonical == cl.symbol + "()") site.provider = cl.provider.empty() ? s2.provider : cl.provider;
        // The config handed to the client may point it elsewhere:
        // Client::with_config(OpenAIConfig::new().with_api_base(url)).
        if (ir.ctor)
          for (const auto& p : sdk.base_url_params)
            if (const Value* v = find_argument(ir.ctor->args, p))
              if (auto url = resolver_.resolve_string(ir.ctor_scope, *v))
                if (std::string host = provider_for_url(*url); !host.empty()) site.provider = host;
      }
    } else if (from == "model_factory") {
      const Value* m = nullptr;
      for (const auto& p : sdk.model_params)
        if (!m) m = find_argument(call.args, p);
      if (m) {
        std::string p = provider_for_model(scope, *m);
        if (!p.empty()) site.provider = p;
        if (!site.model) {
          Resolution mr = resolver_.resolve_value(scope, *m);
          if (mr.ctor) site.model = model_literal(mr.ctor_scope, positional_argument(mr.ctor->args, 0));
        }
      }
    }
    // An OpenAI-compatible client pointed elsewhere belongs to that host's provider.
    if (ctor) {
      for (const auto& p : sdk.base_url_params) {
        const Value* v = find_argument(ctor->args, p);
        if (!v) continue;
        if (auto url = resolver_.resolve_string(ctor_scope, *v)) {
          std::string host = provider_for_url(*url);
          if (!host.empty()) site.provider = host;
        }
      }
    }
    out.client_ctor = ctor;
    out.ctor_scope = ctor_scope;
    out.steps = r.steps;
    out.steps.insert(out.steps.end(), wrapped_steps.begin(), wrapped_steps.end());
    return true;
  }
  return false;
}

// What a URL says: a model API (the site's provider, api and confidence are set), an endpoint of
// a model host that runs no model, or nothing known.
CallDetector::UrlKind CallDetector::classify_url(const std::string& url, CallSite& site) const {
  // ".../v1beta/models/gemini-pro:generateContent" runs a model although it sits under /models.
  bool inference_path = std::any_of(catalog_.paths.begin(), catalog_.paths.end(), [&](const rules::PathRule& p) {
    return url.find(p.contains) != std::string::npos && !p.requires_host;
  });
  for (const auto& p : catalog_.non_inference_paths) {
    auto at = url.find(p);
    if (!inference_path && at != std::string::npos &&
        (at + p.size() == url.size() || url[at + p.size()] == '/' || url[at + p.size()] == '?'))
      return UrlKind::NotModel;
  }
  std::string host_provider;
  bool host_known = false;
  for (const auto& h : catalog_.hosts)
    if (url.find(h.contains) != std::string::npos) {
      host_provider = h.provider;
      host_known = true;
      break;
    }
  const rules::PathRule* path = nullptr;
  for (const auto& p : catalog_.paths)
    if (url.find(p.contains) != std::string::npos && (!p.requires_host || host_known)) {
      path = &p;
      break;
    }
  // A relative URL ("/api/chat") is the app's own backend, not a model API.
  bool absolute = url.find("://") != std::string::npos || url.starts_with("{}");
  if (!host_known && (!path || !absolute)) return UrlKind::Unknown;
  site.via = "http";
  site.api = path ? path->api : "chat";
  site.provider = host_known ? host_provider : (path && !path->provider.empty() ? path->provider : "unknown");
  site.confidence = path ? "high" : "medium";
  return UrlKind::Model;
}

bool CallDetector::match_http(const Scope& scope, const Call& call, const Resolution& r, const std::string& language,
                              DetectedCall& out, UrlWrapper* wrapper) const {
  const std::string& c = r.canonical;
  for (const auto& spec : catalog_.http_clients) {
    if (!has_language(spec.languages, language)) continue;
    std::optional<std::string> base;
    if (spec.methods.empty()) {
      bool global = spec.symbol.find('.') == std::string::npos;
      if (c != spec.symbol || (!r.resolved && !global) || (global && r.bound)) continue;
    } else {
      std::string prefix = spec.symbol + "().";
      if (!c.starts_with(prefix)) continue;
      std::string rest(c.substr(prefix.size()));
      if (std::find(spec.methods.begin(), spec.methods.end(), rest) == spec.methods.end()) continue;
      if (r.ctor)
        for (const auto& p : spec.base_url_params)
          if (const Value* v = find_argument(r.ctor->args, p)) base = resolver_.resolve_string(r.ctor_scope, *v);
    }
    const Value* url_value = nullptr;
    for (const auto& p : spec.url_params)
      if (!url_value) url_value = find_argument(call.args, p);
    if (!url_value || !call.args.empty()) {
      const Value* pos = positional_argument(call.args, static_cast<size_t>(spec.url_index));
      if (pos && pos->kind != Value::Kind::Object) url_value = pos;
    }
    std::string url;
    bool url_unknown = false;
    if (url_value) {
      auto s = resolver_.resolve_string(scope, *url_value);
      if (!s) {
        if (!base) url_unknown = true;
      } else {
        url = *s;
      }
    }
    if (base && url.find("://") == std::string::npos) url = *base + url;
    // A URL from configuration gapmap cannot read: the request body still says what it is.
    const Value* body = url.empty() || url_unknown ? model_request_body(scope, call) : nullptr;
    if (url.empty() && !body) {
      // The URL is a parameter of the function making the request: each caller's URL decides.
      if (wrapper && url_value && url_value->kind == Value::Kind::Name && url_unknown) {
        const FileSummary& f = resolver_.index().file(scope.file);
        uint32_t fn = index::CallGraph::named_function(f, call.function);
        std::string root = url_value->text.substr(0, url_value->text.find_first_of(".(["));
        if (fn != kModuleScope && root == url_value->text) {
          const auto& params = f.functions[fn].params;
          auto at = std::find(params.begin(), params.end(), root);
          if (at != params.end()) {
            wrapper->fn = {scope.file, fn};
            wrapper->param = static_cast<size_t>(at - params.begin());
            wrapper->client_ctor = r.ctor;
            wrapper->ctor_scope = r.ctor_scope;
            wrapper->steps = r.steps;
            uint32_t send = spec.send_methods.empty() ? UINT32_MAX : sending_call(scope, call, spec.send_methods);
            uint32_t self_index = static_cast<uint32_t>(&call - f.calls.data());
            wrapper->inner_calls.push_back({scope.file, send == UINT32_MAX ? self_index : send});
            if (auto sender = sender_of(scope, send)) {
              wrapper->client_ctor = sender->ctor;
              wrapper->ctor_scope = sender->ctor_scope;
              wrapper->steps = sender->steps;
            } else if (send != UINT32_MAX) {
              const std::string& callee = f.calls[send].callee;
              std::string client = callee.substr(0, callee.find_first_of(".(["));
              auto cp = std::find(params.begin(), params.end(), client);
              if (cp != params.end()) wrapper->client_param = static_cast<size_t>(cp - params.begin());
            }
          }
        }
      }
      return false;
    }
    // A model request by the shape of its body: "model" plus messages/prompt/... .
    auto by_body = [&](const Value& b) {
      CallSite& site = out.site;
      site.via = "http";
      site.api = "chat";
      site.provider = "unknown";
      site.confidence = "medium";
      site.model = model_literal(scope, find_argument(b.args, "model"));
      site.streaming = may_be_true(find_argument(b.args, "stream"));
      if (site.model) {
        std::string p = provider_for_model(scope, Value{Value::Kind::String, *site.model, {}, {}});
        if (!p.empty()) site.provider = p;
      }
      out.client_ctor = r.ctor;
      out.ctor_scope = r.ctor_scope;
      out.steps = r.steps;
      return true;
    };
    if (body) return by_body(*body);
    switch (classify_url(url, out.site)) {
      case UrlKind::NotModel: return false;
      case UrlKind::Unknown:
        // "{}/api/generate" on a host read from configuration: the body may still say it.
        if (const Value* b = model_request_body(scope, call)) return by_body(*b);
        continue;
      case UrlKind::Model: break;
    }
    CallSite& site = out.site;
    if (const Value* m = find_argument(call.args, "model")) site.model = model_literal(scope, m);
    if (!site.model)
      for (const auto& a : call.args)
        if (a.name == "json" || a.name == "data" || a.name == "body")
          if (const Value* m = find_argument(a.value.args, "model")) site.model = model_literal(scope, m);
    if (may_be_true(argument_in(scope, call.args, "stream"))) site.streaming = true;
    out.client_ctor = r.ctor;
    out.ctor_scope = r.ctor_scope;
    out.steps = r.steps;
    if (!spec.send_methods.empty()) {
      out.call = sending_call(scope, call, spec.send_methods);
      if (auto sender = sender_of(scope, out.call)) {
        out.client_ctor = sender->ctor;
        out.ctor_scope = sender->ctor_scope;
        out.steps = sender->steps;
      }
    }
    return true;
  }
  return false;
}

// The JSON body a request sends, when it has the shape of a model request: "model" and one of
// the catalog's model_body_keys ("messages", "prompt", ...). Read from json=/data=/body= (Rust's
// .json(&body) setter), directly or through the local it was built in.
const Value* CallDetector::model_request_body(const Scope& scope, const Call& call) const {
  if (catalog_.model_body_keys.empty()) return nullptr;
  for (const auto& a : call.args) {
    if (a.name != "json" && a.name != "data" && a.name != "body") continue;
    const Value* v = &a.value;
    if (v->kind == Value::Kind::Name)
      if (auto bound = resolver_.binding_value(scope, v->text)) v = bound->first;
    if (v->kind != Value::Kind::Object || !find_argument(v->args, "model")) continue;
    for (const auto& k : catalog_.model_body_keys)
      if (find_argument(v->args, k)) return v;
  }
  return nullptr;
}

// The client that sends a built request (http.Client{Timeout: ...}.Do(req)): its options are the
// request's. Nothing when the request is sent elsewhere or the client was not constructed here.
std::optional<Resolution> CallDetector::sender_of(const Scope& scope, uint32_t send_call) const {
  if (send_call == UINT32_MAX) return std::nullopt;
  const Call& send = resolver_.index().file(scope.file).calls[send_call];
  auto dot = send.callee.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  Scope at{scope.file, send.function, send.class_name, send.range.start_byte};
  Resolution sender = resolver_.resolve_path(at, std::string_view(send.callee).substr(0, dot));
  if (!sender.ctor) return std::nullopt;
  return sender;
}

// req, err := http.NewRequest(...) ... client.Do(req): the later call in the same function that
// takes the built request. UINT32_MAX when it is handed elsewhere (then the builder is the site).
uint32_t CallDetector::sending_call(const Scope& scope, const Call& builder, const std::vector<std::string>& methods) const {
  const FileSummary& f = resolver_.index().file(scope.file);
  std::string request;
  for (const auto& b : f.bindings)
    if (b.value.range.start_byte == builder.range.start_byte && b.function == builder.function) request = b.target;
  if (request.empty()) return UINT32_MAX;
  for (uint32_t i = 0; i < f.calls.size(); ++i) {
    const Call& c = f.calls[i];
    if (c.function != builder.function || c.range.start_byte <= builder.range.end_byte) continue;
    if (std::find(methods.begin(), methods.end(), last_name(c.callee)) == methods.end()) continue;
    if (const Value* arg = positional_argument(c.args, 0); arg && arg->kind == Value::Kind::Name && arg->text == request)
      return i;
  }
  return UINT32_MAX;
}

bool CallDetector::match_heuristic(const Scope& scope, const Call& call, const std::string& language,
                                   DetectedCall& out, bool partial) const {
  // An unresolved receiver (a parameter, an injected client) calling a method chain that only an
  // LLM SDK has, in a file that imports that SDK.
  const FileSummary& f = resolver_.index().file(scope.file);
  // Only receivers that are plainly injected: a parameter, an attribute, a local we could not
  // follow. A free global name (`twilio.messages.create`) is somebody else's client.
  std::string root = call.callee.substr(0, call.callee.find_first_of(".(["));
  bool is_param = call.function != kModuleScope &&
                  std::find(f.functions[call.function].params.begin(), f.functions[call.function].params.end(), root) !=
                      f.functions[call.function].params.end();
  bool is_attr = root == "self" || root == "this";
  bool is_bound = resolver_.binding_value(scope, root).has_value();
  if (!is_param && !is_attr && !is_bound && !partial) return false;
  for (const auto& sdk : catalog_.sdks) {
    if (!has_language(sdk.languages, language) || sdk.clients.empty()) continue;
    std::string chain = normalize_chain(call.callee, sdk.passthrough);
    for (const auto& m : sdk.methods) {
      if (!m.commands.empty()) continue;
      bool tail = chain.size() > m.chain.size() && chain.ends_with("." + m.chain);
      if (!tail) continue;
      bool imported = false;
      for (const auto& cl : sdk.clients)
        if (imports_module(f, module_of(cl.symbol))) imported = true;
      bool multi_segment = m.chain.find('.') != std::string::npos;
      if (!(m.distinctive || (imported && multi_segment))) continue;
      if (!imported && !m.distinctive) continue;
      if (!imported) continue;
      CallSite& site = out.site;
      site.via = sdk.via;
      site.provider = sdk.provider;
      site.api = m.api.empty() ? "chat" : m.api;
      site.streaming = m.streaming;
      for (const auto& p : sdk.stream_params)
        if (may_be_true(argument_in(scope, call.args, p))) site.streaming = true;
      for (const auto& p : sdk.model_params)
        if (!site.model) site.model = model_literal(scope, find_argument(call.args, p));
      site.confidence = m.distinctive ? "medium" : "low";
      return true;
    }
  }
  return false;
}

// Calls of URL wrappers, round by round: a caller passing a model URL is a site; a caller passing
// its own parameter is a wrapper too, and its callers are looked at next round. Each function
// becomes a wrapper once, so each call is resolved at most once per wrapper of its name.
void CallDetector::detect_through_wrappers(std::vector<UrlWrapper> found, std::vector<DetectedCall>& out) const {
  const auto& files = resolver_.index().files();
  std::set<std::pair<uint32_t, uint32_t>> known_fns, sites;
  for (const auto& d : out) sites.insert({d.file, d.call});
  std::vector<UrlWrapper> frontier;
  for (auto& w : found)
    if (known_fns.insert({w.fn.file, w.fn.function}).second) frontier.push_back(std::move(w));
  while (!frontier.empty()) {
    std::map<std::pair<uint32_t, uint32_t>, const UrlWrapper*> by_fn;
    std::set<std::string, std::less<>> names;
    for (const auto& w : frontier) {
      by_fn[{w.fn.file, w.fn.function}] = &w;
      names.insert(files[w.fn.file].functions[w.fn.function].name);
    }
    std::vector<UrlWrapper> next;
    for (uint32_t fi = 0; fi < files.size(); ++fi) {
      const FileSummary& f = files[fi];
      resolver_.begin_file();
      for (uint32_t ci = 0; ci < f.calls.size(); ++ci) {
        const Call& call = f.calls[ci];
        if (!names.count(last_name(call.callee)) || sites.count({fi, ci})) continue;
        Scope scope{fi, call.function, call.class_name, call.range.start_byte};
        Resolution r = resolver_.resolve_path(scope, call.callee);
        if (!r.project_fn.valid()) continue;
        auto it = by_fn.find({r.project_fn.file, r.project_fn.function});
        if (it == by_fn.end()) continue;
        const UrlWrapper& w = *it->second;
        const auto& params = files[w.fn.file].functions[w.fn.function].params;
        size_t index = w.param;
        // self.send(url) against def send(self, url): the receiver is not among the arguments.
        if (!params.empty() && (params[0] == "self" || params[0] == "cls") && call.callee.find('.') != std::string::npos &&
            index > 0)
          --index;
        const Value* arg = positional_argument(call.args, index);
        if (!arg) continue;
        uint32_t fn = index::CallGraph::named_function(f, call.function);
        const std::vector<std::string> no_params;
        const auto& caller_params = fn == kModuleScope ? no_params : f.functions[fn].params;
        // The sending client, when the wrapper was handed it: what this caller passes.
        UrlWrapper here = w;
        here.inner_calls.insert(here.inner_calls.begin(), {fi, ci});
        if (w.client_param) {
          here.client_param.reset();
          size_t shift = w.param - index;  // the receiver, when the wrapper is a method taking self
          size_t client_index = *w.client_param >= shift ? *w.client_param - shift : *w.client_param;
          if (const Value* client = positional_argument(call.args, client_index)) {
            Resolution cr = resolver_.resolve_value(scope, *client);
            if (cr.ctor) {
              here.client_ctor = cr.ctor;
              here.ctor_scope = cr.ctor_scope;
              here.steps = cr.steps;
            } else if (client->kind == Value::Kind::Name) {
              auto cp = std::find(caller_params.begin(), caller_params.end(), client->text);
              if (cp != caller_params.end()) here.client_param = static_cast<size_t>(cp - caller_params.begin());
            }
          }
        }
        if (auto url = resolver_.resolve_string(scope, *arg)) {
          DetectedCall d;
          if (classify_url(*url, d.site) != UrlKind::Model) continue;
          d.file = fi;
          d.call = ci;
          d.client_ctor = here.client_ctor;
          d.ctor_scope = here.ctor_scope;
          d.steps = here.steps;
          d.inner_calls = w.inner_calls;
          d.site.sdk_method = as_written(f, call);
          sites.insert({fi, ci});
          out.push_back(std::move(d));
          continue;
        }
        if (arg->kind != Value::Kind::Name || fn == kModuleScope) continue;
        auto at = std::find(caller_params.begin(), caller_params.end(), arg->text);
        if (at == caller_params.end() || !known_fns.insert({fi, fn}).second) continue;
        here.fn = {fi, fn};
        here.param = static_cast<size_t>(at - caller_params.begin());
        next.push_back(std::move(here));
      }
    }
    frontier = std::move(next);
  }
}

std::vector<DetectedCall> CallDetector::detect(std::vector<ScanError>* diagnostics) const {
  // Only calls whose last name some rule mentions are resolved at all: keeps phase 2 cheap.
  std::set<std::string, std::less<>> interesting;
  std::set<std::string, std::less<>> binding_ctor_names;
  for (const auto& sdk : catalog_.sdks) {
    for (const auto& m : sdk.methods) interesting.insert(last_name(m.chain));
    for (const auto& f : sdk.functions) interesting.insert(last_name(f.symbol));
    if (sdk.report_unused_clients)
      for (const auto& c : sdk.clients) binding_ctor_names.insert(last_name(c.symbol));
  }
  for (const auto& h : catalog_.http_clients) {
    if (h.methods.empty()) interesting.insert(last_name(h.symbol));
    for (const auto& m : h.methods) interesting.insert(m);
  }
  // An AI-service proxy (AiServices.create(Assistant.class, model)) answers the methods of a
  // project interface: when a file imports such an SDK, the project's method names are calls
  // worth resolving.
  {
    std::vector<std::string> proxy_modules;
    for (const auto& sdk : catalog_.sdks)
      if (std::any_of(sdk.methods.begin(), sdk.methods.end(), [](const rules::MethodSpec& m) { return m.chain == "*"; }))
        for (const auto& c : sdk.clients) proxy_modules.push_back(module_of(module_of(c.symbol)));
    bool proxies = false;
    for (const auto& f : resolver_.index().files())
      for (const auto& m : proxy_modules) proxies = proxies || imports_module(f, m);
    if (proxies)
      for (const auto& f : resolver_.index().files())
        for (const auto& fn : f.functions)
          if (!fn.class_name.empty()) interesting.insert(fn.name);
  }

  std::vector<DetectedCall> out;
  struct BindingCandidate {
    uint32_t file, call;
    const rules::SdkSpec* sdk;
    const rules::ClientSpec* client;
  };
  std::vector<BindingCandidate> candidates;
  std::vector<UrlWrapper> wrappers;
  const auto& files = resolver_.index().files();
  for (uint32_t fi = 0; fi < files.size(); ++fi) {
    const FileSummary& f = files[fi];
    resolver_.begin_file();
    for (uint32_t ci = 0; ci < f.calls.size(); ++ci) {
      const Call& call = f.calls[ci];
      std::string name = last_name(call.callee);
      Scope scope{fi, call.function, call.class_name, call.range.start_byte};
      if (binding_ctor_names.count(name)) {
        Resolution r = resolver_.resolve_path(scope, call.callee);
        for (const auto& sdk : catalog_.sdks) {
          if (!sdk.report_unused_clients || !has_language(sdk.languages, f.language)) continue;
          for (const auto& cl : sdk.clients)
            if (r.resolved && r.canonical == cl.symbol) candidates.push_back({fi, ci, &sdk, &cl});
        }
      }
      if (!interesting.count(name)) continue;
      ResolutionSet rs = resolver_.resolve_path_all(scope, call.callee);
      if (rs.empty()) rs.alternatives.push_back(rs.primary(call.callee));
      DetectedCall d;
      bool found = false;
      // Every alternative the receiver may be: the first that matches makes the site, the others
      // add the providers it may also reach.
      for (const auto& r : rs.alternatives) {
        if (!r.resolved) continue;
        DetectedCall alt;
        UrlWrapper wrapper;
        if (!match_sdk(scope, call, r, f.language, alt) && !match_http(scope, call, r, f.language, alt, &wrapper)) {
          if (wrapper.fn.valid()) wrappers.push_back(std::move(wrapper));
          continue;
        }
        if (!found) {
          d = std::move(alt);
          found = true;
        } else if (!alt.client_ctor && d.client_ctor) {
          // A declared type (a struct field, a parameter) only repeats which SDK the constructed
          // client comes from, without the base URL that decides its provider.
          continue;
        } else if (alt.site.provider != d.site.provider &&
                   std::find(d.site.possible_providers.begin(), d.site.possible_providers.end(), alt.site.provider) ==
                       d.site.possible_providers.end()) {
          if (d.site.possible_providers.empty()) d.site.possible_providers.push_back(d.site.provider);
          d.site.possible_providers.push_back(alt.site.provider);
        }
      }
      bool any_known = std::any_of(rs.alternatives.begin(), rs.alternatives.end(),
                                   [](const Resolution& r) { return r.resolved || r.local; });
      if (!found && (!any_known || rs.partial)) {
        // Unresolved (or cut short): a raw HTTP call by its URL, else a method chain only an SDK has.
        const Resolution& r = rs.alternatives.front();
        found = match_http(scope, call, r, f.language, d) || match_heuristic(scope, call, f.language, d, rs.partial);
      }
      if (!found) continue;
      if (!d.site.possible_providers.empty() && d.site.confidence == "high") d.site.confidence = "medium";
      d.site.partial = rs.partial || rs.more;
      d.file = fi;
      if (d.call == UINT32_MAX) d.call = ci;
      d.site.sdk_method = as_written(f, f.calls[d.call]);
      out.push_back(std::move(d));
    }
    if (resolver_.exhausted() && diagnostics)
      diagnostics->push_back({f.path, std::nullopt,
                              "receiver resolution stopped at its work budget; call sites in this file may be "
                              "partially resolved (marked \"resolution\": \"partial\"). The rest of the scan went on"});
  }
  detect_through_wrappers(std::move(wrappers), out);
  // Framework models never invoked directly (used inside chains or agents) are reported as bindings.
  for (const auto& cand : candidates) {
    const Call& call = files[cand.file].calls[cand.call];
    bool used = std::any_of(out.begin(), out.end(), [&](const DetectedCall& d) {
      return std::any_of(d.steps.begin(), d.steps.end(), [&](const CallStep& s) {
        return s.scope.file == cand.file && s.call->range.start_byte == call.range.start_byte;
      });
    });
    if (used) continue;
    DetectedCall d;
    d.file = cand.file;
    d.call = cand.call;
    d.site.kind = "binding";
    d.site.via = cand.sdk->via;
    d.site.provider = cand.client->provider.empty() ? cand.sdk->provider : cand.client->provider;
    d.site.api = cand.client->api.empty() ? "chat" : cand.client->api;
    d.site.sdk_method = as_written(files[cand.file], call);
    Scope scope{cand.file, call.function, call.class_name, call.range.start_byte};
    for (const auto& p : cand.sdk->model_params)
      if (!d.site.model) d.site.model = model_literal(scope, find_argument(call.args, p));
    if (cand.client->provider_from == "model_prefix") {
      const Value* first = positional_argument(call.args, 0);
      if (!first) first = find_argument(call.args, "model");
      if (first) {
        std::string p = provider_for_model(scope, *first);
        if (!p.empty()) d.site.provider = p;
      }
    }
    out.push_back(std::move(d));
  }

  // Fill in location, function and a stable id.
  std::map<std::string, int> ordinals;
  std::sort(out.begin(), out.end(), [&](const DetectedCall& a, const DetectedCall& b) {
    const Call& ca = files[a.file].calls[a.call];
    const Call& cb = files[b.file].calls[b.call];
    if (a.file != b.file) return files[a.file].path < files[b.file].path;
    return ca.range.start_byte < cb.range.start_byte;
  });
  for (auto& d : out) {
    const FileSummary& f = files[d.file];
    const Call& call = f.calls[d.call];
    CallSite& s = d.site;
    s.file = f.path;
    s.language = f.language;
    s.line = call.range.line;
    s.column = call.range.column;
    s.end_line = call.range.end_line;
    s.end_column = call.range.end_column;
    if (!f.cells.empty()) {
      uint32_t cell = 0, cell_line = 0, stored = 0, ecell = 0, ecell_line = 0, estored = 0;
      if (lang::map_notebook_line(f.cells, call.range.line, cell, cell_line, stored)) {
        s.cell = cell;
        s.cell_line = cell_line;
        s.line = stored;
      }
      if (lang::map_notebook_line(f.cells, call.range.end_line, ecell, ecell_line, estored)) s.end_line = estored;
      s.language = "python";
    }
    s.function = call.function == kModuleScope ? "<module>" : f.functions[call.function].qualified;
    std::string key = s.file + "\n" + s.function + "\n" + call.callee + "\n" + s.kind;
    int ordinal = ordinals[key]++;
    s.id = hex64(fnv1a64(key + "\n" + std::to_string(ordinal)));
  }
  return out;
}

}  // namespace gapmap::detect
