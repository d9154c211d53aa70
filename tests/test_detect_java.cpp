// End-to-end detection tests for Java: the built binary scans tests/fixtures/detect/java and the
// JSON report is checked site by site (Spring AI fluent requests on an injected ChatClient, builder
// chains for clients and requests, a package-private class used from another package, try/catch
// fallbacks, typed entities, the provider read from the build's model starter).
#include <doctest/doctest.h>

#include "support/run_gapmap.h"

namespace {

using gapmap::test::expect_site;

const nlohmann::json& helpdesk() {
  return gapmap::test::scan_json_cached(gapmap::test::fixture("detect/java/helpdesk"));
}

std::string status(const nlohmann::json& report, const char* file, int line, const char* check) {
  const auto* s = gapmap::test::site_at(report, file, line);
  return s ? (*s)["checks"][check]["status"].get<std::string>() : std::string("no site");
}

constexpr const char* kTriage = "src/main/java/com/acme/helpdesk/ai/TicketTriage.java";
constexpr const char* kDrafter = "src/main/java/com/acme/helpdesk/ai/ReplyDrafter.java";

}  // namespace

TEST_SUITE("detect java") {

TEST_CASE("detect java: a Spring AI fluent request on an injected ChatClient is one site") {
  const auto& r = helpdesk();
  CHECK(r["errors"].empty());
  // chatClient is a field set from the injected ChatClient.Builder; the provider comes from
  // spring-ai-starter-model-openai in pom.xml.
  expect_site(r, {.file = kTriage, .line = 16, .provider = "openai", .via = "spring-ai", .function = "TicketTriage.triage"});
  if (const auto* s = gapmap::test::site_at(r, kTriage, 16)) {
    CHECK((*s)["language"] == "java");
    CHECK((*s)["sdk_method"] == "chatClient.prompt().call");
    CHECK((*s)["end_line"] == 18);  // through .call()
  }
  // .entity(Triage.class) parses the answer into a record.
  CHECK(status(r, kTriage, 16, "schema_validation") == "pass");
}

TEST_CASE("detect java: openai-java and LangChain4j clients built by builders, a catch that falls back") {
  const auto& r = helpdesk();
  expect_site(r, {.file = kDrafter, .line = 29, .provider = "openai", .function = "ReplyDrafter.draft"});
  expect_site(r, {.file = kDrafter, .line = 32, .provider = "anthropic", .via = "langchain4j",
                  .model = "claude-3-5-haiku-latest", .function = "ReplyDrafter.draft"});
  // The OpenAI call's catch asks Claude; the client was built with .timeout(Duration.ofSeconds(30)).
  CHECK(status(r, kDrafter, 29, "fallback") == "pass");
  CHECK(status(r, kDrafter, 29, "timeout") == "pass");
  CHECK(status(r, kDrafter, 32, "fallback") == "fail");
  CHECK(r["call_sites"].size() == 4);
}

TEST_CASE("detect java: each method called on a LangChain4j AI service asks the model it was built with") {
  const auto& r = helpdesk();
  constexpr const char* kSummaries = "src/main/java/com/acme/helpdesk/ai/TicketSummaries.java";
  // AiServices.builder(Summarizer.class).chatModel(OpenAiChatModel.builder()...build()).build()
  expect_site(r, {.file = kSummaries, .line = 25, .provider = "openai", .via = "langchain4j", .model = "gpt-4o-mini",
                  .function = "TicketSummaries.summary"});
  // The model's .timeout(Duration.ofSeconds(20)) bounds the service's calls.
  CHECK(status(r, kSummaries, 25, "timeout") == "pass");
}

}  // TEST_SUITE
