#include "rules/catalog.h"

#include <fmt/format.h>

namespace gapmap::rules {
namespace {

using nlohmann::json;

// Reads typed fields and names the file and key when a pack has the wrong shape.
class PackReader {
 public:
  PackReader(std::string origin) : origin_(std::move(origin)) {}

  std::string str(const json& obj, const char* key, std::string fallback = {}) const {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_string()) fail(key, "a string");
    return it->get<std::string>();
  }
  bool boolean(const json& obj, const char* key, bool fallback = false) const {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_boolean()) fail(key, "true or false");
    return it->get<bool>();
  }
  int integer(const json& obj, const char* key, int fallback) const {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_number_integer()) fail(key, "an integer");
    return it->get<int>();
  }
  std::vector<std::string> strings(const json& obj, const char* key) const {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    if (!it->is_array()) fail(key, "an array of strings");
    for (const auto& v : *it) {
      if (!v.is_string()) fail(key, "an array of strings");
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  const json& objects(const json& obj, const char* key) const {
    static const json empty = json::array();
    auto it = obj.find(key);
    if (it == obj.end()) return empty;
    if (!it->is_array()) fail(key, "an array of objects");
    for (const auto& v : *it)
      if (!v.is_object()) fail(key, "an array of objects");
    return *it;
  }
  [[noreturn]] void fail(const char* key, const char* expected) const {
    throw RuleError(fmt::format("{}: \"{}\" must be {}", origin_, key, expected));
  }

 private:
  std::string origin_;
};

void read_sdk(const json& doc, const PackReader& r, const std::string& origin, Catalog& cat) {
  SdkSpec sdk;
  sdk.id = r.str(doc, "sdk");
  if (sdk.id.empty()) r.fail("sdk", "a non-empty string naming the SDK");
  sdk.source_file = origin;
  sdk.languages = r.strings(doc, "languages");
  sdk.provider = r.str(doc, "provider", "unknown");
  sdk.via = r.str(doc, "via", "sdk");
  sdk.passthrough = r.strings(doc, "passthrough");
  sdk.base_url_params = r.strings(doc, "base_url_params");
  sdk.model_params = r.strings(doc, "model_params");
  sdk.stream_params = r.strings(doc, "stream_params");
  sdk.report_unused_clients = r.boolean(doc, "report_unused_clients");
  sdk.model_arg = r.integer(doc, "model_arg", 0);
  for (const auto& c : r.objects(doc, "clients")) {
    ClientSpec spec{r.str(c, "symbol"), r.str(c, "provider"), r.str(c, "api"), std::nullopt,
                    r.str(c, "provider_from")};
    if (auto w = c.find("when"); w != c.end()) {
      if (!w->is_object()) r.fail("when", "an object {index|name, equals}");
      spec.when = ArgCondition{r.integer(*w, "index", -1), r.str(*w, "name"), r.strings(*w, "equals")};
    }
    if (auto a = c.find("client_arg"); a != c.end()) {
      if (!a->is_object()) r.fail("client_arg", "an object {index, names}");
      spec.client_arg_index = r.integer(*a, "index", 0);
      spec.client_arg_names = r.strings(*a, "names");
    }
    sdk.clients.push_back(std::move(spec));
  }
  for (const auto& m : r.objects(doc, "methods")) {
    MethodSpec spec{r.str(m, "chain"), r.str(m, "api"), r.boolean(m, "streaming"), r.boolean(m, "distinctive"), {},
                    r.integer(m, "model_arg", -1)};
    if (spec.chain.empty()) r.fail("chain", "a non-empty method chain such as \"chat.completions.create\"");
    for (const auto& c : r.objects(m, "commands")) spec.commands.push_back({r.str(c, "symbol"), r.boolean(c, "streaming")});
    sdk.methods.push_back(std::move(spec));
  }
  for (const auto& f : r.objects(doc, "functions"))
    sdk.functions.push_back({r.str(f, "symbol"), r.str(f, "api", "chat"), r.boolean(f, "streaming"),
                             r.str(f, "provider"), r.str(f, "provider_from")});
  cat.sdks.push_back(std::move(sdk));
}

void read_endpoints(const json& doc, const PackReader& r, Catalog& cat) {
  for (const auto& h : r.objects(doc, "http_clients"))
    cat.http_clients.push_back({r.str(h, "symbol"), r.strings(h, "methods"), r.strings(h, "url_params"),
                                r.integer(h, "url_index", 0), r.strings(h, "base_url_params"),
                                r.strings(h, "languages"), r.strings(h, "send_methods")});
  for (const auto& h : r.objects(doc, "hosts")) cat.hosts.push_back({r.str(h, "contains"), r.str(h, "provider")});
  for (const auto& p : r.objects(doc, "paths"))
    cat.paths.push_back({r.str(p, "contains"), r.str(p, "api", "chat"), r.str(p, "provider"), r.boolean(p, "requires_host")});
  for (const auto& p : r.objects(doc, "model_prefixes"))
    cat.model_prefixes.push_back({r.str(p, "prefix"), r.str(p, "provider")});
  for (const auto& f : r.objects(doc, "model_factories"))
    cat.model_factories.push_back({r.str(f, "symbol"), r.str(f, "provider"), r.str(f, "provider_from")});
  for (auto& p : r.strings(doc, "non_inference_paths")) cat.non_inference_paths.push_back(std::move(p));
  for (auto& k : r.strings(doc, "model_body_keys")) cat.model_body_keys.push_back(std::move(k));
}

}  // namespace

std::string_view sdk_folder_for(std::string_view language) {
  if (language == "notebook") return "python";
  if (language == "typescript" || language == "tsx") return "javascript";
  return language;
}

Catalog load_catalog(const RuleFiles& files, const std::set<std::string, std::less<>>* languages) {
  Catalog cat;
  std::set<std::string, std::less<>> folders;
  if (languages)
    for (const auto& l : *languages) folders.insert(std::string(sdk_folder_for(l)));
  for (const auto& [rel, text] : files.files()) {
    if (!rel.starts_with("sdks/") || !rel.ends_with(".json")) continue;
    // sdks/<language>/*.json serve one language's files; a scan without them skips reading them.
    if (auto slash = rel.find('/', 5); languages && slash != std::string::npos &&
                                       !folders.count(std::string_view(rel).substr(5, slash - 5)))
      continue;
    json doc = files.parse_json(rel);
    PackReader r(files.origin(rel));
    if (!doc.is_object()) throw RuleError(fmt::format("{}: a pack must be a JSON object", files.origin(rel)));
    if (doc.contains("sdk")) read_sdk(doc, r, files.origin(rel), cat);
    read_endpoints(doc, r, cat);
  }
  return cat;
}

}  // namespace gapmap::rules
