// End-to-end detection tests for JavaScript, TypeScript and TSX: the built binary scans small
// realistic projects under tests/fixtures/detect/js and the JSON report is checked site by site.
#include <doctest/doctest.h>

#include <filesystem>
#include <vector>

#include "support/run_gapmap.h"

namespace {

using gapmap::test::count_sites;
using gapmap::test::expect_no_site;
using gapmap::test::expect_site;
using gapmap::test::site_at;

const nlohmann::json& project(const char* name) {
  // The first lookup scans every fixture project at once (a no-op afterwards).
  std::vector<std::filesystem::path> all;
  for (const char* p : {"openai_app", "providers_app", "vercel_app", "langchain_app", "http_app", "receivers_app",
                        "nextjs_app", "lookalikes_app", "naming_app"})
    all.push_back(gapmap::test::fixture(std::string("detect/js/") + p));
  gapmap::test::prefetch_scans(all);
  return gapmap::test::scan_json_cached(gapmap::test::fixture(std::string("detect/js/") + name));
}

}  // namespace

TEST_SUITE("detect js") {

TEST_CASE("detect js: OpenAI default import, AzureOpenAI, baseURL DeepSeek, responses, streaming (TypeScript)") {
  const auto& r = project("openai_app");
  REQUIRE(r.contains("call_sites"));
  CHECK(r["errors"].empty());
  expect_site(r, {.file = "chat.ts", .line = 8, .provider = "openai", .model = "gpt-4o-mini", .function = "ask",
                  .confidence = "high", .column = 28});
  if (const auto* s = site_at(r, "chat.ts", 8)) {
    CHECK((*s)["end_line"] == 11);
    CHECK((*s)["end_column"] == 5);
    CHECK((*s)["language"] == "typescript");
    CHECK((*s)["sdk_method"] == "openai.chat.completions.create");
  }
  expect_site(r, {.file = "chat.ts", .line = 16, .provider = "openai", .streaming = true, .model = "gpt-4o",
                  .function = "streamAnswer"});
  expect_site(r, {.file = "chat.ts", .line = 21, .provider = "openai", .model = "gpt-4.1-mini", .function = "respond"});
  expect_site(r, {.file = "chat.ts", .line = 26, .provider = "azure-openai", .model = "gpt-4o",
                  .function = "viaAzure"});
  expect_site(r, {.file = "chat.ts", .line = 30, .provider = "deepseek", .model = "deepseek-reasoner",
                  .function = "viaDeepseek"});
  // models.list and files.create (and the fetch("x") inside it) are not model requests.
  expect_no_site(r, "chat.ts", 34);
  expect_no_site(r, "chat.ts", 35);
  // openai v5 promoted the beta helpers: chat.completions.runTools.
  expect_site(r, {.file = "chat.ts", .line = 41, .provider = "openai", .model = "gpt-4o", .function = "withTools"});
  CHECK(count_sites(r, "chat.ts") == 6);
}

TEST_CASE("detect js: Anthropic require(), messages.stream, AnthropicBedrock; countTokens is not a site") {
  const auto& r = project("providers_app");
  REQUIRE(r.contains("call_sites"));
  expect_site(r, {.file = "anthropic.js", .line = 8, .provider = "anthropic", .model = "claude-sonnet-4-20250514",
                  .function = "reply"});
  if (const auto* s = site_at(r, "anthropic.js", 8)) CHECK((*s)["language"] == "javascript");
  expect_site(r, {.file = "anthropic.js", .line = 17, .provider = "anthropic", .streaming = true,
                  .model = "claude-3-5-haiku-latest", .function = "replyStream"});
  expect_site(r, {.file = "anthropic.js", .line = 21, .provider = "aws-bedrock",
                  .model = "anthropic.claude-3-5-sonnet-20241022-v2:0", .function = "viaBedrock"});
  expect_no_site(r, "anthropic.js", 25);
  CHECK(count_sites(r, "anthropic.js") == 3);
}

TEST_CASE("detect js: @google/genai GoogleGenAI models.generateContent(Stream) in an .mjs file") {
  const auto& r = project("providers_app");
  expect_site(r, {.file = "gemini.mjs", .line = 6, .provider = "google", .model = "gemini-2.5-flash",
                  .function = "generate"});
  expect_site(r, {.file = "gemini.mjs", .line = 11, .provider = "google", .streaming = true,
                  .model = "gemini-2.5-pro", .function = "generateStream"});
  CHECK(count_sites(r, "gemini.mjs") == 2);
}

TEST_CASE("detect js: legacy @google/generative-ai getGenerativeModel().generateContent") {
  const auto& r = project("providers_app");
  expect_site(r, {.file = "gemini_legacy.js", .line = 7, .provider = "google", .function = "legacy"});
  CHECK(count_sites(r, "gemini_legacy.js") == 1);
}

TEST_CASE("detect js: the model of getGenerativeModel({ model }) is reported") {
  // Fixed, kept as a regression test: Python's GenerativeModel("gemini-1.5-flash") carries its model to the site; the JS
  // getGenerativeModel({ model: "gemini-1.5-flash" }) factory does not (model is null).
  const auto& r = project("providers_app");
  expect_site(r, {.file = "gemini_legacy.js", .line = 7, .provider = "google", .model = "gemini-1.5-flash"});
}

TEST_CASE("detect js: Bedrock client.send(new ConverseCommand(...)) and a command built beforehand; S3 is not") {
  const auto& r = project("providers_app");
  expect_site(r, {.file = "bedrock.ts", .line = 8, .provider = "aws-bedrock",
                  .model = "anthropic.claude-3-haiku-20240307-v1:0", .function = "converse"});
  if (const auto* s = site_at(r, "bedrock.ts", 8)) CHECK((*s)["end_line"] == 10);
  expect_site(r, {.file = "bedrock.ts", .line = 16, .provider = "aws-bedrock", .model = "amazon.titan-text-lite-v1",
                  .function = "invoke"});
  expect_no_site(r, "bedrock.ts", 20);  // s3.send(new PutObjectCommand(...))
  CHECK(count_sites(r, "bedrock.ts") == 2);
}

TEST_CASE("detect js: Groq, Mistral, Cohere, Ollama SDKs in arrow functions") {
  const auto& r = project("providers_app");
  expect_site(r, {.file = "others.ts", .line = 10, .provider = "groq", .model = "llama-3.3-70b-versatile",
                  .function = "viaGroq"});
  expect_site(r, {.file = "others.ts", .line = 11, .provider = "mistral", .model = "mistral-large-latest",
                  .function = "viaMistral"});
  expect_site(r, {.file = "others.ts", .line = 12, .provider = "cohere", .model = "command-r-plus",
                  .function = "viaCohere"});
  // stream: false stays non-streaming.
  expect_site(r, {.file = "others.ts", .line = 13, .provider = "ollama", .streaming = false, .model = "llama3.1",
                  .function = "viaOllama"});
  CHECK(count_sites(r, "others.ts") == 4);
}

TEST_CASE("detect js: Vercel AI SDK generateText/streamText/generateObject/embed attribute the model factory") {
  const auto& r = project("vercel_app");
  REQUIRE(r.contains("call_sites"));
  CHECK(r["errors"].empty());
  expect_site(r, {.file = "lib/ai.ts", .line = 9, .provider = "openai", .via = "vercel-ai", .model = "gpt-4o",
                  .function = "summarize"});
  if (const auto* s = site_at(r, "lib/ai.ts", 9)) CHECK((*s)["end_line"] == 12);
  expect_site(r, {.file = "lib/ai.ts", .line = 17, .provider = "anthropic", .via = "vercel-ai", .streaming = true,
                  .model = "claude-3-5-haiku-latest", .function = "streamReply"});
  expect_site(r, {.file = "lib/ai.ts", .line = 21, .provider = "openai", .via = "vercel-ai", .model = "gpt-4o-mini",
                  .function = "extract"});
  // The embedding model is a constant exported from another file.
  expect_site(r, {.file = "lib/ai.ts", .line = 30, .provider = "openai", .via = "vercel-ai", .api = "embedding",
                  .model = "text-embedding-3-small", .function = "vector"});
  // The chat model comes from a helper function in another file.
  expect_site(r, {.file = "lib/ai.ts", .line = 34, .provider = "anthropic", .via = "vercel-ai",
                  .model = "claude-3-5-sonnet-latest", .function = "viaHelper"});
  CHECK(count_sites(r, "lib/ai.ts") == 5);
  CHECK(count_sites(r, "lib/models.ts") == 0);
  // A Next.js route handler.
  expect_site(r, {.file = "app/api/chat/route.ts", .line = 6, .provider = "openai", .via = "vercel-ai",
                  .streaming = true, .model = "gpt-4o", .function = "POST"});
}

TEST_CASE("detect js: a TSX page's fetch(\"/api/chat\") to the app's own backend is not a call site") {
  const auto& r = project("vercel_app");
  CHECK(count_sites(r, "app/page.tsx") == 0);
  // ... and the .tsx file was scanned (no syntax error from JSX).
  CHECK_FALSE(gapmap::test::has_error(r, "app/page.tsx"));
}

TEST_CASE("detect js: LangChain ChatOpenAI.invoke is a request; a model only piped into a chain is a binding") {
  const auto& r = project("langchain_app");
  REQUIRE(r.contains("call_sites"));
  expect_site(r, {.file = "agent.ts", .line = 11, .provider = "openai", .via = "langchain", .model = "gpt-4o-mini",
                  .function = "direct"});
  expect_site(r, {.file = "agent.ts", .line = 6, .provider = "anthropic", .via = "langchain", .kind = "binding",
                  .model = "claude-3-5-sonnet-latest", .function = "<module>"});
  expect_no_site(r, "agent.ts", 5);
  CHECK(count_sites(r, "agent.ts") == 2);
}

TEST_CASE("detect js: raw HTTP with fetch and axios: constants, literals, template literals, axios.create baseURL") {
  const auto& r = project("http_app");
  REQUIRE(r.contains("call_sites"));
  expect_site(r, {.file = "raw.js", .line = 6, .provider = "openai", .via = "http", .function = "openaiFetch"});
  if (const auto* s = site_at(r, "raw.js", 6)) CHECK((*s)["end_line"] == 10);
  expect_site(r, {.file = "raw.js", .line = 15, .provider = "anthropic", .via = "http", .function = "anthropicAxios"});
  expect_no_site(r, "raw.js", 20);  // fetch("/api/chat"): the app's own backend
  expect_no_site(r, "raw.js", 24);  // GET /v1/models
  CHECK(count_sites(r, "raw.js") == 2);

  expect_site(r, {.file = "client.ts", .line = 7, .provider = "anthropic", .via = "http", .function = "viaInstance"});
  expect_site(r, {.file = "client.ts", .line = 12, .provider = "openai", .via = "http", .function = "viaTemplate"});
  expect_site(r, {.file = "client.ts", .line = 16, .provider = "anthropic", .via = "http", .function = "viaConstant"});
  CHECK(count_sites(r, "client.ts") == 3);
}

TEST_CASE("detect js: fetch to Gemini :generateContent in a template literal is a call site") {
  // Fixed, kept as a regression test: same as Python: the "/models" non-inference path swallows ".../v1beta/models/X:generateContent".
  const auto& r = project("http_app");
  expect_site(r, {.file = "gemini.ts", .line = 4, .provider = "google", .via = "http", .function = "geminiFetch"});
}

TEST_CASE("detect js: receivers: TS class field, constructor parameter property, this.x = factory(), typed param") {
  const auto& r = project("receivers_app");
  REQUIRE(r.contains("call_sites"));
  expect_site(r, {.file = "src/services.ts", .line = 10, .provider = "openai", .model = "gpt-4o",
                  .function = "FieldService.run", .confidence = "high"});
  expect_site(r, {.file = "src/services.ts", .line = 18, .provider = "openai", .model = "gpt-4.1",
                  .function = "InjectedService.run", .confidence = "high"});
  expect_site(r, {.file = "src/services.ts", .line = 30, .provider = "anthropic", .model = "claude-3-5-haiku-latest",
                  .function = "AssignedService.run"});
  expect_site(r, {.file = "src/services.ts", .line = 35, .provider = "anthropic", .model = "claude-3-opus-20240229",
                  .function = "typedParam", .confidence = "high"});
  // A module-level client exported from another file and imported under another name.
  expect_site(r, {.file = "src/services.ts", .line = 39, .provider = "openai", .model = "gpt-4o-mini",
                  .function = "shared", .confidence = "high"});
  CHECK(count_sites(r, "src/services.ts") == 5);
  CHECK(count_sites(r, "src/clients.ts") == 0);
}

TEST_CASE("detect js: Next.js tsconfig path alias, destructured require, inline construction, namespace import") {
  const auto& r = project("nextjs_app");
  REQUIRE(r.contains("call_sites"));
  // import { openai } from "@/lib/openai" through tsconfig "paths".
  expect_site(r, {.file = "src/app/api/summarize/route.ts", .line = 7, .provider = "openai", .model = "gpt-4o-mini",
                  .function = "POST", .confidence = "high"});
  expect_site(r, {.file = "src/lib/misc.js", .line = 5, .provider = "openai", .model = "gpt-4o", .function = "a"});
  expect_site(r, {.file = "src/lib/misc.js", .line = 6, .provider = "openai", .model = "gpt-4o", .function = "b"});
  expect_site(r, {.file = "src/lib/misc.js", .line = 7, .provider = "openai", .via = "vercel-ai", .model = "gpt-4o",
                  .function = "c"});
  CHECK(count_sites(r) == 4);
}

TEST_CASE("detect js: a client exported with `export default` and imported elsewhere") {
  // Fixed, kept as a regression test: `const router = new OpenAI({ baseURL: "https://openrouter.ai/api/v1" }); export default router;`
  // imported as `import router from "./router"`: the call is not found at all (same for
  // `export default new OpenAI()`).
  const auto& r = project("receivers_app");
  expect_site(r, {.file = "src/default_export.ts", .line = 4, .provider = "openrouter",
                  .model = "meta-llama/llama-3.1-70b-instruct", .function = "viaDefaultExport"});
}

TEST_CASE("detect js: look-alikes are not call sites (Twilio, Stripe, a local completions.create)") {
  const auto& r = project("lookalikes_app");
  REQUIRE(r.contains("call_sites"));
  CHECK(count_sites(r) == 0);
}

TEST_CASE("detect js: `function` names: default-exported handler, object method, class arrow property, static") {
  const auto& r = project("naming_app");
  REQUIRE(r.contains("call_sites"));
  expect_site(r, {.file = "names.ts", .line = 5, .provider = "openai", .function = "handler"});
  expect_site(r, {.file = "names.ts", .line = 10, .provider = "openai"});
  expect_site(r, {.file = "names.ts", .line = 15, .provider = "openai", .function = "Svc.ask"});
  expect_site(r, {.file = "names.ts", .line = 17, .provider = "openai", .function = "Svc.make"});
  CHECK(count_sites(r, "names.ts") == 4);
}

TEST_CASE("detect js: every reported site has the full schema and a JS language") {
  for (const char* name : {"openai_app", "providers_app", "vercel_app", "langchain_app", "http_app", "receivers_app",
                           "nextjs_app"}) {
    CAPTURE(name);
    const auto& r = project(name);
    REQUIRE(r.contains("call_sites"));
    for (const auto& s : r["call_sites"]) {
      CAPTURE(s.value("file", ""));
      CAPTURE(s.value("line", 0));
      for (const char* key : {"id", "file", "language", "provider", "via", "api", "kind", "function", "confidence"})
        CHECK((s.contains(key) && s[key].is_string()));
      CHECK((s.contains("model") && (s["model"].is_string() || s["model"].is_null())));
      std::string lang = s.value("language", "");
      CHECK((lang == "javascript" || lang == "typescript" || lang == "tsx"));
      std::string file = s.value("file", "");
      if (file.ends_with(".ts")) CHECK(lang == "typescript");
      if (file.ends_with(".js") || file.ends_with(".mjs")) CHECK(lang == "javascript");
    }
  }
}

}  // TEST_SUITE
