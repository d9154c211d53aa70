// End-to-end detection tests for Go: the built binary scans tests/fixtures/detect/go and the JSON
// report is checked site by site (receivers across a package's files, go.mod imports, aliases,
// functional options, raw net/http, `if err != nil` handlers, context deadlines).
#include <doctest/doctest.h>

#include "support/run_gapmap.h"

namespace {

using gapmap::test::expect_no_site;
using gapmap::test::expect_site;

const nlohmann::json& service_app() {
  return gapmap::test::scan_json_cached(gapmap::test::fixture("detect/go/service_app"));
}

const nlohmann::json& check(const nlohmann::json& site, const char* name) { return site["checks"][name]; }

}  // namespace

TEST_SUITE("detect go") {

TEST_CASE("detect go: clients kept in struct fields set in another file of the package") {
  const auto& r = service_app();
  CHECK(r["errors"].empty());
  // a.primary was set by NewAssistant in client.go; the method is in answer.go.
  expect_site(r, {.file = "internal/llm/answer.go", .line = 13, .provider = "anthropic", .function = "Assistant.Answer",
                  .confidence = "high"});
  // option.WithBaseURL(deepseekURL) points the OpenAI client at DeepSeek.
  expect_site(r, {.file = "internal/llm/answer.go", .line = 19, .provider = "deepseek", .model = "deepseek-chat",
                  .function = "Assistant.Answer", .confidence = "high"});
  if (const auto* s = gapmap::test::site_at(r, "internal/llm/answer.go", 13)) {
    CHECK((*s)["language"] == "go");
    // The receiver keeps the name the code gives it.
    CHECK((*s)["sdk_method"] == "a.primary.Messages.New");
  }
}

TEST_CASE("detect go: an aliased import, an Azure config and a streaming request") {
  const auto& r = service_app();
  expect_site(r, {.file = "cmd/ask/main.go", .line = 24, .provider = "azure-openai", .streaming = true,
                  .model = "gpt-4o-mini", .function = "main"});
}

TEST_CASE("detect go: net/http requests are reported where client.Do sends them") {
  const auto& r = service_app();
  // The URL is built with fmt.Sprintf; the site is g.http.Do(req), not http.NewRequestWithContext.
  expect_site(r, {.file = "internal/gateway/ollama.go", .line = 33, .provider = "ollama", .via = "http",
                  .api = "completion", .function = "Gateway.Chat"});
  if (const auto* s = gapmap::test::site_at(r, "internal/gateway/ollama.go", 33))
    CHECK(check(*s, "timeout")["status"] == "pass");  // http.Client{Timeout: 30 * time.Second}
  CHECK(r["call_sites"].size() == 5);
}

TEST_CASE("detect go: `if err != nil` is the handler; another provider there is a fallback") {
  const auto& r = service_app();
  const auto* primary = gapmap::test::site_at(r, "internal/llm/answer.go", 13);
  const auto* fallback = gapmap::test::site_at(r, "internal/llm/answer.go", 19);
  REQUIRE(primary);
  REQUIRE(fallback);
  CHECK(check(*primary, "fallback")["status"] == "pass");
  // The fallback's own error is returned to the caller: nothing catches it.
  CHECK(check(*fallback, "fallback")["status"] == "fail");
}

TEST_CASE("detect go: a context.WithTimeout context handed to the request is its deadline") {
  const auto& r = service_app();
  expect_site(r, {.file = "cmd/ask/main.go", .line = 39, .provider = "openai", .api = "moderation",
                  .function = "Moderate"});
  const auto* bounded = gapmap::test::site_at(r, "cmd/ask/main.go", 39);
  const auto* unbounded = gapmap::test::site_at(r, "cmd/ask/main.go", 24);  // context.Background()
  REQUIRE(bounded);
  REQUIRE(unbounded);
  CHECK(check(*bounded, "timeout")["status"] == "pass");
  CHECK(check(*bounded, "timeout")["evidence"][0]["line"] == 36);
  CHECK(check(*unbounded, "timeout")["status"] == "fail");
}

TEST_CASE("detect go: the deadline a caller sets reaches a method called on a factory's instance") {
  // digest() -> summarizer.New().Summarize(ctx, ...) -> s.client.Messages.New(ctx, ...)
  const auto& r = gapmap::test::scan_json_cached(gapmap::test::fixture("detect/go/deadline_app"));
  expect_site(r, {.file = "summarizer/summarizer.go", .line = 19, .provider = "anthropic",
                  .function = "Summarizer.Summarize"});
  const auto* site = gapmap::test::site_at(r, "summarizer/summarizer.go", 19);
  REQUIRE(site);
  CHECK(check(*site, "timeout")["status"] == "pass");
  CHECK(check(*site, "timeout")["evidence"][0]["file"] == "main.go");
  CHECK(check(*site, "timeout")["evidence"][0]["line"] == 14);
}

}  // TEST_SUITE

TEST_SUITE("detect go") {

TEST_CASE("detect go: a helper that takes the URL as a parameter is judged at each caller") {
  // Completions and GenerateImage call gpt.sendRequest(url, ...) -> gpt.doRequest(link, ..., client, 3)
  // -> http.NewRequest(method, link, ...) + client.Do(req): the callers' URLs decide.
  const auto& r = gapmap::test::scan_json_cached(gapmap::test::fixture("detect/go/wrapper_app"));
  CHECK(r["errors"].empty());
  // gpt.FullURL("chat/completions") = fmt.Sprintf("%s/v1/%s", gpt.APIURL, suffix), suffix from the caller.
  expect_site(r, {.file = "openai/endpoints.go", .line = 13, .provider = "openai", .via = "http",
                  .function = "ChatGPT.Completions", .confidence = "high"});
  expect_site(r, {.file = "openai/endpoints.go", .line = 22, .provider = "openai", .via = "http", .api = "image",
                  .function = "ChatGPT.GenerateImage"});
  expect_no_site(r, "openai/endpoints.go", 28);  // /v1/models runs no model
  expect_no_site(r, "openai/client.go", 47);     // the wrapper's own request is not a site of its own
  CHECK(r["call_sites"].size() == 2);
  if (const auto* s = gapmap::test::site_at(r, "openai/endpoints.go", 13)) {
    // The client handed to doRequest is newHTTPClient()'s http.Client{Timeout: ...}.
    CHECK(check(*s, "timeout")["status"] == "pass");
    CHECK(check(*s, "timeout")["evidence"][0]["file"] == "openai/client.go");
    CHECK(check(*s, "timeout")["evidence"][0]["line"] == 27);
    // The retry loop around client.Do inside the helper retries every caller's request, with a
    // fixed one-second wait.
    CHECK(check(*s, "retry_safety")["status"] == "fail");
    CHECK(check(*s, "retry_safety")["evidence"][0]["line"] == 46);
    CHECK(check(*s, "retry_safety")["evidence"][0]["note"].get<std::string>().find("fixed wait") != std::string::npos);
  }
}

}  // TEST_SUITE
