// End-to-end detection tests for Rust: the built binary scans tests/fixtures/detect/rust and the
// JSON report is checked site by site (use trees and mod files, impl blocks, struct fields set in
// constructors, builder chains folded into one call, Result handlers, serde, tokio deadlines).
#include <doctest/doctest.h>

#include "support/run_gapmap.h"

namespace {

using gapmap::test::expect_no_site;
using gapmap::test::expect_site;

const nlohmann::json& assistant() {
  return gapmap::test::scan_json_cached(gapmap::test::fixture("detect/rust/assistant"));
}

const nlohmann::json& check(const nlohmann::json& site, const char* name) { return site["checks"][name]; }

std::string status(const nlohmann::json& report, const char* file, int line, const char* name) {
  const auto* s = gapmap::test::site_at(report, file, line);
  return s ? check(*s, name)["status"].get<std::string>() : std::string("no site");
}

}  // namespace

TEST_SUITE("detect rust") {

TEST_CASE("detect rust: async-openai clients kept in struct fields, with the request built by a builder") {
  const auto& r = assistant();
  CHECK(r["errors"].empty());
  // self.client was set by Self { client, backup } in Assistant::new; the model comes from
  // CreateChatCompletionRequestArgs::default().model("gpt-4o-mini")...build().
  expect_site(r, {.file = "src/llm/assistant.rs", .line = 36, .provider = "openai", .model = "gpt-4o-mini",
                  .function = "Assistant.answer", .confidence = "high"});
  // OpenAIConfig::new().with_api_base("https://api.groq.com/openai/v1") points the backup at Groq.
  expect_site(r, {.file = "src/llm/assistant.rs", .line = 40, .provider = "groq", .function = "Assistant.answer"});
  if (const auto* s = gapmap::test::site_at(r, "src/llm/assistant.rs", 36)) {
    CHECK((*s)["language"] == "rust");
    CHECK((*s)["sdk_method"] == "self.client.chat().create");
  }
}

TEST_CASE("detect rust: the Err arm of a match is the handler; another provider there is a fallback") {
  const auto& r = assistant();
  CHECK(status(r, "src/llm/assistant.rs", 36, "fallback") == "pass");
  CHECK(status(r, "src/llm/assistant.rs", 40, "fallback") == "fail");  // its error propagates with ?
  // if choice.finish_reason == Some(FinishReason::Length) { bail!(..) }
  CHECK(status(r, "src/llm/assistant.rs", 36, "completion_check") == "pass");
  // .with_http_client(http) where http = reqwest::Client::builder().timeout(..).build()
  CHECK(status(r, "src/llm/assistant.rs", 36, "timeout") == "pass");
  CHECK(status(r, "src/llm/assistant.rs", 40, "timeout") == "fail");
}

TEST_CASE("detect rust: an AWS builder chain ending in send() is one call site") {
  const auto& r = assistant();
  expect_site(r, {.file = "src/llm/bedrock.rs", .line = 6, .provider = "aws-bedrock",
                  .model = "anthropic.claude-3-haiku-20240307-v1:0", .function = "summarize"});
  if (const auto* s = gapmap::test::site_at(r, "src/llm/bedrock.rs", 6)) {
    CHECK((*s)["sdk_method"] == "client.converse");
    CHECK((*s)["end_line"] == 15);  // the whole chain, through .send()
  }
  // The message builder inside the chain is not a call site of its own.
  int in_file = 0;
  for (const auto& s : r["call_sites"]) in_file += s["file"] == "src/llm/bedrock.rs";
  CHECK(in_file == 1);
}

TEST_CASE("detect rust: reqwest requests by URL, and by the shape of their JSON body") {
  const auto& r = assistant();
  // format!("{}/api/generate", self.base_url) with base_url from env::var(..).unwrap_or("http://localhost:11434")
  expect_site(r, {.file = "src/llm/ollama.rs", .line = 22, .provider = "ollama", .via = "http", .api = "completion",
                  .model = "llama3.1", .function = "Local.generate"});
  // post(&self.url) with the URL from configuration: json!({"model": .., "messages": ..}) says what it is.
  expect_site(r, {.file = "src/llm/proxy.rs", .line = 29, .provider = "unknown", .via = "http",
                  .function = "Proxy.complete", .confidence = "medium"});
  // format!("{url}/api/generate", url = self.url): the host is configuration, the body is a model request.
  expect_site(r, {.file = "src/llm/proxy.rs", .line = 36, .provider = "unknown", .via = "http",
                  .function = "Proxy.generate", .confidence = "medium"});
  expect_no_site(r, "src/llm/proxy.rs", 42);  // GET /models
}

TEST_CASE("detect rust: genai takes its provider from the model; deadlines, backoff, serde and spans") {
  const auto& r = assistant();
  expect_site(r, {.file = "src/llm/router.rs", .line = 30, .provider = "anthropic", .model = "claude-3-5-haiku-latest",
                  .function = "Router.classify"});
  expect_site(r, {.file = "src/llm/router.rs", .line = 41, .provider = "openai", .model = "gpt-4o-mini"});
  // tokio::time::timeout(Duration::from_secs(20), call)
  CHECK(status(r, "src/llm/router.rs", 30, "timeout") == "pass");
  // serde_json::from_str::<Verdict>(text): a typed parse rejects malformed output.
  CHECK(status(r, "src/llm/router.rs", 30, "schema_validation") == "pass");
  // #[instrument] with tracing-opentelemetry exporting spans (src/telemetry.rs).
  CHECK(status(r, "src/llm/router.rs", 30, "tracing") == "pass");
  CHECK(status(r, "src/llm/assistant.rs", 36, "tracing") == "fail");
  // backoff::future::retry(ExponentialBackoff::default(), || async { .. })
  if (const auto* s = gapmap::test::site_at(r, "src/llm/router.rs", 41))
    CHECK(check(*s, "retry_safety")["evidence"][0]["note"].get<std::string>().find("backoff") != std::string::npos);
}

TEST_CASE("detect rust: closures handed to a stream see its chunks and their finish_reason") {
  const auto& r = assistant();
  expect_site(r, {.file = "src/llm/stream.rs", .line = 6, .provider = "openai", .streaming = true,
                  .function = "stream_answer"});
  CHECK(status(r, "src/llm/stream.rs", 6, "completion_check") == "pass");
}

}  // TEST_SUITE
