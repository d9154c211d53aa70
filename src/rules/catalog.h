#pragma once
// The SDK catalog: which packages, constructors and methods send requests to a model (SPEC §2).
// Loaded from rules/sdks/**.json (embedded, plus --rules DIR); C++ holds no SDK names.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rules/rule_files.h"

namespace gapmap::rules {

// A condition on a constructor's argument: boto3.client("bedrock-runtime").
struct ArgCondition {
  int index = -1;     // positional index, or -1 to use `name`
  std::string name;   // keyword name
  std::vector<std::string> equals;
};

struct ClientSpec {
  std::string symbol;         // canonical path: "openai.OpenAI", "@anthropic-ai/sdk.default"
  std::string provider;       // overrides the SDK's provider
  std::string api;            // default api for methods that name none (embeddings models)
  std::optional<ArgCondition> when;
  std::string provider_from;  // "model_prefix" | "client_arg": provider read from arguments
  // For client_arg: where the wrapped client or model is (LangChain4j's AiServices.create(Iface.class,
  // model) has it at 1; its builder names it chatModel).
  int client_arg_index = 0;
  std::vector<std::string> client_arg_names = {"client"};
};

// AWS SDK v3 style: the request kind is the command object passed to `send`.
struct CommandSpec {
  std::string symbol;  // "@aws-sdk/client-bedrock-runtime.ConverseCommand"
  bool streaming = false;
};

struct MethodSpec {
  std::string chain;  // "chat.completions.create"; "*" is any one method (an AI-service proxy)
  std::string api;    // empty = the client's api, else "chat"
  bool streaming = false;
  bool distinctive = false;  // may match on an unresolved receiver (medium confidence)
  std::vector<CommandSpec> commands;  // non-empty: only these command arguments are requests
  int model_arg = -1;  // position of the model among the call's own arguments (genai's exec_chat(model, ..))
};

struct FunctionSpec {
  std::string symbol;  // "litellm.completion", "ai.generateText"
  std::string api;
  bool streaming = false;
  std::string provider;       // fixed provider, or empty
  std::string provider_from;  // "model_prefix" | "model_factory"
};

struct SdkSpec {
  std::string id;
  std::string source_file;
  std::vector<std::string> languages;
  std::string provider;
  std::string via = "sdk";
  std::vector<ClientSpec> clients;
  std::vector<MethodSpec> methods;
  std::vector<FunctionSpec> functions;
  std::vector<std::string> passthrough;  // members returning the same client ("with_options")
  std::vector<std::string> base_url_params;
  std::vector<std::string> model_params;
  std::vector<std::string> stream_params;
  bool report_unused_clients = false;  // framework models used only inside chains: kind binding
  // The client constructor's positional argument that names the model when no model parameter
  // does (ChatOpenAI("gpt-4o"), GenerativeModel("gemini-pro")); -1 where it is a key or a URL.
  int model_arg = 0;
};

struct HttpClientSpec {
  std::string symbol;                 // "requests.post", "fetch", "axios"
  std::vector<std::string> methods;   // for instance clients: "post", "request"; empty = the symbol is the call
  std::vector<std::string> url_params;  // keyword names holding the URL
  int url_index = 0;
  std::vector<std::string> base_url_params;  // constructor config: axios.create({baseURL})
  std::vector<std::string> languages;
  // Request builders (Go's http.NewRequest): the request they build is sent by a later call of
  // one of these methods taking it (client.Do(req)), and that call is the site.
  std::vector<std::string> send_methods;
};

struct HostRule {
  std::string contains;  // substring of the URL ("api.openai.com", ".openai.azure.com")
  std::string provider;
};

struct PathRule {
  std::string contains;  // "/chat/completions", ":generateContent"
  std::string api;
  std::string provider;  // empty = from the host
  bool requires_host = false;  // too generic ("/api/chat") to count without a model host
};

struct PrefixRule {
  std::string prefix;  // model name prefix: "claude" -> anthropic, "anthropic/" -> anthropic
  std::string provider;
};

struct ModelFactory {
  std::string symbol;  // "@ai-sdk/openai.openai"
  std::string provider;
  std::string provider_from;  // "model_prefix": a gateway whose model id names the provider
};

struct Catalog {
  std::vector<SdkSpec> sdks;
  std::vector<HttpClientSpec> http_clients;
  std::vector<HostRule> hosts;
  std::vector<PathRule> paths;
  std::vector<PrefixRule> model_prefixes;
  std::vector<ModelFactory> model_factories;
  std::vector<std::string> non_inference_paths;
  // A JSON body with "model" and one of these keys is a model request wherever it is sent
  // (`.post(&self.url).json(&json!({"model": m, "messages": msgs}))` with the URL from config).
  std::vector<std::string> model_body_keys;
};

// Throws RuleError naming file:line:column when a pack is malformed.
// `languages`: when given, only the packs under sdks/<folder>/ for those languages (and every pack
// outside such a folder) are read: setup costs what the scanned languages need.
Catalog load_catalog(const RuleFiles& files, const std::set<std::string, std::less<>>* languages = nullptr);
// The sdks/ folder whose packs serve a file language ("tsx" -> "javascript").
std::string_view sdk_folder_for(std::string_view language);

}  // namespace gapmap::rules
